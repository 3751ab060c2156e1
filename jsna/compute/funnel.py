"""Funnel plot control limits, by the method of the public health profiles: PHEindicatormethods'
funnel functions (`calculate_funnel_limits`, `assign_funnel_significance`; in Python,
PHStatsMethods' funnels.py) and the Fingertips technical guidance on funnel plots, which take
the confidence intervals of APHO Technical Briefing 2 (Wilson's score interval for a proportion,
exact Poisson limits for a count) and turn them round: the limits are where an area of a given
size would sit if its true value were the average of all areas.

* The centre line is the average of the areas plotted: the sum of their numerators over the
  sum of their denominators (not a published England value).
* A proportion's limits at denominator n are p ± z·sqrt(p(1 − p)/n), z 1.96 (95%) or 3.09
  (99.8%), kept within 0 to 100%: the values whose Wilson interval has p at its edge
  (PHEindicatormethods' `sigma_adjustment` solves Wilson's quadratic for them; it simplifies to
  this).
* A rate's limits are drawn point by point from event counts O: the lower limit is at the
  population whose expected count (the average rate times it) is the upper exact Poisson limit
  of O, the upper limit at the population whose expected count is O's lower exact limit.
* An area is above a limit when even the lower end of its own interval (Wilson's, or exact
  Poisson) lies above the average at its size, and below it likewise: the same limits, so a
  point's band always agrees with where it is drawn. (PHEindicatormethods bands a rate with
  Byar's approximation to the exact limits for counts of 10 or more, which can differ for a
  point within about 0.2% of a limit; jsna keeps the exact limits throughout.)

The limits are pure functions on the standard library (jsna.compute.stats); the funnel figure
(`figure`: its spec, table, CSV and alt text) is made from them below.
"""

from __future__ import annotations

import math
from dataclasses import replace
from statistics import NormalDist

from jsna.build.store import digest
from jsna.compute import stats
from jsna.compute.opendata import csv_text, value_status
from jsna.compute.views import FigureView, Table, _source_line, value_axis_label, with_unit
from jsna.numbers import format_number, format_per, format_value, marker_text, places
from jsna.periods import in_period
from jsna.records import record

LEVELS = (0.95, 0.998)
BANDS = ("above 99.8%", "above 95%", "within 95%", "below 95%", "below 99.8%")
GRID_POINTS = 100  # points per limit line, as PHEindicatormethods draws them


@record
class FunnelArea:
    """One area to place on the funnel: its name, code, numerator and denominator."""

    name: str
    code: str
    numerator: float
    denominator: float


@record
class LimitLine:
    """One control limit drawn as (denominator, value) points, in the indicator's units."""

    confidence: float
    side: str  # "lower" or "upper"
    points: tuple[tuple[float, float], ...]


@record
class Funnel:
    """The average, the four limit lines and each area's value and band."""

    average: float  # in the indicator's units (a percentage, or a rate per `multiplier`)
    lines: tuple[LimitLine, ...]
    values: tuple[float, ...]  # one per area, in the indicator's units
    bands: tuple[str, ...]  # one of BANDS per area


def average(areas: tuple[FunnelArea, ...]) -> float:
    """The pooled average of the areas, as a proportion (sum of numerators / sum of denominators)."""
    return sum(a.numerator for a in areas) / sum(a.denominator for a in areas)


def proportion_limit(mean: float, denominator: float, confidence: float, side: str, multiplier: float = 100) -> float:
    """A proportion's control limit at a denominator, in the indicator's units (multiplier 100:
    a percentage), kept within 0 and `multiplier`."""
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    reach = z * math.sqrt(mean * (1 - mean) / denominator)
    limit = mean - reach if side == "lower" else mean + reach
    return min(max(limit, 0.0), 1.0) * multiplier


def rate_limit_point(mean: float, count: float, confidence: float, side: str, multiplier: float) -> tuple[float, float]:
    """(population, rate) of a rate's control limit at an event count (at least 1): the lower
    limit where the population's expected count is the count's upper exact Poisson limit, the
    upper where it is the lower."""
    return _rate_points(mean, count, stats.exact_poisson_interval(count, confidence), multiplier)[side]


def _rate_points(mean: float, count: float, limits: stats.Interval, multiplier: float) -> dict[str, tuple[float, float]]:
    """Both control limits' (population, rate) points from one count's exact limits."""
    low, high = limits.upper / mean, limits.lower / mean  # the populations of the lower and upper lines
    return {"lower": (low, count / low * multiplier), "upper": (high, count / high * multiplier)}


def band(area: FunnelArea, mean: float, measure: str) -> str:
    """Where an area falls: above or below the 99.8% or 95% limits, or within them."""
    tails = stats.poisson_tails(area.numerator, mean * area.denominator) if measure != "percentage" else None
    for confidence, outer in ((0.998, True), (0.95, False)):
        if tails is None:
            interval = stats.wilson_interval(area.numerator, area.denominator, confidence)
            above, below = interval.lower > mean, interval.upper < mean
        else:  # the exact limits' test, without finding them (`stats.poisson_tails`)
            above, below = tails[1] < (1 - confidence) / 2, tails[0] < (1 - confidence) / 2
        if above:
            return BANDS[0] if outer else BANDS[1]
        if below:
            return BANDS[4] if outer else BANDS[3]
    return BANDS[2]


def axis_range(denominators: list[float]) -> tuple[float, float]:
    """The denominators the lines are drawn over: from 0 (or, where the largest is at most
    twice the smallest, just under the smallest) to just over the largest, as
    PHEindicatormethods rounds them."""
    low, high = min(denominators), max(denominators)
    start = 0.0 if high > 2 * low else _floor_neat(low)
    return start, _ceil_neat(high)


def _floor_neat(x: float) -> float:
    """95% of x, rounded down to its leading digit (PHEindicatormethods' signif.floor)."""
    scaled = math.floor(x * 0.95)
    step = 10 ** (len(str(scaled)) - 1)
    return float(math.floor(x * 0.95 / step) * step)


def _ceil_neat(x: float) -> float:
    """105% of x, rounded up to its two leading digits (PHEindicatormethods' signif.ceiling)."""
    scaled = math.ceil(x * 1.05)
    step = 10 ** max(0, len(str(scaled)) - 2)
    return float(math.ceil(x * 1.05 / step) * step)


def grid(start: float, stop: float) -> tuple[int, ...]:
    """GRID_POINTS whole numbers from max(1, start) to `stop`, spaced evenly on a log scale
    (each at least one more than the last)."""
    points = [max(1, int(start))]
    for index in range(2, GRID_POINTS + 1):
        last = points[-1]
        points.append(max(round((stop / last) ** (1 / (GRID_POINTS + 1 - index)) * last), last + 1))
    return tuple(points)


def funnel(areas: tuple[FunnelArea, ...], measure: str, multiplier: float) -> Funnel:
    """The funnel of `areas` for a "percentage" (multiplier 100) or a "rate" (per `multiplier`)."""
    mean = average(areas)
    start, stop = axis_range([a.denominator for a in areas])
    lines = []
    for confidence in LEVELS:
        if measure == "percentage":
            for side in ("lower", "upper"):
                points = tuple((float(n), proportion_limit(mean, n, confidence, side, multiplier)) for n in grid(start, stop))
                lines.append(LimitLine(confidence, side, points))
        else:
            counts = grid(math.floor(start * mean), math.ceil(stop * mean))
            both = [_rate_points(mean, o, stats.exact_poisson_interval(o, confidence), multiplier) for o in counts]
            lines.extend(LimitLine(confidence, side, tuple(b[side] for b in both)) for side in ("lower", "upper"))
    values = tuple(a.numerator / a.denominator * multiplier for a in areas)
    return Funnel(mean * multiplier, tuple(lines), values, tuple(band(a, mean, measure) for a in areas))


# The funnel figure ---------------------------------------------------------------------------

ENGLAND_GROUP = "england"  # the group a funnel shows unless the figure names another


@record
class FunnelDot:
    """One area on the funnel: its denominator, value (from its numerator and denominator, as
    the limits are), band, and whether it is the chapter's own area."""

    name: str
    denominator: float
    value: float
    band: str
    local: bool = False


@record
class FunnelSpec:
    """Everything jsna/draw/funnel.py needs: the dots, the limit lines, the average and how
    values read. The figure's cache key."""

    id: str
    chart_type: str
    dots: tuple[FunnelDot, ...]
    lines: tuple[LimitLine, ...]
    average: float
    value_axis: str
    size_axis: str
    size_range: tuple[float, float]  # the denominators the chart spans (`axis_range`)
    measure: str
    decimals: int


@record
class Placed:
    """A member of the group and where it falls: its area and dot, or None for both where it
    has no numerator and denominator to be placed by (suppressed, not published)."""

    member: object  # model.Member
    area: FunnelArea | None
    dot: FunnelDot | None


def multiplier(indicator) -> float:
    """What a numerator over its denominator is multiplied by: 100 for a percentage, `per` for a rate."""
    return 100.0 if indicator.measure == "percentage" else float(indicator.per or 1)


def place(indicator, group) -> tuple[tuple[Placed, ...], Funnel]:
    """Every member of the group, placed on the funnel of those that can be, highest value first
    (those without a value last), and the funnel."""
    found = []
    for member in group.members:
        v = member.value
        usable = v.value is not None and v.numerator is not None and bool(v.denominator)
        found.append((member, FunnelArea(member.name, member.code or "", v.numerator, v.denominator) if usable else None))
    areas = tuple(area for _, area in found if area is not None)
    made = funnel(areas, indicator.measure, multiplier(indicator))
    dots = iter(FunnelDot(a.name, a.denominator, v, b) for a, v, b in zip(areas, made.values, made.bands))
    rows = [Placed(m, a, None if a is None else replace(next(dots), local=m.local)) for m, a in found]
    rows.sort(key=lambda p: (p.member.value.value is None, -(p.member.value.value or 0.0), p.member.name))
    return tuple(rows), made


def figure(slug: str, number: int, ref, indicator):
    """A funnel figure: every area of the group (all English authorities unless `group` names
    another) against its denominator, with the 95% and 99.8% limits around their average."""
    group = next(g for g in indicator.groups if g.id == (ref.group or ENGLAND_GROUP))
    rows, made = place(indicator, group)
    spec = FunnelSpec(
        id=f"{slug}-figure-{number}", chart_type=ref.chart_type,
        dots=tuple(sorted((p.dot for p in rows if p.dot), key=lambda d: (d.local, d.name))), lines=made.lines,
        average=made.average, value_axis=value_axis_label(indicator.measure, indicator.unit, indicator.per),
        size_axis=indicator.denominator or "Denominator",
        size_range=axis_range([p.area.denominator for p in rows if p.area]), measure=indicator.measure,
        decimals=places(indicator, indicator.measure),
    )
    title = ref.title or indicator.title
    return FigureView(
        number=number,
        anchor=f"figure-{number}",
        caption=f"Figure {number}: {title}, funnel plot of {group.name}, {group.period}",
        alt=alt_text(indicator, group, rows, spec, title),
        source=_source_line(indicator),
        source_url=indicator.source.url,
        notes=indicator.notes_for(None, (group.period,)) + _notes(indicator, spec, rows),
        table=_table(indicator, rows),
        chart=spec,
        csv=_csv(indicator, group, rows, spec),
        svg_file=f"figure-{number}.svg",
        csv_file=f"figure-{number}.csv",
        chart_digest=digest("chart", repr(spec)),
    )


_METHOD = {
    "percentage": "from Wilson's score interval",
    "rate": "from exact Poisson limits",
}


def _say(indicator, value: float) -> str:
    return with_unit(value, indicator.measure, places(indicator, indicator.measure), indicator.per)


def _notes(indicator, spec: FunnelSpec, rows: tuple[Placed, ...]) -> tuple[str, ...]:
    notes = (
        f"The centre line is the average of the {len(spec.dots)} areas plotted, {_say(indicator, spec.average)}: "
        "their numerators added up over their denominators, not England's published value. The "
        "control limits show where an area of each size would fall 95% and 99.8% of the time if its "
        f"true value were that average ({_METHOD[indicator.measure]}, as PHEindicatormethods' funnel "
        "functions compute them); an area outside them differs from the average by more than "
        "chance would explain at that level.",
    )
    outside = sum(1 for d in spec.dots if d.band in (BANDS[0], BANDS[4]))
    if outside * 4 > len(spec.dots):
        notes += (f"Here {outside} of the {len(spec.dots)} areas fall outside the 99.8% limits. The limits allow "
                  "for chance alone; when this many areas fall outside them, areas differ for real reasons "
                  "as well (their populations, their practice), so being outside the limits says less than "
                  "it would otherwise.",)
    unplaced = sum(1 for p in rows if p.dot is None)
    if unplaced:
        notes += (f"{unplaced} {'area has' if unplaced == 1 else 'areas have'} no published numerator and "
                  "denominator, so cannot be placed on the funnel; the table lists them.",)
    return notes


def band_words(band_name: str) -> str:
    """A band as the alt text and the legend say it: 'above the 99.8% limit', 'within the 95% limits'."""
    if band_name == BANDS[2]:
        return "within the 95% limits"
    side, level = band_name.split(" ")
    return f"{side} the {level} limit"


def _table(indicator, rows: tuple[Placed, ...]) -> Table:
    """Every area, highest value first: its value, denominator and band."""
    decimals = places(indicator, indicator.measure)
    made = []
    for p in rows:
        value = p.member.value
        shown = format_value(value.value, indicator.measure, decimals) if value.value is not None else marker_text(value)
        name = f"{p.member.name} (this area)" if p.member.local else p.member.name
        if p.dot is None:
            made.append((name, (shown, "", "not placed (no counts)")))
        else:
            made.append((name, (shown, format_number(p.area.denominator), p.dot.band)))
    # Fixed columns: a table of 153 areas lays out in the PDF in about half the time (the CSV
    # gives each numerator too).
    return Table(head=("Area", "Value", "Denominator", "Against the control limits"), rows=tuple(made), fixed=True)


def _csv(indicator, group, rows: tuple[Placed, ...], spec: FunnelSpec) -> str:
    """Every area's value, numerator, denominator and band (columns described in docs/data.md)."""
    measure = f"rate {format_per(indicator.per)}" if indicator.measure == "rate" else indicator.measure
    head = ("indicator_id", "indicator", "area_code", "area", "group", "period", "value", "numerator",
            "denominator", "funnel_band", "funnel_average", "measure", "status")
    return csv_text(head, [
        (indicator.id, indicator.title, p.member.code or "", p.member.name, group.id, group.period,
         p.member.value.value, p.area.numerator if p.area else None, p.area.denominator if p.area else None,
         p.dot.band if p.dot else "not placed", spec.average, measure, value_status(p.member.value))
        for p in rows
    ])


def alt_text(indicator, group, rows: tuple[Placed, ...], spec: FunnelSpec, title: str) -> str:
    """What the funnel shows, from the data: how many areas fall outside each limit, and where
    the local area falls."""
    head = (f"Funnel plot of {title[0].lower() + title[1:]} against {spec.size_axis[0].lower() + spec.size_axis[1:]} "
            f"for {len(spec.dots)} {group.name} {in_period(group.period)}, with 95% and 99.8% control limits around "
            f"their average, {_say(indicator, spec.average)}.")
    counts = {b: sum(1 for d in spec.dots if d.band == b) for b in BANDS}
    said = "; ".join(f"{n} {band_words(b)}" for b, n in counts.items() if n)
    parts = [head, f"Areas: {said}."]
    local = next((p for p in rows if p.member.local), None)
    if local is not None and local.dot is not None:
        parts.append(f"{local.member.name}: {_say(indicator, local.member.value.value)}, "
                     f"{band_words(local.dot.band)}.")
    elif local is not None:
        parts.append(f"{local.member.name} is not placed: it has no published numerator and denominator.")
    return " ".join(parts)


