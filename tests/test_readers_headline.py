"""The headline table as readers read it: only the area's own values in its column, notes only
where they apply, a suppressed latest value shown as suppressed, and why a trend is missing."""

from __future__ import annotations

from jsna.compute.views import compute_site
from jsna.load.site import load_site
from tests.conftest import INDICATORS, write_project

ENGLAND_ONLY = INDICATORS + """\
  - id: eng-starts
    title: Children who became subject to a plan
    definition: Children in England starting a child protection plan.
    area: England
    measure: count
    polarity: no-judgement
    source: {publisher: Test, dataset: Test}
    values: {"2014": 59800, "2015": 62200}
"""

SUPPRESSED_LATEST = INDICATORS.replace(
    '"2014": 428.6\n      "2015": 347.7',
    '"2013": {value: 9.1, numerator: 30, denominator: 33000}\n'
    '      "2014": {value: 8.6, numerator: 28, denominator: 32558}\n'
    '      "2015": {value: 1.2, numerator: 4, denominator: 33333}',
)


def _headline(tmp_path, indicators: str, chapter_extra: str = ""):
    files = {"indicators.yaml": indicators}
    if chapter_extra:
        from tests.conftest import CHAPTER

        files["chapters/children-in-need.md"] = CHAPTER + chapter_extra
    root = write_project(tmp_path / "p", files)
    site = load_site(root)
    view = next(v for v in compute_site(site) if v.chapter.slug == "children-in-need")
    return view.headline


def _row(headline, title):
    return next(r for r in headline.rows if r.indicator.startswith(title))


def test_another_areas_value_never_sits_in_the_local_column(tmp_path):
    figure = "\n```figure\nindicator: eng-starts\ntype: bar\n```\n"
    headline = _headline(tmp_path, ENGLAND_ONLY, figure)
    row = _row(headline, "Children who became subject")
    assert "62,200" not in row.value
    assert row.value == "not available"
    england = headline.comparator_names.index("England")
    assert row.comparators[england].value == "62,200"
    assert "England" not in row.unit
    # every other row's England cell is the comparator's, and no value is lost
    assert sum("62,200" in c.value for r in headline.rows for c in r.comparators) == 1


def test_an_area_no_comparator_names_gets_its_own_column(tmp_path):
    indicators = ENGLAND_ONLY.replace("area: England", "area: Wales")
    figure = "\n```figure\nindicator: eng-starts\ntype: bar\n```\n"
    headline = _headline(tmp_path, indicators, figure)
    assert headline.comparator_names[-1] == "Wales"
    row = _row(headline, "Children who became subject")
    assert row.comparators[-1].value == "62,200" and row.value == "not available"
    assert all(r.comparators[-1].value == "–" for r in headline.rows if r is not row)


def test_notes_only_where_they_apply(tmp_path):
    from tests.conftest import CHAPTER

    no_comparators = INDICATORS[: INDICATORS.index("    comparators:")]
    chapter = CHAPTER.replace("series: [local, england, region]\n", "")
    root = write_project(tmp_path / "p", {"indicators.yaml": no_comparators, "chapters/children-in-need.md": chapter})
    headline = next(v for v in compute_site(load_site(root)) if v.chapter.slug == "children-in-need").headline
    assert headline.comparator_names == ()
    assert not any("95% confidence" in n for n in headline.notes)
    assert not any("Not compared" in n for n in headline.notes)
    assert any("Recent trend" in n for n in headline.notes)
    with_comparators = _headline(tmp_path / "b", INDICATORS)
    assert any("95% confidence" in n for n in with_comparators.notes)


def test_a_suppressed_latest_value_is_shown_as_suppressed_in_the_latest_period(tmp_path):
    headline = _headline(tmp_path, SUPPRESSED_LATEST)
    row = _row(headline, "Children in need")
    assert row.period == "2015"
    assert row.value.startswith("c") and "suppressed" in row.value
    assert "8.6" not in row.value
    assert any(n.startswith("c: suppressed to protect confidentiality") for n in headline.notes)


def test_why_a_trend_cannot_be_calculated_in_one_phrase(tmp_path):
    headline = _headline(tmp_path, INDICATORS)
    assert _row(headline, "Children in need").trend.words == "Cannot be calculated: fewer than five periods"
    five = INDICATORS.replace(
        '"2014": 428.6\n      "2015": 347.7',
        "\n".join(f'      "{y}": {v}' for y, v in zip(range(2011, 2016), (400.1, 410.2, 420.3, 428.6, 347.7))).lstrip(),
    ).replace('england: {"2014": 346.4, "2015": 337.3}', 'england: {"2015": 337.3}')
    words = _row(_headline(tmp_path / "b", five), "Children in need").trend.words
    assert words == "Cannot be calculated: no count and population published"
