"""The no-change check: an input file is read again only when its stat says it may have changed,
and a change is never missed, even one that keeps the file's size and modification time."""

from __future__ import annotations

import os

from jsna.build import record
from jsna.build.pipeline import build


def test_an_unchanged_file_is_not_read_again(project, monkeypatch):
    out = project / "site"
    build(project, out, pdf=False, workers=1)
    read = []
    contents = record._contents
    monkeypatch.setattr(record, "_contents", lambda path, root: read.append(path.name) or contents(path, root))
    again = build(project, out, pdf=False, workers=1)
    assert again.unchanged and read == []


def test_a_change_that_keeps_size_and_modification_time_is_seen(project, tmp_path):
    out = project / "site"
    build(project, out, pdf=False, workers=1)
    chapter = project / "chapters" / "other.md"
    before = os.stat(chapter)
    chapter.write_text(chapter.read_text().replace("Back to", "Bake to"))
    os.utime(chapter, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(chapter).st_size == before.st_size and os.stat(chapter).st_mtime_ns == before.st_mtime_ns
    again = build(project, out, pdf=False, workers=1)
    assert not again.unchanged
    assert "Bake to" in (out / "other" / "index.html").read_text()


def test_every_marker_has_its_own_status_in_the_open_data():
    from jsna.compute.opendata import value_status
    from jsna.errors import Position
    from jsna.model import MARKERS, Value

    statuses = {marker: value_status(Value(None, Position("x"), marker=marker)) for marker in MARKERS}
    assert "missing" not in statuses.values() and len(set(statuses.values())) == len(MARKERS)
