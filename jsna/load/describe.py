"""`jsna data FILE`: what a data file holds, for an editor writing an indicator's `data:` block
(its layout, columns, geographic levels, periods, the values of its category columns, how many
areas, the codes that stand for numbers); with an area, that area's rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from jsna.load import data
from jsna.numbers import format_number

KINDS = {
    "ees": "an Explore Education Statistics tidy CSV",
    "fingertips": "a Fingertips download CSV",
    "tidy": "a plain tidy CSV",
}
_FINGERTIPS_PLACE = ("Area Code", "Area Name", "Area Type", "Parent Code", "Parent Name", "Time period", "Time period Sortable")
_FINGERTIPS_CATEGORIES = ("Indicator ID",)  # a number that names, not a value
_SHOWN = 12  # values of a category column listed before "and N more"


def describe(path: Path, area: str | None = None) -> str:
    """The description `jsna data` prints (raises DataProblem for a file it cannot read)."""
    table = data.parse_table(str(path), path.read_bytes())
    if area is not None:
        return area_rows(table, area)
    cells = [table.row(i) for i in range(len(table.rows))]
    columns = {name: [row[i].strip() for row in cells] for i, name in enumerate(table.columns)}
    place = _place_columns(table)
    measures, categories, empty = [], [], []
    for name in table.columns:
        if name in place:
            continue
        if not any(columns[name]):
            empty.append(name)
        elif name not in _FINGERTIPS_CATEGORIES and all(data.number(v) is not None for v in columns[name]):
            measures.append(name)
        else:
            categories.append(name)
    lines = [
        f"{table.path}: {KINDS[table.kind]}, {format_number(len(table.rows))} rows, {len(table.columns)} columns",
        f"time and place: {', '.join(c for c in table.columns if c in place) or 'none found'}",
        "categories (choose rows with where:):" + ("" if categories else " none"),
        *(f"  {name}: {_values(columns[name])}" for name in categories),
        f"values (for value, numerator, denominator): {', '.join(measures) or 'none'}",
        *([f"empty columns: {', '.join(empty)}"] if empty else []),
        *_levels(table, columns),
        _periods(table, columns),
        f"areas: {_areas(len([c for c in table.by_area if c]))} in all (by code)",
        "codes that are not numbers:" + _codes(columns, measures),
    ]
    return "\n".join(lines)


def _place_columns(table: data.Table) -> set[str]:
    if table.kind == "ees":
        return set(data.EES_GEOGRAPHY) & set(table.columns)
    if table.kind == "fingertips":
        return set(_FINGERTIPS_PLACE) & set(table.columns)
    return {data.TIDY_AREA, "area_name", "period"} & set(table.columns)


def _values(cells: list[str]) -> str:
    counts = Counter(cells)
    shown = [f"'{v}' ({format_number(n)})" for v, n in sorted(counts.items())[:_SHOWN]]
    more = f", and {len(counts) - _SHOWN} more" if len(counts) > _SHOWN else ""
    return ", ".join(shown) + more


def _levels(table: data.Table, columns: dict) -> list[str]:
    level = {"ees": data.EES_LEVEL, "fingertips": "Area Type"}.get(table.kind)
    if level is None:
        return []
    counts = Counter(columns[level])
    areas = {v: set() for v in counts}
    for code, indexes in table.by_area.items():
        for i in indexes:
            areas[columns[level][i]].add(code)
    return [f"geographic levels ({level}): " + ", ".join(
        f"{v} ({format_number(n)} rows, {_areas(len(areas[v]))})" for v, n in counts.items())]


def _areas(n: int) -> str:
    return f"{format_number(n)} area" + ("" if n == 1 else "s")


def _periods(table: data.Table, columns: dict) -> str:
    column = {"ees": "time_period", "fingertips": "Time period"}.get(table.kind, "period")
    if column not in columns:
        return "periods: no 'period' column (name it with period_column:)"
    periods = sorted(set(columns[column]))
    kinds = f"; time_identifier: {', '.join(sorted(set(columns['time_identifier'])))}" if table.kind == "ees" else ""
    return f"periods ({column}): {', '.join(periods)}{kinds}"


def _codes(columns: dict, measures: list[str]) -> str:
    found = []
    for name in measures:
        counts = Counter(v for v in columns[name] if v.lower() in data.CODES or not v)
        if counts:
            found.append(f"  {name}: " + ", ".join(f"{v or 'blank'} ({format_number(n)})" for v, n in sorted(counts.items())))
    return ("\n" + "\n".join(found)) if found else " none"


def area_rows(table: data.Table, area: str) -> str:
    """The rows of the area with that code or name, as CSV with the header."""
    from jsna.load.yamlnodes import suggest

    codes = [c for c, name in table.names.items() if area.lower() in (c.lower(), name.lower())]
    if not codes:
        known = tuple(table.names) + tuple(table.names.values())
        raise data.DataProblem(f"expected an area code or name found in the file, found '{area}'{suggest(area, known)}", table.path)
    lines = [",".join(table.columns)]
    for code in codes:
        lines += [f"{table.rows[i].rstrip()}" for i in table.by_area[code]]
    return "\n".join(lines)
