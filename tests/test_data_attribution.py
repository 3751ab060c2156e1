"""Who published the data files: every page's footer, the data sources page and each chapter's
PDF, made from the files the indicators read and their sources (never typed per page); a file
read that no source describes is a warning. Built from the real DfE and ONS files."""

from __future__ import annotations

import re

import pytest

from jsna.build.pipeline import build
from jsna.load.site import load_site
from test_data import POP, RATE, data_project
from test_data_build import CHAPTER

pypdf = pytest.importorskip("pypdf")

POPULATION_SOURCE = f"""\
data_sources:
  {POP}:
    publisher: Office for National Statistics
    dataset: Mid-year population estimates
    licence: Open Government Licence v3.0
    url: https://www.ons.gov.uk/
"""
LINE = "Data from Department for Education and Office for National Statistics, under the Open Government Licence v3.0."


def _project(tmp_path, config_extra=POPULATION_SOURCE):
    root = data_project(tmp_path / "project", RATE, "area_code: E06000055\n" + config_extra)
    (root / "chapters" / "children-in-need.md").write_text(CHAPTER, encoding="utf-8")
    return root


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_page_attributes_the_data_and_links_the_data_sources_page(tmp_path):
    root = _project(tmp_path)
    out = root / "site"
    build(root, out, workers=1)
    pages = ["index.html", "children-in-need/index.html", "accessibility.html",
             "search.html", "404.html", "data.html"]
    for name in pages:
        page = (out / name).read_text()
        footer = page[page.index('<footer'):]
        assert LINE in _text(footer), name
        assert re.search(r'href="(\.\./|/)?data\.html">Data sources</a>', footer), name
    data_page = _text((out / "data.html").read_text())
    assert "data/dfe/b1_children_in_need_2013_to_2025.csv" in data_page
    assert "Department for Education, Children in need" in data_page  # the reading indicator's source
    assert f"data/{POP}" in data_page and "Office for National Statistics, Mid-year population estimates" in data_page
    assert "https://www.ons.gov.uk/" in data_page and "cin-rate" in data_page
    pdf = pypdf.PdfReader(out / "children-in-need/children-in-need.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    text = re.sub(r"\s+", " ", text)
    assert "Data sources" in text and f"data/{POP}" in text and "Office for National Statistics" in text


def test_a_data_file_without_a_source_is_a_warning(tmp_path):
    site = load_site(_project(tmp_path, config_extra=""))
    (warning,) = [w for w in site.warnings if "data_sources" in w.message]
    assert f"data/{POP}" in warning.message and "'cin-rate'" in warning.message
    assert str(warning).startswith("indicators.yaml:")


def test_a_site_without_data_files_has_no_data_sources_page(tmp_path, project):
    out = tmp_path / "site"
    build(project, out, pdf=False, workers=1)
    assert not (out / "data.html").exists()
    assert "Data sources" not in (out / "index.html").read_text()


def test_data_sources_names_a_file_in_data(tmp_path):
    from jsna.errors import JsnaError

    root = _project(tmp_path, POPULATION_SOURCE.replace(POP, "ons/missing.csv"))
    with pytest.raises(JsnaError) as caught:
        load_site(root)
    assert "jsna.yaml:" in str(caught.value) and "no file 'data/ons/missing.csv'" in str(caught.value)
