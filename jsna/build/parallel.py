"""Run independent jobs (drawing charts, rendering PDFs) across processes on all cores.

Results come back in the order the jobs were given, whatever order they finish in, so the
output does not depend on scheduling. Give the largest jobs first: the pool hands them out in
order. Where no worker processes can be had, the jobs run one at a time in this process.
"""

from __future__ import annotations

import os
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def processors() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_all(
    function: Callable[[T], R], jobs: Iterable[T], count: int, workers: int | None = None, share: int = 1,
    prepare: Callable[[], None] | None = None,
) -> Started:
    """Start `function(job)` for each of the `count` jobs in worker processes, and return once
    they are all handed over: calling what is returned waits for the results. Each job is handed
    over as `jobs` yields it, so the workers start on the first while later ones are still being
    prepared, and this process can go on with other work meanwhile (even one job is worth a
    worker then). `share`: the fewest jobs worth a process of their own (a worker first spends on
    its imports what `share` jobs cost). With one processor (or `workers` 1), or no processes to
    be had, the jobs run one at a time in this process when the results are asked for.

    `prepare`, if given, runs first in each worker (importing what the jobs need): the workers
    start on it at once, and the jobs are handed over only when `hand_over()` is called on what
    is returned, or the results are asked for, so that making them may wait on work this process
    does meanwhile."""
    workers = workers or processors()
    jobs = iter(jobs)
    given: list[T] = []  # the jobs taken from `jobs`, in order
    made: dict[int, R] = {}  # results made in this process, by job

    def here(index: int) -> R:
        """Job `index`'s result, made in this process."""
        while len(given) <= index:
            given.append(next(jobs))
        if index not in made:
            made[index] = function(given[index])
        return made[index]

    if count == 0 or workers < 2:
        return Started(lambda: None, here, count, lambda: None)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    futures = []

    def hand_over() -> None:
        for job in jobs:
            given.append(job)
            futures.append(pool.submit(function, job))

    try:
        size = max(1, min(count // share, workers))
        pool = ProcessPoolExecutor(max_workers=size, initializer=_start_worker, initargs=(prepare, os.getpid()))
        if prepare:
            for _ in range(size):  # a worker is started for each job that finds none idle
                pool.submit(_nothing)
        else:
            hand_over()
    except (OSError, BrokenProcessPool):  # no processes to be had here: one at a time, then
        return Started(lambda: None, here, count, lambda: None)
    broken = []

    def result(index: int) -> R:
        if not broken:
            try:
                hand_over()
                return futures[index].result()
            except (OSError, BrokenProcessPool):  # the processes could not start: here, then
                broken.append(True)
        return here(index)

    return Started(hand_over, result, count, pool.shutdown)


class Started:
    """Jobs `start_all` started: call it for their results (in order), or ask for one by its
    place with `result(index)`. `hand_over()` gives the workers the jobs not given yet (with
    `prepare`, they wait for it or for a result), and goes on."""

    def __init__(self, hand_over: Callable[[], None], result: Callable[[int], R], count: int, close: Callable[[], None]):
        self.hand_over = hand_over
        self.result = result
        self._count = count
        self._close = close

    def __call__(self) -> list:
        try:
            return [self.result(index) for index in range(self._count)]
        finally:
            self._close()


def _start_worker(prepare: Callable[[], None] | None, parent: int) -> None:
    """A worker's first step: die with the build (`_die_with`); set aside, for the garbage
    collector, the objects it was forked with (the loaded site and its views), so that collecting
    never walks them or copies their pages; then `prepare`."""
    import gc

    _die_with(parent)
    gc.freeze()
    if prepare:
        prepare()


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
