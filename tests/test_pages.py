"""The site's own pages, its search index and what makes the pages work on a phone, read back from
builds of the tiny project: the accessibility statement, the search page, 404.html, sitemap.xml,
the review notice, the small charts, the Pagefind index (and the one line a build prints without
Pagefind), and that no page asks for anything from elsewhere. The browser tests
(tests/test_browser.py) check the same pages in Chromium."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import jsna.render.search
from conftest import CONFIG, write_project
from jsna.cli import main
from jsna.render.pages import base_path


def build(project: Path, *args: str) -> Path:
    out = project / "site"
    assert main(["build", "--project", str(project), "--out", str(out), "-q", "--no-pdf", *args]) == 0
    return out


def epoch(day: str) -> str:
    return str(int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.timezone.utc).timestamp()))


# The extra pages ----------------------------------------------------------------------------------


def test_accessibility_statement_search_and_404_pages(project):
    out = build(project)
    statement = (out / "accessibility.html").read_text()
    assert "<h1 class=\"govuk-heading-xl\">Accessibility statement for Test JSNA</h1>" in statement
    assert "Equality Advisory and Support Service" in statement
    assert "contact Test Public Health Team" in statement, "no contact_email: the organisation, by name"
    assert 'aria-current="page"' in statement
    search = (out / "search.html").read_text()
    assert 'action="search.html"' in search and 'name="q"' in search
    assert "Search needs JavaScript" in search
    missing = (out / "404.html").read_text()
    assert "Page not found" in missing
    assert 'href="/assets/style.css"' in missing and 'href="/index.html"' in missing, "links from the site root"
    for page in ("index.html", "children-in-need/index.html", "accessibility.html"):
        html = (out / page).read_text()
        assert "Accessibility statement</a>" in html, f"{page}: the footer links to the statement"
        assert 'class="govuk-skip-link"' in html and 'id="main-content"' in html


def test_footer_contact_and_logo_come_from_the_config(tmp_path):
    config = CONFIG + "contact_email: jsna@example.org\nlogo: logo.svg\n"
    project = write_project(tmp_path / "p", {"jsna.yaml": config, "logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    out = build(project)
    html = (out / "children-in-need/index.html").read_text()
    assert '<a class="govuk-footer__link" href="mailto:jsna@example.org">Contact us: jsna@example.org</a>' in html
    assert '<img class="jsna-header__logo" src="../logo.svg" alt="">' in html
    assert (out / "logo.svg").is_file()
    assert "email <a href=\"mailto:jsna@example.org\">jsna@example.org</a>" in (out / "accessibility.html").read_text()


def test_sitemap_lists_every_page_with_the_date_it_changed(tmp_path):
    project = write_project(tmp_path / "p", {"jsna.yaml": CONFIG + "base_url: https://jsna.example.org/area\n"})
    out = build(project)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.parse(out / "sitemap.xml").getroot().findall("s:url", ns)
    found = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in urls}
    assert found == {
        "https://jsna.example.org/area/": "2016-04-05",
        "https://jsna.example.org/area/children-in-need/": "2016-04-05",  # a section's date, the latest
        "https://jsna.example.org/area/other/": "2015-03-01",
        "https://jsna.example.org/area/accessibility.html": None,
    }
    assert 'href="/area/assets/style.css"' in (out / "404.html").read_text()


def test_no_sitemap_without_a_base_url(project):
    assert not (build(project) / "sitemap.xml").exists()


@pytest.mark.parametrize("url, path", [
    (None, "/"), ("https://x.org", "/"), ("https://x.org/", "/"), ("https://x.org/jsna", "/jsna/"),
    ("https://x.org/a/b/", "/a/b/"),
])
def test_base_path(url, path):
    assert base_path(url) == path


# The chapter page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("day, shown", [("2015-06-01", False), ("2016-02-01", False), ("2016-02-02", True)])
def test_a_notice_when_the_next_review_date_has_passed(project, monkeypatch, day, shown):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(day))
    html = (build(project) / "children-in-need/index.html").read_text()
    notice = 'This chapter was due for review on <time datetime="2016-02-01">1 February 2016</time>.'
    assert (notice in html) is shown
    assert "due for review" not in (project / "site/other/index.html").read_text(), "no next_review, no notice"


def test_sections_are_details_with_expand_and_collapse_all_and_links_that_reach_them(project):
    html = (build(project) / "children-in-need/index.html").read_text()
    assert html.count('<details class="jsna-section">') == 11
    assert '<div class="jsna-section-controls" hidden' in html, "the buttons show only when the script runs"
    assert 'data-jsna-expand>Expand all' in html and 'data-jsna-collapse>Collapse all' in html
    # A contents link's target sits inside the section's body, so the browser opens the section.
    assert '<a class="govuk-link" href="#key-issues">' in html
    assert '<div class="jsna-section__body" id="key-issues">' in html
    assert '<h2 class="govuk-summary-card__title" id="key-contact">Key contact</h2>' in html
    assert "<script src=\"../assets/jsna.js\" defer></script>" in html


def test_every_chart_has_a_small_version_readable_on_a_phone(project):
    out = build(project)
    html = (out / "children-in-need/index.html").read_text()
    for n in (1, 2, 3):
        assert f'<source media="(max-width: 40em)" srcset="figure-{n}-small.svg">' in html
        svg = (out / f"children-in-need/figure-{n}-small.svg").read_text()
        width = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
        sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
        # Shown 345 CSS pixels wide (a 375-pixel phone less the page's margins), every piece of
        # text is at least 12 pixels high.
        assert sizes and min(sizes) * 345 / width >= 12, (n, min(sizes), width)


def test_charts_are_drawn_the_same_every_time():
    from jsna.compute.views import compute_site
    from jsna.draw.charts import draw_svg
    from jsna.load.site import load_site

    views = compute_site(load_site(Path(__file__).resolve().parent.parent))
    chart = next(f.chart for v in views for f in v.figures if f.chart.chart_type == "grouped-bar")
    assert draw_svg(chart, small=True) == draw_svg(chart, small=True)
    assert draw_svg(chart) != draw_svg(chart, small=True)


def _drawn(svg: bytes) -> list:
    """What an SVG draws: each element that is not a group, with its attributes, its text and
    the attributes of the groups around it that have more than an id."""
    found = []

    def walk(element, around):
        for child in element:
            if child.tag.endswith("}metadata"):  # says what the file is; draws nothing
                continue
            attributes = dict(child.attrib)
            if child.tag.endswith("}g"):
                attributes.pop("id", None)
                walk(child, around + ((attributes,) if attributes else ()))
            else:
                found.append((child.tag, attributes, (child.text or "").strip(), around))
                walk(child, around)

    walk(ET.fromstring(svg), ())
    return found


def test_charts_leave_out_groups_that_only_name_their_parts_and_draw_the_same(monkeypatch):
    import jsna.draw.charts
    from jsna.compute.views import compute_site
    from jsna.draw.maps import shapes_for
    from jsna.load.site import load_site

    views = compute_site(load_site(Path(__file__).resolve().parent.parent))
    charts = {f.chart.chart_type: f.chart for v in views for f in v.figures}
    assert set(charts) >= {"line", "bar", "grouped-bar", "horizontal-bar"}
    root = Path(__file__).resolve().parent.parent
    shapes = {kind: shapes_for(root, chart) if kind == "map" else None for kind, chart in charts.items()}
    lean = {kind: jsna.draw.charts.draw_svg(chart, shapes=shapes[kind]) for kind, chart in charts.items()}
    monkeypatch.setattr(jsna.draw.charts, "_lean", lambda svg: svg)
    for kind, chart in charts.items():
        full = jsna.draw.charts.draw_svg(chart, shapes=shapes[kind])
        # A marker drawn at each point keeps its group: a line of 3 series x 13 points keeps 39 of 201.
        assert lean[kind].count(b"<g") * 4 < full.count(b"<g"), kind
        assert b"<metadata>" in full and b"<metadata>" not in lean[kind]
        assert _drawn(lean[kind]) == _drawn(full), kind


# Search ---------------------------------------------------------------------------------------------


def test_the_build_indexes_chapter_pages_for_search_the_same_way_every_time(project, tmp_path):
    if jsna.render.search.find_pagefind() is None:
        pytest.fail("Pagefind is not installed: run bash scripts/setup.sh")
    out = build(project)
    bundle = out / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert not [p.name for p in bundle.glob("pagefind-*ui*")], "Pagefind's own interfaces are not shipped"
    first = {p.relative_to(out): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    again = tmp_path / "again"
    assert main(["build", "--project", str(project), "--out", str(again), "-q", "--no-pdf", "--no-cache"]) == 0
    second = {p.relative_to(again): p.read_bytes() for p in (again / "pagefind").rglob("*") if p.is_file()}
    assert first == second, "the same pages give the same search index, byte for byte"
    for page in ("index.html", "accessibility.html", "search.html", "404.html"):
        assert "data-pagefind-body" not in (out / page).read_text(), f"{page} is not indexed"
    assert "data-pagefind-body" in (out / "children-in-need/index.html").read_text()


def test_without_pagefind_the_build_says_so_in_one_line(project, monkeypatch, capsys):
    monkeypatch.setattr(jsna.render.search, "find_pagefind", lambda: None)
    out = build(project)
    assert not (out / "pagefind").exists()
    notices = [line for line in capsys.readouterr().err.splitlines() if "search index skipped" in line]
    assert notices == ["jsna: " + jsna.render.search.MISSING]
    assert (out / "search.html").is_file(), "the search page says search is not available"


def test_a_failing_pagefind_stops_the_build_and_keeps_the_old_site(project, monkeypatch, capsys):
    out = build(project)
    before = (out / "index.html").read_bytes()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    (project / "chapters/other.md").write_text((project / "chapters/other.md").read_text().replace("Another", "A changed"))
    assert main(["build", "--project", str(project), "--out", str(out), "-q", "--no-pdf"]) == 1
    assert "expected Pagefind to index the site" in capsys.readouterr().err
    assert (out / "index.html").read_bytes() == before


# Nothing from elsewhere -----------------------------------------------------------------------------


def test_no_page_asks_for_anything_from_elsewhere(project):
    out = build(project)
    for path in out.rglob("*.html"):
        html = path.read_text()
        for tag, attr, value in re.findall(r"<(link|script|img|source|iframe)\b[^>]*?\b(href|src|srcset)=\"([^\"]*)\"", html):
            assert "//" not in value, f"{path.name}: <{tag} {attr}={value}> loads from elsewhere"
    css = (out / "assets/style.css").read_text()
    assert "@import" not in css and not re.search(r"url\((?!data:)[^)]*//", css), "no fonts or images from elsewhere"
    assert "@font-face" not in css, "no web fonts at all"
    assert "GDS Transport" not in css, "GOV.UK's typeface is GOV.UK's alone"
    script = (out / "assets/jsna.js").read_text()
    assert not re.search(r"https?://", script), "the script asks nothing of any other site"
    assert "cookie" not in script and "localStorage" not in script


def test_one_documents_footnotes_abbreviations_and_links_never_reach_the_next():
    """Markdown is parsed by one parser a process, reset for each document: a section's
    footnotes, abbreviations and link targets stay its own, and a document renders the same
    bytes whatever was rendered before it."""
    from jsna.errors import Position
    from jsna.model import Text
    from jsna.render.html import render_blocks

    first = (Text("The JSNA[^1] covers [the other chapter](other.md).\n\n[^1]: A note.\n\n*[JSNA]: Joint Strategic Needs Assessment", Position("a.md", 1, 1)),)
    second = (Text("The JSNA covers children.", Position("b.md", 1, 1)),)
    alone = render_blocks(first, {}, "intro", {"other": "../other/"}, 1, {})
    later = render_blocks(second, {}, "s1", {}, 1, {})
    assert "footnote" in alone and "<abbr" in alone and 'href="../other/"' in alone
    assert "footnote" not in later and "<abbr" not in later
    assert render_blocks(first, {}, "intro", {"other": "../other/"}, 1, {}) == alone


def test_a_document_too_deep_to_render_leaves_the_parser_as_new():
    """Markdown cut short (lists nested too deep for Python's stack) is an error at its text;
    the documents rendered after it come out as they do from a new parser."""
    from jsna.errors import JsnaError, Position
    from jsna.model import Text
    from jsna.render.html import render_blocks

    plain = (Text("- one\n- two\n\nIn 2015 there were {{ x }} plans.", Position("b.md", 1, 1)),)
    before = render_blocks(plain, {}, "s1", {}, 1, {"{{ x }}": "601"})
    deep = "".join(f"{'    ' * level}- x\n" for level in range(300))
    with pytest.raises(JsnaError, match="nested too deep"):
        render_blocks((Text(deep, Position("a.md", 19, 1)),), {}, "s1", {}, 1, {})
    assert render_blocks(plain, {}, "s1", {}, 1, {"{{ x }}": "601"}) == before
