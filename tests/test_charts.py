"""Charts as a reader sees them: derived values, legends and labels inside the canvas, charts
with nothing to draw, missing values labelled as their tables label them, series breaks."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

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


def filled_faces(axes, category: int) -> list[tuple]:
    """The face colours of the filled bars drawn at a category, left to right."""
    bars = [p for p in axes.patches if p.get_fill() and round(p.get_x() + p.get_width() / 2) == category]
    return [tuple(p.get_facecolor()) for p in sorted(bars, key=lambda p: p.get_x())]


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
        dashed = [p for p in axes.patches if not p.get_fill() and p.get_linestyle() != "solid"]
        assert dashed and {round(p.get_x() + p.get_width() / 2) for p in dashed} == {0}
        legend = figure.legends[0]
        labels = [t.get_text() for t in legend.get_texts()]
        assert "derived" in labels[-1]
        swatch = [p for p in legend.findobj(Rectangle) if p.get_fill() and p is not legend.legendPatch]
        assert tuple(swatch[-1].get_facecolor()) == derived[0]


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
    for chart in example_charts():
        with charts.laid_out(chart, small) as figure:
            if found := outside(figure):
                clipped[chart.id] = found
    assert not clipped


def test_a_long_legend_wraps_rather_than_run_off_the_chart():
    names = ("Unaccompanied asylum-seeking children in care on 31 March", "Other children in care on 31 March")
    series = tuple(ChartSeries(name=n, values=(18.0, 37.0), derived=(False, True)) for n in names)
    for small in (False, True):
        with charts.laid_out(spec("stacked-bar", series), small) as figure:
            assert not outside(figure)
