"""Measure the unit costs the benchmark's model uses, on a corpus: importing matplotlib and
WeasyPrint, drawing one figure (its wide chart as SVG and PDF from one layout, and its small SVG),
rendering one chapter's PDF and one compendium part, what a straightforward builder pays for a
figure (one wide SVG laid out by matplotlib's constrained layout engine, without jsna's memories
of text measures and layouts: bench/straightforward.py, for the floor), and the
compendium's serial tail per chapter (its front, its page numbers and putting the parts together,
timed for three chapters and divided by three). Also what a compare-areas chart of 153 areas,
and a funnel plot of them and a spine chart of three rows, cost (made-up areas, as the corpus
is) against a line chart, to draw and in their chapter's PDF (for the compare-areas figure, both
with its table of 153 rows and its chart alone). Prints them as JSON.
With --map, instead: what a map of England's 153 counties and unitary authorities costs (the
example JSNA's, drawn from the published files and boundaries in this repository's data/), against
its chapter's line charts, and what it adds to its chapter's PDF (against the same PDF with a line
chart in its place: the text and the 153 rows of its table are in both).
With --floor, only the three the floor takes: the imports, the straightforward figure and the
chapter PDF. With --chart-alone, only the bound of an edit without PDFs (`chart_alone`).
Usage: python bench/costs.py PROJECT | python bench/costs.py --floor PROJECT | python bench/costs.py --chart-alone PROJECT
       | python bench/costs.py --map
"""

from __future__ import annotations

import json
import math
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
    from jsna.draw.charts import draw
    from jsna.render.assemble import assemble
    from jsna.render.compendium import chapter_numbering, contents_page, render_compendium_front, render_compendium_part, render_page_numbers
    from jsna.render.pdf import render_pdf

    imports = _imports()
    site, views, env, css, pages = _loaded(root)
    draw(views[0].figures[0].chart)  # warm up
    figures = [f.chart for v in views[:2] for f in v.figures]
    started = time.perf_counter()
    for spec in figures:
        draw(spec, pdf=True)
        draw(spec, small=True)
    figure = (time.perf_counter() - started) / len(figures)
    plain = _plain_figure(root)
    drawn = _drawn(views)
    pdf = _chapter_pdf(site, views, env, css, pages, drawn)
    part_jobs = []
    for view in views[:3]:
        slug = view.chapter.slug
        part = render_compendium_part(env, site, pages[slug], css, None)
        part_jobs.append((part, {f"{slug}/{f.svg_file}": drawn[f"{slug}/{f.svg_file}"] for f in view.figures}))
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
    costs = {"imports": imports, "figure": figure, "plain_figure": plain, "pdf": pdf, "part": part, "compendium_tail": tail}
    areas = _compare_areas(site, views, env, css)
    return {**costs, **areas, **_funnel_and_spine(site, env, css, areas["line_chart"])}


def floor_costs(root: Path) -> dict:
    """The floor's unit costs alone, as `main` measures them: the imports, a straightforward
    figure and a chapter PDF (some 20 to 40 s at N = 50, against two minutes for all of them), so
    that bench/run.py can measure them just before and just after the builds set against them."""
    imports = _imports()
    site, views, env, css, pages = _loaded(root)
    return {"imports": imports, "plain_figure": _plain_figure(root),
            "pdf": _chapter_pdf(site, views, env, css, pages, _drawn(views))}


def chart_alone(root: Path, runs: int = 3) -> list[float]:
    """Seconds for a fresh process to draw the corpus's first figure wide and small as SVGs (as
    an edit built `--no-pdf` redraws a changed figure): Python, jsna's drawing and matplotlib
    imported, the two drawings, and nothing else (the spec is computed here and handed over).
    Any build that imports matplotlib only once a chart is found changed pays this much for
    such an edit: its bound, `runs` times."""
    import pickle
    import tempfile

    from jsna.compute.views import compute_site
    from jsna.load.site import load_site

    spec = compute_site(load_site(root))[0].figures[0].chart
    with tempfile.NamedTemporaryFile(suffix=".pickle") as kept:
        kept.write(pickle.dumps(spec))
        kept.flush()
        code = ("import pickle; from jsna.draw.charts import draw; "
                f"spec = pickle.load(open({kept.name!r}, 'rb')); draw(spec); draw(spec, small=True)")
        return [_process(code) for _ in range(runs)]


def _imports() -> float:
    """Seconds a process takes to import matplotlib and WeasyPrint (median of 3)."""
    return statistics.median(_process("import matplotlib.figure, weasyprint") - _process("pass") for _ in range(3))


def _loaded(root: Path) -> tuple:
    """The corpus loaded: its site, views, template environment, print stylesheet and pages."""
    from jsna.build import pipeline
    from jsna.compute.views import compute_site
    from jsna.load.site import load_site
    from jsna.project import template_dirs
    from jsna.render.html import chapter_page, environment

    site = load_site(root)
    views = compute_site(site)
    env = environment(template_dirs(root))
    css = pipeline._asset(template_dirs(root), "pdf.css").decode("utf-8")
    return site, views, env, css, {v.chapter.slug: chapter_page(env, site, v) for v in views}


def _plain_figure(root: Path) -> float:
    """A straightforward builder's figure, in a process of its own: no jsna chart drawn there first."""
    return float(subprocess.run([sys.executable, str(Path(__file__).with_name("straightforward.py")), "--figure", str(root)],
                                check=True, capture_output=True, text=True).stdout)


def _drawn(views) -> dict[str, bytes]:
    """The first three chapters' chart PDFs, by chapter and file."""
    from jsna.draw.charts import draw

    return {f"{v.chapter.slug}/{f.svg_file}": draw(f.chart, pdf=True)[1] for v in views[:3] for f in v.figures}


def _chapter_pdf(site, views, env, css, pages, drawn) -> float:
    """Seconds for one chapter's PDF: the first three chapters', after one to warm up."""
    from jsna.render.compendium import print_page
    from jsna.render.html import render_chapter_print
    from jsna.render.pdf import render_pdf

    jobs = []
    for view in views[:3]:
        slug = view.chapter.slug
        html = render_chapter_print(env, site, print_page(site, pages[slug], None), css)
        jobs.append((html, {f.svg_file: drawn[f"{slug}/{f.svg_file}"] for f in view.figures}))
    render_pdf(*jobs[0])  # warm up
    started = time.perf_counter()
    for job in jobs:
        render_pdf(*job)
    return (time.perf_counter() - started) / len(jobs)


def _drawing(specs, shapes=None) -> float:
    """CPU seconds to draw each spec's wide SVG and PDF and its small SVG, on average (best of 3):
    CPU time, so that other work on a shared machine does not count. `shapes`: a map's."""
    from jsna.draw.charts import draw

    best = math.inf
    for _ in range(3):
        started = time.process_time()
        for spec in specs:
            draw(spec, pdf=True, shapes=shapes)
            draw(spec, small=True, shapes=shapes)
        best = min(best, (time.process_time() - started) / len(specs))
    return best


def _with_153_areas(site):
    """The site with its first chapter's first indicator given a group of 153 made-up areas
    (values, counts and populations drawn at random, seeded) and a compare-areas figure of them
    at the end of the chapter's first section."""
    import random
    from dataclasses import replace

    from jsna.model import FigureRef, Group, Member, Value

    chapter = site.chapters[0]
    indicator = site.indicator(chapter.figures[0].indicator)
    period = indicator.periods[-1]
    rng = random.Random(153)
    members = []
    for n in range(153):
        population = rng.randint(2000, 300000)
        count = rng.randint(20, population // 20)
        members.append(Member(f"E0{n:07d}", f"Synthetic area {n}", Value(round(count / population * 10000, 1), indicator.position,
                                                                       numerator=count, denominator=population), local=n == 76))
    group = Group("england", "synthetic areas", period, tuple(members), indicator.position)
    ref = FigureRef(indicator.id, "compare-areas", chapter.position, group="england")
    first = chapter.sections[0]
    chapter = replace(chapter, sections=(replace(first, blocks=first.blocks + (ref,)),) + chapter.sections[1:])
    indicators = tuple(replace(i, groups=(group,)) if i.id == indicator.id else i for i in site.indicators)
    return replace(site, indicators=indicators, chapters=(chapter,) + site.chapters[1:])


def _compare_areas(site, views, env, css) -> dict:
    """A compare-areas chart of 153 areas: seconds to draw (wide SVG and PDF, small SVG), the
    same for the corpus's line charts and their ratio (issue 16: at most 3), each the best of
    three; and, in median CPU seconds (`_cpu_medians`), what the figure adds to its chapter's
    PDF (issue 16: at most 0.5): `compare_areas_153_pdf_extra`, the chart with its table of 153
    rows against the chapter without the figure; `compare_areas_153_chart_pdf_extra`, the chart
    alone, against the same chapter with a line chart in its place (the text and the 153 rows of
    its table in both)."""
    from jsna.compute.views import compute_chapter

    lines = [f.chart for v in views[:2] for f in v.figures if f.chart.chart_type == "line"]
    line = _drawing(lines)
    more = _with_153_areas(site)
    view = compute_chapter(more, more.chapters[0])
    figure = next(f for f in view.figures if f.chart.chart_type == "compare-areas")
    areas = _drawing([figure.chart])
    without, shown = _pdf_job(env, site, views[0], css), _pdf_job(env, more, view, css)
    html, files = shown
    instead = {**files, figure.svg_file: next(files[f.svg_file] for f in view.figures if f.chart.chart_type == "line")}
    plain, full, lined = _cpu_medians([lambda: _render(*without), lambda: _render(*shown), lambda: _render(html, instead)])
    return {"line_chart": line, "compare_areas_153": areas, "compare_areas_153_in_line_charts": areas / line,
            "compare_areas_153_pdf_extra": full - plain, "compare_areas_153_chart_pdf_extra": full - lined}


def _pdf_job(env, site, view, css) -> tuple[str, dict[str, bytes]]:
    """A chapter view's print HTML and its charts drawn as PDFs: `render_pdf`'s arguments."""
    from jsna.draw.charts import draw
    from jsna.render.compendium import print_page
    from jsna.render.html import chapter_page, render_chapter_print

    html = render_chapter_print(env, site, print_page(site, chapter_page(env, site, view), None), css)
    return html, {f.svg_file: draw(f.chart, pdf=True)[1] for f in view.figures}


def _render(html: str, files: dict[str, bytes]) -> None:
    """A chapter's PDF (`render_pdf`)."""
    from jsna.render.pdf import render_pdf

    render_pdf(html, files)


def _best_cpu(job) -> float:
    """The least CPU seconds of three runs of `job`, after one to warm up."""
    job()
    best = math.inf
    for _ in range(3):
        started = time.process_time()
        job()
        best = min(best, time.process_time() - started)
    return best


def _cpu_medians(jobs, rounds: int = 8) -> list[float]:
    """The median CPU seconds of each of `jobs` over `rounds` runs, taken in turn (so that a busy
    spell of a shared machine falls on all alike) after one of each to warm up, with the garbage
    collector run before each (so that none pays for another's garbage). One run of a chapter's
    PDF varies by a fifth or more here; the difference of two medians of eight, by some 0.05 s
    from one process to the next."""
    import gc

    for job in jobs:
        job()
    seconds = [[] for _ in jobs]
    for _ in range(rounds):
        for job, taken in zip(jobs, seconds):
            gc.collect()
            started = time.process_time()
            job()
            taken.append(time.process_time() - started)
    return [statistics.median(taken) for taken in seconds]


def _funnel_and_spine(site, env, css, line: float) -> dict:
    """A funnel plot of the 153 made-up areas (as a rate per 10,000) and a spine chart of three
    rows of them: seconds to draw each, in line charts (`line`: one line chart's), and the seconds the two add to their
    chapter's PDF (against the same chapter with the compare-areas chart only)."""
    from dataclasses import replace

    from jsna.compute.views import compute_chapter
    from jsna.model import FigureRef, Series, Value

    more = _with_153_areas(site)
    chapter = more.chapters[0]
    indicator = more.indicator(chapter.sections[0].blocks[-1].indicator)
    group = indicator.groups[0]
    rate = sum(m.value.numerator for m in group.members) / sum(m.value.denominator for m in group.members) * 10000
    england = Series("england", "England", ((group.period, Value(round(rate, 1), indicator.position)),))
    rated = replace(indicator, measure="rate", per=10000, comparators=(england,))
    more = replace(more, indicators=tuple(rated if i.id == rated.id else i for i in more.indicators))
    figures = (FigureRef(rated.id, "funnel", chapter.position), FigureRef(rated.id, "spine", chapter.position, indicators=(rated.id,) * 3))
    first = chapter.sections[0]
    both = replace(chapter, sections=(replace(first, blocks=first.blocks + figures),) + chapter.sections[1:])
    plain, shown = compute_chapter(more, chapter), compute_chapter(more, both)
    drawn = {kind: _drawing([f.chart for f in shown.figures if f.chart.chart_type == kind]) for kind in ("funnel", "spine")}
    with_both, without = (_pdf_job(env, more, v, css) for v in (shown, plain))
    extra = _extra_cpu(lambda: _render(*with_both), lambda: _render(*without))
    return {"funnel_153": drawn["funnel"], "funnel_153_in_line_charts": drawn["funnel"] / line,
            "spine_3": drawn["spine"], "spine_3_in_line_charts": drawn["spine"] / line, "funnel_and_spine_pdf_extra": extra}


def map_costs(root: Path = Path(__file__).resolve().parent.parent) -> dict:
    """A map of 153 areas: CPU seconds (best of three) to make its shapes (once per map, kept by a
    build), to draw it (wide SVG and PDF, small SVG) against its chapter's line charts, their
    ratio (issue 16: at most 3), and what it adds to its chapter's PDF against a line chart in its
    place (at most 0.5)."""
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
    view = next(v for v in compute_site(site) if any(f.chart.chart_type == "map" and len(f.chart.areas) == 153 for f in v.figures))
    figure = next(f for f in view.figures if f.chart.chart_type == "map" and len(f.chart.areas) == 153)
    shapes = {f.svg_file: shapes_for(root, f.chart) for f in view.figures if f.chart.chart_type == "map"}
    line = _drawing([f.chart for f in view.figures if f.chart.chart_type == "line"])
    drawn = _drawing([figure.chart], shapes[figure.svg_file])
    env = environment(template_dirs(root))
    css = pipeline._asset(template_dirs(root), "pdf.css").decode("utf-8")
    html = render_chapter_print(env, site, print_page(site, chapter_page(env, site, view), None), css)
    files = {f.svg_file: draw(f.chart, pdf=True, shapes=shapes.get(f.svg_file))[1] for f in view.figures}
    instead = {**files, figure.svg_file: next(files[f.svg_file] for f in view.figures if f.chart.chart_type == "line")}
    return {
        "map_areas": len(figure.chart.areas), "line_chart": line, "map_153": drawn, "map_153_in_line_charts": drawn / line,
        "map_153_shapes": _best_cpu(lambda: shapes_for(root, figure.chart)),
        "map_153_svg_bytes": len(draw(figure.chart, shapes=shapes[figure.svg_file])[0]),
        "map_153_pdf_extra": _extra_cpu(lambda: render_pdf(html, files), lambda: render_pdf(html, instead)),
    }


def _extra_cpu(job, other) -> float:
    """How many more CPU seconds `job` takes than `other` (`_cpu_medians`)."""
    mine, theirs = _cpu_medians([job, other])
    return mine - theirs


if __name__ == "__main__":
    if sys.argv[1] == "--map":
        measured = map_costs()
    elif sys.argv[1] == "--floor":
        measured = floor_costs(Path(sys.argv[2]))
    elif sys.argv[1] == "--chart-alone":
        measured = chart_alone(Path(sys.argv[2]))
    else:
        measured = main(Path(sys.argv[1]))
    print(json.dumps(measured))
