"""95% confidence intervals as figures show them: per value of a series (line and bar charts with
`intervals: true`) and in words, saying "as published" where the data file gave them and how jsna
computed them otherwise (`judgements.interval`)."""

from __future__ import annotations

from jsna.compute.judgements import interval
from jsna.compute.stats import Interval
from jsna.model import Indicator, Series
from jsna.numbers import format_value

CONFIDENCE = 0.95


def series_limits(indicator: Indicator, series: Series, periods: tuple[str, ...]) -> tuple[Interval | None, ...]:
    """Each period's 95% interval of a series (None where it has no value, or no interval can
    be had: a count, or no numerator and denominator)."""
    found = []
    for period in periods:
        value = series.get(period)
        found.append(interval(indicator, value, CONFIDENCE) if value is not None else None)
    return tuple(found)


def how(intervals) -> str:
    """How the intervals were had, in words: 'as published', 'computed by jsna (Byar's)', or
    both joined by 'or'; '' if there are none."""
    methods = sorted({i.method for i in intervals if i is not None})
    computed = [m for m in methods if m != "published"]
    said = (["as published"] if "published" in methods else []) + (
        [f"computed by jsna ({', '.join(computed)})"] if computed else [])
    return " or ".join(said)


def note(intervals, shown: str = "The whiskers") -> tuple[str, ...]:
    """The figure's note on its intervals (none if it has none); `shown`: where they are shown."""
    said = how(intervals)
    if not said:
        return ()
    return (f"{shown} are 95% confidence intervals, {said}; a value is significantly different from "
            "England's where its interval does not include England's value.",)


def with_limits(text: str, limits: Interval | None, measure: str, decimals: int) -> str:
    """A table cell with its interval after it: '346.0 (328.9 to 363.7)'."""
    if limits is None:
        return text
    return f"{text} ({format_value(limits.lower, measure, decimals)} to {format_value(limits.upper, measure, decimals)})"


def pair(limits: Interval | None) -> tuple[float, float] | None:
    """The lower and upper limits, as a chart draws them."""
    return None if limits is None else (limits.lower, limits.upper)
