"""Write the built site: into a temporary folder beside the target, then swap it in, so a
failed build never leaves a half-written site and the previous good site stays as it was.

A file whose bytes are those of the same file in the previous site is hard-linked from it rather
than written again (writing is what a rebuild after a small change would otherwise spend most on);
the swap then retires the previous folder, and the linked files live on in the new one.
"""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable


def write_site(
    files: dict[str, bytes],
    out: Path,
    before_swap: Callable[[Path], None] | None = None,
    later: Callable[[], dict[str, bytes]] | None = None,
    reads: Callable[[str], bool] = lambda name: True,
) -> None:
    """Replace the folder `out` with exactly `files` (relative path -> bytes); `before_swap`, if
    given, may add to the written folder (the search index) before it replaces `out`; `later`,
    if given, gives more files once that is done (charts and PDFs still being made meanwhile),
    which may replace files written before it (a page written for the search index as it would
    be, now written as it is). The files `before_swap` reads (`reads(name)`) are written first,
    and it runs (in a thread) while the others are written."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    retired = out.parent / f".{out.name}.previous-{os.getpid()}"
    remove_leftovers(out)
    folders: set[Path] = set()
    written: set[str] = set()

    def put(files: dict[str, bytes]) -> None:
        for name in sorted(files):
            path = staging / name
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            if name in written:  # it may be a link to the previous site's file: never write through
                path.unlink()
            written.add(name)
            if not _link_if_same(out / name, path, files[name]):
                path.write_bytes(files[name])

    try:
        put({name: data for name, data in files.items() if reads(name)})
        with ThreadPoolExecutor(max_workers=1) as thread:
            adding = thread.submit(before_swap, staging) if before_swap is not None else None
            put({name: data for name, data in files.items() if not reads(name)})
            if adding is not None:
                adding.result()
        if later is not None:
            put(later())
        if out.exists():
            os.replace(out, retired)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out.exists():
            os.replace(retired, out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def remove_leftovers(out: Path) -> None:
    """Remove the staging and retired folders that builds into `out` left when they were killed
    (named by `write_site`, with the build's process id; a build still running keeps its own)."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:building|previous)-(\d+)")
    for entry in os.scandir(out.parent):
        found = pattern.fullmatch(entry.name)
        if found and entry.is_dir(follow_symlinks=False) and not _running(int(found[1])):
            shutil.rmtree(entry.path, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether process `pid` is running (this process counts: its own leftovers are removed by
    `write_site` itself)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _link_if_same(previous: Path, path: Path, data: bytes) -> bool:
    """Hard-link `previous` to `path` if it holds exactly `data`; False if not (or if it cannot)."""
    try:
        if previous.stat().st_size != len(data) or previous.read_bytes() != data:
            return False
        os.link(previous, path)
    except OSError:  # no previous file, or a file system without hard links
        return False
    return True
