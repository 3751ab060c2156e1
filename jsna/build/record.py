"""The record of a build into a folder (`.jsna-cache/builds/`): what its inputs hashed to and
what it wrote, so that a rebuild with nothing changed stops after hashing the inputs (it imports
neither matplotlib nor WeasyPrint, and touches nothing)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from jsna.build.store import code_version, digest
from jsna.errors import BuildWarning, Position
from jsna.project import input_files

_FIELDS = ("inputs", "files", "chapters", "figures", "pdfs", "count", "warnings")


def inputs_digest(root: Path, options: str, libraries: tuple[str, ...], known: dict | None = None) -> tuple[str, dict]:
    """Everything a build reads (`project.input_files`), the build's options and the libraries'
    versions, hashed; and each file's stat and digest, for the next build. A file whose size,
    modification and change times and inode are those `known` (from the last build's record) is
    not read again: its change time moves on any write, so a changed file is never missed (a
    50 MB data file costs its stat, not 0.13 s of hashing)."""
    parts: list[bytes | str] = [options, code_version((), libraries)]
    found: dict[str, list] = {}
    known = known or {}
    for path in input_files(root):
        name, stamp = str(path), _stamp(path)
        kept = known.get(name)
        if stamp is not None and isinstance(kept, list) and len(kept) == 2 and kept[0] == stamp:
            found[name] = kept
        else:
            found[name] = [stamp, digest(_contents(path, root.resolve()))]
        parts += [name, found[name][1]]
    return digest(*parts), found


def _stamp(path: Path) -> list[int] | None:
    """A file's size, modification and change times and inode; None for a link (always read:
    it is small) or a file that is not there."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if not os.path.isfile(path) or os.path.islink(path):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _contents(path: Path, root: Path) -> bytes:
    """A file's bytes; for a link, where it points, and the bytes there only if that is a file
    inside the project (a link out of it is never read: the build refuses it)."""
    link = b""
    if path.is_symlink():
        link = b"link to " + os.readlink(path).encode("utf-8", "surrogateescape") + b"\n"
        if not path.resolve().is_relative_to(root):
            return link
    try:
        return link + path.read_bytes()
    except OSError:
        return link + b"missing"


def folder_digest(folders: tuple[Path, ...], suffixes: tuple[str, ...]) -> str:
    """The files in `folders` with those suffixes (the templates, say), hashed with their paths."""
    parts: list[bytes | str] = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix in suffixes:
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def stat_tree(out: Path) -> dict[str, list[int]]:
    """Every file under `out` (its path from there) -> its `file_stamp`."""
    return {name: _stamp_of(entry.stat(follow_symlinks=False)) for name, entry in sorted(site_entries(str(out)))}


def site_entries(folder: str, prefix: str = "") -> list[tuple[str, os.DirEntry]]:
    """Every file, link or other entry that is no folder under `folder`, by its path from there."""
    found = []
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            found += site_entries(entry.path, f"{prefix}{entry.name}/")
        else:
            found.append((prefix + entry.name, entry))
    return found


def file_stamp(path: Path | str) -> list[int] | None:
    """A file's size, modification and change times and inode (None if it is not there): any
    write to it moves its change time, which no one can set back."""
    try:
        return _stamp_of(os.stat(path, follow_symlinks=False))
    except OSError:
        return None


def _stamp_of(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def read_record(path: Path) -> dict | None:
    """The record of the last build into a folder, or None if there is none or it is damaged
    (the build then goes on as if there were none)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and all(k in record for k in _FIELDS) else None


def unchanged(record: dict | None, stamp: str, out: Path) -> bool:
    """Whether the site in `out` is what a build of these inputs (`stamp`) would write."""
    return bool(record) and record["inputs"] == stamp and out.is_dir() and record["files"] == stat_tree(out)


def record_warnings(record: dict) -> tuple[BuildWarning, ...]:
    return tuple(BuildWarning(Position(*w[:3]), w[3]) for w in record["warnings"])


def write_record(path: Path, stamp: str, out: Path, counts: dict[str, int], warnings, digests: dict,
                 made: dict[str, list[str]]) -> None:
    """Keep the record of a finished build into `out` (with its inputs' `digests`, by path), and
    beside it, the files each piece `made` (by its key) with the stamps they have now, read by
    the next build that is not a no-change one (`read_made`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    files = stat_tree(out)
    _made_path(path).write_text(json.dumps({"files": files, "made": made}))
    path.write_text(json.dumps({
        "inputs": stamp, **counts, "digests": digests,
        "warnings": [[w.position.path, w.position.line, w.position.column, w.message] for w in warnings],
        "files": files,
    }))


def read_made(path: Path) -> dict:
    """What the last build's pieces wrote, {"files": stamps, "made": key -> paths}; empty if
    there is none or it is damaged (nothing is then linked from the last site)."""
    try:
        made = json.loads(_made_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return made if isinstance(made, dict) and isinstance(made.get("files"), dict) and isinstance(made.get("made"), dict) else {}


def _made_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-made.json")
