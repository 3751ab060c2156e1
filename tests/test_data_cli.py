"""`jsna data FILE [--area X]` on the real files and variants of them."""

from __future__ import annotations

import csv
from collections import Counter

from jsna.cli import main
from test_data import B1, D3, SHARED


def _published(name):
    with open(SHARED / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_describes_an_ees_file(capsys):
    assert main(["data", str(SHARED / D3)]) == 0
    out = capsys.readouterr().out
    rows = _published(D3)
    assert "Explore Education Statistics tidy CSV" in out and f"{len(rows):,} rows" in out
    levels = Counter(r["geographic_level"] for r in rows)
    for level, n in levels.items():
        assert f"{level} ({n:,} rows" in out
    la = {r["new_la_code"] for r in rows if r["geographic_level"] == "Local authority"}
    assert f"Local authority ({levels['Local authority']:,} rows, {len(la)} areas)" in out
    assert "category: 'Child Protection Plans which are a second or subsequent plan'" in out
    codes = Counter(r["CPP_subsequent_percent"] for r in rows if r["CPP_subsequent_percent"] in ("c", "x", "u", "z"))
    assert "CPP_subsequent_percent: " + ", ".join(f"{k} ({v})" for k, v in sorted(codes.items())) in out
    assert ", ".join(sorted({r["time_period"] for r in rows})) in out


def test_one_area_by_name_or_code(capsys):
    assert main(["data", str(SHARED / B1), "--area", "bedford"]) == 0
    by_name = capsys.readouterr().out
    assert main(["data", str(SHARED / B1), "--area", "E06000055"]) == 0
    assert capsys.readouterr().out == by_name
    lines = by_name.splitlines()
    assert len(lines) == 1 + sum(1 for r in _published(B1) if r["new_la_code"] == "E06000055")
    assert all(",E06000055,Bedford," in line for line in lines[1:])


def test_unknown_area_and_bad_file(tmp_path, capsys):
    assert main(["data", str(SHARED / B1), "--area", "Bedfrd"]) == 1
    assert "(did you mean 'Bedford'?)" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_bytes((SHARED / B1).read_bytes().replace(b"Bedford", "Bedf\u00f6rd".encode("cp1252")))
    assert main(["data", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "expected a CSV file in UTF-8" in err and "line " in err
