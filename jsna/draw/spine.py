"""Draw a spine chart (compute/spine.py's SpineSpec): a row per indicator, its title and values
written above a bar that spans every English authority, England's value at the centre line, the
local value a marker shaped and coloured by its comparison with England.

The chart is laid out in inches (one axes, its y axis in inches from the top), so that the same
code draws the wide chart and the phone's: the titles wrap to the width. The bars' darker ends
run from the worst (or lowest) value to the 25th percentile and from the 75th to the best (or
highest), the lighter middle the 25th to 75th percentile, the whole outlined. The marker's shape
tells the comparison without colour: a triangle pointing right (better, or higher), left (worse,
or lower), a circle (similar), a diamond (not compared).
"""

from __future__ import annotations

import textwrap

from jsna.compute.spine import SpineRow, SpineSpec
from jsna.draw.areas import COLOURS  # as compare-areas fills its bars: each at least 3:1 against white
from jsna.draw.charts import TEXT, Size, _fit, _fitted_legend

SHAPES = {"better": ">", "higher": ">", "worse": "<", "lower": "<", "similar": "o", "not compared": "D"}
OUTER, MIDDLE, EDGE = "#6F777B", "#D5D8DA", "#505A5F"  # outer and middle 3.2:1 apart, outer 4.6:1 on white
BAR = 0.26  # inches: a bar's height
GAP = 0.22  # inches between rows


def plot(Figure, spec: SpineSpec, size: Size):
    """The chart on a new Figure, laid out to fit (see draw/charts.py:`plotter`)."""
    line = size.font * 1.3 / 72
    small_line = size.label_font * 1.3 / 72
    per_line = int(size.width * 0.95 * 72 / (size.font * 0.58))
    figure = Figure(figsize=(size.width, 4))
    axes = figure.add_subplot()
    y = small_line * 1.6
    worse, better = _direction(spec)
    apart = size.label_font * 2.6 + 4  # points from the centre: clear of "England" in bold
    # Words only: an arrow's glyph comes out as another in the PDF's Type 3 font.
    for shift, words, align in ((-apart, worse, "right"), (0, "England", "center"), (apart, better, "left")):
        axes.annotate(words, (0.5, y - small_line * 0.4), xytext=(shift, 0), textcoords="offset points", ha=align,
                      va="bottom", fontsize=size.label_font, color=TEXT, fontweight="bold" if not shift else "normal")
    for row in spec.rows:
        y = _row(axes, row, spec.area, y, size, line, small_line, per_line)
    height = y - GAP + small_line * 0.2
    axes.set_xlim(0, 1)
    axes.set_ylim(height, 0)
    axes.set_axis_off()
    legend = _legend(figure, spec, size)
    _fit(figure, axes, legend, spec, size, height)
    return figure


def _direction(spec: SpineSpec) -> tuple[str, str]:
    """What lies to the left and to the right of England: worse and better, lower and higher."""
    judged = {row.polarity != "no-judgement" for row in spec.rows if row.spine is not None}
    return {frozenset({True}): ("Worse", "Better"), frozenset({False}): ("Lower", "Higher")}.get(
        frozenset(judged), ("Worse (or lower)", "Better (or higher)"))


def _row(axes, row: SpineRow, area: str, y: float, size: Size, line: float, small_line: float, per_line: int) -> float:
    """Draw one row from `y` (inches from the top) down; return where the next begins."""
    title = textwrap.wrap(f"{row.title}, {row.period}", per_line)
    axes.text(0, y, "\n".join(title), ha="left", va="top", fontsize=size.font, fontweight="bold", color=TEXT, linespacing=1.15)
    y += line * len(title)
    words = f"{area} {row.local}; England {row.england}; {_verdict(row.comparison)}"
    detail = textwrap.wrap(words, int(per_line * size.font / size.label_font))
    axes.text(0, y, "\n".join(detail), ha="left", va="top", fontsize=size.label_font, color=TEXT, linespacing=1.15)
    y += small_line * len(detail) + 0.06
    if row.spine is None:
        reason = textwrap.wrap(row.reason or "", int(per_line * size.font / size.label_font))
        axes.text(0, y, "\n".join(reason), ha="left", va="top", fontsize=size.label_font, style="italic", color=TEXT)
        return y + small_line * len(reason) + GAP
    _bar(axes, row, y)
    y += BAR + 0.04
    left, right = row.spine.positions[0], row.spine.positions[3]
    axes.text(left, y, row.ends[0], ha="left", va="top", fontsize=size.label_font, color=TEXT)
    # The ends' labels share a line where they fit side by side under the bar, else the right one goes under.
    wanted = (len(row.ends[0]) + len(row.ends[1]) + 2) * 0.6 * size.label_font / 72
    lines = 1 if wanted <= (right - left) * (size.width - 0.3) else 2
    axes.text(right, y + small_line * (lines - 1), row.ends[1], ha="right", va="top", fontsize=size.label_font, color=TEXT)
    return y + small_line * lines + GAP


def _bar(axes, row: SpineRow, top: float) -> None:
    from matplotlib.patches import Rectangle

    worst, lower, upper, best = row.spine.positions
    for start, end, colour in ((worst, lower, OUTER), (lower, upper, MIDDLE), (upper, best, OUTER)):
        axes.add_patch(Rectangle((start, top), end - start, BAR, facecolor=colour, edgecolor="none", zorder=2))
    axes.add_patch(Rectangle((worst, top), best - worst, BAR, facecolor="none", edgecolor=EDGE, linewidth=0.8, zorder=3))
    axes.plot([0.5, 0.5], [top - 0.06, top + BAR + 0.06], color=TEXT, linewidth=2.2, zorder=4)
    if row.spine.local_position is not None:
        axes.plot([row.spine.local_position], [top + BAR / 2], marker=SHAPES[row.comparison], markersize=11,
                  markerfacecolor=COLOURS[row.comparison], markeredgecolor=TEXT, markeredgewidth=1.2,
                  linestyle="none", zorder=5)


def _verdict(comparison: str) -> str:
    return {"similar": "similar to England", "not compared": "not compared with England"}.get(
        comparison, f"{comparison} than England")


def _legend(figure, spec: SpineSpec, size: Size):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=OUTER, edgecolor=EDGE, linewidth=0.8, label="Range of English authorities"),
        Patch(facecolor=MIDDLE, edgecolor=EDGE, linewidth=0.8, label="25th to 75th percentile"),
        Line2D([], [], color=TEXT, linewidth=2.2, label="England"),
    ]
    for comparison in SHAPES:
        if any(r.comparison == comparison and r.spine is not None for r in spec.rows):
            handles.append(Line2D([], [], linestyle="none", marker=SHAPES[comparison], markersize=10,
                                  markerfacecolor=COLOURS[comparison], markeredgecolor=TEXT,
                                  label=f"{spec.area}: {_verdict(comparison)}"))
    return _fitted_legend(figure, handles, [h.get_label() for h in handles], size)
