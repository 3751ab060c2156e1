"""The search index: Pagefind run over the chapter pages, in a folder of their own.

Pagefind is a single binary that the PyPI package `pagefind[extended]` (or `pagefind-bin`)
bundles, so a build needs no Node and no network. Without it the site is built without a search
index, and the build says so in one line; the search page then says search is not available.
Only the chapter pages are indexed (their `data-pagefind-body`), and the output is the same bytes
for the same pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from jsna.errors import JsnaError, Position
from jsna.project import SEARCH_DIR

BUNDLE = SEARCH_DIR
# Pagefind writes ready-made search interfaces too; the site has its own (templates/assets/jsna.js).
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
MISSING = "search index skipped: Pagefind is not installed (pip install 'pagefind[extended]'); the site has no search"


def find_pagefind() -> str | None:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, a bundled one from PyPI, or one on PATH."""
    given = os.environ.get("PAGEFIND_BINARY_PATH")
    if given:
        return given
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            module = __import__(package)
            return str(module.get_executable())
        except (ImportError, FileNotFoundError):
            continue
    return shutil.which("pagefind_extended") or shutil.which("pagefind")


def index_site(folder: Path, log: Callable[[str], None] = lambda _: None, notice: Callable[[str], None] | None = None) -> bool:
    """Write the search index into folder/pagefind/. False (after one notice) when Pagefind is absent."""
    binary = find_pagefind()
    if binary is None:
        (notice or _stderr)(MISSING)
        return False
    log(f"indexing the site for search with {Path(binary).name}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    # At a lower priority (POSIX `nice`, where there is one), so that the charts being drawn
    # meanwhile go first: the build waits for them, not for the index (measured: a rebuild after
    # one value changed, 50 chapters, about 0.07 s sooner).
    nice = shutil.which("nice")
    run = subprocess.run(
        [*([nice, "-n", "10"] if nice else []), binary, "--site", ".", "--output-subdir", BUNDLE, "--keep-index-url", "--quiet"],
        cwd=folder, env=env, capture_output=True, text=True, check=False,
    )
    if run.returncode != 0:
        detail = (run.stderr.strip() or run.stdout.strip() or f"exit status {run.returncode}").splitlines()[-1]
        raise JsnaError(Position(str(binary)), f"expected Pagefind to index the site, found an error: {detail}")
    for name in UNUSED:
        (folder / BUNDLE / name).unlink(missing_ok=True)
    return True


def index_pages(names: tuple[str, ...], *pages: str) -> dict[str, bytes]:
    """The search target's make (jsna/build/pipeline.py): the index's files (pagefind/...) for
    the chapter pages (`names`: their paths in the site), made in a folder of their own."""
    with tempfile.TemporaryDirectory(prefix="jsna-search-") as scratch:
        folder = Path(scratch)
        for name, page in zip(names, pages):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(page, encoding="utf-8")
        if not index_site(folder):
            return {}
        return {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted((folder / BUNDLE).rglob("*")) if path.is_file()
        }


def _stderr(message: str) -> None:
    print(f"jsna: {message}", file=sys.stderr)
