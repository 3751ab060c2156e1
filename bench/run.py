"""The benchmark: whole-process timings of jsna builds on synthetic corpora, medians of several
runs, with ratios taken in the same run. Writes a Markdown report.

    python bench/run.py --chapters 10 50 --runs 3 --report docs/benchmarks.md

Scenarios per corpus of N chapters (12 figures each, bench/synth.py): the straightforward build
(bench/straightforward.py: one process, no cache, default chart style), the full build with one
worker and with all workers (cache emptied first), a rebuild with nothing changed, after one value
changed (with PDFs; without the compendium; without PDFs), after one paragraph changed, and after
the web stylesheet changed. Peak memory is the largest single process of a build (its workers included).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
# Every process is timed as an editor's machine runs it: with Python's bytecode cache (this
# sandbox sets PYTHONDONTWRITEBYTECODE, which makes each process compile jsna's modules afresh).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB, largest process of the tree) of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss


def jsna(project: Path, out: Path, *extra: str) -> list[str]:
    return [PYTHON, "-m", "jsna", "build", "--project", str(project), "--out", str(out), "-q", *extra]


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench(n: int, runs: int, full_runs: int, workdir: Path) -> dict:
    project = workdir / f"n{n}"
    shutil.rmtree(project, ignore_errors=True)
    subprocess.run([PYTHON, str(HERE / "synth.py"), str(project), str(n)], check=True)
    out, out_nopdf = project / "site", project / "site-nopdf"
    result: dict = {"chapters": n, "figures": 12 * n, "pdfs": n + 1}
    print(f"N={n}: unit costs", flush=True)
    costs = json.loads(subprocess.run([PYTHON, str(HERE / "costs.py"), str(project)], check=True,
                                      capture_output=True, text=True, env=ENV).stdout)
    result["costs"] = costs
    times: dict[str, list[float]] = {}
    memory: dict[str, int] = {}

    def timed(name: str, command: list[str], before=None, repeat: int = runs) -> None:
        for _ in range(repeat):
            if before:
                before()
            seconds, rss = run(command)
            times.setdefault(name, []).append(seconds)
            memory[name] = max(memory.get(name, 0), rss)
        print(f"N={n}: {name}: {median(times[name]):.2f} s", flush=True)

    clear = lambda: shutil.rmtree(project / ".jsna-cache", ignore_errors=True)  # noqa: E731
    timed("straightforward", [PYTHON, str(HERE / "straightforward.py"), str(project), str(workdir / "base")], repeat=full_runs)
    timed("full, 1 worker", jsna(project, out, "--workers", "1"), clear, repeat=full_runs)
    timed("full, all workers", jsna(project, out), clear, repeat=full_runs)
    run(jsna(project, out_nopdf, "--no-pdf"))
    out_nocomp = project / "site-nocompendium"
    run(jsna(project, out_nocomp, "--no-compendium"))
    timed("nothing changed", jsna(project, out))
    indicators = project / "indicators.yaml"
    edits = iter(range(1, 1000))

    def flip_value() -> None:
        """Give the first England value one it has not had before, so every build sees a change."""
        text = indicators.read_text()
        start = text.index("england: {") + len("england: {")
        key, _, rest = text[start:].partition(": ")
        current, _, _ = rest.partition(",")
        # A new value each time: going back to an earlier one would be served from the cache.
        value = f"{float(current) + 0.1 * next(edits):.1f}"
        indicators.write_text(text[:start] + f"{key}: {value}," + rest[len(current) + 1:])

    timed("one value changed", jsna(project, out), flip_value)
    timed("one value changed, --no-compendium", jsna(project, out_nocomp, "--no-compendium"), flip_value)
    timed("one value changed, --no-pdf", jsna(project, out_nopdf, "--no-pdf"), flip_value)
    chapter = project / "chapters" / "chapter-000.md"
    def flip_text() -> None:
        text = chapter.read_text()
        chapter.write_text(text.replace("This chapter is synthetic", f"This chapter ({next(edits)}) is synthetic", 1)
                           if "This chapter is" in text else re.sub(r"This chapter \(\d+\) is", f"This chapter ({next(edits)}) is", text, count=1))

    timed("one paragraph changed", jsna(project, out), flip_text)
    style = project / "templates" / "assets" / "style.css"
    style.parent.mkdir(parents=True, exist_ok=True)
    style.write_text((HERE.parent / "templates" / "assets" / "style.css").read_text())
    run(jsna(project, out))
    original = style.read_text()

    def flip_style() -> None:
        style.write_text(original + f"\n/* benchmark edit {next(edits)} */\n")

    timed("stylesheet changed", jsna(project, out), flip_style)
    result["times"] = times
    result["memory_kib"] = memory
    cores = os.cpu_count() or 1
    # Charts, chapter PDFs and compendium parts on all cores; the compendium's tail after them.
    model = (result["figures"] * costs["figure"] + n * (costs["pdf"] + costs["part"])) / cores + n * costs["compendium_tail"] + costs["imports"]
    result["model"] = model
    return result


def report(results: list[dict], runs: int, full_runs: int, command: str) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Produced by `{command}` on this project's build machine ({os.cpu_count()} cores).",
        f"Whole-process wall times, median of {runs} runs each ({full_runs} for the three full builds);",
        "the corpora are synthetic",
        "(bench/synth.py: N chapters of 12 figures, each drawn wide and small, plus one PDF per chapter",
        "and the compendium, put together from a part per chapter). The straightforward build is bench/straightforward.py: one process, no",
        "cache, charts with matplotlib's layout engine and text as paths.",
        "",
    ]
    for r in results:
        t = {k: median(v) for k, v in r["times"].items()}
        c = r["costs"]
        lines += [
            f"## N = {r['chapters']} chapters ({r['figures']} figures, each drawn wide as SVG and PDF and small as SVG; {r['pdfs']} PDFs)",
            "",
            "| scenario | median (s) | runs (s) | peak memory, largest process (MiB) |",
            "| --- | ---: | --- | ---: |",
        ]
        for name, values in r["times"].items():
            runs_text = ", ".join(f"{v:.2f}" for v in values)
            lines.append(f"| {name} | {t[name]:.2f} | {runs_text} | {r['memory_kib'][name] / 1024:.0f} |")
        lines += [
            "",
            f"- 1 worker / all workers: **{t['full, 1 worker'] / t['full, all workers']:.2f}x**",
            f"- straightforward / full build: **{t['straightforward'] / t['full, all workers']:.2f}x**",
            f"- unit costs, same run: imports {c['imports']:.2f} s, figure {c['figure'] * 1000:.0f} ms, "
            f"chapter PDF {c['pdf']:.2f} s, compendium part {c['part']:.2f} s, "
            f"compendium tail (front, page numbers, putting together) {c['compendium_tail']:.2f} s per chapter",
            f"- model (figures x figure + chapters x (PDF + part)) / cores + chapters x tail + imports: {r['model']:.1f} s; "
            f"full build / model: **{t['full, all workers'] / r['model']:.2f}**",
            "",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--full-runs", type=int, default=None, help="runs of the three full builds (default: --runs)")
    parser.add_argument("--report", type=Path, default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="jsna-bench-"))
    full_runs = args.full_runs or args.runs
    results = [bench(n, args.runs, full_runs, workdir) for n in args.chapters]
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    text = report(results, args.runs, full_runs, command)
    print(text)
    if args.report:
        args.report.write_text(text)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
