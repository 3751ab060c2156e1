"""End to end: build the tiny project and read back the HTML, CSV and PDF that came out."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jsna.cli import main
from jsna.load.site import DEFAULT_LAYOUTS


class Page(HTMLParser):
    """Collects what the tests look at: headings, figures, images, tables, links, ids."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[dict[str, str]] = []
        self.captions: list[str] = []
        self.tables = 0
        self.h2: list[str] = []
        self._capture: str | None = None
        self._buffer = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a)
        if tag == "table":
            self.tables += 1
        if tag in ("figcaption", "h2"):
            self._capture, self._buffer = tag, ""

    def handle_endtag(self, tag):
        if tag == self._capture:
            (self.captions if tag == "figcaption" else self.h2).append(self._buffer.strip())
            self._capture = None

    def handle_data(self, data):
        if self._capture:
            self._buffer += data


def build(project: Path, *args: str) -> Path:
    out = project / "site"
    assert main(["build", "--project", str(project), "--out", str(out), "-q", *args]) == 0
    return out


def test_chapter_page_has_numbered_figures_alt_text_tables_and_csv(project):
    out = build(project, "--no-pdf")
    page = Page((out / "children-in-need/index.html").read_text())
    assert page.captions == [
        "Figure 1: Contacts to children's social care, 2011-12 to 2013-14",
        "Figure 2: Children in need, 2014 to 2015",
        "Figure 3: Contacts by source, 2013-14",
    ]
    charts = [img for img in page.images if img["src"].startswith("figure-")]
    assert [img["src"] for img in charts] == ["figure-1.svg", "figure-2.svg", "figure-3.svg"]
    assert "from 8,197 in 2012-13 (derived) to 7,541 in 2013-14, a decrease" in charts[0]["alt"]
    assert "No value for 2011-12" in charts[0]["alt"]
    assert "England: from 346.4 per 10,000 in 2014 to 337.3 per 10,000 in 2015" in charts[1]["alt"]
    assert "Police 46.4%" in charts[2]["alt"]
    assert page.tables == 4, "one data table per figure, and the headline table"
    for n in (1, 2, 3):
        svg = (out / f"children-in-need/figure-{n}.svg").read_text()
        assert svg.startswith("<?xml") and "<text" in svg, "chart text stays SVG text"
    rows = list(csv.DictReader(io.StringIO((out / "children-in-need/figure-1.csv").read_text())))
    assert [(r["period"], r["value"], r["status"]) for r in rows] == [
        ("2011-12", "", "missing"),
        ("2012-13", "8197", "derived"),
        ("2013-14", "7541", "published"),
    ]


def test_sections_in_layout_order_with_empty_ones_marked(project):
    out = build(project, "--no-pdf")
    html = (out / "children-in-need/index.html").read_text()
    page = Page(html)
    titles = [s.title for s in dict(DEFAULT_LAYOUTS)["standard"]]
    assert [h for h in page.h2 if h in titles] == titles
    assert html.count("No content at present.") == 8
    assert "Section last updated <time datetime=\"2016-04-05\">5 April 2016</time>" in html
    assert "not available" in html  # the missing 2011-12 value, never shown as zero


def test_links_resolve(project):
    out = build(project)
    for page_path in [out / "index.html", *out.glob("*/index.html")]:
        page = Page(page_path.read_text())
        for href in page.links:
            if href.startswith(("http", "mailto:")):
                continue
            target, _, fragment = href.partition("#")
            resolved = (page_path.parent / target).resolve() if target else page_path
            assert resolved.is_file(), f"{page_path.relative_to(out)} links to missing {href}"
            if fragment:
                assert fragment in Page(resolved.read_text()).ids, f"{href} has no #{fragment}"


def test_index_groups_chapters_by_theme_with_pdf_links(project):
    out = build(project)
    html = (out / "index.html").read_text()
    assert html.index("Adults") < html.index("Children and young people")
    assert 'href="children-in-need/children-in-need.pdf"' in html
    assert re.search(r"PDF, \d+ KB, \d+ pages", html)


def test_no_pdf_means_no_pdf_links(project):
    out = build(project, "--no-pdf")
    assert not list(out.glob("**/*.pdf"))
    assert ".pdf" not in (out / "children-in-need/index.html").read_text()


def test_pdf_has_title_page_contents_figures_and_page_numbers(project):
    pypdf = pytest.importorskip("pypdf")
    out = build(project)
    reader = pypdf.PdfReader(out / "children-in-need/children-in-need.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 3
    assert reader.metadata.title == "Children in need: Testshire"
    assert "Contents" in reader.pages[0].extract_text(), "the contents list starts on the title page"
    for n in (1, 2, 3):
        assert f"Figure {n}:" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"], "the PDF is tagged"
    figures = 0
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        figures += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Form")
    assert figures >= 3, "figures are embedded as vector forms, not pictures"


def test_same_input_gives_identical_bytes(project, tmp_path):
    first = build(project)
    snapshot = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    second_out = tmp_path / "again"
    assert main(["build", "--project", str(project), "--out", str(second_out), "-q"]) == 0
    again = {p.relative_to(second_out): p.read_bytes() for p in second_out.rglob("*") if p.is_file()}
    assert snapshot.keys() == again.keys()
    assert [name for name in snapshot if snapshot[name] != again[name]] == []


def test_build_py_script_and_check_command(project, capsys):
    assert main(["check", "--project", str(project)]) == 0
    assert "ok: 2 chapters, 2 indicators" in capsys.readouterr().out
    assert not (project / "site").exists(), "check writes nothing"


def test_build_py_gives_the_commands_exit_status_and_one_line_per_problem(project):
    """build.py, the README's build command, as a process: a site and exit 0; for a broken
    indicators.yaml, exit 1 with `file:line:col: ...` and no traceback."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "build.py"

    def run(out: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(script), "--project", str(project), "--out", str(project / out), "--no-pdf", "-q"],
                              capture_output=True, text=True, timeout=300)

    good = run("site")
    assert good.returncode == 0, good.stderr
    assert (project / "site" / "children-in-need" / "index.html").is_file()
    indicators = project / "indicators.yaml"
    indicators.write_text(indicators.read_text() + "  - id: [unclosed\n")
    bad = run("site-bad")
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert bad.stderr.startswith("indicators.yaml:") and not (project / "site-bad").exists()


def test_headline_table_and_open_data(project):
    import json

    out = build(project, "--no-pdf")
    html = (out / "children-in-need/index.html").read_text()
    headline = html[html.index('<table class="headline-table">'):]
    headline = headline[: headline.index("</table>")]
    assert "Contacts to children&#39;s social care <span class=\"unit\">(Count)</span>" in headline
    assert "<td data-label=\"Testshire\"><span>7,541</span></td>" in headline
    assert '<span class="judgement judgement-none">Not compared</span>' in headline
    assert "Cannot be calculated" in headline
    data = json.loads((out / "children-in-need/children-in-need-data.json").read_text())
    rows = {(r["indicator_id"], r["period"]): r for r in data["rows"]}
    assert rows[("contacts", "2012-13")]["status"] == "derived"
    assert rows[("contacts", "2011-12")]["status"] == "missing"
    assert rows[("cin-rate", "2015")]["comparisons"][0] == {
        "comparator_id": "england", "comparator": "England", "comparator_value": 337.3,
        "comparison_95": "not compared", "comparison_99_8": "not compared",
    }
    lines = (out / "children-in-need/children-in-need-data.csv").read_text().splitlines()
    assert lines[0].startswith("chapter,indicator_id,indicator,area,period,measure,per,polarity,value")
    assert len(lines) == 1 + 3 + 2 * 2  # contacts: 3 periods; cin-rate: 2 periods x 2 comparators
