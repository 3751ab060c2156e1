"""Which folders a build may replace with a site. A build swaps its output folder for a new one,
so the folder must be one jsna may throw away: absent, empty, or a site jsna built (it carries
MARKER, or, for a site built before the marker existed, the build record jsna keeps for it).
Never the project, a folder holding it, or anything among its inputs. Checked before anything is
touched."""

from __future__ import annotations

import os
from pathlib import Path

from jsna.build.record import site_entries
from jsna.build.store import digest
from jsna.errors import JsnaError, JsnaErrors, Position
from jsna.project import CACHE_DIR, INPUTS

MARKER = ".jsna-site"
_MARKER_HEAD = ("This folder is a site built by jsna. Each build replaces all of it: keep nothing else here.\n"
                "A build stops rather than delete a file that is not one of these, the files the last build made:\n\n")


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


def marker(names) -> bytes:
    """The marker of a site whose files are `names` (paths from its top): it lists them, so that
    the next build finds any file put there since (`check_added`)."""
    return (_MARKER_HEAD + "".join(f"{name}\n" for name in sorted(names))).encode("utf-8")


def check_added(out: Path) -> None:
    """Raise, one line for each, if `out` holds files that its last build did not make (its
    marker lists those it did): the build that replaces the folder would delete them. A site
    whose marker lists nothing (built before markers listed files) is replaced as it is."""
    try:
        text = (out / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    head, listed, names = text.partition("\n\n")
    if not listed or not head.startswith(_MARKER_HEAD.partition("\n")[0]):
        return
    made = set(names.splitlines()) | {MARKER}
    added = sorted(name for name, _ in site_entries(str(out)) if name not in made)
    if added:
        raise JsnaErrors([JsnaError(Position(str(out / name)), f"expected only the files jsna made in the site folder, "
                                    f"found '{name}', which it did not make: a build replaces the whole folder, so move the file "
                                    "out of it (or delete it yourself) and build again") for name in added])
