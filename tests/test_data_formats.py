"""The Fingertips download layout and a plain tidy CSV, on files made by code from the real DfE and
ONS values; intervals without width."""

from __future__ import annotations

import csv
import io

from jsna.compute import judgements, stats
from jsna.load.site import load_site
from test_data import B1, POP, SHARED, data_project, indicator, published

FINGERTIPS_HEADER = (
    "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,"
    "Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,"
    "Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,"
    "Compared to England value or percentiles,Compared to Region value or percentiles,"
    "Time period Sortable,New data,Compared to goal"
).split(",")
AREAS = (  # code, name, area type, parent code, parent name
    ("E92000001", "England", "England", "", ""),
    ("E12000006", "East of England region", "Region", "E92000001", "England"),
    ("E06000055", "Bedford", "Counties & UAs (from Apr 2023)", "E12000006", "East of England region"),
)


def fingertips_fixture(zero_width: str | None = None, notes: dict | None = None) -> str:
    """A CSV in the exact layout of a Fingertips "download data" file, NOT a Fingertips download:
    its counts and populations are the real DfE (b1, At31_episodes) and ONS (mid-year before)
    values; its rates and 95%/99.8% limits are computed here with jsna's Byar's method and
    rounded to one place, as Fingertips publishes them. One deprivation row (a category) is
    added to show that such rows are left out. `zero_width`: an area whose limits are set equal
    to its value (as a large population's can be once rounded). `notes`: (code, year) -> a
    "Value note" for that row (a made-up note in Fingertips' wording, for the layout only)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FINGERTIPS_HEADER)
    for year in range(2021, 2026):
        for code, name, kind, parent, parent_name in AREAS:
            count = float(published(B1, code, str(year), "At31_episodes"))
            population = float(published(POP, code, str(year - 1), "population_estimate"))
            rate = round(count / population * 10000, 1)
            limits = [stats.crude_rate_interval(count, population, 10000, level) for level in (0.95, 0.998)]
            cells = [round(x, 1) for ci in limits for x in (ci.lower, ci.upper)]
            if code == zero_width:
                cells = [rate] * 4
            writer.writerow(["99999", "Children in need at 31 March (layout test)", parent, parent_name, code, name,
                             kind, "Persons", "<18 yrs", "", "", f"{year - 1}/{year % 100:02d}", rate, *cells,
                             int(count), int(population), (notes or {}).get((code, year), ""), "", "", "",
                             f"{year - 1}0000", "", ""])
        writer.writerow(["99999", "Children in need at 31 March (layout test)", "E12000006", "", "E06000055", "Bedford", "Counties & UAs (from Apr 2023)",
                         "Persons", "<18 yrs", "Deprivation decile", "Most deprived", f"{year - 1}/{year % 100:02d}",
                         "1.0", "0.5", "1.5", "0.4", "1.6", "1", "2", "", "", "", "", "", "", ""])
    return out.getvalue()


FINGERTIPS = indicator("cin-rate", "rate", "file: fingertips.csv\nperiods: financial year", "    per: 10000\n")


def _project(tmp_path, text: str, items: str = FINGERTIPS, name: str = "fingertips.csv"):
    root = data_project(tmp_path, items, files=())
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / name).write_text(text, encoding="utf-8")
    return root


def test_fingertips_values_published_limits_and_comparators(tmp_path):
    site = load_site(_project(tmp_path, fingertips_fixture()))
    rate = site.indicator("cin-rate")
    assert rate.periods == ("2020-21", "2021-22", "2022-23", "2023-24", "2024-25")
    value = rate.local.get("2024-25")
    count = float(published(B1, "E06000055", "2025", "At31_episodes"))
    assert value.value == round(count / float(published(POP, "E06000055", "2024", "population_estimate")) * 10000, 1)
    assert value.numerator == count
    limits = dict((level, (lower, upper)) for level, lower, upper in value.limits)
    assert set(limits) == {0.95, 0.998} and limits[0.95][0] < value.value < limits[0.95][1]
    ci = judgements.interval(rate, value)
    assert (ci.lower, ci.upper, ci.method) == (*limits[0.95], "published")
    assert rate.series("england").get("2024-25").numerator == float(published(B1, "E92000001", "2025", "At31_episodes"))
    assert rate.series("region").name == "East of England region"


def test_jsna_data_describes_the_fingertips_layout(tmp_path, capsys):
    from jsna.cli import main

    path = tmp_path / "fingertips.csv"
    path.write_text(fingertips_fixture(), encoding="utf-8")
    assert main(["data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "a Fingertips download CSV" in out
    assert "Category Type: '' (15), 'Deprivation decile' (5)" in out
    assert "values (for value, numerator, denominator): Value, Lower CI 95.0 limit" in out
    assert "empty columns: Value note" in out
    assert "periods (Time period): 2020/21, 2021/22, 2022/23, 2023/24, 2024/25" in out


def test_zero_width_published_interval_cannot_be_calculated_not_an_error(tmp_path):
    site = load_site(_project(tmp_path, fingertips_fixture(zero_width="E06000055")))
    rate = site.indicator("cin-rate")
    detail = stats.recent_trend_detail(
        [stats.TrendPoint(period=float(i), value=v.value, lower=v.limits[0][1], upper=v.limits[0][2])
         for i, (_, v) in enumerate(rate.local.values)], "rate")
    assert detail.marker == "cannot be calculated" and "no width" in detail.reason
    assert judgements.indicator_stats(rate).trend == "cannot be calculated"


def test_plain_tidy_csv(tmp_path):
    rows = ["code,year,children"] + [
        f"{code},{year},{published(B1, code, str(year), 'At31_episodes')}"
        for code in ("E92000001", "E06000055") for year in (2024, 2025)
    ]
    items = indicator("cin", "count", "file: tidy.csv\nvalue: children\nperiods: 31 March\narea_column: code\nperiod_column: year\ncomparators: [england]")
    root = _project(tmp_path, "\n".join(rows) + "\n", items, "tidy.csv")
    cin = load_site(root).indicator("cin")
    assert cin.periods == ("31 March 2024", "31 March 2025")
    assert cin.local.get("31 March 2025").value == float(published(B1, "E06000055", "2025", "At31_episodes"))
    assert cin.series("england").get("31 March 2024").value == float(published(B1, "E92000001", "2024", "At31_episodes"))


def test_fingertips_without_category_columns(tmp_path):
    rows = list(csv.reader(io.StringIO(fingertips_fixture())))
    keep = [i for i, name in enumerate(rows[0]) if name not in ("Category Type", "Category")]
    text = "".join(",".join(row[i] for i in keep) + "\n" for row in rows[:1] + [r for r in rows[1:] if r[9] == ""])
    rate = load_site(_project(tmp_path, text)).indicator("cin-rate")
    assert rate.periods[-1] == "2024-25" and rate.local.get("2024-25").limits


NOTE = "Value note in the layout of Fingertips (added for this test, not published)"


def test_a_fingertips_value_note_is_a_note_on_that_value(tmp_path):
    site = load_site(_project(tmp_path, fingertips_fixture(notes={("E06000055", 2024): NOTE, ("E92000001", 2025): NOTE})))
    rate = site.indicator("cin-rate")
    assert rate.local.get("2023-24").note == NOTE
    assert rate.local.get("2024-25").note is None and rate.local.get("2022-23").note is None
    assert rate.series("england").get("2024-25").note == NOTE


def test_intervals_say_whether_published_or_how_computed(tmp_path):
    """The headline table and the open data: a Fingertips file's limits 'as published'; a
    rate jsna computes from the DfE's count and the ONS population, its method."""
    from jsna.build.pipeline import build
    from test_data import RATE
    from test_data_build import CHAPTER

    shown = {}
    for name, root in (("published", _project(tmp_path / "f", fingertips_fixture(notes={("E06000055", 2025): NOTE}))),
                       ("computed", data_project(tmp_path / "d", RATE))):
        (root / "chapters" / "children-in-need.md").write_text(CHAPTER, encoding="utf-8")
        build(root, root / "site", pdf=False, workers=1)
        page = (root / "site/children-in-need/index.html").read_text()
        table = page[page.index('class="headline-table"'):page.index("</table>")]
        rows = list(csv.DictReader(io.StringIO((root / "site/children-in-need/children-in-need-data.csv").read_text())))
        latest = [r for r in rows if r["period"] in ("2024-25", "31 March 2025")]
        shown[name] = (table, {r["interval_method"] for r in latest}, latest, root)
    table, methods, latest, root = shown["published"]
    assert ", as published</span>" in table and "computed by jsna" not in table
    assert methods == {"as published"}
    assert {r["note"] for r in latest} == {NOTE}
    assert NOTE in (root / "site/children-in-need/figure-1.csv").read_text()
    table, methods, _, _ = shown["computed"]
    assert ", computed by jsna (Byar&#39;s)</span>" in table and "as published" not in table
    assert methods == {"computed by jsna (Byar's)"}
