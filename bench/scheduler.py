"""The scheduler's own overhead: 5,000 targets, all kept, read back from an in-memory store as
they were kept (so that neither the disk, nor a piece's encoding, nor any make function is
timed), shaped as a site's are (pages of 12 charts each). Prints the median of several runs, in milliseconds.
Usage: python bench/scheduler.py [TARGETS] [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import time

from jsna.build.scheduler import Scheduler
from jsna.build.targets import TEXT, Keep, Target


class MemoryStore:
    """The store's interface over a dict."""

    def __init__(self):
        self.entries: dict[str, bytes] = {}

    def has(self, key: str) -> bool:
        return key in self.entries

    def get(self, key: str) -> bytes | None:
        return self.entries.get(key)

    def put(self, key: str, data: bytes) -> None:
        self.entries[key] = data


def _same(data: bytes) -> bytes:
    return data


# Kept as they are: what is timed is the scheduler, not a piece's encoding.
RAW = Keep("raw", _same, _same)


def chart(number: str) -> bytes:
    return number.encode()


def page(*charts: bytes) -> str:
    return str(len(charts))


def targets(count: int) -> list[Target]:
    """`count` targets: groups of 12 charts and the page that shows them."""
    made = []
    for group in range(count // 13):
        charts = [Target(f"chart:{group}/{n}", chart, (str(n),), (f"{group}-{n}",), where="charts", keep=RAW) for n in range(12)]
        made += [*charts, Target(f"page:{group}", page, needs=tuple(c.name for c in charts), keep=TEXT)]
    return made


def main(count: int = 5000, runs: int = 7) -> float:
    store, site = MemoryStore(), targets(count)
    Scheduler(store, {}).run(site)  # made once, kept
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        Scheduler(store, {}).run(site)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    print(f"scheduler, {count // 13 * 13} kept targets: {main(count):.1f} ms (median of 7)")
