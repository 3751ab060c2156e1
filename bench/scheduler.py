"""The scheduler's own overhead: 5,000 targets, all kept, read back from an in-memory store as
they were kept (so that neither the disk, nor a piece's encoding, nor any make function is
timed), shaped as a site's are (pages of 12 charts each). Prints the median of several runs, in milliseconds.
With `--compare OLD` (another checkout of jsna), OLD's scheduler runs too, the two alternating
run by run in this one process, and the ratio is printed.
Usage: python bench/scheduler.py [TARGETS] [RUNS] [--compare OLD]
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import time
from pathlib import Path

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


def main(count: int = 5000, runs: int = 7, schedulers: dict | None = None) -> dict[str, float]:
    """Median milliseconds of each scheduler class (by label), run after run in turn."""
    schedulers = schedulers or {"this": Scheduler}
    site = targets(count)
    stores = {label: MemoryStore() for label in schedulers}
    for label, scheduler in schedulers.items():
        scheduler(stores[label], {}).run(site)  # made once, kept
    times: dict[str, list[float]] = {label: [] for label in schedulers}
    for _ in range(runs):
        for label, scheduler in schedulers.items():
            started = time.perf_counter()
            scheduler(stores[label], {}).run(site)
            times[label].append(time.perf_counter() - started)
    return {label: statistics.median(values) * 1000 for label, values in times.items()}


def scheduler_of(checkout: Path):
    """The Scheduler class of another checkout's jsna/build/scheduler.py (its own imports of jsna
    are this one's)."""
    spec = importlib.util.spec_from_file_location("compared_scheduler", checkout / "jsna" / "build" / "scheduler.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Scheduler


if __name__ == "__main__":
    args = sys.argv[1:]
    compared = {}
    if "--compare" in args:
        at = args.index("--compare")
        compared = {"old": scheduler_of(Path(args[at + 1]))}
        del args[at : at + 2]
    count = int(args[0]) if args else 5000
    runs = int(args[1]) if len(args) > 1 else (7 if not compared else 30)
    medians = main(count, runs, {**compared, "this": Scheduler})
    print(f"scheduler, {count // 13 * 13} kept targets: " + ", ".join(f"{label} {ms:.1f} ms" for label, ms in medians.items())
          + f" (medians of {runs})" + (f"; this / old: {medians['this'] / medians['old']:.2f}" if compared else ""))
