"""A content-addressed store for built pieces (charts, PDFs, pages), so that nothing is drawn or
rendered again unless one of its inputs changed.

A key is a SHA-256 over everything a piece is made from: its data, its options, the stylesheets
and templates it uses, and the version of the code and libraries that make it. Entries are
written atomically (a temporary file, then `os.replace`), so an interrupted build never leaves a
half-written entry.

Each entry carries an HMAC of its bytes under a key kept outside every project (`user_key`), and
is read back only if that checks: a damaged or truncated entry is made again, never published,
and an entry a project folder ships (some entries are pickles) is never loaded. Entries no build
has used for `KEEP_DAYS` days are pruned (`Store.prune`), so the cache holds what recent builds
used and no more.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import time
import json
import os
import sys
from pathlib import Path

from jsna import __version__
from jsna.build.code import closure, module_file
from jsna.project import user_cache


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
    parts: list[bytes | str] = [__version__, *(f"{name}={_source_digest(name)}" for name in reached)]
    parts += [_versions.get(library) or _installed(library) for library in libraries]
    return digest(*parts)


@functools.cache
def _source_digest(name: str) -> str:
    """A digest of one jsna module's source, read once a process."""
    return digest(module_file(name).read_bytes())


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


KEEP_DAYS = 30
_HEADER = b"jsna-store 1\n"
_TOUCH_AFTER = 86400  # seconds: an entry read is marked as used at most once a day


def user_key(home: Path | None = None) -> bytes:
    """The key entries are authenticated with, kept in the user's own cache folder (never in a
    project, so a project cannot ship entries that pass); made on first use. Where no such folder
    can be written, a key for this process alone: nothing kept is trusted then."""
    folder = home or user_cache()
    path = folder / "store-key"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    key = os.urandom(32)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".store-key.{os.getpid()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(key.hex())
        os.replace(temporary, path)
    except OSError:
        pass
    return key


class Store:
    """Blobs by key under one folder, two levels deep like git's objects, each kept with its
    HMAC (see the module's docstring). Paths are plain strings: a rebuild looks up some 2,000
    pieces, and pathlib's objects cost more than the look-ups."""

    def __init__(self, folder: Path, key: bytes | None = None):
        self.folder = folder
        self._root = str(folder)
        self._key = key if key is not None else user_key()

    def _path(self, key: str) -> str:
        return os.path.join(self._root, key[:2], key[2:])

    def _seal(self, data: bytes) -> bytes:
        return hmac.new(self._key, data, hashlib.sha256).digest()

    def has(self, key: str) -> bool:
        return os.path.isfile(self._path(key))

    def get(self, key: str) -> bytes | None:
        """The entry's bytes, or None if there is none or it does not check (then removed)."""
        path = self._path(key)
        try:
            with open(path, "rb") as file:
                blob = file.read()
                used = os.fstat(file.fileno()).st_mtime
        except (FileNotFoundError, IsADirectoryError):
            return None
        start = len(_HEADER) + 32
        data = blob[start:]
        if not (blob.startswith(_HEADER) and hmac.compare_digest(blob[len(_HEADER):start], self._seal(data))):
            _remove(path)
            return None
        if time.time() - used > _TOUCH_AFTER:
            os.utime(path)
        return data

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = os.path.join(os.path.dirname(path), f".{key[2:]}.{os.getpid()}")
        with open(temporary, "wb") as file:
            file.write(_HEADER + self._seal(data) + data)
        os.replace(temporary, path)

    def prune(self, days: float = KEEP_DAYS) -> int:
        """Remove the entries no build has used (read or written) for `days` days, and leftovers
        of interrupted writes; at most once a day. Returns how many were removed."""
        stamp = os.path.join(self._root, ".pruned")
        now = time.time()
        try:
            if now - os.stat(stamp).st_mtime < _TOUCH_AFTER:
                return 0
        except FileNotFoundError:
            pass
        removed = 0
        for folder in _subfolders(self._root):
            for entry in os.scandir(folder):
                if entry.is_file() and now - entry.stat().st_mtime > days * 86400:
                    removed += _remove(entry.path)
        os.makedirs(self._root, exist_ok=True)
        with open(stamp, "w", encoding="ascii") as file:
            file.write(f"{removed}\n")
        return removed


def _subfolders(root: str) -> list[str]:
    try:
        return [entry.path for entry in os.scandir(root) if entry.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        return []


def _remove(path: str) -> int:
    try:
        os.remove(path)
    except OSError:
        return 0
    return 1
