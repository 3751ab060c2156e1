"""The funnel and spine charts end to end: a small site built from the published files, its
figures read back as HTML tables, CSV and SVG, checked against values worked out here from the
same CSV (the funnel's limits by the formulas, the spine's percentiles by linear interpolation);
and the figure blocks' mistakes reported at their place."""

from __future__ import annotations

import csv
import io
import math
import re
import statistics
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jsna.cli import main
from jsna.compute import stats
from test_data import B1, C1, SHARED, data_project, indicator

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="the published files are not here")

RATE = indicator("cin-rate", "rate", f"""
file: {B1}
numerator: At31_episodes
periods: 31 March
denominator:
  file: ons/ons_mid-year_population_estimates_2012_to_2024.csv
  value: population_estimate
  year: previous
""", extra="    per: 10000\n    denominator: Children aged 0 to 17\n")
REREFERRALS = indicator("rereferrals", "percentage", f"""
file: {C1}
value: rereferral_percent
numerator: rereferral_count
denominator: referral_count
periods: financial year
""", extra="    decimals: 1\n    denominator: Referrals in the year\n").replace(
    "polarity: no-judgement", "polarity: lower-is-better")
TYPED = """\
  - id: typed
    title: Typed share
    definition: Typed by hand for one area.
    area: Bedford Borough
    measure: percentage
    polarity: no-judgement
    source:
      publisher: Test Council
      dataset: Test returns
    values:
      2024-25: {value: 20.0, numerator: 20, denominator: 100}
"""
FIGURES = """\
```figure
indicator: rereferrals
type: funnel
```

```figure
indicator: cin-rate
type: funnel
```

```figure
type: spine
indicators: [cin-rate, rereferrals, typed]
```
"""


def _chapter(body: str) -> str:
    return f"---\ntitle: C\nsummary: S\ntheme: T\nlast_updated: 2025-01-01\n---\nText.\n\n{body}"


def _build(tmp_path: Path, body: str = FIGURES) -> Path:
    root = data_project(tmp_path / "project", RATE + REREFERRALS + TYPED)
    (root / "chapters" / "children-in-need.md").write_text(_chapter(body), encoding="utf-8")
    out = tmp_path / "site"
    assert main(["build", "--project", str(root), "--out", str(out), "--no-pdf", "-q"]) == 0
    return out / "children-in-need"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("spinefunnel"))


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


class _Tables(HTMLParser):
    """Each figure's data table as rows of cell texts, by the figure's id."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.figure = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.figure = attrs.get("id")
        elif tag == "tr" and self.figure:
            self.tables.setdefault(self.figure, []).append([])
        elif tag in ("td", "th") and self.figure and self.figure in self.tables:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[self.figure][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _tables(folder: Path) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed((folder / "index.html").read_text(encoding="utf-8"))
    return parser.tables


def _band(lower: bool, upper: bool, outer: bool) -> str:
    return ("above 99.8%" if outer else "above 95%") if upper else ("below 99.8%" if outer else "below 95%") if lower else ""


def test_a_percentage_funnel_lists_every_area_in_the_band_the_formula_gives(built):
    rows = _rows((built / "figure-1.csv").read_text(encoding="utf-8"))
    placed = [r for r in rows if r["numerator"]]
    assert len(placed) == 153 and len(rows) == 153
    mean = sum(float(r["numerator"]) for r in placed) / sum(float(r["denominator"]) for r in placed)
    assert float(rows[0]["funnel_average"]) == pytest.approx(100 * mean, abs=1e-4)
    for r in placed:
        n, p = float(r["denominator"]), float(r["numerator"]) / float(r["denominator"])
        band = "within 95%"
        for z, outer in ((3.090232306167813, True), (1.959963984540054, False)):
            reach = z * math.sqrt(mean * (1 - mean) / n)
            found = _band(p < mean - reach, p > mean + reach, outer)
            if found:
                band = found
                break
        assert r["funnel_band"] == band, r["area"]
    assert {r["funnel_band"] for r in placed} >= {"above 99.8%", "within 95%", "below 99.8%"}


def test_a_rate_funnel_bands_by_the_exact_poisson_limits(built):
    rows = _rows((built / "figure-2.csv").read_text(encoding="utf-8"))
    mean = sum(float(r["numerator"]) for r in rows) / sum(float(r["denominator"]) for r in rows)
    for r in rows:
        count, expected = float(r["numerator"]), mean * float(r["denominator"])
        band = "within 95%"
        for confidence, outer in ((0.998, True), (0.95, False)):
            limits = stats.exact_poisson_interval(count, confidence)
            found = _band(limits.upper < expected, limits.lower > expected, outer)
            if found:
                band = found
                break
        assert r["funnel_band"] == band, r["area"]


def test_the_funnel_table_svg_and_alt_text_tell_the_same(built):
    table = _tables(built)["figure-1"]
    rows = _rows((built / "figure-1.csv").read_text(encoding="utf-8"))
    assert table[0] == ["Area", "Value", "Denominator", "Against the control limits"]
    assert len(table) == 1 + len(rows)
    (local,) = [row for row in table if row[0].endswith("(this area)")]
    assert local[0] == "Bedford Borough (this area)"
    assert local[3] == next(r["funnel_band"] for r in rows if r["area"] == "Bedford Borough")
    html = (built / "index.html").read_text(encoding="utf-8")
    alt = re.search(r'<img src="figure-1.svg" alt="([^"]*)"', html)[1]
    for band in ("above 99.8%", "below 99.8%"):
        count = sum(1 for r in rows if r["funnel_band"] == band)
        assert f"{count} {band.replace(' ', ' the ', 1)} limit" in alt
    svg = (built / "figure-1.svg").read_text(encoding="utf-8")
    for text in ("Bedford Borough", "95% limits", "99.8% limits", "Above the 99.8% limit"):
        assert text in svg
    assert "Here " in html and "fall outside the 99.8% limits" in html  # the real files are overdispersed


def test_the_spine_row_percentiles_are_the_areas_own(built):
    funnel_rows = _rows((built / "figure-2.csv").read_text(encoding="utf-8"))
    values = sorted(float(r["value"]) for r in funnel_rows)
    spine = {r["indicator_id"]: r for r in _rows((built / "figure-3.csv").read_text(encoding="utf-8"))}
    rate = spine["cin-rate"]
    q25, _, q75 = statistics.quantiles(values, n=4, method="inclusive")
    assert float(rate["percentile_25"]) == pytest.approx(q25, abs=1e-4)
    assert float(rate["percentile_75"]) == pytest.approx(q75, abs=1e-4)
    assert (float(rate["lowest"]), float(rate["highest"]), rate["authorities"]) == (values[0], values[-1], "153")
    england = float(rate["england"])
    assert rate["compared_with_england"] in ("higher", "similar", "lower")
    assert spine["typed"]["lowest"] == "" and "No spine" in spine["typed"]["note"]
    assert england > 0


def test_the_spine_says_where_an_indicator_has_no_every_area_figures(built):
    table = _tables(built)["figure-3"]
    assert table[0][:4] == ["Indicator", "Bedford Borough", "England", "Compared with England"]
    typed = next(row for row in table if row[0].startswith("Typed share"))
    assert "no figures for every English authority" in " ".join(typed)
    svg = (built / "figure-3.svg").read_text(encoding="utf-8")
    small = (built / "figure-3-small.svg").read_text(encoding="utf-8")
    for drawn in (svg, small):
        assert "No spine" in drawn and "25th to 75th percentile" in drawn and "England" in drawn
    # lower is better: the worst (highest) value at the left end, the best at the right
    assert "Worst " in svg and "Best " in svg and "Lowest " in svg and "Highest " in svg


@pytest.mark.parametrize("body, expected", [
    ("```figure\nindicator: typed\ntype: funnel\n```\n", "expected 'typed' to have a group of every English authority"),
    ("```figure\nindicator: cin-rate\ntype: funnel\nperiods: 31 March 2025\n```\n", "expected no 'periods' on a funnel chart"),
    ("```figure\ntype: spine\nindicators: [cin-rate, nope]\n```\n", "expected a known indicator id, found 'nope'"),
    ("```figure\ntype: spine\nindicator: cin-rate\nindicators: [cin-rate]\n```\n", "expected 'indicators' (a list, one row each) on a spine chart"),
    ("```figure\nindicator: cin-rate\ntype: line\nindicators: [cin-rate]\n```\n", "expected 'indicators' only on a spine chart"),
    ("```figure\ntype: spine\nindicators: [cin-rate, cin-rate]\n```\n", "expected each indicator once"),
])
def test_figure_mistakes_are_reported_at_their_place(tmp_path, capsys, body, expected):
    root = data_project(tmp_path / "project", RATE + REREFERRALS + TYPED)
    (root / "chapters" / "children-in-need.md").write_text(_chapter(body), encoding="utf-8")
    assert main(["check", "--project", str(root)]) == 1
    err = capsys.readouterr().err
    assert expected in err and "chapters/children-in-need.md:" in err


def _contrast(one: str, other: str = "#FFFFFF") -> float:
    """WCAG's contrast ratio of two colours (#RRGGBB)."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_colours_that_tell_things_apart_pass_3_to_1():
    from jsna.draw import funnel as drawn_funnel
    from jsna.draw import spine as drawn_spine

    for _, colour, _, _ in drawn_funnel.BAND_LOOK.values():
        assert _contrast(colour) >= 3
    assert _contrast(drawn_funnel.LIMIT_COLOUR) >= 3
    assert _contrast(drawn_spine.OUTER) >= 3 and _contrast(drawn_spine.OUTER, drawn_spine.MIDDLE) >= 3
    assert _contrast(drawn_spine.EDGE, drawn_spine.MIDDLE) >= 3
