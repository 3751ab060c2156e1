"""Data files in builds: read once and remembered, a changed file recomputes what reads it (and
the site equals a clean build), bad data stops the build with the old site intact."""

from __future__ import annotations

import dataclasses

from jsna.build.pipeline import build
from jsna.cli import main
from test_data import B1, NEED, POP, RATE, _bad_cell, data_project, published
from test_incremental import _remembering, _tree

CHAPTER = NEED + """\

The rate was {{ cin-rate }} on {{ cin-rate: latest-period }}, {{ cin-rate: compare england }}.

```figure
indicator: cin-rate
type: line
series: [local, england, region]
```
"""


def _project(tmp_path):
    root = data_project(tmp_path / "project", RATE)
    (root / "chapters" / "children-in-need.md").write_text(CHAPTER, encoding="utf-8")
    return root


def test_a_changed_data_file_recomputes_and_equals_a_clean_build(tmp_path):
    root = _project(tmp_path)
    out = root / "site"
    build(root, out, pdf=False, workers=1)
    page = (out / "children-in-need/index.html").read_text()
    count = float(published(B1, "E06000055", "2025", "At31_episodes"))
    population = float(published(POP, "E06000055", "2024", "population_estimate"))
    assert f"{count / population * 10000:.1f} per 10,000" in page
    _bad_cell(root, "At31_episodes", "1600")
    build(root, out, pdf=False, workers=1)
    page = (out / "children-in-need/index.html").read_text()
    assert f"{1600 / population * 10000:.1f} per 10,000" in page
    assert f"{1600 / population * 10000:.1f}" in (out / "children-in-need/figure-1.csv").read_text()
    assert ",1600," in (out / "children-in-need/children-in-need-data.csv").read_text()
    fresh = tmp_path / "fresh"
    build(root, fresh, pdf=False, workers=1, cache=False)
    assert _tree(out) == _tree(fresh), "an incremental build gives what a clean build gives"


def test_a_chapter_changed_parses_no_data_file(tmp_path, monkeypatch):
    import jsna.load.data

    root = _project(tmp_path)
    build(root, root / "site", pdf=False, workers=1)
    parsed: list[str] = []
    original = jsna.load.data.parse_table
    monkeypatch.setattr(jsna.load.data, "parse_table", lambda rel, data: parsed.append(rel) or original(rel, data))
    jsna.load.data._parse.cache_clear()
    chapter = root / "chapters" / "children-in-need.md"
    chapter.write_text(CHAPTER.replace("The rate was", "The rate of children in need was"))
    build(root, root / "site", pdf=False, workers=1)
    assert parsed == []
    assert "The rate of children in need was" in (root / "site/children-in-need/index.html").read_text()


def test_indicators_from_data_read_item_by_item_are_those_read_whole(tmp_path):
    from jsna.load.site import load_site

    root = _project(tmp_path)
    remember = _remembering()
    first = load_site(root, remember)
    assert first.sources, "read item by item"
    again = load_site(root, remember)
    whole = load_site(root)
    assert dataclasses.replace(again, sources=()) == dataclasses.replace(whole, sources=())
    _bad_cell(root, "At31_episodes", "1600")
    changed = load_site(root, remember)
    assert changed.indicator("cin-rate").local.get("31 March 2025").numerator == 1600
    assert dict(changed.sources)["indicator:cin-rate"] != dict(first.sources)["indicator:cin-rate"]


def test_bad_data_stops_the_build_and_leaves_the_site(tmp_path, capsys):
    root = _project(tmp_path)
    out = root / "site"
    assert main(["build", "--project", str(root), "--no-pdf", "-q"]) == 0
    before = _tree(out)
    line = _bad_cell(root, "At31_episodes", "seven")
    capsys.readouterr()
    assert main(["build", "--project", str(root), "--no-pdf", "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("indicators.yaml:")
    assert f"found 'seven' (data/{B1} line {line})" in err
    assert _tree(out) == before
