"""One build's timeline: when its stages ran in the main process, when its pools started, and
when each chart, layout and PDF was made in which worker (start, end and length, in seconds
from this script's start). For finding an edit's critical path. The stages and jobs are found
by name where the checkout has them; when a process pool is made is noted in any checkout (an
older one, before the Graph redesign, included), so two can be set side by side.

    python bench/timeline.py PROJECT [BUILD OPTIONS]      e.g. --no-pdf, --no-compendium

The build's own output goes to the usual place (PROJECT/site); the timeline is printed after it.
Run it as the build itself would be, from the checkout whose code is to be timed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

STARTED = time.time()
sys.path.insert(0, os.getcwd())  # the checkout run from, as `python -m jsna` would take it

import concurrent.futures.process  # noqa: E402
import importlib  # noqa: E402

LOG = tempfile.NamedTemporaryFile(prefix="jsna-timeline-", suffix=".jsonl", delete=False).name


def _note(name: str, start: float, end: float) -> None:
    """One line of the timeline, appended by whichever process made it (workers are forked
    from this one, so they note too)."""
    with open(LOG, "a", encoding="utf-8") as out:
        out.write(json.dumps([os.getpid(), name, start, end]) + "\n")


def _timed(owner, name: str, label=None) -> None:
    """Replace `owner.name` (a module's function or a class's method) with one that notes each
    call, as `label(*args)` or by its name; it keeps the original's module and name, so that a
    worker's job is still pickled by reference to it."""
    made = getattr(owner, name)

    def noting(*args, **kwargs):
        start = time.time()
        result = made(*args, **kwargs)
        _note(label(*args) if label else name, start, time.time())
        return result

    noting.__module__, noting.__qualname__, noting.__name__ = made.__module__, made.__qualname__, made.__name__
    setattr(owner, name, noting)


# What is timed, where the checkout has it: (module, function).
TIMED = (
    ("jsna.build.pipeline", "inputs_digest"), ("jsna.build.pipeline", "_load"), ("jsna.build.pipeline", "_context"),
    ("jsna.build.pipeline", "site_targets"), ("jsna.draw.charts", "draw_job"), ("jsna.render.pdf", "prepare"),
    ("jsna.render.pdf", "lay_out_job"), ("jsna.render.pdf", "render_job"),
)


def _pdf_label(name: str):
    """A PDF job's label: which PDF, by the ID prefix it is given (none for a chapter's own)."""
    return lambda tagged, ids, *rest: f"{name} {ids.rstrip('-') or 'own'}"


def main() -> None:
    for module, name in TIMED:
        try:
            found = importlib.import_module(module)
        except ImportError:
            continue
        if hasattr(found, name):
            _timed(found, name, _pdf_label(name) if name in ("lay_out_job", "render_job") else None)
    _timed(concurrent.futures.process.ProcessPoolExecutor, "__init__", lambda *args: "process pool made")
    try:
        from jsna.build.scheduler import Scheduler
    except ImportError:  # a checkout from before the scheduler
        pass
    else:  # each target made in the main process, by name
        _timed(Scheduler, "_make_here", lambda scheduler, target: f"here {target}")
    from jsna.cli import main as cli

    project = sys.argv[1]
    sys.argv = ["jsna", "build", "-q", "--project", project, "--out", os.path.join(project, "site"), *sys.argv[2:]]
    try:
        cli()
    except SystemExit:
        pass
    _note("end", time.time(), time.time())
    with open(LOG, encoding="utf-8") as lines:
        rows = sorted((json.loads(line) for line in lines), key=lambda row: row[2])
    os.remove(LOG)
    print(f"{'process':>8} {'start':>7} {'end':>7} {'length':>7}  what")
    for pid, name, start, end in rows:
        if end - start > 0.004 or not name.startswith("here "):  # the main process's many small steps left out
            print(f"{pid:>8} {start - STARTED:7.3f} {end - STARTED:7.3f} {end - start:7.3f}  {name}")


if __name__ == "__main__":
    main()
