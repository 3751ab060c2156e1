"""Run independent jobs (drawing charts, rendering PDFs) across processes on all cores.

Results come back in the order the jobs were given, whatever order they finish in, so the
output does not depend on scheduling. Give the largest jobs first: the pool hands them out in
order. Where no worker processes can be had, the jobs run one at a time in this process.
"""

from __future__ import annotations

import os
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def processors() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_all(function: Callable[[T], R], jobs: Sequence[T], workers: int | None = None) -> list[R]:
    """`function(job)` for every job; in worker processes when `workers` (default: all
    processors) and the number of jobs allow more than one."""
    count = min(len(jobs), workers or processors())
    if count < 2:
        return [function(job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=count) as pool:
            futures = [pool.submit(function, job) for job in jobs]
            return [future.result() for future in futures]
    except (OSError, BrokenProcessPool):  # no processes to be had here: one at a time, then
        return [function(job) for job in jobs]
