"""Render HTML: Markdown sections with their figures, chapter pages, the print version of each
chapter (the PDF's source) and the index. Pure: views in, `{path: text}` out.
"""

from __future__ import annotations

import functools

import re
import sys
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from jsna.errors import JsnaError, Position
from jsna.load.chapters import VALUE
from jsna.load.safety import decode, inside, link_problem, not_relative
from jsna.project import BUILTIN_TEMPLATES
from jsna.render.compendium import COMPENDIUM, compendium_order
from jsna.compute.views import ChapterView, FigureView
from jsna.model import Chapter, FigureRef, Site, Text
from jsna.numbers import format_bytes, format_date

_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class PdfInfo:
    """What the web page says about a chapter's PDF download."""

    size: int
    pages: int

    @property
    def label(self) -> str:
        pages = "1 page" if self.pages == 1 else f"{self.pages} pages"
        return f"PDF, {format_bytes(self.size)}, {pages}"


def environment(dirs: tuple[Path, ...], compiled: Path | None = None) -> jinja2.Environment:
    """Autoescaping on, undefined names an error: text from YAML is never trusted as HTML.
    Templates run in Jinja2's sandbox: a project's own template can show what it is given but
    not reach Python's internals. `compiled`: a folder where Jinja2 keeps the templates it has
    compiled (its own bytecode cache, checked against each template's source), so that a
    rebuild does not compile them all again (some 0.07 s)."""
    return _Environment(
        loader=_Templates([str(d) for d in dirs]),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


class _Templates(jinja2.FileSystemLoader):
    """Templates as FileSystemLoader finds them, read as UTF-8 (an error names the line and
    column otherwise); one that is a link to a file outside the project is not read."""

    def get_source(self, environment, template):
        path = next((p for p in (Path(d, *split_template_path(template)) for d in self.searchpath) if p.is_file()), None)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        folder, name = self.folder(str(path)), self.name(str(path))
        if not inside(folder if folder == BUILTIN_TEMPLATES else folder.parent, path):
            raise JsnaError(Position(name), "expected a template inside the project, found a link to a file outside it")
        mtime = path.stat().st_mtime
        return decode(name, path.read_bytes()), str(path), lambda: path.is_file() and path.stat().st_mtime == mtime

    def folder(self, filename: str) -> Path | None:
        """The templates folder a template file was found in (None: not a template)."""
        return next((Path(d) for d in self.searchpath if Path(filename).is_relative_to(d)), None)

    def name(self, filename: str) -> str:
        """How errors name a template: `templates/x.html` for the project's own, the full path
        for a built-in one."""
        folder = self.folder(filename)
        if folder == BUILTIN_TEMPLATES:
            return filename
        return f"templates/{Path(filename).relative_to(folder).as_posix()}"


class _Environment(ImmutableSandboxedEnvironment):
    """Jinja2's sandbox, every error in a template one JsnaError at its file and line."""

    def handle_exception(self, source: str | None = None):
        if isinstance(sys.exc_info()[1], JsnaError):
            raise sys.exc_info()[1]
        try:
            super().handle_exception(source)
        except Exception as exc:  # rewritten by Jinja2: its traceback runs through the templates' lines
            raise JsnaError(self._position(exc), _template_problem(exc)) from None

    def _position(self, exc: Exception) -> Position:
        """The template file and line an error was raised at: the innermost template in the
        traceback (Jinja2 puts each template's file and line there)."""
        if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
            return Position(self.loader.name(exc.filename), exc.lineno)
        place = Position("templates")
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if self.loader.folder(filename):
                place = Position(self.loader.name(filename), tb.tb_lineno)
            tb = tb.tb_next
        return place


def _template_problem(exc: Exception) -> str:
    """What went wrong in a template, as 'expected ..., found ...'."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"expected a well-formed Jinja2 template, found a syntax error: {exc.message}"
    if isinstance(exc, SecurityError):
        return f"expected a template that only shows what it is given, found what Jinja2's sandbox refuses: {exc}"
    if isinstance(exc, jinja2.UndefinedError):
        return f"expected only names the template is given, found {exc.message}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"expected a template that exists, found no template '{exc.name}'"
    return f"expected a template that renders, found {type(exc).__name__}: {exc}"


def slugify(text: str) -> str:
    return _SLUG_CHARS.sub("-", text.casefold()).strip("-") or "section"


# Markdown ---------------------------------------------------------------------------------


class _Links(Treeprocessor):
    """Point links to chapter files at their pages; give sub-headings ids within the section.
    A link or image the loader should have refused (javascript:, an image from another host)
    loses its address rather than reach the page."""

    def __init__(self, md, prefix: str, chapter_href: dict[str, str]):
        super().__init__(md)
        self.prefix = prefix
        self.chapter_href = chapter_href

    def run(self, root: etree.Element) -> None:
        used: set[str] = set()
        for element in root.iter():
            if element.tag == "a":
                href = element.get("href", "")
                target = href.split("#", 1)[0]
                if target.endswith(".md") and "://" not in target:
                    stem = target.rsplit("/", 1)[-1][: -len(".md")]
                    if stem == "index" and "/" in target:
                        stem = target.rsplit("/", 2)[-2]
                    fragment = href[len(target):]
                    element.set("href", self.chapter_href[stem] + fragment)
                elif link_problem(href):
                    del element.attrib["href"]
            elif element.tag == "img" and not_relative(element.get("src", "")):
                del element.attrib["src"]
            elif element.tag in ("h3", "h4", "h5", "h6"):
                base = f"{self.prefix}-{slugify(''.join(element.itertext()))}"
                anchor, n = base, 2
                while anchor in used:
                    anchor, n = f"{base}-{n}", n + 1
                used.add(anchor)
                element.set("id", anchor)


_FIGURE_MARK = "\u2063jsna-figure-{}\u2063"


class _Figures(Preprocessor):
    """Swap each figure's marker line for its HTML, stashed so Markdown leaves it whole."""

    def __init__(self, md, figures: dict[int, str]):
        super().__init__(md)
        self.figures = figures

    def run(self, lines: list[str]) -> list[str]:
        marks = {_FIGURE_MARK.format(n): html for n, html in self.figures.items()}
        return [self.md.htmlStash.store(marks[line]) if line in marks else line for line in lines]


class _Values(InlineProcessor):
    """Put the computed words and number where the narrative asks `{{ id: aspect }}`."""

    def __init__(self, md, values: dict[str, str]):
        super().__init__(VALUE.pattern, md)
        self.values = values

    def handleMatch(self, m, data):
        """The value, or the text as it is where the loader found code, not a value (a fence
        left open to the end of its section, say)."""
        if m.group(0) not in self.values:
            return None, None, None
        element = etree.Element("span", {"class": "data-value"})
        element.text = AtomicString(self.values[m.group(0)])
        return element, m.start(0), m.end(0)


class _JsnaMarkdown(Extension):
    """Raw HTML in chapters is shown as text, never passed through; figures, links and ids.
    Made once a process (`_parser`): `use` gives it each document's own."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        self.figures, self.values, self.links = _Figures(md, {}), _Values(md, {}), _Links(md, "", {})
        md.preprocessors.register(self.figures, "jsna-figures", 25)
        md.inlinePatterns.register(self.values, "jsna-values", 185)
        md.treeprocessors.register(self.links, "jsna-links", 1)

    def use(self, prefix: str, chapter_href: dict[str, str], figures: dict[int, str], values: dict[str, str]) -> None:
        self.figures.figures, self.values.values = figures, values
        self.links.prefix, self.links.chapter_href = prefix, chapter_href


@functools.cache
def _parser() -> tuple[markdown.Markdown, _JsnaMarkdown]:
    """The Markdown parser, made once a process and reset for each document: making one costs
    about 2.5 ms, and a chapter renders each of its sections twice (for its page and its PDF)."""
    jsna = _JsnaMarkdown()
    # Extensions given as objects, not names: a name is first looked for among the installed
    # packages' entry points, which costs importing importlib.metadata and reading them all.
    md = markdown.Markdown(
        extensions=[TableExtension(), SaneListExtension(), AbbrExtension(), FootnoteExtension(), FencedCodeExtension(), jsna],
        output_format="html",
    )
    return md, jsna


def render_blocks(
    blocks, figures: dict[int, str], prefix: str, chapter_href: dict[str, str], first_figure: int,
    values: dict[str, str],
) -> Markup:
    """Markdown text runs with figures' HTML placed between them, as one document."""
    parts = []
    placed: dict[int, str] = {}
    number = first_figure
    for block in blocks:
        if isinstance(block, Text):
            parts.append(block.markdown)
        else:
            parts.append(_FIGURE_MARK.format(number))
            placed[number] = figures[number]
            number += 1
    md, jsna = _parser()
    md.reset()
    jsna.use(prefix, chapter_href, placed, values)
    try:
        return Markup(md.convert("\n\n".join(parts)))
    except BaseException as exc:
        _parser.cache_clear()  # a parse cut short leaves its state behind: the next document gets a new parser
        if not isinstance(exc, RecursionError):
            raise
        where = next((b.position for b in blocks if isinstance(b, Text)), Position("chapters"))
        raise JsnaError(where, "expected lists and quotes nested a few levels deep, found them nested too deep to render") from None


# Pages ------------------------------------------------------------------------------------


def _figure_html(env: jinja2.Environment, figure: FigureView, template: str) -> str:
    return env.get_template(template).render(figure=figure)


def chapter_page(env, site: Site, view: ChapterView) -> dict:
    """Everything a chapter template shows, computed and formatted before the template."""
    chapter = view.chapter
    titles = {c.slug: c.title for c in site.chapters}
    chapter_href = {slug: f"../{slug}/index.html" for slug in titles}
    web_figures = {f.number: _figure_html(env, f, "figure.html") for f in view.figures}
    pdf_figures = {f.number: _figure_html(env, f, "figure_pdf.html") for f in view.figures}
    values = dict(view.values)
    number = 1

    def both(blocks, prefix):
        nonlocal number
        start = number
        number += sum(1 for b in blocks if isinstance(b, FigureRef))
        return (
            render_blocks(blocks, web_figures, prefix, chapter_href, start, values),
            render_blocks(blocks, pdf_figures, prefix, chapter_href, start, values),
        )

    intro_html, intro_pdf = both(chapter.intro, "intro")
    sections = []
    for section in chapter.sections:
        html, pdf_html = both(section.blocks, section.id)
        sections.append(
            {
                "id": section.id,
                "title": section.title,
                "empty": section.empty,
                "html": html,
                "pdf_html": pdf_html,
                "last_updated": format_date(section.last_updated) if section.last_updated else None,
                "last_updated_iso": section.last_updated.isoformat() if section.last_updated else None,
            }
        )
    return {
        "slug": chapter.slug,
        "title": chapter.title,
        "summary": chapter.summary,
        "theme": chapter.theme,
        "theme_id": slugify(chapter.theme),
        "area": chapter.area,
        "keywords": ", ".join(dict.fromkeys(["JSNA", chapter.theme, chapter.title, chapter.area])),
        "last_updated": format_date(chapter.last_updated),
        "last_updated_iso": chapter.last_updated.isoformat(),
        "next_review": format_date(chapter.next_review) if chapter.next_review else None,
        "next_review_iso": chapter.next_review.isoformat() if chapter.next_review else None,
        "contact": chapter.key_contact,
        "related": [{"title": titles[s], "href": chapter_href[s]} for s in chapter.related],
        "references": chapter.references,
        "intro_html": intro_html,
        "intro_pdf": intro_pdf,
        "sections": sections,
        "headline": view.headline,
        "sources": view.sources,
    }


def render_chapter(env, site: Site, page: dict, pdf: PdfInfo | None) -> str:
    """The chapter's web page; `pdf` is None when no PDF was made (no download link)."""
    return env.get_template("chapter.html").render(
        site=site.config,
        page=page,
        pdf={"href": f"{page['slug']}.pdf", "label": pdf.label} if pdf else None,
        headline=page["headline"],
        root="../",
        page_title=f"{page['title']}: {site.config.title}",
        description=page["summary"],
    )


def render_chapter_print(env, site: Site, page: dict, pdf_css: str) -> str:
    """The HTML WeasyPrint turns into the chapter's PDF."""
    return env.get_template("chapter_pdf.html").render(
        site=site.config, page={**page, "intro_html": page["intro_pdf"]}, pdf_css=Markup(pdf_css), part=False
    )


def render_index(env, site: Site, pdfs: dict[str, PdfInfo | None], compendium: PdfInfo | None = None) -> str:
    """The index: chapters by theme (in the compendium's order), each with its PDF; and the
    compendium, when one was made."""
    by_slug = {c.slug: c for c in site.chapters}
    themes: dict[str, list[Chapter]] = {}
    for slug in compendium_order(site):
        themes.setdefault(by_slug[slug].theme, []).append(by_slug[slug])
    return env.get_template("index.html").render(
        site=site.config,
        compendium={"href": COMPENDIUM, "label": compendium.label} if compendium else None,
        root="",
        page_title=site.config.title,
        description=f"Joint Strategic Needs Assessment chapters for {site.config.area}",
        themes=[
            {
                "id": slugify(theme),
                "name": theme,
                "chapters": [
                    {
                        "title": c.title,
                        "summary": c.summary,
                        "area": c.area,
                        "href": f"{c.slug}/index.html",
                        "last_updated": format_date(c.last_updated),
                        "last_updated_iso": c.last_updated.isoformat(),
                        "pdf_href": f"{c.slug}/{c.slug}.pdf" if c.slug in pdfs else None,
                        "pdf_label": pdfs[c.slug].label if pdfs.get(c.slug) else None,
                    }
                    for c in chapters
                ],
            }
            for theme, chapters in themes.items()
        ],
    )
