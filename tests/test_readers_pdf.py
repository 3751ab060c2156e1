"""The PDFs as a screen-reader user and a councillor meet them: an ID tree and header scopes in
the structure tree, links described by their text, and a title page that says when the review
date has passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_pdf import struct_elements
from conftest import write_project
from jsna.cli import main

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.slow

PDF = "children-in-need/children-in-need.pdf"


def _build(root: Path, epoch: str, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    project = write_project(root / "project")
    assert main(["build", "--project", str(project), "--out", str(root / "site"), "-q", "--no-cache"]) == 0
    return root / "site"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    with pytest.MonkeyPatch.context() as env:
        return _build(tmp_path_factory.mktemp("readers-pdf"), "1483228800", env)  # 1 January 2017




@pytest.mark.parametrize("pdf", [PDF, "jsna.pdf"])
def test_the_structure_tree_has_an_id_tree_naming_every_header_cell(built, pdf):
    reader = pypdf.PdfReader(built / pdf)
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    names = root["/IDTree"]["/Names"]
    tree = {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}
    headers = [e for e in struct_elements(reader) if e["/S"] == "/TH"]
    assert headers and {str(h["/ID"]) for h in headers} == set(tree)
    assert all(tree[str(h["/ID"])]["/S"] == "/TH" for h in headers)
    assert list(tree) == sorted(tree), "a name tree's keys are in order"


def test_every_header_cell_has_the_scope_its_html_gives(built):
    reader = pypdf.PdfReader(built / PDF)
    elements = struct_elements(reader)
    scopes = [str(e["/A"]["/Scope"]) for e in elements if e["/S"] == "/TH"]
    assert "/Row" in scopes and "/Column" in scopes and len(scopes) == sum(1 for e in elements if e["/S"] == "/TH")
    html = (built / "children-in-need/index.html").read_text()
    assert html.count('scope="row"') > 0
    # a data cell's row header is a /Row header; a column's header is a /Column one
    by_id = {str(e["/ID"]): e for e in elements if e["/S"] == "/TH"}
    for cell in (e for e in elements if e["/S"] == "/TD"):
        kinds = [str(by_id[str(h)]["/A"]["/Scope"]) for h in cell["/A"]["/Headers"]]
        assert kinds.count("/Row") <= 1 and "/Column" in kinds


@pytest.mark.parametrize("pdf", [PDF, "jsna.pdf"])
def test_links_are_described_by_their_text_not_a_bare_id(built, pdf):
    reader = pypdf.PdfReader(built / pdf)
    described = [str(a.get_object().get("/Contents", "")) for page in reader.pages for a in page.get("/Annots", [])]
    assert described
    if pdf == PDF:
        assert "Headline figures" in described and "What are the key issues?" in described
    else:  # the compendium's contents: each entry's text, with its page number
        assert any(text.startswith("What are the key issues?") for text in described)
    assert not any(text in ("headline", "what-are-the-key-issues") or "--" in text for text in described)


def test_the_title_page_says_when_the_review_date_has_passed(built, tmp_path, monkeypatch):
    first = pypdf.PdfReader(built / PDF).pages[0].extract_text()
    assert "Review overdue" in first and "due for review on 1 February 2016" in " ".join(first.split())
    before = _build(tmp_path, "1420070400", monkeypatch)  # 1 January 2015, before the review date
    assert "Review overdue" not in pypdf.PdfReader(before / PDF).pages[0].extract_text()


def test_figures_keep_their_captions_and_share_pages(built):
    reader = pypdf.PdfReader(built / PDF)
    pages = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages)}
    figures = [e for e in struct_elements(reader) if e["/S"] == "/Figure"]
    on = [pages[f.raw_get("/Pg").idnum] for f in figures]
    assert len(on) == 3
    for number, page in enumerate(on, start=1):
        text = " ".join(reader.pages[page].extract_text().split())
        assert f"Figure {number}:" in text, f"figure {number}'s caption is on its chart's page"
    assert len(set(on)) < len(on), "small figures share a page rather than one a page"


def test_the_contents_list_is_on_the_title_page_and_the_text_follows(built):
    reader = pypdf.PdfReader(built / PDF)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Children in need" in first and "Contents" in first and "Headline figures" in first
    assert "An introduction" in " ".join(reader.pages[1].extract_text().split())
