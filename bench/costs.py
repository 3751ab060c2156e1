"""Measure the unit costs the benchmark's model uses, on a corpus: importing matplotlib and
WeasyPrint, drawing one chart, rendering one chapter's PDF, and rendering the compendium.
Prints them as JSON. Usage: python bench/costs.py PROJECT
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _process(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def main(root: Path) -> dict:
    imports = statistics.median(
        _process("import matplotlib.figure, weasyprint") - _process("pass") for _ in range(3)
    )
    from jsna import pipeline
    from jsna.compendium import compendium_order, print_page, render_compendium_print
    from jsna.compute import compute_site
    from jsna.draw import draw_svg
    from jsna.load import load_site
    from jsna.project import template_dirs
    from jsna.render_html import chapter_page, environment, render_chapter_print
    from jsna.render_pdf import render_pdf

    site = load_site(root)
    views = compute_site(site)
    draw_svg(views[0].figures[0].chart)  # warm up
    charts = [(f.chart, small) for v in views[:2] for f in v.figures for small in (False, True)]
    started = time.perf_counter()
    svgs = [draw_svg(chart, small=small) for chart, small in charts]
    chart = (time.perf_counter() - started) / len(charts)

    env = environment(template_dirs(root))
    css = pipeline._asset(template_dirs(root), "pdf.css").decode("utf-8")
    all_svgs = {f"{v.chapter.slug}/{f.svg_file}": draw_svg(f.chart) for v in views for f in v.figures}
    pages = {v.chapter.slug: chapter_page(env, site, v) for v in views}
    jobs = []
    for view in views[:3]:
        html = render_chapter_print(env, site, print_page(site, pages[view.chapter.slug], None), css)
        jobs.append((html, {f.svg_file: all_svgs[f"{view.chapter.slug}/{f.svg_file}"] for f in view.figures}))
    render_pdf(*jobs[0])  # warm up
    started = time.perf_counter()
    for job in jobs:
        render_pdf(*job)
    pdf = (time.perf_counter() - started) / len(jobs)
    html = render_compendium_print(env, site, [pages[s] for s in compendium_order(site)], css, None)
    started = time.perf_counter()
    render_pdf(html, all_svgs)
    compendium = time.perf_counter() - started
    del svgs
    return {"imports": imports, "chart": chart, "pdf": pdf, "compendium": compendium}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
