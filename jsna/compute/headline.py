"""The headline table at the top of a chapter, like a public health profile's overview: each
indicator's latest value with its interval, each comparator with the comparison in words, and
the recent trend with an arrow and words (colour is added by the stylesheet, never alone).
"""

from __future__ import annotations

from jsna.compute.judgements import IndicatorStats
from jsna.model import Config
from jsna.numbers import format_per, format_value, marker_text, places
from jsna.records import record

_COMPARISON_WORDS = {
    "better": "Better",
    "worse": "Worse",
    "similar": "Similar",
    "higher": "Higher",
    "lower": "Lower",
    "not compared": "Not compared",
}
_TREND = {
    "increasing": ("↑", "Increasing"),
    "decreasing": ("↓", "Decreasing"),
    "no significant change": ("→", "No significant change"),
    "cannot be calculated": ("–", "Cannot be calculated"),
}


@record
class Judgement:
    words: str
    tone: str  # a class name for the stylesheet: better, worse, similar, higher, lower, none


@record
class ComparatorCell:
    value: str
    judgement: Judgement | None


@record
class HeadlineRow:
    indicator: str
    unit: str
    period: str
    value: str
    interval: str | None
    comparators: tuple[ComparatorCell, ...]
    trend_arrow: str
    trend: Judgement


@record
class Headline:
    area: str
    comparator_names: tuple[str, ...]
    rows: tuple[HeadlineRow, ...]


def _unit(measure: str, per: int | None) -> str:
    return {"count": "Count", "percentage": "%"}.get(measure) or f"Rate {format_per(per)}"


def headline(config: Config, area: str, indicator_stats: tuple[IndicatorStats, ...]) -> Headline:
    """Rows for the chapter's indicators, in order of first use, at each one's latest period."""
    used = [cid for cid, _ in config.comparators if any(s.indicator.series(cid) for s in indicator_stats)]
    rows = []
    for item in indicator_stats:
        indicator = item.indicator
        digits = places(indicator, indicator.measure)
        latest = next((p for p in reversed(item.periods) if p.value.value is not None), item.periods[-1])
        value = latest.value
        shown = format_value(value.value, indicator.measure, digits) if value.value is not None else marker_text(value)
        ci = latest.intervals[0]
        interval = (
            f"{format_value(ci.lower, indicator.measure, digits)} to {format_value(ci.upper, indicator.measure, digits)}"
            if ci is not None
            else None
        )
        by_id = {cid: (other, verdicts) for cid, other, verdicts in latest.comparisons}
        cells = []
        for cid in used:
            if cid not in by_id:
                cells.append(ComparatorCell("–", None))
                continue
            other, verdicts = by_id[cid]
            text = format_value(other, indicator.measure, digits) if other is not None else "not available"
            verdict = verdicts[0] if other is not None else "not compared"
            tone = "none" if verdict == "not compared" else verdict
            cells.append(ComparatorCell(text, Judgement(_COMPARISON_WORDS[verdict], tone)))
        arrow, words = _TREND[item.trend]
        rows.append(
            HeadlineRow(
                indicator=indicator.title,
                # A row for another area (England, say) names it: the value column is the chapter's area.
                unit=_unit(indicator.measure, indicator.per) + ("" if indicator.area == area else f"; {indicator.area}"),
                period=latest.period,
                value=shown,
                interval=interval,
                comparators=tuple(cells),
                trend_arrow=arrow,
                trend=Judgement(words, "none"),
            )
        )
    return Headline(area, tuple(dict(config.comparators)[c] for c in used), tuple(rows))
