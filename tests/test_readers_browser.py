"""Search, the favicon and the phone charts in a real browser (Debian's Chromium, headless,
driven by Playwright), on a small site built for these tests: words on no page find nothing,
words on a page find its chapter, no request for an icon fails, and the small charts' text is
at least 12 CSS pixels on a 320 or 375-pixel screen."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import CHAPTER, write_project
from jsna.cli import main
import threading
from functools import partial
from http.server import ThreadingHTTPServer

from test_browser import Visit, _Handler, browser  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

# A chapter naming a few places and a person by an initial: the words Pagefind could stretch.
PLACES = CHAPTER.replace("Contacts fell.", "Contacts fell in Bedford and Luton; H. Smith wrote the asylum-seeking children's review.")


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("readers-browser")
    project = write_project(root / "p", {"chapters/children-in-need.md": PLACES})
    assert main(["build", "--project", str(project), "--out", str(root / "site"), "-q", "--no-pdf"]) == 0
    assert (root / "site" / "pagefind" / "pagefind.js").is_file(), "the build ran Pagefind"
    return {"tiny": root / "site"}


@pytest.fixture(scope="module")
def servers(sites):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(sites["tiny"])))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"tiny": f"http://127.0.0.1:{server.server_address[1]}/"}
    server.shutdown()
    server.server_close()


def _search(browser, base: str, query: str) -> tuple[str, list[str]]:
    visit = Visit(browser, base, 1280)
    try:
        page = visit.open(f"search.html?q={query}")
        status = page.locator("[data-jsna-search-status]")
        page.wait_for_function("() => !document.querySelector('[data-jsna-search-status]').textContent.startsWith('Search')")
        links = page.locator("[data-jsna-search-results] a")
        return status.inner_text(), [links.nth(i).get_attribute("href") for i in range(links.count())]
    finally:
        visit.close()


@pytest.mark.parametrize("word", ["Harwich", "Hexham", "Inverness", "Theale", "Ambleside"])
def test_a_word_on_no_page_finds_nothing(browser, sites, servers, word):
    text = " ".join(p.read_text() for p in sites["tiny"].rglob("*.html")).lower()
    assert word.lower() not in text
    status, links = _search(browser, servers["tiny"], word)
    assert links == [] and status.startswith("No chapters found"), status


@pytest.mark.parametrize(("word", "chapters"), [
    ("Harlow", []),
    ("Bedford", ["children-in-need"]),
    ("seeking", ["children-in-need"]),
    ("contact", ["children-in-need"]),
    ("Back", ["other"]),
    ("chapter", ["children-in-need", "other"]),
])
def test_a_word_on_a_page_finds_the_chapters_holding_it(browser, sites, servers, word, chapters):
    status, links = _search(browser, servers["tiny"], word)
    found = sorted(href.removesuffix("index.html").rstrip("/").rsplit("/", 1)[-1] for href in links)
    assert found == sorted(chapters), status


def test_every_page_names_an_icon_that_is_there(browser, sites, servers):
    visit = Visit(browser, servers["tiny"], 375)
    failed = []
    visit.page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        for path in ("index.html", "children-in-need/index.html", "search.html", "accessibility.html"):
            page = visit.open(path, 200)
            icon = page.locator("link[rel=icon]").get_attribute("href")
            assert icon and (sites["tiny"] / path).parent.joinpath(icon).resolve().is_file()
            page.wait_for_timeout(200)
        assert failed == []
    finally:
        visit.close()


def _min_font(svg: Path) -> float:
    root = ET.parse(svg).getroot()
    sizes = [float(m) for m in re.findall(r"font-size: ?([\d.]+)px", svg.read_text())]
    return min(sizes) / float(root.get("viewBox").split()[2])  # per unit of the chart's width


@pytest.mark.parametrize("width", [375, 320])
def test_the_phone_charts_text_is_at_least_12_pixels(browser, sites, servers, width):
    visit = Visit(browser, servers["tiny"], width)
    try:
        page = visit.open("children-in-need/index.html", 200)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        images = page.locator("img.jsna-figure__image")
        assert images.count() >= 2
        for i in range(images.count()):
            image = images.nth(i)
            shown = image.evaluate("img => img.currentSrc")
            assert shown.endswith("-small.svg"), "a phone is given the small chart"
            width = image.bounding_box()["width"]
            svg = sites["tiny"] / "children-in-need" / shown.rsplit("/", 1)[1]
            assert _min_font(svg) * width >= 12, f"{svg.name}: smallest text {_min_font(svg) * width:.1f} px"
    finally:
        visit.close()


def test_on_a_phone_the_headline_table_fits_and_a_focused_region_shows_a_black_ring(browser, sites, servers):
    visit = Visit(browser, servers["tiny"], 375)
    try:
        page = visit.open("children-in-need/index.html", 200)
        region = page.locator("#headline-title ~ .jsna-table-wrap")
        assert region.evaluate("r => r.scrollWidth <= r.clientWidth"), "no column starts off the screen"
        labels = page.evaluate("""() => [...document.querySelectorAll('.headline-table tbody tr:first-child td')]
            .map(td => getComputedStyle(td, '::before').content)""")
        assert any("England" in label for label in labels), labels
        england = page.locator(".headline-table tbody tr:first-child td").nth(2).bounding_box()
        assert 0 <= england["x"] and england["x"] + england["width"] <= 375
        region.focus()
        shadow = region.evaluate("r => getComputedStyle(r).boxShadow")
        assert "rgb(11, 12, 12)" in shadow and "rgb(255, 221, 0)" in shadow, shadow
    finally:
        visit.close()
