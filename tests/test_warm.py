"""Kept workers (`jsna serve`): lent to build after build, they give what a clean build gives."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from jsna.build.pipeline import build, warm_pools
from jsna.build.targets import CHARTS, PDFS

from conftest import INDICATORS


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _workers(warm) -> set[int]:
    return {pid for where in (CHARTS, PDFS) for pid in warm.pools[where]._processes}


def test_kept_workers_serve_build_after_build_and_give_a_clean_builds_bytes(project, tmp_path):
    warm = warm_pools(2)
    try:
        started = _workers(warm)
        out = project / "site"
        build(project, out, pdf=False, warm=warm)
        build(project, out, pdf=True, warm=warm)
        (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
        messages: list[str] = []
        build(project, out, pdf=True, warm=warm, log=messages.append)
        assert any(m.startswith("charts: 2 drawn") for m in messages), messages
        assert _workers(warm) == started, "the same workers drew and rendered every build"
    finally:
        warm.close()
    fresh = tmp_path / "fresh"
    build(project, fresh, pdf=True, workers=2, cache=False)
    assert _tree(out) == _tree(fresh)


def test_a_kept_pool_whose_worker_died_is_made_again(project):
    warm = warm_pools(2)
    try:
        pool = warm.pools[CHARTS]
        for pid in list(pool._processes):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not pool._broken and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pool._broken, "the pool knows its workers died"
        result = build(project, project / "site", pdf=True, warm=warm)
        assert result.figures > 0 and warm.pools[CHARTS] is not pool
    finally:
        warm.close()
