"""Numbers in the narrative come from the data: `{{ id: aspect }}` in Markdown."""

from __future__ import annotations

import pytest

from jsna.cli import main
from jsna.compute.views import compute_site
from jsna.load.site import load_site

from conftest import CHAPTER, INDICATORS, write_project

PROPORTION = """\
  - id: screened
    title: Children screened
    definition: Share of children screened.
    measure: percentage
    polarity: higher-is-better
    source: {publisher: Test, dataset: Test}
    values:
      "2011": {value: 40.0, numerator: 400, denominator: 1000}
      "2012": {value: 45.0, numerator: 450, denominator: 1000}
      "2013": {value: 50.0, numerator: 500, denominator: 1000}
      "2014": {value: 55.0, numerator: 550, denominator: 1000}
      "2015": {value: 60.0, numerator: 600, denominator: 1000}
    comparators:
      england: {"2015": 52.0}
      region: {"2015": 59.0}
    target: {value: 58.0}
    groups:
      - id: north-east
        name: North East authorities
        period: "2015"
        values: {Hartlepool: 48.5, Durham: 61.2, Sunderland: 55.0, Gateshead: 60.0}
"""


def _values(tmp_path, line: str) -> dict[str, str]:
    root = write_project(
        tmp_path / "p",
        {"indicators.yaml": INDICATORS + PROPORTION, "chapters/children-in-need.md": CHAPTER + "\n" + line + "\n"},
    )
    (view,) = [v for v in compute_site(load_site(root)) if v.chapter.slug == "children-in-need"]
    return dict(view.values)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("{{ contacts }}", "7,541"),
        ("{{ contacts: latest-period }}", "2013-14"),
        ("{{ contacts: period 2012-13 }}", "8,197 (derived)"),
        ("{{ contacts: period 2011-12 }}", "not available"),
        ("{{ contacts: change }}", "a decrease of 8.0% since 2012-13"),
        ("{{ cin-rate }}", "347.7 per 10,000"),
        ("{{ cin-rate: change }}", "a decrease of 18.9% since 2014"),
        ("{{ cin-rate: compare england }}", "higher than England (337.3 per 10,000) in 2015, not tested for significance"),
        # 600/1000: Wilson 95% interval 56.9% to 63.0%, which excludes 52.0 and includes 59.0.
        ("{{ screened: compare england }}", "significantly better than England (52.0%) in 2015"),
        ("{{ screened: compare region }}", "similar to North East (59.0%) in 2015"),
        ("{{ screened: change-since-first }}", "an increase of 20.0 percentage points since 2011"),
        ("{{ screened: trend }}", "increasing"),
        ("{{ cin-rate: trend }}", "cannot be calculated"),
        # Testshire's own 60.0 joins the group: 48.5, 55.0, 60.0, 60.0, 61.2.
        ("{{ screened: rank north-east }}", "joint 3rd lowest of 5 North East authorities in 2015"),
        ("{{ screened: range north-east }}", "from 48.5% (Hartlepool) to 61.2% (Durham) across 5 North East authorities in 2015"),
        ("{{ screened: target }}", "60.0% in 2015, meeting the target of 58.0% by 2.0 percentage points"),
    ],
)
def test_value_words(tmp_path, ref, expected):
    assert _values(tmp_path, ref)[ref] == expected


def test_values_appear_in_the_page_escaped(tmp_path):
    root = write_project(tmp_path / "p", {"chapters/children-in-need.md": CHAPTER + "\nThere were {{ contacts }} contacts.\n"})
    assert main(["build", "--project", str(root), "--no-pdf", "-q"]) == 0
    html = (root / "site/children-in-need/index.html").read_text()
    assert 'There were <span class="data-value">7,541</span> contacts.' in html
    assert "{{" not in html


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("{{ contact }}", "expected a known indicator id in {{ contact }}, found 'contact' (did you mean 'contacts'?)"),
        ("{{ contacts: period 2010-11 }}", "expected a period of 'contacts' (2011-12, 2012-13, 2013-14), found '2010-11'"),
        ("{{ cin-rate: compare wales }}", "expected a comparator of 'cin-rate' (england, region), found 'wales'"),
        ("{{ contacts: latests }}", "expected an aspect (latest, latest-period, period, change, change-since-first, compare, trend, rank, range, target), found 'latests' (did you mean 'latest'?)"),
        ("{{ contacts: compare }}", "expected a comparator id after 'compare', found nothing"),
        ("{{ contacts: rank region }}", "expected a group of 'contacts' (it has none), found 'region'"),
        ("{{ contacts: target }}", "expected a target on 'contacts' for {{ contacts: target }}, found none"),
    ],
)
def test_bad_value_reference_names_file_and_line(tmp_path, capsys, ref, message):
    text = CHAPTER + "\nSome words, then " + ref + ".\n"
    line = text.count("\n")
    root = write_project(tmp_path / "p", {"chapters/children-in-need.md": text})
    assert main(["build", "--project", str(root), "--no-pdf", "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"chapters/children-in-need.md:{line}:18: {message}")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_value_must_be_what_its_numerator_and_denominator_make(tmp_path, capsys):
    bad = PROPORTION.replace('"2012": {value: 45.0, numerator: 450', '"2012": {value: 47.0, numerator: 450')
    root = write_project(tmp_path / "p", {"indicators.yaml": INDICATORS + bad})
    assert main(["build", "--project", str(root), "--no-pdf", "-q"]) == 1
    err = capsys.readouterr().err
    line = (INDICATORS + bad).splitlines().index('      "2012": {value: 47.0, numerator: 450, denominator: 1000}') + 1
    assert err == (
        f"indicators.yaml:{line}:23: expected the value to be numerator / denominator x 100 = 45.0 "
        "(indicator 'screened' in 2012), found 47.0\n"
    )
