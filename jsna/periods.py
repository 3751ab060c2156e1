"""Period labels as published ("2013-14", "31 March 2015", "2015") and their order in time."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december",
        ),
        start=1,
    )
}

_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\s+(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})\s*Q([1-4])$", re.IGNORECASE)
_MID_YEAR = re.compile(r"^mid-(\d{4})$")  # ONS mid-year estimates: a point in time, 30 June

EXPECTED = "a period such as 2013-14, 2015, 31 March 2015, March 2015, 2015-03-31, 2015 Q1 or mid-2015"


@dataclass(frozen=True, slots=True, order=True)
class PeriodKey:
    """A sortable point in time for a period label, with the label's kind."""

    kind: str
    year: int
    month: int
    day: int


@functools.lru_cache(maxsize=4096)
def period_key(label: str) -> PeriodKey | None:
    """Return the time-order key for a published period label, or None if it is not one.
    Remembered: a JSNA repeats the same few labels across hundreds of indicators."""
    text = label.strip()
    if m := _YEAR_RANGE.match(text):
        start, end = int(m[1]), m[2]
        follows = int(end) == start + 1 if len(end) == 4 else int(end) == (start + 1) % 100
        if not follows:
            return None
        return PeriodKey("year-range", start, 4, 1)
    if m := _YEAR.match(text):
        return PeriodKey("year", int(m[1]), 1, 1)
    if m := _MID_YEAR.match(text):
        return PeriodKey("date", int(m[1]), 6, 30)
    if m := _QUARTER.match(text):
        return PeriodKey("quarter", int(m[1]), (int(m[2]) - 1) * 3 + 1, 1)
    if m := _ISO_DATE.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        return PeriodKey("date", year, month, day) if _valid_day(year, month, day) else None
    if m := _DAY_MONTH_YEAR.match(text):
        month = _MONTHS.get(m[2].lower())
        year, day = int(m[3]), int(m[1])
        if month and _valid_day(year, month, day):
            return PeriodKey("date", year, month, day)
        return None
    if m := _MONTH_YEAR.match(text):
        month = _MONTHS.get(m[1].lower())
        return PeriodKey("date", int(m[2]), month, 0) if month else None
    return None


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def period_range(periods: tuple[str, ...]) -> str:
    """Describe a run of periods for a caption: "2011-12 to 2013-14", or the one label."""
    if not periods:
        return ""
    if len(periods) == 1:
        return periods[0]
    return f"{periods[0]} to {periods[-1]}"


def in_period(label: str) -> str:
    """The period with its preposition for prose: 'in 2013-14', but 'at 31 March 2014'."""
    key = period_key(label)
    return f"at {label}" if key is not None and key.kind == "date" and key.day else f"in {label}"
