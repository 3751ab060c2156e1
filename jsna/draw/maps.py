"""Draw a map (compute/maps.py's MapSpec) from the shapes jsna/load/geography.py simplified for
it: each area filled by its comparison with England or by its fifth of the areas' values, the
region borders over them, the local area outlined and named, the legend, and the attribution
the boundaries' licence requires, all inside the canvas.

The fills are samples of matplotlib's cividis, made to be read by people with any colour vision
and in greyscale: their lightness alone orders them (the worse or higher, the darker). An area
with no value is never coloured as one: it is white, hatched, with its own legend entry.
"""

from __future__ import annotations

import re
import textwrap

from jsna.compute.maps import MapSpec
from jsna.draw.charts import PAD, SMALL, TEXT, Size, _wrap_title, measuring

FILLS = {
    "better": "#EAD34C", "lower": "#EAD34C", "similar": "#7D7C78", "worse": "#243C6E", "higher": "#243C6E",
    "q1": "#F3DB42", "q2": "#B4A76F", "q3": "#7D7C78", "q4": "#4A536C", "q5": "#002B62",
}
# Areas without a fill, each told apart by its own hatching.
HATCHES = {"not compared": "...", "no value": "////", "not in the data": "\\\\\\\\"}
EDGE = "#FFFFFF"
HATCH_EDGE = "#6F777B"
# The wide map's box, in inches: its shapes are simplified to this size (geography.TOLERANCE).
BOX = (4.3, 5.2)
SMALL_BOX = (3.8, 4.4)


def shape_args(spec: MapSpec) -> tuple:
    """What jsna/load/geography.py:`shapes` makes a map's shapes from, after the project's
    folder: its boundary file, areas, regions and the box it is simplified for."""
    return spec.boundaries, tuple(area.code for area in spec.areas), spec.regions, BOX


def shapes_for(root, spec: MapSpec):
    """A map's shapes made as a build makes them, for drawing one outside a build (tests, bench)."""
    from jsna.load.geography import shapes

    return shapes(root, *shape_args(spec))


def plot(Figure, spec: MapSpec, size: Size, shapes):
    """The map on a new Figure, the legend beside it (wide) or under it (small), then the
    attribution under everything; the canvas is as tall as they need."""
    small = size is SMALL
    box = SMALL_BOX if small else BOX
    x0, y0, x1, y1 = shapes.extent
    scale = min(box[0] / (x1 - x0), box[1] / (y1 - y0))
    map_w, map_h = (x1 - x0) * scale, (y1 - y0) * scale
    figure = Figure(figsize=(size.width, map_h + 2))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(x0, x1)
    axes.set_ylim(y0, y1)
    axes.set_aspect("equal")
    _areas(axes, spec, shapes)
    label = _local(axes, spec, shapes, size)
    legend = _legend(figure, spec, size)
    attribution = figure.text(0, 0, _wrap_title(spec.attribution, size.width - 2 * PAD, size.label_font),
                              fontsize=size.label_font, color=TEXT, va="bottom", ha="left")
    _place(figure, axes, legend, attribution, label, (map_w, map_h), size)
    return figure


def _paths(rings_by_code, codes):
    from matplotlib.path import Path

    paths = []
    for code in codes:
        vertices, kinds = [], []
        for ring in rings_by_code[code]:
            vertices.extend(ring)
            kinds.extend([Path.MOVETO] + [Path.LINETO] * (len(ring) - 2) + [Path.CLOSEPOLY])
        paths.append(Path(vertices, kinds))
    return paths


def _areas(axes, spec: MapSpec, shapes) -> None:
    """The areas, filled or hatched, then the region borders over them."""
    from matplotlib.collections import PathCollection

    rings = dict(shapes.areas)
    drawn = [a for a in spec.areas if a.code in rings]
    filled = [a for a in drawn if a.fill in FILLS]
    axes.add_collection(PathCollection(
        _paths(rings, [a.code for a in filled]), facecolors=[FILLS[a.fill] for a in filled],
        edgecolors=EDGE, linewidths=0.35, zorder=2))
    for fill, hatch in HATCHES.items():
        codes = [a.code for a in drawn if a.fill == fill]
        if codes:
            axes.add_collection(PathCollection(
                _paths(rings, codes), facecolors="white", edgecolors=HATCH_EDGE, linewidths=0.35,
                hatch=hatch, zorder=2))
    outlines = dict(shapes.regions)
    if outlines:
        axes.add_collection(PathCollection(
            _paths(outlines, list(outlines)), facecolors="none", edgecolors=TEXT, linewidths=0.9, zorder=3))


def _local(axes, spec: MapSpec, shapes, size: Size):
    """The local area outlined (white under black, seen on any fill) and named beside it, on
    its side away from the middle of the map (towards the sea or the margin, where it hides
    least), with a white halo and a short line to it; None if it is not on the map."""
    from matplotlib import patheffects
    from matplotlib.patches import PathPatch

    rings = dict(shapes.areas)
    local = next((a for a in spec.areas if a.local and a.code in rings), None)
    if local is None:
        return None
    path = _paths(rings, [local.code])[0]
    for colour, width in (("white", 3.4), (TEXT, 1.6)):
        axes.add_patch(PathPatch(path, facecolor="none", edgecolor=colour, linewidth=width, zorder=4))
    xs = [x for ring in rings[local.code] for x, _ in ring]
    ys = [y for ring in rings[local.code] for _, y in ring]
    east = (min(xs) + max(xs)) / 2 >= (shapes.extent[0] + shapes.extent[2]) / 2
    point = (max(xs) if east else min(xs), (min(ys) + max(ys)) / 2)
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    return axes.annotate(
        textwrap.fill(local.name, 16), point, xytext=(18 if east else -18, 0), textcoords="offset points",
        fontsize=size.label_font, fontweight="bold", color=TEXT, ha="left" if east else "right", va="center",
        zorder=5, annotation_clip=False, path_effects=halo,
        arrowprops={"arrowstyle": "-", "color": TEXT, "linewidth": 1.2, "shrinkA": 1, "shrinkB": 0},
    )


def _legend(figure, spec: MapSpec, size: Size):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=FILLS.get(key, "white"), edgecolor=HATCH_EDGE if key in HATCHES else "none",
              hatch=HATCHES.get(key), label=textwrap.fill(label, 30 if size is SMALL else 24))
        for key, label in spec.legend
    ]
    if spec.regions:
        handles.append(Line2D([], [], color=TEXT, linewidth=0.9, label="Region border"))
    if spec.local_name:
        handles.append(Line2D([], [], color=TEXT, linewidth=1.6, label=textwrap.fill(f"{spec.local_name} (outlined)", 24)))
    return figure.legend(
        handles=handles, title=spec.legend_title, loc="upper left", frameon=False, fontsize=size.label_font,
        title_fontsize=size.label_font, alignment="left", handlelength=1.6, handleheight=1.2,
    )


def _place(figure, axes, legend, attribution, label, map_size, size: Size) -> None:
    """Lay the pieces out in inches, measured: the map at the top left, moved right and down as
    far as the local area's name reaches past its left and top edges (and made smaller if the
    name and the map would not fit beside the legend), the legend to its right (wide) or under it
    (small), the attribution at the bottom. Measured, then laid out again twice: where the name
    reaches depends on the map's size."""
    renderer = measuring(figure.dpi)
    dpi = figure.dpi
    legend_box = legend.get_window_extent(renderer)
    legend_w, legend_h = legend_box.width / dpi, legend_box.height / dpi
    attribution_h = attribution.get_window_extent(renderer).height / dpi
    small = size is SMALL
    room = size.width - 2 * PAD - (0 if small else legend_w + PAD)
    before = after = above = below = 0.0
    for attempt in range(3):
        if attempt and label is not None:
            box, frame = label.get_window_extent(renderer), axes.get_window_extent(renderer)
            before, after = max(0.0, (frame.x0 - box.x0) / dpi), max(0.0, (box.x1 - frame.x1) / dpi)
            above, below = max(0.0, (box.y1 - frame.y1) / dpi), max(0.0, (frame.y0 - box.y0) / dpi)
        scale = min(1.0, (room - before - after) / map_size[0])
        map_w, map_h = map_size[0] * scale, map_size[1] * scale
        drawn_h = above + map_h + below
        body_h = drawn_h + PAD + legend_h if small else max(drawn_h, legend_h)
        height = PAD + body_h + PAD + attribution_h + PAD
        figure.set_size_inches(size.width, height)
        axes.set_position(((PAD + before) / size.width, (height - PAD - above - map_h) / height,
                           map_w / size.width, map_h / height))
    legend_x = PAD if small else PAD + before + map_w + after + PAD
    legend_top = height - PAD - (drawn_h + PAD if small else 0)
    legend.set_bbox_to_anchor((legend_x / size.width, legend_top / height), transform=figure.transFigure)
    attribution.set_position((PAD / size.width, PAD / height))


# A path's data in matplotlib's SVG: each point on its own line, to six decimals.
_PATH_DATA = re.compile(rb'(?<=\s)d="([^"]*)"')
_DECIMAL = re.compile(rb"(-?\d+)\.(\d+)")


def lean_paths(svg: bytes) -> bytes:
    """The SVG with its paths' points to a tenth of a point, on one line: what a map's
    thousands of points cost is about halved, and a tenth of a point is finer than a screen
    or a printer shows."""
    def rounded(number: re.Match) -> bytes:
        text = b"%.1f" % float(number[0])
        return text[:-2] if text.endswith(b".0") else text

    def path(match: re.Match) -> bytes:
        body = _DECIMAL.sub(rounded, match[1])
        body = b" ".join(body.split()).replace(b" L ", b"L").replace(b" z", b"z").replace(b"M ", b"M")
        return b'd="' + body + b'"'

    return _PATH_DATA.sub(path, svg)
