"""Every area of a group: its value from the published file, its 95% interval (as published, or
computed from its counts) and its comparison with England; the figure block's `group` and
`intervals` settings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import CHAPTER, INDICATORS, write_project
from jsna.compute.areas import area_stats
from jsna.compute.disclosure import apply_disclosure
from jsna.errors import JsnaError, JsnaErrors
from jsna.load.site import load_site
from jsna.model import Group, Member, Value
from test_data import B1, NEED, POP, RATE, SHARED, data_project, published

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="the published files are not here")


def _region(tmp_path):
    site = load_site(data_project(tmp_path, RATE))
    rate = site.indicator("cin-rate")
    return site, rate, next(g for g in rate.groups if g.id == "region")


def _rate(code: str, year: int) -> tuple[float, float]:
    """(count at 31 March `year`, children aged 0 to 17 at mid-`year - 1`) as published."""
    return float(published(B1, code, str(year), "At31_episodes")), float(published(POP, code, str(year - 1), "population_estimate"))


def test_members_carry_code_name_and_the_value_with_its_counts(tmp_path):
    _, rate, region = _region(tmp_path)
    by_code = {m.code: m for m in region.members}
    count, population = _rate("E06000056", 2025)  # Central Bedfordshire
    member = by_code["E06000056"]
    assert member.name == "Central Bedfordshire" and not member.local
    assert (member.value.numerator, member.value.denominator) == (count, population)
    assert member.value.position.path == f"data/{B1}"
    (local,) = [m for m in region.members if m.local]
    assert local.code == "E06000055" and local.name == "Bedford Borough"
    assert local.value == rate.local.get(region.period)


def test_each_area_compared_with_england_by_its_own_interval(tmp_path):
    _, rate, region = _region(tmp_path)
    count, population = _rate("E92000001", 2025)
    england = round(count / population * 10000, 1)
    assert rate.series("england").get(region.period).value == england
    found = area_stats(rate, region)
    assert [a.code for a in found] == [m.code for m in region.members]
    for area in found:
        assert area.interval.method == "Byar's"
        assert area.interval.lower < area.value.value < area.interval.upper
        expected = "higher" if area.interval.lower > england else "lower" if area.interval.upper < england else "similar"
        assert area.comparison == expected, area.name
    assert {a.comparison for a in found} >= {"higher", "lower"}  # the real East of England has both


def test_polarity_turns_higher_and_lower_into_better_and_worse(tmp_path):
    _, rate, region = _region(tmp_path)
    plain = {a.code: a.comparison for a in area_stats(rate, region)}
    judged = {a.code: a.comparison for a in area_stats(replace(rate, polarity="lower-is-better"), region)}
    turned = {"higher": "worse", "lower": "better", "similar": "similar"}
    assert judged == {code: turned[c] for code, c in plain.items()}


def test_published_limits_are_used_as_published_and_no_counts_is_not_compared(tmp_path):
    _, rate, region = _region(tmp_path)
    england = rate.series("england").get(region.period).value
    given = Value(england + 50, region.position, limits=((0.95, england + 1, england + 99), (0.998, england - 1, england + 120)))
    members = (Member("E1", "Given", given), Member(None, "Typed", Value(england + 50, region.position)))
    given_stat, typed_stat = area_stats(rate, replace(region, members=members))
    assert given_stat.interval.method == "published" and (given_stat.interval.lower, given_stat.interval.upper) == (england + 1, england + 99)
    assert given_stat.comparison == "higher"  # the 95% limits, not the 99.8% ones that include England
    assert typed_stat.interval is None and typed_stat.comparison == "not compared"


def test_no_england_value_means_not_compared(tmp_path):
    _, rate, region = _region(tmp_path)
    alone = replace(rate, comparators=tuple(s for s in rate.comparators if s.id != "england"))
    assert {a.comparison for a in area_stats(alone, region)} == {"not compared"}


def test_small_counts_are_hidden_for_every_member(tmp_path):
    site, rate, region = _region(tmp_path)
    small = replace(region.members[0], value=replace(region.members[0].value, numerator=3.0))
    group = replace(region, members=(small,) + region.members[1:])
    site = replace(site, indicators=(replace(rate, groups=(group,)),))
    (hidden, *rest) = apply_disclosure(site).indicators[0].groups[0].members
    assert (hidden.value.value, hidden.value.numerator, hidden.value.marker) == (None, None, "c")
    assert [m.value for m in rest] == [m.value for m in region.members[1:]]


def test_typed_groups_keep_ranking_with_the_local_area_joined(tmp_path):
    typed = INDICATORS.replace('      region: {"2015": 451.0}\n', '      region: {"2015": 451.0}\n    groups:\n'
                               '      - {id: ne, name: North East authorities, period: "2015", values: {Durham: 389.0, Hartlepool: 512.3}}\n')
    site = load_site(write_project(tmp_path, {"indicators.yaml": typed}))
    (group,) = site.indicator("cin-rate").groups
    assert [(m.code, m.name, m.value.value, m.local) for m in group.members] == [
        (None, "Durham", 389.0, False), (None, "Hartlepool", 512.3, False), (None, "Testshire", 347.7, True)]
    assert group.numbers() == {"Durham": 389.0, "Hartlepool": 512.3, "Testshire": 347.7}


FIGURE = "\n```figure\nindicator: cin-rate\n{settings}\n```\n"


@pytest.mark.parametrize(("settings", "message"), [
    ("type: compare-areas", "expected a 'group' for a compare-areas chart (neighbours, region, england), found none"),
    ("type: compare-areas\ngroup: neighbors", "found 'neighbors' (did you mean 'neighbours'?)"),
    ("type: line\ngroup: region", "expected 'group' only on a compare-areas chart, a funnel or a map, found it on a line chart"),
    ("type: grouped-bar\nintervals: true", "expected 'intervals' only on a line or bar chart of the series"),
    ("type: line\nintervals: yes", "expected intervals to be one of true, false, found 'yes'"),
])
def test_figure_settings_are_checked_where_written(tmp_path, settings, message):
    root = data_project(tmp_path, RATE)
    (root / "data" / "dfe" / "sn_model_2025_wide.csv").write_bytes((SHARED / "dfe" / "sn_model_2025_wide.csv").read_bytes())
    (root / "jsna.yaml").write_text((root / "jsna.yaml").read_text() + "statistical_neighbours: dfe/sn_model_2025_wide.csv\n")
    chapter = root / "chapters" / "children-in-need.md"
    chapter.write_text(chapter.read_text() + FIGURE.format(settings=settings))
    with pytest.raises((JsnaError, JsnaErrors)) as caught:
        load_site(root)
    assert message in str(caught.value)
    assert "chapters/children-in-need.md:" in str(caught.value)


def test_a_typed_project_names_its_groups(tmp_path):
    chapter = CHAPTER + FIGURE.format(settings="type: compare-areas\ngroup: region")
    with pytest.raises(JsnaError) as caught:
        load_site(write_project(tmp_path, {"chapters/children-in-need.md": chapter}))
    assert "expected a group of 'cin-rate' (it has none: groups come from a data file, or are typed under groups:)" in str(caught.value)


# The figures, end to end: a small site built from the real DfE and ONS files ----------------

SN = "dfe/sn_model_2025_wide.csv"
FIGURES = NEED + """\

```figure
indicator: cin-rate
type: compare-areas
group: neighbours
```

```figure
indicator: cin-rate
type: compare-areas
group: england
```

```figure
indicator: cin-rate
type: line
series: [local, england]
intervals: true
```
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site, built once for the tests below."""
    from jsna.cli import main

    tmp = tmp_path_factory.mktemp("areas")
    root = data_project(tmp / "project", RATE, files=(B1, POP, SN))
    (root / "jsna.yaml").write_text((root / "jsna.yaml").read_text() + f"statistical_neighbours: {SN}\n")
    (root / "chapters" / "children-in-need.md").write_text(FIGURES, encoding="utf-8")
    assert main(["build", "--project", str(root), "--no-pdf", "--workers", "1", "-q"]) == 0
    return root / "site" / "children-in-need"


def _csv_rows(path):
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _table(page: str, number: int) -> list[list[str]]:
    """The rows (header cell first) of figure `number`'s data table on the page."""
    import re

    found = re.search(rf'<caption id="figure-{number}-data">.*?<tbody>(.*?)</tbody>', page, re.DOTALL)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", found[1])]


def _neighbour_names() -> set[str]:
    import csv

    with open(SHARED / SN, encoding="utf-8-sig", newline="") as f:
        bedford = next(r for r in csv.DictReader(f) if r["old_la_code"] == "822")
    near = {bedford[f"SN_{i}"] for i in range(1, 11)}
    with open(SHARED / B1, encoding="utf-8-sig", newline="") as f:
        return {r["la_name"] for r in csv.DictReader(f) if r["time_period"] == "2025" and r["old_la_code"] in near
                and r["geographic_level"] == "Local authority"}


def _verdict(value: float, lower: float, upper: float, england: float) -> str:
    return "higher" if lower > england else "lower" if upper < england else "similar"


def test_compare_areas_table_and_csv_list_every_area_with_its_interval_and_comparison(built):
    rows = _csv_rows(built / "figure-1.csv")
    assert {r["area"] for r in rows} == _neighbour_names() | {"Bedford Borough"}
    count, population = _rate("E92000001", 2025)
    england = round(count / population * 10000, 1)
    for row in rows:
        if row["area_code"] != "E06000055":
            count, population = _rate(row["area_code"], 2025)
            assert float(row["value"]) == round(count / population * 10000, 1)
        lower, upper = float(row["lower_95"]), float(row["upper_95"])
        assert lower < float(row["value"]) < upper and row["interval_method"] == "computed by jsna (Byar's)"
        assert float(row["england"]) == england
        assert row["comparison_95"] == _verdict(float(row["value"]), lower, upper, england), row["area"]
    values = [float(r["value"]) for r in rows]
    assert values == sorted(values, reverse=True)
    table = _table((built / "index.html").read_text(encoding="utf-8"), 1)
    assert table[0] == ["England", f"{england:.1f}", "the comparator"]
    assert [r[0].removesuffix(" (this area)") for r in table[1:]] == [r["area"] for r in rows]
    for cells, row in zip(table[1:], rows):
        limits = f"{float(row['lower_95']):.1f} to {float(row['upper_95']):.1f}"
        assert cells[1:] == [f"{float(row['value']):.1f} ({limits})", row["comparison_95"]]
    all_areas = _csv_rows(built / "figure-2.csv")
    assert len(all_areas) == 153 == len({r["area_code"] for r in all_areas})


def test_compare_areas_alt_text_is_made_from_the_data(built):
    import html
    import re

    page = (built / "index.html").read_text(encoding="utf-8")
    alts = [html.unescape(a) for a in re.findall(r'<img src="figure-\d+\.svg" alt="([^"]*)"', page)]
    rows = _csv_rows(built / "figure-1.csv")
    own = next(r for r in rows if r["area_code"] == "E06000055")
    higher = sum(1 for r in rows if float(r["value"]) > float(own["value"]))
    than = f"England's ({float(own['england']):.1f} per 10,000)"
    verdict = {"similar": f"similar to {than}"}.get(own["comparison_95"], f"significantly {own['comparison_95']} than {than}")
    assert (f"Bedford Borough's rate, {float(own['value']):.1f} per 10,000, is {verdict}; "
            f"{higher} of its {len(rows) - 1} statistical neighbours {'is' if higher == 1 else 'are'} higher.") in alts[0]
    england = _csv_rows(built / "figure-2.csv")
    higher = sum(1 for r in england if float(r["value"]) > float(own["value"]))
    assert f"{higher} of the 152 other areas {'is' if higher == 1 else 'are'} higher." in alts[1]
    counts = {c: sum(1 for r in rows if r["comparison_95"] == c) for c in ("higher", "similar", "lower")}
    assert "Compared with England: " + ", ".join(f"{n} {c}" for c, n in counts.items() if n) + "." in alts[0]
    assert "Whiskers show 95% confidence intervals, computed by jsna (Byar's)." in alts[2]


def _texts(svg: str) -> list[tuple[str, str]]:
    """(style, text) of each text element of a chart's SVG."""
    import html
    import re

    return [(style, html.unescape(text)) for style, text in re.findall(r'<text[^>]*style="([^"]*)"[^>]*>(.*?)</text>', svg, re.DOTALL)]


def test_the_local_area_is_named_in_bold_and_only_it_and_the_extremes_of_153(built):
    few = _texts((built / "figure-1.svg").read_text(encoding="utf-8"))
    assert any("Bedford Borough" in text and "font-weight: 700" in style for style, text in few)
    joined = " ".join(text for _, text in few)  # a long name is wrapped onto lines of its own
    assert {n for n in _neighbour_names() if n in joined} == _neighbour_names()
    rows = _csv_rows(built / "figure-2.csv")
    for name in ("figure-2.svg", "figure-2-small.svg"):
        texts = _texts((built / name).read_text(encoding="utf-8"))
        said = {r["area"] for r in rows if any(r["area"] in text for _, text in texts)}
        assert said == {rows[0]["area"], rows[-1]["area"], "Bedford Borough"}, name
        assert any("Bedford Borough" in text and "font-weight: 700" in style for style, text in texts)
        assert any(text.startswith("England") for _, text in texts)


def test_small_charts_text_is_at_least_12_px(built):
    import re

    for name in ("figure-1-small.svg", "figure-2-small.svg", "figure-3-small.svg"):
        sizes = [float(s) for s in re.findall(r"font[^;\"]*?\s([\d.]+)px", (built / name).read_text(encoding="utf-8"))]
        assert sizes and min(sizes) >= 12, name


def test_intervals_on_a_line_chart(built):
    import html

    rows = _csv_rows(built / "figure-3.csv")
    assert {r["interval_method"] for r in rows} == {"computed by jsna (Byar's)"}
    assert all(float(r["lower_95"]) < float(r["value"]) < float(r["upper_95"]) for r in rows)
    table = _table((built / "index.html").read_text(encoding="utf-8"), 3)
    local = {r["period"]: r for r in rows if r["area"] == "Bedford Borough"}
    for cells in table:
        row = local[cells[0]]
        assert cells[1] == f"{float(row['value']):.1f} ({float(row['lower_95']):.1f} to {float(row['upper_95']):.1f})"
    svg = (built / "figure-3.svg").read_text(encoding="utf-8")
    assert "95% confidence interval" in html.unescape(svg)


def test_comparison_colours_pass_3_to_1_against_white():
    from jsna.draw.areas import COLOURS

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    from jsna.compute.areas import COMPARISONS

    assert set(COLOURS) == set(COMPARISONS)
    for name, colour in COLOURS.items():
        assert 1.05 / (luminance(colour) + 0.05) >= 3, name


def test_published_intervals_are_drawn_and_said_as_published(tmp_path):
    import csv
    import html
    import io

    from jsna.compute.views import compute_figure
    from jsna.draw.charts import draw_svg
    from jsna.errors import Position
    from jsna.model import FigureRef
    from test_data_formats import _project, fingertips_fixture

    rate = load_site(_project(tmp_path, fingertips_fixture())).indicator("cin-rate")
    ref = FigureRef("cin-rate", "bar", Position("chapters/c.md", 1), series=("local",), intervals=True)
    view = compute_figure("c", 1, ref, rate)
    rows = list(csv.DictReader(io.StringIO(view.csv)))
    for row in rows:
        level, lower, upper = next(limits for limits in rate.local.get(row["period"]).limits if limits[0] == 0.95)
        assert (float(row["lower_95"]), float(row["upper_95"]), row["interval_method"]) == (lower, upper, "as published")
    assert any("95% confidence intervals, as published" in note for note in view.notes)
    assert "Whiskers show 95% confidence intervals, as published." in view.alt
    assert "95% confidence interval, as published" in html.unescape(draw_svg(view.chart).decode("utf-8"))


def test_a_compare_areas_figure_carries_its_indicators_notes_as_words(built):
    from dataclasses import replace

    from jsna.compute.areas import figure
    from jsna.load.site import load_site
    from jsna.model import Note

    site = load_site(built.parent.parent)
    ref = next(f for c in site.chapters for f in c.figures if f.chart_type == "compare-areas")
    indicator = replace(site.indicator(ref.indicator), notes=(Note("A caveat."), Note("Of 2010 only.", period="2010")))
    notes = figure("c", 1, ref, indicator).notes
    assert "A caveat." in notes and "Of 2010 only." not in notes


def test_named_bars_names_never_run_into_each_other_nor_break_inside_a_word():
    """On the phone (small) and wide renditions, the wrapped names of a compare-areas chart's
    bars each keep to their own bar's room, whole words on each line; and the values written at
    the bars' ends stay on the canvas."""
    from jsna.compute.areas import AreaBar, AreasSpec
    from jsna.draw.charts import laid_out

    names = ["Bournemouth, Christchurch and Poole", "West Northamptonshire", "Kent", "Bedford Borough",
             "North East Lincolnshire", "Essex"]
    bars = tuple(AreaBar(name, 300.0 + 10 * i, 290.0 + 10 * i, 320.0 + 10 * i, "similar", local=name == "Bedford Borough")
                 for i, name in enumerate(names))
    spec = AreasSpec("areas-test", "compare-areas", bars, 330.0, "Rate per 10,000 children", "rate", 1, "")
    for small in (False, True):
        with laid_out(spec, small) as figure:
            renderer = figure._get_renderer()
            axes = figure.axes[0]
            labels = sorted((t.get_window_extent(renderer) for t in axes.get_yticklabels()), key=lambda b: b.y0)
            assert all(low.y1 <= high.y0 for low, high in zip(labels, labels[1:])), small
            words = {word for t in axes.get_yticklabels() for line in t.get_text().splitlines() for word in line.split()}
            assert "Northamptonshire" in words and "Christchurch" in words
            canvas = figure.bbox
            for text in axes.texts:
                box = text.get_window_extent(renderer)
                assert canvas.x0 <= box.x0 and box.x1 <= canvas.x1, (small, text.get_text())
