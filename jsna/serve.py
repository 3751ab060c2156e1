"""`jsna serve`: a local preview that rebuilds when an input changes and reloads the page.

The site is served from its output folder over http://127.0.0.1. A watcher polls the project's
inputs (jsna.yaml, indicators.yaml, chapters/, templates/); on a change it rebuilds the pages
first (no PDFs, so the page is back in about a second) and then, if PDFs are wanted, again with
PDFs (charts and unchanged chapters come from the cache). Every HTML page served gets a small
script that asks `/__jsna__/version` once a second and reloads when the build number moves;
the script is added while serving only, never written into the site.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path
from typing import Callable

from jsna.errors import JsnaError, JsnaErrors

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


def input_stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every input file: cheap to take, changes on edit."""
    paths = [root / "jsna.yaml", root / "indicators.yaml"]
    for folder in ("chapters", "templates"):
        if (root / folder).is_dir():
            paths.extend(p for p in (root / folder).rglob("*") if p.is_file())
    stamp = []
    for path in sorted(paths):
        try:
            info = path.stat()
        except FileNotFoundError:
            continue
        stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


class _State:
    """The build number and last error the reload script and the log report."""

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


def _handler(out: Path, state: _State):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(out), **kwargs)

        def log_message(self, format, *args):  # the build's own log is enough
            pass

        def do_GET(self):
            if self.path.startswith("/__jsna__/version"):
                body = json.dumps(state.snapshot()).encode("utf-8")
                self._send(200, "application/json", body)
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                html = path.read_bytes()
                self._send(200, "text/html; charset=utf-8", html.replace(b"</body>", _RELOAD + b"</body>", 1))
                return
            super().do_GET()

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(
    root: Path,
    out: Path,
    build: Callable[..., object],
    *,
    port: int = 8000,
    pdf: bool = True,
    poll: float = 0.5,
    log: Callable[[str], None] = print,
) -> None:
    """Build, serve `out` on 127.0.0.1:port, and rebuild on every change until interrupted."""
    state = _State()

    def rebuild() -> None:
        for with_pdf in ((False, True) if pdf else (False,)):
            try:
                build(root, out, pdf=with_pdf)
            except (JsnaError, JsnaErrors) as exc:
                log(str(exc))
                state.bump(str(exc))
                return
            state.bump(None)
            log(f"rebuilt ({'with' if with_pdf else 'without'} PDFs); build {state.version}")

    stamp = input_stamp(root)
    rebuild()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(out, state))
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
