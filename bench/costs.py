"""Measure the unit costs the benchmark's model uses, on a corpus: importing matplotlib and
WeasyPrint, drawing one figure (its wide chart as SVG and PDF from one layout, and its small SVG),
rendering one chapter's PDF and one compendium part, and the
compendium's serial tail per chapter (its front, its page numbers and putting the parts together,
timed for three chapters and divided by three). Prints them as JSON.
With --map, instead: what a map of England's 153 counties and unitary authorities costs (the
example JSNA's, drawn from the published files and boundaries in this repository's data/), against
three line charts of the same chapter, and what it adds to its chapter's PDF (against the same PDF
with a line chart in its place: the text and the 153 rows of its table are in both).
Usage: python bench/costs.py PROJECT | python bench/costs.py --map
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
    return {"imports": imports, "figure": figure, "pdf": pdf, "part": part, "compendium_tail": tail}


def map_costs(root: Path = Path(__file__).resolve().parent.parent, rounds: int = 3) -> dict:
    """Seconds, each the median of `rounds`: making the map's shapes (once per map, kept by a
    build), drawing it (wide SVG and PDF, and small SVG) and three of its chapter's line charts
    the same way, and its chapter's PDF rendered with it and with a line chart in its place."""
    from jsna.build import pipeline
    from jsna.compute.views import compute_site
    from jsna.draw.charts import draw
    from jsna.draw.maps import shapes_for
    from jsna.load.site import load_site
    from jsna.project import template_dirs
    from jsna.render.compendium import print_page
    from jsna.render.html import chapter_page, environment, render_chapter_print
    from jsna.render.pdf import render_pdf

    site = load_site(root)
    view = next(v for v in compute_site(site) if any(f.chart.chart_type == "map" for f in v.figures))
    figure = next(f for f in view.figures if f.chart.chart_type == "map")
    lines = [f.chart for f in view.figures if f.chart.chart_type == "line"][:3]
    spec = figure.chart

    def timed(job) -> float:
        job()  # warm up
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            job()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    made = shapes_for(root, spec)
    env = environment(template_dirs(root))
    css = pipeline._asset(template_dirs(root), "pdf.css").decode("utf-8")

    html = render_chapter_print(env, site, print_page(site, chapter_page(env, site, view), None), css)
    maps = {f.svg_file: shapes_for(root, f.chart) for f in view.figures if f.chart.chart_type == "map"}
    drawn = {f.svg_file: draw(f.chart, pdf=True, shapes=maps.get(f.svg_file))[1] for f in view.figures}
    instead = {**drawn, figure.svg_file: draw(lines[0], pdf=True)[1]}

    return {
        "areas": len(spec.areas),
        "map_shapes": timed(lambda: shapes_for(root, spec)),
        "map": timed(lambda: (draw(spec, pdf=True, shapes=made), draw(spec, small=True, shapes=made))),
        "three_lines": timed(lambda: [(draw(s, pdf=True), draw(s, small=True)) for s in lines]),
        "map_svg_bytes": len(draw(spec, shapes=made)[0]),
        "pdf_with_map": timed(lambda: render_pdf(html, drawn)),
        "pdf_with_a_line_chart_instead": timed(lambda: render_pdf(html, instead)),
    }


if __name__ == "__main__":
    print(json.dumps(map_costs() if sys.argv[1] == "--map" else main(Path(sys.argv[1]))))
