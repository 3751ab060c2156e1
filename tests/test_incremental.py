"""Rebuilds redo only what changed, and give the same bytes as a build from scratch."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jsna.build.pipeline import build

from conftest import CHAPTER, INDICATORS


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_one_value_changed_redraws_one_chart_and_rerenders_one_chapter(project, tmp_path):
    out = project / "site"
    first = build(project, out, pdf=True, workers=1)
    assert first.reused == 0 and first.built > 0
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    messages: list[str] = []
    second = build(project, out, pdf=True, workers=1, log=messages.append)
    # cin-rate's one chart (wide, as SVG and PDF, and small), its chapter's PDF and compendium
    # part, its page; the compendium is put together again, its front and page numbers as they
    # were.
    assert any(m.startswith("charts: 2 drawn, 4 reused") for m in messages)
    assert any(m.startswith("PDFs: 2 rendered, 2 reused") for m in messages)
    pattern = r"compendium: \d+ pages, put together from 2 parts \(front and page numbers reused\) \(.+ s\)"
    assert any(re.fullmatch(pattern, m) for m in messages)
    assert "chapter pages: 1 rendered, 1 reused" in messages
    fresh = tmp_path / "fresh"
    build(project, fresh, pdf=True, workers=2, cache=False)
    assert _tree(out) == _tree(fresh), "an incremental build gives what a clean build gives"


def test_after_an_edit_the_chapters_pdf_is_laid_out_before_its_compendium_part(project, monkeypatch):
    # Both are laid out while the charts are drawn; the chapter's own PDF, the file a reader looks
    # for, goes first (in one process, the scheduler's order is the order they are made in).
    from jsna.render import pdf

    out = project / "site"
    build(project, out, pdf=True, workers=1)
    laid: list[str] = []
    lay_out_job = pdf.lay_out_job
    monkeypatch.setattr(pdf, "lay_out_job", lambda tagged, ids, *rest: laid.append(ids) or lay_out_job(tagged, ids, *rest))
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    build(project, out, pdf=True, workers=1)
    assert laid == ["", "children-in-need-"], "the chapter's PDF (no ID prefix), then its part"


def test_builds_with_and_without_pdfs_share_the_charts_they_can(project, tmp_path):
    # A build with PDFs draws each wide chart as SVG and PDF from one layout: one without PDFs
    # takes the SVG from there. One without PDFs keeps the wide SVG alone, so the next build with
    # PDFs draws the wide charts again (the small ones it reuses).
    messages: list[str] = []
    build(project, project / "with", pdf=True, workers=1)
    build(project, project / "without", pdf=False, log=messages.append)
    assert any(m.startswith("charts: 0 drawn, 6 reused") for m in messages)
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    build(project, project / "without", pdf=False)
    messages.clear()
    build(project, project / "with", pdf=True, workers=1, log=messages.append)
    assert any(m.startswith("charts: 1 drawn, 5 reused") for m in messages)
    build(project, tmp_path / "fresh", pdf=True, workers=1, cache=False)
    assert _tree(project / "with") == _tree(tmp_path / "fresh")


def test_a_paragraph_changed_draws_nothing(project):
    out = project / "site"
    build(project, out, pdf=False)
    (project / "chapters/children-in-need.md").write_text(CHAPTER.replace("Contacts fell.", "Contacts fell again."))
    messages: list[str] = []
    build(project, out, pdf=False, log=messages.append)
    assert any(m.startswith("charts: 0 drawn, 6 reused") for m in messages)
    assert "chapter pages: 1 rendered, 1 reused" in messages
    assert "Contacts fell again." in (out / "children-in-need/index.html").read_text()


def test_nothing_changed_imports_neither_matplotlib_nor_weasyprint(project):
    build(project, project / "site", pdf=True)
    probe = (
        "import sys; from pathlib import Path; from jsna.build.pipeline import build; "
        f"r = build(Path({str(project)!r}), Path({str(project / 'site')!r})); "
        "print(r.unchanged, 'matplotlib' in sys.modules, 'weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "False", "False"]


def test_an_edit_starts_its_chart_worker_before_importing_the_templates(project):
    """The chart worker's matplotlib import is the longest wait of an edit without PDFs: Jinja2
    and Markdown are imported after it has started, while it imports."""
    build(project, project / "site", pdf=False)
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    probe = (
        "import sys; from pathlib import Path; import jsna.build.parallel as parallel; "
        "start = parallel.process_pool; seen = []; "
        "parallel.process_pool = lambda *a, **k: (seen.append(('jinja2' in sys.modules, 'markdown' in sys.modules)), start(*a, **k))[1]; "
        "from jsna.build.pipeline import build; "
        f"build(Path({str(project)!r}), Path({str(project / 'site')!r}), pdf=False, workers=2); "
        "print(seen[0], 'jinja2' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "(False, False) True"


PRIORITIES = """
import os, sys
from pathlib import Path
import jsna.draw.charts as charts, jsna.render.pdf as pdf
from jsna.build.pipeline import build

def noting(kind, make):
    def made(*args, **kwargs):
        with open(sys.argv[2], "a") as out:
            out.write(f"{kind} {os.nice(0)}\\n")
        return make(*args, **kwargs)
    return made

charts.draw, pdf.render_pdf = noting("chart", charts.draw), noting("pdf", pdf.render_pdf)
print(os.nice(0))
build(Path(sys.argv[1]), Path(sys.argv[1]) / "site", pdf=sys.argv[3] == "pdf", compendium_pdf=False, workers=2, cache=False)
"""


@pytest.mark.parametrize("pdf", [True, False])
def test_charts_are_drawn_behind_the_pdfs_where_pdfs_are_made(project, tmp_path, pdf):
    """A PDF (laid out while an edit's charts are drawn) has a core to itself: the chart workers
    run at a lower priority (niceness 5 more than the build's) where PDFs are made."""
    noted = tmp_path / "priorities"
    probe = subprocess.run([sys.executable, "-c", PRIORITIES, str(project), str(noted), "pdf" if pdf else "html"],
                           capture_output=True, text=True, check=True)
    base = int(probe.stdout.split()[0])
    seen = {tuple(line.split()) for line in noted.read_text().splitlines()}
    expected = {("chart", str(base + 5)), ("pdf", str(base))} if pdf else {("chart", str(base))}
    assert seen == expected


def test_a_changed_output_file_is_rebuilt(project):
    out = project / "site"
    build(project, out, pdf=False)
    (out / "index.html").write_text("tampered")
    again = build(project, out, pdf=False)
    assert not again.unchanged
    assert "tampered" not in (out / "index.html").read_text()


def test_clean_builds_everything_afresh(project):
    out = project / "site"
    build(project, out, pdf=False)
    again = build(project, out, pdf=False, clean=True)
    assert again.reused == 0 and again.built > 0


def test_a_changed_logo_or_template_is_seen(project):
    from conftest import CONFIG

    (project / "assets").mkdir()
    (project / "assets/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    (project / "jsna.yaml").write_text(CONFIG + "logo: assets/logo.svg\n")
    out = project / "site"
    build(project, out, pdf=False)
    assert build(project, out, pdf=False).unchanged
    (project / "assets/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="12" height="12"/>')
    assert not build(project, out, pdf=False).unchanged
    assert 'width="12"' in (out / "assets/logo.svg").read_text()
    (project / "templates/assets").mkdir(parents=True)
    (project / "templates/assets/style.css").write_text("body { color: black; }")
    again = build(project, out, pdf=False)
    assert not again.unchanged and again.built == 0, "a new stylesheet is copied; nothing is redrawn"
    assert (out / "assets/style.css").read_text() == "body { color: black; }"


def test_a_value_changed_recomputes_only_the_chapter_that_uses_it(project, monkeypatch):
    import jsna.compute.views

    out = project / "site"
    build(project, out, pdf=False)
    computed: list[str] = []
    original = jsna.compute.views.compute_chapter
    monkeypatch.setattr(jsna.compute.views, "compute_chapter", lambda site, chapter: computed.append(chapter.slug) or original(site, chapter))
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    build(project, out, pdf=False)
    assert computed == ["children-in-need"], "the other chapter's view comes from the cache"


def test_unchanged_files_are_linked_from_the_previous_site_not_written_again(project):
    out = project / "site"
    build(project, out, pdf=False)
    before = {name: (out / name).stat().st_ino for name in ("other/index.html", "assets/style.css", "children-in-need/index.html")}
    (project / "chapters/children-in-need.md").write_text(CHAPTER.replace("Contacts fell.", "Contacts fell again."))
    build(project, out, pdf=False)
    after = {name: (out / name).stat().st_ino for name in before}
    assert after["other/index.html"] == before["other/index.html"]
    assert after["assets/style.css"] == before["assets/style.css"]
    assert after["children-in-need/index.html"] != before["children-in-need/index.html"], "a changed page is written afresh"


def test_a_rebuild_with_nothing_changed_reports_what_the_build_did(project):
    first = build(project, project / "site", pdf=False)
    again = build(project, project / "site", pdf=False)
    assert again.unchanged and (again.files, again.figures, again.chapters) == (first.files, first.figures, first.chapters)


def test_pdf_workers_are_prepared_only_when_a_pdf_is_to_be_made(project, monkeypatch):
    import jsna.render.pdf

    prepared = project / "prepared"
    original = jsna.render.pdf.prepare
    # Workers are forked from this process, so they see the patched function.
    monkeypatch.setattr(jsna.render.pdf, "prepare", lambda: prepared.write_text("yes") or original())
    out = project / "site"
    build(project, out, pdf=True, workers=2)
    assert prepared.exists(), "the first build's PDF workers import WeasyPrint before their jobs"
    prepared.unlink()
    (project / "templates/assets").mkdir(parents=True)
    (project / "templates/assets/style.css").write_text("body { color: black; }")
    messages: list[str] = []
    build(project, out, pdf=True, workers=2, log=messages.append)
    assert any(m.startswith("PDFs: 0 rendered") for m in messages)
    assert not prepared.exists(), "no PDF to make: no worker imports WeasyPrint"
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    build(project, out, pdf=True, workers=2)
    assert prepared.exists()
    fresh = project / "fresh"
    build(project, fresh, pdf=True, workers=2, cache=False)
    assert _tree(out) == _tree(fresh), "the PDFs made by prepared workers are the ones a clean build makes"


def _bundle(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}


def test_a_page_written_before_its_pdf_is_made_is_indexed_for_search_as_it_ends_up(project, tmp_path):
    import shutil

    from jsna.render.search import index_site

    out = project / "site"
    # On a first build every page waits for its PDF: it is indexed before its PDF's size is known.
    build(project, out, pdf=True, compendium_pdf=False, workers=2)
    assert "PDF" in (out / "children-in-need/index.html").read_text() and ", 0 pages" not in (out / "children-in-need/index.html").read_text()
    copy = tmp_path / "copy"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("pagefind"))
    assert index_site(copy)
    assert _bundle(copy) == _bundle(out), "the index of the pages as written is the index the build made"


def test_a_file_kept_from_the_previous_site_is_linked_and_never_written_through(tmp_path):
    import os

    from jsna.build.write import write_site

    out = tmp_path / "site"
    write_site({"a.html": b"old", "b.html": b"same"}, out)
    kept = tmp_path / "kept"
    os.link(out / "a.html", kept)
    write_site({"a.html": b"new", "b.html": b"same"}, out)
    assert (out / "a.html").read_bytes() == b"new" and (out / "b.html").read_bytes() == b"same"
    assert kept.read_bytes() == b"old", "the previous site's file is never written through"
    assert (out / "b.html").stat().st_nlink == 1, "the previous site is gone: its same file lives on in the new one"


def _remembering():
    """A `remember` for load_site that keeps values pickled, as the build's cache does."""
    import pickle

    kept: dict[str, bytes] = {}

    def remember(key, make):
        if key not in kept:
            kept[key] = pickle.dumps(make())
        return pickle.loads(kept[key])

    return remember


def _read(root: Path, remember=None):
    """The site as loaded, less the keys its pieces were remembered under."""
    import dataclasses

    from jsna.load.site import load_site

    return dataclasses.replace(load_site(root, remember), sources=())


def _error(root: Path, remember=None) -> str:
    from jsna.errors import JsnaError
    from jsna.load.site import load_site

    try:
        load_site(root, remember)
    except JsnaError as exc:
        return str(exc)
    return "no error"


def test_a_value_changed_reads_only_its_indicator_again(project, monkeypatch):
    import jsna.load.site

    out = project / "site"
    build(project, out, pdf=False)
    read: list[str] = []
    original = jsna.load.site._load_indicator
    monkeypatch.setattr(jsna.load.site, "_load_indicator", lambda src, node, *rest: read.append(src.at(node).line) or original(src, node, *rest))
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    build(project, out, pdf=False)
    assert read == [INDICATORS.splitlines().index("  - id: cin-rate") + 1], "only cin-rate's lines are read again"
    assert "347.9" in (out / "children-in-need/index.html").read_text()


def test_indicators_read_item_by_item_are_the_indicators_read_whole(project):
    from jsna.load.site import load_site

    remember = _remembering()
    edits = [
        INDICATORS,
        INDICATORS.replace('"2015": 347.7', '"2015": 347.9'),
        # Lines added above an indicator move its positions: it is read again, not remembered.
        INDICATORS.replace("  - id: cin-rate", "  # a comment\n\n  - id: cin-rate"),
        "# Indicators\n\n" + INDICATORS.replace("indicators:", "indicators:  # the list"),
        # A quoted text running on over a line that looks like the next item: read whole.
        INDICATORS.replace("definition: Information received about a child.", 'definition: "Information\n  - received"'),
    ]
    # An anchor and an alias: an item depends on another's lines, so the file is read whole.
    shared = INDICATORS.replace("    source:\n      publisher: Test Council", "    source: &ours\n      publisher: Test Council", 1)
    shared = re.sub(r"    source:\n      publisher: Department for Education\n      dataset: .*\n", "    source: *ours\n", shared)
    edits += [shared, shared.replace("publisher: Test Council", "publisher: Testshire Council")]
    sources = dict(load_site(project, remember).sources)
    assert set(sources) == {"indicator:contacts", "indicator:cin-rate", "chapter:children-in-need", "chapter:other"}
    assert not load_site(project).sources, "only what is remembered is named by its key"
    for text in edits:
        (project / "indicators.yaml").write_text(text)
        assert _read(project, remember) == _read(project) == _read(project, remember)
    assert load_site(project).indicator("cin-rate").source.publisher == "Testshire Council"
    for text in (CHAPTER.replace("Contacts fell.", "Contacts fell again."), CHAPTER):
        (project / "chapters/children-in-need.md").write_text(text)
        assert _read(project, remember) == _read(project) == _read(project, remember)


def test_an_error_in_an_indicator_read_on_its_own_is_the_error_in_the_whole_file(project):
    remember = _remembering()
    assert _error(project, remember) == "no error"
    broken = [
        INDICATORS.replace('"2015": 347.7', '"2015": -3'),  # a bad value
        INDICATORS.replace("  - id: cin-rate", "  - id: contacts"),  # the same id twice
        INDICATORS.replace("    measure: rate\n", "    measure: rate\n  other: 1\n"),  # not an item, at the list's indent
        INDICATORS.replace("      region:", "    region:\n      - x\n      region:"),
        INDICATORS + "more: true\n",
    ]
    for text in broken:
        (project / "indicators.yaml").write_text(text)
        plain = _error(project)
        assert plain != "no error" and _error(project, remember) == plain, text


def test_records_kept_in_the_cache_come_back_equal_and_frozen(project):
    import dataclasses
    import pickle

    from jsna.compute.views import compute_site
    from jsna.load.site import load_site

    site = load_site(project)
    views = compute_site(site)
    again = pickle.loads(pickle.dumps((site, views)))
    assert again == (site, views) and repr(again) == repr((site, views))
    view = again[1][0]
    assert view.__reduce__()[0] is type(view), "a record pickles as its class and field values"
    try:
        view.data_csv = "changed"
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a record loaded from the cache is still frozen")


def test_a_paragraph_changed_parses_only_its_chapter_again(project, monkeypatch):
    import jsna.load.chapters

    out = project / "site"
    build(project, out, pdf=False)
    parsed: list[str] = []
    original = jsna.load.chapters.parse_chapter
    monkeypatch.setattr(jsna.load.chapters, "parse_chapter", lambda slug, *rest: parsed.append(slug) or original(slug, *rest))
    (project / "chapters/children-in-need.md").write_text(CHAPTER.replace("Contacts fell.", "Contacts fell again."))
    build(project, out, pdf=False)
    assert parsed == ["children-in-need"], "the other chapter is remembered"
    assert "Contacts fell again." in (out / "children-in-need/index.html").read_text()


def test_a_kept_piece_gone_before_it_is_read_is_made_again(project, monkeypatch):
    import shutil

    import jsna.build.store

    out = project / "site"
    build(project, out, pdf=True, compendium_pdf=False, workers=2)
    shutil.rmtree(project / ".jsna-cache")  # every piece gone, though the store says it is kept
    monkeypatch.setattr(jsna.build.store.Store, "has", lambda self, key: True)
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    build(project, out, pdf=True, compendium_pdf=False, workers=2)
    fresh = project / "fresh"
    build(project, fresh, pdf=True, compendium_pdf=False, workers=2, cache=False)
    assert _tree(out) == _tree(fresh)


def test_a_path_written_twice_is_an_error_and_the_site_is_left_as_it_was(tmp_path):
    import pytest

    from jsna.build.write import Staging, write_site
    from jsna.errors import JsnaError

    out = tmp_path / "site"
    write_site({"a.html": b"before"}, out)
    staging = Staging(out)
    staging.put({"a.html": b"one"})
    with pytest.raises(JsnaError, match="written twice"):
        staging.put({"a.html": b"two"})
    staging.abort()
    assert _tree(out) == {"a.html": b"before"} and [p.name for p in tmp_path.iterdir()] == ["site"]


def test_library_versions_are_looked_up_again_only_when_a_package_folder_changed(tmp_path, monkeypatch):
    import os

    import jsna.build.store as cache

    packages = tmp_path / "site-packages"
    (packages / "demo-1.0.dist-info").mkdir(parents=True)
    monkeypatch.setattr("sys.path", [str(packages), str(tmp_path / "no-packages-here")])
    looked_up: list[str] = []
    monkeypatch.setattr(cache, "_installed", lambda library: looked_up.append(library) or f"{library}==1.0")
    monkeypatch.setattr(cache, "_versions", {})
    kept = tmp_path / "libraries.json"
    cache.remember_versions(("demo",), kept)
    first = cache.code_version((), ("demo",))
    cache._versions.clear()
    cache.remember_versions(("demo",), kept)
    assert looked_up == ["demo"] and cache.code_version((), ("demo",)) == first
    (packages / "demo-1.0.dist-info").rename(packages / "demo-2.0.dist-info")  # an upgrade
    os.utime(packages, ns=(1, 1))
    cache._versions.clear()
    cache.remember_versions(("demo",), kept)
    assert looked_up == ["demo", "demo"]


def _set_up_overrides(project: Path) -> None:
    """The project's own logo, figure template and stylesheet (copies of the built-in ones)."""
    builtin = Path(__file__).resolve().parent.parent / "templates"
    (project / "templates" / "assets").mkdir(parents=True)
    (project / "templates" / "figure.html").write_text((builtin / "figure.html").read_text())
    (project / "templates" / "assets" / "style.css").write_text((builtin / "assets" / "style.css").read_text())
    (project / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n')
    (project / "jsna.yaml").write_text((project / "jsna.yaml").read_text() + "logo: logo.svg\n")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


CHANGES = {
    "a value": lambda p: (p / "indicators.yaml").write_text((p / "indicators.yaml").read_text().replace("7541", "7641")),
    "a paragraph": lambda p: (p / "chapters" / "other.md").write_text(
        (p / "chapters" / "other.md").read_text().replace("Back to", "Return to")),
    "a template": lambda p: (p / "templates" / "figure.html").write_text(
        (p / "templates" / "figure.html").read_text().replace("<figure", "<figure data-edited", 1)),
    "the logo": lambda p: (p / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="12" height="12"/>\n'),
    "the stylesheet": lambda p: _append(p / "templates" / "assets" / "style.css", "\n/* edited */\n"),
}


@pytest.mark.slow
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_each_kind_of_change_builds_what_a_clean_build_does(project, tmp_path, change):
    _set_up_overrides(project)
    out = project / "site"
    build(project, out, pdf=True, workers=2)
    before = _tree(out)
    CHANGES[change](project)
    build(project, out, pdf=True, workers=2)
    fresh = tmp_path / "fresh"
    build(project, fresh, pdf=True, workers=2, cache=False)
    assert _tree(out) == _tree(fresh)
    assert _tree(out) != before, "the change shows in the site"


def test_pdfs_off_then_on_again_builds_what_a_clean_build_does(project, tmp_path):
    out = project / "site"
    for pdf in (True, False, True):
        build(project, out, pdf=pdf, compendium_pdf=False, workers=2)
        fresh = tmp_path / f"fresh-{pdf}"
        shutil.rmtree(fresh, ignore_errors=True)
        build(project, fresh, pdf=pdf, compendium_pdf=False, workers=2, cache=False)
        assert _tree(out) == _tree(fresh)


def test_an_edit_reads_from_the_cache_only_what_it_needs(project, tmp_path, monkeypatch):
    # The kept charts, PDFs and pages of what did not change are linked from the site as it was,
    # not read from the cache: the cost of a small edit does not grow with the site.
    from jsna.build.store import Store

    out = project / "site"
    build(project, out, pdf=True, workers=1)
    reads: list[str] = []
    get = Store.get
    monkeypatch.setattr(Store, "get", lambda self, key: reads.append(key) or get(self, key))
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    build(project, out, pdf=True, workers=1)
    everything = len(list((project / ".jsna-cache" / "pieces").rglob("*")))
    assert 0 < len(reads) < 30 < everything, (len(reads), everything)
    build(project, tmp_path / "fresh", pdf=True, workers=1, cache=False)
    assert _tree(out) == _tree(tmp_path / "fresh")


def test_a_site_file_changed_by_hand_is_not_linked_into_the_next_site(project, tmp_path):
    out = project / "site"
    build(project, out, pdf=False)
    chart = next(out.glob("*/figure-*.svg"))
    chart.write_bytes(chart.read_bytes().replace(b"<svg", b"<svg data-edited='yes'", 1))
    (project / "chapters/children-in-need.md").write_text(CHAPTER.replace("Contacts fell.", "Contacts fell again."))
    build(project, out, pdf=False)
    build(project, tmp_path / "fresh", pdf=False, cache=False)
    assert _tree(out) == _tree(tmp_path / "fresh"), "the chart is read from the cache again, not kept as edited"


def test_an_edit_never_reads_the_view_of_a_chapter_that_did_not_change(project, monkeypatch):
    # A chapter's pieces are declared from its view's outline, and the compendium's contents from
    # a record of its own: the whole view of a chapter that did not change is not read at all.
    import jsna.build.targets as targets
    from jsna.compute.views import ChapterView

    out = project / "site"
    build(project, out, pdf=True, workers=1)
    read: list[str] = []
    kept = targets.RECORD

    def decode(data: bytes):
        value = kept.decode(data)
        if isinstance(value, ChapterView):
            read.append(value.chapter.slug)
        return value

    monkeypatch.setattr(targets, "RECORD", targets.Keep(kept.form, kept.encode, decode))
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    build(project, out, pdf=True, workers=1)
    assert "other" not in read, read


def _counting_layouts(monkeypatch) -> dict[str, int]:
    """Count the PDFs laid out ahead of their charts and the layouts made in all (in this
    process: builds with one worker)."""
    import jsna.render.pdf as pdf

    calls = {"ahead": 0, "layouts": 0}
    lay_out, lay_out_job = pdf.lay_out, pdf.lay_out_job
    monkeypatch.setattr(pdf, "lay_out", lambda *a, **k: calls.__setitem__("layouts", calls["layouts"] + 1) or lay_out(*a, **k))
    monkeypatch.setattr(pdf, "lay_out_job", lambda *a: calls.__setitem__("ahead", calls["ahead"] + 1) or lay_out_job(*a))
    return calls


def test_an_edit_lays_its_pdfs_out_while_the_charts_are_drawn(project, tmp_path, monkeypatch):
    # The chapter's PDF and compendium part are laid out for the sizes its charts had in the
    # previous site, not after the charts are drawn again; the site is the clean build's.
    out = project / "site"
    build(project, out, pdf=True, workers=1)
    calls = _counting_layouts(monkeypatch)
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    messages: list[str] = []
    build(project, out, pdf=True, workers=1, log=messages.append)
    assert any(m.startswith("charts: 2 drawn") for m in messages)
    assert calls == {"ahead": 2, "layouts": 2}, "each laid out once, ahead"
    build(project, tmp_path / "fresh", pdf=True, workers=1, cache=False)
    assert _tree(out) == _tree(tmp_path / "fresh")


def test_a_pdf_laid_out_for_a_chart_size_that_changed_is_laid_out_again(project, tmp_path, monkeypatch):
    out = project / "site"
    build(project, out, pdf=True, workers=1)
    for chart in out.glob("*/figure-*.svg"):  # as if each chart had been drawn another size last time
        chart.write_bytes(re.sub(rb'height="([0-9.]+)pt"', b'height="99.5pt"', chart.read_bytes(), count=1))
    calls = _counting_layouts(monkeypatch)
    (project / "indicators.yaml").write_text(INDICATORS.replace('"2015": 347.7', '"2015": 347.9'))
    build(project, out, pdf=True, workers=1)
    assert calls == {"ahead": 2, "layouts": 4}, "each laid out ahead, then again"
    build(project, tmp_path / "fresh", pdf=True, workers=1, cache=False)
    assert _tree(out) == _tree(tmp_path / "fresh")
