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

Pure functions on the standard library (jsna.compute.stats).
"""

from __future__ import annotations

import math
from statistics import NormalDist

from jsna.compute import stats
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
    limits = stats.exact_poisson_interval(count, confidence)
    expected = limits.upper if side == "lower" else limits.lower
    population = expected / mean
    return population, count / population * multiplier


def band(area: FunnelArea, mean: float, measure: str) -> str:
    """Where an area falls: above or below the 99.8% or 95% limits, or within them."""
    for confidence, outer in ((0.998, True), (0.95, False)):
        if measure == "percentage":
            interval = stats.wilson_interval(area.numerator, area.denominator, confidence)
            low, high, centre = interval.lower, interval.upper, mean
        else:
            interval = stats.exact_poisson_interval(area.numerator, confidence)
            low, high, centre = interval.lower, interval.upper, mean * area.denominator
        if low > centre:
            return BANDS[0] if outer else BANDS[1]
        if high < centre:
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
        for side in ("lower", "upper"):
            if measure == "percentage":
                points = tuple((float(n), proportion_limit(mean, n, confidence, side, multiplier)) for n in grid(start, stop))
            else:
                counts = grid(math.floor(start * mean), math.ceil(stop * mean))
                points = tuple(rate_limit_point(mean, o, confidence, side, multiplier) for o in counts)
            lines.append(LimitLine(confidence, side, points))
    values = tuple(a.numerator / a.denominator * multiplier for a in areas)
    return Funnel(mean * multiplier, tuple(lines), values, tuple(band(a, mean, measure) for a in areas))
