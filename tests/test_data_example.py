"""The example JSNA's data: the published files copied as released, each chapter's own council
read by code, and the seed's typed figures kept beside those computed from today's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from jsna.compute.views import value_text
from jsna.load.site import load_site
from test_data import SHARED, published

ROOT = Path(__file__).resolve().parent.parent
COUNCILS = {"children-in-need": ("bb", "E06000055"), "children-in-need-redcar": ("rc", "E06000003"),
            "safeguarding-children": ("cb", "E06000056")}


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT)


def test_the_copies_are_the_published_files():
    copies = [p for p in (ROOT / "data").rglob("*.csv")]
    assert copies
    for path in copies:
        assert path.read_bytes() == (SHARED / path.relative_to(ROOT / "data")).read_bytes()
    assert "Open Government Licence v3.0" in (ROOT / "data" / "README.md").read_text()


def test_each_chapter_quotes_its_own_councils_latest_figures(site):
    for slug, (prefix, code) in COUNCILS.items():
        chapter = next(c for c in site.chapters if c.slug == slug)
        used = {ref.indicator for ref in chapter.values} | {f.indicator for f in chapter.figures}
        assert {f"{prefix}-dfe-{name}" for name in ("cin", "cin-rate", "referrals", "rereferrals", "cp-repeat")} <= used
        cin = site.indicator(f"{prefix}-dfe-cin")
        assert cin.periods[0] == "31 March 2013" and cin.periods[-1] == "31 March 2025"
        assert cin.local.get("31 March 2025").value == float(published(
            "dfe/b1_children_in_need_2013_to_2025.csv", code, "2025", "At31_episodes"))
        assert cin.source.publisher == "Department for Education" and "Open Government Licence" in cin.source.dataset
        rate = site.indicator(f"{prefix}-dfe-cin-rate")
        assert {s.id for s in rate.comparators} == {"england", "region"}
        assert {g.id for g in rate.groups} == {"neighbours", "region", "england"}


def test_redcar_published_and_computed_rates_each_stay_what_they_are(site):
    typed, computed = site.indicator("rc-cin-rate"), site.indicator("rc-dfe-cin-rate")
    assert typed.local.get("31 March 2015").value == 347.7
    assert computed.local.get("31 March 2015").value == 347.2
    chapter = next(c for c in site.chapters if c.slug == "children-in-need-redcar")
    refs = {ref.raw: value_text(site.indicator(ref.indicator), ref) for ref in chapter.values}
    assert refs["{{ rc-cin-rate: period 31 March 2015 }}"] == "347.7 per 10,000"
    assert refs["{{ rc-dfe-cin-rate: period 31 March 2015 }}"] == "347.2 per 10,000"
    text = (ROOT / "chapters" / "children-in-need-redcar.md").read_text()
    assert "only the estimates of the child population changed" in text
