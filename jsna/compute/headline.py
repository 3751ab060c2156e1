"""The headline table at the top of a chapter, like a public health profile's overview: each
indicator's latest value with its interval, each comparator with the comparison in words, and
the recent trend with an arrow and words (colour is added by the stylesheet, never alone).

The chapter's area has its own column, and only its own values go there: an indicator published
for another area (England, say) shows its value in that area's column (added after the
comparators when no comparator has that name). The notes under the table are only those that
apply to what it shows.
"""

from __future__ import annotations

from jsna.compute.judgements import IndicatorStats, PeriodStats
from jsna.compute.intervals import how
from jsna.compute.stats import TREND_POINTS
from jsna.model import MARKERS, Config
from jsna.numbers import MISSING, format_per, format_value, marker_text, number_words, places
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
SUPPRESSED = "c (suppressed)"  # a suppressed value in a cell; the note says why
NOTE_COMPARED = (
    "Compared at 95% confidence, using a confidence interval around the local value: the one its "
    "publisher gives, as published, else one computed by jsna from the value's numerator and "
    "denominator (Wilson's method for percentages; exact Poisson or Byar's for rates)."
)
NOTE_NOT_COMPARED = (
    '"Not compared" means no interval could be computed because the count and population behind '
    "the value are not published."
)
NOTE_SUPPRESSED = f"c: {MARKERS['c']} (a small count, or a value built on one, is not published)."
RANK_COLUMN = "Rank among statistical neighbours"
NOTE_RANK = (
    f"{RANK_COLUMN}: the area's place among itself and its statistical neighbours, in the latest "
    "period with a value; 1st is the best end (the highest where higher is better, the lowest where "
    "lower is better), or the highest where no judgement is made. Areas with the same value share "
    "a place."
)
NOTE_TREND = f"Recent trend: the last {number_words(TREND_POINTS)} periods, tested at 99.8%."


@record
class Judgement:
    words: str
    tone: str  # a class name for the stylesheet: better, worse, similar, higher, lower, none


@record
class ComparatorCell:
    value: str
    judgement: Judgement | None


@record
class RankCell:
    text: str  # '3rd of 11', with the period where it is not the row's
    order: str  # which end is 1st: '1st is the lowest, the best'


@record
class HeadlineRow:
    indicator: str
    unit: str
    period: str
    value: str
    interval: str | None
    comparators: tuple[ComparatorCell, ...]  # one per column after the area's own
    trend_arrow: str
    trend: Judgement
    rank: RankCell | None = None  # among its statistical neighbours


@record
class Headline:
    area: str
    comparator_names: tuple[str, ...]  # the columns after the area's own, in order
    rows: tuple[HeadlineRow, ...]
    notes: tuple[str, ...] = ()
    compared_with: tuple[str, ...] = ()  # the comparators among those columns
    rank_column: str | None = None  # the rank's column heading, where any row has a rank


def _unit(measure: str, per: int | None) -> str:
    return {"count": "Count", "percentage": "%"}.get(measure) or f"Rate {format_per(per)}"


def latest_shown(item: IndicatorStats) -> PeriodStats:
    """The period a row shows: the latest with a value or a suppressed one ('c'), so that a
    suppression is never hidden behind an older value; else the last period."""
    shown = (p for p in reversed(item.periods) if p.value.value is not None or p.value.marker == "c")
    return next(shown, item.periods[-1])


def _value_text(item: IndicatorStats, latest: PeriodStats) -> str:
    value = latest.value
    if value.value is None:
        return SUPPRESSED if value.marker == "c" else marker_text(value)
    return format_value(value.value, item.indicator.measure, places(item.indicator, item.indicator.measure))


def _interval_text(item: IndicatorStats, latest: PeriodStats) -> str | None:
    ci = latest.intervals[0]
    if ci is None:
        return None
    measure, digits = item.indicator.measure, places(item.indicator, item.indicator.measure)
    return f"{format_value(ci.lower, measure, digits)} to {format_value(ci.upper, measure, digits)}, {how((ci,))}"


def _comparator_cells(item: IndicatorStats, latest: PeriodStats, ids: tuple[str, ...]) -> list[ComparatorCell]:
    indicator = item.indicator
    digits = places(indicator, indicator.measure)
    by_id = {cid: (other, verdicts) for cid, other, verdicts in latest.comparisons}
    cells = []
    for cid in ids:
        if cid not in by_id:
            cells.append(ComparatorCell("–", None))
            continue
        other, verdicts = by_id[cid]
        text = format_value(other, indicator.measure, digits) if other is not None else MISSING
        verdict = verdicts[0] if other is not None else "not compared"
        tone = "none" if verdict == "not compared" else verdict
        cells.append(ComparatorCell(text, Judgement(_COMPARISON_WORDS[verdict], tone)))
    return cells


def trend_reason(item: IndicatorStats) -> str:
    """Why the recent trend cannot be calculated, in one phrase."""
    known = [p.value for p in item.periods if p.value.value is not None]
    if len(known) < TREND_POINTS:
        return f"fewer than {number_words(TREND_POINTS)} periods"
    if item.indicator.measure == "count":
        return "no counts published to test"
    return "no count and population published"


def _trend(item: IndicatorStats, elsewhere: str | None) -> tuple[str, Judgement]:
    arrow, words = _TREND[item.trend]
    if item.trend == "cannot be calculated":
        words = f"{words}: {trend_reason(item)}"
    return arrow, Judgement(f"{words} ({elsewhere})" if elsewhere else words, "none")


def _rank(item: IndicatorStats, period: str) -> RankCell | None:
    rank = item.rank
    if rank is None:
        return None
    when = "" if rank.period == period else f" ({rank.period})"
    return RankCell(rank.words + when, rank.order)


def _row(item: IndicatorStats, area: str, ids: tuple[str, ...], columns: tuple[str, ...]) -> HeadlineRow:
    """A row; the value goes in the area's column, or, for another area's indicator, in that
    area's column (the area's own then says it has no figure)."""
    indicator = item.indicator
    latest = latest_shown(item)
    value, interval = _value_text(item, latest), _interval_text(item, latest)
    cells = _comparator_cells(item, latest, ids) + [ComparatorCell("–", None) for _ in columns[len(ids):]]
    elsewhere = indicator.area if indicator.area != area else None
    if elsewhere:
        index = columns.index(elsewhere)
        if interval:
            value = f"{value} (95% CI {interval})"
        cells[index] = ComparatorCell(value, None)
        value, interval = MISSING, None
    arrow, trend = _trend(item, elsewhere)
    return HeadlineRow(
        indicator=indicator.title,
        unit=_unit(indicator.measure, indicator.per),
        period=latest.period,
        value=value,
        interval=interval,
        comparators=tuple(cells),
        trend_arrow=arrow,
        trend=trend,
        rank=_rank(item, latest.period),
    )


def _notes(rows: tuple[HeadlineRow, ...], compared: bool, ranked: bool) -> tuple[str, ...]:
    """The notes that apply to the table: comparisons only where there are some, and so on."""
    cells = [cell for row in rows for cell in row.comparators]
    notes = [NOTE_COMPARED] if compared else []
    if any(cell.judgement and cell.judgement.words == "Not compared" for cell in cells):
        notes.append(NOTE_NOT_COMPARED)
    if any(SUPPRESSED in text for row in rows for text in (row.value, *(c.value for c in row.comparators))):
        notes.append(NOTE_SUPPRESSED)
    if ranked:
        notes.append(NOTE_RANK)
    notes.append(NOTE_TREND)
    return tuple(notes)


def headline(config: Config, area: str, indicator_stats: tuple[IndicatorStats, ...]) -> Headline:
    """Rows for the chapter's indicators, in order of first use, at each one's latest period."""
    names = dict(config.comparators)
    ids = tuple(cid for cid, _ in config.comparators if any(s.indicator.series(cid) for s in indicator_stats))
    columns = tuple(names[c] for c in ids)
    others = [s.indicator.area for s in indicator_stats if s.indicator.area != area]
    columns += tuple(dict.fromkeys(a for a in others if a not in columns))
    rows = tuple(_row(item, area, ids, columns) for item in indicator_stats)
    compared = any(cell.judgement for row in rows for cell in row.comparators)
    ranked = any(row.rank for row in rows)
    return Headline(area, columns, rows, _notes(rows, compared, ranked), tuple(names[c] for c in ids),
                    RANK_COLUMN if ranked else None)
