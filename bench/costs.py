"""Measure the unit costs the benchmark's model uses, on a corpus: importing matplotlib and
WeasyPrint, drawing one figure (its wide chart as SVG and PDF from one layout, and its small SVG),
rendering one chapter's PDF and one compendium part, what a straightforward builder pays for a
figure (one wide SVG laid out by matplotlib's constrained layout engine, for the floor), and the
compendium's serial tail per chapter (its front, its page numbers and putting the parts together,
timed for three chapters and divided by three). Prints them as JSON.
Usage: python bench/costs.py PROJECT
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
    from jsna.build import pipeline
    from jsna.render.assemble import assemble
    from jsna.render.compendium import chapter_numbering, contents_page, print_page, render_compendium_front, render_compendium_part, render_page_numbers
    from jsna.compute.views import compute_site
    from jsna.draw.charts import draw
    from jsna.load.site import load_site
    from jsna.project import template_dirs
    from jsna.render.html import chapter_page, environment, render_chapter_print
    from jsna.render.pdf import render_pdf

    site = load_site(root)
    views = compute_site(site)
    draw(views[0].figures[0].chart)  # warm up
    figures = [f.chart for v in views[:2] for f in v.figures]
    started = time.perf_counter()
    for spec in figures:
        draw(spec, pdf=True)
        draw(spec, small=True)
    figure = (time.perf_counter() - started) / len(figures)
    plain = _straightforward_figure(figures)

    env = environment(template_dirs(root))
    css = pipeline._asset(template_dirs(root), "pdf.css").decode("utf-8")
    drawn = {f"{v.chapter.slug}/{f.svg_file}": draw(f.chart, pdf=True)[1] for v in views[:3] for f in v.figures}
    pages = {v.chapter.slug: chapter_page(env, site, v) for v in views}
    jobs, part_jobs = [], []
    for view in views[:3]:
        slug = view.chapter.slug
        html = render_chapter_print(env, site, print_page(site, pages[slug], None), css)
        jobs.append((html, {f.svg_file: drawn[f"{slug}/{f.svg_file}"] for f in view.figures}))
        part = render_compendium_part(env, site, pages[slug], css, None)
        part_jobs.append((part, {f"{slug}/{f.svg_file}": drawn[f"{slug}/{f.svg_file}"] for f in view.figures}))
    render_pdf(*jobs[0])  # warm up
    started = time.perf_counter()
    for job in jobs:
        render_pdf(*job)
    pdf = (time.perf_counter() - started) / len(jobs)
    started = time.perf_counter()
    parts = [render_pdf(html, files, ids=f"p{n}-") for n, (html, files) in enumerate(part_jobs)]
    part = (time.perf_counter() - started) / len(parts)
    started = time.perf_counter()
    anchors, body = chapter_numbering([(count, names) for _, count, names in parts])
    contents = [contents_page(v) for v in views[:3]]
    front = render_pdf(render_compendium_front(env, site, contents, css, None, anchors), {})
    numbers = [
        render_pdf(render_page_numbers(env, site, css, count, roman=roman), {}, tagged=False)[0]
        for count, roman in ((front[1], True), (body, False))
    ]
    assemble(front[0], [p[0] for p in parts], numbers)
    tail = (time.perf_counter() - started) / len(parts)
    return {"imports": imports, "figure": figure, "plain_figure": plain, "pdf": pdf, "part": part, "compendium_tail": tail}


def _straightforward_figure(figures) -> float:
    """Seconds a figure costs drawn once, as a straightforward builder draws it: one wide SVG,
    laid out by matplotlib's constrained layout engine, text as paths (jsna's own measuring
    left out). The floor the full build is judged against uses it."""
    import matplotlib

    from jsna.draw import charts

    saved = charts._fit, matplotlib.rc_context
    charts._fit = lambda *args: None
    matplotlib.rc_context = lambda rc=None, fname=None: saved[1](
        {**(rc or {}), "svg.fonttype": "path", "figure.constrained_layout.use": True}, fname)
    try:
        charts.draw(figures[0])  # warm up
        started = time.perf_counter()
        for spec in figures:
            charts.draw(spec)
        return (time.perf_counter() - started) / len(figures)
    finally:
        charts._fit, matplotlib.rc_context = saved


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
