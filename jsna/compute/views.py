"""Compute what each chapter shows: numbered figures with their chart data, captions, alt text,
data tables and CSV. Pure functions from the loaded `Site` to plain frozen views.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Callable

from jsna.compute import stats
from jsna.build.store import digest
from jsna.compute.attribution import Attribution, attribution
from jsna.compute.disclosure import apply_disclosure
from jsna.compute.headline import Headline, headline
from jsna.compute.judgements import indicator_stats, interval, trend
from jsna.compute import intervals
from jsna.compute.opendata import _number as _number_of, chapter_csv, chapter_json, csv_text, value_status
from jsna.model import LOCAL, MARKERS, Breakdown, Chapter, FigureRef, Indicator, Series, Site, Value, ValueRef
from jsna.numbers import format_number, format_per, format_published, format_value, marker_text, places
from jsna.periods import in_period, period_key, period_range
from jsna.records import record

_CHART_NAMES = {
    "line": "Line chart",
    "bar": "Bar chart",
    "grouped-bar": "Grouped bar chart",
    "stacked-bar": "Stacked bar chart",
    "horizontal-bar": "Horizontal bar chart",
}
_PERIOD_AXIS = {"year-range": "Year", "year": "Year", "date": "Date", "quarter": "Quarter"}


@record
class ChartSeries:
    """One line or set of bars: a name and a value (or None) per category."""

    name: str
    values: tuple[float | None, ...]
    derived: tuple[bool, ...]
    emphasis: bool = False  # the local area, drawn strongest
    markers: tuple[str | None, ...] = ()  # why a value is None: "c", "x", "z" or None (missing)
    intervals: tuple[tuple[float, float] | None, ...] = ()  # 95% limits per value (`intervals: true`)


@record
class ChartSpec:
    """Everything the drawing stage needs, and nothing it does not: the figure's cache key."""

    id: str
    chart_type: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    value_axis: str
    category_axis: str
    measure: str
    decimals: int
    intervals: str = ""  # how the series' intervals were had ("as published", ...), if drawn
    # (the place between two categories where a series is joined across a change, e.g. 1.5, and
    # what changed): marked on the chart.
    breaks: tuple[tuple[float, str], ...] = ()


@record
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # row header, cells
    fixed: bool = False  # set column widths: a long table (153 areas) lays out in the PDF in half the time


@record
class FigureView:
    number: int
    anchor: str
    caption: str
    alt: str
    source: str
    source_url: str | None
    notes: tuple[str, ...]
    table: Table
    chart: ChartSpec  # or the spec of a type with a module of its own (`own_figure`)
    csv: str
    svg_file: str
    csv_file: str
    chart_digest: str  # of everything in `chart`: with the drawing code's version, the chart's key
    empty: str | None = None  # with no value to chart, the sentence shown instead of the chart


@record
class ChapterView:
    chapter: Chapter
    figures: tuple[FigureView, ...]
    values: tuple[tuple[str, str], ...]  # narrative's {{ ... }} -> the words and number
    headline: Headline
    data_json: str
    data_csv: str
    sources: Attribution = Attribution((), (), ())  # the data files its indicators read
    # A digest of everything the view is made from (the config, the chapter, its indicators):
    # with the compute code's version, it names the view, so later keys need not spell it out.
    key: str = ""


@record
class FigureOutline:
    """What the build declares a figure's pieces from: its chart, the chart's key and file, and
    the sentence shown instead of an empty chart."""

    svg_file: str
    chart: ChartSpec
    chart_digest: str
    empty: str | None


@record
class ChapterOutline:
    """The little of a chapter's view that the build declares its pieces from
    (jsna/build/pipeline.py: `chapter_targets`): a rebuild reads this, not the whole view, for a
    chapter that did not change."""

    slug: str
    figures: tuple[FigureOutline, ...]


def outline(view: ChapterView) -> ChapterOutline:
    """The view's outline."""
    return ChapterOutline(view.chapter.slug, tuple(
        FigureOutline(f.svg_file, f.chart, f.chart_digest, f.empty) for f in view.figures
    ))


def compute_site(
    site: Site, cached: Callable[[str, Callable[[], ChapterView]], ChapterView] | None = None,
    only: set[str] | None = None, keys: dict[str, str] | None = None,
) -> tuple[ChapterView, ...]:
    """Every chapter (or those whose slugs are in `only`) with its figures numbered in order of
    appearance, small counts suppressed. `keys`: the views' keys, if already found (`view_keys`).

    A chapter's view depends only on the config, the chapter and the indicators it uses (small
    counts are suppressed by a rule in the config), so `cached(key, make)` may give back a view
    made before under its key (`view_keys`) instead of `make()`; only a chapter made again has
    its indicators' small counts suppressed."""
    by_id = {indicator.id: indicator for indicator in site.indicators}
    disclosed = apply_disclosure(site) if cached is None else None

    def make(chapter: Chapter, used: tuple[str, ...], key: str) -> ChapterView:
        own = disclosed or apply_disclosure(replace(site, indicators=tuple(by_id[i] for i in used)))
        return replace(compute_chapter(own, chapter), key=key)

    keys = keys or view_keys(site)
    views = []
    for chapter in site.chapters:
        if only is None or chapter.slug in only:
            make_view = functools.partial(make, chapter, _used(chapter), keys[chapter.slug])
            views.append(make_view() if cached is None else cached(keys[chapter.slug], make_view))
    return tuple(views)


def view_keys(site: Site) -> dict[str, str]:
    """Each chapter's slug -> the key of its view: a digest of the config, the chapter and the
    indicators it uses, each named by what it was read from where that is known, and for a
    chapter with a map, the boundaries (with their file's digest)."""
    by_id = {indicator.id: indicator for indicator in site.indicators}
    sources = dict(site.sources)
    return {
        chapter.slug: digest(
            "view", repr(site.config), sources.get(f"chapter:{chapter.slug}") or repr(chapter),
            *(sources.get(f"indicator:{i}") or repr(by_id[i]) for i in _used(chapter)),
            *((repr(site.boundaries),) if any(f.chart_type == "map" for f in chapter.figures) else ()),
        )
        for chapter in site.chapters
    }


def _used(chapter: Chapter) -> tuple[str, ...]:
    """The ids of the indicators a chapter shows or quotes, in order, each once."""
    shown = [i for f in chapter.figures for i in (f.indicators or (f.indicator,))]
    return tuple(dict.fromkeys(shown + [v.indicator for v in chapter.values]))


def compute_chapter(site: Site, chapter: Chapter) -> ChapterView:
    figures = tuple(_figure(site, chapter.slug, number, ref) for number, ref in enumerate(chapter.figures, start=1))
    values = tuple(
        sorted({ref.raw: value_text(site.indicator(ref.indicator), ref) for ref in chapter.values}.items())
    )
    judged = tuple(indicator_stats(site.indicator(i)) for i in _used(chapter))
    return ChapterView(
        chapter=chapter,
        figures=figures,
        values=values,
        headline=headline(site.config, chapter.area, judged),
        data_json=chapter_json(site.config, chapter, judged),
        data_csv=chapter_csv(site.config, chapter, judged),
        sources=attribution(site.config, tuple(site.indicator(i) for i in _used(chapter))),
    )


# Numbers in the narrative ---------------------------------------------------------------


def _known(series: Series) -> list[tuple[str, Value]]:
    return [(p, v) for p, v in series.values if v.value is not None]


def _say(indicator: Indicator, value: Value) -> str:
    text = with_unit(value.value, indicator.measure, places(indicator, indicator.measure), indicator.per)
    return f"{text} (derived)" if value.derived else text


SUPPRESSED_PROSE = f"c ({MARKERS['c']})"


def _missing(value: Value | None) -> str:
    """What the narrative says for a value that is not a number: a suppressed one is said to be
    suppressed, and why, never a bare 'c'."""
    return SUPPRESSED_PROSE if value is not None and value.marker == "c" else marker_text(value)


def _percent_words(percent: float) -> str:
    return f"{format_number(abs(percent), 1)}%"


def value_text(indicator: Indicator, ref: ValueRef) -> str:
    """What the narrative says for `{{ id: aspect }}`, from the data and in UK style."""
    if ref.aspect in ("rank", "range"):
        return _group_text(indicator, next(g for g in indicator.groups if g.id == ref.argument), ref.aspect)
    if ref.aspect == "target":
        return _target_text(indicator)
    if ref.aspect == "period":
        value = indicator.local.get(ref.argument)
        return _say(indicator, value) if value.value is not None else _missing(value)
    latest_period, latest = indicator.local.values[-1]
    if ref.aspect == "latest-period":
        return latest_period
    if latest.value is None:
        return _missing(latest)
    if ref.aspect == "latest":
        return _say(indicator, latest)
    known = _known(indicator.local)
    if ref.aspect in ("change", "change-since-first"):
        if len(known) < 2:
            return "not available (only one period published)"
        base_period, base = known[-2] if ref.aspect == "change" else known[0]
        delta = stats.change(base.value, latest.value)
        if not delta.absolute:
            return f"no change since {base_period}"
        direction = "an increase" if delta.absolute > 0 else "a decrease"
        if indicator.measure == "percentage":
            # A change in a percentage is said in percentage points, never as a relative change.
            size = f"{format_number(abs(delta.absolute), places(indicator, indicator.measure))} percentage points"
        elif delta.percent is not None:
            size = _percent_words(delta.percent)
        else:
            size = _say(indicator, Value(abs(delta.absolute), latest.position))
        return f"{direction} of {size} since {base_period}"
    if ref.aspect == "compare":
        comparator = indicator.series(ref.argument)
        shared = [p for p, _ in reversed(known) if comparator.get(p) and comparator.get(p).value is not None]
        if not shared:
            return f"not compared with {comparator.name} (no value for the same period)"
        period = shared[0]
        local, other = indicator.local.get(period), comparator.get(period)
        limits = interval(indicator, local)
        verdict = stats.compare(local.value, limits, other.value, indicator.polarity) if limits else "not compared"
        level = "higher" if local.value > other.value else "lower" if local.value < other.value else "the same as"
        other_text = f"{comparator.name} ({_say(indicator, other)}) {in_period(period)}"
        if verdict == "not compared":
            joiner = "" if level == "the same as" else " than"
            return f"{level}{joiner} {other_text}, not tested for significance"
        words = {"better": "significantly better than", "worse": "significantly worse than",
                 "higher": "significantly higher than", "lower": "significantly lower than",
                 "similar": "similar to"}[verdict]
        return f"{words} {other_text}"
    return trend(indicator)


def _group_text(indicator: Indicator, group, aspect: str) -> str:
    members = group.numbers()
    own = members.get(indicator.area)
    if aspect == "rank":
        if own is None:
            return f"not ranked ({indicator.area} has no value {in_period(group.period)})"
        rank = stats.rank_in_group(own, members)
        return f"{rank.words} {group.name} {in_period(group.period)}"
    spread = stats.group_range(members)
    digits = places(indicator, indicator.measure)

    def say(v: float) -> str:
        return with_unit(v, indicator.measure, digits, indicator.per)

    return (
        f"from {say(spread.lowest)} ({' and '.join(spread.lowest_names)}) to {say(spread.highest)} "
        f"({' and '.join(spread.highest_names)}) across {spread.size} {group.name} {in_period(group.period)}"
    )


def _target_text(indicator: Indicator) -> str:
    target = indicator.target
    period = target.period or indicator.local.values[-1][0]
    value = indicator.local.get(period)
    digits = places(indicator, indicator.measure)
    goal = with_unit(target.value, indicator.measure, digits, indicator.per)
    if value is None or value.value is None:
        return f"not assessed against the target of {goal} (no value {in_period(period)})"
    status = stats.target_status(value.value, target.value, indicator.polarity)
    if indicator.measure == "percentage":
        margin = f"{format_number(abs(status.margin), digits)} percentage points"
    else:
        margin = with_unit(abs(status.margin), indicator.measure, digits, indicator.per)
    if status.met:
        return f"{_say(indicator, value)} {in_period(period)}, meeting the target of {goal}" + (f" by {margin}" if status.margin else "")
    return f"{_say(indicator, value)} {in_period(period)}, missing the target of {goal} by {margin}"


def _figure(site: Site, slug: str, number: int, ref: FigureRef) -> FigureView:
    """A figure of one indicator, or a spine of several (its `indicators`, compute/spine.py)."""
    if ref.indicators:
        from jsna.compute import spine

        return spine.figure_of(slug, number, ref, tuple(site.indicator(i) for i in ref.indicators))
    return compute_figure(slug, number, ref, site.indicator(ref.indicator), site.boundaries)


def own_figure(chart_type: str, boundaries=None) -> Callable[[str, int, FigureRef, Indicator], FigureView] | None:
    """The figure maker of a chart type with a module of its own (compute/areas.py for
    compare-areas, compute/funnel.py for funnel, compute/maps.py for a map, on the site's
    `boundaries`), or None for the one-area types made here from a ChartSpec. A new type adds
    its maker here and its drawing in draw/charts.py:`plotter`."""
    from jsna.compute import areas, funnel, maps

    makers = {"compare-areas": areas.figure, "funnel": funnel.figure, "map": functools.partial(maps.figure, boundaries=boundaries)}
    return makers.get(chart_type)


def compute_figure(slug: str, number: int, ref: FigureRef, indicator: Indicator, boundaries=None) -> FigureView:
    own = own_figure(ref.chart_type, boundaries)
    if own is not None:
        return own(slug, number, ref, indicator)
    breakdown = indicator.breakdown(ref.breakdown) if ref.breakdown else None
    periods = ref.chosen_periods(breakdown.periods if breakdown else indicator.periods)
    if breakdown is not None:
        spec, table, title = _breakdown_chart(slug, number, ref, indicator, breakdown, periods)
        cells = _breakdown_cells(breakdown, periods if ref.chart_type != "horizontal-bar" else periods[-1:])
        shown = periods[-1:] if ref.chart_type == "horizontal-bar" else periods
    else:
        spec, table, title = _series_chart(slug, number, ref, indicator, periods)
        cells = _series_cells(indicator, ref, periods)
        shown = periods
    title = ref.title or title
    caption = f"Figure {number}: {title}, {titled_range(title, shown)}"
    derived_notes = tuple(
        f"{who}, {period}: derived, {value.derived}" for who, period, value in cells if value.derived
    ) + tuple(f"{who}, {period}: {value.note}" for who, period, value in cells if value.note)
    if any(value.marker == "c" for _, _, value in cells):
        derived_notes += (f"c: {MARKERS['c']} (a count from the small-count rule, or a value built on one).",)
    limits = [interval(indicator, value) for _, _, value in cells] if ref.intervals else []
    derived_notes += intervals.note(limits, "The whiskers and the figures in brackets")
    derived_notes += _break_notes(indicator, ref, shown)
    alt = _alt_text(ref.chart_type, title, indicator, spec, shown) + (
        " A dashed line marks where a series goes on under a new code." if spec.breaks else "")
    return FigureView(
        number=number,
        anchor=f"figure-{number}",
        caption=caption,
        alt=alt,
        source=_source_line(indicator),
        source_url=indicator.source.url,
        notes=indicator.notes_for(ref.breakdown, shown) + derived_notes,
        table=table,
        chart=spec,
        csv=_csv(indicator, breakdown, cells, limits),
        svg_file=f"figure-{number}.svg",
        csv_file=f"figure-{number}.csv",
        chart_digest=digest("chart", repr(spec)),
        empty=_nothing_to_chart(spec, title, shown),
    )


def _break_notes(indicator: Indicator, ref: FigureRef, shown: tuple[str, ...]) -> tuple[str, ...]:
    """Say where a series shown is joined across a change (marked on the chart by a dashed line)."""
    if ref.breakdown:
        return ()
    return tuple(
        f"{series.name}: from {period} the series goes on under a new code ({why}) for the same authority; "
        "a dashed line marks the change on the chart."
        for series in map(indicator.series, ref.series_ids(indicator))
        for period, why in series.breaks if period in shown[1:]
    )


def _nothing_to_chart(spec: ChartSpec, title: str, shown: tuple[str, ...]) -> str | None:
    """Where a chart would have no value at all, the sentence said instead of an empty axis."""
    if any(v is not None for s in spec.series for v in s.values):
        return None
    what = f"{title[0].lower() + title[1:]}, {titled_range(title, shown)}"
    markers = {m for s in spec.series for m in (s.markers or (None,) * len(s.values))}
    if markers == {None}:
        return f"No figures were published for {what}."
    if len(markers) == 1:
        return f"No figures are shown for {what}: every one is {MARKERS[markers.pop()]}."
    return f"No figures are shown for {what}: the table says why for each."


def titled_range(title: str, periods: tuple[str, ...]) -> str:
    """The periods for a caption after `title`, without repeating a day the title names:
    'Children in need at 31 March, 2014 to 2015', not '..., 31 March 2014 to 31 March 2015'."""
    keys = [period_key(p) for p in periods]
    if periods and all(k is not None and k.kind == "date" and k.day and " " in p.strip() for k, p in zip(keys, periods)):
        days = {p.strip().rsplit(" ", 1)[0] for p in periods}
        if len(days) == 1 and f" {days.pop().casefold()}" in f" {title.casefold()}":
            return period_range(tuple(p.strip().rsplit(" ", 1)[1] for p in periods))
    return period_range(periods)


def value_axis_label(measure: str, unit: str | None, per: int | None) -> str:
    """The value axis title with its unit, e.g. 'Rate per 10,000 children aged 0-17'."""
    tail = f" {unit}" if unit else ""
    if measure == "rate":
        return f"Rate {format_per(per)}{tail}"
    if measure == "percentage":
        return f"Per cent{' of' + tail if unit else ''}"
    return f"Number{' of' + tail if unit else ''}"


def _category_axis(periods: tuple[str, ...]) -> str:
    key = period_key(periods[0])
    return _PERIOD_AXIS[key.kind] if key else "Period"


def _cell(value: Value | None, measure: str, decimals: int) -> str:
    if value is None or value.value is None:
        return marker_text(value)
    text = format_value(value.value, measure, decimals)
    return f"{text} (derived)" if value.derived else text


def _series_chart(slug, number, ref, indicator, periods):
    ids = ref.series_ids(indicator)
    chosen: list[Series] = [indicator.series(i) for i in ids]
    decimals = places(indicator, indicator.measure)
    limits = {s.id: intervals.series_limits(indicator, s, periods) if ref.intervals else (None,) * len(periods) for s in chosen}
    chart_series = tuple(
        ChartSeries(
            name=s.name,
            values=tuple(_number(s.get(p)) for p in periods),
            derived=tuple(bool(s.get(p) and s.get(p).derived) for p in periods),
            emphasis=s.id == LOCAL,
            markers=tuple(s.get(p).marker if s.get(p) else None for p in periods),
            intervals=tuple(intervals.pair(i) for i in limits[s.id]) if ref.intervals else (),
        )
        for s in chosen
    )
    spec = ChartSpec(
        id=f"{slug}-figure-{number}",
        chart_type=ref.chart_type,
        categories=periods,
        series=chart_series,
        value_axis=value_axis_label(indicator.measure, indicator.unit, indicator.per),
        category_axis=_category_axis(periods),
        measure=indicator.measure,
        decimals=decimals,
        intervals=intervals.how(i for s in chosen for i in limits[s.id]),
        breaks=tuple(
            (periods.index(period) - 0.5, f"{s.name}: new code" if len(chosen) > 1 else "New code")
            for s in chosen for period, _ in s.breaks if period in periods[1:]
        ),
    )
    table = Table(
        head=("Period",) + tuple(s.name for s in chosen),
        rows=tuple(
            (p, tuple(intervals.with_limits(_cell(s.get(p), indicator.measure, decimals), limits[s.id][k], indicator.measure, decimals)
                      for s in chosen))
            for k, p in enumerate(periods)
        ),
    )
    return spec, table, indicator.title


def _breakdown_chart(slug, number, ref, indicator, breakdown: Breakdown, periods):
    rows = dict(breakdown.values)
    decimals = places(indicator, breakdown.measure)
    axis = value_axis_label(breakdown.measure, indicator.unit if breakdown.measure == indicator.measure else None, None)
    if ref.chart_type == "horizontal-bar":
        period = periods[-1]
        cells = rows[period]
        spec_series = (
            ChartSeries(
                name=period,
                values=tuple(c.value for c in cells),
                derived=tuple(bool(c.derived) for c in cells),
                emphasis=True,
                markers=tuple(c.marker for c in cells),
            ),
        )
        categories = breakdown.categories
        table = Table(
            head=("Category", period),
            rows=tuple(
                (category, (_cell(cell, breakdown.measure, decimals),))
                for category, cell in zip(breakdown.categories, cells)
            ),
        )
        category_axis = "Category"
    else:
        spec_series = tuple(
            ChartSeries(
                name=category,
                values=tuple(rows[p][index].value for p in periods),
                derived=tuple(bool(rows[p][index].derived) for p in periods),
                markers=tuple(rows[p][index].marker for p in periods),
            )
            for index, category in enumerate(breakdown.categories)
        )
        categories = periods
        table = Table(
            head=("Period",) + breakdown.categories,
            rows=tuple(
                (p, tuple(_cell(cell, breakdown.measure, decimals) for cell in rows[p])) for p in periods
            ),
        )
        category_axis = _category_axis(periods)
    spec = ChartSpec(
        id=f"{slug}-figure-{number}",
        chart_type=ref.chart_type,
        categories=categories,
        series=spec_series,
        value_axis=axis,
        category_axis=category_axis,
        measure=breakdown.measure,
        decimals=decimals,
    )
    return spec, table, breakdown.title


def _number(value: Value | None) -> float | None:
    return None if value is None else value.value


def _series_cells(indicator: Indicator, ref: FigureRef, periods) -> list[tuple[str, str, Value]]:
    ids = ref.series_ids(indicator)
    cells = []
    for series_id in ids:
        series = indicator.series(series_id)
        for p in periods:
            cells.append((series.name, p, series.get(p) or Value(None, indicator.position)))
    return cells


def _breakdown_cells(breakdown: Breakdown, periods) -> list[tuple[str, str, Value]]:
    rows = dict(breakdown.values)
    return [
        (category, p, rows[p][index])
        for p in periods
        for index, category in enumerate(breakdown.categories)
    ]


def with_unit(value: float, measure: str, decimals: int, per: int | None) -> str:
    """A value as said in a sentence: '7,541', '52.5%', '428.6 per 10,000'."""
    text = format_value(value, measure, decimals)
    return f"{text} {format_per(per)}" if measure == "rate" and per else text


def _alt_text(chart_type: str, title: str, indicator: Indicator, spec: ChartSpec, shown) -> str:
    kind = _CHART_NAMES[chart_type]
    per = indicator.per if spec.measure == "rate" else None
    head = f"{kind} of {title[0].lower() + title[1:]}, {indicator.area}, {titled_range(title, shown)}."

    def say(v: float) -> str:
        return with_unit(v, spec.measure, spec.decimals, per)

    parts = [head]
    if spec.intervals:
        parts.append(f"Whiskers show 95% confidence intervals, {spec.intervals}.")
    if chart_type == "horizontal-bar":
        series = spec.series[0]
        known = [(c, v, d) for c, v, d in zip(spec.categories, series.values, series.derived) if v is not None]
        if known:
            ranked = sorted(known, key=lambda item: -item[1])
            parts.append(
                "Values: " + "; ".join(f"{c} {say(v)}{' (derived)' if d else ''}" for c, v, d in ranked) + "."
            )
        parts.extend(_gaps(spec.categories, series))
        return " ".join(parts)
    for series in spec.series:
        parts.append(_describe_series(series, spec.categories, say))
    return " ".join(parts)


def _describe_series(series: ChartSeries, periods, say) -> str:
    known = [(p, v, d) for p, v, d in zip(periods, series.values, series.derived) if v is not None]
    gap = "".join(" " + g for g in _gaps(periods, series))
    if not known:
        if series.markers and all(m == "c" for m in series.markers):
            return f"{series.name}: every value {MARKERS['c']}."
        if "c" in series.markers:
            return f"{series.name}:{gap}"  # which periods were suppressed, which have no value
        return f"{series.name}: no values available."
    if len(known) == 1:
        p, v, d = known[0]
        return f"{series.name}: {say(v)} {in_period(p)}{' (derived)' if d else ''}.{gap}"
    (p0, v0, d0), (p1, v1, d1) = known[0], known[-1]
    direction = "an increase" if v1 > v0 else "a decrease" if v1 < v0 else "no change"
    return (
        f"{series.name}: from {say(v0)} {in_period(p0)}{' (derived)' if d0 else ''} "
        f"to {say(v1)} {in_period(p1)}{' (derived)' if d1 else ''}, {direction}.{gap}"
    )


def _gaps(labels, series: ChartSeries) -> list[str]:
    """Sentences naming the labels with no number, grouped by why."""
    markers = series.markers or (None,) * len(labels)
    groups: dict[str, list[str]] = {}
    for label, value, marker in zip(labels, series.values, markers):
        if value is None:
            groups.setdefault("Suppressed (c)" if marker == "c" else "Not applicable" if marker == "z" else "No value for", []).append(label)
    return [f"{why}: {', '.join(labels)}." if why != "No value for" else f"No value for {', '.join(labels)}." for why, labels in groups.items()]


def _source_line(indicator: Indicator) -> str:
    source = indicator.source
    published = f", published {format_published(source.published)}" if source.published else ""
    return f"Source: {source.publisher}, {source.dataset}{published}."


def _csv(indicator: Indicator, breakdown: Breakdown | None, cells: list[tuple[str, str, Value]], limits=()) -> str:
    """The figure's data in long form; every column is described in docs/data.md. `limits`: each
    cell's 95% interval, for a chart with `intervals: true` (three more columns)."""
    measure = breakdown.measure if breakdown else indicator.measure
    measure_text = f"rate {format_per(indicator.per)}" if measure == "rate" else measure
    rows = []
    for (who, period, value), ci in zip(cells, limits or [None] * len(cells)):
        area, category = (indicator.area, who) if breakdown else (who, "")
        note = "; ".join(x for x in (value.derived, value.note) if x)
        bounds = (_number_of(ci.lower), _number_of(ci.upper), intervals.how((ci,))) if ci else (None, None, None)
        rows.append((indicator.id, indicator.title, area, period, category, value.value, measure_text, value_status(value), note)
                    + (bounds if limits else ()))
    head = ("indicator_id", "indicator", "area", "period", "category", "value", "measure", "status", "note")
    return csv_text(head + (("lower_95", "upper_95", "interval_method") if limits else ()), rows)
