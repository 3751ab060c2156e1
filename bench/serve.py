"""An edit under `jsna serve`: how long after a value is changed the chapter's page, then its PDF,
are rebuilt (as the serve log says; the whole JSNA's PDF follows, not timed), with the chart and PDF workers kept warm between builds.
Medians of several edits on a synthetic corpus (bench/synth.py), one serve process.

    python bench/serve.py [CHAPTERS] [EDITS]
"""

from __future__ import annotations

import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def flip_value(project: Path, step: int) -> None:
    """Give the first England value one it has not had before (a new value each edit)."""
    indicators = project / "indicators.yaml"
    text = indicators.read_text()
    start = text.index("england: {") + len("england: {")
    key, _, rest = text[start:].partition(": ")
    current, _, _ = rest.partition(",")
    indicators.write_text(text[:start] + f"{key}: {float(current) + 0.1 * step:.1f}," + rest[len(current) + 1:])


def _lines(process: subprocess.Popen, into: queue.Queue) -> None:
    for line in process.stdout:
        into.put((time.perf_counter(), line.strip()))


def _until(lines: queue.Queue, text: str, timeout: float = 300) -> float:
    """The time the serve log first says `text` from now on."""
    deadline = time.perf_counter() + timeout
    while True:
        at, line = lines.get(timeout=max(0.1, deadline - time.perf_counter()))
        if text in line:
            return at


def main(chapters: int = 10, edits: int = 5) -> dict[str, float]:
    project = Path(tempfile.mkdtemp(prefix="jsna-serve-")) / "p"
    subprocess.run([sys.executable, str(HERE / "synth.py"), str(project), str(chapters)], check=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "jsna", "serve", "--project", str(project), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**ENV, "PYTHONPATH": str(HERE.parent)},
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process, lines), daemon=True).start()
    try:
        _until(lines, "serving ")
        page, pdf = [], []
        for step in range(1, edits + 1):
            time.sleep(1.0)  # the workers idle, as between an editor's saves
            started = time.perf_counter()
            flip_value(project, step)
            page.append(_until(lines, "rebuilt (without PDFs)") - started)
            pdf.append(_until(lines, "rebuilt (with the chapters' PDFs)") - started)
            _until(lines, "rebuilt (with PDFs)")  # the compendium, before the next edit
    finally:
        process.terminate()
        process.wait()
    return {"page": statistics.median(page), "pdf": statistics.median(pdf), "pages": page, "pdfs": pdf}


if __name__ == "__main__":
    result = main(*(int(a) for a in sys.argv[1:3]))
    print(f"serve, one value changed: page back in {result['page']:.2f} s, its PDF in {result['pdf']:.2f} s "
          f"(medians; page {', '.join(f'{t:.2f}' for t in result['pages'])}; PDF {', '.join(f'{t:.2f}' for t in result['pdfs'])})")
