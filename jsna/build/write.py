"""Write the built site: into a temporary folder beside the target, then swap it in, so a
failed build never leaves a half-written site and the previous good site stays as it was.

A file whose bytes are those of the same file in the previous site is hard-linked from it rather
than written again (writing is what a rebuild after a small change would otherwise spend most on);
the swap then retires the previous folder, and the linked files live on in the new one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

from jsna.errors import JsnaError, Position


class Staging:
    """A site being written: files go into a folder beside `out` as they are made (`put`), and
    the folder replaces `out` only when the build is complete (`swap`); `abort` removes it,
    leaving the previous site exactly as it was."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.out)
        self.folder = self.out.parent / f".{self.out.name}.building-{os.getpid()}"
        self.folder.mkdir()
        # Paths as strings: a rebuild links some 2,000 kept files, and pathlib's objects cost
        # more than the links.
        self._before, self._into = str(self.out), str(self.folder)
        self._folders: set[str] = {self._into}
        self.written: set[str] = set()

    def previous(self, name: str) -> str:
        """Where the previous site has the file `name`."""
        return os.path.join(self._before, name)

    def put(self, files: dict[str, bytes]) -> None:
        """Write `files` (relative path -> bytes); a path written twice is an error."""
        for name in sorted(files):
            path = self._claim(name)
            if not _link_if_same(self.previous(name), path, files[name]):
                with open(path, "wb") as file:
                    file.write(files[name])

    def keep(self, names: list[str]) -> bool:
        """Hard-link the previous site's files `names` into the new one as they are; False
        (and none kept) if that cannot be done."""
        done = []
        try:
            for name in names:
                path = self._claim(name)
                done.append(path)
                os.link(self.previous(name), path)
        except OSError:
            for path in done:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            self.written.difference_update(names)
            return False
        return True

    def _claim(self, name: str) -> str:
        """The path `name` is written to, its folder made; a path written twice is an error."""
        if name in self.written:
            raise JsnaError(Position(name), f"expected one output per path, found '{name}' written twice")
        self.written.add(name)
        path = os.path.join(self._into, name)
        parent = os.path.dirname(path)
        if parent not in self._folders:
            os.makedirs(parent, exist_ok=True)
            self._folders.add(parent)
        return path

    def swap(self) -> None:
        """Replace `out` with the written folder."""
        retired = self.out.parent / f".{self.out.name}.previous-{os.getpid()}"
        if self.out.exists():
            os.replace(self.out, retired)
        try:
            os.replace(self.folder, self.out)
        except BaseException:
            if retired.exists():
                os.replace(retired, self.out)
            raise
        shutil.rmtree(retired, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class Outputs:
    """Which piece (by its key) wrote which of the site's files, in this build (`made`) and the
    last (`last`: record.read_made): a kept piece whose files the last build wrote, and which are as it
    left them (the same size, times and inode), has them linked into the new site without being
    read from the cache (`reuse`)."""

    def __init__(self, last: dict, staging: Staging):
        self.staging = staging
        self.before: dict[str, list[str]] = last.get("made", {})
        self.stamps: dict[str, list[int]] = last.get("files", {})
        self.made: dict[str, list[str]] = {}

    def wrote(self, key: str, files: dict[str, bytes]) -> None:
        self.staging.put(files)
        self.made[key] = sorted(files)

    def reuse(self, target, key: str) -> bool:
        from jsna.build.record import file_stamp

        names = self.before.get(key)  # [] for a piece that wrote no files (a chapter's view without data files)
        if names is None or any(file_stamp(self.staging.previous(name)) != self.stamps.get(name) for name in names):
            return False
        if not self.staging.keep(names):
            return False
        self.made[key] = names
        return True


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Replace the folder `out` with exactly `files` (relative path -> bytes), all at once."""
    staging = Staging(out)
    try:
        staging.put(files)
        staging.swap()
    except BaseException:
        staging.abort()
        raise


def remove_leftovers(out: Path) -> None:
    """Remove the staging and retired folders that builds into `out` left when they were killed
    (named by `Staging`, with the build's process id; a build still running keeps its own)."""
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


def _link_if_same(previous: str, path: str, data: bytes) -> bool:
    """Hard-link `previous` to `path` if it holds exactly `data`; False if not (or if it cannot)."""
    try:
        if os.stat(previous).st_size != len(data):
            return False
        with open(previous, "rb") as file:
            if file.read() != data:
                return False
        os.link(previous, path)
    except OSError:  # no previous file, or a file system without hard links
        return False
    return True
