"""`jsna serve`: a local preview that rebuilds when an input changes and reloads the page.

The site is served from its output folder over http://127.0.0.1. A watcher polls exactly the
files a build reads (`project.input_files`: the build's own list); on a change it rebuilds the pages
first (no PDFs, so the page is back in about a second) and then, if PDFs are wanted, again with
PDFs (charts and unchanged chapters come from the cache). Every HTML page served gets a small
script that asks `/__jsna__/version` once a second and reloads when the build number moves;
the script is added while serving only, never written into the site.

A failed rebuild never stops the preview: the last good site is served on, the error is printed
and shown at the top of every page until a build succeeds. Only requests naming this machine
(Host `localhost`, `127.0.0.1` or `[::1]`) are answered, so a web page that points its own name
at 127.0.0.1 (DNS rebinding) cannot read the preview; only GET and HEAD, only files inside the
site (no hidden ones such as `.jsna-site`, no symlink out of it, no folder listings), and a
malformed request gets a short 400 or 404, never a traceback.
"""

from __future__ import annotations

import html
import http.server
import json
import mimetypes
import os
import re
import shutil
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Callable

from jsna.errors import JsnaError, JsnaErrors, Position
from jsna.project import input_files

_RELOAD = b"""<script>
(function () {
  var seen = null;
  function poll() {
    fetch("/__jsna__/version", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (s) { if (seen !== null && s.version !== seen) { location.reload(); } seen = s.version; })
      .catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>
"""
_VERSION = "/__jsna__/version"
_LOCAL_HOST = re.compile(r"(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?", re.IGNORECASE)


def input_stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every file a build reads (`project.input_files`,
    the one list the build's no-change check hashes): cheap to take, changes on edit."""
    try:
        paths = input_files(root)
    except OSError:  # a folder gone or going while looked at: the next stamp will differ
        return ()
    stamp = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def _one_line(exc: BaseException) -> str:
    """What went wrong, to print: a JsnaError's own line(s), or the kind and first line of
    anything unexpected (a bug, or a library's own error), never a traceback."""
    if isinstance(exc, (JsnaError, JsnaErrors)):
        return str(exc)
    first = str(exc).strip().splitlines()
    return f"unexpected error: {type(exc).__name__}" + (f": {first[0]}" if first else "")


class _State:
    """The build number and last error the reload script, the pages and the log report."""

    def __init__(self):
        self.version = 0
        self.error: str | None = None
        self.lock = threading.Lock()

    def bump(self, error: str | None) -> None:
        with self.lock:
            self.version += 1
            self.error = error

    def snapshot(self) -> dict:
        with self.lock:
            return {"version": self.version, "error": self.error}


def _notice(error: str) -> bytes:
    """The banner a page carries while the last build failed: the error, and that what is shown
    is the last good site."""
    return (
        '<div role="alert" id="jsna-build-error" style="background:#d4351c;color:#fff;padding:1em;'
        'font:16px/1.4 sans-serif;white-space:pre-wrap"><strong>jsna: the last build failed; this is '
        f"the last good site.</strong>\n{html.escape(error)}</div>"
    ).encode("utf-8")


def _page(text: bytes, error: str | None) -> bytes:
    """An HTML page as served: the reload script before </body>, and the error notice (if the
    last build failed) at the start of <body>."""
    text = text.replace(b"</body>", _RELOAD + b"</body>", 1)
    if error is None:
        return text
    body = re.search(rb"<body[^>]*>", text)
    at = body.end() if body else 0
    return text[:at] + _notice(error) + text[at:]


def _find(out: Path, name: str) -> Path | None:
    """The file or folder of the site the decoded URL path `name` names, or None: never a hidden
    one (.jsna-site), never one outside the site (by `..` or a symlink), never one whose name
    cannot be looked up (too long)."""
    parts = [part for part in name.split("/") if part]
    if any(part.startswith(".") for part in parts):
        return None
    try:
        root = out.resolve()
        path = root.joinpath(*parts).resolve()
        return path if path.is_relative_to(root) and path.exists() else None
    except OSError:
        return None


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers the preview's requests from the site in `out`, with what `state` knows of the
    builds (`_handler` makes one for a site)."""

    out: Path
    state: _State
    timeout = 60  # an idle connection is dropped, not kept for ever

    def log_message(self, format, *args):  # the build's own log is enough
        pass

    def parse_request(self) -> bool:
        """The request line and headers, and whether it names this machine: any other Host
        (a name rebound to 127.0.0.1) gets 421 and nothing of the site."""
        if not super().parse_request():
            return False
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            self._text(400, "Bad request: exactly one Host header is needed.")
            return False
        if not _LOCAL_HOST.fullmatch(hosts[0].strip()):
            self._text(421, "Misdirected request: jsna serve answers only to localhost, 127.0.0.1 and [::1].")
            return False
        return True

    def do_GET(self):
        self._respond()

    def do_HEAD(self):
        self._respond()

    def _respond(self) -> None:
        """The build number, a page (with the reload script), a file, a folder's index, or
        the site's 404 page; 400 for a path that is not a decodable, NUL-free absolute path."""
        raw = self.path.partition("?")[0].partition("#")[0]
        if raw == _VERSION:
            self._send(200, "application/json", json.dumps(self.state.snapshot()).encode("utf-8"))
            return
        try:
            name = urllib.parse.unquote(raw, errors="strict")
        except UnicodeDecodeError:
            name = ""
        if not name.startswith("/") or "\0" in name:
            self._text(400, "Bad request: not a path to a page.")
            return
        path = _find(self.out, name)
        if path is not None and path.is_dir():
            if not name.endswith("/"):  # to the folder's own address, so its links work
                self._redirect(urllib.parse.quote(f"/{path.relative_to(self.out.resolve()).as_posix()}/"))
                return
            path = path / "index.html"
        self._file(path)

    def _file(self, path: Path | None) -> None:
        """A page with the reload script (and any error notice), any other file as it is."""
        stream = _open(path)
        if stream is None:
            self._not_found()
            return
        with stream:
            if path.suffix == ".html":
                self._send(200, "text/html; charset=utf-8", _page(stream.read(), self.state.snapshot()["error"]))
            else:
                self._send(200, _kind(path), None, stream)

    def _not_found(self) -> None:
        """The site's own 404 page (its links are absolute, so it works at any path)."""
        try:
            page = (self.out / "404.html").read_bytes()
        except OSError:  # no site yet: the first build failed
            page = b"<body>Not found.</body>"
        self._send(404, "text/html; charset=utf-8", _page(page, self.state.snapshot()["error"]))

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _text(self, status: int, text: str) -> None:
        self.close_connection = True
        self._send(status, "text/plain; charset=utf-8", text.encode("utf-8") + b"\n")

    def _send(self, status: int, kind: str, body: bytes | None, stream=None) -> None:
        """Headers, then the body (bytes, or a file streamed) unless the request is HEAD."""
        size = len(body) if stream is None else os.fstat(stream.fileno()).st_size
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(size))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command == "HEAD":
            return
        if stream is None:
            self.wfile.write(body)
        else:
            shutil.copyfileobj(stream, self.wfile)



def _handler(out: Path, state: _State) -> type[_Handler]:
    """The request handler for the site in `out`."""
    return type("Handler", (_Handler,), {"out": out, "state": state})


def _open(path: Path | None):
    """The file opened to read, or None if there is none (or it was swapped away meanwhile)."""
    try:
        return path.open("rb") if path is not None else None
    except OSError:
        return None


def _kind(path: Path) -> str:
    """The Content-Type of a site file: text as UTF-8, anything unknown as bytes."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") else kind


class _Server(http.server.ThreadingHTTPServer):
    """The preview's server: an error answering one request is one line in the log (none for
    a reader who went away), never a traceback."""

    def __init__(self, port: int, handler, log: Callable[[str], None]):
        self.log = log
        try:
            super().__init__(("127.0.0.1", port), handler)
        except OSError as exc:
            raise JsnaError(Position(f"127.0.0.1:{port}"), f"cannot serve here: {exc.strerror or exc}") from None

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            self.log(f"answering a request: {_one_line(exc)}")


def serve(
    root: Path,
    out: Path,
    build: Callable[..., object],
    *,
    port: int = 8000,
    pdf: bool = True,
    poll: float = 0.1,
    log: Callable[[str], None] = print,
) -> None:
    """Build, serve `out` on 127.0.0.1:port, and rebuild on every change until interrupted.
    A build that fails, however, leaves the last good site served and its error shown."""
    state = _State()

    # The pages first, then the chapters' PDFs, then the whole JSNA's: each is back as soon as it can be.
    passes = (("without PDFs", {"pdf": False}),) + ((
        ("with the chapters' PDFs", {"pdf": True, "compendium_pdf": False}),
        ("with PDFs", {"pdf": True}),
    ) if pdf else ())

    def rebuild() -> None:
        for what, options in passes:
            try:
                build(root, out, **options)
            except Exception as exc:  # any failure: the preview lives on, the error is shown
                log(_one_line(exc))
                state.bump(_one_line(exc))
                return
            state.bump(None)
            log(f"rebuilt ({what}); build {state.version}")

    stamp = input_stamp(root)
    rebuild()
    server = _Server(port, _handler(out, state), log)
    log(f"serving {out} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        while True:
            time.sleep(poll)
            now = input_stamp(root)
            if now != stamp:
                stamp = now
                log("change seen: rebuilding")
                rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
