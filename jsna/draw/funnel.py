"""Draw a funnel plot (compute/funnel.py's FunnelSpec): every area's value against its
denominator, the 95% and 99.8% control limits and the average, the local area ringed and named.

Colour is never the only signal: an area above the limits is a triangle pointing up, below them
one pointing down, within them a small circle; beyond the 99.8% limit the marker is filled,
between the 95% and 99.8% limits it is hollow. The limits differ by line style (95% dashed,
99.8% dotted), the average is a solid line. The table under the chart lists every area.
"""

from __future__ import annotations

from jsna.compute.funnel import BANDS, FunnelSpec, band_words
from jsna.draw.charts import GRID, SMALL, TEXT, Size, _blank, _fit, _fitted_legend, _fmt, _fmt_tick, _wrap_title
from jsna.numbers import format_number

ABOVE, BELOW, WITHIN = "#12436D", "#801650", "#6F777B"  # each at least 4.5:1 against white
# band -> (marker, colour, filled, size in points)
BAND_LOOK = {
    BANDS[0]: ("^", ABOVE, True, 8),
    BANDS[1]: ("^", ABOVE, False, 8),
    BANDS[2]: ("o", WITHIN, True, 5),
    BANDS[3]: ("v", BELOW, False, 8),
    BANDS[4]: ("v", BELOW, True, 8),
}
LIMIT_LOOK = {0.95: (0, (5, 2)), 0.998: (0, (1, 1.2))}
LIMIT_COLOUR = "#505A5F"


def plot(Figure, spec: FunnelSpec, size: Size):
    """The chart on a new Figure, laid out to fit (see draw/charts.py:`plotter`)."""
    figure, axes = _blank(Figure, size, size.axes_height + 1.5)
    for line in spec.lines:
        xs, ys = zip(*line.points)
        axes.plot(xs, ys, color=LIMIT_COLOUR, linestyle=LIMIT_LOOK[line.confidence], linewidth=1.6, zorder=2)
    axes.axhline(spec.average, color=TEXT, linewidth=1.2, zorder=2)
    for band in BANDS:
        dots = [d for d in spec.dots if d.band == band]
        if dots:
            marker, colour, filled, points = BAND_LOOK[band]
            axes.scatter([d.denominator for d in dots], [d.value for d in dots], marker=marker, s=points**2,
                         facecolors=colour if filled else "white", edgecolors=colour, linewidths=1.3 if filled else 1.7, zorder=3)
    _ring_local(axes, spec, size)
    _scale(axes, spec, size)
    legend = _legend(figure, spec, size)
    _fit(figure, axes, legend, spec, size, size.axes_height)
    return figure


def _scale(axes, spec: FunnelSpec, size: Size) -> None:
    """Axes over the areas (not the limits' far reaches), numbers read as the tables read them."""
    from matplotlib.ticker import MaxNLocator

    values = [d.value for d in spec.dots] + [spec.average]
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    top = high + pad if spec.measure != "percentage" else min(100.0, high + pad)
    axes.set_ylim(max(0.0, low - pad), top)
    start, stop = spec.size_range
    axes.set_xlim(start, stop)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="both", color=GRID, linewidth=0.8, zorder=0)
    axes.set_axisbelow(True)
    axes.yaxis.set_major_formatter(lambda v, _pos: _fmt_tick(spec, v))
    axes.xaxis.set_major_formatter(lambda v, _pos: format_number(v))
    axes.xaxis.set_major_locator(MaxNLocator(nbins=3 if size is SMALL else 6, steps=[1, 2, 2.5, 5, 10]))
    axes.set_ylabel(_wrap_title(spec.value_axis, size.axes_height, size.font))
    axes.set_xlabel(_wrap_title(spec.size_axis, size.width * 0.8, size.font))


def _ring_local(axes, spec: FunnelSpec, size: Size) -> None:
    """Ring the local area's dot and write its name and value by it, in bold."""
    local = next((d for d in spec.dots if d.local), None)
    if local is None:
        return
    axes.scatter([local.denominator], [local.value], marker="o", s=18**2, facecolors="none",
                 edgecolors=TEXT, linewidths=2, zorder=4)
    start, stop = spec.size_range
    right = (local.denominator - start) > (stop - start) * 0.55
    axes.annotate(
        f"{local.name}\n{_fmt(spec, local.value)}", (local.denominator, local.value),
        xytext=(-14 if right else 14, 14), textcoords="offset points", ha="right" if right else "left",
        va="bottom", fontsize=size.label_font, fontweight="bold", color=TEXT, zorder=5,
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        arrowprops={"arrowstyle": "-", "color": TEXT, "linewidth": 1},
    )


def _legend(figure, spec: FunnelSpec, size: Size):
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=TEXT, linewidth=1.2, label=f"Average {_fmt(spec, spec.average)}")]
    for confidence, words in ((0.95, "95% limits"), (0.998, "99.8% limits")):
        handles.append(Line2D([], [], color=LIMIT_COLOUR, linestyle=LIMIT_LOOK[confidence], linewidth=1.6, label=words))
    for band in BANDS:
        if any(d.band == band for d in spec.dots):
            marker, colour, filled, points = BAND_LOOK[band]
            handles.append(Line2D([], [], linestyle="none", marker=marker, markersize=points, markeredgewidth=1.3 if filled else 1.7,
                                  markerfacecolor=colour if filled else "white", markeredgecolor=colour,
                                  label=band_words(band).capitalize()))
    local = next((d for d in spec.dots if d.local), None)
    if local is not None:
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=12, markerfacecolor="none",
                              markeredgecolor=TEXT, markeredgewidth=2, label=f"{local.name} (this area)"))
    return _fitted_legend(figure, handles, [h.get_label() for h in handles], size)
