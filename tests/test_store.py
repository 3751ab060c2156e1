"""The cache from the user's side: a damaged, truncated or planted entry is made again and never
published or loaded; a damaged build record is ignored; unused entries are pruned."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest

from jsna.build.pipeline import build
from jsna.build.store import Store, user_key
from jsna.project import CACHE_DIR


@pytest.fixture(autouse=True)
def own_user_cache(tmp_path, monkeypatch):
    """Each test has its own user cache folder (the store's key lives there)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _entries(project: Path) -> list[Path]:
    return sorted(p for p in (project / CACHE_DIR / "pieces").rglob("*") if p.is_file() and not p.name.startswith("."))


def _touch_input(project: Path) -> None:
    """A change that makes the build read every kept piece again (not the no-change path)."""
    path = project / "chapters" / "other.md"
    path.write_text(path.read_text() + "\nOne more line.\n")


def _clean(project: Path, tmp_path: Path, pdf: bool) -> dict[str, bytes]:
    fresh = tmp_path / "fresh"
    build(project, fresh, pdf=pdf, workers=1, cache=False)
    return _tree(fresh)


@pytest.mark.parametrize("pdf", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_damaged_and_truncated_entries_are_made_again(project, tmp_path, pdf):
    out = project / "site"
    build(project, out, pdf=pdf, workers=1)
    entries = _entries(project)
    assert entries
    for index, path in enumerate(entries):
        data = path.read_bytes()
        if index % 3 == 0:
            path.write_bytes(data[: len(data) // 2])  # truncated
        elif index % 3 == 1:
            middle = len(data) // 2
            path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])  # one byte changed
        else:
            path.write_bytes(b"")  # emptied
    _touch_input(project)
    build(project, out, pdf=pdf, workers=1)
    assert _tree(out) == _clean(project, tmp_path, pdf)


def test_a_damaged_build_record_and_versions_file_are_ignored(project, tmp_path):
    out = project / "site"
    build(project, out, pdf=False, workers=1)
    for path in (project / CACHE_DIR / "builds").iterdir():
        path.write_text('{"inputs": ')
    (project / CACHE_DIR / "libraries.json").write_bytes(b"\x00\xff garbage")
    build(project, out, pdf=False, workers=1)
    assert _tree(out) == _clean(project, tmp_path, False)


class _Planted:
    """Unpickling this runs code: it creates the file named."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_entries_a_project_folder_ships_are_never_loaded(project, tmp_path):
    out = project / "site"
    build(project, out, pdf=False, workers=1)
    ran = tmp_path / "the-planted-code-ran"
    planted = pickle.dumps(_Planted(str(ran)))
    for index, path in enumerate(_entries(project)):
        # As the store of an earlier jsna wrote them (no seal), and with a seal under another key.
        other = Store(project / CACHE_DIR / "pieces", key=b"another user's key")
        if index % 2:
            path.write_bytes(planted)
        else:
            other.put(path.parent.name + path.name, planted)
    _touch_input(project)
    build(project, out, pdf=False, workers=1)
    assert not ran.exists()
    assert _tree(out) == _clean(project, tmp_path, False)


def test_the_key_is_kept_outside_the_project(project, tmp_path):
    key = user_key()
    assert key == user_key() and len(key) == 32
    kept = tmp_path / "user-cache" / "jsna" / "store-key"
    assert kept.is_file() and oct(kept.stat().st_mode & 0o777) == "0o600"
    build(project, project / "site", pdf=False, workers=1)
    assert not any(p.name == "store-key" for p in project.rglob("*"))


def test_entries_no_build_has_used_for_a_while_are_pruned(tmp_path):
    store = Store(tmp_path / "pieces")
    store.put("aa" + "0" * 62, b"old")
    store.put("bb" + "1" * 62, b"recent")
    old = time.time() - 40 * 86400
    os.utime(tmp_path / "pieces" / "aa" / ("0" * 62), (old, old))
    assert store.prune() == 1
    assert store.get("aa" + "0" * 62) is None and store.get("bb" + "1" * 62) == b"recent"
    store.put("cc" + "2" * 62, b"old too")
    os.utime(tmp_path / "pieces" / "cc" / ("2" * 62), (old, old))
    assert store.prune() == 0, "pruned at most once a day"


def test_an_entry_read_is_marked_as_used(tmp_path):
    store = Store(tmp_path / "pieces")
    store.put("dd" + "3" * 62, b"kept")
    path = tmp_path / "pieces" / "dd" / ("3" * 62)
    old = time.time() - 40 * 86400
    os.utime(path, (old, old))
    assert store.get("dd" + "3" * 62) == b"kept"
    assert time.time() - path.stat().st_mtime < 60
    assert store.prune() == 0
