"""Draw charts with matplotlib, in one accessible house style: SVG for the pages, PDF for the PDFs.

Style choice: text stays SVG `<text>` (svg.fonttype "none") in DejaVu Sans, the font matplotlib
ships and that the page and the PDF both have. Colours are the Government Analysis Function
categorical palette; every series also differs by marker, line style or fill (solid, tint,
outline) so colour is never the only signal. A derived value keeps its series' look and is told
by a dashed outline (an open marker on a line). Hatching is avoided: WeasyPrint paints SVG hatch
patterns as many thousands of path segments, which measured here made a chapter PDF of grouped
bars several times slower to render. matplotlib is imported only here, and only when a chart is
drawn.

Each chart is drawn wide (7.2 inches: an SVG for the page, and a PDF for the chapter's PDF) and
small (4 inches, for a phone: the page swaps it in below 40em, so its text is read at about the
size of body text).
The margins are measured, not guessed: the chart is laid out once, the space its tick labels,
axis titles and legend take is measured, and the axes are placed to leave exactly that room, so
no label is ever cut off. A long axis title is wrapped to the axes' height.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import functools
import io
import itertools
import math
import pickle
import re
import textwrap
from dataclasses import dataclass

from jsna.compute.views import ChartSpec
from jsna.model import MARKERS as SYMBOLS  # the statistical symbols (c, x, z) and their words
from jsna.numbers import MISSING, format_number

# Analysis Function categorical palette (dark blue, turquoise, dark pink, orange, dark grey, light purple).
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
MARKERS = ("o", "s", "^", "D", "v", "P")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))
FILLS = (1.0, 0.35, 0.0)  # solid, tint, outline only: a lightness difference, not just a hue
EDGE_STYLES = ("solid", "solid", "solid", (0, (4, 1)), (0, (1, 1)), (0, (4, 1, 1, 1)))
DERIVED_DASH = (0, (2.5, 1.5))  # a derived value's outline, over white
DERIVED_WIDTH = 2.4
LABEL_OFFSET = 6  # points between a line's point and its value label
TEXT = "#0b0c0c"
GRID = "#d0d0d0"
FONT = "DejaVu Sans"
SMALL_SUFFIX = "-small"


@dataclass(frozen=True, slots=True)
class Size:
    """One rendition: its width, the height of its plotting area, and how text is fitted."""

    width: float  # inches
    axes_height: float  # inches, for a vertical chart
    bar_height: float  # inches per category, for a horizontal bar chart
    font: float  # points
    label_font: float  # points: values written on bars and points
    wrap: int  # characters per line of a horizontal bar chart's category
    legend_columns: int


WIDE = Size(width=7.2, axes_height=2.7, bar_height=0.45, font=11, label_font=9.5, wrap=24, legend_columns=3)
# The small chart is shown 290 to 345 CSS pixels wide on a phone (a 320 to 375 pixel screen): its
# smallest text, 12 of its 288 points of width, is then at least 12 CSS pixels.
SMALL = Size(width=4.0, axes_height=2.5, bar_height=0.55, font=12.5, label_font=12, wrap=14, legend_columns=1)
PAD = 0.08  # inches of white space around the measured contents
# A value label's point always lies inside the axes: values are 0 or more (checked as they are
# loaded), the value axis runs from 0 to above the highest, and the categories from half a slot
# before the first to half a slot after the last. matplotlib checks that a label's point is
# inside at every measure and draw; the check always passed, at some 7% of a figure's drawing
# time (measured; the same bytes). So value labels skip it.
INSIDE = {"annotation_clip": False}


def small_name(svg_file: str) -> str:
    """The small rendition's file name: figure-1.svg -> figure-1-small.svg."""
    stem = svg_file[: -len(".svg")] if svg_file.endswith(".svg") else svg_file
    return f"{stem}{SMALL_SUFFIX}.svg"


def draw_svg(spec: ChartSpec, small: bool = False, shapes=None) -> bytes:
    """Render one chart to SVG bytes (for the page); the same spec always gives the same bytes."""
    return draw(spec, small=small, shapes=shapes)[0]


def draw_pdf(spec: ChartSpec, shapes=None) -> bytes:
    """Render the wide chart as a one-page PDF (see `draw`)."""
    return draw(spec, pdf=True, shapes=shapes)[1]


def draw(spec: ChartSpec, small: bool = False, pdf: bool = False, shapes=None) -> tuple[bytes, ...]:
    """The chart as SVG (wide, or `small`) and, with `pdf`, the wide chart also as a one-page
    PDF for the PDFs, where jsna/render/place_charts.py places it in the figure's box: its text is
    text, in Type 3 fonts with a ToUnicode map (searched and copied as text). WeasyPrint then
    lays out the chapter without drawing the chart itself, which took about 40% of a chapter
    PDF's time. Both are saved from the one layout: the PDF costs a chart about half as much
    again as the SVG alone, where a layout of its own would cost as much again (measured). The
    SVG is always saved first, so the PDF's bytes do not depend on whether it was wanted too.
    `shapes`: a map's outlines (jsna/load/geography.py), made once for it by the build."""
    if pdf and small:
        raise ValueError("only the wide chart is drawn as a PDF")
    with laid_out(spec, small, shapes) as figure:
        drawn = [_lean(_saved(figure, "svg"))]
        if spec.chart_type == "map":
            from jsna.draw.maps import lean_paths

            drawn = [lean_paths(drawn[0])]
        if pdf:
            drawn.append(_saved(figure, "pdf"))
    return tuple(drawn)


# What each saved format's file must not carry, for the same bytes from the same chart.
_NO_STAMPS = {"svg": {"Date": None, "Creator": None}, "pdf": {"Creator": None, "Producer": None, "CreationDate": None}}


def _saved(figure, saver: str) -> bytes:
    """The figure saved as `saver` ("svg" or "pdf"), its text measured from memory
    (`_keep_saved_measures`)."""
    _keep_saved_measures(saver)
    out = io.BytesIO()
    figure.savefig(out, format=saver, metadata=_NO_STAMPS[saver])
    return out.getvalue()


@contextlib.contextmanager
def laid_out(spec: ChartSpec, small: bool = False, shapes=None):
    """The chart's matplotlib figure, drawn and fitted, inside the house style's settings (which
    saving it needs too)."""
    import matplotlib

    matplotlib.use("svg", force=True)  # no GUI backend is looked for; savefig picks the format's own
    from matplotlib.figure import Figure

    size = SMALL if small else WIDE
    rc = {
        "svg.fonttype": "none",
        "svg.hashsalt": spec.id + (SMALL_SUFFIX if small else ""),
        "pdf.fonttype": 3,
        "text.parse_math": False,  # a "$" in a name or a label is a dollar sign, never mathtext
        "font.family": FONT,
        "font.size": size.font,
        "axes.edgecolor": TEXT,
        "axes.labelcolor": TEXT,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "text.color": TEXT,
    }
    _keep_layouts()
    with matplotlib.rc_context(rc):
        house = _HOUSE.set(tuple((name, value) for name, value in rc.items() if name != "svg.hashsalt"))
        try:
            yield plotter(spec.chart_type)(Figure, spec, size, *(() if shapes is None else (shapes,)))
        finally:
            _HOUSE.reset(house)


def plotter(chart_type: str):
    """The function that lays a chart of `chart_type` out on a new matplotlib Figure, called as
    `plot(Figure, spec, size)` inside the house style's rc settings: the one-area types here,
    each other type in a module of its own (draw/areas.py for compare-areas, draw/funnel.py,
    draw/spine.py; draw/maps.py for a map, called with its shapes too)."""
    from jsna.draw import areas, funnel, maps, spine

    return {"compare-areas": areas.plot, "funnel": funnel.plot, "spine": spine.plot, "map": maps.plot}.get(chart_type, _plot)


def _plot(Figure, spec: ChartSpec, size: Size):
    """A one-area chart (line, bar, grouped, stacked, horizontal) on a new Figure, fitted."""
    horizontal = spec.chart_type == "horizontal-bar"
    axes_height = max(1.2, size.bar_height * len(spec.categories) + 0.3) if horizontal else size.axes_height
    categories = len(spec.categories)
    figure, axes = _blank(Figure, size, axes_height + 1.5, (VALUE_TICKS, categories) if horizontal else (categories, VALUE_TICKS))
    labels = _DRAW[spec.chart_type](axes, spec, size)
    _whiskers(axes, spec)
    _finish(axes, spec, size, axes_height)
    legend = _add_legend(figure, spec, size) if _legend(spec) else None
    _fit(figure, axes, legend, spec, size, axes_height, again=horizontal)  # its labels sit at its bars' ends
    _thin_labels(figure, axes, labels or [])
    return figure


# (house style, ticks on x, ticks on y) -> a Figure with one Axes and those ticks, and it pickled (`_blank`).
_BLANKS: dict[tuple, tuple[object, bytes]] = {}
VALUE_TICKS = 7  # ticks a value axis usually has (from 6 to 9 in the synthetic corpus)


def _blank(Figure, size: Size, height: float, ticks: tuple[int, int] = (VALUE_TICKS, VALUE_TICKS)):
    """A new Figure `size.width` by `height` inches and its one Axes, as `Figure()` and
    `add_subplot()` make them, with `ticks` made on its x and y axes: a copy of one kept pickled
    for the process under the house style's settings (`_HOUSE`: the plotters are called only
    inside `laid_out`). Each tick is two texts and three lines, each made afresh from the rc
    settings; unpickling the lot costs about a third of making it (4 ms against 14, measured).
    Ticks beyond those are made as they always are, and those not needed are never drawn.

    The figure copied is kept alive too: matplotlib files each transform under its parents' ids,
    and a copy's are the original's. Were the original freed, a new transform could take one of
    those ids and stand in for a parent that is then never told of a change (one chart of the
    example came out otherwise under PYTHONHASHSEED=4, seen)."""
    key = (_HOUSE.get(), *ticks)
    if key not in _BLANKS:
        figure = Figure()
        axes = figure.add_subplot()
        for axis, count in zip((axes.xaxis, axes.yaxis), ticks):
            axis.get_major_ticks(count), axis.get_minor_ticks(1)  # a minor one: each axis makes it as a model
        _BLANKS[key] = figure, pickle.dumps(figure)
    figure = pickle.loads(_BLANKS[key][1])
    figure.set_size_inches(size.width, height)
    return figure, figure.axes[0]


# A <metadata> block, or a group's start or end tag, with the white space before it.
_PART = re.compile(rb"(\s*)(<metadata>.*?</metadata>|<g(?:\s[^>]*)?>|</g>)", re.DOTALL)
_PLAIN_GROUP = re.compile(rb'<g(?:\s+id="[^"]*")?\s*/?>')


def _lean(svg: bytes) -> bytes:
    """matplotlib's SVG without what only names its parts: the <metadata> block and each group
    with no attribute but an id (some five in six of a chart's groups). Nothing drawn changes, and
    WeasyPrint draws a chapter's twelve charts about 0.08 s sooner (measured)."""
    out: list[bytes] = []
    kept: list[bool] = []  # for each open group, whether its tags are kept
    last = 0
    for match in _PART.finditer(svg):
        out.append(svg[last : match.start()])
        last = match.end()
        tag = match.group(2)
        if tag == b"</g>":
            keep = kept.pop()
        elif tag.startswith(b"<g"):
            keep = _PLAIN_GROUP.fullmatch(tag) is None
            if not tag.endswith(b"/>"):  # an empty group (<g id="line2d_9"/>) has no end tag
                kept.append(keep)
        else:
            keep = False
        if keep:
            out.append(match.group(0))
    out.append(svg[last:])
    return b"".join(out)


@functools.cache
def measuring(dpi: float):
    """The renderer a chart's text is measured with at a resolution, kept for the life of the
    process. matplotlib remembers each text's measure for the renderer it was taken with, so a
    worker's charts share their measures (tick labels, legend entries and titles recur) instead
    of each figure measuring its text afresh with a renderer of its own (about a tenth of a
    chart's drawing time, measured). Text is measured as Agg measures it, as before."""
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, dpi)


# Inside `laid_out`: the house style's rc settings (all but the salt of a chart's SVG ids).
_HOUSE = contextvars.ContextVar("house_style", default=())


@functools.cache
def _keep_saved_measures(saver: str) -> None:
    """Make the SVG or PDF saver (`saver`) remember its text measures for the process, once
    it is first used (a build without PDFs never imports the PDF backend). matplotlib keeps
    measures per renderer, and each file saved makes a renderer of its own, so every save
    measured a chart's text afresh (for its line spacing too): about a seventh of a figure's CPU
    time for its three files (measured). These two renderers measure a text unhinted, in points,
    by its characters and font alone, so one measure serves every save: the bytes are the same.
    The PDF saver also remembers how it shapes each text's glyphs (`_remembered_glyphs`).
    Only inside the house style (`laid_out`, where mathtext is off); elsewhere matplotlib is
    left as it is."""
    if saver == "pdf":
        from matplotlib import _text_helpers, rcParams
        from matplotlib.backends.backend_pdf import RendererPdf as renderer

        renderer.draw_text = _sized_text(renderer.draw_text)
        _text_helpers.layout = _remembered_glyphs(_text_helpers.layout, rcParams)
    else:
        from matplotlib.backends.backend_svg import RendererSVG as renderer
    renderer.get_text_width_height_descent = _remembered(renderer.get_text_width_height_descent)


def _remembered(measure):
    """A renderer's `measure` method, answering again from memory inside the house style."""
    known: dict = {}

    @functools.wraps(measure)
    def remembered(self, text, prop, ismath):
        if not _HOUSE.get():
            return measure(self, text, prop, ismath)
        key = (text, prop, ismath)
        if key not in known:
            known[(text, prop.copy(), ismath)] = measure(self, text, prop, ismath)
        return known[key]

    return remembered


_PDF_TEXT_SIZE = contextvars.ContextVar("pdf_text_size", default=None)  # inside the PDF saver's draw_text


def _sized_text(draw_text):
    """The PDF saver's `draw_text`, telling `_remembered_glyphs` the size of the text it places
    (its font, set to that size, does not say)."""

    @functools.wraps(draw_text)
    def sized(self, gc, x, y, s, prop, *args, **kwargs):
        token = _PDF_TEXT_SIZE.set(prop.get_size_in_points() if _HOUSE.get() else None)
        try:
            return draw_text(self, gc, x, y, s, prop, *args, **kwargs)
        finally:
            _PDF_TEXT_SIZE.reset(token)

    return sized


def _remembered_glyphs(layout, rc):
    """matplotlib's glyph layout (`_text_helpers.layout`), answering again from memory while the
    PDF saver places a house-style text (`_sized_text`). The saver shapes each text afresh, glyph
    by glyph, to place it: some 5 to 8 ms of a chart's PDF (profiled), for tick labels and
    values that recur from chart to chart. A text's glyphs and their positions depend on its
    string, its font file at its size and hinting factor (`rc`, matplotlib's settings), and the
    options it is shaped with (features, language): all are in the key, so the bytes are the
    same. What is kept is plain numbers, never the font: matplotlib's glyphs point at a font
    object without holding it, and a forked process drops matplotlib's fonts (a kept glyph then
    points at freed memory). A text needing another font for some of its characters, and any
    text elsewhere (turned into paths, other savers), is laid out as usual."""
    known: dict = {}

    @functools.wraps(layout)
    def remembered(string, font, **options):
        size = _PDF_TEXT_SIZE.get()
        if size is None:
            return layout(string, font, **options)
        key = (string, font.fname, getattr(font, "face_index", 0), size, rc["text.hinting_factor"],
               tuple(sorted(options.items())))
        if key not in known:
            items = list(layout(string, font, **options))
            if not all(_same_face(item.ft_object, font) and hasattr(item, "y") for item in items):
                return iter(items)
            known[key] = tuple((item.char, item.glyph_index, item.x, item.y, item.prev_kern) for item in items)
        return (_Glyph(font, *glyph) for glyph in known[key])

    return remembered


# A glyph as the PDF saver reads it (matplotlib's LayoutItem), placed with the font given.
_Glyph = collections.namedtuple("_Glyph", "ft_object char glyph_index x y prev_kern")


def _same_face(one, other) -> bool:
    """Whether two of matplotlib's fonts are the same face of the same file."""
    return (one.fname, getattr(one, "face_index", 0)) == (other.fname, getattr(other, "face_index", 0))


@functools.cache
def _keep_layouts() -> None:
    """Make matplotlib remember how each text is laid out for the process (`_remembered_layout`),
    once a chart is first drawn. matplotlib lays a text out afresh each time it is measured or
    drawn, looking up its font and reading the font's tables for the line height each time:
    remembered, a worker's figures cost some 5 to 9% less to draw (measured)."""
    from matplotlib.text import Text

    Text._get_layout = _remembered_layout(Text._get_layout)


def _remembered_layout(layout):
    """`Text._get_layout`, answering again from memory inside the house style. A text's layout
    depends on its string, font, rotation, alignments and line spacing, the resolution and
    the kind of renderer measuring it (SVG and PDF measure slightly differently): all are in the
    key, so the bytes are the same. Wrapped and TeX text are laid out as usual."""
    known: dict = {}

    @functools.wraps(layout)
    def remembered(self, renderer):
        if not _HOUSE.get() or self.get_wrap() or self.get_usetex():
            return layout(self, renderer)
        measurer = getattr(renderer, "_renderer", renderer)  # what a saver's mixed-mode renderer wraps
        key = (type(measurer), getattr(measurer, "dpi", None), self.figure.dpi, self.get_text(),
               self.get_rotation(), self.get_rotation_mode(), self._horizontalalignment,
               self._verticalalignment, self._multialignment, self._linespacing, self.get_parse_math(),
               self._fontproperties)
        if key not in known:  # the font's properties are kept as a copy: a text's own may change
            known[key[:-1] + (self._fontproperties.copy(),)] = layout(self, renderer)
        box, lines, corner = known[key]
        return box.frozen(), list(lines), corner

    return remembered


def _fit(figure, axes, legend, spec: ChartSpec, size: Size, axes_height: float, again: bool = True) -> None:
    """Place the axes so that everything drawn around them fits: measure, then set the margins
    and the figure's height (the width stays fixed, so the text keeps its size on the page).
    Category labels crowded whatever the axes' width are turned first; the others are judged
    once the axes have their width, and where they turn, everything is measured again. With
    `again`, it is measured until it stays put: a chart whose text is placed along its value
    axis (labels at the ends of horizontal bars) moves that text with the axes' width. The text
    of a vertical one-area chart moves by less than the padding, and it is measured once (each
    measuring pass costs about a quarter of the chart's drawing time)."""
    dpi = figure.dpi
    renderer = measuring(figure.dpi)

    def place(left: float, right: float, top: float, below: float) -> None:
        legend_height = legend.get_window_extent(renderer).height / dpi + PAD if legend is not None else 0.0
        height = top + axes_height + below + legend_height
        figure.set_size_inches(size.width, height)
        figure.subplots_adjust(
            left=left / size.width, right=1 - right / size.width,
            bottom=(below + legend_height) / height, top=1 - top / height,
        )

    def measured() -> tuple[float, float, float, float]:
        box = axes.get_window_extent(renderer)
        tight = axes.get_tightbbox(renderer)
        return (
            (box.x0 - tight.x0) / dpi + PAD,
            max(0.0, tight.x1 - box.x1) / dpi + PAD,
            max(0.0, tight.y1 - box.y1) / dpi + PAD,
            (box.y0 - tight.y0) / dpi + PAD,
        )

    level = spec.chart_type != "horizontal-bar"
    early = level and _crowded_anyway(axes, renderer, place)
    place(0.9, 0.3, 0.3, 0.9)  # left, right, top, below, in inches: a first guess
    margins = measured()
    place(*margins)
    late = level and not early and _rotate_crowded_ticks(axes, renderer)
    for _ in range(3 if again else int(late)):  # with `again`, until the text stays put
        previous, margins = margins, measured()
        place(*margins)
        if max(abs(a - b) for a, b in zip(margins, previous)) < 0.01:
            break


def _crowded_anyway(axes, renderer, place) -> bool:
    """Turn the category labels if they would be crowded even on the widest axes the chart could
    have (True if turned), so that they are measured turned: a measuring pass saved. Only fixed
    ticks: where a locator places them, how many there are changes with the axes' width."""
    from matplotlib.ticker import FixedLocator

    if not isinstance(axes.xaxis.get_major_locator(), FixedLocator):
        return False
    place(PAD, PAD, 0.3, 0.9)
    return _rotate_crowded_ticks(axes, renderer)


def _rotate_crowded_ticks(axes, renderer) -> bool:
    """Turn the category labels 45 degrees when, level, they would run into each other (True
    if turned)."""
    labels = [t for t in axes.get_xticklabels() if t.get_text()]
    if len(labels) < 2:
        return False
    extents = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    gap = min(b.x0 - a.x1 for a, b in zip(extents, extents[1:]))
    if gap >= 4:
        return False
    for label in labels:
        label.set_rotation(45)
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    return True


def _legend(spec: ChartSpec) -> bool:
    return len(spec.series) > 1 or any(any(s.derived) for s in spec.series) or bool(spec.intervals)


def _fmt(spec: ChartSpec, value: float) -> str:
    text = format_number(value, spec.decimals)
    return f"{text}%" if spec.measure == "percentage" else text


def _line(axes, spec: ChartSpec, size: Size) -> list:
    """The series as lines with a marker at each value; the local area's values written at its
    points (returned, for `_thin_labels` once the chart has its size)."""
    x = range(len(spec.categories))
    labels = []
    for index, series in enumerate(spec.series):
        colour = PALETTE[index % len(PALETTE)]
        marker = MARKERS[index % len(MARKERS)]
        ys = [math.nan if v is None else v for v in series.values]
        axes.plot(
            x, ys, color=colour, linestyle=LINESTYLES[index % len(LINESTYLES)],
            linewidth=2.6 if series.emphasis else 1.8, label=series.name, zorder=3,
        )
        points = _points(x, series)
        for derived, kind in _by_look(points):
            axes.plot(
                *zip(*kind), linestyle="none", marker=marker, markersize=8, color=colour,
                markerfacecolor="white" if derived else colour, markeredgewidth=2, zorder=4,
            )
        if series.emphasis:
            labels += [axes.annotate(
                _fmt(spec, value), (xi, _above(series, xi, value)), textcoords="offset points",
                xytext=(0, LABEL_OFFSET), ha="center", va="bottom", fontsize=size.label_font, color=TEXT,
                **INSIDE,
            ) for xi, value, _ in points]
    _missing_labels(axes, spec, size)
    return labels


def _bar_width(spec: ChartSpec) -> float:
    return 0.8 if spec.chart_type == "stacked-bar" else min(0.8 / len(spec.series), 0.5)


def _offset(spec: ChartSpec, index: int) -> float:
    """How far from its category's place series `index`'s bar (or point) stands."""
    if spec.chart_type in ("line", "stacked-bar"):
        return 0.0
    return (index - (len(spec.series) - 1) / 2) * _bar_width(spec)


def _above(series, xi: int, value: float) -> float:
    """Where a value's label stands on: the top of its whisker, or the value."""
    pair = series.intervals[xi] if series.intervals else None
    return max(value, pair[1]) if pair else value


def _whiskers(axes, spec: ChartSpec) -> None:
    """Each value's 95% confidence interval (`intervals: true`) as a capped black line."""
    for index, series in enumerate(spec.series):
        drawn = [(xi + _offset(spec, index), pair) for xi, pair in enumerate(series.intervals) if pair is not None]
        if drawn:
            x = [xi for xi, _ in drawn]
            axes.vlines(x, [p[0] for _, p in drawn], [p[1] for _, p in drawn], color=TEXT, linewidth=1.2, zorder=5)
            for end in (0, 1):
                axes.plot(x, [p[end] for _, p in drawn], linestyle="none", marker="_", markersize=7,
                          markeredgewidth=1.2, color=TEXT, zorder=5)


def _bars(axes, spec: ChartSpec, size: Size, stacked: bool = False) -> None:
    count = len(spec.series)
    width = _bar_width(spec)
    bottoms = [0.0] * len(spec.categories)
    # Values written above narrow bars stand on end rather than run into their neighbours'.
    longest = max((len(_fmt(spec, v)) for s in spec.series for v in s.values if v is not None), default=1)
    upright = not _fits(longest, _slot(size, spec) * width, size.label_font)
    for index, series in enumerate(spec.series):
        offset = _offset(spec, index)
        points = _points(range(len(spec.categories)), series)
        for derived, kind in _by_look(points):
            _bar(axes, ([xi + offset for xi, _ in kind], [v for _, v in kind], width * 0.95), index, count,
                 derived, starts=[bottoms[xi] for xi, _ in kind] if stacked else None)
        for xi, value, _ in points:
            if stacked:
                if value > 0:
                    axes.text(
                        xi, bottoms[xi] + value / 2, _fmt(spec, value), ha="center", va="center",
                        fontsize=size.label_font, color=TEXT, zorder=5,
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                    )
                bottoms[xi] += value
            else:
                axes.annotate(
                    _fmt(spec, value), (xi + offset, _above(series, xi, value)), textcoords="offset points",
                    xytext=(0, 2), ha="center", va="bottom", fontsize=size.label_font, color=TEXT,
                    rotation=90 if upright else 0, **INSIDE,
                )
    _missing_labels(axes, spec, size)


def _points(places, series) -> list[tuple]:
    """A series' (place, value, derived) for each value it has, `places` giving each value's place."""
    return [(at, v, d) for at, v, d in zip(places, series.values, series.derived) if v is not None]


def _by_look(points: list[tuple]) -> list[tuple[bool, list[tuple]]]:
    """A series' (place, value, derived) points as (derived, [(place, value), ...]) for each look
    it has, published first: each look is drawn as one artist (an artist for each bar or marker
    cost a chart about a sixth of its drawing time)."""
    looks = [(derived, [(x, v) for x, v, d in points if d == derived]) for derived in (False, True)]
    return [(derived, kind) for derived, kind in looks if kind]


def _tint(colour: str, amount: float) -> str:
    """The colour mixed with white: amount 1 is the colour, 0 is white."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * amount):02X}" for c in rgb)


def _bar_look(index: int, count: int) -> tuple[str, str, object]:
    """Face colour, edge colour and edge style of a series' bars."""
    colour = PALETTE[index % len(PALETTE)]
    fill = FILLS[index % len(FILLS)] if count > 1 else 1.0
    return _tint(colour, fill), colour, EDGE_STYLES[index % len(EDGE_STYLES)] if count > 1 else "solid"


def _bar(axes, where: tuple, index: int, count: int, derived: bool, **options) -> None:
    """Bars of one look in their series' look (`where`: their places, lengths and thickness;
    `options`: `bar_set`'s). A derived value keeps its series' fill, so the series stays
    recognisable; only its outline differs: dashes of the series' colour over white, which show
    on a dark fill, a tint and the white page alike."""
    face, edge, style = _bar_look(index, count)
    if not derived:
        bar_set(axes, *where, facecolors=face, edgecolors=edge, linewidths=1.8, linestyles=style, **options)
        return
    bar_set(axes, *where, facecolors=face, edgecolors="white", linewidths=DERIVED_WIDTH, **options)
    bar_set(axes, *where, facecolors="none", edgecolors=edge, linewidths=DERIVED_WIDTH, linestyles=DERIVED_DASH, **options)


# A bar's corners in the order a Rectangle's outline takes them (where a dashed outline starts):
# (0, 0) is its lower left, (1, 1) its upper right.
_CORNERS = ((0, 0), (1, 0), (1, 1), (0, 1))


def bar_set(axes, places, lengths, thickness: float, horizontal: bool = False, starts=None, zorder: float = 3,
            **look) -> None:
    """Bars centred on `places` (on x, or on y when `horizontal`), each `lengths` long from its
    `starts` (0 by default) and `thickness` across, drawn as one matplotlib PolyCollection with
    `look` (its facecolors, edgecolors, linewidths, linestyles: one for all, or one a bar).
    axes.bar makes an artist of each bar, whose extent it finds from its outline's curves: that
    cost the synthetic corpus's figures (a third of them line charts) about a tenth of their
    drawing time (measured). As with axes.bar, the bars count towards the axes' limits, their
    corners are mitred, and no margin is added past zero."""
    from matplotlib.collections import PolyCollection

    half, boxes = thickness / 2, []
    for at, length, start in zip(places, lengths, [0.0] * len(places) if starts is None else starts):
        x, y = (start, start + length), (at - half, at + half)
        if not horizontal:
            x, y = y, x
        boxes.append([(x[u], y[v]) for u, v in _CORNERS])
    bars = PolyCollection(boxes, joinstyle="miter", zorder=zorder, **look)
    (bars.sticky_edges.x if horizontal else bars.sticky_edges.y).append(0.0)
    axes.add_collection(bars)
    axes.autoscale_view()  # as axes.bar does; matplotlib before 3.11 updates only the data limits here


def _derived_swatch(index: int, count: int):
    """The legend's swatch for a derived value: a bar of the series' look, outlined as `_bar` does."""
    from matplotlib.patches import Patch

    face, edge, _ = _bar_look(index, count)
    return (Patch(facecolor=face, edgecolor="white", linewidth=DERIVED_WIDTH),
            Patch(fill=False, edgecolor=edge, linewidth=DERIVED_WIDTH, linestyle=DERIVED_DASH))


def _stacked(axes, spec: ChartSpec, size: Size) -> None:
    _bars(axes, spec, size, stacked=True)


def _horizontal(axes, spec: ChartSpec, size: Size) -> None:
    series = spec.series[0]
    y = list(range(len(spec.categories)))[::-1]
    markers = series.markers or (None,) * len(series.values)
    for yi, value, marker in zip(y, series.values, markers):
        if value is None:
            axes.text(0, yi, "  " + _gap_label(marker).replace("\n", " "), va="center", ha="left",
                      fontsize=size.label_font, style="italic", color=TEXT)
    points = _points(y, series)
    for derived, kind in _by_look(points):
        _bar(axes, ([yi for yi, _ in kind], [v for _, v in kind], 0.6), 0, 1, derived, horizontal=True)
    for yi, value, _ in points:  # each value at its bar's end, past it
        axes.annotate(_fmt(spec, value), (value, yi), xytext=(3 if value >= 0 else -3, 0), textcoords="offset points",
                      ha="left" if value >= 0 else "right", va="center", fontsize=size.label_font, color=TEXT)
    axes.set_yticks(y, [textwrap.fill(c, size.wrap) for c in spec.categories])
    known = [v for v in series.values if v is not None]
    axes.set_xlim(0, (max(known) if known else 1) * 1.18)


def _slot(size: Size, spec: ChartSpec) -> float:
    """About how many inches wide each category's place on the axis is."""
    return (size.width - 1.0) / max(1, len(spec.categories))


def _fits(characters: int, inches: float, font: float) -> bool:
    """Whether text of so many characters fits a width (DejaVu Sans: about 0.6 em a character)."""
    return characters * font * 0.6 / 72 <= inches


def _gap_label(marker: str | None) -> str:
    """What a missing value's place says: its table cell's words ('c' says what it is), the
    longer ones over lines."""
    if marker == "c":
        return "c (suppressed)"
    return textwrap.fill(SYMBOLS[marker] if marker else MISSING, 12)


def _missing_labels(axes, spec: ChartSpec, size: Size) -> None:
    """Say why where a value is missing, in its table's words: never draw it as zero. A period
    with no value at all says it once; otherwise a line chart says whose point is missing, and a
    bar chart labels the missing bar's own place."""
    upright = not _fits(len("available"), _slot(size, spec), size.label_font)
    count = len(spec.series)
    for xi, _ in enumerate(spec.categories):
        missing = [(i, s.markers[xi] if s.markers else None) for i, s in enumerate(spec.series) if s.values[xi] is None]
        if not missing:
            continue
        if len(missing) == count and len({m for _, m in missing}) == 1:
            text = _gap_label(missing[0][1])
            axes.text(
                xi, 0, text.replace("\n", " ") if upright else text, ha="center", va="bottom",
                fontsize=size.label_font, style="italic", color=TEXT, rotation=90 if upright else 0,
            )
        elif spec.chart_type in ("line", "stacked-bar"):
            text = "\n".join(f"{spec.series[i].name}: {_gap_label(m)}".replace("\n", " ") for i, m in missing)
            top = sum(v for s in spec.series if (v := s.values[xi]) is not None) if spec.chart_type == "stacked-bar" else 0
            axes.text(xi, top, textwrap.fill(text, 22) if len(missing) == 1 else text, ha="center", va="bottom",
                      fontsize=size.label_font, style="italic", color=TEXT, zorder=6,
                      bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        else:
            width = min(0.8 / count, 0.5)
            for index, marker in missing:
                axes.text(xi + (index - (count - 1) / 2) * width, 0, _gap_label(marker).replace("\n", " "),
                          ha="center", va="bottom", rotation=90, fontsize=size.label_font, style="italic", color=TEXT)


def _thin_labels(figure, axes, labels: list) -> None:
    """Keep the point labels that fit, each above its point or else below it, clear of the labels
    kept, every marker and the other texts, and where it can be, of the lines too: the latest,
    the first, the highest and the lowest first, then the rest from the latest back. The table
    gives every value."""
    if not labels:
        return
    renderer = measuring(figure.dpi)
    points = [tuple(xy) for xy in axes.transData.transform([label.xy for label in labels])]
    reach = 5 * figure.dpi / 72  # a marker's half width, 8 points across, with its edge
    solid = [
        (x - reach, y - reach, x + reach, y + reach)
        for line in axes.lines if line.get_marker() not in (None, "None", "")
        for x, y in axes.transData.transform(line.get_xydata()) if math.isfinite(y)
    ] + [tuple(text.get_window_extent(renderer).extents) for text in axes.texts if text not in labels]
    lines = [(x - 1, y - 1, x + 1, y + 1) for x, y in _along_lines(axes)]
    heights = [label.xy[1] for label in labels]
    first = [len(labels) - 1, 0, heights.index(max(heights)), heights.index(min(heights))]
    # A label's box is worked out from its text's width and the height of one label measured (a
    # measure of each place tried cost a line chart about a tenth of its drawing time).
    tall = labels[0].get_window_extent(renderer).height
    gap = LABEL_OFFSET * figure.dpi / 72
    kept: list[tuple] = []
    for index in dict.fromkeys(first + list(range(len(labels) - 1, -1, -1))):
        label, (x, y) = labels[index], points[index]
        half = renderer.get_text_width_height_descent(label.get_text(), label.get_fontproperties(), ismath=False)[0] / 2
        places = ((LABEL_OFFSET, "bottom", y + gap), (-LABEL_OFFSET, "top", y - gap - tall))
        for avoid, (offset, align, bottom) in itertools.product((solid + lines, solid), places):
            box = (x - half - 2, bottom - 2, x + half + 2, bottom + tall + 2)
            if axes.bbox.y0 <= box[1] and box[3] <= figure.bbox.y1 and not any(_overlap(box, other) for other in kept) \
                    and not any(_overlap(box, other) for other in avoid if not _near(other, (x, y))):
                label.set_position((0, offset))
                label.set_verticalalignment(align)
                kept.append(box)
                break
        else:
            label.remove()


def _along_lines(axes, steps: int = 12) -> list[tuple[float, float]]:
    """Points along every line's segments, in pixels: what a label must keep clear of."""
    found = []
    for line in axes.lines:
        if line.get_linestyle() in ("None", "", " ") or line.get_transform() is not axes.transData:
            continue
        xy = axes.transData.transform(line.get_xydata())
        for (x0, y0), (x1, y1) in zip(xy, xy[1:]):
            if math.isfinite(y0) and math.isfinite(y1):
                found += [(x0 + (x1 - x0) * t / steps, y0 + (y1 - y0) * t / steps) for t in range(steps + 1)]
    return found


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _near(marker: tuple, point: tuple) -> bool:
    """Whether a marker's box is the one drawn at a point."""
    return abs((marker[0] + marker[2]) / 2 - point[0]) < 0.5 and abs((marker[1] + marker[3]) / 2 - point[1]) < 0.5


def _finish(axes, spec: ChartSpec, size: Size, axes_height: float) -> None:
    from matplotlib.ticker import MaxNLocator

    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    horizontal = spec.chart_type == "horizontal-bar"
    value_axis = axes.xaxis if horizontal else axes.yaxis
    axes.grid(axis="x" if horizontal else "y", color=GRID, linewidth=0.8, zorder=0)
    axes.set_axisbelow(True)
    value_axis.set_major_formatter(lambda v, _pos: _fmt_tick(spec, v))
    if horizontal and size is SMALL:
        value_axis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    count = len(spec.categories)
    if horizontal:
        axes.tick_params(axis="y", length=0)
        axes.set_ylim(-0.6, count - 0.4)
        axes.set_xlabel(_wrap_title(spec.value_axis, size.width * 0.6, size.font))
    else:
        axes.set_xticks(range(count), spec.categories)
        axes.set_xlim(-0.5, count - 0.5)
        axes.set_xlabel(spec.category_axis)
        axes.set_ylabel(_wrap_title(spec.value_axis, axes_height, size.font))
        low, high = axes.get_ylim()
        axes.set_ylim(0, high * 1.12 if high > 0 else 1)
    if all(v is None for s in spec.series for v in s.values):
        value_axis.set_ticks([])  # nothing to measure: no scale of made-up numbers
    for x, words in spec.breaks:  # a series joined across a change (a new code): a dashed line, labelled
        axes.axvline(x, color=TEXT, linestyle=(0, (4, 3)), linewidth=1.2, zorder=2)
        axes.text(x, 0.02, words, transform=axes.get_xaxis_transform(), rotation=90, ha="right", va="bottom",
                  fontsize=size.label_font, color=TEXT, zorder=6,
                  bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})


def _wrap_title(text: str, inches: float, font: float) -> str:
    """An axis title in lines that fit a length (DejaVu Sans averages about 0.6 em a character)."""
    per_line = max(12, int(inches * 72 / (font * 0.6)))
    return "\n".join(textwrap.wrap(text, per_line)) or text


def _fmt_tick(spec: ChartSpec, value: float) -> str:
    decimals = 0 if float(value).is_integer() else 1
    text = format_number(value, decimals)
    return f"{text}%" if spec.measure == "percentage" else text


def _add_legend(figure, spec: ChartSpec, size: Size):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, labels = [], []
    line = spec.chart_type == "line"
    for index, series in enumerate(spec.series if spec.chart_type != "horizontal-bar" else ()):
        colour = PALETTE[index % len(PALETTE)]
        if line:
            handles.append(
                Line2D([], [], color=colour, linestyle=LINESTYLES[index % len(LINESTYLES)],
                       marker=MARKERS[index % len(MARKERS)], markersize=7, linewidth=2)
            )
        else:
            face, edge, style = _bar_look(index, len(spec.series))
            handles.append(Patch(facecolor=face, edgecolor=edge, linestyle=style, linewidth=1.8))
        labels.append(series.name)
    derived = [index for index, s in enumerate(spec.series) if any(s.derived)]
    if derived:
        if line:
            handles.append(Line2D([], [], color=TEXT, marker="o", markerfacecolor="white", linestyle="none",
                                  markersize=7))
            labels.append("Open marker: derived value")
        else:
            handles.append(_derived_swatch(derived[0], len(spec.series)))
            labels.append("Dashed outline: derived value")
    if spec.intervals:
        handles.append(Line2D([], [], color=TEXT, marker="|", markersize=11, markeredgewidth=1.2, linestyle="none"))
        labels.append("95% confidence interval" + (", as published" if spec.intervals == "as published" else ""))
    return _fitted_legend(figure, handles, labels, size)


def _fitted_legend(figure, handles: list, labels: list[str], size: Size):
    """The legend in as many columns as fit the figure's width (at most the size's), and if one
    column is too wide, with its labels wrapped to fit: never cut off at either side."""
    renderer = measuring(figure.dpi)
    room = (size.width - 2 * PAD) * figure.dpi
    for columns in range(min(size.legend_columns, len(handles)), 0, -1):
        legend = figure.legend(handles=handles, labels=labels, loc="lower center", ncol=columns, frameon=False,
                               fontsize=size.label_font, bbox_to_anchor=(0.5, 0.0))
        width = legend.get_window_extent(renderer).width
        if width <= room:
            return legend
        legend.remove()
    longest = max(len(label) for label in labels)
    per_line = max(10, int(longest * room / width) - 2)
    wrapped = [textwrap.fill(label, per_line) for label in labels]
    return figure.legend(handles=handles, labels=wrapped, loc="lower center", ncol=1, frameon=False,
                         fontsize=size.label_font, bbox_to_anchor=(0.5, 0.0))


_DRAW = {
    "line": _line,
    "bar": _bars,
    "grouped-bar": _bars,
    "stacked-bar": _stacked,
    "horizontal-bar": _horizontal,
}


def draw_job(spec: ChartSpec, small: bool, pdf: bool, behind: bool, shapes=None) -> tuple[bytes, ...]:
    """A chart target's make (jsna/build/pipeline.py): `draw`, behind the PDFs (`run_behind`)
    when `behind`; a map's `shapes` are what its target needs (the build's `shapes:` target)."""
    if behind:
        run_behind()
    return draw(spec, small=small, pdf=pdf, shapes=shapes)


def run_behind() -> None:
    """In a worker process, run behind the PDFs from now on (nice 5). An edit's PDF, laid out
    while its charts are drawn (a second or so of WeasyPrint), is what the build waits for, and
    a chart is done well before it. With the charts at the PDFs' priority, the three processes
    shared the two cores and the layout took longer (edits with PDFs, alternating, medians of
    7: 1.76 s against 1.63 s at N = 10). In a clean build, a PDF ready to be made is made before
    more charts are drawn."""
    import multiprocessing
    import os

    global _behind
    if not _behind and multiprocessing.parent_process() is not None and hasattr(os, "nice"):
        os.nice(5)
        _behind = True


_behind = False
