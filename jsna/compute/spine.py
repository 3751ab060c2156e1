"""Spine chart rows, as the public health profiles draw them (the Fingertips "Technical Guide:
Spine Charts", as implemented in FingertipsNext's SpineChart helpers and fingertipscharts'
spine_chart_utils.R):

* each indicator is one row, England's value at its centre;
* the row spans the range of all authorities' values, scaled so that the larger of England's
  distances to the lowest and the highest value reaches the edge (the other end stops short:
  each row has its own scale, symmetric about England);
* the darker bars run from the worst value to the 25th percentile and from the 75th percentile
  to the best, the lighter band from the 25th to the 75th percentile, each at its real place
  (as fingertipscharts draws them, so a row whose England value lies outside the middle half is
  still drawn truly);
* "better" is always to the right: a lower-is-better indicator is turned round; one without
  polarity keeps higher to the right (as FingertipsNext orders "no judgement") and is labelled
  lowest and highest, not worst and best;
* percentiles are R's default (type 7, fingertipscharts' `quantile`): linear interpolation
  between the sorted values, the p-th at 1 + (n - 1)p; Python's
  `statistics.quantiles(method="inclusive")`.

The spine figure (`figure_of`) is made from the indicators' groups of every English authority
(read from a data file) and their England comparators.
"""

from __future__ import annotations

import statistics
from dataclasses import replace

from jsna.build.store import digest
from jsna.compute import stats
from jsna.compute.judgements import interval
from jsna.compute.opendata import csv_text
from jsna.compute.views import FigureView, Table, _source_line, with_unit
from jsna.numbers import format_value, marker_text, places
from jsna.periods import in_period
from jsna.records import record

LOWER_IS_BETTER = "lower-is-better"
MIN_AREAS = 4  # fewer authorities with a value than this: no spine (no quartiles worth drawing)


@record
class Spine:
    """One row's numbers and where each is drawn: positions run from 0 (left) to 1 (right),
    England at 0.5, better (or higher, without polarity) to the right."""

    worst: float
    lower_quartile: float  # the 25th percentile on the worse side (the 75th if lower is better)
    upper_quartile: float  # the percentile on the better side
    best: float
    england: float
    areas: int
    positions: tuple[float, float, float, float]  # worst, quartiles, best
    local: float | None = None
    local_position: float | None = None

    def by_value(self) -> tuple[float, float, float, float]:
        """The lowest value, the 25th and 75th percentiles and the highest, whatever the polarity."""
        low, high = sorted((self.worst, self.best))
        q25, q75 = sorted((self.lower_quartile, self.upper_quartile))
        return low, q25, q75, high


def quartiles(values: list[float]) -> tuple[float, float]:
    """The 25th and 75th percentiles (type 7: linear interpolation, as R's default)."""
    cuts = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return cuts[0], cuts[2]


def spine(values: list[float], england: float, polarity: str, local: float | None = None) -> Spine:
    """The spine of all authorities' `values` around England's value, with the local value."""
    low, high = min(values), max(values)
    q25, q75 = quartiles(values)
    reach = max(england - low, high - england)
    turned = polarity == LOWER_IS_BETTER

    def place(value: float) -> float:
        offset = 0.0 if reach == 0 else (value - england) / (2 * reach)
        return 0.5 - offset if turned else 0.5 + offset

    worst, lower, upper, best = (high, q75, q25, low) if turned else (low, q25, q75, high)
    return Spine(
        worst=worst, lower_quartile=lower, upper_quartile=upper, best=best, england=england,
        areas=len(values), positions=(place(worst), place(lower), place(upper), place(best)),
        local=local, local_position=None if local is None else place(local),
    )


# The spine figure ----------------------------------------------------------------------------

ENGLAND_GROUP = "england"  # the group of every English authority, from a data file


@record
class SpineRow:
    """One indicator's row as drawn: its words and numbers as read, and its spine (None, with
    the reason, where the indicator has no value for every authority)."""

    title: str
    period: str
    local: str  # the local value as read ("346.0"), or why there is none
    england: str
    comparison: str  # better, similar, worse; higher, similar, lower; not compared
    polarity: str
    ends: tuple[str, str]  # the left and right ends as read: "Worst 120.3", "Highest 800.1"
    spine: Spine | None = None
    reason: str | None = None


@record
class SpineSpec:
    """Everything jsna/draw/spine.py needs: one row per indicator and the local area's name.
    The figure's cache key."""

    id: str
    chart_type: str
    area: str
    rows: tuple[SpineRow, ...]


def _latest(indicator) -> str:
    """The indicator's latest period with a local value (its last period if none has one)."""
    known = [p for p, v in indicator.local.values if v.value is not None]
    return known[-1] if known else indicator.local.values[-1][0]


def spine_row(indicator) -> SpineRow:
    """An indicator's row: its local and England values in the period of its group of every
    English authority, compared at 95%, and the spine of that group's values."""
    decimals = places(indicator, indicator.measure)
    group = next((g for g in indicator.groups if g.id == ENGLAND_GROUP), None)
    period = group.period if group is not None else _latest(indicator)
    local = indicator.local.get(period)
    england_series = indicator.series(ENGLAND_GROUP)
    england = england_series.get(period) if england_series is not None else None
    limits = interval(indicator, local) if local is not None and local.value is not None else None
    row = SpineRow(
        title=indicator.title, period=period, local=_read(local, indicator, decimals),
        england=_read(england, indicator, decimals),
        comparison=stats.compare(local.value if local else None, limits, england.value if england else None, indicator.polarity),
        polarity=indicator.polarity, ends=("", ""),
    )
    values = [m.value.value for m in group.members if m.value.value is not None] if group is not None else []
    reason = _why_not(indicator, group, england, values, period)
    if reason:
        return replace(row, reason=reason)
    made = spine(values, england.value, indicator.polarity, local.value if local is not None else None)
    left, right = ("Lowest", "Highest") if indicator.polarity == "no-judgement" else ("Worst", "Best")
    ends = (f"{left} {format_value(made.worst, indicator.measure, decimals)}",
            f"{right} {format_value(made.best, indicator.measure, decimals)}")
    return replace(row, spine=made, ends=ends)


def _why_not(indicator, group, england, values: list[float], period: str) -> str | None:
    """Why an indicator's row has no spine, in words for its row, or None."""
    if group is None and indicator.data and indicator.measure == "count":
        return "No spine: a count is not set beside other authorities' (their sizes differ); a rate or percentage is."
    if group is None:
        return "No spine: there are no figures for every English authority (its values are not read from a file of every area)."
    if england is None or england.value is None:
        return f"No spine: there is no value for England {in_period(period)}."
    if len(values) < MIN_AREAS:
        return f"No spine: only {len(values)} authorities have a value {in_period(period)}."
    return None


def _read(value, indicator, decimals: int) -> str:
    """A value as a row reads it: '346.0 per 10,000', '23.3%', or why there is none."""
    if value is None or value.value is None:
        return marker_text(value)
    return with_unit(value.value, indicator.measure, decimals, indicator.per)


def figure_of(slug: str, number: int, ref, indicators: tuple) -> FigureView:
    """A spine figure of `indicators` (the figure's `indicators`), each compared with England and
    placed among every English authority."""
    first = indicators[0]
    rows = tuple(spine_row(indicator) for indicator in indicators)
    area = first.area
    spec = SpineSpec(id=f"{slug}-figure-{number}", chart_type=ref.chart_type, area=area, rows=rows)
    title = ref.title or f"{area} compared with England and every English authority"
    return FigureView(
        number=number,
        anchor=f"figure-{number}",
        caption=f"Figure {number}: {title}, latest periods",
        alt=alt_text(spec, indicators, title),
        source=_sources(indicators),
        source_url=first.source.url if len({i.source.url for i in indicators}) == 1 else None,
        notes=(NOTE, _counted(rows)),
        table=_table(spec, indicators),
        chart=spec,
        csv=_csv(spec, indicators),
        svg_file=f"figure-{number}.svg",
        csv_file=f"figure-{number}.csv",
        chart_digest=digest("chart", repr(spec)),
    )


NOTE = (
    "Each row is one indicator. England's value is at the centre line; the bar spans every English "
    "authority's value, scaled so that the farther of the lowest and highest reaches the end (so one "
    "end may stop short); the lighter middle part is the 25th to 75th percentile (linear interpolation "
    "between the sorted values, R's default 'type 7'). Better is always to the right; an indicator "
    "with no better or worse direction has its higher values to the right. The marker is this "
    "area's value, its shape and colour its comparison with England at 95% confidence."
)


def _counted(rows: tuple[SpineRow, ...]) -> str:
    """How many authorities each spine spans, said once where they are all the same."""
    counts = [(row.title, row.spine.areas) for row in rows if row.spine is not None]
    if not counts:
        return "No indicator here has a value for every English authority."
    if len({n for _, n in counts}) == 1:
        return f"Each bar spans the {counts[0][1]} English authorities with a value."
    return "The bars span the English authorities with a value: " + "; ".join(f"{t}, {n}" for t, n in counts) + "."


def _sources(indicators) -> str:
    lines = list(dict.fromkeys(_source_line(i) for i in indicators))
    if len(lines) == 1:
        return lines[0]
    return "Sources: " + "; ".join(line.removeprefix("Source: ").rstrip(".") for line in lines) + "."


def _table(spec: SpineSpec, indicators) -> Table:
    """One row per indicator: its values and the spine's numbers (by value, lowest first)."""
    rows = []
    for row, indicator in zip(spec.rows, indicators):
        decimals = places(indicator, indicator.measure)
        numbers = (row.reason or "", "", "", "") if row.spine is None else tuple(
            format_value(v, indicator.measure, decimals) for v in row.spine.by_value())
        rows.append((f"{row.title}, {row.period}", (row.local, row.england, row.comparison, *numbers)))
    head = ("Indicator", spec.area, "England", "Compared with England", "Lowest", "25th percentile",
            "75th percentile", "Highest")
    return Table(head=head, rows=tuple(rows))


def _csv(spec: SpineSpec, indicators) -> str:
    """Each indicator's values and spine (columns described in docs/data.md)."""
    head = ("indicator_id", "indicator", "area", "period", "value", "england", "compared_with_england",
            "lowest", "percentile_25", "percentile_75", "highest", "authorities", "polarity", "note")
    made = []
    for row, indicator in zip(spec.rows, indicators):
        local, england = indicator.local.get(row.period), indicator.series(ENGLAND_GROUP)
        england_value = england.get(row.period) if england is not None else None
        numbers = (None,) * 5 if row.spine is None else (*row.spine.by_value(), row.spine.areas)
        made.append((indicator.id, indicator.title, spec.area, row.period, local.value if local else None,
                     england_value.value if england_value else None, row.comparison, *numbers,
                     indicator.polarity, row.reason or ""))
    return csv_text(head, made)


def _quarter(s: Spine) -> str:
    """Where the local value sits among the authorities, in words."""
    _, low, high, _ = s.by_value()
    if s.local < low:
        return "in the lowest quarter of authorities"
    if s.local > high:
        return "in the highest quarter of authorities"
    return "in the middle half of authorities"


def alt_text(spec: SpineSpec, indicators, title: str) -> str:
    """What each row shows, from the data: the local value, its comparison with England and
    where it sits among every authority."""
    parts = [f"Spine chart: {title}, {len(spec.rows)} indicators."]
    for row in spec.rows:
        said = f"{row.title}, {row.period}: {spec.area} {row.local}, England {row.england}, {_verdict(row.comparison)}"
        if row.spine is not None and row.spine.local is not None:
            said += f"; {_quarter(row.spine)} ({row.ends[0].lower()}, {row.ends[1].lower()})"
        parts.append(said + "." + (f" {row.reason}" if row.reason else ""))
    return " ".join(parts)


def _verdict(comparison: str) -> str:
    return {"similar": "similar to England", "not compared": "not compared with England"}.get(
        comparison, f"significantly {comparison} than England")
