"""What the search index holds, read back from Pagefind's fragments (one per page, gzipped JSON):
text from neighbouring elements is kept apart, so an excerpt never reads "Job titleAnalyst"."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from conftest import write_project
from jsna.cli import main
from jsna.render.search import find_pagefind


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> dict[str, str]:
    if find_pagefind() is None:
        pytest.skip("Pagefind is not installed")
    root = tmp_path_factory.mktemp("readers-search")
    project = write_project(root / "p")
    assert main(["build", "--project", str(project), "--out", str(root / "site"), "-q", "--no-pdf"]) == 0
    pages = {}
    for fragment in (root / "site" / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        data = json.loads(data[data.index(b"{"):])
        pages[data["url"]] = data["content"]
    return pages


def test_neighbouring_cells_and_terms_are_kept_apart(indexed):
    content = next(text for url, text in indexed.items() if "children-in-need" in url)
    assert "Job title Analyst" in content and "titleAnalyst" not in content
    assert "Name A. Person" in content
    assert "Warning This chapter" in content, "the warning's hidden word is kept apart from its text"
    # the headline table's cells: the count and the next column's value do not run together
    assert re.search(r"7,541[^\w–]", content), content


def test_charts_data_stays_out_of_the_index(indexed):
    # "Schools" is a category of a chart's data only (its alt text, data table and CSV): a name
    # in an all-area table or chart must not make every chapter with one a search hit.
    content = next(text for url, text in indexed.items() if "children-in-need" in url)
    assert "Schools" not in content and "Horizontal bar chart" not in content
    assert "Figure 3: Contacts by source" in content, "a figure's caption is indexed"
