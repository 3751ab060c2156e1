"""The garbage collector in a build: what lives as long as a process (a worker's imports, the
main process's loaded site) is left out of its passes, and nothing stays set aside after a build
(`jsna serve` builds again and again in one process)."""

from __future__ import annotations

import gc

from jsna.build import pipeline
from jsna.build.parallel import process_pool
from jsna.build.scheduler import Scheduler

KEPT: list[object] = []
SEEN: dict[str, object] = {}


def _prepare() -> None:
    """A worker's preparation, noting whether the collector ran while it imported."""
    SEEN["enabled while preparing"] = gc.isenabled()
    KEPT.extend([object()] for _ in range(1000))  # what an import leaves: objects the collector tracks


def _after() -> tuple[object, bool, int]:
    return SEEN["enabled while preparing"], gc.isenabled(), gc.get_freeze_count()


def test_a_workers_preparation_runs_with_the_collector_paused_and_what_it_made_is_set_aside():
    pool = process_pool(1, _prepare)
    assert pool is not None
    try:
        paused, enabled, frozen = pool.submit(_after).result(timeout=60)
    finally:
        pool.shutdown()
    assert paused is False, "the collector ran while the worker imported"
    assert enabled, "the collector is on again for the worker's jobs"
    assert frozen >= 1000, "what the preparation made is left out of the collector's passes"


def test_the_loaded_site_is_set_aside_during_the_build_and_nothing_after_it(project, monkeypatch):
    frozen: list[int] = []
    run = Scheduler.run

    def noting(self, targets):
        frozen.append(gc.get_freeze_count())
        return run(self, targets)

    monkeypatch.setattr(Scheduler, "run", noting)
    pipeline.build(project, project / "site", pdf=False, workers=1)
    assert frozen and frozen[0] > 0, "the loaded site was walked by every collection during the build"
    assert gc.get_freeze_count() == 0, "objects stayed set aside after the build"


def test_chart_and_pdf_workers_import_their_libraries_as_they_start(monkeypatch):
    from jsna.build import parallel
    from jsna.build.targets import CHARTS, PDFS
    from jsna.render.pdf import prepare

    prepared = []
    monkeypatch.setattr(parallel, "process_pool", lambda size, prepare=None: prepared.append(prepare))
    pools = pipeline._pools(2)
    pools[CHARTS](3)
    pools[PDFS](1)
    assert prepared == [pipeline._prepare_charts, prepare]
