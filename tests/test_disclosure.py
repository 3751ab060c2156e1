"""Small counts, and everything built on them, appear nowhere under site/."""

from __future__ import annotations

import csv
import io
import re

import pytest

from jsna.cli import main

from conftest import CONFIG, write_project

INDICATORS = """\
indicators:
  - id: plans
    title: Child protection plans
    definition: Children subject to a plan at 31 March.
    measure: count
    polarity: no-judgement
    source: {publisher: Test, dataset: Test}
    values:
      "2014": 1234
      "2015": 3
    breakdowns:
      - id: category
        title: Plans by category
        measure: count
        categories: [Neglect, Emotional abuse, Sexual abuse]
        values:
          "2014": {Neglect: 601, Emotional abuse: 629, Sexual abuse: 4}
  - id: plan-rate
    title: Plan rate
    definition: Plans per 10,000 children.
    measure: rate
    per: 10000
    polarity: lower-is-better
    source: {publisher: Test, dataset: Test}
    values:
      "2014": {value: 40.8, numerator: 1234, denominator: 302451}
      "2015": {value: 0.1, numerator: 3, denominator: 302451}
  - id: unaccompanied
    title: Unaccompanied children
    definition: Share of children in care who arrived unaccompanied.
    measure: percentage
    polarity: no-judgement
    source: {publisher: Test, dataset: Test}
    values:
      "2015": {value: 1.7, numerator: 5, denominator: 287}
      "2016": z
"""

CHAPTER = """\
---
title: Safeguarding
summary: Plans.
theme: Children
last_updated: 2016-06-01
---
## What is the level of need?

In 2015 there were {{ plans }} plans, a rate of {{ plan-rate }}; {{ plans: change }}.
Unaccompanied: {{ unaccompanied: period 2015 }}.

```figure
indicator: plans
type: bar
```

```figure
indicator: plans
type: horizontal-bar
breakdown: category
```

```figure
indicator: plan-rate
type: line
```

```figure
indicator: unaccompanied
type: bar
```
"""


@pytest.fixture
def built(tmp_path):
    root = write_project(
        tmp_path / "p",
        {"indicators.yaml": INDICATORS, "chapters/children-in-need.md": None, "chapters/other.md": None,
         "chapters/safeguarding.md": CHAPTER, "jsna.yaml": CONFIG},
    )
    assert main(["build", "--project", str(root), "-q"]) == 0
    return root / "site"


def _everything(site) -> str:
    pypdf = pytest.importorskip("pypdf")
    texts = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".csv", ".svg", ".json"):
            texts.append(path.read_text())
        elif path.suffix == ".pdf":
            texts.extend(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return "\n".join(texts)


def _shows(text: str, number: str) -> bool:
    """The number as a number of its own, not digits inside another (an SVG coordinate)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text) is not None


def test_small_counts_and_what_is_built_on_them_appear_nowhere(built):
    text = _everything(built)
    # 4 sexual abuse plans is hidden; 601 is hidden too, or 1234 - 629 - 601 would give it away.
    assert not _shows(text, "601")
    # 3 plans in 2015, its rate (0.1 per 10,000) and the 5 of 287 (1.7%) are hidden.
    assert not _shows(text, "0.1") and not _shows(text, "1.7") and not _shows(text, "287")
    assert "of 99.8%" not in text  # no change built on the hidden 3 (a decrease of 99.8%)
    assert _shows(text, "629") and _shows(text, "1,234"), "cells that give nothing away stay"


def test_suppressed_cells_say_c_with_a_footnote(built):
    html = (built / "safeguarding/index.html").read_text()
    assert "In 2015 there were <span class=\"data-value\">c (suppressed to protect confidentiality)</span> plans" in html
    assert "suppressed to protect confidentiality" in html
    assert "<td>not applicable</td>" in html
    rows = list(csv.DictReader(io.StringIO((built / "safeguarding/figure-2.csv").read_text())))
    assert {r["category"]: (r["value"], r["status"]) for r in rows} == {
        "Neglect": ("", "suppressed"),
        "Emotional abuse": ("629", "published"),
        "Sexual abuse": ("", "suppressed"),
    }
    svg = (built / "safeguarding/figure-1.svg").read_text()
    assert "c (suppressed)" in svg


def test_suppression_can_be_turned_off(tmp_path):
    root = write_project(
        tmp_path / "p",
        {"indicators.yaml": INDICATORS, "chapters/children-in-need.md": None, "chapters/other.md": None,
         "chapters/safeguarding.md": CHAPTER,
         "jsna.yaml": CONFIG + "disclosure: {smallest: 1, largest: 0}\n"},
    )
    assert main(["build", "--project", str(root), "--no-pdf", "-q"]) == 0
    assert "601" in (root / "site/safeguarding/index.html").read_text()
