"""The rank among statistical neighbours in the headline table and the open data, ordered by the
indicator's polarity, from a site built on the real DfE and ONS files (the expected rank is
computed here from the files with the csv module)."""

from __future__ import annotations

import csv
import io
import re

from jsna.build.pipeline import build
from jsna.compute.stats import ordinal
from test_data import B1, POP, RATE, data_project, published
from test_data_build import CHAPTER
from test_data_groups import SN, _rows, _with_neighbours


def _expected(highest_first: bool) -> tuple[int, int]:
    """Bedford's place among itself and its ten neighbours on 31 March 2025, and how many."""
    bedford = next(r for r in _rows(SN) if r["old_la_code"] == "822")
    numbers = {bedford[f"SN_{i}"] for i in range(1, 11)} | {"822"}
    rates = {}
    for row in _rows(B1):
        if row["time_period"] == "2025" and row["geographic_level"] == "Local authority" and row["old_la_code"] in numbers:
            code = row["new_la_code"]
            population = float(published(POP, code, "2024", "population_estimate"))
            rates[code] = round(float(row["At31_episodes"]) / population * 10000, 1)
    own = rates["E06000055"]
    ahead = sum(1 for v in rates.values() if (v > own if highest_first else v < own))
    return ahead + 1, len(rates)


def _site(tmp_path, polarity="no-judgement"):
    root = _with_neighbours(data_project(tmp_path / "project", RATE.replace("no-judgement", polarity)))
    (root / "chapters" / "children-in-need.md").write_text(CHAPTER, encoding="utf-8")
    out = root / "site"
    build(root, out, pdf=False, workers=1)
    return out


def _headline_cell(page: str) -> str:
    table = page[page.index('class="headline-table"'):page.index("</table>")]
    head = re.findall(r'<th scope="col">([^<]*)</th>', table)
    assert "Rank among statistical neighbours" in head
    cell = re.search(r'<td data-label="Rank among statistical neighbours"><span>(.*?)</span></td>', table, re.S)
    return re.sub(r"<[^>]+>", " ", cell.group(1))


def test_headline_and_open_data_rank_among_neighbours(tmp_path):
    out = _site(tmp_path)
    rank, size = _expected(highest_first=True)
    assert size == 11
    cell = _headline_cell((out / "children-in-need/index.html").read_text())
    assert f"{ordinal(rank)} of {size}" in cell
    assert "1st is the highest" in cell and "best" not in cell
    rows = list(csv.DictReader(io.StringIO((out / "children-in-need/children-in-need-data.csv").read_text())))
    ranked = {(r["period"], r["neighbour_rank"], r["neighbour_rank_of"], r["neighbour_rank_first"]) for r in rows if r["neighbour_rank"]}
    assert ranked == {("31 March 2025", str(rank), str(size), "highest")}


def test_lower_is_better_ranks_the_lowest_first(tmp_path):
    out = _site(tmp_path, "lower-is-better")
    rank, size = _expected(highest_first=False)
    cell = _headline_cell((out / "children-in-need/index.html").read_text())
    assert f"{ordinal(rank)} of {size}" in cell and "1st is the lowest, the best" in cell
    document = (out / "children-in-need/children-in-need-data.json").read_text()
    assert f'"neighbour_rank":{rank},"neighbour_rank_of":{size},"neighbour_rank_first":"lowest (best)"' in document


def test_no_rank_column_without_neighbours(tmp_path):
    root = data_project(tmp_path / "project", RATE)
    (root / "chapters" / "children-in-need.md").write_text(CHAPTER, encoding="utf-8")
    build(root, root / "site", pdf=False, workers=1)
    assert "Rank among" not in (root / "site/children-in-need/index.html").read_text()


def test_a_typed_neighbour_group_is_ranked_by_polarity(tmp_path):
    """A `groups:` entry typed in indicators.yaml with the id `neighbours`: 60.0% among 48.5,
    61.2, 55.0 and 60.0, higher is better: joint 2nd of 5 (one area higher, one the same)."""
    from conftest import CHAPTER, INDICATORS, write_project
    from jsna.compute.views import compute_site
    from jsna.load.site import load_site
    from test_values import PROPORTION

    typed = PROPORTION.replace("id: north-east", "id: neighbours")
    root = write_project(tmp_path / "p", {"indicators.yaml": INDICATORS + typed,
                                          "chapters/children-in-need.md": CHAPTER + "\n{{ screened }}\n"})
    (view,) = [v for v in compute_site(load_site(root)) if v.chapter.slug == "children-in-need"]
    row = next(r for r in view.headline.rows if r.indicator == "Children screened")
    assert (row.rank.text, row.rank.order) == ("joint 2nd of 5", "1st is the highest, the best")
    assert view.headline.rank_column == "Rank among statistical neighbours"
    rows = [r for r in csv.DictReader(io.StringIO(view.data_csv)) if r["indicator_id"] == "screened" and r["neighbour_rank"]]
    assert {(r["period"], r["neighbour_rank"], r["neighbour_rank_of"], r["neighbour_rank_first"]) for r in rows} == {("2015", "2", "5", "highest (best)")}
