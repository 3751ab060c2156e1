"""Wording as a reader sees it: UK dates in source lines, a snapshot date said once in a
caption, the unit with a target's shortfall, suppressed values said to be suppressed."""

from __future__ import annotations

from jsna.compute.views import compute_site
from jsna.load.site import load_site
from jsna.numbers import format_published
from tests.conftest import CHAPTER, INDICATORS, write_project


def _view(tmp_path, indicators=INDICATORS, chapter=CHAPTER):
    root = write_project(tmp_path / "p", {"indicators.yaml": indicators, "chapters/children-in-need.md": chapter})
    return next(v for v in compute_site(load_site(root)) if v.chapter.slug == "children-in-need")


def test_publication_dates_are_written_in_uk_style():
    assert format_published("2016-04-25") == "25 April 2016"
    assert format_published("2023-11") == "November 2023"
    assert format_published("2016") == "2016"


def test_a_source_line_gives_its_date_in_uk_style(tmp_path):
    figure = _view(tmp_path).figures[0]
    assert figure.source == "Source: Test Council, Test returns, published 1 February 2015."


def test_a_snapshot_date_the_title_names_is_written_once_in_the_caption(tmp_path):
    indicators = INDICATORS.replace(
        '"2014": 428.6\n      "2015": 347.7', '31 March 2014: 428.6\n      31 March 2015: 347.7'
    ).replace('england: {"2014": 346.4, "2015": 337.3}', "england: {31 March 2015: 337.3}").replace(
        'region: {"2015": 451.0}', "region: {31 March 2015: 451.0}"
    ).replace("title: Children in need\n", "title: Children in need at 31 March\n")
    chapter = CHAPTER.replace("periods: 2014 to 2015\n", "")
    figure = _view(tmp_path, indicators, chapter).figures[1]
    assert figure.caption == "Figure 2: Children in need at 31 March, 2014 to 2015"
    assert "31 March 2014" not in figure.alt.split(".")[0]


def test_a_caption_keeps_dates_the_title_does_not_name(tmp_path):
    indicators = INDICATORS.replace(
        '"2014": 428.6\n      "2015": 347.7', '31 March 2014: 428.6\n      31 March 2015: 347.7'
    ).replace('england: {"2014": 346.4, "2015": 337.3}', "england: {31 March 2015: 337.3}").replace(
        'region: {"2015": 451.0}', "region: {31 March 2015: 451.0}"
    )
    chapter = CHAPTER.replace("periods: 2014 to 2015\n", "")
    assert _view(tmp_path, indicators, chapter).figures[1].caption == "Figure 2: Children in need, 31 March 2014 to 31 March 2015"


def test_a_target_shortfall_gives_its_unit(tmp_path):
    indicators = INDICATORS.replace("    polarity: lower-is-better\n", "    polarity: lower-is-better\n    target: {value: 300}\n")
    chapter = CHAPTER + "\nAgainst the target: {{ cin-rate: target }}.\n"
    text = dict(_view(tmp_path, indicators, chapter).values)["{{ cin-rate: target }}"]
    assert text.endswith("missing the target of 300.0 per 10,000 by 47.7 per 10,000")


def test_a_suppressed_value_is_said_to_be_suppressed_in_prose_and_alt_text(tmp_path):
    indicators = INDICATORS.replace('"2014": 428.6\n      "2015": 347.7', '"2014": c\n      "2015": c')
    chapter = CHAPTER + "\nThe latest rate: {{ cin-rate: latest }}.\n"
    view = _view(tmp_path, indicators, chapter)
    said = dict(view.values)["{{ cin-rate: latest }}"]
    assert said == "c (suppressed to protect confidentiality)"
    alt = view.figures[1].alt
    assert "no values available" not in alt
    assert "Testshire: every value suppressed to protect confidentiality." in alt


def test_alt_text_names_suppressed_and_missing_periods_apart(tmp_path):
    indicators = INDICATORS.replace('"2014": 428.6\n      "2015": 347.7', '"2014": c\n      "2015": null')
    alt = _view(tmp_path, indicators).figures[1].alt
    assert "Testshire: Suppressed (c): 2014. No value for 2015." in alt
