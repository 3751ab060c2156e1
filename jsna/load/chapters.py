"""Read chapters/: front matter, standard sections, figure blocks and links to other chapters.

A chapter's Markdown is split here, by line, into the layout's sections and into runs of text
and figure blocks, so that every later problem can be reported at its line in the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import yaml

from jsna.build.store import digest
from jsna.errors import BuildWarning, JsnaError, JsnaErrors, Position
from jsna.model import (
    CHART_TYPES,
    MANY_INDICATORS,
    Block,
    Chapter,
    ChapterLink,
    Config,
    Contact,
    FigureRef,
    ImageRef,
    Reference,
    Section,
    SectionDef,
    Text,
    VALUE_ASPECTS,
    ValueRef,
)
from jsna.load.safety import control_problem, decode, image_problem, inside, link_problem
from jsna.load.yamlnodes import EMAIL, Source, suggest
from jsna.project import ASSETS_DIR, SEARCH_DIR

CHAPTERS_DIR = "chapters"
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w-]*)")  # a code fence: its marks and language
_HEADING = re.compile(r"^(?P<hashes>#{1,2})(?!#)\s*(?P<text>.*?)\s*$")
_SECTION_ATTR = re.compile(r"\s*\{(?P<attrs>[^{}]*)\}\s*$")
_CHAPTER_LINK = re.compile(r"\]\((?P<target>[^)\s#]+?\.md)(?:#[^)\s]*)?\)")
# Where a Markdown link's or image's address starts: `](` (not escaped), `[label]: ` at the
# start of a line (not a footnote's `[^1]:`), and the label of an image given by reference.
_INLINE_DESTINATION = re.compile(r"(?<!\\)\]\(")
_REF_DEF = re.compile(r"^ {0,3}\[(?P<label>[^\]^][^\]]*)\]:[ \t]*(?P<url>.*)$")
_IMAGE_BY_LABEL = re.compile(r"!\[(?P<alt>[^\]]*)\](?!\()(?:\[(?P<label>[^\]]*)\])?")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VALUE = re.compile(r"\{\{(?P<body>.*?)\}\}")
_VALUE_BODY = re.compile(r"^\s*(?P<id>[\w-]+)\s*(?::\s*(?P<aspect>[\w-]+)(?:\s+(?P<arg>.*?))?)?\s*$")

_FRONT_REQUIRED = ("title", "summary", "theme", "last_updated")
_FRONT_OPTIONAL = ("area", "layout", "next_review", "key_contact", "related", "references")


def chapter_files(root: Path) -> list[tuple[str, Path]]:
    """(slug, file) for every chapter, sorted by slug; a slug given twice is an error, and so is
    a chapter (or the folder) that is a link to somewhere outside the project."""
    folder = root / CHAPTERS_DIR
    _refuse_outside(root, folder)
    if not folder.is_dir():
        raise JsnaError(Position(CHAPTERS_DIR), f"expected a folder {CHAPTERS_DIR}/ of chapters in {root}, found none")
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix == ".md":
            slug, file = path.stem, path
        elif path.is_dir() and (path / "index.md").is_file():
            slug, file = path.name, path / "index.md"
        else:
            continue
        rel = file.relative_to(root).as_posix()
        _refuse_outside(root, path)
        _refuse_outside(root, file)
        if not _SLUG.match(slug):
            raise JsnaError(Position(rel, 1, 1), f"expected a chapter file name of lower-case letters, digits and hyphens, found '{slug}'")
        if slug in (ASSETS_DIR, SEARCH_DIR):
            raise JsnaError(Position(rel, 1, 1), f"expected a chapter file name other than {ASSETS_DIR} and {SEARCH_DIR} (the site's "
                                                 f"own folders), found '{slug}'")
        if slug in found:
            first = found[slug].relative_to(root).as_posix()
            raise JsnaError(Position(rel, 1, 1), f"expected one chapter per slug, found '{slug}' again (first as {first})")
        found[slug] = file
    if not found:
        raise JsnaError(Position(CHAPTERS_DIR), "expected at least one chapter (a .md file) in chapters/, found none")
    return sorted(found.items())


def _refuse_outside(root: Path, path: Path) -> None:
    """A link leaving the project is named, never followed: its target is not read or shown."""
    if not inside(root, path):
        raise JsnaError(
            Position(path.relative_to(root).as_posix()),
            "expected a chapter inside the project, found a link to somewhere outside it",
        )


def load_chapters(root: Path, config: Config, remember=None) -> tuple[tuple[Chapter, ...], list[BuildWarning], dict[str, str]]:
    """Every chapter under chapters/, in slug order, and their warnings; with `remember` (as for
    load.load_site), a chapter whose text is as it was is not parsed again, and slug -> the key
    each was remembered under is given too."""
    chapters: list[Chapter] = []
    sources: dict[str, str] = {}
    warnings: list[BuildWarning] = []
    errors: list[JsnaError] = []
    for slug, path in chapter_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            text = decode(rel, path.read_bytes())
            if remember is None:
                chapter = parse_chapter(slug, rel, text, config)
            else:
                parse = functools.partial(parse_chapter, slug, rel, text, config)
                sources[slug] = digest("chapter", slug, rel, repr(config), text)
                chapter = remember(sources[slug], parse)
        except JsnaError as exc:
            errors.append(exc)
            continue
        except JsnaErrors as exc:
            errors.extend(exc.errors)
            continue
        errors.extend(_image_errors(root, path.parent, chapter))
        chapters.append(chapter)
        warnings.extend(
            BuildWarning(section.position, f"section '{section.title}' of chapter '{slug}' is empty: it shows 'No content at present'")
            for section in chapter.sections
            if section.empty and not section.left_empty
        )
    if errors:
        raise errors[0] if len(errors) == 1 else JsnaErrors(errors)
    return tuple(chapters), warnings, sources


def parse_chapter(slug: str, rel: str, text: str, config: Config) -> Chapter:
    """Parse one chapter's text (front matter and body) into a Chapter."""
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        found = lines[0].strip() if lines else "an empty file"
        raise JsnaError(Position(rel, 1, 1), f"expected front matter between '---' lines at the start of the chapter, found '{found[:40]}'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise JsnaError(Position(rel, 1, 1), "expected a closing '---' line after the front matter, found none") from None
    src = Source(rel, line_offset=1)
    node = src.compose("\n".join(lines[1:end]))
    f = src.fields(node, "the front matter", _FRONT_REQUIRED, _FRONT_OPTIONAL)

    layout = config.default_layout
    if "layout" in f:
        layout = src.choice(f["layout"], "the layout", tuple(name for name, _ in config.layouts))
    links: list[ChapterLink] = []
    related: list[str] = []
    if "related" in f:
        for item in src.sequence(f["related"], "related chapters"):
            target = src.text(item, "a related chapter's slug")
            related.append(target)
            links.append(ChapterLink(target, src.at(item)))

    last_updated = src.date(f["last_updated"], "last_updated")
    next_review = src.date(f["next_review"], "next_review") if "next_review" in f else None
    if next_review is not None and next_review < last_updated:
        raise src.error(f["next_review"], f"expected next_review on or after last_updated ({last_updated}), found {next_review}")
    intro, sections, body_links, values, images = _parse_all_of_body(rel, lines, end + 1, config.layout(layout), layout)
    return Chapter(
        slug=slug,
        path=rel,
        title=src.text(f["title"], "the title"),
        summary=src.text(f["summary"], "the summary"),
        theme=src.text(f["theme"], "the theme"),
        area=src.text(f["area"], "the area") if "area" in f else config.area,
        layout=layout,
        last_updated=last_updated,
        next_review=next_review,
        key_contact=_contact(src, f["key_contact"]) if "key_contact" in f else None,
        related=tuple(related),
        references=tuple(_reference(src, r) for r in src.sequence(f["references"], "references")) if "references" in f else (),
        intro=intro,
        sections=sections,
        position=Position(rel, 1, 1),
        links=tuple(links) + body_links,
        values=values,
        images=images,
    )


def _contact(src: Source, node: yaml.Node) -> Contact:
    f = src.fields(node, "the key contact", (), ("name", "job_title", "email", "phone"))
    if "name" not in f and "job_title" not in f:
        raise src.error(node, "expected the key contact's name or job_title, found neither")
    return Contact(
        name=src.text(f["name"], "the contact's name") if "name" in f else None,
        job_title=src.text(f["job_title"], "the contact's job title") if "job_title" in f else None,
        email=src.shaped(f["email"], "the contact's email", EMAIL, "an email address such as jsna@example.org") if "email" in f else None,
        phone=src.text(f["phone"], "the contact's phone") if "phone" in f else None,
    )


def _reference(src: Source, node: yaml.Node) -> Reference:
    if isinstance(node, yaml.ScalarNode):
        return Reference(src.text(node, "a reference"))
    f = src.fields(node, "a reference", ("text",), ("url",))
    return Reference(src.text(f["text"], "a reference's text"), src.link(f["url"], "a reference's url") if "url" in f else None)


def _parse_all_of_body(rel: str, lines: list[str], start: int, layout: tuple[SectionDef, ...], layout_name: str):
    """`_parse_body`, with every problem of the body found in one run: the line with a problem
    (or the figure block it is in) is left out and the body read again, until it reads; the
    problems are raised together."""
    lines = list(lines)
    problems: list[JsnaError] = []
    while True:
        try:
            parsed = _parse_body(rel, lines, start, layout, layout_name)
            break
        except JsnaErrors as exc:  # found once the whole body was read: nothing more to look for
            problems.extend(exc.errors)
            break
        except JsnaError as exc:
            again = bool(problems) and exc.position == problems[-1].position
            problems.append(exc)
            index = exc.position.line - 1
            if again or not start <= index < len(lines):
                break  # leaving lines out finds nothing more
            first, end = _around(lines, start, index)
            lines[first:end] = [""] * (end - first)
    if not problems:
        return parsed
    problems.sort(key=lambda e: (e.position.line, e.position.column))
    raise problems[0] if len(problems) == 1 else JsnaErrors(problems)


def _around(lines: list[str], start: int, index: int) -> tuple[int, int]:
    """The lines to leave out for a problem on line `index` (0-based): a heading with its
    section's lines (which would otherwise run into the section before, and be judged there), the
    figure block it is in, else the line itself."""
    headings = _headings(lines, start)
    if index in headings:
        return index, next((h for h in headings if h > index), len(lines))
    i = start
    while i <= index:
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        closing = _closing(lines, i, fence)
        end = len(lines) if closing is None else closing + 1
        if index < end:
            return (i, end) if fence["lang"] == "figure" and closing is not None else (index, index + 1)
        i = end
    return index, index + 1


def _headings(lines: list[str], start: int) -> list[int]:
    """The lines (0-based) of the body's headings, outside fenced blocks."""
    found, i = [], start
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence:
            closing = _closing(lines, i, fence)
            i = len(lines) if closing is None else closing + 1
            continue
        if lines[i].startswith("#") and _HEADING.match(lines[i]):
            found.append(i)
        i += 1
    return found


def _misplaced(lines: list[str], start: int, by_title: dict) -> dict[int, str]:
    """The section headings out of the layout's order (line, 0-based -> where each is, for the
    error): the fewest that leave the others in order (the rest are a longest increasing run of
    the sections' places in the layout), so that one heading put early is the one reported,
    not every heading after it."""
    placed = []  # (line, the section's place in the layout, its title)
    for i in _headings(lines, start):
        heading = _HEADING.match(lines[i])
        key = _normal(_SECTION_ATTR.sub("", heading["text"])) if heading["hashes"] == "##" else None
        if key in by_title:
            index, definition = by_title[key]
            placed.append((i, index, definition.title))
    longest = [1] * len(placed)  # the longest run in order ending at each heading
    before = [-1] * len(placed)
    for b in range(len(placed)):
        for a in range(b):
            if placed[a][1] < placed[b][1] and longest[a] + 1 > longest[b]:
                longest[b], before[b] = longest[a] + 1, a
    kept: list[int] = []
    at = longest.index(max(longest)) if placed else -1
    while at >= 0:
        kept.insert(0, at)
        at = before[at]
    out = {}
    for n, (line, index, _) in enumerate(placed):
        if n in kept:
            continue
        earlier = [placed[k] for k in kept if k < n and placed[k][1] > index]
        later = [placed[k] for k in kept if k > n and placed[k][1] < index]
        if earlier or later:  # else a section met again, which `_section_of` says as such
            out[line] = f"after '{earlier[-1][2]}'" if earlier else f"before '{later[0][2]}'"
    return out


def _first_content(section: Section) -> Position:
    """Where a section's first block starts (its first line with text, for a block of text)."""
    block = section.blocks[0]
    if isinstance(block, Text):
        blank = len(block.markdown) - len(block.markdown.lstrip())
        return Position(block.position.path, block.position.line + block.markdown[:blank].count("\n"), 1)
    return block.position


def _closing(lines: list[str], i: int, fence: re.Match) -> int | None:
    """The line closing the fenced block opened on line `i` (0-based), or None: it runs on to
    the end of the file."""
    marks = fence["fence"]
    return next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith(marks) and lines[j].strip().strip(marks[0]) == ""), None)


def _normal(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().rstrip("?.:!").strip().casefold()


def _parse_body(
    rel: str, lines: list[str], start: int, layout: tuple[SectionDef, ...], layout_name: str
) -> tuple[tuple[Block, ...], tuple[Section, ...], tuple[ChapterLink, ...], tuple[ValueRef, ...], tuple[ImageRef, ...]]:
    """Split the body into the intro and the layout's sections, each a run of blocks; links are
    checked and images collected on the way."""
    body = _Body(rel, lines, start, layout, layout_name)
    i = start
    while i < len(lines):
        _refuse_control(rel, i + 1, lines[i])
        fence = FENCE.match(lines[i])
        heading = _HEADING.match(lines[i])
        if fence:
            i = body.fenced(i, fence)
        elif heading and lines[i].startswith("#"):
            body.heading(i, heading)
            i += 1
        else:
            body.text(i)
            i += 1
    body.flush(len(lines) + 1)
    sections = body.sections()
    if body.problems:  # found without stopping the reading: every one of them, once
        raise JsnaErrors(body.problems)
    return tuple(body.intro), sections, tuple(body.links), tuple(body.values), body.addresses.images()


class _Body:
    """What `_parse_body` gathers as it reads a chapter's body, line by line: the blocks of the
    intro and of each section found, the links to chapters, the values and the images."""

    def __init__(self, rel: str, lines: list[str], start: int, layout: tuple[SectionDef, ...], layout_name: str):
        self.rel, self.lines, self.layout, self.layout_name = rel, lines, layout, layout_name
        self.by_title = {_normal(s.title): (index, s) for index, s in enumerate(layout)}
        self.found: dict[int, tuple[Section, list[Block]]] = {}
        self.intro: list[Block] = []
        self.current = self.intro
        self.links: list[ChapterLink] = []
        self.values: list[ValueRef] = []
        self.addresses = _Addresses(rel)
        self.text_lines: list[str] = []
        self.text_start = start + 1
        self.misplaced = _misplaced(lines, start, self.by_title)
        self.problems: list[JsnaError] = []

    def flush(self, next_line: int) -> None:
        """End the run of text so far (a block of its own), the next starting at `next_line`."""
        if self.text_lines:
            self.current.append(Text("\n".join(self.text_lines), Position(self.rel, self.text_start, 1)))
        self.text_lines = []
        self.text_start = next_line

    def fenced(self, i: int, fence) -> int:
        """A fenced block at line index `i`: a figure, or code kept as text. The index after it."""
        lines, rel = self.lines, self.rel
        closing = _closing(lines, i, fence)
        if fence["lang"] == "figure":
            if closing is None:
                raise JsnaError(Position(rel, i + 1, 1), f"expected a closing {fence['fence']} for the figure block, found the end of the file")
            self.flush(closing + 2)
            self.current.append(_figure(rel, i + 1, lines[i + 1 : closing]))
            return closing + 1
        end = len(lines) if closing is None else closing + 1
        for number in range(i + 1, end):
            _refuse_control(rel, number + 1, lines[number])
        self.text_lines.extend(lines[i:end])
        return end

    def heading(self, i: int, heading) -> None:
        """A section's `##` heading at line index `i`: one of the layout's, once, in its order."""
        rel, lineno, line = self.rel, i + 1, self.lines[i]
        if heading["hashes"] == "#":
            raise JsnaError(
                Position(rel, lineno, 1),
                f"expected '##' section headings (the chapter's title comes from its front matter), found '{line.strip()[:60]}'",
            )
        self.flush(lineno + 1)
        title_text = heading["text"]
        updated, left_empty = None, False
        attr = _SECTION_ATTR.search(title_text)
        if attr:
            title_text = title_text[: attr.start()]
            updated, left_empty = _section_attrs(rel, lineno, line, attr)
        index, definition = self._section_of(lineno, title_text)
        blocks: list[Block] = []
        self.found[index] = (Section(definition.id, definition.title, (), Position(rel, lineno, 1), updated, left_empty), blocks)
        self.current = blocks

    def _section_of(self, lineno: int, title_text: str) -> tuple[int, SectionDef]:
        key, layout, rel = _normal(title_text), self.layout, self.rel
        if key not in self.by_title:
            titles = [s.title for s in layout]
            raise JsnaError(
                Position(rel, lineno, 4),
                f"expected a section of the '{self.layout_name}' layout ({'; '.join(titles)}), found '{title_text}'{suggest(title_text, titles)}",
            )
        index, definition = self.by_title[key]
        if index in self.found:
            raise JsnaError(Position(rel, lineno, 4), f"expected each section once, found '{definition.title}' again")
        if lineno - 1 in self.misplaced:
            raise JsnaError(Position(rel, lineno, 4), f"expected sections in the layout's order, found '{definition.title}' "
                                                       f"{self.misplaced[lineno - 1]}")
        return index, definition

    def text(self, i: int) -> None:
        """A line of narrative: its links to chapters, its values and its images noted."""
        lineno, line = i + 1, self.lines[i]
        for m in _CHAPTER_LINK.finditer(line):
            target = m["target"]
            if "://" in target:
                continue
            stem = target.rsplit("/", 1)[-1][: -len(".md")]
            if stem == "index" and "/" in target:
                stem = target.rsplit("/", 2)[-2]
            self.links.append(ChapterLink(stem, Position(self.rel, lineno, m.start() + 3)))
        self.values.extend(_value_ref(self.rel, lineno, m) for m in VALUE.finditer(line))
        self.addresses.read(lineno, line)
        self.text_lines.append(line)

    def sections(self) -> tuple[Section, ...]:
        """Every section of the layout, in its order: as found, or empty."""
        sections = []
        for index, definition in enumerate(self.layout):
            if index in self.found:
                section, blocks = self.found[index]
                done = Section(section.id, section.title, tuple(blocks), section.position, section.last_updated, section.left_empty)
                if done.left_empty and not done.empty:
                    self.problems.append(JsnaError(_first_content(done), f"expected no content under '{section.title}', marked {{empty}}, "
                                                                          "found some: take {empty} off its heading"))
                sections.append(done)
            else:
                sections.append(Section(definition.id, definition.title, (), Position(self.rel, 1, 1)))
        return tuple(sections)


def _refuse_control(rel: str, lineno: int, line: str) -> None:
    control = control_problem(line)
    if control:
        raise JsnaError(Position(rel, lineno, control[0] + 1), f"expected text without control characters, found {control[1]}")


class _Addresses:
    """The links and images of a chapter's Markdown, line by line: each link is judged where it
    is written (a reference-style one where its `[label]: url` is); each image is collected, to
    be checked against the project's files."""

    def __init__(self, rel: str):
        self.rel = rel
        self.found: list[ImageRef] = []
        self.definitions: dict[str, ImageRef] = {}
        self.image_labels: set[str] = set()

    def read(self, lineno: int, line: str) -> None:
        line = _CODE_SPAN.sub(lambda m: " " * len(m[0]), line)
        definition = _REF_DEF.match(line)
        if definition:
            url = definition["url"].strip()
            if url.startswith("<"):  # a destination in angle brackets: what is inside them
                url = url[1:].partition(">")[0]
            self._judge(lineno, definition.start("url"), url, image=False)
            self.definitions[definition["label"].casefold()] = ImageRef(url, Position(self.rel, lineno, definition.start("url") + 1))
            return
        for m in _INLINE_DESTINATION.finditer(line):
            start = m.end()
            opening = line.rfind("[", 0, m.start())
            self._judge(lineno, start, _destination(line, start), image=opening > 0 and line[opening - 1] == "!")
        for m in _IMAGE_BY_LABEL.finditer(line):
            self.image_labels.add((m["label"] or m["alt"]).casefold())

    def _judge(self, lineno: int, start: int, url: str, image: bool) -> None:
        position = Position(self.rel, lineno, start + 1)
        if image:
            self.found.append(ImageRef(url, position))
            return
        problem = link_problem(url)
        if problem:
            raise JsnaError(position, f"expected a link starting http:, https:, mailto: or tel:, or a relative link, found {problem}")

    def images(self) -> tuple[ImageRef, ...]:
        """Every image: written inline, or through the label of a reference definition."""
        by_label = [self.definitions[label] for label in sorted(self.image_labels) if label in self.definitions]
        return tuple(self.found + by_label)


def _destination(line: str, start: int) -> str:
    """The text of an inline link's (destination "title") from start to its closing ')', without
    the '<' of a destination written in angle brackets."""
    depth, end = 0, len(line)
    for index in range(start, len(line)):
        if line[index] == "(":
            depth += 1
        elif line[index] == ")":
            if depth == 0:
                end = index
                break
            depth -= 1
    return line[start:end].lstrip().removeprefix("<")


def _image_errors(root: Path, folder: Path, chapter: Chapter) -> list[JsnaError]:
    """An error for each image of the chapter that is not an image file in its folder (`image_problem`)."""
    errors = []
    for image in chapter.images:
        problem = image_problem(image.src, folder, root)
        if problem:
            errors.append(JsnaError(image.position, f"expected an image as a relative path to an image file in the chapter's folder, found {problem}"))
    return errors


def _value_ref(rel: str, lineno: int, match: re.Match) -> ValueRef:
    """Parse `{{ id }}` or `{{ id: aspect argument }}` where the narrative asks for a number."""
    position = Position(rel, lineno, match.start() + 1)
    body = _VALUE_BODY.match(match["body"])
    if not body:
        raise JsnaError(position, f"expected {{{{ indicator-id }}}} or {{{{ indicator-id: aspect }}}}, found '{match[0]}'")
    aspect = body["aspect"] or "latest"
    if aspect not in VALUE_ASPECTS:
        raise JsnaError(position, f"expected an aspect ({', '.join(VALUE_ASPECTS)}), found '{aspect}'{suggest(aspect, VALUE_ASPECTS)}")
    needs = aspect in ("period", "compare", "rank", "range")
    if needs and not body["arg"]:
        what = {"period": "a period", "compare": "a comparator id"}.get(aspect, "a group id")
        raise JsnaError(position, f"expected {what} after '{aspect}', found nothing")
    if body["arg"] and not needs:
        raise JsnaError(position, f"expected nothing after '{aspect}', found '{body['arg']}'")
    return ValueRef(raw=match[0], indicator=body["id"], aspect=aspect, position=position, argument=body["arg"])


def _section_attrs(rel: str, lineno: int, line: str, attr: re.Match) -> tuple[dt.date | None, bool]:
    """A section heading's `{...}`: `last_updated=YYYY-MM-DD` and `empty` (left empty on
    purpose), either or both."""
    updated, left_empty = None, False
    for word in re.sub(r"\s*=\s*", "=", attr["attrs"]).split():
        name, _, value = word.partition("=")
        if name == "last_updated" and value:
            updated = _section_date(rel, lineno, line, value)
        elif word == "empty":
            left_empty = True
        else:
            raise JsnaError(Position(rel, lineno, line.index(word) + 1), f"expected 'last_updated=YYYY-MM-DD' or 'empty' in a heading's {{...}}, found '{word}'")
    return updated, left_empty


def _section_date(rel: str, lineno: int, line: str, text: str) -> dt.date:
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", text)
    try:
        if not m:
            raise ValueError
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise JsnaError(Position(rel, lineno, line.index(text) + 1), f"expected last_updated as a date YYYY-MM-DD, found '{text}'") from None


def _figure(rel: str, fence_line: int, body: list[str]) -> FigureRef:
    src = Source(rel, line_offset=fence_line)
    node = src.compose("\n".join(body))
    if node is None:
        raise JsnaError(Position(rel, fence_line, 1), "expected the figure's settings (indicator, type), found an empty figure block")
    many = src.text(src.fields(node, "a figure", ("type",), _FIGURE_FIELDS)["type"], "the chart type") in MANY_INDICATORS
    needed = ("indicators", "type") if many else ("indicator", "type")
    f = src.fields(node, "a figure", needed, tuple(n for n in _FIGURE_FIELDS if n not in needed))
    if many and "indicator" in f:
        raise src.error(f["indicator"], "expected 'indicators' (a list, one row each) on a spine chart, found 'indicator'")
    chart_type = src.text(f["type"], "the chart type")
    if chart_type not in CHART_TYPES:
        raise src.error(f["type"], f"expected a chart type ({', '.join(CHART_TYPES)}), found '{chart_type}'{suggest(chart_type, CHART_TYPES)}")
    indicators = _indicators(src, f["indicators"]) if many else ()
    if not many and "indicators" in f:
        raise src.error(f["indicators"], f"expected 'indicators' only on a {' or '.join(MANY_INDICATORS)} chart (one row per indicator), found it on a {chart_type} chart: name its one indicator with 'indicator'")
    series = None
    if "series" in f:
        node_s = f["series"]
        items = [node_s] if isinstance(node_s, yaml.ScalarNode) else src.sequence(node_s, "the series")
        series = tuple(src.text(item, "a series id") for item in items)
        if not series:
            raise src.error(node_s, "expected at least one series, found none")
    periods = None
    if "periods" in f:
        text = src.text(f["periods"], "the periods")
        parts = [p.strip() for p in re.split(r"\s+to\s+", text)]
        if len(parts) > 2 or not all(parts):
            raise src.error(f["periods"], f"expected one period or 'FIRST to LAST', found '{text}'")
        periods = (parts[0], parts[-1])
    return FigureRef(
        indicator=indicators[0] if many else src.text(f["indicator"], "the figure's indicator"),
        chart_type=chart_type,
        position=Position(rel, fence_line, 1),
        series=series,
        periods=periods,
        breakdown=src.text(f["breakdown"], "the breakdown") if "breakdown" in f else None,
        title=src.text(f["title"], "the figure's title") if "title" in f else None,
        fields=tuple((name, src.at(node)) for name, node in f.items()),
        group=src.text(f["group"], "the group of areas") if "group" in f else None,
        intervals=src.choice(f["intervals"], "intervals", ("true", "false")) == "true" if "intervals" in f else False,
        indicators=indicators,
        fill=src.choice(f["fill"], "the map's fill", ("comparison", "quintile")) if "fill" in f else None,
    )


_FIGURE_FIELDS = ("indicator", "indicators", "series", "periods", "breakdown", "title", "group", "intervals", "fill")


def _indicators(src: Source, node) -> tuple[str, ...]:
    """A spine's indicators: a list of at least one indicator id, each once."""
    items = src.sequence(node, "the indicators, one row each")
    ids = tuple(src.text(item, "an indicator id") for item in items)
    if not ids:
        raise src.error(node, "expected at least one indicator, found none")
    twice = next((i for n, i in enumerate(ids) if i in ids[:n]), None)
    if twice:
        raise src.error(node, f"expected each indicator once, found '{twice}' again")
    return ids
