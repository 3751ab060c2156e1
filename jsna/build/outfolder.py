"""Which folders a build may replace with a site. A build swaps its output folder for a new one,
so the folder must be one jsna may throw away: absent, empty, or a site jsna built (it carries
MARKER, or, for a site built before the marker existed, the build record jsna keeps for it).
Never the project, a folder holding it, or anything among its inputs. Checked before anything is
touched."""

from __future__ import annotations

import os
from pathlib import Path

from jsna.build.store import digest
from jsna.errors import JsnaError, Position
from jsna.project import CACHE_DIR, INPUTS

MARKER = ".jsna-site"
MARKER_TEXT = b"This folder is a site built by jsna. Each build replaces all of it: keep nothing else here.\n"


def build_record(root: Path, out: Path) -> Path:
    """Where the record of the last build of `out` from `root` is kept (jsna.build.pipeline writes it)."""
    return root / CACHE_DIR / "builds" / (digest(str(out.resolve())) + ".json")


def check_out(root: Path, out: Path) -> None:
    """Raise unless `out` is a folder a build of `root` may replace: see the module's docstring."""
    project, target = root.resolve(), out.resolve()
    where = Position(f"--out {out}")
    if target == project or target in project.parents:
        what = "the project folder" if target == project else "a folder that holds the project"
        raise JsnaError(where, f"expected a folder for the site apart from the project, found {what} ({target})")
    for name in (*INPUTS, CACHE_DIR):
        held = project / name
        if target == held or held in target.parents:
            raise JsnaError(where, f"expected a folder for the site outside the project's inputs, found one inside {name}")
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise JsnaError(where, f"expected a folder for the site, found a file ({target})")
    if (target / MARKER).is_file() or build_record(root, out).is_file() or not any(os.scandir(target)):
        return
    raise JsnaError(where, f"expected an empty folder or a site jsna built, found a folder of other files ({target}): "
                           "give a new or empty folder, or empty this one yourself")
