"""The benchmark: whole-process timings of jsna builds on synthetic corpora, medians of several
runs, with ratios taken in the same run. Writes a Markdown report.

    python bench/run.py --chapters 10 50 --runs 3 --report docs/benchmarks.md
    python bench/run.py --chapters 10 50 --runs 5 --full-runs 1 --compare OLD_CHECKOUT --report docs/benchmarks.md

With --compare, every scenario is run for the code in OLD_CHECKOUT (another checkout of jsna,
imported through PYTHONPATH) and for this one, alternating run by run, each on its own copy of
the corpus (their caches differ in form), and the report sets the two side by side with each
one's run-to-run spread. The straightforward build is left out then.

Scenarios per corpus of N chapters (12 figures each, bench/synth.py): the straightforward build
(bench/straightforward.py: one process, no cache, default chart style and text measuring), the full build with one
worker and with all workers (cache emptied first), a rebuild with nothing changed, after one value
changed (with PDFs; without the compendium; without PDFs), after one paragraph changed, and after
the web stylesheet changed; and the bound of the edit without PDFs (bench/costs.py --chart-alone:
a fresh process that draws one figure, which any build that imports matplotlib only when a
chart is to be drawn pays). Peak memory is that of the whole process tree (the build and its
workers, summed, sampled every 20 ms), and of its largest single process.
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
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
# Every process is timed as an editor's machine runs it: with Python's bytecode cache (this
# sandbox sets PYTHONDONTWRITEBYTECODE, which makes each process compile jsna's modules afresh).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str], code: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds and peak resident memory (KiB: of the whole process tree, sampled, and of
    its largest process) of a command, with jsna imported from the checkout `code` (default:
    this one)."""
    env = {**ENV, "PYTHONPATH": str(code or HERE.parent)}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=code or HERE.parent)
    peak = [0]
    sampler = threading.Thread(target=_sample_tree, args=(process.pid, peak), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    sampler.join()
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, peak[0], usage.ru_maxrss


def _sample_tree(pid: int, peak: list[int]) -> None:
    """Keep in `peak[0]` the largest sum of resident memory (KiB) over `pid` and its
    descendants, read from /proc every 20 ms until `pid` is gone."""
    while Path(f"/proc/{pid}").exists():
        peak[0] = max(peak[0], sum(_rss(p) for p in _tree(pid)))
        time.sleep(0.02)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:  # a process may end while it is looked at
            for task in Path(f"/proc/{current}/task").glob("*/children"):
                todo += [int(child) for child in task.read_text().split()]
        except OSError:
            pass
    return found


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def jsna(project: Path, out: Path, *extra: str) -> list[str]:
    return [PYTHON, "-m", "jsna", "build", "--project", str(project), "--out", str(out), "-q", *extra]


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench(n: int, runs: int, full_runs: int, workdir: Path, old: Path | None = None) -> dict:
    """Every scenario on a corpus of `n` chapters, for this code (and, alternating run by run,
    for the checkout `old`)."""
    sides = {"new": None} if old is None else {"old": old, "new": None}
    projects = {side: workdir / f"n{n}-{side}" for side in sides}
    for project in projects.values():
        shutil.rmtree(project, ignore_errors=True)
        subprocess.run([PYTHON, str(HERE / "synth.py"), str(project), str(n)], check=True)
    result: dict = {"chapters": n, "figures": 12 * n, "pdfs": n + 1, "sides": list(sides)}
    measured = [unit_costs(n, projects["new"])]
    times: dict[str, dict[str, list[float]]] = {}
    memory: dict[str, int] = {}  # the whole tree's peak
    largest: dict[str, int] = {}  # the largest process's

    def timed(name: str, extra: tuple[str, ...] = (), out: str = "site", before=None, repeat: int = runs) -> None:
        together([(name, extra, out)], before, repeat)

    def together(scenarios: list[tuple[str, tuple[str, ...], str]], before=None, repeat: int = runs) -> None:
        """Each scenario (name, build options, output folder) `repeat` times, the scenarios in
        turn run by run, so that a ratio between two of them can be taken from runs made one
        after the other (the machine's speed drifts by a third within minutes: measured)."""
        for _ in range(repeat):
            for name, extra, out in scenarios:
                for side, code in sides.items():
                    project = projects[side]
                    if before:
                        before(project)
                    seconds, tree, one = run(jsna(project, project / out, *extra), code)
                    times.setdefault(name, {}).setdefault(side, []).append(seconds)
                    if side == "new":
                        memory[name], largest[name] = max(memory.get(name, 0), tree), max(largest.get(name, 0), one)
        for name, _, _ in scenarios:
            print(f"N={n}: {name}: " + ", ".join(f"{side} {median(t):.2f} s" for side, t in times[name].items()), flush=True)

    def once(extra: tuple[str, ...] = (), out: str = "site") -> None:
        for side, code in sides.items():
            run(jsna(projects[side], projects[side] / out, *extra), code)

    clear = lambda project: shutil.rmtree(project / ".jsna-cache", ignore_errors=True)  # noqa: E731
    if old is None and full_runs:  # set only against the full builds
        base = workdir / "base"
        seconds, tree, one = run([PYTHON, str(HERE / "straightforward.py"), str(projects["new"]), str(base)])
        times["straightforward"], memory["straightforward"], largest["straightforward"] = {"new": [seconds]}, tree, one
    if full_runs:
        # The floor's own costs are measured just before and just after the builds set against it:
        # the machine's speed drifts by a third and more within minutes (measured), and the unit
        # costs of the whole run lie minutes away from them.
        floor = [unit_costs(n, projects["new"], "floor")]
        timed("full, all workers, --no-compendium", ("--no-compendium",), "site-nocompendium", before=clear, repeat=full_runs)
        floor.append(unit_costs(n, projects["new"], "floor"))
        result["floor_costs"] = floor
        # One worker and all workers in turn, for their ratio; all workers last, to leave the cache
        # as the scenarios after them find it.
        together([("full, 1 worker", ("--workers", "1"), "site"), ("full, all workers", (), "site")], before=clear, repeat=full_runs)
        # Measured again after them, for the model (the mean of the two): the machine's speed drifts.
        measured.append(unit_costs(n, projects["new"]))
    else:  # --full-runs 0: built once, not timed
        once()
    costs = {key: statistics.mean(c[key] for c in measured) for key in measured[0]}
    result["costs"], result["measured_costs"] = costs, measured
    once(("--no-pdf",), "site-nopdf")
    once(("--no-compendium",), "site-nocompendium")
    timed("nothing changed")
    edits = iter(range(1, 1000))

    def flip_value(project: Path) -> None:
        """Give the first England value one it has not had before, so every build sees a change."""
        indicators = project / "indicators.yaml"
        text = indicators.read_text()
        start = text.index("england: {") + len("england: {")
        key, _, rest = text[start:].partition(": ")
        current, _, _ = rest.partition(",")
        # A new value each time: going back to an earlier one would be served from the cache.
        value = f"{float(current) + 0.1 * next(edits):.1f}"
        indicators.write_text(text[:start] + f"{key}: {value}," + rest[len(current) + 1:])

    timed("one value changed", before=flip_value)
    timed("one value changed, --no-compendium", ("--no-compendium",), "site-nocompendium", flip_value)
    timed("one value changed, --no-pdf", ("--no-pdf",), "site-nopdf", flip_value)
    result["chart_alone"] = unit_costs(n, projects["new"], "chart-alone")  # that edit's bound, just after it

    def flip_text(project: Path) -> None:
        chapter = project / "chapters" / "chapter-000.md"
        text = chapter.read_text()
        chapter.write_text(text.replace("This chapter is synthetic", f"This chapter ({next(edits)}) is synthetic", 1)
                           if "This chapter is" in text else re.sub(r"This chapter \(\d+\) is", f"This chapter ({next(edits)}) is", text, count=1))

    timed("one paragraph changed", before=flip_text)
    for project in projects.values():
        style = project / "templates" / "assets" / "style.css"
        style.parent.mkdir(parents=True, exist_ok=True)
        style.write_text((HERE.parent / "templates" / "assets" / "style.css").read_text())
    once()

    def flip_style(project: Path) -> None:
        style = project / "templates" / "assets" / "style.css"
        style.write_text(style.read_text().split("\n/* benchmark edit")[0] + f"\n/* benchmark edit {next(edits)} */\n")

    timed("stylesheet changed", before=flip_style)
    result["times"] = times
    result["memory_kib"], result["largest_kib"] = memory, largest
    cores = os.cpu_count() or 1
    # Charts, chapter PDFs and compendium parts on all cores; the compendium's tail after them.
    model = (result["figures"] * costs["figure"] + n * (costs["pdf"] + costs["part"])) / cores + n * costs["compendium_tail"] + costs["imports"]
    result["model"] = model
    # The physical floor of a --no-compendium build: each figure drawn once the straightforward
    # way, each chapter's PDF, on all cores, and the imports. Each unit's cheapest measure: noise
    # only ever adds time, and a slow spell in one measure would lower the ratio against it.
    if "floor_costs" in result:
        low = result["cheapest"] = {key: min(c[key] for c in result["floor_costs"]) for key in result["floor_costs"][0]}
        result["floor"] = (result["figures"] * low["plain_figure"] + n * low["pdf"]) / cores + low["imports"]
    return result


def unit_costs(n: int, project: Path, only: str = "") -> dict | list:
    """bench/costs.py's unit costs on the corpus `project`, or `only` one set of its measures
    ("floor": the floor's; "chart-alone": a changed figure drawn in a fresh process)."""
    print(f"N={n}: {only or 'unit costs'}", flush=True)
    return json.loads(subprocess.run([PYTHON, str(HERE / "costs.py"), *([f"--{only}"] if only else []), str(project)], check=True,
                                     capture_output=True, text=True, env={**ENV, "PYTHONPATH": str(HERE.parent)}).stdout)


def report(results: list[dict], runs: int, full_runs: int, command: str) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Produced by `{command}` on this project's build machine ({os.cpu_count()} cores).",
        f"Whole-process wall times, median of {runs} runs each ({full_runs} for the four full builds);",
        "the corpora are synthetic",
        "(bench/synth.py: N chapters of 12 figures, each drawn wide and small, plus one PDF per chapter",
        "and the compendium, put together from a part per chapter). The straightforward build is bench/straightforward.py: one process, no",
        "cache, charts with matplotlib's layout engine, text as paths and matplotlib's own text measuring (none of jsna's memories).",
        "",
    ]
    for r in results:
        t = {name: {side: median(v) for side, v in by_side.items()} for name, by_side in r["times"].items()}
        c, low, sides = r["costs"], r.get("cheapest"), r["sides"]
        header = " | ".join(f"{side}: median (s) | {side}: runs (s) | {side}: spread (s)" for side in sides)
        lines += [
            f"## N = {r['chapters']} chapters ({r['figures']} figures, each drawn wide as SVG and PDF and small as SVG; {r['pdfs']} PDFs)",
            "",
            f"| scenario | {header} |" + (" new / old |" if len(sides) > 1 else "") + " peak memory, whole tree (MiB) | peak memory, largest process (MiB) |",
            "| --- |" + " ---: | --- | ---: |" * len(sides) + (" ---: |" if len(sides) > 1 else "") + " ---: | ---: |",
        ]
        for name, by_side in r["times"].items():
            cells = " | ".join(
                f"{t[name][side]:.2f} | {', '.join(f'{v:.2f}' for v in by_side[side])} | {max(by_side[side]) - min(by_side[side]):.2f}"
                if side in by_side else "| |" for side in sides
            )
            ratio = f" {t[name]['new'] / t[name]['old']:.2f} |" if len(sides) > 1 and "old" in by_side else (" |" if len(sides) > 1 else "")
            lines.append(f"| {name} | {cells} |{ratio} {r['memory_kib'][name] / 1024:.0f} | {r['largest_kib'][name] / 1024:.0f} |")
        new = {name: values["new"] for name, values in t.items()}
        lines.append("")
        if "full, all workers" in new:
            pairs = [one / all_ for one, all_ in zip(r["times"]["full, 1 worker"]["new"], r["times"]["full, all workers"]["new"])]
            lines.append(f"- 1 worker / all workers (new): **{median(pairs):.2f}x**, the median of the ratios of runs made one after "
                         f"the other ({', '.join(f'{p:.2f}' for p in pairs)}); the ratio of their medians: "
                         f"{new['full, 1 worker'] / new['full, all workers']:.2f}x")
        if "straightforward" in new:
            lines.append(f"- straightforward / full build: **{new['straightforward'] / new['full, all workers']:.2f}x**")
        if len(r["measured_costs"]) > 1:
            lines.append("- unit costs measured before and after the full builds (their means are used for the model): "
                         + "; ".join(f"figure {m['figure'] * 1000:.0f} ms, straightforward figure {m['plain_figure'] * 1000:.0f} ms, "
                                     f"chapter PDF {m['pdf']:.2f} s" for m in r["measured_costs"]))
        lines += [
            f"- unit costs, same run: imports {c['imports']:.2f} s, figure {c['figure'] * 1000:.0f} ms, "
            f"chapter PDF {c['pdf']:.2f} s, compendium part {c['part']:.2f} s, "
            f"compendium tail (front, page numbers, putting together) {c['compendium_tail']:.2f} s per chapter",
        ]
        if "chart_alone" in r:
            alone = r["chart_alone"]
            lines.append(f"- one value changed `--no-pdf` against its bound, one figure drawn wide and small in a fresh process "
                         f"(Python, jsna's drawing and matplotlib imported, the two drawings): {median(alone):.2f} s "
                         f"(runs {', '.join(f'{v:.2f}' for v in alone)}); the edit takes "
                         f"**{new['one value changed, --no-pdf'] / median(alone):.2f}x** its bound")
        if "floor_costs" in r:
            lines.append("- the floor's unit costs, measured just before and just after the `--no-compendium` builds: "
                         + "; ".join(f"straightforward figure {m['plain_figure'] * 1000:.0f} ms, chapter PDF {m['pdf']:.2f} s, "
                                     f"imports {m['imports']:.2f} s" for m in r["floor_costs"]))
        if "full, all workers" in new:
            lines += [
                f"- model (figures x figure + chapters x (PDF + part)) / cores + chapters x tail + imports: {r['model']:.1f} s; "
                f"full build / model: **{new['full, all workers'] / r['model']:.2f}**",
                f"- floor (figures x {low['plain_figure'] * 1000:.0f} ms, a figure drawn once the straightforward way, + chapters x "
                f"{low['pdf']:.2f} s, a chapter PDF) / cores + imports ({low['imports']:.2f} s), each the cheaper of those two: "
                f"{r['floor']:.1f} s; full build `--no-compendium` / floor: "
                f"**{new['full, all workers, --no-compendium'] / r['floor']:.2f}x**",
            ]
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--full-runs", type=int, default=None, help="runs of the four full builds (default: --runs; 0: built once, not timed)")
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--compare", type=Path, default=None, help="another checkout of jsna, run alternately with this one")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="jsna-bench-"))
    full_runs = args.runs if args.full_runs is None else args.full_runs
    results = [bench(n, args.runs, full_runs, workdir, args.compare) for n in args.chapters]
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    text = report(results, args.runs, full_runs, command)
    print(text)
    if args.report:
        args.report.write_text(text)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
