"""Charts as a reader sees them: derived values, legends and labels inside the canvas, charts
with nothing to draw, missing values labelled as their tables label them, series breaks."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from conftest import CHAPTER, INDICATORS, write_project
from jsna.cli import main
from jsna.compute.views import ChartSeries, ChartSpec
from jsna.draw import charts

ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def example_charts() -> tuple[ChartSpec, ...]:
    from jsna.compute.views import compute_site
    from jsna.load.site import load_site

    return tuple(f.chart for v in compute_site(load_site(ROOT)) for f in v.figures)


def spec(chart_type: str, series: tuple[ChartSeries, ...], categories=("2013-14", "2014-15")) -> ChartSpec:
    return ChartSpec(id="t", chart_type=chart_type, categories=tuple(categories), series=series,
                     value_axis="Number", category_axis="Year", measure="count", decimals=0)


def in_fresh_process(code: str) -> str:
    """What `code` prints, run in a new Python process with the example's charts
    (`example_charts`) and jsna.draw.charts (as `charts`) imported."""
    import subprocess
    import sys

    preamble = "import sys; sys.path.insert(0, 'tests'); from test_charts import example_charts; from jsna.draw import charts; "
    return subprocess.run([sys.executable, "-c", preamble + code], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def drawn_alone(index: int, pdf: bool = False) -> list[str]:
    """The SHA-256 digests of the example's chart `index` drawn (SVG, and PDF with `pdf`) in a
    fresh process: what a chart looks like must not depend on what a worker drew before it."""
    return in_fresh_process("import hashlib; print(*(hashlib.sha256(b).hexdigest()"
                            f" for b in charts.draw(example_charts()[{index}], pdf={pdf})))").split()


def bars_drawn(axes) -> list[tuple[float, float, tuple, bool]]:
    """Each bar drawn (`charts.bar_set`'s collections), as (its left, its centre on x, its face
    colour, whether its outline is dashed)."""
    from matplotlib.collections import PolyCollection

    drawn = []
    for bars in (c for c in axes.collections if isinstance(c, PolyCollection)):
        faces, dashes = bars.get_facecolor(), bars.get_linestyle()
        for index, path in enumerate(bars.get_paths()):
            left, right = path.vertices[:, 0].min(), path.vertices[:, 0].max()
            face = faces[index % len(faces)] if len(faces) else (0.0, 0.0, 0.0, 0.0)  # "none": unfilled
            dash = dashes[index % len(dashes)]
            drawn.append((left, (left + right) / 2, tuple(face), dash[1] is not None))
    return drawn


def filled_faces(axes, category: int) -> list[tuple]:
    """The face colours of the filled bars drawn at a category, left to right."""
    bars = [b for b in bars_drawn(axes) if b[2][3] > 0 and round(b[1]) == category]
    return [face for _, _, face, _ in sorted(bars)]


@pytest.mark.parametrize("chart_type", ["grouped-bar", "bar"])
def test_a_derived_value_keeps_its_series_fill_and_the_legend_shows_it_so(chart_type):
    from matplotlib.patches import Rectangle

    count = 3 if chart_type == "grouped-bar" else 1
    series = tuple(
        ChartSeries(name=f"Area {n}", values=(600.0 + n, 360.0 + n), derived=(True, False), emphasis=n == 0)
        for n in range(count)
    )
    with charts.laid_out(spec(chart_type, series)) as figure:
        axes = figure.axes[0]
        derived, published = filled_faces(axes, 0), filled_faces(axes, 1)
        assert derived == published and len(derived) == count
        # What tells "derived" is an outline drawn over the bar, dashed, and only on derived bars.
        dashed = [b for b in bars_drawn(axes) if b[2][3] == 0 and b[3]]
        assert dashed and {round(centre) for _, centre, _, _ in dashed} == {0}
        legend = figure.legends[0]
        labels = [t.get_text() for t in legend.get_texts()]
        assert "derived" in labels[-1]
        swatch = [p for p in legend.findobj(Rectangle) if p.get_fill() and p is not legend.legendPatch]
        assert tuple(swatch[-1].get_facecolor()) == derived[0]


@pytest.mark.parametrize("horizontal", [False, True])
def test_bar_set_draws_the_bars_axes_bar_would_as_one_artist(horizontal):
    """`charts.bar_set` draws in one artist the bars axes.bar (or barh) draws one by one: the same
    corners in the same order (where a dashed outline starts), and the same axes limits."""
    import numpy as np
    from matplotlib.figure import Figure

    places, lengths, starts = [0, 1, 2, 3], [3.5, 1.25, 7.0, 0.4], [0.0, 0.0, 1.5, 7.0]  # 0: no margin under it
    ours, theirs = Figure().add_subplot(), Figure().add_subplot()
    charts.bar_set(ours, places, lengths, 0.6, horizontal=horizontal, starts=starts, facecolors="red")
    (theirs.barh if horizontal else theirs.bar)(places, lengths, 0.6, starts, color="red")
    [bars] = ours.collections
    assert not ours.patches and len(bars.get_paths()) == len(theirs.patches) == 4
    for path, patch in zip(bars.get_paths(), theirs.patches):
        corners = patch.get_patch_transform().transform(patch.get_path().vertices)[:4]
        assert np.allclose(path.vertices[:4], corners)
    assert ours.get_xlim() == pytest.approx(theirs.get_xlim()) and ours.get_ylim() == pytest.approx(theirs.get_ylim())


def outside(figure) -> list[str]:
    """The texts and legends drawn outside the figure's canvas (by more than half a pixel)."""

    figure.draw_without_rendering()  # places the legend's texts and settles which ticks are drawn
    renderer = figure._get_renderer()
    canvas = figure.bbox.padded(0.5)
    # Everything drawn, as matplotlib measures it (tick labels only of the ticks it draws).
    drawn = figure.get_tightbbox(renderer).transformed(figure.dpi_scale_trans)
    inside = canvas.containsx(drawn.x0) and canvas.containsx(drawn.x1) and canvas.containsy(drawn.y0) and canvas.containsy(drawn.y1)
    found = [] if inside else [f"everything drawn, {drawn.bounds}"]
    texts = [t for legend in figure.legends for t in legend.get_texts()] + [t for axes in figure.axes for t in axes.texts]
    for text in texts:
        box = text.get_window_extent(renderer)
        if not (canvas.containsx(box.x0) and canvas.containsx(box.x1) and canvas.containsy(box.y0) and canvas.containsy(box.y1)):
            found.append(text.get_text())
    return found


@pytest.mark.parametrize("small", [False, True], ids=["wide", "small"])
def test_every_example_chart_keeps_its_text_and_legend_inside_its_canvas(small):
    clipped = {}
    from jsna.draw.maps import shapes_for

    for chart in example_charts():
        with charts.laid_out(chart, small, shapes_for(ROOT, chart) if chart.chart_type == "map" else None) as figure:
            if found := outside(figure):
                clipped[chart.id] = found
    assert not clipped


def test_a_long_legend_wraps_rather_than_run_off_the_chart():
    names = ("Unaccompanied asylum-seeking children in care on 31 March", "Other children in care on 31 March")
    series = tuple(ChartSeries(name=n, values=(18.0, 37.0), derived=(False, True)) for n in names)
    for small in (False, True):
        with charts.laid_out(spec("stacked-bar", series), small) as figure:
            assert not outside(figure)


EMPTY = INDICATORS + """\
  - id: disability
    title: Children in need with a disability
    definition: Children in need with a disability at 31 March.
    measure: count
    polarity: no-judgement
    source:
      publisher: Test Council
      dataset: Test returns
    values:
      2012-13: null
      2013-14: null
"""


def test_a_chart_with_no_value_is_a_sentence_on_page_and_pdf_and_a_warning(tmp_path, capsys):
    from pypdf import PdfReader

    chapter = CHAPTER.replace("## Recommendations", "```figure\nindicator: disability\ntype: line\n```\n\n## Recommendations")
    project = write_project(tmp_path / "project", {"indicators.yaml": EMPTY, "chapters/children-in-need.md": chapter})
    out = tmp_path / "site"
    assert main(["build", "--project", str(project), "--out", str(out), "-q"]) == 0
    printed = capsys.readouterr()
    line = chapter.splitlines().index("indicator: disability")  # the block's fence is the line before
    assert f"children-in-need.md:{line}:1: warning: figure of 'disability'" in printed.out + printed.err
    sentence = "No figures were published for children in need with a disability, 2012-13 to 2013-14."
    page = (out / "children-in-need" / "index.html").read_text(encoding="utf-8")
    figure = page[page.index('id="figure-4"'):]
    figure = figure[: figure.index("</figure>")]
    assert sentence in figure and "<img" not in figure
    assert not (out / "children-in-need" / "figure-4.svg").exists() and (out / "children-in-need" / "figure-3.svg").exists()
    text = " ".join(page.extract_text() for page in PdfReader(out / "children-in-need" / "children-in-need.pdf").pages)
    assert sentence in " ".join(text.split())


def drawn_texts(axes) -> dict[float, list[str]]:
    """The words written in the plotting area, by the category (x) they stand at."""
    found: dict[float, list[str]] = {}
    for text in axes.texts:
        at = text.xy if hasattr(text, "xy") else text.get_position()  # a value label stands at its bar or point
        found.setdefault(round(at[0]), []).append(" ".join(text.get_text().split()))
    return found


def test_missing_points_on_a_line_chart_say_whose_and_why_as_their_table_does():
    from jsna.numbers import marker_text
    from jsna.model import Value

    series = (
        ChartSeries(name="Testshire", values=(10.0, None, 12.0), derived=(False,) * 3, emphasis=True,
                    markers=(None, "c", None)),
        ChartSeries(name="England", values=(11.0, 12.0, None), derived=(False,) * 3, markers=(None, None, "z")),
    )
    with charts.laid_out(spec("line", series, ("2012-13", "2013-14", "2014-15"))) as figure:
        texts = drawn_texts(figure.axes[0])
    z = marker_text(Value(None, None, marker="z"))
    assert f"England: {z}" in texts[2] and z == "not applicable"
    assert "Testshire: c (suppressed)" in texts[1]


def test_a_not_applicable_bar_says_so_in_its_own_place_and_a_period_with_no_value_once():
    from matplotlib.text import Annotation

    series = (
        ChartSeries(name="Testshire", values=(None, 12.0, None), derived=(False,) * 3, markers=("z", None, "z")),
        ChartSeries(name="England", values=(None, 13.0, None), derived=(False,) * 3, markers=(None, None, "z")),
    )
    with charts.laid_out(spec("grouped-bar", series, ("2012-13", "2013-14", "2014-15"))) as figure:
        axes = figure.axes[0]
        texts = drawn_texts(axes)
        places = {" ".join(t.get_text().split()): t.get_position()[0] for t in axes.texts
                  if not isinstance(t, Annotation) and t.get_position()[0] < 1}
    assert sorted(texts[0]) == ["not applicable", "not available"]
    assert places["not applicable"] < places["not available"]  # each in its own bar's place
    assert texts[2] == ["not applicable"]


def test_point_labels_on_a_long_series_never_overlap_each_other_or_a_marker():
    values = (1271.0, 1355.0, 1427.0, 1301.0, 1416.0, 1546.0, 1174.0, 1301.0, 1346.0, 1271.0, 1372.0, 1307.0, 1539.0)
    categories = tuple(f"31 March {year}" for year in range(2013, 2026))
    series = (ChartSeries(name="Bedford", values=values, derived=(False,) * 13, emphasis=True),
              ChartSeries(name="England", values=tuple(v + 40 for v in values), derived=(False,) * 13))
    for small in (False, True):
        with charts.laid_out(spec("line", series, categories), small) as figure:
            figure.draw_without_rendering()
            renderer = figure._get_renderer()
            axes = figure.axes[0]
            boxes = [t.get_window_extent(renderer) for t in axes.texts]
            assert len(boxes) >= 2  # the latest and the first at least
            for i, box in enumerate(boxes):
                assert not any(box.overlaps(other) for other in boxes[i + 1:])
                for line in axes.lines:
                    if line.get_marker() not in ("None", None, ""):
                        x, y = axes.transData.transform(line.get_xydata()[0])
                        assert not box.contains(x, y)


NOTES = INDICATORS.replace("""    breakdowns:
      - id: source""", """    notes:
      - Counted as contacts received in the year.
      - breakdown: source
        text: Only three sources are named.
      - period: 2011-12
        text: The 2011-12 total was shown only in a chart image.
    breakdowns:
      - id: source""", 1)


def figure_notes(page: str) -> list[list[str]]:
    """The notes under each figure of a page, in order."""
    import re

    figures = re.findall(r'<figure class="jsna-figure".*?</figure>', page, re.DOTALL)
    return [re.findall(r'<p class="jsna-figure__note">(.*?)</p>', f, re.DOTALL) for f in figures]


def test_a_note_is_shown_only_under_the_figures_it_concerns(tmp_path):
    project = write_project(tmp_path / "project", {"indicators.yaml": NOTES})
    out = tmp_path / "site"
    assert main(["build", "--project", str(project), "--out", str(out), "-q", "--no-pdf"]) == 0
    notes = figure_notes((out / "children-in-need" / "index.html").read_text(encoding="utf-8"))
    whole, source, period = "Counted as contacts received in the year.", "Only three sources are named.", "The 2011-12 total was shown only in a chart image."
    # Figure 1: the contacts over 2011-12 to 2013-14; figure 3: contacts by source in 2013-14.
    assert whole in notes[0] and period in notes[0] and source not in notes[0]
    assert whole in notes[2] and source in notes[2] and period not in notes[2]
    assert not {whole, source, period} & set(notes[1])  # another indicator's figure


def test_a_note_naming_an_unknown_breakdown_is_an_error_at_its_place(tmp_path, capsys):
    text = NOTES.replace("      - breakdown: source\n", "      - breakdown: sorce\n")
    project = write_project(tmp_path / "project", {"indicators.yaml": text})
    assert main(["check", "--project", str(project)]) == 1
    line = text.splitlines().index("      - breakdown: sorce") + 1
    err = capsys.readouterr().err
    assert f"indicators.yaml:{line}:20: expected a breakdown of indicator 'contacts' (source), found 'sorce'" in err


def test_a_series_continued_under_a_new_code_is_marked_on_the_chart_and_said_under_it(tmp_path):
    import csv

    from jsna.compute.views import compute_site
    from jsna.load.site import load_site
    from test_data import B1, SHARED, data_project, indicator

    item = indicator("cin", "count", f"file: {B1}\nvalue: At31_episodes\nperiods: 31 March\npredecessor: E10000002")
    root = data_project(tmp_path, item, "area_code: E06000060\n")
    (root / "chapters" / "children-in-need.md").write_text(
        "---\ntitle: C\nsummary: S\ntheme: T\nlast_updated: 2025-01-01\n---\n```figure\nindicator: cin\ntype: line\n```\n")
    with open(SHARED / B1, encoding="utf-8-sig", newline="") as f:
        first = min(int(r["time_period"]) for r in csv.DictReader(f) if r["new_la_code"] == "E06000060")
    figure = compute_site(load_site(root))[0].figures[0]
    at = figure.chart.categories.index(f"31 March {first}")
    assert at > 0 and figure.chart.breaks == ((at - 0.5, "New code"),)
    assert any(f"from 31 March {first} the series goes on under a new code" in n for n in figure.notes)
    assert "new code" in figure.alt
    with charts.laid_out(figure.chart) as drawn:
        axes = drawn.axes[0]
        dashed = [line for line in axes.lines if line.get_transform() is not axes.transData]
        assert [line.get_xdata()[0] for line in dashed] == [at - 0.5]
        assert "New code" in [t.get_text() for t in axes.texts]


def test_a_chart_drawn_after_others_reuses_their_text_measures_and_draws_the_same_bytes():
    """A worker's charts share one measuring renderer, so text measured for one chart is not
    measured again for the next; what a chart looks like must not depend on what was drawn
    before it in the same worker (its bytes are compared with a fresh process's)."""
    import hashlib

    from matplotlib.backends.backend_agg import RendererAgg

    specs = example_charts()
    chosen = next(i for i, s in enumerate(specs) if s.chart_type == "line")
    for other in specs[:6]:
        charts.draw(other, pdf=True)
        charts.draw(other, small=True)
    measured = RendererAgg.get_text_width_height_descent
    calls = []
    RendererAgg.get_text_width_height_descent = lambda self, *a, **k: calls.append(a[0]) or measured(self, *a, **k)
    try:
        charts.draw(specs[chosen])
        first = len(calls)
        after = charts.draw(specs[chosen])[0]
    finally:
        RendererAgg.get_text_width_height_descent = measured
    assert first > 0 and len(calls) - first <= 2  # only the point labels' own widths, measured directly
    assert [hashlib.sha256(after).hexdigest()] == drawn_alone(chosen)


BLANKED = ("line", "bar", "grouped-bar", "stacked-bar", "horizontal-bar", "compare-areas", "funnel")


def test_charts_drawn_on_copies_of_a_kept_blank_figure_are_those_drawn_on_new_figures(monkeypatch):
    """Each chart's Figure, Axes and ticks are a copy of a blank kept for the process, not made
    afresh: drawn again, a chart makes no tick of its own, and every kind drawn so (the first
    example chart of each, and every compare-areas chart: few areas and 153) has the bytes it
    has on a Figure made new."""
    import matplotlib.axis

    from jsna.draw import areas, funnel

    specs = [s for s in example_charts() if s.chart_type in BLANKED]
    chosen = [s for i, s in enumerate(specs) if s.chart_type == "compare-areas"
              or s.chart_type not in {t.chart_type for t in specs[:i]}]
    assert {s.chart_type for s in chosen} == set(BLANKED)
    copied = [charts.draw(s, pdf=True) + charts.draw(s, small=True) for s in chosen]
    line = next(s for s in chosen if s.chart_type == "line")
    made = []
    monkeypatch.setattr(matplotlib.axis.Tick, "__init__", functools.partialmethod(
        lambda self, own, *a, **k: made.append(1) or own(self, *a, **k), matplotlib.axis.Tick.__init__))
    charts.draw(line)
    assert made == []
    monkeypatch.undo()

    def new_figure(Figure, size, height, ticks=None):
        figure = Figure(figsize=(size.width, height))
        return figure, figure.add_subplot()

    for module in (charts, areas, funnel):
        monkeypatch.setattr(module, "_blank", new_figure)
    assert [charts.draw(s, pdf=True) + charts.draw(s, small=True) for s in chosen] == copied


def test_a_blank_figures_copies_file_their_transforms_under_ids_no_new_transform_can_take():
    """matplotlib files each transform under its parents' ids, and a pickled copy keeps the
    original's. The blank a chart's figure is copied from is kept alive, so no transform made
    later can take one of those ids and stand in for a parent (when it was not, one example
    chart came out otherwise under PYTHONHASHSEED=4)."""
    import gc

    from matplotlib.transforms import TransformNode

    spec = next(s for s in example_charts() if s.chart_type == "bar")
    charts.draw(spec)
    with charts.laid_out(spec) as figure:
        gc.collect()
        transforms = [o for o in gc.get_objects() if isinstance(o, TransformNode)]
        alive = {id(o) for o in transforms}
        copied = [(key, parent()) for t in transforms for key, parent in t._parents.items()]
        assert figure.axes and copied
        assert all(key == id(parent) or key in alive for key, parent in copied)


def test_a_line_charts_markers_are_one_artist_for_each_series_and_look():
    """Each marker drawn as an artist of its own cost a line chart about a sixth of its drawing
    time; published and derived points (filled and open) are one artist each per series."""
    years = tuple(f"20{n:02d}-{n + 1:02d}" for n in range(10, 20))
    series = tuple(
        ChartSeries(name=f"Area {n}", values=tuple(100.0 + n + y for y in range(10)),
                    derived=tuple(y == 9 for y in range(10)), emphasis=n == 0)
        for n in range(3)
    )
    with charts.laid_out(spec("line", series, years)) as figure:
        marked = [line for line in figure.axes[0].lines if line.get_marker() not in (None, "None", "")]
        assert len(marked) == 6
        assert sorted(len(line.get_xdata()) for line in marked) == [1, 1, 1, 9, 9, 9]
        assert {line.get_markerfacecolor() for line in marked if len(line.get_xdata()) == 1} == {"white"}


@pytest.mark.parametrize("count, turned", [(13, True), (4, False)])
def test_labels_crowded_whatever_the_width_are_turned_before_the_one_measuring_pass(count, turned):
    """A phone's chart of thirteen years has its labels turned before it is measured, so it is
    measured once, not twice; four years fit level on the axes as placed, and stay level (they
    would be crowded on the axes of the first guess)."""
    from matplotlib.axes import Axes

    years = tuple(f"{2012 + n}-{13 + n}" for n in range(count))
    series = (ChartSeries(name="Area", values=tuple(100.0 + n for n in range(count)), derived=(False,) * count,
                          emphasis=True),)
    measure, passes = Axes.get_tightbbox, []
    Axes.get_tightbbox = lambda self, *a, **k: passes.append(1) or measure(self, *a, **k)
    try:
        with charts.laid_out(spec("bar", series, years), small=True) as figure:
            rotations = {label.get_rotation() for label in figure.axes[0].get_xticklabels()}
    finally:
        Axes.get_tightbbox = measure
    assert rotations == ({45.0} if turned else {0.0})
    assert len(passes) == 1


def test_a_charts_saved_files_measure_its_text_once_and_a_plain_figure_as_matplotlib_does(monkeypatch):
    """matplotlib measures text afresh for each file it saves; jsna's charts remember the SVG and
    PDF savers' measures, so a chart saved again measures nothing for its SVG, and its bytes
    (SVG and PDF) equal a fresh process's. A figure outside jsna's house style is measured as
    usual."""
    import hashlib
    import io

    from matplotlib.figure import Figure
    from matplotlib.textpath import TextToPath

    measured, calls = TextToPath.get_text_width_height_descent, []
    monkeypatch.setattr(TextToPath, "get_text_width_height_descent", lambda self, *a: calls.append(a[0]) or measured(self, *a))
    specs = example_charts()
    chosen = next(i for i, s in enumerate(specs) if s.chart_type == "grouped-bar")
    for other in specs[:4]:
        charts.draw(other, pdf=True)
    first = charts.draw(specs[chosen], pdf=True)
    before = len(calls)
    assert charts.draw(specs[chosen], pdf=True) == first and len(calls) == before

    plain = Figure()
    plain.add_subplot().set_title("Not a jsna chart")
    for _ in range(2):
        plain.savefig(io.BytesIO(), format="svg")
    assert calls.count("Not a jsna chart") == 2

    assert [hashlib.sha256(b).hexdigest() for b in first] == drawn_alone(chosen, pdf=True)


def drawn_again_counting(counting: str, saver: str) -> list[str]:
    """In a fresh process, with `counting` setting up `calls` (a list of the texts counted):
    whether the example's grouped-bar chart, drawn as SVG and PDF, counted any; how many it
    counted when drawn again; how many a plain figure titled 'Not a jsna chart' counted, saved
    twice as `saver`; whether the two drawings are the same; the second's SHA-256 digests."""
    return in_fresh_process(
        "import hashlib, io; from matplotlib.figure import Figure; " + counting +
        " spec = next(s for s in example_charts() if s.chart_type == 'grouped-bar');"
        " first = charts.draw(spec, pdf=True); before = len(calls); again = charts.draw(spec, pdf=True);"
        " counted = len(calls) - before; plain = Figure(); plain.add_subplot().set_title('Not a jsna chart');"
        f" [plain.savefig(io.BytesIO(), format='{saver}') for _ in range(2)];"
        " print(before > 0, counted, calls.count('Not a jsna chart'), first == again,"
        " *(hashlib.sha256(b).hexdigest() for b in again))").split()


def test_a_charts_text_is_laid_out_once_in_a_worker_and_a_plain_figure_as_matplotlib_does():
    """matplotlib lays each text out afresh whenever it is measured or drawn; inside jsna's house
    style a text's layout is remembered, so a chart drawn again (SVG and PDF) lays nothing out,
    and its bytes equal a fresh process's. A figure outside the house style is laid out as
    usual. Counted in a fresh process, under jsna's memory, so that it counts matplotlib's own."""
    printed = drawn_again_counting(
        "from matplotlib.text import Text; own, calls = Text._get_layout, [];"
        " Text._get_layout = lambda self, renderer: calls.append(self.get_text()) or own(self, renderer);", "svg")
    spec = next(i for i, s in enumerate(example_charts()) if s.chart_type == "grouped-bar")
    assert printed[:2] == ["True", "0"] and int(printed[2]) >= 2 and printed[3] == "True"
    assert printed[4:] == drawn_alone(spec, pdf=True)


def test_a_charts_pdf_places_each_text_once_in_a_worker_and_a_plain_figure_as_matplotlib_does():
    """The PDF saver shapes each text's glyphs afresh to place them; inside jsna's house style
    the shaping is remembered by string, font and size, so a chart saved again as PDF shapes
    nothing, and its bytes equal a fresh process's. A figure outside the house style is shaped
    at every save, as usual. Counted in a fresh process, under jsna's memory."""
    printed = drawn_again_counting(
        "from matplotlib import _text_helpers; own, calls = _text_helpers.layout, [];"
        " _text_helpers.layout = lambda string, font, **kw: calls.append(string) or own(string, font, **kw);", "pdf")
    spec = next(i for i, s in enumerate(example_charts()) if s.chart_type == "grouped-bar")
    assert printed[:4] == ["True", "0", "2", "True"]
    assert printed[4:] == drawn_alone(spec, pdf=True)


def test_a_worker_forked_after_charts_were_drawn_draws_the_same_pdf():
    """matplotlib drops its fonts in a forked process; what the PDF saver remembered of a text's
    glyphs must not point at them (it did, and the forked worker crashed). A chart drawn, then
    drawn again in a forked child, gives the same bytes (the child's exit status says)."""
    printed = in_fresh_process(
        "import os; spec = next(s for s in example_charts() if s.chart_type == 'grouped-bar');"
        " first = charts.draw(spec, pdf=True); child = os.fork();"
        " child or os._exit(0 if charts.draw(spec, pdf=True) == first else 3);"
        " print(os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]))")
    assert printed.split() == ["0"]


@pytest.mark.parametrize("chart_type", ["line", "bar", "grouped-bar"])
def test_value_labels_skip_the_inside_the_axes_check_and_draw_the_same(chart_type, monkeypatch):
    """Every value label's point lies inside the axes (values are 0 or more, the value axis starts
    at 0), so matplotlib's check of it, at every measure and draw, is skipped; the chart is the
    same as with the check, a value of 0 on the axes' very edge included."""
    from matplotlib.axes import Axes

    series = tuple(ChartSeries(name=f"Area {n}", values=(0.0, 3.0, 7.5), derived=(False,) * 3, emphasis=n == 0)
                   for n in range(1 if chart_type == "line" else 2))
    chart = spec(chart_type, series, ("2013-14", "2014-15", "2015-16"))
    checked, check = [], Axes.contains_point
    monkeypatch.setattr(Axes, "contains_point", lambda self, point: checked.append(point) or check(self, point))
    drawn = charts.draw(chart, pdf=True) + charts.draw(chart, small=True)
    assert checked == []
    monkeypatch.setattr(charts, "INSIDE", {})
    assert charts.draw(chart, pdf=True) + charts.draw(chart, small=True) == drawn and checked


def test_a_chart_drawn_without_its_pdf_never_imports_the_pdf_backend():
    """A build without PDFs draws SVG only: matplotlib's PDF backend (and fontTools' subsetter,
    which it imports) is left unimported in the worker until a PDF is drawn."""
    printed = in_fresh_process(
        "spec = example_charts()[0]; charts.draw(spec); charts.draw(spec, small=True);"
        " before = 'matplotlib.backends.backend_pdf' in sys.modules; charts.draw(spec, pdf=True);"
        " print(before, 'matplotlib.backends.backend_pdf' in sys.modules)")
    assert printed.split() == ["False", "True"]


def test_a_dollar_sign_in_a_label_is_text_not_mathematics():
    """matplotlib reads text between two dollar signs as mathtext: a category "Under $5 or $10"
    would lose its dollar signs and be set in italics. jsna's charts turn that off."""
    series = tuple(ChartSeries(name=name, values=(1.0, 2.0), derived=(False, False), emphasis=n == 0)
                   for n, name in enumerate(("Spend $1 to $2", "Spend $3")))
    svg = charts.draw_svg(spec("grouped-bar", series, ("Under $5 or $10", "Over $10"))).decode("utf-8")
    assert ">Under $5 or $10</text>" in svg and ">Spend $1 to $2</text>" in svg  # one text each, not glyph by glyph
