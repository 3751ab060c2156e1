"""Every area of a comparison group (the statistical neighbours, the region's authorities, all
English authorities), each with its 95% confidence interval and its comparison with England;
and the `compare-areas` figure made from them: its chart spec, table, CSV and alt text.

The interval is the one its publisher gave ("as published"), else computed from its numerator and
denominator by the indicator's method (`judgements.interval`); the comparison is
`stats.compare`'s, as for the local area in the headline table.
"""

from __future__ import annotations

from jsna.build.store import digest
from jsna.compute import intervals, stats
from jsna.compute.judgements import interval
from jsna.compute.opendata import _number, csv_text, value_status
from jsna.compute.views import FigureView, Table, _source_line, titled_range, value_axis_label, with_unit
from jsna.model import MARKERS, FigureRef, Group, Indicator, Value
from jsna.numbers import format_per, format_value, marker_text, places
from jsna.periods import in_period
from jsna.records import record

ENGLAND = "england"  # the comparator id every area is compared with
# Every comparison, in the order the legend and the alt text list them.
COMPARISONS = ("better", "higher", "similar", "worse", "lower", "not compared")


@record
class AreaStat:
    """One area of a group: its value, 95% interval (None where none can be had) and its
    comparison with England (better, similar, worse; higher, similar, lower without a
    polarity; not compared)."""

    code: str | None
    name: str
    value: Value
    interval: stats.Interval | None
    comparison: str
    local: bool = False


def england_value(indicator: Indicator, period: str) -> Value | None:
    """England's value in a period, from the indicator's `england` comparator (None if none)."""
    england = indicator.series(ENGLAND)
    return england.get(period) if england is not None else None


def area_stats(indicator: Indicator, group: Group) -> tuple[AreaStat, ...]:
    """Each member of `group` with its 95% interval and its comparison with England in the
    group's period, in the group's order."""
    england = england_value(indicator, group.period)
    benchmark = england.value if england is not None else None
    made = []
    for member in group.members:
        limits = interval(indicator, member.value, intervals.CONFIDENCE)
        verdict = stats.compare(member.value.value, limits, benchmark, indicator.polarity)
        made.append(AreaStat(member.code, member.name, member.value, limits, verdict, member.local))
    return tuple(made)


def ranked(areas: tuple[AreaStat, ...]) -> tuple[AreaStat, ...]:
    """Areas by value, lowest first (ties by name), those without a value last."""
    return tuple(sorted(areas, key=lambda a: (a.value.value is None, a.value.value or 0.0, a.name)))


# The compare-areas figure -------------------------------------------------------------------


@record
class AreaBar:
    """One bar of a compare-areas chart: an area's value and interval, its comparison."""

    name: str
    value: float | None
    lower: float | None
    upper: float | None
    comparison: str
    local: bool = False
    marker: str | None = None  # why there is no value: "c", "x", "z", "u", "low" or None


@record
class AreasSpec:
    """Everything jsna/draw/areas.py needs to draw a compare-areas chart: the bars lowest first,
    England's value (its line), and how values read. The figure's cache key."""

    id: str
    chart_type: str
    bars: tuple[AreaBar, ...]
    england: float | None
    value_axis: str
    measure: str
    decimals: int
    polarity: str
    intervals: str = ""  # how the intervals were had ("as published", "computed by jsna (Byar's)")


def figure(slug: str, number: int, ref: FigureRef, indicator: Indicator) -> FigureView:
    """A compare-areas figure: every area of the group `ref.group` in the group's period."""
    group = next(g for g in indicator.groups if g.id == ref.group)
    areas = ranked(area_stats(indicator, group))
    decimals = places(indicator, indicator.measure)
    england = england_value(indicator, group.period)
    spec = AreasSpec(
        id=f"{slug}-figure-{number}",
        chart_type=ref.chart_type,
        bars=tuple(_bar(a) for a in areas),
        england=england.value if england is not None else None,
        value_axis=value_axis_label(indicator.measure, indicator.unit, indicator.per),
        measure=indicator.measure,
        decimals=decimals,
        polarity=indicator.polarity,
        intervals=intervals.how(a.interval for a in areas),
    )
    title = ref.title or indicator.title
    return FigureView(
        number=number,
        anchor=f"figure-{number}",
        caption=f"Figure {number}: {title}, {len(areas)} {group.name} compared with England, {titled_range(title, (group.period,))}",
        alt=alt_text(indicator, group, areas, title),
        source=_source_line(indicator),
        source_url=indicator.source.url,
        notes=indicator.notes_for(None, (group.period,)) + _notes(areas),
        table=_table(indicator, areas, england),
        chart=spec,
        csv=_csv(indicator, group, areas),
        svg_file=f"figure-{number}.svg",
        csv_file=f"figure-{number}.csv",
        chart_digest=digest("chart", repr(spec)),
    )


def _bar(area: AreaStat) -> AreaBar:
    limits = area.interval
    return AreaBar(
        area.name, area.value.value, limits.lower if limits else None, limits.upper if limits else None,
        area.comparison, area.local, area.value.marker,
    )


def _notes(areas: tuple[AreaStat, ...]) -> tuple[str, ...]:
    notes = intervals.note((a.interval for a in areas), "The whiskers and the limits in the table")
    if any(a.value.marker == "c" for a in areas):
        notes += (f"c: {MARKERS['c']} (a count from the small-count rule, or a value built on one).",)
    return notes


def _table(indicator: Indicator, areas: tuple[AreaStat, ...], england: Value | None) -> Table:
    """Every area, highest first as the chart reads top to bottom, with England's row first;
    each value with its interval in brackets (three columns: a table of 153 areas costs its
    PDF about half as much as with the limits in columns of their own, measured)."""
    measure, decimals = indicator.measure, places(indicator, indicator.measure)

    def cell(value: Value | None) -> str:
        return marker_text(value) if value is None or value.value is None else format_value(value.value, measure, decimals)

    rows = [("England", (cell(england), "the comparator"))] if england is not None else []
    for area in reversed(areas):
        name = f"{area.name} (this area)" if area.local else area.name
        rows.append((name, (intervals.with_limits(cell(area.value), area.interval, measure, decimals), area.comparison)))
    head = ("Area", "Value (95% confidence interval)", "Compared with England")
    return Table(head=head, rows=tuple(rows), fixed=True)


CSV_HEAD = ("indicator_id", "indicator", "area_code", "area", "group", "period", "value", "numerator",
            "denominator", "lower_95", "upper_95", "interval_method", "england", "comparison_95", "measure", "status")


def csv_row(indicator: Indicator, group: Group, area: AreaStat, england: Value | None) -> tuple:
    """An area's row of a figure's CSV, under CSV_HEAD (a map's CSV adds columns after it)."""
    measure = f"rate {format_per(indicator.per)}" if indicator.measure == "rate" else indicator.measure
    return (
        indicator.id, indicator.title, area.code or "", area.name, group.id, group.period, _number(area.value.value),
        _number(area.value.numerator), _number(area.value.denominator),
        _number(area.interval.lower) if area.interval else None, _number(area.interval.upper) if area.interval else None,
        intervals.how((area.interval,)) if area.interval else None, _number(england.value) if england else None,
        area.comparison, measure, value_status(area.value),
    )


def _csv(indicator: Indicator, group: Group, areas: tuple[AreaStat, ...]) -> str:
    """Every area's value, interval and comparison, highest first (columns in docs/data.md)."""
    england = england_value(indicator, group.period)
    return csv_text(CSV_HEAD, [csv_row(indicator, group, a, england) for a in reversed(areas)])


def alt_text(indicator: Indicator, group: Group, areas: tuple[AreaStat, ...], title: str) -> str:
    """What the chart shows, from the data: the local area's value and comparison, how many of
    the others are higher and lower, and how many compare better, similar or worse."""
    decimals = places(indicator, indicator.measure)

    def say(v: float) -> str:
        return with_unit(v, indicator.measure, decimals, indicator.per)

    others = [a for a in areas if not a.local]
    head = (f"Bar chart of {title[0].lower() + title[1:]} for {len(areas)} {group.name} "
            f"{in_period(group.period)}, sorted by value.")
    parts = [head]
    local = next((a for a in areas if a.local), None)
    england = england_value(indicator, group.period)
    if local is not None and local.value.value is not None:
        own = local.value.value
        what = {"rate": "rate", "percentage": "percentage"}.get(indicator.measure, "value")
        than = f"England's ({say(england.value)})" if england is not None and england.value is not None else "England's"
        verdict = {"not compared": f"not compared with {than}",
                   "similar": f"similar to {than}"}.get(local.comparison, f"significantly {local.comparison} than {than}")
        higher = sum(1 for a in others if a.value.value is not None and a.value.value > own)
        known = sum(1 for a in others if a.value.value is not None)
        whom = f"its {known} statistical neighbours" if group.id == "neighbours" else f"the {known} other areas"
        parts.append(f"{local.name}'s {what}, {say(own)}, is {verdict}; {higher} of {whom} {'is' if higher == 1 else 'are'} higher.")
    counts = {c: sum(1 for a in areas if a.comparison == c) for c in COMPARISONS}
    said = [f"{n} {c}" for c, n in counts.items() if n]
    if said:
        parts.append("Compared with England: " + ", ".join(said) + ".")
    return " ".join(parts)
