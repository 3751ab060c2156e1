"""Where a JSNA project's pieces are: its templates (its own, then jsna's built-in ones) and its
build cache. Kept free of heavy imports: the no-change check of a rebuild reads only this."""

from __future__ import annotations

import os
from pathlib import Path

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CACHE_DIR = ".jsna-cache"
# What a project is made from (never inside a site folder, never replaced by one).
INPUTS = ("jsna.yaml", "indicators.yaml", "chapters", "templates")


def template_dirs(root: Path) -> tuple[Path, ...]:
    """The project's own templates/ first (to override), then the built-in ones."""
    own = root / "templates"
    dirs = [own] if own.is_dir() and own.resolve() != BUILTIN_TEMPLATES else []
    return tuple(dirs) + (BUILTIN_TEMPLATES,)


def user_cache() -> Path:
    """jsna's folder in the user's own cache (never in a project): what must not come from a
    project folder lives here (the store's key, Jinja2's compiled templates, which are code)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jsna"
