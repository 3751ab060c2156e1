"""Draw a compare-areas chart (compute/areas.py's AreasSpec): a bar per area, sorted by value,
each with its 95% confidence interval as a whisker and filled by its comparison with England,
England's value as a dashed line, the local area in bold with a marker.

Colour is never the only signal. A group of up to `FEW` areas is drawn as horizontal bars, each
named, with its value and its comparison written at its end. More areas (all 153 English
authorities) are drawn as columns with only the local area, the highest and the lowest named on
the chart, and a strip under them with a row per comparison ("worse", "similar", ...) holding a
tick for each column: which row a column's tick is in tells its comparison in black and white.
The table under the chart lists every area.
"""

from __future__ import annotations

import math
import textwrap

from jsna.compute.areas import COMPARISONS, AreasSpec
from jsna.draw.charts import (GRID, PAD, SMALL, TEXT, VALUE_TICKS, Size, _blank, _fit, _fmt, _fmt_tick, _wrap_title, bar_set,
                              measuring)

# Fill per comparison, each at least 3:1 against white (tests/test_areas.py checks it).
COLOURS = {
    "better": "#00703C",
    "worse": "#D4351C",
    "higher": "#12436D",
    "lower": "#28A197",
    "similar": "#B07C00",
    "not compared": "#6F777B",
}
LEGEND = {
    "better": "Better than England",
    "worse": "Worse than England",
    "higher": "Higher than England",
    "lower": "Lower than England",
    "similar": "Similar to England",
    "not compared": "Not compared",
}
LOCAL_MARK = "#0b0c0c"
FEW = 40  # the most areas drawn as named horizontal bars


def plot(Figure, spec: AreasSpec, size: Size):
    """The chart on a new Figure, laid out to fit (see draw/charts.py:`plotter`)."""
    few = len(spec.bars) <= FEW
    axes_height = max(1.2, _pitch(spec, size) * len(spec.bars) + 0.3) if few else size.axes_height + 0.6
    figure, axes = _blank(Figure, size, axes_height + 1.5, (VALUE_TICKS, len(spec.bars)) if few else (0, VALUE_TICKS))
    (_horizontal if few else _columns)(axes, spec, size)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_axisbelow(True)
    legend = _legend(figure, spec, size)
    _fit(figure, axes, legend, spec, size, axes_height)
    return figure


def _present(spec: AreasSpec) -> list[str]:
    return [c for c in COMPARISONS if any(b.comparison == c for b in spec.bars)]


def _horizontal(axes, spec: AreasSpec, size: Size) -> None:
    """Named bars, the highest at the top, each with its value and comparison written after it."""
    bars = spec.bars
    y = list(range(len(bars)))
    shown = [(yi, bar) for yi, bar in zip(y, bars) if bar.value is not None]
    reach = max([b.upper or b.value for _, b in shown] + [spec.england or 0.0], default=1.0) or 1.0
    bar_set(axes, [yi for yi, _ in shown], [b.value for _, b in shown], 0.7, horizontal=True,
            facecolors=[COLOURS[b.comparison] for _, b in shown],
            edgecolors=[LOCAL_MARK if b.local else "none" for _, b in shown], linewidths=[2 if b.local else 0 for _, b in shown])
    whiskers = [(yi, b) for yi, b in shown if b.lower is not None]
    if whiskers:
        axes.hlines([yi for yi, _ in whiskers], [b.lower for _, b in whiskers], [b.upper for _, b in whiskers],
                    color=TEXT, linewidth=1.2, zorder=5)
        axes.plot([e for _, b in whiskers for e in (b.lower, b.upper)], [yi for yi, _ in whiskers for _ in (0, 1)],
                  linestyle="none", marker="|", markersize=7, markeredgewidth=1.2, color=TEXT, zorder=5)
    for yi, bar in zip(y, bars):
        if bar.value is None:
            axes.text(0, yi, f"  {_gap(bar.marker)}", va="center", ha="left", fontsize=size.label_font, style="italic")
            continue
        axes.annotate(f"{_fmt(spec, bar.value)} {bar.comparison}", (max(bar.value, bar.upper or 0.0), yi),
                      xytext=(4, 0), textcoords="offset points", va="center", ha="left", fontsize=size.label_font,
                      fontweight="bold" if bar.local else "normal", zorder=6, bbox=_BACKING)
    axes.set_yticks(y, [_name(bar, size) for bar in bars])
    for label, bar in zip(axes.get_yticklabels(), bars):
        if bar.local:
            label.set_fontweight("bold")
    axes.tick_params(axis="y", length=0)
    axes.set_ylim(-0.6, len(bars) - 0.4 + (0.6 if spec.england is not None else 0))
    axes.set_xlim(0, reach * (1.6 if size is SMALL else 1.4))
    axes.grid(axis="x", color=GRID, linewidth=0.8, zorder=0)
    axes.xaxis.set_major_formatter(lambda v, _pos: _fmt_tick(spec, v))
    if size is SMALL:
        from matplotlib.ticker import MaxNLocator

        axes.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    if spec.england is not None:
        axes.axvline(spec.england, color=TEXT, linestyle=(0, (4, 2)), linewidth=1.5, zorder=4)
        axes.annotate(f"England {_fmt(spec, spec.england)}", (spec.england, len(bars) - 0.4), xytext=(3, 0),
                      textcoords="offset points", ha="left", va="bottom", fontsize=size.label_font, zorder=6)
    axes.set_xlabel(_wrap_title(spec.value_axis, size.width * 0.6, size.font))


def _name(bar, size: Size) -> str:
    """A bar's area name, wrapped to the rendition's width between words (a word longer than a
    line keeps its line)."""
    return textwrap.fill(f"\u25b6 {bar.name}" if bar.local else bar.name, size.wrap, break_long_words=False)


def _pitch(spec: AreasSpec, size: Size) -> float:
    """Inches from one named bar to the next: room for the longest wrapped name, so that no two
    names run into each other."""
    lines = max((_name(bar, size).count("\n") + 1 for bar in spec.bars), default=1)
    return max(size.bar_height * 0.7, lines * size.font * 1.3 / 72)


def _columns(axes, spec: AreasSpec, size: Size) -> None:
    """Columns lowest to highest, the local area, the highest and lowest named, and a strip of
    the comparisons under them."""
    bars = spec.bars
    x = list(range(len(bars)))
    shown = [(xi, b) for xi, b in zip(x, bars) if b.value is not None]
    bar_set(axes, [xi for xi, _ in shown], [b.value for _, b in shown], 0.8,
            facecolors=[COLOURS[b.comparison] for _, b in shown])
    whiskers = [(xi, b) for xi, b in shown if b.lower is not None]
    axes.vlines([xi for xi, _ in whiskers], [b.lower for _, b in whiskers], [b.upper for _, b in whiskers],
                color=TEXT, linewidth=0.4 if size is SMALL else 0.6, zorder=4)
    top = max([b.upper or b.value for _, b in shown] + [spec.england or 0.0], default=1.0) or 1.0
    rows = _present(spec)
    strip = top * 0.09  # the height of each comparison's row, under zero
    for row, comparison in enumerate(rows):
        level = -strip * (row + 0.5)
        ticks = [xi for xi, b in zip(x, bars) if b.comparison == comparison]
        axes.vlines(ticks, level - strip * 0.35, level + strip * 0.35, color=COLOURS[comparison], linewidth=1.6, zorder=3)
        axes.text(len(bars) + 0.5, level, comparison, ha="left", va="center", fontsize=size.label_font)
    axes.axhline(0, color=TEXT, linewidth=0.8, zorder=4)
    if spec.england is not None:
        axes.axhline(spec.england, color=TEXT, linestyle=(0, (4, 2)), linewidth=1.5, zorder=4)
        axes.annotate(f"England\n{_fmt(spec, spec.england)}", (1, spec.england), xycoords=("axes fraction", "data"),
                      xytext=(4, 0), textcoords="offset points", ha="left", va="center", fontsize=size.label_font)
    _name_columns(axes, spec, size, shown, top)
    axes.set_xticks([])
    axes.spines["bottom"].set_visible(False)
    axes.set_xlim(-1, len(bars))
    axes.set_ylim(-strip * len(rows), top * 1.35)
    axes.set_yticks([t for t in axes.get_yticks() if 0 <= t <= top * 1.35])
    axes.yaxis.set_major_formatter(lambda v, _pos: _fmt_tick(spec, v))
    axes.grid(axis="y", color=GRID, linewidth=0.8, zorder=0)
    axes.set_ylabel(_wrap_title(spec.value_axis, size.axes_height, size.font))
    axes.set_xlabel(_wrap_title(f"{len(bars)} areas, lowest to highest; below, how each compares with England",
                                size.width * 0.75, size.font))


def _name_columns(axes, spec: AreasSpec, size: Size, shown, top: float) -> None:
    """Name the lowest and the highest area over the columns their names span, and the local
    area (bold, outlined, with an arrow) at the top left."""
    if not shown:
        return
    local = next((xi for xi, b in shown if b.local), None)
    for xi in sorted({shown[0][0], shown[-1][0]} - {local}):
        bar = spec.bars[xi]
        text = f"{bar.name}\n{_fmt(spec, bar.value)}"
        axes.annotate(text, (xi, _clear(spec, size, xi, max(map(len, text.splitlines())))), xytext=(0, 4),
                      textcoords="offset points", ha="left" if xi == shown[0][0] else "right", va="bottom",
                      fontsize=size.label_font, zorder=6)
    if local is not None:
        bar = spec.bars[local]
        bar_set(axes, [local], [bar.value], 0.8, facecolors=COLOURS[bar.comparison], edgecolors=LOCAL_MARK, linewidths=1.5,
                zorder=4)
        # Named at the top left, over the lowest columns (the room a chart sorted upwards leaves).
        axes.annotate(f"{bar.name} {_fmt(spec, bar.value)}", (local, max(bar.value, bar.upper or 0.0)),
                      xytext=(0, top * 1.22), textcoords="data", ha="left", va="bottom",
                      fontsize=size.label_font, fontweight="bold", zorder=6,
                      arrowprops={"arrowstyle": "-|>", "color": LOCAL_MARK, "linewidth": 1.5, "shrinkA": 2, "shrinkB": 2,
                                 "relpos": (0.15, 0.0)})


def _clear(spec: AreasSpec, size: Size, xi: int, characters: int) -> float:
    """The height over every column (and whisker) a label of so many characters spans,
    running right from column `xi` at the left end, left from it at the right end."""
    inches = characters * size.label_font * 0.6 / 72
    span = math.ceil(inches / ((size.width - 1.6) / len(spec.bars))) + 1
    near = spec.bars[xi : xi + span] if xi == 0 else spec.bars[max(0, xi - span + 1) : xi + 1]
    return max((max(b.value, b.upper or 0.0) for b in near if b.value is not None), default=0.0)


_BACKING = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}


def _gap(marker: str | None) -> str:
    return {"c": "c (suppressed)", "z": "not applicable"}.get(marker, "not available")


def _legend(figure, spec: AreasSpec, size: Size):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=COLOURS[c], label=LEGEND[c]) for c in _present(spec)]
    local = next((b for b in spec.bars if b.local), None)
    if local is not None:
        handles.append(Patch(facecolor="white", edgecolor=LOCAL_MARK, linewidth=2, label=f"{local.name} (outlined, bold)"))
    if spec.england is not None:
        handles.append(Line2D([], [], color=TEXT, linestyle=(0, (4, 2)), linewidth=1.5, label=f"England {_fmt(spec, spec.england)}"))
    if spec.intervals:
        handles.append(Line2D([], [], color=TEXT, marker="|", markersize=11, markeredgewidth=1.2, linestyle="none",
                              label="95% confidence interval" + (", as published" if spec.intervals == "as published" else "")))
    return _fitted_legend(figure, handles, size)


def _fitted_legend(figure, handles, size: Size):
    """The legend under the chart in as many columns as fit its width (one at the least), so
    that none of it is cut off."""
    renderer = measuring(figure.dpi)
    room = figure.get_figwidth() * figure.dpi - 2 * PAD * figure.dpi
    for columns in range(min(size.legend_columns, len(handles)), 0, -1):
        legend = figure.legend(handles=handles, loc="lower center", ncol=columns, frameon=False,
                               fontsize=size.label_font, bbox_to_anchor=(0.5, 0.0))
        if columns == 1 or legend.get_window_extent(renderer).width <= room:
            return legend
        legend.remove()
