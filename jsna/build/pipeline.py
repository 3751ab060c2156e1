"""The build: what a site is made of, as targets (jsna/build/targets.py), made by the scheduler
(jsna/build/scheduler.py) and written as they come into a folder swapped in when all are made.

A site is its chapters' views (each declaring, once computed, its charts, page, PDF and part of
the compendium), the other pages, the assets, the compendium, the index and the search index.
Every piece is kept under a key of everything it is made from, so a rebuild makes only what
changed; a rebuild with nothing changed stops after hashing the inputs (jsna/build/record.py).
matplotlib and WeasyPrint are imported by their workers only, when there is a chart to draw or a
PDF to make.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import time
from collections import namedtuple
from collections.abc import Callable
from functools import partial
from pathlib import Path

from jsna.build.outfolder import MARKER, build_record, check_added, check_out, marker
from jsna.build.record import inputs_digest, read_made, read_record, record_warnings, unchanged, write_record
from jsna.build.store import Store, digest, remember_versions
from jsna.errors import BuildWarning, JsnaError, Position
from jsna.project import ASSETS_DIR, CACHE_DIR, source_date, template_dirs, user_cache

ASSETS = ("style.css", "jsna.js")
LIBRARIES = ("jinja2", "markdown", "matplotlib", "pyyaml", "weasyprint", "pikepdf", "pillow", "pagefind", "pagefind-bin", "shapely")
# The modules that declare a site's targets: their source is in every key (jsna/build/scheduler.py).
DECLARED_BY = ("jsna.build.pipeline", "jsna.build.targets")
# Counted in a build's summary: the pieces drawn and rendered (not the views and the HTML they
# are rendered from).
PIECES = ("chart", "small", "pdf", "part", "page", "front", "numbers-front", "numbers-chapters", "compendium")


class BuildResult(namedtuple("BuildResult", (
    "chapters", "figures", "pdfs", "files",
    "built",  # charts drawn, PDFs rendered and chapter pages rendered in this build
    "reused",  # the same, taken from the cache
    "warnings",  # BuildWarning, ...
    "seconds",
    "unchanged",  # no input changed: the site was left as it was
), defaults=(False,))):
    """What a build made (a named tuple: a rebuild with nothing changed, which returns one,
    need not import dataclasses)."""

    __slots__ = ()


def check(root: Path):
    """Load and validate everything without writing; raise on bad input."""
    from jsna.load.site import load_site

    return load_site(root)


def build(
    root: Path,
    out: Path,
    *,
    pdf: bool = True,
    compendium_pdf: bool = True,
    workers: int | None = None,
    cache: bool = True,
    clean: bool = False,
    log: Callable[[str], None] = lambda _: None,
    warm=None,
) -> BuildResult:
    """Build the site from the JSNA folder `root` into `out`, swapping it in only when complete.

    `compendium_pdf`: also make site/jsna.pdf, every chapter in one PDF (from a part per chapter).
    `workers`: processes for charts and PDFs (default: all processors). `cache`: reuse and keep
    pieces in root/.jsna-cache (`clean`: emptied first). `warm`: kept pools (`warm_pools`)."""
    started = time.perf_counter()
    check_out(root, out)
    folder = root / CACHE_DIR
    if clean:
        shutil.rmtree(folder, ignore_errors=True)
    edition = source_date(os.environ)
    build_date = (edition or dt.date.today()).isoformat()
    if cache:
        remember_versions(LIBRARIES, folder / "libraries.json")
    record = read_record(build_record(root, out)) if cache else None
    options = f"pdf={pdf};compendium={compendium_pdf};date={build_date}"
    stamp, digests = inputs_digest(root, options, LIBRARIES, record.get("digests") if record else None)
    if unchanged(record, stamp, out):
        log("nothing changed: the site is as it was")
        return _as_recorded(record, started)

    check_added(out)
    # Imported only now: a rebuild with nothing changed never needs them.
    from jsna.build.scheduler import Scheduler
    from jsna.build.write import Outputs, Staging

    store = Store(folder / "pieces") if cache else None
    scheduler = Scheduler(store, _pools(workers, warm), LIBRARIES, declared_by=DECLARED_BY, slots=_slots(workers))
    site = _load(root, store, scheduler)
    log(f"loaded {len(site.chapters)} chapters and {len(site.indicators)} indicators")
    context = _context(root, site, store is not None, pdf, edition, build_date)
    staging = Staging(out)
    outputs = Outputs(read_made(build_record(root, out)) if cache else {}, staging)
    scheduler.reuse = outputs.reuse if cache else None
    scheduler.done = lambda target, result, made: outputs.wrote(scheduler.keys[target.name], target.writes(result)) if target.writes else None
    results = _run(scheduler, staging, lambda: site_targets(
        context, root, _view_inputs(scheduler, site), compendium=pdf and compendium_pdf,
        previous=str(staging.out) if staging.out.is_dir() else None))
    _log_counts(scheduler.counts, results, log, started)
    result = _result(site, results, scheduler.counts, len(staging.written), started)
    if cache:
        _keep_record(build_record(root, out), stamp, out, result, digests, outputs.made)
        store.prune()
    return result


def _run(scheduler, staging, declared: Callable[[], list]) -> dict:
    """Make the targets `declared()` gives into the staging folder, and swap it in; on any failure
    nothing is left half-written. What is loaded lives as long as the build: the garbage collector
    leaves it out of its passes till the end (walking it again and again cost an edit at N = 50
    some 50 ms)."""
    gc.freeze()
    try:
        results = scheduler.run(declared())
        staging.put({MARKER: marker(staging.written)})  # last: it lists every file the site has
        staging.swap()
    except BaseException:
        staging.abort()
        raise
    finally:
        gc.unfreeze()
    return results


def _keep_record(path: Path, stamp: str, out: Path, result: BuildResult, digests: dict, made: dict) -> None:
    counts = {"chapters": result.chapters, "figures": result.figures, "pdfs": result.pdfs, "count": result.files}
    write_record(path, stamp, out, counts, result.warnings, digests, made)


def _as_recorded(record: dict, started: float) -> BuildResult:
    """What the build that made the site as it is made, from its record."""
    return BuildResult(
        chapters=record["chapters"], figures=record["figures"], pdfs=record["pdfs"], files=record["count"],
        built=0, reused=0, warnings=record_warnings(record), seconds=time.perf_counter() - started, unchanged=True,
    )


def _result(site, results: dict, counts: dict[str, list[int]], files: int, started: float) -> BuildResult:
    """What a build made, for its summary line and its record."""
    views = [results[f"outline:{chapter.slug}"] for chapter in site.chapters]
    pieces = [made for kind, made in counts.items() if kind in PIECES]
    return BuildResult(
        chapters=len(views), figures=sum(len(v.figures) for v in views),
        pdfs=sum(1 for name in results if name.startswith("about:")),
        files=files, built=sum(m for m, _ in pieces), reused=sum(r for _, r in pieces),
        warnings=site.warnings, seconds=time.perf_counter() - started,
    )


COMPENDIUM_TARGET = "compendium"


def site_targets(context, root: Path, view_inputs: dict[str, tuple[str, ...]], *, compendium: bool,
                 previous: str | None = None) -> list:
    """What a site is made of: each chapter's view (which declares the chapter's own pieces,
    `chapter_targets`), the other pages, the assets, the compendium, the index and the search
    index. `previous`: the folder of the site as the last build left it, if there is one."""
    from jsna.build.targets import HERE, RECORD, THREAD, FILES, Target
    from jsna.compute.attribution import attribution
    from jsna.compute.chapter import chapter_view
    from jsna.compute.views import outline
    from jsna.render import pieces
    from jsna.render.compendium import compendium_order
    from jsna.render.search import index_pages

    site = context.site
    slugs = tuple(c.slug for c in site.chapters)
    settings = _settings(context)
    targets = [
        Target(f"view:{slug}", chapter_view, (site, slug, view_inputs[slug][0]), view_inputs[slug], keep=RECORD,
               writes=_view_files)
        for slug in slugs
    ]
    # Each chapter's pieces are declared from its view's outline, read (small) where the view
    # itself need not be.
    targets += [
        Target(f"outline:{slug}", outline, needs=(f"view:{slug}",), keep=RECORD,
               then=partial(chapter_targets, context, settings, compendium, previous))
        for slug in slugs
    ]
    targets += [
        # The data sources page lists every data file: its sources and the indicators reading it.
        Target("pages", pieces.other_pages, (context,), (*settings, repr(attribution(site.config, site.indicators))),
               writes=_same, order=4),
        Target("assets", _assets, (root, template_dirs(root), context.site.config.logo), writes=_same, order=4),
    ]
    if compendium:
        targets += compendium_targets(context, settings, compendium_order(site))
        targets.append(Target(f"about:{COMPENDIUM_TARGET}", pieces.pdf_info, needs=(COMPENDIUM_TARGET,), keep=RECORD))
    abouts = tuple(f"about:{slug}" for slug in slugs) if context.pdf else ()
    targets += [
        Target("index", pieces.index_html, (context, slugs if context.pdf else ()), settings,
               needs=abouts + ((f"about:{COMPENDIUM_TARGET}",) if compendium else ()), writes=partial(_one, "index.html"), order=5),
        Target("search", index_pages, (tuple(f"{slug}/index.html" for slug in slugs),),
               needs=tuple(f"page:{slug}" for slug in slugs), where=THREAD, keep=FILES, by_content=True,
               writes=_same, order=3),
    ]
    return targets


def chapter_targets(context, settings: tuple[str, ...], compendium: bool, previous: str | None, outline) -> list:
    """A chapter's own pieces, declared from its view's outline: its charts (wide, with a PDF of each where
    PDFs are made; and small, for phones), its page, and where PDFs are made, its PDF and its
    part of the compendium (each laid out while its charts are drawn, for the sizes they have in
    the `previous` site, where there is one: `_pdf_targets`). Where PDFs are made, the charts are
    drawn behind them (`draw_job`). The chapter's PDF goes before its part: after an edit it is
    the file a reader looks for, and the compendium waits for every part and its front anyway."""
    from jsna.build.targets import ABOUT, BYTES, CHARTS, PACKED, RECORD, TEXT, Target
    from jsna.draw.charts import draw_job, small_name
    from jsna.render import pieces

    slug, pdf = outline.slug, context.pdf
    images = _chapter_images(context.site, slug)
    image_inputs = tuple(f"{name} {digest(data)}" for name, data in images)
    targets = [Target(f"images:{slug}", _same, ({f"{slug}/{name}": data for name, data in images},), image_inputs,
                      writes=_same, order=4)] if images else []
    wide = []
    charted = [figure for figure in outline.figures if not figure.empty]  # one with no value says so instead
    for figure in charted:
        path = f"{slug}/{figure.svg_file}"
        shapes = _shapes_target(context, path, figure.chart)
        needs = (shapes.name,) if shapes else ()
        both = Target(f"chart:{path}", draw_job, (figure.chart, False, True, pdf), (figure.chart_digest, "wide SVG and PDF"),
                      needs=needs, where=CHARTS, keep=PACKED, writes=partial(_first, path), order=1)
        alone = Target(f"chart:{path}", draw_job, (figure.chart, False, False, pdf), (figure.chart_digest, "wide SVG"),
                       needs=needs, where=CHARTS, keep=PACKED, writes=partial(_first, path), order=1, instead=both)
        small = f"{slug}/{small_name(figure.svg_file)}"
        targets += [
            both if pdf else alone,
            Target(f"small:{small}", draw_job, (figure.chart, True, False, pdf), (figure.chart_digest, "small SVG"),
                   needs=needs, where=CHARTS, keep=PACKED, writes=partial(_first, small), order=3),
        ] + ([shapes] if shapes else [])
        wide.append(f"chart:{path}")
    content = f"content:{slug}"
    targets += [
        Target(content, pieces.chapter_content, (context,), needs=(f"view:{slug}",), lazy=True),
        Target(f"page:{slug}", pieces.chapter_html, (context,), settings, needs=(content,), keep=TEXT, order=2,
               writes=None if pdf else partial(_text, f"{slug}/index.html")),
    ]
    if not pdf:
        return targets
    names = tuple(figure.svg_file for figure in charted)
    pdf_settings = (*settings, context.pdf_css, *image_inputs)
    targets += [
        Target(f"print:{slug}", pieces.print_html, (context,), needs=(content,), lazy=True),
        *_pdf_targets(f"pdf:{slug}", (True, "", names, images), f"print:{slug}", wide, pdf_settings, previous,
                      keep=ABOUT, writes=partial(_first, f"{slug}/{slug}.pdf"), order=1),
        Target(f"about:{slug}", pieces.pdf_info, needs=(f"pdf:{slug}",), keep=RECORD, order=2),
        Target(f"file:{slug}", pieces.with_pdf_label, needs=(f"page:{slug}", f"about:{slug}"), keep=BYTES,
               writes=partial(_one, f"{slug}/index.html"), order=2),
    ]
    if compendium:
        targets += [
            Target(f"part-html:{slug}", pieces.part_html, (context,), needs=(content,), lazy=True),
            # The compendium's parts address the chapter's files from the site's top (compendium.py).
            *_pdf_targets(f"part:{slug}", (True, f"{slug}-", tuple(f"{slug}/{n}" for n in names),
                                           tuple((f"{slug}/{name}", data) for name, data in images)), f"part-html:{slug}",
                          wide, pdf_settings, previous, keep=ABOUT, order=2),
        ]
    return targets


def _chapter_images(site, slug: str) -> tuple[tuple[str, bytes], ...]:
    """The images a chapter's text shows (the loader found each an image file in the chapter's
    folder): each by its path from there, as the page's address reaches it beside the page, and
    its bytes, read now (a chapter kept from the last build says nothing of its images' bytes)."""
    import posixpath

    from jsna.load.safety import image_path

    chapter = next(c for c in site.chapters if c.slug == slug)
    folder = (Path(site.root) / chapter.path).parent
    names = sorted({posixpath.normpath(image_path(image.src)) for image in chapter.images})
    return tuple((name, (folder / name).read_bytes()) for name in names)


def _pdf_targets(name: str, job: tuple, html: str, charts: list[str], settings: tuple[str, ...], previous: str | None,
                 **kept) -> list:
    """A PDF of the HTML target `html` with the `charts` (`job`: tagged, ID prefix, the charts'
    names in the HTML, which are their paths in the site after the chapter's folder, and the
    images the HTML shows, `_chapter_images`), made in a
    PDF worker once the charts are; or, where there is a `previous` site, laid out in a PDF worker
    while they are drawn, for the sizes they have there, then with them placed. The same bytes,
    and so the same key, either way: where a chart's size is not as expected, `render_job` lays
    the PDF out again."""
    from jsna.build.targets import PDFS, Target
    from jsna.render.pdf import lay_out_job, render_job

    if previous is None or not charts:
        return [Target(name, render_job, (*job, False), settings, needs=(html, *charts), where=PDFS, **kept)]
    tagged, ids, names, images = job
    files = tuple((n, chart.partition(":")[2]) for n, chart in zip(names, charts))  # chart:{path}
    layout = Target(f"layout:{name}", lay_out_job, (tagged, ids, images, previous, files), (*settings, repr((previous, files))),
                    needs=(html,), where=PDFS, lazy=True, order=kept["order"])
    return [layout, Target(name, render_job, (*job, True), settings, needs=(html, *charts), uses=(layout.name,), where=PDFS, **kept)]


def _shapes_target(context, path: str, chart):
    """For a map, the target that makes its outlines once (jsna/load/geography.py: simplified
    to the size the map is drawn at), kept under the boundary file's digest and what is drawn;
    None for any other chart."""
    if chart.chart_type != "map":
        return None
    from jsna.build.targets import RECORD, Target
    from jsna.draw.maps import shape_args
    from jsna.load.geography import shapes

    args = shape_args(chart)
    return Target(f"shapes:{path}", shapes, (Path(context.site.root), *args), (chart.digest, repr(args)), keep=RECORD, lazy=True)


def compendium_targets(context, settings: tuple[str, ...], order: list[str]) -> list:
    """site/jsna.pdf, put together from the chapters' parts (in `order`), its front (title page
    and contents, which give the page each heading lands on: made once the parts are), and the
    page numbers laid over the front's pages and the chapters'. The front and the numbers are
    keyed by their HTML, so they are reused while the parts' pages stay where they were."""
    from jsna.build.targets import ABOUT, PDFS, RECORD, Target
    from jsna.render import pieces
    from jsna.render.assemble import assemble_job
    from jsna.render.compendium import COMPENDIUM, contents_page
    from jsna.render.pdf import render_job

    parts = tuple(f"part:{slug}" for slug in order)
    pdf_settings = (*settings, context.pdf_css)

    def laid_out(name: str, tagged: bool, html: str) -> Target:
        return Target(name, render_job, (tagged, f"{name}-", (), (), False), pdf_settings, needs=(html,), where=PDFS,
                      keep=ABOUT, by_content=True, order=1)

    return [
        # What the contents list needs of each chapter, read (small) where its view need not be.
        *(Target(f"contents:{slug}", contents_page, needs=(f"view:{slug}",), keep=RECORD, lazy=True) for slug in order),
        Target("front-html", pieces.front_html, (context,), needs=(*parts, *(f"contents:{s}" for s in order)), lazy=True),
        laid_out("front", True, "front-html"),
        Target("numbers-front-html", pieces.numbers_html, (context, True), needs=("front",), lazy=True),
        laid_out("numbers-front", False, "numbers-front-html"),
        Target("numbers-chapters-html", pieces.numbers_html, (context, False), needs=parts, lazy=True),
        laid_out("numbers-chapters", False, "numbers-chapters-html"),
        Target(COMPENDIUM_TARGET, assemble_job, (), pdf_settings, needs=("front", "numbers-front", "numbers-chapters", *parts),
               keep=ABOUT, writes=partial(_first, COMPENDIUM), order=2),
    ]


# What a target's result writes into the site --------------------------------------------------


def _first(path: str, result: tuple) -> dict[str, bytes]:
    return {path: result[0]}


def _one(path: str, data: bytes) -> dict[str, bytes]:
    return {path: data}


def _text(path: str, text: str) -> dict[str, bytes]:
    return {path: text.encode("utf-8")}


def _same(files: dict[str, bytes]) -> dict[str, bytes]:
    return files


def _view_files(view) -> dict[str, bytes]:
    """A chapter's data files: each figure's CSV, and the chapter's computed data."""
    slug = view.chapter.slug
    files = {f"{slug}/{figure.csv_file}": figure.csv.encode("utf-8") for figure in view.figures}
    if view.headline.rows:
        files[f"{slug}/{slug}-data.json"] = view.data_json.encode("utf-8")
        files[f"{slug}/{slug}-data.csv"] = view.data_csv.encode("utf-8")
    return files


def _assets(root: Path, dirs: tuple[Path, ...], logo: str | None) -> dict[str, bytes]:
    """The stylesheet and script, and the logo."""
    files = {f"{ASSETS_DIR}/{name}": _asset(dirs, name) for name in ASSETS}
    if logo:
        files[logo] = (root / logo).read_bytes()
    return files


# Setting up -----------------------------------------------------------------------------------


def _load(root: Path, store, scheduler):
    """The site, each chapter and indicator read again only where its text changed (kept in the
    store under the loading code's key)."""
    from jsna.load.site import load_site
    from jsna.build.targets import RECORD

    if store is None:
        return load_site(root)
    code = scheduler.code_key(load_site)

    def remember(key: str, make):
        kept = store.get(digest(code, key))
        if kept is not None:
            return RECORD.decode(kept)
        value = make()
        store.put(digest(code, key), RECORD.encode(value))
        return value

    return load_site(root, remember)


def _view_inputs(scheduler, site) -> dict[str, tuple[str, ...]]:
    """Each chapter's view's inputs: what its chapter and indicators were read from (`view_keys`)
    and the code that read them."""
    from jsna.compute.views import view_keys
    from jsna.load.site import load_site

    code = scheduler.code_key(load_site)
    return {slug: (key, code) for slug, key in view_keys(site).items()}


def _context(root: Path, site, cache: bool, pdf: bool, edition, build_date: str):
    """What the pages are rendered with (its templates' environment made when first used)."""
    from jsna.compute.attribution import attribution
    from jsna.render.pieces import Context

    dirs = template_dirs(root)
    return Context(
        site=site, templates=dirs, compiled=_made_folder(user_cache() / "templates") if cache else None,
        # The day a chapter's next review is judged against (on its web page): SOURCE_DATE_EPOCH's, or today.
        build_date=build_date,
        # Who published the data files the site reads, in a sentence: every page's footer says so.
        attribution=attribution(site.config, site.indicators).line,
        pdf_css=_asset(dirs, "pdf.css").decode("utf-8") if pdf else "", edition=edition, pdf=pdf,
    )


def _settings(context) -> tuple[str, ...]:
    """What every page is rendered with, for the pages' keys: the templates, the config, the
    chapters' titles (each page links the others), the dates, the data files' attribution (a
    sentence in every footer), and whether PDFs are made."""
    from jsna.build.record import folder_digest

    return (
        folder_digest(context.templates, (".html",)), repr(context.site.config),
        repr(tuple((c.slug, c.title) for c in context.site.chapters)),
        repr(context.edition), context.build_date, context.attribution, f"pdf={context.pdf}",
    )


def _pools(workers: int | None, warm=None) -> dict:
    """The worker pools, made when there is work for them, for as much as there is: the
    charts' (a few charts share a worker, whose imports cost what some five charts do: the PDF
    workers, or the search index, have the other cores; an edit's wide and small chart,
    drawn side by side in two workers, were measured slower than one after the other in one),
    the PDFs' (each worker imports WeasyPrint as it starts), and a thread for the search
    index. `warm`: kept pools (`warm_pools`) to lend instead."""
    from concurrent.futures import ThreadPoolExecutor

    from jsna.build.parallel import processors
    from jsna.build.targets import CHARTS, PDFS, THREAD
    from jsna.render.pdf import prepare

    count = workers or processors()
    if count < 2:
        return {}
    return {
        CHARTS: (lambda jobs: warm.lend(CHARTS)) if warm else lambda jobs: _sized(max(1, min(jobs // 8, count)), _prepare_charts),
        PDFS: (lambda jobs: warm.lend(PDFS)) if warm else lambda jobs: _sized(max(1, min(jobs, count)), prepare),
        THREAD: lambda jobs: (ThreadPoolExecutor(max_workers=1), 1),
    }


def _sized(size: int, prepare) -> tuple | None:
    """A pool of `size` prepared workers and its size; None where no processes can be had."""
    from jsna.build.parallel import process_pool

    pool = process_pool(size, prepare)
    return (pool, size) if pool is not None else None


def _slots(workers: int | None) -> tuple[frozenset[str], int]:
    """Charts and PDFs run as many at a time as there are processors between them: their
    pools' workers (four on two processors) never all run at once, which cost a clean build some
    5% more CPU time (measured)."""
    from jsna.build.parallel import processors
    from jsna.build.targets import CHARTS, PDFS

    return frozenset({CHARTS, PDFS}), workers or processors()


def warm_pools(workers: int | None = None):
    """Chart and PDF workers that import matplotlib and WeasyPrint now and are kept for every
    build given them (`build(..., warm=...)`): for `jsna serve`. None on one processor."""
    from jsna.build.parallel import Warm, processors
    from jsna.build.targets import CHARTS, PDFS
    from jsna.render.pdf import prepare

    count = workers or processors()
    return Warm({CHARTS: _prepare_charts, PDFS: prepare}, count) if count >= 2 else None


def _prepare_charts() -> None:
    """A chart worker's first step: import what drawing needs."""
    import matplotlib.figure  # noqa: F401

    import jsna.draw.charts  # noqa: F401


def _log_counts(counts: dict[str, list[int]], results: dict, log: Callable[[str], None], started: float) -> None:
    """One line for each kind of piece: how many were made and how many reused."""
    def line(what: str, kinds: tuple[str, ...], verb: str) -> None:
        made, kept = (sum(counts[k][i] for k in kinds if k in counts) for i in (0, 1))
        if made or kept:
            log(f"{what}: {made} {verb}, {kept} reused")

    line("charts", ("chart", "small"), "drawn")
    line("PDFs", ("pdf", "part"), "rendered")
    line("chapter pages", ("page",), "rendered")
    if "compendium" in counts:
        front = sum(counts[k][0] for k in ("front", "numbers-front", "numbers-chapters") if k in counts)
        parts = sum(counts["part"]) if "part" in counts else 0
        how = "reused" if counts["compendium"][1] else (
            f"put together from {parts} parts (front and page numbers {'made' if front else 'reused'})")
        log(f"compendium: {results[f'about:{COMPENDIUM_TARGET}'].pages} pages, {how} ({time.perf_counter() - started:.1f} s)")


def _made_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _asset(dirs: tuple[Path, ...], name: str) -> bytes:
    for folder in dirs:
        path = folder / ASSETS_DIR / name
        if path.is_file():
            return path.read_bytes()
    raise JsnaError(Position(f"templates/{ASSETS_DIR}/{name}"), f"expected the stylesheet {name}, found no such file")
