"""`jsna serve` end to end: it serves the site, and an edit is rebuilt and reloaded by itself."""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from conftest import CHAPTER, CONFIG, INDICATORS, write_project
from jsna.errors import JsnaError
from jsna.serve import serve


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _wait(predicate, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


@contextlib.contextmanager
def serving(project, log: list[str] | None = None):
    """`jsna serve` on a free port; yields its host:port. Everything it prints goes to `log`,
    complete once it has stopped."""
    process = subprocess.Popen(
        [sys.executable, "-m", "jsna", "serve", "--project", str(project), "--port", "0", "--no-pdf"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = log if log is not None else []
    reader = threading.Thread(target=lambda: [lines.append(line) for line in process.stdout], daemon=True)
    reader.start()
    try:
        line = _wait(lambda: next((l for l in list(lines) if "serving" in l), None))
        yield line.split("http://", 1)[1].split("/", 1)[0]
    finally:
        process.terminate()
        process.wait(timeout=10)
        reader.join(timeout=10)


def _ask(base: str, path: str, method: str = "GET", headers: dict[str, str] | None = None):
    """A request sent as written (path and headers untouched; Host is base unless `headers`
    say otherwise): its status, headers and body."""
    connection = http.client.HTTPConnection(base, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in ({"Host": base} if headers is None else headers).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_serve_rebuilds_on_change_and_pages_reload(project):
    with serving(project) as base:
        url = f"http://{base}/children-in-need/index.html"
        page = _get(url)
        assert b"Contacts fell." in page
        assert b"/__jsna__/version" in page, "served pages carry the reload script"
        assert b"/__jsna__/version" not in (project / "site/children-in-need/index.html").read_bytes()
        version = json.loads(_get(f"http://{base}/__jsna__/version"))["version"]

        (project / "chapters/children-in-need.md").write_text(CHAPTER.replace("Contacts fell.", "Contacts fell sharply."))
        _wait(lambda: json.loads(_get(f"http://{base}/__jsna__/version"))["version"] > version)
        assert b"Contacts fell sharply." in _get(url)

        # A mistake is reported, and the last good site keeps being served.
        (project / "indicators.yaml").write_text("indicators: [\n")
        status = _wait(lambda: (s := json.loads(_get(f"http://{base}/__jsna__/version")))["error"] and s)
        assert status["error"].startswith("indicators.yaml:")
        assert b"Contacts fell sharply." in _get(url)


@pytest.mark.browser
def test_an_open_page_reloads_itself_in_a_real_browser(project):
    from playwright.sync_api import sync_playwright

    from test_browser import CHROMIUM

    with serving(project) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        page = browser.new_page()
        page.goto(f"http://{base}/children-in-need/index.html")
        assert "Contacts fell." in page.content()
        page.wait_for_timeout(1500)  # the reload script has asked for the build number once
        (project / "chapters/children-in-need.md").write_text(CHAPTER.replace("Contacts fell.", "Contacts fell in the browser."))
        page.wait_for_function("document.body.textContent.includes('Contacts fell in the browser.')", timeout=30000)
        browser.close()


def test_serve_answers_only_requests_that_name_this_machine(project):
    with serving(project) as base:
        port = base.rsplit(":", 1)[1]
        for host in ("localhost", f"localhost:{port}", "127.0.0.1", base, "[::1]", f"[::1]:{port}", "LocalHost"):
            status, _, body = _ask(base, "/children-in-need/index.html", headers={"Host": host})
            assert status == 200 and b"Contacts fell." in body, host
        rebound = ("evil.example", f"evil.example:{port}", "localhost.evil.example", "127.0.0.1.nip.io",
                   f"evil.example:{port}@127.0.0.1", "localhost:x", "", "::1")
        for host in rebound:
            for method, path in (("GET", "/children-in-need/index.html"), ("GET", "/__jsna__/version"), ("HEAD", "/")):
                status, _, body = _ask(base, path, method, headers={"Host": host})
                assert status in (400, 421) and len(body) < 200 and b"Contacts" not in body and b"version" not in body, (host, path)
        for headers in ({}, {"Host": base, "host": "evil.example"}):
            assert _ask(base, "/children-in-need/index.html", headers=headers)[0] == 400


def test_malformed_paths_get_a_quiet_400_or_404_and_nothing_outside_the_site(project):
    log: list[str] = []
    with serving(project, log) as base:
        site = project / "site"
        (site / "children-in-need/out.txt").symlink_to(project / "indicators.yaml")
        (site / "project").symlink_to(project, target_is_directory=True)
        paths = ("/%00", "/index.html%00.txt", "/..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                 "/../indicators.yaml", "/%2e%2e%2findicators.yaml", "/%ff", "/%c0%ae%c0%ae/indicators.yaml",
                 "/" + "a" * 5000, "/a/" * 2000, "/.jsna-site", "/children-in-need/..%2f.jsna-site",
                 "/children-in-need/out.txt", "/project/indicators.yaml", "/project/", "/assets/",
                 "indicators.yaml", "*")
        for path in paths:
            status, _, body = _ask(base, path)
            assert status in (400, 404), path
            assert b"indicators:" not in body and b"root:" not in body and b"Index of" not in body, path
        assert _ask(base, "/no-such-page")[2] == _ask(base, "/children-in-need/no-such-figure.svg")[2]
        assert b"Contacts fell." in _ask(base, "/children-in-need/index.html")[2], "still serving"
    assert log and not [line for line in log if "Traceback" in line or "error" in line], "".join(log)


def test_methods_ranges_queries_and_folders_are_answered_sensibly(project):
    with serving(project) as base:
        status, headers, page = _ask(base, "/children-in-need/index.html?q=%3Cscript%3E")
        assert status == 200 and b"Contacts fell." in page and b"%3Cscript%3E" not in page
        status, head_headers, body = _ask(base, "/children-in-need/index.html", "HEAD")
        assert status == 200 and body == b"" and head_headers["Content-Length"] == headers["Content-Length"] == str(len(page))
        csv_file = (project / "site/children-in-need/figure-1.csv").read_bytes()
        status, headers, body = _ask(base, "/children-in-need/figure-1.csv", headers={"Host": base, "Range": "bytes=0-3"})
        assert (status, body) in ((200, csv_file), (206, csv_file[:4])), "a range is served whole or exactly"
        assert headers["Content-Type"] == "text/csv; charset=utf-8" and headers["X-Content-Type-Options"] == "nosniff"
        for method in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"):
            status, _, body = _ask(base, "/children-in-need/index.html", method)
            assert status in (405, 501) and b"Contacts" not in body, method
        assert json.loads(_ask(base, "/__jsna__/version?x=1")[2])["version"] >= 1
        assert _ask(base, "/__jsna__/versions")[0] == 404
        for path, location in (("/children-in-need", "/children-in-need/"), ("//children-in-need?a=%0d%0a", "/children-in-need/")):
            status, headers, _ = _ask(base, path)
            assert (status, headers["Location"]) == (301, location), "a folder is redirected within this site"
        assert b"Contacts fell." in _ask(base, "/children-in-need/")[2]
    assert (project / "site/children-in-need/index.html").is_file(), "no method changed the site"


def _status(base: str) -> dict:
    return json.loads(_get(f"http://{base}/__jsna__/version"))


def _put(path, text: str) -> None:
    """Write a file in one step, so the watcher never sees it half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_name(path.name + ".new").write_text(text)
    path.with_name(path.name + ".new").replace(path)


def test_a_failed_rebuild_keeps_the_last_good_site_shows_its_error_and_recovers(project):
    log: list[str] = []
    with serving(project, log) as base:
        url = f"http://{base}/children-in-need/index.html"
        _put(project / "indicators.yaml", INDICATORS.replace("2013-14: 7541", "2013-14: <lots>"))
        bad_data = _wait(lambda: _status(base)["error"])
        assert bad_data.startswith("indicators.yaml:") and "\n" not in bad_data
        for page in (_get(url), _ask(base, "/no-such-page")[2]):
            assert b'role="alert"' in page and html.escape(bad_data).encode() in page and b"<lots>" not in page
        assert b"Contacts fell." in _get(url), "the last good site is served on"

        _put(project / "templates/chapter.html", "{% if x }\n")
        _put(project / "indicators.yaml", INDICATORS)
        bad_template = _wait(lambda: (e := _status(base)["error"]) and e != bad_data and e)
        assert "\n" not in bad_template and b"Contacts fell." in _get(url) and html.escape(bad_template).encode() in _get(url)

        (project / "templates/chapter.html").unlink()
        _put(project / "chapters/children-in-need.md", CHAPTER.replace("Contacts fell.", "Contacts fell again."))
        _wait(lambda: _status(base)["error"] is None)
        page = _get(url)
        assert b"Contacts fell again." in page and b'role="alert"' not in page
    assert f"jsna: {bad_data}\n" in log and f"jsna: {bad_template}\n" in log, "each error printed as one line"
    assert not [line for line in log if "Traceback" in line], "".join(log)


def test_serve_starts_on_a_broken_project_and_shows_the_site_once_it_is_fixed(tmp_path):
    project = write_project(tmp_path / "project", {"indicators.yaml": "indicators: [\n"})
    with serving(project) as base:
        status, _, page = _ask(base, "/children-in-need/index.html")
        assert status == 404 and b"indicators.yaml:" in page and b"/__jsna__/version" in page
        (project / "indicators.yaml").write_text(INDICATORS)
        _wait(lambda: _status(base)["error"] is None)
        assert b"Contacts fell." in _get(f"http://{base}/children-in-need/index.html")


def test_an_unexpected_build_failure_is_one_line_and_serving_goes_on(tmp_path):
    project, log, calls = write_project(tmp_path / "project"), [], []

    def build(root, out, pdf, **options):
        calls.append(pdf)
        if len(calls) == 1:
            raise RuntimeError("a bug\nwith a second line")
        raise KeyboardInterrupt  # the second build stops serve, as Ctrl+C would

    thread = threading.Thread(target=serve, args=(project, tmp_path / "site", build),
                              kwargs={"port": 0, "poll": 0.05, "log": log.append})
    thread.start()
    _wait(lambda: any("serving" in line for line in log))
    (project / "jsna.yaml").write_text(CONFIG + "\n")
    thread.join(timeout=30)
    assert not thread.is_alive() and calls == [False, False]
    assert log[0] == "unexpected error: RuntimeError: a bug"


def test_a_port_in_use_is_one_line_not_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(JsnaError, match=f"127.0.0.1:{port}: cannot serve here"):
            serve(tmp_path, tmp_path / "site", lambda *args, **kwargs: None, port=port, log=lambda _: None)
