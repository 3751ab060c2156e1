"""A content-addressed store for built pieces (charts, PDFs, pages), so that nothing is drawn or
rendered again unless one of its inputs changed.

A key is a SHA-256 over everything a piece is made from: its data, its options, the stylesheets
and templates it uses, and the version of the code and libraries that make it. Entries are
written atomically (a temporary file, then `os.replace`), so an interrupted build never leaves a
half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from jsna import __version__
from jsna.build.code import closure, module_file


def digest(*parts: bytes | str) -> str:
    """SHA-256 over the parts, each length-prefixed so that ('ab', 'c') != ('a', 'bc')."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def code_version(modules: tuple[str, ...], libraries: tuple[str, ...] = ()) -> str:
    """A digest of jsna's version, the source of every jsna module the named ones can reach
    (`code.closure`: found by following their imports, never listed by hand) and the named
    libraries' installed versions."""
    reached = sorted({name for module in modules for name in closure(module)})
    parts: list[bytes | str] = [__version__]
    for name in reached:
        parts += [name, module_file(name).read_bytes()]
    parts += [_versions.get(library) or _installed(library) for library in libraries]
    return digest(*parts)


_versions: dict[str, str] = {}  # library -> 'name==version' (or 'name missing'), as remember_versions found it


def _installed(library: str) -> str:
    import importlib.metadata

    try:
        return f"{library}=={importlib.metadata.version(library)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{library} missing"


def remember_versions(libraries: tuple[str, ...], path: Path) -> None:
    """Look the libraries' versions up for this process's `code_version`, keeping them in `path`
    (JSON) with the modification times of the folders Python imports them from. While those are as
    they were (installing or removing a package changes its folder's), a later process takes the
    versions from there and need not import importlib.metadata (about 30 ms of a rebuild)."""
    folders = {}
    for folder in sys.path:  # those that hold installed distributions
        try:
            with os.scandir(folder or ".") as entries:
                if any(entry.name.endswith((".dist-info", ".egg-info")) for entry in entries):
                    folders[folder] = os.stat(folder or ".").st_mtime_ns
        except OSError:
            continue
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    if kept.get("folders") == folders and set(kept.get("versions", {})) >= set(libraries):
        _versions.update(kept["versions"])
        return
    found = {library: _installed(library) for library in libraries}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps({"folders": folders, "versions": found}, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)
    _versions.update(found)


class Store:
    """Blobs by key under one folder, two levels deep like git's objects. Paths are plain
    strings: a rebuild looks up some 2,000 pieces, and pathlib's objects cost more than the
    look-ups."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._root = str(folder)

    def _path(self, key: str) -> str:
        return os.path.join(self._root, key[:2], key[2:])

    def has(self, key: str) -> bool:
        return os.path.isfile(self._path(key))

    def get(self, key: str) -> bytes | None:
        try:
            with open(self._path(key), "rb") as file:
                return file.read()
        except FileNotFoundError:
            return None

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = os.path.join(os.path.dirname(path), f".{key[2:]}.{os.getpid()}")
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
