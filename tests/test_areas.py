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
from test_data import B1, POP, RATE, SHARED, data_project, published

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
        assert area.interval.method == "Byar's" and not area.published
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
    assert given_stat.published and (given_stat.interval.lower, given_stat.interval.upper) == (england + 1, england + 99)
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
    ("type: line\ngroup: region", "expected 'group' only on a compare-areas chart or a map, found it on a line chart"),
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
