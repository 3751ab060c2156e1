"""`jsna new` and `jsna new-chapter`: a new JSNA folder that builds at once, and a new chapter
with the project's layout of sections. The files written come from jsna/scaffold/, with a few
`@NAME@` marks filled in; what `--area-code` fills in comes from jsna/scaffold/areas.csv (made
by scripts/make-areas.py from the published ONS and DfE files)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
from importlib import metadata
from pathlib import Path

from jsna import __version__
from jsna.errors import JsnaError, Position
from jsna.model import MARKERS
from jsna.project import EXAMPLE, EXAMPLE_PIECES
from jsna.schema import PROJECT_FOLDER, modeline, write_schemas

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
# The council a new JSNA is set up for when no --area-code is given (the example's own).
DEFAULT_AREA = "E06000055"
# What the Department for Education's symbols that jsna has no marker for mean.
_SYMBOLS = {"u": ": low reliability"}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def new_project(folder: Path, area_code: str | None = None, example: bool = False) -> list[str]:
    """Make a new JSNA in `folder` (absent or empty); the files written, relative to it."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise JsnaError(Position(str(folder)), "expected a new or empty folder for the new JSNA, found one with files in it")
    if example:
        _copy_example(folder)
        title = "Example Joint Strategic Needs Assessment"
    else:
        council = area(area_code or DEFAULT_AREA)
        _write_new(folder, council, area_code or DEFAULT_AREA)
        title = f"{council['name']} Joint Strategic Needs Assessment"
    marks = {"TITLE": title, "INSTALL": install_line(), "VERSION": __version__}
    _fill(folder / ".gitignore", "gitignore", {})
    _fill(folder / ".github/workflows/pages.yml", "pages.yml", marks)
    _fill(folder / "README.md", "README.md", marks)
    (folder / "data").mkdir(exist_ok=True)
    (folder / "data/.gitkeep").touch()
    write_schemas(folder / PROJECT_FOLDER)
    for name, schema in (("jsna.yaml", "jsna.schema.json"), ("indicators.yaml", "indicators.schema.json")):
        text = (folder / name).read_text(encoding="utf-8")
        if not text.startswith("# yaml-language-server:"):
            (folder / name).write_text(modeline(schema) + text, encoding="utf-8")
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _copy_example(folder: Path) -> None:
    """The example JSNA, as jsna carries it (in a wheel) or as the checkout holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    for piece in EXAMPLE_PIECES:
        origin = EXAMPLE / piece
        if origin.is_dir():
            shutil.copytree(origin, folder / piece, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        elif origin.is_file():
            shutil.copyfile(origin, folder / piece)


# The published files a new JSNA's file-backed indicator reads, copied from the example's data/.
DATA_FILES = ("dfe/b1_children_in_need_2013_to_2025.csv", "ons/ons_mid-year_population_estimates_2012_to_2024.csv")


def _write_new(folder: Path, council: dict[str, str], code: str) -> None:
    """jsna.yaml, indicators.yaml and one chapter, for `council` (a row of areas.csv)."""
    name = _yaml_text(council["name"])
    values = [f"      31 March {year}: {_value(council[year])}" for year in sorted(council) if year.isdigit() and council[year]]
    _fill(folder / "jsna.yaml", "jsna.yaml", {
        "TITLE": _yaml_text(f"{council['name']} Joint Strategic Needs Assessment"),
        "ORGANISATION": _yaml_text(f"{council['name']} public health team"),
        "AREA": name,
    })
    _fill(folder / "indicators.yaml", "indicators.yaml", {"AREA": name, "CODE": code, "VALUES": "\n".join(values)})
    for published in DATA_FILES:  # what its file-backed indicator reads, as published
        (folder / "data" / published).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE / "data" / published, folder / "data" / published)
    figure = "```figure\nindicator: children-in-need\ntype: line\n```"
    rate = "```figure\nindicator: children-in-need-rate\ntype: line\n```"
    level = (
        f"{{{{ children-in-need }}}} children were in need in {council['name']} at "
        f"{{{{ children-in-need: latest-period }}}}, {{{{ children-in-need: change }}}}.\n\n{figure}\n\n"
        f"That is {{{{ children-in-need-rate }}}}, read from the published files in data/.\n\n{rate}\n"
    )
    write_chapter(folder, "children-in-need", "Children in need", "Children and young people",
                  "Children in need of help and protection in " + council["name"] + ".",
                  {"level-of-need": level})


def write_chapter(root: Path, slug: str, title: str, theme: str, summary: str,
                  texts: dict[str, str] | None = None, layout: str | None = None) -> Path:
    """A new chapter chapters/SLUG.md with every section of the project's layout (a section
    id in `texts` gets that text); refused if the slug is not one or the chapter exists."""
    from jsna.load.site import load_config

    if not _SLUG.match(slug):
        raise JsnaError(Position(f"chapters/{slug}.md"), f"expected a chapter slug of lower-case letters, digits and hyphens, found '{slug}'")
    path = root / "chapters" / f"{slug}.md"
    if path.exists() or (root / "chapters" / slug).exists():
        raise JsnaError(Position(f"chapters/{slug}.md"), f"expected a new chapter, found chapter '{slug}' already there")
    config = load_config(root)
    name = layout or config.default_layout
    if name not in dict(config.layouts):
        raise JsnaError(Position("jsna.yaml"), f"expected a layout of jsna.yaml ({', '.join(dict(config.layouts))}), found '{name}'")
    texts = texts or {}
    sections = "\n".join(f"## {s.title}\n\n{texts[s.id]}" if s.id in texts else f"## {s.title} {{empty}}\n" for s in config.layout(name))
    marks = {
        "TITLE": _yaml_text(title), "SUMMARY": _yaml_text(summary), "THEME": _yaml_text(theme),
        "DATE": _today().isoformat(), "INTRO": "", "SECTIONS": sections,
    }
    text = _template("chapter.md", marks)
    if layout:
        text = text.replace(f"\nlast_updated:", f"\nlayout: {layout}\nlast_updated:", 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n", encoding="utf-8")
    return path


def install_line() -> str:
    """What `pip install` needs to install this jsna again elsewhere (a CI runner): where it
    came from, as its PEP 610 direct_url.json records (a git commit, a wheel's address), else
    its name and version."""
    pinned = f"jsna=={__version__}"
    try:
        recorded = metadata.distribution("jsna").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return pinned
    if not recorded:
        return pinned
    origin = json.loads(recorded)
    url = origin.get("url", "")
    vcs = origin.get("vcs_info")
    if vcs and not url.startswith("file:"):
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        return f"'jsna @ {vcs['vcs']}+{url}{'@' + commit if commit else ''}'"
    if url.startswith(("https:", "http:")):
        return f"'jsna @ {url}'"
    return pinned  # a folder or file on this machine: a CI runner cannot reach it


def area(code: str) -> dict[str, str]:
    """A council's name and published counts (areas.csv), by its ONS code."""
    with open(SCAFFOLD / "areas.csv", newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["code"] == code:
                return row
    raise JsnaError(Position("--area-code"), f"expected the ONS code of an English county or unitary authority (2023), such as E06000055, found '{code}'")


def _value(cell: str) -> str:
    """A published cell as a value: a count, or c, x, z as published; DfE's 'u' (low
    reliability, no figure given) is missing, with a note saying so."""
    if cell.isdigit() or cell in MARKERS:
        return cell
    return f'{{value: null, note: "published as \'{cell}\'{_SYMBOLS.get(cell, "")}"}}'


def _fill(path: Path, name: str, marks: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_template(name, marks), encoding="utf-8")


def _template(name: str, marks: dict[str, str]) -> str:
    """A file of jsna/scaffold/ with its `@NAME@` marks filled in."""
    text = (SCAFFOLD / name).read_text(encoding="utf-8")
    return re.sub(r"@([A-Z_]+)@", lambda m: marks.get(m[1], m[0]), text)


def _yaml_text(text: str) -> str:
    """text as a YAML scalar: plain where that reads back as the same text, else quoted."""
    plain = re.fullmatch(r"[A-Za-z][\w .,()'&-]*", text) and not re.search(r"(: | #)", text)
    return text if plain else json.dumps(text, ensure_ascii=False)


def _today() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's day where that is set (reproducible scaffolds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()
