"""The worker processes that draw charts and render PDFs (jsna/build/scheduler.py gives them
their jobs): as many as the processors, each dying with the build that started it."""

from __future__ import annotations

import os
from concurrent.futures import Executor
from concurrent.futures import wait as wait_for
from typing import Callable


def processors() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process_pool(size: int, prepare: Callable[[], None] | None = None) -> Executor | None:
    """A pool of `size` worker processes that die with the build, each running `prepare` first
    (importing what its jobs need: started at once, so that it is done by the time the first
    job comes); None where no processes can be had (the jobs are then made in this process)."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        pool = ProcessPoolExecutor(max_workers=size, initializer=_start_worker, initargs=(prepare, os.getpid()))
        if prepare:
            for _ in range(size):  # a worker is started for each job that finds none idle
                pool.submit(_nothing)
    except (OSError, BrokenProcessPool):
        return None
    return pool


def _start_worker(prepare: Callable[[], None] | None, parent: int) -> None:
    """A worker's first step: die with the build (`_die_with`); set aside, for the garbage
    collector, the objects it was forked with (the loaded site and its views), so that collecting
    never walks them or copies their pages; then `prepare`, with the collector paused, and set
    aside what it made too (matplotlib's or WeasyPrint's modules, which live as long as the
    worker: collecting while importing them cost matplotlib's import a tenth, measured)."""
    import gc

    _die_with(parent)
    gc.freeze()
    if prepare:
        gc.disable()
        try:
            prepare()
        finally:
            gc.freeze()
            gc.enable()


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when the build that started it dies, however it dies
    (`kill -9` included: a pool's own shutdown never runs then). Linux's PR_SET_PDEATHSIG; where
    there is none, the pool's own shutdown is all there is."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build died before the request was made
        os._exit(1)


def _nothing() -> None:
    """A job that only gets a worker started (and prepared)."""


class Warm:
    """Worker pools kept from one build to the next (`jsna serve`, the one place where workers
    import before there is work for them, so that an edit's charts and PDF do not wait for
    their imports): `factories[where] = prepare`, each pool made at once with `size` workers,
    lent to each build (`lend`) and closed with `close`. A pool that broke (a worker died) is
    made again when next lent."""

    def __init__(self, factories: dict[str, Callable[[], None]], size: int):
        self.factories, self.size = factories, size
        self.pools = {where: process_pool(size, prepare) for where, prepare in factories.items()}

    def lend(self, where: str) -> tuple[Executor, int] | None:
        """The pool kept for `where`, as one build sees it, and its size."""
        pool = self.pools.get(where)
        if pool is not None and getattr(pool, "_broken", False):  # ProcessPoolExecutor's own flag
            pool.shutdown(wait=False, cancel_futures=True)
            pool = self.pools[where] = process_pool(self.size, self.factories[where])
        return (Lent(pool), self.size) if pool is not None else None

    def close(self) -> None:
        for pool in self.pools.values():
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)


class Lent(Executor):
    """A kept pool as one build sees it: its jobs are this build's, and shutting it down (as the
    scheduler does at the end of a build) cancels those of its jobs not started, waits for the
    rest if asked, and leaves the workers for the next build."""

    def __init__(self, pool: Executor):
        self.pool, self.futures = pool, []

    def submit(self, fn, /, *args, **kwargs):
        future = self.pool.submit(fn, *args, **kwargs)
        self.futures.append(future)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            for future in self.futures:
                future.cancel()
        if wait:
            wait_for(self.futures)
