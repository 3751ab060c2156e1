"""Indicators read from the files publishers release (tests on the real DfE and ONS files in
../shared/data/, copied into the project, and on variants made from them by code)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from conftest import write_project
from jsna.errors import JsnaError, JsnaErrors
from jsna.load.site import load_site

SHARED = Path("/work/shared/data")
B1 = "dfe/b1_children_in_need_2013_to_2025.csv"
C1 = "dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
D3 = "dfe/d3_cpps_subsequent_plan_2013_to_2025.csv"
POP = "ons/ons_mid-year_population_estimates_2012_to_2024.csv"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="the published files are not here")

SOURCE = """\
    source:
      publisher: Department for Education
      dataset: Children in need
"""


# The front matter and first section of the small chapters built from the published files.
NEED = """\
---
title: Children in need
summary: From the DfE's files.
theme: Children
last_updated: 2025-01-01
---
## What is the level of need?
"""


def indicator(id_: str, measure: str, data: str, extra: str = "") -> str:
    """One indicator item of indicators.yaml taking its values from `data` (YAML lines)."""
    return (
        f"  - id: {id_}\n    title: {id_}\n    definition: From a file.\n    measure: {measure}\n"
        f"    polarity: no-judgement\n{extra}" + SOURCE + "    data:\n"
        + "".join(f"      {line}\n" for line in data.strip("\n").splitlines())
    )


def data_project(root: Path, items: str, config_extra: str = "area_code: E06000055\n", files=(B1, C1, D3, POP)) -> Path:
    write_project(root, {
        "indicators.yaml": "indicators:\n" + items,
        "jsna.yaml": "title: T\norganisation: O\narea: Bedford Borough\n" + config_extra
        + "comparators:\n  england: England\n  region: Region\n",
        "chapters/children-in-need.md": "---\ntitle: C\nsummary: S\ntheme: T\nlast_updated: 2025-01-01\n---\nText.\n",
        "chapters/other.md": None,
    })
    for name in files:
        (root / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / name, root / "data" / name)
    return root


def published(name: str, code: str, period: str, column: str) -> str:
    """A cell of a published file, read with the csv module (the expected values come from here)."""
    with open(SHARED / name, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            level_code = row["new_la_code"] or row["region_code"] or row["country_code"]
            if level_code == code and row["time_period"] == period:
                return row[column]
    raise KeyError((name, code, period))


COUNT = indicator("cin", "count", f"file: {B1}\nvalue: At31_episodes\nperiods: 31 March")
COMPARED = indicator("cin", "count", f"file: {B1}\nvalue: At31_episodes\nperiods: 31 March\ncomparators: [england, region]")
RATE = indicator("cin-rate", "rate", f"""
file: {B1}
numerator: At31_episodes
periods: 31 March
denominator:
  file: {POP}
  value: population_estimate
  year: previous
""", extra="    per: 10000\n")


def test_count_from_ees_file(tmp_path):
    assert load_site(data_project(tmp_path / "default", COUNT)).indicator("cin").comparators == ()
    site = load_site(data_project(tmp_path, COMPARED))
    cin = site.indicator("cin")
    assert cin.periods[0] == "31 March 2013" and cin.periods[-1] == "31 March 2025"
    assert cin.local.get("31 March 2025").value == float(published(B1, "E06000055", "2025", "At31_episodes"))
    assert cin.local.name == "Bedford Borough"  # the config's name for its own code
    england, region = cin.series("england"), cin.series("region")
    assert england.get("31 March 2025").value == float(published(B1, "E92000001", "2025", "At31_episodes"))
    assert region.name == "East of England"
    assert region.get("31 March 2025").value == float(published(B1, "E12000006", "2025", "At31_episodes"))
    assert cin.local.get("31 March 2025").position.path == f"data/{B1}"
    assert cin.data == (f"data/{B1}",)


def test_rate_joins_the_previous_mid_year_estimate(tmp_path):
    """Bedford, 31 March 2025: 1,539 / 44,483 x 10,000 = 346.0 (the DfE publishes 346); Redcar
    and Cleveland, 31 March 2015: 950 / 27,360 x 10,000 = 347.2 from today's files."""
    site = load_site(data_project(tmp_path, RATE))
    value = site.indicator("cin-rate").local.get("31 March 2025")
    count = float(published(B1, "E06000055", "2025", "At31_episodes"))
    population = float(published(POP, "E06000055", "2024", "population_estimate"))
    assert (value.numerator, value.denominator) == (count, population)
    assert value.value == round(count / population * 10000, 1) == 346.0
    assert round(value.value) == 346
    site = load_site(data_project(tmp_path / "redcar", RATE, "area_code: E06000003\n"))
    assert site.indicator("cin-rate").local.get("31 March 2015").value == 347.2
    assert any("Computed by jsna" in n.text for n in site.indicator("cin-rate").notes)


def test_percentage_with_numerator_and_denominator(tmp_path):
    item = indicator("rereferrals", "percentage", f"""
file: {C1}
value: rereferral_percent
numerator: rereferral_count
denominator: referral_count
periods: financial year
""")
    site = load_site(data_project(tmp_path, item))
    value = site.indicator("rereferrals").local.get("2024-25")
    assert value.value == float(published(C1, "E06000055", "2025", "rereferral_percent"))
    assert value.numerator == float(published(C1, "E06000055", "2025", "rereferral_count"))
    assert value.denominator == float(published(C1, "E06000055", "2025", "referral_count"))


def _suppressed(name: str, column: str):
    with open(SHARED / name, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["geographic_level"] == "Local authority" and row[column] in ("c", "x", "u", "z"):
                return row["new_la_code"], row["time_period"], row[column]
    raise KeyError(column)


def test_suppression_codes_become_markers_never_zero(tmp_path):
    code, period, marker = _suppressed(D3, "CPP_subsequent_percent")
    item = indicator("repeat", "percentage", f"file: {D3}\nvalue: CPP_subsequent_percent\nperiods: financial year")
    site = load_site(data_project(tmp_path, item, f"area_code: {code}\n"))
    label = f"{int(period) - 1}-{int(period) % 100:02d}"
    value = site.indicator("repeat").local.get(label)
    assert value.value is None and value.marker == marker


def _rewrite(path: Path, change) -> None:
    """Rewrite a copied file's rows through `change(header, rows) -> (header, rows)`."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, body = change(rows[0], rows[1:])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    path.write_text(out.getvalue(), encoding="utf-8")


def test_variants_reordered_bom_crlf_quoted_empty_and_other_category_columns(tmp_path):
    root = data_project(tmp_path, COUNT)
    path = root / "data" / B1

    def reorder(header, rows):
        order = list(reversed(range(len(header))))
        return [header[i] for i in order], [[r[i] for i in order] for r in rows]

    _rewrite(path, reorder)
    text = path.read_text(encoding="utf-8").replace(",,", ',"",')
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    site = load_site(root)
    expected = float(published(B1, "E06000055", "2025", "At31_episodes"))
    assert site.indicator("cin").local.get("31 March 2025").value == expected

    def add_sex(header, rows):
        return header + ["sex"], [r + [s] for r in rows for s in ("Total", "Female")]

    _rewrite(path, add_sex)
    with pytest.raises(JsnaError) as caught:
        load_site(root)
    assert "found two" in str(caught.value) and "sex" in str(caught.value)
    assert str(caught.value).startswith("indicators.yaml:")
    item = indicator("cin", "count", f"file: {B1}\nvalue: At31_episodes\nperiods: 31 March\nwhere: {{sex: Total}}")
    (root / "indicators.yaml").write_text("indicators:\n" + item, encoding="utf-8")
    assert load_site(root).indicator("cin").local.get("31 March 2025").value == expected


def test_financial_year_periods_as_ees_writes_them(tmp_path):
    root = data_project(tmp_path, indicator("started", "count", f"file: {B1}\nvalue: Started_episodes\nperiods: financial year"))

    def financial(header, rows):
        at = header.index("time_period")
        ident = header.index("time_identifier")
        return header, [r[:at] + [f"{int(r[at]) - 1}{int(r[at]) % 100:02d}"] + [*r[at + 1:ident], "Financial year", *r[ident + 1:]] for r in rows]

    _rewrite(root / "data" / B1, financial)
    started = load_site(root).indicator("started")
    assert started.periods[-1] == "2024-25"
    assert started.local.get("2024-25").value == float(published(B1, "E06000055", "2025", "Started_episodes"))


def _bad_cell(root: Path, column: str, text: str) -> int:
    """Write `text` into Bedford's 2025 cell of `column` in the copied b1; its line."""
    path = root / "data" / B1
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    for number, line in enumerate(lines):
        cells = next(csv.reader([line]))
        if cells[header.index("new_la_code")] == "E06000055" and cells[0] == "2025":
            cells[header.index(column)] = text
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerow(cells)
            lines[number] = out.getvalue()
            path.write_text("".join(lines), encoding="utf-8")
            return number + 1
    raise KeyError


@pytest.mark.parametrize("text, expected", [
    ("seven", "a number or a suppression code (c, x, u, z, low)"),
    ("-7", "a number of 0 or more"),  # counts, rates and percentages, as in indicators.yaml
    ("1e20", "a number below 1,000,000,000,000,000"),  # as typed values are: a chart's axis could not hold it
    ("99999999999999999999", "a number below 1,000,000,000,000,000"),
])
def test_errors_name_the_yaml_place_then_the_data_place(tmp_path, text, expected):
    """A cell that is no number, a negative one (a chart would cut it off below its axes) or one
    too large for a chart's axis, is reported at the YAML place, then the data file's line."""
    root = data_project(tmp_path, COUNT)
    line = _bad_cell(root, "At31_episodes", text)
    with pytest.raises(JsnaError) as caught:
        load_site(root)
    yaml_line = (root / "indicators.yaml").read_text().splitlines().index("      value: At31_episodes") + 1
    assert str(caught.value) == (
        f"indicators.yaml:{yaml_line}:14: expected {expected} in column At31_episodes, found '{text}' (data/{B1} line {line})"
    )


@pytest.mark.parametrize("data, expected", [
    (f"file: {B1}\nvalue: At31_episode\nperiods: 31 March", "found 'At31_episode' (did you mean 'At31_episodes'?)"),
    (f"file: dfe/b2.csv\nvalue: At31_episodes\nperiods: 31 March", "expected a file data/dfe/b2.csv in the project, found no such file"),
    (f"file: {B1}\nvalue: At31_episodes\nperiods: 31 Marhc", "expected periods as a date in the year such as '31 March'"),
])
def test_unknown_column_file_or_period_kind(tmp_path, data, expected):
    with pytest.raises(JsnaError) as caught:
        load_site(data_project(tmp_path, indicator("cin", "count", data)))
    assert expected in str(caught.value)
    assert str(caught.value).startswith("indicators.yaml:")


def test_a_column_the_indicator_reads_given_twice_is_an_error_at_the_header(tmp_path):
    """Which of two columns of one name holds the values is no guess to make; a duplicated
    column the indicator does not read is left alone."""
    root = data_project(tmp_path, COUNT)
    _rewrite(root / "data" / B1, lambda h, rows: (h + ["At31_episodes", "time_period"], [r + ["1", "x"] for r in rows]))
    with pytest.raises(JsnaError) as caught:
        load_site(root)
    assert str(caught.value).startswith("indicators.yaml:")
    assert f"expected one column 'At31_episodes' in data/{B1}, found 2 (which to read?) (data/{B1} line 1)" in str(caught.value)
    _rewrite(root / "data" / B1, lambda h, rows: (h[:-2] + ["Notes", "Notes"], [r[:-2] + ["a", "b"] for r in rows]))
    load_site(root)


def test_unknown_area_says_did_you_mean(tmp_path):
    with pytest.raises(JsnaError) as caught:
        load_site(data_project(tmp_path, COUNT, "area_code: E06000056x\n"))
    assert "found 'E06000056x' (did you mean 'E06000056'?)" in str(caught.value)
    with pytest.raises(JsnaError) as caught:
        load_site(data_project(tmp_path / "b", COUNT, "area_code: Bedford\n"))
    assert "is the name of E06000055" in str(caught.value)


def test_missing_population_year_is_an_error(tmp_path):
    root = data_project(tmp_path, RATE)
    _rewrite(root / "data" / POP, lambda h, rows: (h, [r for r in rows if r[0] != "2020"]))
    with pytest.raises(JsnaError) as caught:
        load_site(root)
    assert "expected a row for E06000055 in 2020" in str(caught.value)


def test_not_utf8_and_not_csv(tmp_path):
    root = data_project(tmp_path, COUNT)
    path = root / "data" / B1
    path.write_bytes(path.read_bytes().replace(b"Bedford", "Bedförd".encode("latin-1")))
    with pytest.raises(JsnaError) as caught:
        load_site(root)
    assert "expected a CSV file in UTF-8, found the byte 0xF6" in str(caught.value)
    path.write_bytes(b"time_period,time_identifier,geographic_level\n2025,\"Reporting year,National\n")
    with pytest.raises(JsnaError) as caught:
        load_site(root)
    assert "expected a CSV file" in str(caught.value) or "expected 3 cells" in str(caught.value)


def test_every_problem_in_one_run(tmp_path):
    items = COUNT + indicator("rate", "rate", f"file: {B1}\nnumerator: At31_episodes\nperiods: 31 March\ndenominator: nope", "    per: 10000\n")
    with pytest.raises(JsnaErrors) as caught:
        load_site(data_project(tmp_path, items.replace("value: At31_episodes", "value: At31")))
    assert len(caught.value.errors) == 2


def test_ons_estimates_read_as_mid_year(tmp_path):
    item = indicator("children", "count", f"file: {POP}\nvalue: population_estimate\nperiods: mid-year")
    children = load_site(data_project(tmp_path, item)).indicator("children")
    assert children.periods[0] == "mid-2012" and children.periods[-1] == "mid-2024"
    assert children.local.get("mid-2024").value == float(published(POP, "E06000055", "2024", "population_estimate"))


def test_england_from_rounded_counts_says_so(tmp_path):
    site = load_site(data_project(tmp_path, RATE, "area_code: E92000001\n"))
    assert any("rounded to the nearest 10" in n.text for n in site.indicator("cin-rate").notes)
    site = load_site(data_project(tmp_path / "la", RATE))
    assert not any("rounded to the nearest 10" in n.text for n in site.indicator("cin-rate").notes)


def test_a_calendar_year_is_not_labelled_a_financial_year(tmp_path):
    item = indicator("started", "count", f"file: {B1}\nvalue: Started_episodes\nperiods: financial year")
    root = data_project(tmp_path, item)
    _rewrite(root / "data" / B1, lambda h, rows: (h, [r[:1] + ["Calendar year"] + r[2:] for r in rows]))
    with pytest.raises(JsnaError) as caught:
        load_site(root)
    assert "found 'Calendar year' labelled as financial year" in str(caught.value)


def test_a_where_value_no_row_has_says_did_you_mean(tmp_path):
    item = indicator("cin", "count", f"file: {B1}\nvalue: At31_episodes\nperiods: 31 March\nwhere: {{category: Children in need}}")
    with pytest.raises(JsnaError) as caught:
        load_site(data_project(tmp_path, item))
    assert "found 'Children in need' (did you mean 'Children in Need'?)" in str(caught.value)
    assert "column category" in str(caught.value)


def test_area_names_from_a_file_lose_control_characters(tmp_path):
    root = data_project(tmp_path, RATE)
    path = root / "data" / B1
    path.write_text(path.read_text(encoding="utf-8").replace("Central Bedfordshire", "Central\x1b[31mBedfordshire"), encoding="utf-8")
    region = next(g for g in load_site(root).indicator("cin-rate").groups if g.id == "region")
    assert "Central[31mBedfordshire" in region.numbers()
