"""The build, stage by stage: load and validate, compute, draw, render PDF (each chapter's, then
the compendium of every chapter, site/jsna.pdf), render HTML, write.

Stages pass plain data; the only disk reads are in `load` (and the stylesheets here), the only
writes in `write`. matplotlib and WeasyPrint are imported by their stages only when there is a
figure to draw or a PDF to make.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from jsna.compendium import compendium_order, print_page, render_compendium_print, source_date
from jsna.compute import compute_site
from jsna.errors import BuildWarning, JsnaError, Position
from jsna.load import load_site
from jsna.model import Site
from jsna.render_html import (
    PdfInfo,
    chapter_page,
    environment,
    render_chapter,
    render_chapter_print,
    render_index,
    template_dirs,
)
from jsna.write import write_site

ASSETS = ("style.css",)
COMPENDIUM = "jsna.pdf"


@dataclass(frozen=True, slots=True)
class BuildResult:
    chapters: int
    figures: int
    pdfs: int
    files: int
    warnings: tuple[BuildWarning, ...]
    seconds: float


def check(root: Path) -> Site:
    """Load and validate everything without writing; raise on bad input."""
    return load_site(root)


def build(root: Path, out: Path, *, pdf: bool = True, log: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Build the site from the JSNA folder `root` into `out`, swapping it in only when complete."""
    started = time.perf_counter()
    site = load_site(root)
    log(f"loaded {len(site.chapters)} chapters and {len(site.indicators)} indicators")
    views = compute_site(site)
    files: dict[str, bytes] = {}

    def add(name: str, data: bytes) -> None:
        if name in files:
            raise JsnaError(Position(name), f"expected one output per path, found '{name}' written twice")
        files[name] = data

    figure_count = sum(len(v.figures) for v in views)
    if figure_count:
        from jsna.draw import draw_svg

        done = 0
        for view in views:
            for figure in view.figures:
                done += 1
                log(f"drawing figure {done} of {figure_count}")
                add(f"{view.chapter.slug}/{figure.svg_file}", draw_svg(figure.chart))
                add(f"{view.chapter.slug}/{figure.csv_file}", figure.csv.encode("utf-8"))

    dirs = template_dirs(root)
    env = environment(dirs)
    pages = {view.chapter.slug: chapter_page(env, site, view) for view in views}
    pdfs: dict[str, PdfInfo | None] = {}
    compendium: PdfInfo | None = None
    if pdf:
        from jsna.render_pdf import render_pdfs

        pdf_css = _asset(dirs, "pdf.css").decode("utf-8")
        edition = source_date(os.environ)
        jobs: dict[str, tuple[str, dict[str, bytes]]] = {}  # PDF path -> (print HTML, its charts)
        if views:
            order = compendium_order(site)
            html = render_compendium_print(env, site, [pages[slug] for slug in order], pdf_css, edition)
            charts = {f"{v.chapter.slug}/{f.svg_file}": files[f"{v.chapter.slug}/{f.svg_file}"] for v in views for f in v.figures}
            jobs[COMPENDIUM] = (html, charts)
        for view in views:
            slug = view.chapter.slug
            html = render_chapter_print(env, site, print_page(site, pages[slug], edition), pdf_css)
            jobs[f"{slug}/{slug}.pdf"] = (html, {f.svg_file: files[f"{slug}/{f.svg_file}"] for f in view.figures})
        log(f"rendering {len(jobs)} PDFs: each chapter's, and the compendium {COMPENDIUM}")
        for name, (data, page_count) in zip(jobs, render_pdfs(list(jobs.values()))):
            add(name, data)
            info = PdfInfo(len(data), page_count)
            log(f"{name}: {info.label}")
            if name == COMPENDIUM:
                compendium = info
            else:
                pdfs[name.split("/")[0]] = info

    env.globals["compendium"] = {"href": COMPENDIUM, "label": compendium.label} if compendium else None
    for view in views:
        slug = view.chapter.slug
        add(f"{slug}/index.html", render_chapter(env, site, pages[slug], pdfs.get(slug)).encode("utf-8"))
        if view.headline.rows:
            add(f"{slug}/{slug}-data.json", view.data_json.encode("utf-8"))
            add(f"{slug}/{slug}-data.csv", view.data_csv.encode("utf-8"))
    add("index.html", render_index(env, site, pdfs).encode("utf-8"))
    for name in ASSETS:
        add(f"assets/{name}", _asset(dirs, name))
    if site.config.logo:
        add(site.config.logo, (root / site.config.logo).read_bytes())

    log(f"writing {len(files)} files to {out}")
    write_site(files, out)
    return BuildResult(
        chapters=len(views),
        figures=figure_count,
        pdfs=len(pdfs) + (1 if compendium else 0),
        files=len(files),
        warnings=site.warnings,
        seconds=time.perf_counter() - started,
    )


def _asset(dirs: tuple[Path, ...], name: str) -> bytes:
    for folder in dirs:
        path = folder / "assets" / name
        if path.is_file():
            return path.read_bytes()
    raise JsnaError(Position(f"templates/assets/{name}"), f"expected the stylesheet {name}, found no such file")
