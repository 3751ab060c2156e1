"""Where a figure's drawing time goes: for two chapters' charts, drawn wide (SVG and PDF from one
layout) and small (SVG), the milliseconds per chart spent plotting, fitting (jsna's measuring of
the text around the axes), saving the SVG and saving the PDF. Medians of several rounds, in this
process, after a warm-up; each round draws two other chapters' charts, as a worker meets each
chart once (a chart drawn again finds its text in jsna's memories of measures and layouts).

    python bench/figure.py PROJECT [ROUNDS]      (a corpus of at least 2 x ROUNDS + 1 chapters)
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path


def main(root: Path, rounds: int = 5) -> dict[str, dict[str, float]]:
    from matplotlib.figure import Figure

    import jsna.draw.charts as charts
    from jsna.compute.views import compute_site
    from jsna.load.site import load_site

    views = compute_site(load_site(root))
    charted = [[f.chart for f in v.figures if not f.empty] for v in views]
    groups = [charted[i] + charted[i + 1] for i in range(0, len(charted) - 2, 2)][:rounds]
    spent: dict[str, float] = defaultdict(float)
    fit, save = charts._fit, Figure.savefig

    def timed_fit(*args, **options):
        started = time.perf_counter()
        fit(*args, **options)
        spent["fit"] += time.perf_counter() - started

    def timed_save(figure, out, format=None, **options):
        started = time.perf_counter()
        save(figure, out, format=format, **options)
        spent[f"save {format}"] += time.perf_counter() - started

    charts._fit, Figure.savefig = timed_fit, timed_save
    try:
        for spec in charted[-1][:3]:  # warm up, on the last chapter's charts
            charts.draw(spec, pdf=True)
            charts.draw(spec, small=True)
        found: dict[str, dict[str, list[float]]] = {"wide": defaultdict(list), "small": defaultdict(list)}
        for specs in groups:
            for rendition in found:
                spent.clear()
                started = time.perf_counter()
                for spec in specs:
                    charts.draw(spec, pdf=rendition == "wide", small=rendition == "small")
                total = time.perf_counter() - started
                parts = {"total": total, **spent}
                parts["plotting and the rest"] = total - sum(spent.values())
                for part, seconds in parts.items():
                    found[rendition][part].append(seconds * 1000 / len(specs))
    finally:
        charts._fit, Figure.savefig = fit, save
    return {rendition: {part: statistics.median(v) for part, v in parts.items()} for rendition, parts in found.items()}


if __name__ == "__main__":
    result = main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5)
    for rendition, parts in result.items():
        print(rendition + ": " + ", ".join(f"{part} {ms:.0f} ms" for part, ms in parts.items()))
