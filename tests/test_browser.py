"""The built site in a real browser: Debian's Chromium, headless, driven by Playwright.

Two sites are built once for the session: the example site in this repository (with its PDFs)
and the tiny test project with a logo, a contact address and a chapter past its review date.
Each is served over http://127.0.0.1 from a thread. On every page, at 375 and 1280 pixels wide:
axe-core finds no violation of the WCAG 2.0, 2.1 and 2.2 A and AA rules (with every section and
data table open, so that nothing is skipped as hidden); the page does not scroll sideways; no
request leaves the site and no cookie is set. The Nu HTML Checker finds no error in any page or chart.
The keyboard alone reaches every control, with a visible focus, and opens and closes sections.
Search finds the one chapter that holds a word. Screenshots of every page at both widths (and of
each chapter with everything open) are kept in test-artifacts/browser/.

Needs `bash scripts/setup.sh` (Chromium, Java, the npm packages axe-core and vnu-jar, Playwright
and Pagefind from PyPI). Select with `-m browser`, leave out with `-m "not browser"`.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import write_project
from jsna.cli import main

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("JSNA_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS = (375, 1280)
# Only this chapter of the example site holds the word (checked below, so a change to the
# example content that breaks the premise says so).
SEARCH_WORD, SEARCH_CHAPTER = "asylum", "safeguarding-children"

LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">
<rect width="120" height="40" fill="#12436d"/><circle cx="20" cy="20" r="12" fill="#28a197"/>
<text x="40" y="26" font-family="sans-serif" font-size="16" fill="#ffffff">TPHT</text></svg>
"""
TINY_CONFIG = """\
title: Test JSNA
organisation: Test Public Health Team
area: Testshire
base_url: https://jsna.example.org/
logo: logo.svg
contact_email: jsna@example.org
comparators:
  england: England
  region: North East
"""


# The sites, the server and the browser ------------------------------------------------------


def _build(project: Path, out: Path, *args: str) -> Path:
    assert main(["build", "--project", str(project), "--out", str(out), "-q", *args]) == 0
    assert (out / "pagefind" / "pagefind.js").is_file(), "the build ran Pagefind (bash scripts/setup.sh installs it)"
    return out


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, Path]:
    for tool, path in (("Chromium", Path(CHROMIUM)), ("axe-core", AXE), ("vnu.jar", VNU)):
        assert path.is_file(), f"{tool} is missing at {path}: run bash scripts/setup.sh"
    root = tmp_path_factory.mktemp("browser")
    tiny = write_project(root / "tiny", {"jsna.yaml": TINY_CONFIG, "logo.svg": LOGO})
    return {
        "example": _build(ROOT, root / "example"),
        "tiny": _build(tiny, root / "tiny-site", "--no-pdf"),
    }


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site; a missing address gets the site's own 404.html, as a host would."""

    def log_message(self, *args) -> None:
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def servers(sites):
    started = {}
    for name, folder in sites.items():
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started[name] = server
    yield {name: f"http://127.0.0.1:{server.server_address[1]}/" for name, server in started.items()}
    for server in started.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--disable-default-apps", "--disable-extensions"],
        )
        yield chromium
        chromium.close()


def pages_of(site: Path) -> list[str]:
    """Every HTML page of a built site, as a path from its root."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def shot_name(site: str, page: str, width: int, suffix: str = "") -> str:
    stem = page.removesuffix(".html").replace("/", "_")
    return f"{site}-{stem}-{width}{suffix}.png"


class Visit:
    """A page in a fresh browser context that records every request it makes."""

    def __init__(self, browser, base: str, width: int, javascript: bool = True):
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript, reduced_motion="reduce",
        )
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str, status: int | None = None):
        response = self.page.goto(self.base + path, wait_until="load")
        if status is not None:
            assert response.status == status, f"{path}: HTTP {response.status}"
        return self.page

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base) and not u.startswith(("data:", "blob:"))]

    def close(self) -> None:
        self.context.close()


def open_everything(page) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary.split('\\n').slice(0, 3).join(' '))}));
}"""


# Every page, at both widths: axe-core, reflow, requests, screenshots ------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("site", ["example", "tiny"])
def test_every_page_passes_axe_and_stays_on_the_site(browser, sites, servers, site, width):
    axe = AXE.read_text(encoding="utf-8")
    problems: list[str] = []
    visit = Visit(browser, servers[site], width)
    try:
        for path in pages_of(sites[site]):
            # 404.html as a host serves it: for an address with nothing there, a folder deep.
            page = visit.open("no/such/page.html", 404) if path == "404.html" else visit.open(path, 200)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=artifact(shot_name(site, path, width)), full_page=True)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems.append(f"{path} at {width}px scrolls sideways by {overflow}px")
            if page.locator("details.jsna-section").count():
                open_everything(page)
                page.screenshot(path=artifact(shot_name(site, path, width, "-open")), full_page=True)
            else:
                open_everything(page)
            page.add_script_tag(content=axe)
            for v in page.evaluate(AXE_RUN, WCAG_TAGS):
                problems.append(f"{path} at {width}px: axe {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]))
        assert not visit.outside_requests(), f"requests left the site: {visit.outside_requests()}"
        assert not visit.context.cookies(), "no cookies"
        assert not visit.errors, f"JavaScript errors: {visit.errors}"
    finally:
        visit.close()
    assert not problems, "\n".join(problems)


def test_pages_reflow_at_320_pixels(browser, sites, servers):
    """WCAG 1.4.10: at 320 CSS pixels (1280 at 400% zoom) nothing makes the page scroll sideways."""
    visit = Visit(browser, servers["example"], 320)
    try:
        wide = []
        for path in pages_of(sites["example"]):
            page = visit.open(path)
            open_everything(page)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                wide.append(f"{path}: {overflow}px")
        assert not wide, f"pages that scroll sideways at 320px: {wide}"
    finally:
        visit.close()


# The Nu HTML Checker -----------------------------------------------------------------------------


def test_nu_html_checker_finds_no_errors(sites):
    java = shutil.which("java")
    assert java, "java is missing: run bash scripts/setup.sh"
    files = [str(site / p) for site in sites.values() for p in pages_of(site)]
    files += [str(p) for site in sites.values() for p in sorted(site.rglob("*.svg"))]
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", "--also-check-svg", *files],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    assert not errors, "\n".join(
        f"{m.get('url', '').split('/browser')[-1]}:{m.get('lastLine')}: {m.get('message')}" for m in errors
    )


# The keyboard alone --------------------------------------------------------------------------------

FOCUSABLE = """() => {
  const selector = 'a[href], button, summary, input, select, textarea, [tabindex]:not([tabindex="-1"])';
  const all = [...document.querySelectorAll(selector)].filter(el => el.checkVisibility() && !el.closest('[hidden]'));
  all.forEach((el, i) => el.setAttribute('data-test-focus', String(i)));
  return all.length;
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    && !/rgba\\(0, 0, 0, 0\\)|transparent/.test(style.outlineColor);
  return {id: el.getAttribute('data-test-focus'), tag: el.tagName, text: (el.textContent || '').trim().slice(0, 60),
          visible: outline || style.boxShadow !== 'none'};
}"""


OUTER = "(id) => document.querySelector(`[data-test-focus='${id}']`).outerHTML.slice(0, 160)"


def _tab_through(page, limit: int) -> list[dict]:
    reached = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        if reached and focused["id"] == reached[0]["id"]:
            break
        reached.append(focused)
    return reached


@pytest.mark.parametrize("path", ["index.html", "children-in-need/index.html", "search.html"])
def test_keyboard_reaches_every_control_with_a_visible_focus(browser, servers, path):
    visit = Visit(browser, servers["example"], 1280)
    try:
        page = visit.open(path)
        if path != "index.html":
            open_everything(page)
        count = page.evaluate(FOCUSABLE)
        page.focus("body")
        reached = _tab_through(page, count + 5)
        assert reached and reached[0]["text"] == "Skip to main content", "the skip link comes first"
        ids = {r["id"] for r in reached}
        missing = sorted(set(map(str, range(count))) - ids, key=int)
        unreached = [page.evaluate(OUTER, m) for m in missing]
        assert not missing, f"not reachable by Tab: {unreached}"
        unseen = [r for r in reached if not r["visible"]]
        assert not unseen, f"focus not visible on: {unseen}"
    finally:
        visit.close()


def test_skip_link_moves_to_the_main_content(browser, servers):
    visit = Visit(browser, servers["example"], 375)
    try:
        page = visit.open("children-in-need/index.html")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.url.endswith("#main-content")
        page.keyboard.press("Tab")
        inside = page.evaluate("() => !!document.activeElement.closest('main')")
        assert inside, "after the skip link, the next Tab lands in the main content"
    finally:
        visit.close()


def _focus_by_tab(page, predicate_js: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"never reached by Tab: {predicate_js}")


SECTIONS_OPEN = "() => [...document.querySelectorAll('details.jsna-section')].map(d => d.open)"


def test_keyboard_opens_and_closes_sections_and_expands_and_collapses_all(browser, servers):
    visit = Visit(browser, servers["example"], 1280)
    try:
        page = visit.open("children-in-need/index.html")
        assert not any(page.evaluate(SECTIONS_OPEN)), "sections start closed"
        _focus_by_tab(page, "() => document.activeElement.matches('details.jsna-section > summary')")
        page.keyboard.press("Enter")
        assert page.evaluate(SECTIONS_OPEN)[0] is True, "Enter opens a section"
        page.keyboard.press("Space")
        assert page.evaluate(SECTIONS_OPEN)[0] is False, "Space closes it"
        page.focus("body")
        _focus_by_tab(page, "() => document.activeElement.matches('[data-jsna-expand]')")
        page.keyboard.press("Enter")
        assert all(page.evaluate(SECTIONS_OPEN)), "Expand all opens every section"
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.matches('[data-jsna-collapse]')")
        page.keyboard.press("Space")
        assert not any(page.evaluate(SECTIONS_OPEN)), "Collapse all closes every section"
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        assert all(page.evaluate(SECTIONS_OPEN))
        _focus_by_tab(page, "() => document.activeElement.matches('.govuk-details__summary')")
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.parentElement.open"), "a figure's data opens by keyboard"
        assert page.locator("details.govuk-details[open] table").first.is_visible()
    finally:
        visit.close()


# Without JavaScript, printed, and reached by a link -------------------------------------------------


def test_without_javascript_sections_work_and_a_link_opens_its_section(browser, servers):
    visit = Visit(browser, servers["example"], 375, javascript=False)
    try:
        page = visit.open("children-in-need/index.html")
        assert not page.locator(".jsna-section-controls").is_visible(), "no buttons that could not work"
        section = page.locator("details.jsna-section").first
        section.locator("summary").click()
        assert section.evaluate("d => d.open")
        page.goto(servers["example"] + "children-in-need/index.html#recommendations")
        target = page.locator("#recommendations")
        assert target.evaluate("e => e.closest('details').open"), "a link into a closed section opens it"
        assert target.evaluate("e => e.checkVisibility()")
        page = visit.open("search.html?q=asylum")
        assert page.get_by_text("Search needs JavaScript").is_visible()
    finally:
        visit.close()


def test_with_javascript_a_link_to_a_section_opens_it(browser, servers):
    visit = Visit(browser, servers["example"], 1280)
    try:
        page = visit.open("children-in-need/index.html")
        page.locator(".jsna-contents a[href='#recommendations']").click()
        assert page.locator("#recommendations").evaluate("e => e.closest('details').open && e.checkVisibility()")
    finally:
        visit.close()


def test_printing_shows_every_section_and_data_table(browser, servers):
    for javascript in (True, False):
        visit = Visit(browser, servers["example"], 1280, javascript=javascript)
        try:
            page = visit.open("children-in-need/index.html")
            page.emulate_media(media="print")
            hidden = page.evaluate(
                "() => [...document.querySelectorAll('details:not([open]) > :not(summary)')]"
                ".filter(e => !e.checkVisibility()).length"
            )
            assert hidden == 0, f"closed sections print their content (JavaScript {'on' if javascript else 'off'})"
            assert page.locator("table").count() == page.evaluate(
                "() => [...document.querySelectorAll('table')].filter(t => t.checkVisibility()).length")
            if javascript:
                pdf = page.pdf(format="A4")
                assert pdf.startswith(b"%PDF")
                artifact("example-children-in-need-print.pdf").write_bytes(pdf)
        finally:
            visit.close()


# Search ------------------------------------------------------------------------------------------


def _article_text(site: Path, slug: str) -> str:
    text = (site / slug / "index.html").read_text(encoding="utf-8")
    article = text[text.index("<article"):text.index("</article>")]
    article = re.sub(r"<(\w+)[^>]*data-pagefind-ignore[^>]*>.*?</\1>", " ", article, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", article))


def test_search_finds_the_one_chapter_holding_a_word(browser, sites, servers):
    site = sites["example"]
    holders = [p.parent.name for p in site.glob("*/index.html")
               if re.search(rf"\b{SEARCH_WORD}\b", _article_text(site, p.parent.name), re.I)]
    assert holders == [SEARCH_CHAPTER], f"the premise: only {SEARCH_CHAPTER} says '{SEARCH_WORD}' ({holders})"
    visit = Visit(browser, servers["example"], 375)
    try:
        page = visit.open("index.html")
        _focus_by_tab(page, "() => document.activeElement.id === 'search-q'")
        page.keyboard.type(SEARCH_WORD)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q="))
        status = page.locator("[data-jsna-search-status]")
        status.filter(has_text="found").wait_for(timeout=15000)
        assert status.inner_text().startswith("1 chapter found")
        links = page.locator("[data-jsna-search-results] a")
        assert links.count() == 1
        href = links.first.get_attribute("href")
        assert href.endswith(f"/{SEARCH_CHAPTER}/index.html"), href
        assert SEARCH_WORD in page.locator("[data-jsna-search-results] mark").first.inner_text().lower()
        page.screenshot(path=artifact("example-search-results-375.png"), full_page=True)
        links.first.click()
        page.wait_for_url(re.compile(SEARCH_CHAPTER))
        page = visit.open("search.html?q=zzyzxqv")
        status.filter(has_text="No chapters").wait_for(timeout=15000)
        assert not visit.outside_requests(), visit.outside_requests()
        assert not visit.errors, visit.errors
    finally:
        visit.close()


def test_missing_address_gets_the_404_page_with_its_styles(browser, servers):
    visit = Visit(browser, servers["example"], 375)
    try:
        page = visit.open("no/such/page.html", status=404)
        assert page.locator("h1").inner_text() == "Page not found"
        assert page.evaluate("() => getComputedStyle(document.querySelector('.govuk-generic-header')).backgroundColor") \
            == "rgb(18, 67, 109)", "the stylesheet loaded from the site root"
    finally:
        visit.close()
