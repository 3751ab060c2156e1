"""Data files at scale: a SYNTHETIC tidy CSV of at least 50 MB (33,755 LSOA-like areas x 10 years
x 20 measures, made-up values from a seeded generator: not real data) read by 20 indicators of a
one-chapter project. Times, each in a fresh process:

- cold read: load_site with nothing remembered (the file parsed once, 20 indicators read from it);
- cold build: `jsna build --no-pdf` into an empty cache;
- nothing changed: the same build again (the no-change check: the inputs hashed, 50 MB among them);
- chapter changed: a word of the chapter changed (the data file is hashed, not parsed again);
- data changed: one cell of the file changed (the file parsed again, each indicator read again).

Usage: python bench/data.py [FOLDER]   (default: a temporary folder, removed afterwards)
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AREAS, YEARS, MEASURES = 33_755, range(2015, 2025), 20
FILE = "synthetic_lsoa_10_years_20_measures.csv"


def write_data(path: Path) -> int:
    """The synthetic file (area_code, period, m01..m20); its size in bytes."""
    rng = random.Random(20)
    head = "area_code,area_name,period," + ",".join(f"m{m:02d}" for m in range(1, MEASURES + 1)) + "\n"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(head)
        for area in range(1, AREAS + 1):
            code = f"E01{area:06d}"
            for year in YEARS:
                cells = ",".join(f"{rng.uniform(0, 5000):.3f}" for _ in range(MEASURES))
                out.write(f"{code},Synthetic area {area},{year},{cells}\n")
    return path.stat().st_size


def write_project(root: Path) -> None:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "chapters").mkdir(exist_ok=True)
    (root / "jsna.yaml").write_text(
        "title: Synthetic data bench\norganisation: bench\narea: Synthetic area 17\narea_code: E01000017\n"
        "comparators:\n  england: England\n", encoding="utf-8")
    items = "".join(
        f"  - id: m{m:02d}\n    title: Synthetic measure {m}\n    definition: Made-up values for a benchmark.\n"
        f"    measure: count\n    polarity: no-judgement\n"
        f"    source: {{publisher: jsna bench, dataset: synthetic (not real data)}}\n"
        f"    data:\n      file: {FILE}\n      value: m{m:02d}\n      periods: year\n"
        for m in range(1, MEASURES + 1))
    (root / "indicators.yaml").write_text("indicators:\n" + items, encoding="utf-8")
    refs = " ".join(f"{{{{ m{m:02d} }}}}" for m in range(1, MEASURES + 1))
    (root / "chapters" / "bench.md").write_text(
        "---\ntitle: Bench\nsummary: Synthetic.\ntheme: Bench\nlast_updated: 2025-01-01\n---\n"
        f"## What are the key issues?\n\nValues: {refs}.\n\n```figure\nindicator: m01\ntype: line\n```\n",
        encoding="utf-8")


def timed(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(folder: Path) -> None:
    root = folder / "project"
    write_project(root)
    size = write_data(root / "data" / FILE)
    print(f"synthetic file: {size / 1e6:.1f} MB, {AREAS * len(YEARS):,} rows, read by {MEASURES} indicators")
    cold = timed("-c", f"from pathlib import Path; from jsna.load.site import load_site; load_site(Path({str(root)!r}))")
    print(f"cold read (load_site, nothing remembered, process start included): {cold:.2f} s")
    build = ("-m", "jsna", "build", "--project", str(root), "--no-pdf", "-q")
    print(f"cold build (--no-pdf, empty cache): {timed(*build, '--clean'):.2f} s")
    print(f"nothing changed: {timed(*build):.2f} s")
    chapter = root / "chapters" / "bench.md"
    chapter.write_text(chapter.read_text().replace("Values:", "The values:"), encoding="utf-8")
    print(f"chapter changed (data hashed, not parsed): {timed(*build):.2f} s")
    data = root / "data" / FILE
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("E01000017,Synthetic area 17,2024,", "E01000017,Synthetic area 17,2024,9", 1), encoding="utf-8")
    print(f"data changed (one cell): {timed(*build):.2f} s")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
            shutil.rmtree(tmp, ignore_errors=True)
