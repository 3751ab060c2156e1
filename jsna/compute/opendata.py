"""A chapter's computed data as open data, JSON and CSV: per indicator and period, the value,
numerator, denominator, limits at 95% and 99.8%, the comparison with each comparator, the trend,
and any marker. Every column is described in docs/data.md. Also `csv_text`, the one writer of
every CSV jsna publishes (the figures' too), so none carries a spreadsheet formula.
"""

from __future__ import annotations

import json

from jsna.compute.judgements import LEVELS, IndicatorStats
from jsna.compute.intervals import how
from jsna.model import Chapter, Config

_STATUS = {"c": "suppressed", "x": "not available", "z": "not applicable", "u": "low reliability", "low": "rounds to zero"}

# What a spreadsheet takes as the start of a formula (OWASP, CSV injection), and what a text
# cell is quoted for: the separator, the quote, and line breaks (the csv module would leave a
# lone carriage return bare, ending the row for a reader).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTED_FOR = (",", '"', "\n", "\r")


def _inert(text: str) -> str:
    """Text with `'` in front of it, so it is shown as text, if it would start a formula; and
    in front of any part after a `;` that would (a spreadsheet in a locale whose separator is
    `;` starts a cell there)."""
    return ";".join("'" + part if part.startswith(_FORMULA_START) else part for part in text.split(";"))


def _field(cell: object) -> str:
    """One cell: empty for None, a number (a negative one too) as Python writes it, text made
    inert and quoted (its quotes doubled) if it holds a comma, a quote or a line break."""
    if cell is None:
        return ""
    if not isinstance(cell, str):
        return str(cell)
    text = _inert(cell)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in _QUOTED_FOR) else text


def csv_text(head: tuple[str, ...], rows) -> str:
    """A CSV of `head` and `rows` (sequences of text, numbers or None), every text cell made
    inert: any title, category or label an editor wrote may begin with `=`."""
    return "".join(",".join(map(_field, row)) + "\n" for row in (head, *rows))


def _number(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(float(x), 4)


def value_status(value) -> str:
    """How a value came to be (or why it is missing), in words: the data files' `status`."""
    if value.value is None:
        return _STATUS.get(value.marker, "missing")
    return "derived" if value.derived else "published"


def _rank(item: IndicatorStats, period: str) -> dict:
    """The rank among statistical neighbours, on the row of the period it was ranked in."""
    rank = item.rank if item.rank is not None and item.rank.period == period else None
    return {
        "neighbour_rank": rank.rank if rank else None,
        "neighbour_rank_of": rank.size if rank else None,
        "neighbour_rank_first": f"{rank.first}{' (best)' if rank.best else ''}" if rank else None,
    }


def _rows(config: Config, chapter: Chapter, items: tuple[IndicatorStats, ...]):
    names = dict(config.comparators)
    for item in items:
        indicator = item.indicator
        for period in item.periods:
            value = period.value
            limits = {}
            for level, ci in zip(LEVELS, period.intervals):
                tag = "95" if level == 0.95 else "99_8"
                limits[f"lower_{tag}"] = _number(ci.lower) if ci else None
                limits[f"upper_{tag}"] = _number(ci.upper) if ci else None
            yield {
                "chapter": chapter.slug,
                "indicator_id": indicator.id,
                "indicator": indicator.title,
                "area": indicator.area,
                "period": period.period,
                "measure": indicator.measure,
                "per": indicator.per,
                "polarity": indicator.polarity,
                "value": _number(value.value),
                "numerator": _number(value.numerator),
                "denominator": _number(value.denominator),
                **limits,
                "interval_method": how(period.intervals[:1]) if period.intervals[0] else None,
                "status": value_status(value),
                "note": "; ".join(x for x in (value.derived, value.note) if x) or None,
                "comparisons": [
                    {
                        "comparator_id": cid,
                        "comparator": names[cid],
                        "comparator_value": _number(other),
                        "comparison_95": verdicts[0] if other is not None else "not compared",
                        "comparison_99_8": verdicts[1] if other is not None else "not compared",
                    }
                    for cid, other, verdicts in period.comparisons
                ],
                "trend": item.trend,
                **_rank(item, period.period),
                "source": f"{indicator.source.publisher}, {indicator.source.dataset}",
            }


def chapter_json(config: Config, chapter: Chapter, items: tuple[IndicatorStats, ...]) -> str:
    document = {
        "chapter": chapter.slug,
        "title": chapter.title,
        "area": chapter.area,
        "organisation": config.organisation,
        "last_updated": chapter.last_updated.isoformat(),
        "rows": list(_rows(config, chapter, items)),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


CSV_COLUMNS = (
    "chapter", "indicator_id", "indicator", "area", "period", "measure", "per", "polarity", "value",
    "numerator", "denominator", "lower_95", "upper_95", "lower_99_8", "upper_99_8", "interval_method",
    "status", "note", "comparator_id", "comparator", "comparator_value", "comparison_95",
    "comparison_99_8", "trend", "neighbour_rank", "neighbour_rank_of", "neighbour_rank_first", "source",
)


def chapter_csv(config: Config, chapter: Chapter, items: tuple[IndicatorStats, ...]) -> str:
    """One row per indicator, period and comparator (one row with empty comparator columns
    where an indicator has no comparators)."""
    return csv_text(CSV_COLUMNS, (
        [{**row, **comparison}.get(column) for column in CSV_COLUMNS]
        for row in _rows(config, chapter, items)
        for comparison in row.pop("comparisons") or [{}]
    ))
