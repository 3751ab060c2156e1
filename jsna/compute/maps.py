"""The `map` figure: every area of a group (all English authorities, or the area's region,
zoomed) on the boundaries jsna.yaml names, each filled by its comparison with England or by the
fifth of the areas' values it falls in; its spec, table, CSV and alt text.

Areas are matched by code only, never by name: an area of the boundary file with no row in the
data is drawn hatched as "not in the data", and an area of the data whose code the boundary
file does not have (an authority since replaced, say) is listed in the table as not on the map,
never drawn in another's place.
"""

from __future__ import annotations

from jsna.build.store import digest
from jsna.compute.areas import CSV_HEAD, AreaStat, area_stats, csv_row, england_value
from jsna.compute.opendata import csv_text
from jsna.compute.views import FigureView, Table, _source_line, with_unit
from jsna.model import Boundaries, FigureRef, Group, Indicator, Value
from jsna.numbers import format_value, marker_text, places
from jsna.periods import in_period
from jsna.records import record

FIFTHS = ("lowest fifth", "second fifth", "middle fifth", "fourth fifth", "highest fifth")
_LABELS = {
    "better": "Significantly better than England", "similar": "Similar to England",
    "worse": "Significantly worse than England", "lower": "Significantly lower than England",
    "higher": "Significantly higher than England", "not compared": "Not compared (hatched dots)",
    "no value": "No value published (hatched)", "not in the data": "Not in the data (hatched)",
}
_ORDER = {  # lightest first, as the fills are (draw/maps.py)
    "higher-is-better": ("better", "similar", "worse"), "lower-is-better": ("better", "similar", "worse"),
    "no-judgement": ("lower", "similar", "higher"),
}
MISSING = ("not compared", "no value", "not in the data")


@record
class MapArea:
    """An area of the boundary file drawn on a map: its fill (a comparison, q1 to q5, or why
    it has none) and whether it is the local area."""

    code: str
    name: str
    fill: str
    local: bool = False


@record
class MapSpec:
    """Everything jsna/draw/maps.py needs, and the figure's cache key: the areas and how each
    is filled, the regions whose borders are drawn (region code -> its areas), the legend, the
    attribution, and the boundary file with its digest (its shapes are the chart's input)."""

    id: str
    chart_type: str
    boundaries: str
    digest: str
    areas: tuple[MapArea, ...]
    regions: tuple[tuple[str, tuple[str, ...]], ...]
    legend: tuple[tuple[str, str], ...]
    legend_title: str
    local_name: str | None
    attribution: str


def figure(slug: str, number: int, ref: FigureRef, indicator: Indicator, boundaries: Boundaries) -> FigureView:
    """A map of the group `ref.group` (default: all English authorities) in its period."""
    group = next(g for g in indicator.groups if g.id == (ref.group or "england"))
    stats = area_stats(indicator, group)
    on_map = {code for code, _ in boundaries.areas}
    fill = ref.fill or "comparison"
    drawn = [a for a in stats if a.code in on_map]
    fifths = quintiles([a for a in drawn if a.value.value is not None])
    fills = {a.code: _fill(a, fill, fifths) for a in drawn}
    zoomed = group.id != "england"
    # The data's names (the chapter's own for the local area), else the boundary file's.
    names = {a.code: a.name for a in stats}
    local = {a.code for a in stats if a.local}
    areas = tuple(
        MapArea(code, names.get(code) or name, fills.get(code, "not in the data"), code in local)
        for code, name in boundaries.areas if code in fills or not zoomed
    )
    spec = MapSpec(
        id=f"{slug}-figure-{number}", chart_type=ref.chart_type, boundaries=boundaries.file, digest=boundaries.digest,
        areas=areas, regions=_regions(group, on_map),
        legend=_legend(indicator, fill, fifths, areas), legend_title=_legend_title(fill, group),
        local_name=next((a.name for a in areas if a.local), None), attribution=boundaries.attribution,
    )
    title = ref.title or indicator.title
    return FigureView(
        number=number, anchor=f"figure-{number}", caption=f"Figure {number}: {title}, {group.name}, {group.period}",
        alt=alt_text(indicator, group, stats, areas, fill, title),
        source=_source_line(indicator), source_url=indicator.source.url,
        notes=indicator.notes_for(None, (group.period,)) + _notes(stats, on_map, boundaries, fill) + (boundaries.attribution,),
        table=_table(indicator, group, stats, areas, fill), chart=spec,
        csv=_csv(indicator, group, stats, areas, fifths),
        svg_file=f"figure-{number}.svg", csv_file=f"figure-{number}.csv", chart_digest=digest("chart", repr(spec)),
    )


def quintiles(areas: list[AreaStat]) -> tuple[tuple[float, float], ...]:
    """The lowest and highest value in each fifth of the areas ranked by value (areas of equal
    value in the same fifth: the fifth of the first of them)."""
    values = sorted(a.value.value for a in areas)
    fifths: list[list[float]] = [[] for _ in FIFTHS]
    for value in values:
        fifths[min(len(FIFTHS) - 1, len(FIFTHS) * values.index(value) // len(values))].append(value)
    return tuple((min(f), max(f)) if f else (float("nan"), float("nan")) for f in fifths)


def fifth_of(value: float, fifths: tuple[tuple[float, float], ...]) -> int:
    """Which fifth (0 to 4) a value of the ranked areas is in."""
    return next(n for n, (low, high) in enumerate(fifths) if low <= value <= high)


def _fill(area: AreaStat, fill: str, fifths) -> str:
    if area.value.value is None:
        return "no value"
    if fill == "quintile":
        return f"q{fifth_of(area.value.value, fifths) + 1}"
    return area.comparison


def _regions(group: Group, on_map: set[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each region (the data's region_code) and its areas on the map: their borders are drawn
    (on a zoomed map, the region's own outline, which edges its lightest fills against white)."""
    regions: dict[str, list[str]] = {}
    for member in group.members:
        if member.region and member.code in on_map:
            regions.setdefault(member.region, []).append(member.code)
    return tuple((region, tuple(sorted(codes))) for region, codes in sorted(regions.items()))


def _legend(indicator: Indicator, fill: str, fifths, areas: tuple[MapArea, ...]) -> tuple[tuple[str, str], ...]:
    """(fill, label) in order, lightest first; the entries for areas without a fill only where
    there are some."""
    present = {a.fill for a in areas}
    if fill == "quintile":
        digits = places(indicator, indicator.measure)
        shown = [(f"q{n + 1}", f"{FIFTHS[n].capitalize()}: {format_value(low, indicator.measure, digits)} to "
                  f"{format_value(high, indicator.measure, digits)}") for n, (low, high) in enumerate(fifths) if low == low]
    else:
        shown = [(c, _LABELS[c]) for c in _ORDER[indicator.polarity]]
    return tuple(shown) + tuple((m, _LABELS[m]) for m in MISSING if m in present)


def _legend_title(fill: str, group: Group) -> str:
    return f"Fifths of areas, {group.period}" if fill == "quintile" else f"Compared with England, {group.period}"


def _notes(stats: tuple[AreaStat, ...], on_map: set[str], boundaries: Boundaries, fill: str) -> tuple[str, ...]:
    notes = ()
    if fill == "comparison":
        notes += ("An area is compared with England by whether its 95% confidence interval includes England's value.",)
    off = sorted((a for a in stats if a.code not in on_map), key=lambda a: a.name)
    if off:
        notes += (f"Not on the map: {', '.join(f'{a.name} ({a.code})' for a in off)}: the boundaries "
                  f"(data/{boundaries.file}) have no area with {'this code' if len(off) == 1 else 'these codes'}, "
                  "and an area is never drawn in another's place.",)
    return notes


def _say_fill(area: MapArea | None, stat: AreaStat) -> str:
    if stat.value.value is None:
        return marker_text(stat.value)
    if area is None:
        return "not on the map"
    if area.fill.startswith("q"):
        return FIFTHS[int(area.fill[1]) - 1]
    return stat.comparison


def _table(indicator: Indicator, group: Group, stats, areas, fill: str) -> Table:
    """Every area, by name: each of the data with its value and fill, then any area of the map
    that is not in the data."""
    measure, decimals = indicator.measure, places(indicator, indicator.measure)
    drawn = {a.code: a for a in areas}
    england = england_value(indicator, group.period)
    head = ("Area", "Code", "Value", "Lower 95% limit", "Upper 95% limit",
            "Fifth of areas" if fill == "quintile" else "Compared with England")
    rows = [("England", ("", _cell(england, measure, decimals), "", "", "the comparator"))] if england else []
    for stat in sorted(stats, key=lambda a: a.name):
        limits = stat.interval
        low, high = (format_value(limits.lower, measure, decimals), format_value(limits.upper, measure, decimals)) if limits else ("", "")
        name = f"{stat.name} (this area)" if stat.local else stat.name
        rows.append((name, (stat.code or "", _cell(stat.value, measure, decimals), low, high,
                            _say_fill(drawn.get(stat.code), stat))))
    for area in sorted((a for a in areas if a.fill == "not in the data"), key=lambda a: a.name):
        rows.append((area.name, (area.code, "not in the data", "", "", "no value")))
    return Table(head=head, rows=tuple(rows), fixed=True)


def _cell(value, measure: str, decimals: int) -> str:
    return marker_text(value) if value is None or value.value is None else format_value(value.value, measure, decimals)


def _csv(indicator: Indicator, group: Group, stats, areas, fifths) -> str:
    """Every area by name, as a compare-areas CSV has it, with its fifth and whether it is on
    the map; then the areas of the map not in the data (columns described in docs/data.md)."""
    drawn = {a.code: a for a in areas}
    england = england_value(indicator, group.period)
    rows = [
        csv_row(indicator, group, a, england) + (
            fifth_of(a.value.value, fifths) + 1 if a.value.value is not None and a.code in drawn else None,
            "yes" if a.code in drawn else "no")
        for a in sorted(stats, key=lambda a: a.name)
    ]
    for area in sorted((a for a in areas if a.fill == "not in the data"), key=lambda a: a.name):
        missing = AreaStat(area.code, area.name, Value(None, group.position), None, "not compared")
        row = csv_row(indicator, group, missing, england)
        rows.append(row[: CSV_HEAD.index("status")] + ("not in the data", None, "yes"))
    return csv_text(CSV_HEAD + ("fifth", "on_map"), rows)


def _local_sentence(indicator: Indicator, local: AreaStat, where: MapArea | None) -> str:
    """Where the local area stands: its value and its comparison or fifth, or why it is not drawn."""
    value = with_unit(local.value.value, indicator.measure, places(indicator, indicator.measure), indicator.per)
    if where is None:
        return f"{local.name}, {value}, is not on the map: the boundaries have no area with its code {local.code}."
    verdict = _say_fill(where, local)
    verdict = {"similar": "similar to England's", "not compared": "not compared with England's"}.get(
        verdict, f"in the {verdict}" if verdict in FIFTHS else f"significantly {verdict} than England's")
    return f"{local.name} (outlined), {value}, is {verdict}."


def alt_text(indicator: Indicator, group: Group, stats, areas, fill: str, title: str) -> str:
    """What the map shows, from the data: how many areas are in each fill, where the local area
    stands, and what is missing."""
    parts = [f"Map of {title[0].lower() + title[1:]} for {len(areas)} {group.name} {in_period(group.period)}."]
    counts = {}
    for area in areas:
        key = FIFTHS[int(area.fill[1]) - 1] if area.fill.startswith("q") else area.fill
        counts[key] = counts.get(key, 0) + 1
    order = FIFTHS if fill == "quintile" else _ORDER[indicator.polarity] + ("not compared",)
    said = [f"{counts[k]} {'in the ' + k if fill == 'quintile' else k}" for k in order if counts.get(k)]
    lead = "Areas by fifth of their values: " if fill == "quintile" else "Compared with England: "
    parts.append(lead + ", ".join(said) + ".")
    gaps = [f"{counts[k]} {'has' if counts[k] == 1 else 'have'} {'no value published' if k == 'no value' else 'no row in the data'}"
            for k in ("no value", "not in the data") if counts.get(k)]
    if gaps:
        parts.append(f"{' and '.join(gaps).capitalize()} (hatched).")
    local = next((a for a in stats if a.local), None)
    if local is not None and local.value.value is not None:
        parts.append(_local_sentence(indicator, local, next((a for a in areas if a.local), None)))
    off = sum(1 for a in stats if a.code not in {x.code for x in areas})
    if off:
        parts.append(f"{off} {'area' if off == 1 else 'areas'} of the data {'is' if off == 1 else 'are'} not on the map (codes the boundaries do not have); the table lists every area.")
    return " ".join(parts)
