"""Statistical disclosure control: hide small counts, and everything built on them, before any
output is made, so no chart, table, CSV, alt text, sentence or PDF can show them.

The default rule follows England's children's social care statistics (the Department for
Education's children in need releases): any count from 1 to 5 is replaced by "c", zeros are
shown, and a second cell is suppressed where a shown total would let the hidden one be
recovered by subtraction. Rates and percentages whose numerator is such a count are hidden too.
"""

from __future__ import annotations

from dataclasses import replace

from jsna.model import Breakdown, Disclosure, Group, Indicator, Series, Site, Value


def apply_disclosure(site: Site) -> Site:
    """The site with the small-count rule applied to every value of every indicator."""
    rule = site.config.disclosure
    if rule.largest == 0:
        return site
    return replace(site, indicators=tuple(_indicator(i, rule) for i in site.indicators))


def _hidden(value: Value) -> Value:
    return replace(value, value=None, numerator=None, denominator=None, marker="c")


def _value(value: Value, measure: str, rule: Disclosure) -> Value:
    if value.value is None and value.numerator is None:
        return value
    if measure == "count" and rule.hides(value.value):
        return _hidden(value)
    if rule.hides(value.numerator):
        return _hidden(value)
    return value


def _series(series: Series, measure: str, rule: Disclosure) -> Series:
    return replace(series, values=tuple((p, _value(v, measure, rule)) for p, v in series.values))


def _indicator(indicator: Indicator, rule: Disclosure) -> Indicator:
    local = _series(indicator.local, indicator.measure, rule)
    return replace(
        indicator,
        local=local,
        comparators=tuple(_series(s, indicator.measure, rule) for s in indicator.comparators),
        breakdowns=tuple(_breakdown(b, indicator, local, rule) for b in indicator.breakdowns),
        groups=tuple(_group(g, indicator.measure, rule) for g in indicator.groups),
    )


def _group(group: Group, measure: str, rule: Disclosure) -> Group:
    """Every area of a group under the same rule as the local area (a rate on 1 to 5 children
    hidden whichever council it is)."""
    return replace(group, members=tuple(replace(m, value=_value(m.value, measure, rule)) for m in group.members))


def _breakdown(breakdown: Breakdown, indicator: Indicator, local: Series, rule: Disclosure) -> Breakdown:
    rows = []
    for period, cells in breakdown.values:
        total = local.get(period)
        total_count = total.value if total is not None and indicator.measure == "count" else None
        rows.append((period, _row(cells, breakdown.measure, total_count, rule)))
    return replace(breakdown, values=tuple(rows))


def _row(cells: tuple[Value, ...], measure: str, total: float | None, rule: Disclosure) -> tuple[Value, ...]:
    """Primary suppression of small counts in one period's categories, then secondary
    suppression of the next smallest cell when exactly one is hidden and the total is known
    (a stated total, or percentages, which add to 100)."""

    def count_of(cell: Value) -> float | None:
        if cell.value is None:
            return None
        if measure == "count":
            return cell.value
        return None if total is None else cell.value * total / 100

    out = [_hidden(c) if rule.hides(count_of(c)) or rule.hides(c.numerator) else c for c in cells]
    hidden = sum(1 for before, after in zip(cells, out) if after.marker == "c" and before.marker != "c")
    if hidden == 1 and (total is not None or measure == "percentage"):
        shown = [(c.value, i) for i, c in enumerate(out) if c.value is not None]
        if shown:
            _, smallest = min(shown)
            out[smallest] = _hidden(out[smallest])
    return tuple(out)
