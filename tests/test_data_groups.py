"""Groups from a data file (the region's authorities, the DfE statistical neighbours joined on
the three-digit LA number, all English authorities) and local-authority code changes."""

from __future__ import annotations

import csv
import shutil

import pytest

from jsna.errors import JsnaError
from jsna.load.site import load_site
from test_data import B1, COMPARED, COUNT, RATE, SHARED, data_project, indicator, published

SN = "dfe/sn_model_2025_wide.csv"


def _rows(name):
    with open(SHARED / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _with_neighbours(root):
    (root / "data" / "dfe").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHARED / SN, root / "data" / SN)
    config = root / "jsna.yaml"
    config.write_text(config.read_text() + f"statistical_neighbours: {SN}\n")
    return root


def test_groups_in_the_latest_period(tmp_path):
    assert load_site(data_project(tmp_path / "count", COUNT)).indicator("cin").groups == ()
    site = load_site(_with_neighbours(data_project(tmp_path, RATE)))
    groups = {g.id: g for g in site.indicator("cin-rate").groups}
    assert set(groups) == {"neighbours", "region", "england"}
    latest = [r for r in _rows(B1) if r["time_period"] == "2025" and r["geographic_level"] == "Local authority"]
    assert groups["england"].period == "31 March 2025"
    assert len(groups["england"].members) == len(latest)
    east = [r for r in latest if r["region_code"] == "E12000006"]
    assert len(groups["region"].members) == len(east)
    members = groups["region"].numbers()
    assert members["Bedford Borough"] == site.indicator("cin-rate").local.get("31 March 2025").value
    assert "Bedford" not in members  # the local area under its own name, once
    bedford = next(r for r in _rows(SN) if r["old_la_code"] == "822")
    near = {bedford[f"SN_{i}"] for i in range(1, 11)}
    expected = {r["la_name"] for r in latest if r["old_la_code"] in near}
    assert set(groups["neighbours"].numbers()) == expected | {"Bedford Borough"}


def test_rates_for_every_member(tmp_path):
    site = load_site(data_project(tmp_path, RATE))
    region = next(g for g in site.indicator("cin-rate").groups if g.id == "region").numbers()
    count = float(published(B1, "E06000056", "2025", "At31_episodes"))
    population = float(published("ons/ons_mid-year_population_estimates_2012_to_2024.csv", "E06000056", "2024", "population_estimate"))
    assert region["Central Bedfordshire"] == round(count / population * 10000, 1)


def test_london_borough_region_is_inner_or_outer_london(tmp_path):
    site = load_site(data_project(tmp_path, COMPARED, "area_code: E09000007\n"))  # Camden
    cin = site.indicator("cin")
    row = next(r for r in _rows(B1) if r["new_la_code"] == "E09000007" and r["time_period"] == "2025")
    assert cin.series("region").name == row["region_name"] == "Inner London"
    assert cin.series("region").get("31 March 2025").value == float(published(B1, row["region_code"], "2025", "At31_episodes"))


def test_a_declared_predecessor_code_continues_the_series(tmp_path):
    item = indicator("cin", "count", f"file: {B1}\nvalue: At31_episodes\nperiods: 31 March\npredecessor: E10000002")
    cin = load_site(data_project(tmp_path, item, "area_code: E06000060\n")).indicator("cin")
    assert cin.periods[0] == "31 March 2013" and cin.periods[-1] == "31 March 2025"
    old = cin.local.get("31 March 2015")
    assert old.value == float(published(B1, "E10000002", "2015", "At31_episodes"))
    assert "E10000002" in old.note
    assert cin.local.get("31 March 2025").note is None


def test_a_split_is_never_joined_and_the_series_says_where_it_starts(tmp_path):
    item = indicator("cin", "count", f"file: {B1}\nvalue: At31_episodes\nperiods: 31 March\npredecessor: E10000021")
    with pytest.raises(JsnaError) as caught:
        load_site(data_project(tmp_path, item, "area_code: E06000061\n"))
    assert "a split or merger, whose series cannot be joined" in str(caught.value)
    assert "predecessor: E10000021" not in str(caught.value) and str(caught.value).startswith("indicators.yaml:")
    cin = load_site(data_project(tmp_path / "alone", COUNT, "area_code: E06000061\n")).indicator("cin")
    assert cin.periods[0] == "31 March 2022"
    assert any(n.startswith("No values before 31 March 2022 for E06000061") for n in cin.notes)
