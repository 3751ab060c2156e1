"""Measure the unit costs the benchmark's model uses, on a corpus: importing matplotlib and
WeasyPrint, drawing one figure (its wide chart as SVG and PDF from one layout, and its small SVG),
rendering one chapter's PDF and one compendium part, and the
compendium's serial tail per chapter (its front, its page numbers and putting the parts together,
timed for three chapters and divided by three); and for the chart types of every area (funnel,
spine), drawing one against drawing a line chart, and the seconds their figures add to their
chapter's PDF. Prints them as JSON.
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
    costs = {"imports": imports, "figure": figure, "pdf": pdf, "part": part, "compendium_tail": tail}
    return costs | type_costs(site, views, env, css)


NEW_TYPES = ("funnel", "spine")


def _draw_time(specs: list) -> float | None:
    """Seconds to draw one chart of `specs` as a build does: wide SVG and PDF, and small SVG."""
    from jsna.draw.charts import draw

    if not specs:
        return None
    started = time.perf_counter()
    for spec in specs:
        draw(spec, pdf=True)
        draw(spec, small=True)
    return (time.perf_counter() - started) / len(specs)


def type_costs(site, views, env, css) -> dict:
    """Each new type's drawing cost beside a line chart's, and what the figures of the new types
    add to the PDF of the first chapter that has them (its PDF made with and without them)."""
    from dataclasses import replace

    from jsna.compute.disclosure import apply_disclosure
    from jsna.compute.views import compute_chapter
    from jsna.draw.charts import draw
    from jsna.model import FigureRef
    from jsna.render.compendium import print_page
    from jsna.render.html import chapter_page, render_chapter_print
    from jsna.render.pdf import render_pdf

    charts = [f.chart for v in views for f in v.figures]
    costs = {f"figure_{kind}": _draw_time([c for c in charts if c.chart_type == kind]) for kind in ("line", *NEW_TYPES)}
    view = next((v for v in views if any(f.chart.chart_type in NEW_TYPES for f in v.figures)), None)
    if view is None:
        return costs
    chapter = view.chapter
    plain = replace(chapter, sections=tuple(
        replace(s, blocks=tuple(b for b in s.blocks if not (isinstance(b, FigureRef) and b.chart_type in NEW_TYPES)))
        for s in chapter.sections))
    disclosed = apply_disclosure(site)
    timings = []
    for made in (view, compute_chapter(disclosed, plain)):
        files = {f.svg_file: draw(f.chart, pdf=True)[1] for f in made.figures}
        html = render_chapter_print(env, site, print_page(site, chapter_page(env, site, made), None), css)
        started = time.perf_counter()
        render_pdf(html, files)
        timings.append(time.perf_counter() - started)
    return costs | {"pdf_extra_new_types": timings[0] - timings[1], "pdf_extra_chapter": chapter.slug}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
