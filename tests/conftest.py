"""A tiny JSNA folder written fresh for each test, and helpers to build it and read it back."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

CONFIG = """\
title: Test JSNA
organisation: Test Public Health Team
area: Testshire
comparators:
  england: England
  region: North East
"""

INDICATORS = """\
indicators:
  - id: contacts
    title: Contacts to children's social care
    definition: Information received about a child.
    measure: count
    polarity: no-judgement
    source:
      publisher: Test Council
      dataset: Test returns
      published: 2015-02-01
    values:
      2011-12: null
      2012-13: {value: 8197, derived: "from the 8% decrease stated for 2013-14"}
      2013-14: 7541
    breakdowns:
      - id: source
        title: Contacts by source
        measure: percentage
        categories: [Police, Schools, Other]
        values:
          2013-14: {Police: 46.4, Schools: 20.0, Other: 33.6}
  - id: cin-rate
    title: Children in need
    definition: Children in need at 31 March per 10,000 children aged 0-17.
    measure: rate
    per: 10000
    unit: children aged 0-17
    polarity: lower-is-better
    source:
      publisher: Department for Education
      dataset: Characteristics of children in need
    values:
      "2014": 428.6
      "2015": 347.7
    comparators:
      england: {"2014": 346.4, "2015": 337.3}
      region: {"2015": 451.0}
"""

CHAPTER = """\
---
title: Children in need
summary: Contacts and children in need in Testshire.
theme: Children and young people
last_updated: 2015-02-01
next_review: 2016-02-01
key_contact:
  name: A. Person
  job_title: Analyst
  email: analyst@example.org
related: [other]
references:
  - text: Department for Education (2013) Working Together.
    url: https://www.gov.uk/
---
An introduction with a link to [the other chapter](other.md).

## What are the key issues? {last_updated=2016-04-05}

Contacts fell.

```figure
indicator: contacts
type: line
```

## What is the level of need?

```figure
indicator: cin-rate
type: grouped-bar
series: [local, england, region]
periods: 2014 to 2015
```

Some words between figures.

```figure
indicator: contacts
type: horizontal-bar
breakdown: source
```

## Recommendations

- Do better.
"""

OTHER = """\
---
title: Other chapter
summary: Another chapter.
theme: Adults
last_updated: 2015-03-01
---
## What are the key issues?

Back to [children in need](children-in-need.md).
"""


def write_project(root: Path, files: dict[str, str] | None = None) -> Path:
    """Write the tiny project to root, with any files replaced or added."""
    contents = {
        "jsna.yaml": CONFIG,
        "indicators.yaml": INDICATORS,
        "chapters/children-in-need.md": CHAPTER,
        "chapters/other.md": OTHER,
    }
    contents.update(files or {})
    for name, text in contents.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")
