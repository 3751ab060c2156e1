"""Where a JSNA project's pieces are: its templates (its own, then jsna's built-in ones) and its
build cache. Kept free of heavy imports: the no-change check of a rebuild reads only this."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from jsna.errors import JsnaError, Position

_PACKAGE = Path(__file__).resolve().parent


def _carried(inside: str, checkout: Path) -> Path:
    """Where a piece the wheel carries is: inside the installed package (setup.py copies it
    there when the wheel is built), else in the checkout, its one source."""
    packaged = _PACKAGE / inside
    return packaged if packaged.is_dir() else checkout


BUILTIN_TEMPLATES = _carried("templates", _PACKAGE.parent / "templates")
# The example JSNA `jsna new --example` copies: these pieces of EXAMPLE.
EXAMPLE = _carried("example", _PACKAGE.parent)
EXAMPLE_PIECES = ("jsna.yaml", "indicators.yaml", "chapters", "data")
# In a wheel, not walked as part of jsna's code: the templates are listed as templates, the
# example is never read by a build.
_CARRIED_INSIDE = (_PACKAGE / "templates", _PACKAGE / "example")
CACHE_DIR = ".jsna-cache"
# What a project is made from (never inside a site folder, never replaced by one).
INPUTS = ("jsna.yaml", "indicators.yaml", "chapters", "templates", "data")
# The site's own folders: the stylesheet and script (templates/assets/), and the search index.
ASSETS_DIR = "assets"
SEARCH_DIR = "pagefind"


def template_dirs(root: Path) -> tuple[Path, ...]:
    """The project's own templates/ first (to override), then the built-in ones."""
    own = root / "templates"
    dirs = [own] if own.is_dir() and own.resolve() != BUILTIN_TEMPLATES else []
    return tuple(dirs) + (BUILTIN_TEMPLATES,)


def user_cache() -> Path:
    """jsna's folder in the user's own cache (never in a project): what must not come from a
    project folder lives here (the store's key, Jinja2's compiled templates, which are code)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jsna"


def input_files(root: Path) -> list[Path]:
    """Every file a build of `root` reads, in a fixed order: jsna.yaml, indicators.yaml, the
    logo, chapters/, data/ (the files indicators read values from), jsna's own code and the
    templates (the project's and the built-in ones).
    The build's no-change check hashes these, and `jsna serve` watches them: one list."""
    files = [root / "jsna.yaml", root / "indicators.yaml"]
    config = files[0].read_text(encoding="utf-8", errors="replace") if files[0].is_file() else ""
    logo = re.search(r"^logo:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", config, re.MULTILINE)
    if logo and _inside(root / logo.group(1), root):
        files.append(root / logo.group(1))
    for folder in (root / "chapters", root / "data", _PACKAGE, *template_dirs(root)):
        if folder.is_dir():
            files.extend(sorted(_files(folder)))
    return files


def _inside(path: Path, root: Path) -> bool:
    """Whether `path`, links followed, is inside `root` (a file outside is never read)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def _files(folder: Path):
    """The files below `folder`, and the links in it (never followed: the build refuses a link
    that leaves the project, so a link's coming or going must be seen)."""
    for entry in os.scandir(folder):
        if entry.name.startswith((".", "__pycache__")):
            continue
        if entry.is_symlink() or entry.is_file(follow_symlinks=False):
            yield Path(entry.path)
        elif entry.is_dir(follow_symlinks=False) and Path(entry.path) not in _CARRIED_INSIDE:
            yield from _files(Path(entry.path))


def source_date(environ: dict[str, str]) -> dt.date | None:
    """The date of SOURCE_DATE_EPOCH (UTC) when it is set: the build's one outside date."""
    raw = environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise JsnaError(
            Position("SOURCE_DATE_EPOCH"), f"expected a whole number of seconds since 1970, found '{raw}'"
        )
    return dt.datetime.fromtimestamp(int(raw), tz=dt.timezone.utc).date()
