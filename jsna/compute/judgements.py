"""Per indicator and period: confidence intervals, comparisons with each comparator, and the
recent trend, as the public health profiles compute them. Pure functions over the (already
disclosure-controlled) model; the headline table and the open data are both made from these.
"""

from __future__ import annotations

from jsna.compute import stats
from jsna.compute.ranks import GroupRank, group_rank
from jsna.model import Indicator, Value
from jsna.records import record

LEVELS = (0.95, 0.998)
PUBLISHED = "published"  # the method of an interval its publisher gave


@record
class PeriodStats:
    period: str
    value: Value
    intervals: tuple[stats.Interval | None, ...]  # one per level in LEVELS
    comparisons: tuple[tuple[str, float | None, tuple[str, ...]], ...]  # comparator id, its value, verdict per level


@record
class IndicatorStats:
    indicator: Indicator
    periods: tuple[PeriodStats, ...]
    trend: str
    rank: GroupRank | None = None  # among its statistical neighbours, in their latest period


def interval(indicator: Indicator, value: Value, confidence: float = 0.95) -> stats.Interval | None:
    """The value's confidence interval: the one its publisher gave at that level, else, where
    its numerator and denominator are published, Wilson's for a percentage, exact Poisson or
    Byar's for a rate; counts have none."""
    for level, lower, upper in value.limits if value.value is not None else ():
        if level == confidence:
            return stats.Interval(lower, upper, confidence, PUBLISHED)
    if value.value is None or value.numerator is None or not value.denominator:
        return None
    if indicator.measure == "percentage":
        return stats.wilson_interval(value.numerator, value.denominator, confidence).scaled(100)
    if indicator.measure == "rate":
        return stats.crude_rate_interval(value.numerator, value.denominator, indicator.per, confidence)
    return None


def trend(indicator: Indicator) -> str:
    """The recent trend of the local values (five most recent points, judged at 99.8%)."""
    points = []
    for index, (_, value) in enumerate(indicator.local.values):
        if value.value is None:
            continue
        limits = interval(indicator, value)
        points.append(
            stats.TrendPoint(
                period=float(index),
                numerator=value.numerator,
                denominator=value.denominator,
                value=value.value,
                lower=limits.lower if limits else None,
                upper=limits.upper if limits else None,
            )
        )
    kind = {"percentage": "proportion", "rate": "rate", "count": "count"}[indicator.measure]
    return stats.recent_trend(points, kind)


def indicator_stats(indicator: Indicator) -> IndicatorStats:
    periods = []
    for period, value in indicator.local.values:
        intervals = tuple(interval(indicator, value, level) for level in LEVELS)
        comparisons = []
        for comparator in indicator.comparators:
            other = comparator.get(period)
            other_value = other.value if other is not None else None
            verdicts = tuple(
                stats.compare(value.value, limits, other_value, indicator.polarity)
                if limits is not None and value.value is not None
                else "not compared"
                for limits in intervals
            )
            comparisons.append((comparator.id, other_value, verdicts))
        periods.append(PeriodStats(period, value, intervals, tuple(comparisons)))
    return IndicatorStats(indicator, tuple(periods), trend(indicator), group_rank(indicator))
