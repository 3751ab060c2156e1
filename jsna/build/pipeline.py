"""The build, stage by stage: load and validate, compute, draw, render PDF (each chapter's own and
its part of the compendium; then the compendium, site/jsna.pdf, put together from the parts),
render HTML, write.

Stages pass plain data; the only disk reads are in `load` (and the stylesheets here), the only
writes in `write`. Every chapter's computed view, chart, PDF, compendium part and chapter page is
keyed by a digest of everything it is made from (jsna/build/store.py), so a rebuild computes, draws and
renders only what changed, and a rebuild with no input changed stops after hashing the inputs.
matplotlib, WeasyPrint and pikepdf are imported by their stages only when there is a figure to
draw, a PDF to make or a compendium to put together. The charts are drawn in worker processes,
and the PDF workers import WeasyPrint, while this process renders, writes and indexes the pages;
the PDFs are made once the charts they show are drawn, and a page waiting for its PDF's size is
written last (it is indexed for search before: the size is not in what is indexed).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from jsna.build.store import Store, code_version, digest, remember_versions
from jsna.render.compendium import COMPENDIUM, source_date
from jsna.errors import BuildWarning, JsnaError, Position
from jsna.build.outfolder import MARKER, MARKER_TEXT, build_record, check_out
from jsna.build.parallel import start_all
from jsna.project import CACHE_DIR, template_dirs, user_cache
from jsna.build.write import write_site

ASSETS = ("style.css", "jsna.js")
LIBRARIES = ("jinja2", "markdown", "matplotlib", "pyyaml", "weasyprint", "pikepdf", "pillow", "pagefind", "pagefind-bin")


@dataclass(frozen=True, slots=True)
class BuildResult:
    chapters: int
    figures: int
    pdfs: int
    files: int
    built: int  # charts drawn, PDFs rendered and chapter pages rendered in this build
    reused: int  # the same, taken from the cache
    warnings: tuple[BuildWarning, ...]
    seconds: float
    unchanged: bool = False  # no input changed: the site was left as it was


def check(root: Path):
    """Load and validate everything without writing; raise on bad input."""
    from jsna.load.site import load_site

    return load_site(root)


def _draw(job: tuple) -> tuple[bytes, ...]:
    spec, small, pdf, behind = job
    from jsna.draw.charts import draw

    if behind:
        _yield()
    return draw(spec, small=small, pdf=pdf)


def _pack(parts: tuple[bytes, ...]) -> bytes:
    """Pieces made together (a chart's SVG and PDF; a PDF and what is known of it) as one, each
    after its length."""
    return b"".join(len(part).to_bytes(4, "big") + part for part in parts)


def _unpack(blob: bytes) -> tuple[bytes, ...]:
    parts, at = [], 0
    while at < len(blob):
        size = int.from_bytes(blob[at : at + 4], "big")
        parts.append(blob[at + 4 : at + 4 + size])
        at += 4 + size
    return tuple(parts)


def _yield() -> None:
    """In a worker process, run behind the PDFs from now on (nice 5): a small chart (for the
    pages only) is not what the build waits for when a PDF is being made."""
    import multiprocessing

    global _behind
    if not _behind and multiprocessing.parent_process() is not None and hasattr(os, "nice"):
        os.nice(5)
        _behind = True


_behind = False


def _render_pdf(job: tuple) -> tuple[bytes, int, dict[str, int]]:
    html, files, tagged, ids = job
    from jsna.render.pdf import render_pdf

    return render_pdf(html, files, tagged=tagged, ids=ids)


def _prepare_pdf() -> None:
    from jsna.render.pdf import prepare

    prepare()


_PDF_FORM = "packed: about, data"  # changed whenever _encode_pdf is


def _encode_pdf(result: tuple[bytes, int, dict[str, int]]) -> bytes:
    data, pages, anchors = result
    return _pack((json.dumps([pages, anchors], sort_keys=True).encode("utf-8"), data))


def _decode_pdf(blob: bytes) -> tuple[bytes, int, dict[str, int]]:
    about, data = _unpack(blob)
    pages, anchors = json.loads(about)
    return data, pages, anchors


class _Pieces:
    """Charts, PDFs and pages by cache key: taken from the store, or made (in parallel) and kept."""

    def __init__(self, store: Store | None, workers: int | None):
        self.store = store
        self.workers = workers
        self.built = 0
        self.reused = 0

    def get(self, key: str) -> bytes | None:
        data = self.store.get(key) if self.store else None
        if data is not None:
            self.reused += 1
        return data

    def put(self, key: str, data: bytes) -> bytes:
        self.built += 1
        if self.store:
            self.store.put(key, data)
        return data

    def remember(self, key: str, make: Callable[[], object]) -> object:
        """A value made before under `key` (kept pickled: plain frozen dataclasses), else `make()`,
        kept. For the chapters' computed views, which are not counted as pieces built."""
        data = self.store.get(key) if self.store else None
        if data is not None:
            return pickle.loads(data)
        value = make()
        if self.store:
            self.store.put(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return value

    def make_all(self, function, jobs: dict[str, tuple[str, object]], encode=lambda r: r, decode=lambda b: b, **options) -> dict:
        """name -> result for jobs {name: (key, job)}; only the missing ones are run (`options`:
        as for `start_all`)."""
        return self.start_all(function, jobs, encode, decode, **options)[1]()

    def start_all(
        self, function, jobs: dict[str, tuple[str, object]], encode=lambda r: r, decode=lambda b: b,
        *, share: int = 1, workers: int | None = None, make_job: Callable[[str], object] | None = None,
        prepare: Callable[[], None] | None = None,
    ):
        """As `make_all`, but the missing jobs are started in worker processes and this returns
        at once: the results taken from the store, and what to call for them all (waiting for the
        ones being made). `make_job(name)`, if given, makes a missing job's input just before it
        is handed over (jobs then hold (key, None)); `share`, `workers` and `prepare`: as for
        `parallel.start_all` (default: the build's workers)."""
        results: dict = {}
        # What is missing is found first, and started: the kept pieces are read meanwhile.
        todo = [name for name, (key, _) in jobs.items() if not (self.store and self.store.has(key))]
        inputs = (make_job(n) if make_job else jobs[n][1] for n in todo)
        pending = start_all(function, inputs, len(todo), workers or self.workers, share, prepare if todo else None)
        place = {name: index for index, name in enumerate(todo)}
        lost = []  # kept pieces gone since they were looked for: made here, when asked for
        for name, (key, _) in jobs.items():
            if name not in place:
                data = self.get(key)
                if data is None:
                    lost.append(name)
                else:
                    results[name] = decode(data)
        reused = dict(results)

        def one(name: str):
            """One job's result, waiting only for it."""
            if name not in results:
                if name in place:
                    results[name] = pending.result(place[name])
                else:
                    results[name] = function(make_job(name) if make_job else jobs[name][1])
            return results[name]

        def finish() -> dict:
            for name, result in zip(todo, pending()):
                results[name] = result
            for name in [*todo, *lost]:
                self.put(jobs[name][0], encode(one(name)))
            return {name: results[name] for name in jobs}

        return reused, _Making(jobs, pending.hand_over, one, finish)


class _Making:
    """Pieces being made: `hand_over()` as for `parallel.Started`, `one(name)` for one piece's
    result (waiting only for it), and called, for all of them (kept as they come). Two of them
    added make one."""

    def __init__(self, names, hand_over: Callable[[], None], one: Callable[[str], object], finish: Callable[[], dict]):
        self.names = frozenset(names)
        self.hand_over = hand_over
        self.one = one
        self._finish = finish

    def __call__(self) -> dict:
        return self._finish()

    def __add__(self, other: _Making) -> _Making:
        return _Making(
            self.names | other.names,
            lambda: (self.hand_over(), other.hand_over()),
            lambda name: (self if name in self.names else other).one(name),
            lambda: {**self(), **other()},
        )


def _folder_digest(folders: tuple[Path, ...], suffixes: tuple[str, ...] | None = None, skip=()) -> str:
    parts: list[bytes | str] = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if (suffixes is None or path.suffix in suffixes) and path.name not in skip:
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def inputs_digest(root: Path, options: str) -> str:
    """Everything a build reads, hashed: jsna.yaml, indicators.yaml, chapters/, the project's
    and the built-in templates, the logo, jsna's code and the libraries' versions."""
    parts: list[bytes | str] = [options, code_version((), LIBRARIES)]
    files = [root / "jsna.yaml", root / "indicators.yaml"]
    config = files[0].read_text(encoding="utf-8", errors="replace") if files[0].is_file() else ""
    logo = re.search(r"^logo:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", config, re.MULTILINE)
    if logo:
        files.append(root / logo.group(1))
    package = Path(__file__).resolve().parent.parent
    for folder in (root / "chapters", package, *template_dirs(root)):
        if folder.is_dir():
            files.extend(sorted(_files(folder)))
    for path in files:
        parts += [str(path), path.read_bytes() if path.is_file() else b"missing"]
    return digest(*parts)


def _files(folder: Path):
    for entry in os.scandir(folder):
        if entry.name.startswith((".", "__pycache__")):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _files(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _stat_tree(out: Path) -> dict[str, list[int]]:
    """Every file under `out` (its path from there) -> its size and modification time."""
    tree: dict[str, list[int]] = {}

    def walk(folder: str, prefix: str) -> None:
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                stat = entry.stat()
                tree[prefix + entry.name] = [stat.st_size, stat.st_mtime_ns]

    walk(str(out), "")
    return dict(sorted(tree.items()))


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
) -> BuildResult:
    """Build the site from the JSNA folder `root` into `out`, swapping it in only when complete.

    `compendium_pdf`: also make site/jsna.pdf, every chapter in one PDF (put together from a part
    per chapter, so a changed chapter renders only its own part again).
    `workers`: processes for charts and PDFs (default: all processors). `cache`: reuse and keep
    pieces in root/.jsna-cache. `clean`: empty that cache first, so everything is made afresh."""
    started = time.perf_counter()
    check_out(root, out)
    folder = root / CACHE_DIR
    if clean:
        shutil.rmtree(folder, ignore_errors=True)
    store = Store(folder / "pieces") if cache else None
    edition = source_date(os.environ)
    build_date = (edition or dt.date.today()).isoformat()
    manifest_path = build_record(root, out)
    if cache:
        remember_versions(LIBRARIES, folder / "libraries.json")
    stamp = inputs_digest(root, f"pdf={pdf};compendium={compendium_pdf};date={build_date}")
    manifest = _read_record(manifest_path) if cache and out.is_dir() else None
    if manifest:
        if manifest["inputs"] == stamp and manifest["files"] == _stat_tree(out):
            log("nothing changed: the site is as it was")
            return BuildResult(
                chapters=manifest["chapters"], figures=manifest["figures"], pdfs=manifest["pdfs"],
                files=manifest["count"], built=0, reused=0,
                warnings=tuple(BuildWarning(Position(*w[:3]), w[3]) for w in manifest["warnings"]),
                seconds=time.perf_counter() - started, unchanged=True,
            )

    # The stages, imported only now: a rebuild with nothing changed never needs them.
    from jsna.render.compendium import compendium_order, contents_page, print_page, render_compendium_part
    from jsna.compute.views import compute_site, view_keys
    from jsna.draw.charts import small_name
    from jsna.load.site import load_site

    pieces = _Pieces(store, workers)
    load_code = code_version(("jsna.load.site",), LIBRARIES)
    site = load_site(root, (lambda key, make: pieces.remember(digest(load_code, key), make)) if store else None)
    log(f"loaded {len(site.chapters)} chapters and {len(site.indicators)} indicators")
    # A view's key may name its chapter and indicators by what they were read from: the reading
    # code's version is part of its code's.
    view_code = digest(code_version(("jsna.compute.views",), LIBRARIES), load_code)

    def remember_view(key: str, make):
        return pieces.remember(digest(view_code, key), make)

    # Charts: a wide and a small (phone) SVG per figure for the page, each keyed by the chart's
    # data and style. Where PDFs are made, the wide chart is saved as a PDF too, from the same
    # layout (jsna/draw/charts.py), and kept with its SVG; a build without PDFs takes the SVG from there
    # when it has been drawn so.
    figure_code = code_version(("jsna.draw.charts",), LIBRARIES)

    def chart_key(figure, rendition: str) -> str:
        return digest("chart", figure_code, figure.chart_digest, rendition)

    def chart_jobs(views, behind: bool) -> dict[str, tuple[str, tuple]]:
        """name -> (key, job) for the views' charts, the wide ones first (a PDF waits only for
        those); `behind`: the small ones are drawn behind the PDFs (see `_yield`)."""
        jobs = {}
        for view in views:
            for figure in view.figures:
                wide = chart_key(figure, "wide SVG and PDF")
                with_pdf = pdf or bool(store and store.has(wide))
                key = wide if with_pdf else chart_key(figure, "wide SVG")
                jobs[f"{view.chapter.slug}/{figure.svg_file}"] = (key, (figure.chart, False, with_pdf, False))
        for view in views:
            for figure in view.figures:
                key = chart_key(figure, "small SVG")
                jobs[f"{view.chapter.slug}/{small_name(figure.svg_file)}"] = (key, (figure.chart, True, False, behind))
        return jobs

    files: dict[str, bytes] = {}

    def add(name: str, data: bytes) -> None:
        if name in files:
            raise JsnaError(Position(name), f"expected one output per path, found '{name}' written twice")
        files[name] = data

    dirs = template_dirs(root)
    page_code = code_version(("jsna.render.html", "jsna.render.compendium", "jsna.render.pages"), LIBRARIES)
    templates = _folder_digest(dirs, (".html",))
    titles = repr(tuple((c.slug, c.title) for c in site.chapters))
    if pdf:
        pdf_css = _asset(dirs, "pdf.css").decode("utf-8")
        # With the form the PDFs are kept in (`_encode_pdf`), which is this module's.
        pdf_code = digest(code_version(("jsna.render.pdf",), LIBRARIES), _PDF_FORM)
        order = compendium_order(site)

    def pdf_jobs_of(views, charts: dict[str, tuple[str, tuple]]) -> dict[str, tuple[str, None]]:
        """name -> (key, None) for the views' PDFs: for the compendium, each chapter's part, and
        each chapter's own PDF (the same inputs, another layout). The parts go first, so that the
        compendium is put together while the chapters' own PDFs are still being made."""
        if not pdf:
            return {}
        keys = {
            view.chapter.slug: digest(
                "pdf", pdf_code, page_code, templates, pdf_css, repr(site.config), titles, repr(edition),
                view_code, view.key, *(charts[f"{view.chapter.slug}/{f.svg_file}"][0] for f in view.figures),
            )
            for view in views
        }
        parts = {f"part:{slug}": (digest("part", keys[slug]), None) for slug in order if slug in keys} if compendium_pdf else {}
        return {**parts, **{f"{slug}/{slug}.pdf": (key, None) for slug, key in keys.items()}}

    printed: dict[str, str] = {}

    def print_html(name: str) -> str:
        """The print HTML of a PDF to be made (a chapter's own, or its part of the compendium)."""
        if name not in printed:
            slug = name.partition(":")[2]
            if slug:
                printed[name] = render_compendium_part(env, site, page(slug), pdf_css, edition)
            else:
                slug = name.split("/")[0]
                printed[name] = render_chapter_print(env, site, print_page(site, page(slug), edition), pdf_css)
        return printed[name]

    def pdf_job(name: str) -> tuple:
        """The print HTML and charts of a PDF to be made, when it is handed to a worker (once its
        charts are drawn)."""
        part = name.startswith("part:")
        slug = name.partition(":")[2] if part else name.split("/")[0]
        own = {(f"{slug}/" if part else "") + f.svg_file: drawing.one(f"{slug}/{f.svg_file}")[1] for f in by_slug[slug].figures}
        return print_html(name), own, True, f"{slug}-" if part else ""

    def start_pdfs(jobs: dict[str, tuple[str, None]]):
        # The workers start importing WeasyPrint at once, while the charts are drawn.
        return pieces.start_all(_render_pdf, jobs, encode=_encode_pdf, decode=_decode_pdf, make_job=pdf_job, prepare=_prepare_pdf)

    # The chapters that changed (their views are made afresh) come first: their charts are
    # started at once, and the workers for their PDFs (which must be made again), while the other
    # views are read from the cache. The changed chapters' small charts go behind their PDFs.
    # Importing matplotlib costs a worker about what five charts do: a few charts share one.
    view_key = view_keys(site)
    changed = {slug for slug, key in view_key.items() if not (store and store.has(digest(view_code, key)))}
    fresh = compute_site(site, remember_view, only=changed, keys=view_key)
    jobs = chart_jobs(fresh, pdf)
    reused_before = pieces.reused
    kept_charts, drawing = pieces.start_all(_draw, jobs, encode=_pack, decode=_unpack, share=8)
    pdf_jobs = pdf_jobs_of(fresh, jobs)
    made, finish_pdfs = start_pdfs(pdf_jobs)
    rest = compute_site(site, remember_view, only=set(view_key) - changed, keys=view_key)
    by_slug = {view.chapter.slug: view for view in (*fresh, *rest)}
    views = tuple(by_slug[chapter.slug] for chapter in site.chapters)
    # The others' charts and PDFs, where any are missing (a chart kept only as an SVG, say, now
    # wanted with its PDF); if a PDF is being made, their small charts go behind it too.
    more_jobs = chart_jobs(rest, False)
    more_pdf_jobs = pdf_jobs_of(rest, more_jobs)
    if not all(store and store.has(key) for key, _ in (*pdf_jobs.values(), *more_pdf_jobs.values())):
        more_jobs = {name: (key, (chart, small, with_pdf, small)) for name, (key, (chart, small, with_pdf, _)) in more_jobs.items()}
    kept_more, drawing_more = pieces.start_all(_draw, more_jobs, encode=_pack, decode=_unpack, share=8)
    reused = pieces.reused - reused_before
    jobs, kept_charts, drawing = {**jobs, **more_jobs}, {**kept_charts, **kept_more}, drawing + drawing_more
    made_more, finish_more = start_pdfs(more_pdf_jobs)
    pdf_jobs, made, finish_pdfs = {**pdf_jobs, **more_pdf_jobs}, {**made, **made_more}, finish_pdfs + finish_more
    ready = len(made)
    charts: dict[str, bytes] = {}

    def finish_charts() -> dict[str, bytes]:
        """The charts for the site, once all are drawn."""
        if jobs and not charts:
            charts.update((name, drawn[0]) for name, drawn in drawing().items())
            log(f"charts: {len(jobs) - reused} drawn, {reused} reused ({time.perf_counter() - started:.1f} s)")
        return charts

    pages: dict[str, dict] = {}

    def page(slug: str) -> dict:
        if slug not in pages:
            pages[slug] = chapter_page(env, site, by_slug[slug])
        return pages[slug]

    pdfs: dict[str, object] = {}
    compendium = None

    # Imported once the charts (and PDF workers) have been started: they are what the build waits for.
    from jsna.render.pages import render_pages
    from jsna.render.html import PdfInfo, chapter_page, environment, render_chapter, render_chapter_print, render_index
    from jsna.render.search import index_site

    env = environment(dirs, _made_folder(user_cache() / "templates") if cache else None)
    # The day a chapter's next review is judged against (on its web page): SOURCE_DATE_EPOCH's, or today.
    env.globals["build_date"] = build_date
    for view in views:
        for figure in view.figures:
            add(f"{view.chapter.slug}/{figure.csv_file}", figure.csv.encode("utf-8"))
    for name, drawn in kept_charts.items():  # written with the pages; the charts drawn come later
        add(name, drawn[0])
    if pdf_jobs:
        if ready < len(pdf_jobs):
            # The PDFs are what the build waits for longest: they get the cores first, each
            # handed over as soon as the charts it shows are drawn (their print HTML made while
            # the charts are drawn); the pages are made meanwhile.
            for name in pdf_jobs:
                if name not in made:
                    print_html(name)
            finish_pdfs.hand_over()
        for view in views:
            name = f"{view.chapter.slug}/{view.chapter.slug}.pdf"
            if name in made:
                add(name, made[name][0])
                pdfs[view.chapter.slug] = PdfInfo(len(made[name][0]), made[name][1])

    rendered = 0

    def chapter_html(slug: str) -> bytes:
        nonlocal rendered
        info = pdfs.get(slug)
        key = digest(
            "page", page_code, templates, repr(site.config), titles, view_code, by_slug[slug].key, build_date,
            info.label if info else "",
        )
        data = pieces.get(key)
        if data is None:
            rendered += 1
            data = pieces.put(key, render_chapter(env, site, page(slug), info).encode("utf-8"))
        return data

    # A page whose PDF is still being made is indexed for search as it will be: its PDF's size is
    # in the downloads, which are not indexed. The page itself is written once the PDF is made.
    waiting = [v.chapter.slug for v in views if pdf_jobs and v.chapter.slug not in pdfs]
    for view in views:
        slug = view.chapter.slug
        if slug in waiting:
            files[f"{slug}/index.html"] = render_chapter(env, site, page(slug), PdfInfo(0, 0)).encode("utf-8")
        else:
            add(f"{slug}/index.html", chapter_html(slug))
        if view.headline.rows:
            add(f"{slug}/{slug}-data.json", view.data_json.encode("utf-8"))
            add(f"{slug}/{slug}-data.csv", view.data_csv.encode("utf-8"))
    for name, data in render_pages(env, site).items():
        add(name, data)
    for name in ASSETS:
        add(f"assets/{name}", _asset(dirs, name))
    add(MARKER, MARKER_TEXT)  # marks the folder as jsna's to replace (jsna/build/outfolder.py)
    if site.config.logo:
        add(site.config.logo, (root / site.config.logo).read_bytes())

    # Written last, once the charts are drawn, the PDFs made and the compendium put together: the
    # index gives the compendium's size.
    made_late = [name for name in pdf_jobs if not name.startswith("part:") and name not in files]
    late = [
        *(name for name in jobs if name not in kept_charts), *made_late, "index.html",
        *([COMPENDIUM] if compendium_pdf and pdf_jobs else []),
    ]
    for name in sorted(set(late) & set(files)):
        raise JsnaError(Position(name), f"expected one output per path, found '{name}' written twice")

    def late_files() -> dict[str, bytes]:
        nonlocal compendium
        more = {name: data for name, data in finish_charts().items() if name not in kept_charts}
        if pdf_jobs and compendium_pdf:
            parts = [(pdf_jobs[f"part:{slug}"][0], finish_pdfs.one(f"part:{slug}")) for slug in order]
            pages_in = [contents_page(by_slug[slug]) for slug in order]
            finish = _compendium(pieces, env, site, pages_in, parts, pdf_css, pdf_code, edition, log, started)
            more[COMPENDIUM], page_count = finish()
            compendium = PdfInfo(len(more[COMPENDIUM]), page_count)
        if pdf_jobs:
            made = finish_pdfs()
            log(f"PDFs: {len(pdf_jobs) - ready} rendered, {ready} reused ({time.perf_counter() - started:.1f} s)")
            for name in made_late:
                data, page_count, _ = made[name]
                more[name] = data
                pdfs[name.split("/")[0]] = PdfInfo(len(data), page_count)
            for slug in waiting:
                more[f"{slug}/index.html"] = chapter_html(slug)
        log(f"chapter pages: {rendered} rendered, {len(views) - rendered} reused")
        more["index.html"] = render_index(env, site, pdfs, compendium).encode("utf-8")
        return more

    log(f"writing {len(files) + len(late)} files to {out}")
    write_site(files, out, before_swap=lambda staging: index_site(staging, log), later=late_files, reads=lambda name: name.endswith(".html"))
    result = BuildResult(
        chapters=len(views),
        figures=sum(len(v.figures) for v in views),
        pdfs=len(pdfs) + (1 if compendium else 0),
        files=len(files) + len(late),
        built=pieces.built,
        reused=pieces.reused,
        warnings=site.warnings,
        seconds=time.perf_counter() - started,
    )
    if cache:
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        manifest_path.write_text(json.dumps({
            "inputs": stamp, "chapters": result.chapters, "figures": result.figures, "pdfs": result.pdfs, "count": result.files,
            "warnings": [[w.position.path, w.position.line, w.position.column, w.message] for w in result.warnings],
            "files": _stat_tree(out),
        }))
        store.prune()
    return result


def _read_record(path: Path) -> dict | None:
    """The record of the last build into a folder, or None if there is none or it is damaged
    (the build then goes on as if there were none)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        keys = ("inputs", "files", "chapters", "figures", "pdfs", "count", "warnings")
        return record if isinstance(record, dict) and all(k in record for k in keys) else None
    except (OSError, ValueError):
        return None


def _made_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _assemble(job: tuple) -> tuple[bytes, int]:
    from jsna.render.assemble import assemble

    return assemble(*job)


def _compendium(pieces: _Pieces, env, site, pages: list[dict], parts: list, pdf_css: str, pdf_code: str, edition, log, started):
    """site/jsna.pdf from the chapters' parts ((key, rendered) in order): the front, whose contents
    give the page each heading lands on, the page numbers of the front and of the chapters, and
    the parts put together. Returns what to call for its bytes and page count."""
    from jsna.render.compendium import chapter_numbering, front_allowance, render_compendium_front, render_page_numbers

    built = pieces.built
    anchor_pages, body_pages = chapter_numbering([(count, anchors) for _, (_, count, anchors) in parts])
    htmls = {
        "numbers-chapters": (render_page_numbers(env, site, pdf_css, body_pages, roman=False), False),
        "front": (render_compendium_front(env, site, pages, pdf_css, edition, anchor_pages), True),
        "numbers-front": (render_page_numbers(env, site, pdf_css, front_allowance(pages), roman=True), False),
    }

    def make(htmls: dict[str, tuple[str, bool]]) -> dict[str, tuple[str, tuple]]:
        """name -> (key, rendered) for print HTML (and whether tagged), laid out in parallel."""
        keys = {name: digest(name, pdf_code, html) for name, (html, _) in htmls.items()}
        jobs = {name: (keys[name], (html, {}, tagged, name + "-")) for name, (html, tagged) in htmls.items()}
        made = pieces.make_all(_render_pdf, jobs, _encode_pdf, _decode_pdf)
        return {name: (keys[name], made[name]) for name in htmls}

    made = make(htmls)
    front_key, front = made["front"]
    if made["numbers-front"][1][1] < front[1]:  # a front longer than its allowance
        made.update(make({"numbers-front": (render_page_numbers(env, site, pdf_css, front[1], roman=True), False)}))
    numbers = [made[name] for name in ("numbers-front", "numbers-chapters")]
    front_made = pieces.built > built
    key = digest("compendium", code_version(("jsna.render.assemble",), LIBRARIES), front_key, *(k for k, _ in numbers), *(k for k, _ in parts))
    job = (front[0], [rendered[0] for _, rendered in parts], [rendered[0] for _, rendered in numbers])
    total = front[1] + body_pages
    fresh = not (pieces.store and pieces.store.has(key))
    # Put together in this process: it is the last thing the build waits for.
    _, pending = pieces.start_all(_assemble, {COMPENDIUM: (key, job)}, encode=lambda r: r[0], decode=lambda b: (b, total), workers=1)

    def finish() -> tuple[bytes, int]:
        data, _ = pending()[COMPENDIUM]
        how = f"put together from {len(parts)} parts (front and page numbers {'made' if front_made else 'reused'})" if fresh else "reused"
        log(f"compendium: {total} pages, {how} ({time.perf_counter() - started:.1f} s)")
        return data, total

    return finish


def _asset(dirs: tuple[Path, ...], name: str) -> bytes:
    for folder in dirs:
        path = folder / "assets" / name
        if path.is_file():
            return path.read_bytes()
    raise JsnaError(Position(f"templates/assets/{name}"), f"expected the stylesheet {name}, found no such file")
