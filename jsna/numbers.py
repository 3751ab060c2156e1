"""Numbers in UK style, formatted by one function so the prose, tables and charts agree."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from jsna.model import MARKERS, Indicator, Value

MISSING = "not available"


def default_decimals(measure: str) -> int:
    """Counts are whole; percentages and rates are published to one decimal place."""
    return 0 if measure == "count" else 1


def places(indicator: Indicator, measure: str) -> int:
    """Decimal places for an indicator's values in a measure: its own setting, or the default."""
    if indicator.decimals is not None and measure == indicator.measure:
        return indicator.decimals
    return default_decimals(measure)


def marker_text(value: Value | None) -> str:
    """How a value that is not a number reads: 'c' (suppressed), 'not available', 'not applicable'."""
    marker = value.marker if value is not None else None
    if marker == "c":
        return "c"
    return MARKERS[marker] if marker else MISSING


def format_number(value: float, decimals: int = 0) -> str:
    """7541 -> '7,541'; 428.64 at 1 decimal -> '428.6'. Halves round away from zero, as published."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{decimals}f}"


def format_value(value: float, measure: str, decimals: int | None = None) -> str:
    """A value as a reader sees it in a table or sentence: '7,541', '52.5%', '428.6'."""
    places = default_decimals(measure) if decimals is None else decimals
    text = format_number(value, places)
    return f"{text}%" if measure == "percentage" else text


def format_per(per: int) -> str:
    """The rate's base in words: 10000 -> 'per 10,000'."""
    return f"per {format_number(per)}"


_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)


def format_date(value: dt.date) -> str:
    """A date as written in UK prose: '5 April 2016' (independent of the machine's locale)."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_words(n: int) -> str:
    """A whole number as UK prose writes it: in words below ten ('five'), else in figures."""
    return _SMALL[n] if 0 <= n < len(_SMALL) else format_number(n)


def format_published(text: str) -> str:
    """A publication date as given (YYYY-MM-DD, YYYY-MM or YYYY) in UK style: '25 April 2016',
    'November 2023', '2016'; anything else is returned as it is."""
    parts = text.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 3:
            return format_date(dt.date(*numbers))
        if len(numbers) == 2 and 1 <= numbers[1] <= 12:
            return f"{_MONTHS[numbers[1] - 1]} {numbers[0]}"
    except ValueError:
        return text
    return text


def format_bytes(size: int) -> str:
    """A file size for a download link: '412 KB', '1.3 MB'."""
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{format_number(size / 1_000_000, 1)} MB"
