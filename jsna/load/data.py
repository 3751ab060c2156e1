"""Read the files publishers release (the DfE's Explore Education Statistics tidy CSVs, the
Fingertips "download data" CSVs, a plain tidy CSV) so that an indicator can take its values from
one instead of having them typed.

A file is parsed once per process and indexed by area code and period; each row is kept as the
text it was written as and split again only when an indicator asks for it, so a 50 MB file costs
its text, not a Python object per cell. What goes wrong is a `DataProblem` naming the file's line;
the indicator loader puts the place in indicators.yaml in front of it.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import replace
from pathlib import Path

from jsna.load.safety import CONTROL, LARGEST, inside
from jsna.records import record

DATA_DIR = "data"
# Codes the publishers write instead of a number (GSS and EES symbols): jsna's markers.
CODES = {"c": "c", "x": "x", "u": "u", "z": "z", "low": "low", ":": "x", "..": "x"}
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
ENGLAND = "E92000001"

# The Explore Education Statistics tidy format: time and geography columns, then filters and
# indicators. A row's area is named by its most local geography code that is filled in.
EES_TIME = ("time_period", "time_identifier")
EES_LEVEL = "geographic_level"
EES_CODES = (
    "school_urn", "lsoa_code", "msoa_code", "ward_code", "pcon_code", "lad_code", "new_la_code",
    "local_enterprise_partnership_code", "english_devolved_area_code", "opportunity_area_code",
    "region_code", "country_code",
)
EES_NAMES = {
    "lad_code": "lad_name", "new_la_code": "la_name", "region_code": "region_name",
    "country_code": "country_name", "pcon_code": "pcon_name", "ward_code": "ward_name",
    "lsoa_code": "lsoa_name", "msoa_code": "msoa_name",
}
EES_GEOGRAPHY = EES_TIME + (EES_LEVEL, "old_la_code") + EES_CODES + tuple(EES_NAMES.values()) + (
    "school_name", "local_enterprise_partnership_name", "english_devolved_area_name",
    "opportunity_area_name",
)
FINGERTIPS = ("Indicator ID", "Area Code", "Area Name", "Area Type", "Time period", "Value")
FINGERTIPS_LIMITS = (
    (0.95, "Lower CI 95.0 limit", "Upper CI 95.0 limit"),
    (0.998, "Lower CI 99.8 limit", "Upper CI 99.8 limit"),
)
FINGERTIPS_NOTE = "Value note"
# A plain tidy file: one row per area and period, the columns named in the YAML (these by default).
TIDY_AREA, TIDY_PERIOD = "area_code", "period"


class DataProblem(Exception):
    """Something wrong in a data file (or with what was asked of it): the message says what was
    expected and found; `where` is the file's place, e.g. 'data/b1.csv line 2093'."""

    def __init__(self, message: str, where: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.field = field  # the YAML field the problem is about, if any


@record
class Table:
    """A data file's header, its kind and its rows (as written) indexed by area and period."""

    path: str  # from the project's folder: data/...
    kind: str  # "ees", "fingertips" or "tidy"
    columns: tuple[str, ...]
    rows: tuple[str, ...]  # each row's text as in the file
    lines: tuple[int, ...]  # the file line each row starts on
    by_area: dict  # area code -> row indexes, in file order
    names: dict  # area code -> the name the file gives it

    def column(self, name: str) -> int:
        return self.columns.index(name)

    def row(self, index: int) -> list[str]:
        """The cells of one row (split again from its text: rows are kept as written)."""
        return next(csv.reader(io.StringIO(self.rows[index])))

    def where(self, index: int) -> str:
        return f"{self.path} line {self.lines[index]}"


def file_digest(path: Path) -> str:
    """A digest of a data file's bytes (what it was read from, for cache keys)."""
    from jsna.build.store import digest

    return digest("data", path.read_bytes())


def read_table(root: Path, name: str, digest: str) -> Table:
    """The data file `name` (a path inside the project's data/ folder) whose bytes have the
    digest `digest` (`file_digest`), parsed once per process."""
    path = root / DATA_DIR / name
    rel = f"{DATA_DIR}/{name}"
    if not path.is_file():
        raise DataProblem(f"expected a file {rel} in the project, found no such file", rel, "file")
    if not inside(root, path):
        raise DataProblem(f"expected {rel} to be a file inside the project, found a link to a file outside it", rel, "file")
    return _parse(str(path), rel, digest)


@functools.lru_cache(maxsize=16)
def _parse(path: str, rel: str, digest: str) -> Table:
    """Keyed by the digest too: a file changed since is parsed again, however soon."""
    return parse_table(rel, Path(path).read_bytes())


def parse_table(rel: str, data: bytes) -> Table:
    """A CSV's bytes as a Table; not UTF-8, not CSV, or without a known layout: DataProblem."""
    text = _text(rel, data)
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DataProblem(f"expected a CSV file with a header row, found an empty file", rel) from None
    except csv.Error as exc:
        raise DataProblem(f"expected a CSV file, found {exc}", f"{rel} line 1") from None
    columns = tuple(name.strip() for name in header)
    kind = _kind(columns)
    key = _area_key(columns, kind)
    rows: list[str] = []
    starts: list[int] = []
    by_area: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    start = reader.line_num
    try:
        for cells in reader:
            if not cells:
                start = reader.line_num
                continue
            if len(cells) != len(columns):
                raise DataProblem(
                    f"expected {len(columns)} cells in each row (as in the header), found {len(cells)}",
                    f"{rel} line {start + 1}",
                )
            code, name = key(cells)
            if code not in by_area:
                by_area[code], names[code] = [], CONTROL.sub("", name)  # names reach pages and charts
            by_area[code].append(len(rows))
            end = reader.line_num
            rows.append(lines[start] if end == start + 1 else "".join(lines[start:end]))
            starts.append(start + 1)
            start = end
    except csv.Error as exc:
        raise DataProblem(f"expected a CSV file, found {exc}", f"{rel} line {reader.line_num}") from None
    return Table(rel, kind, columns, tuple(rows), tuple(starts), by_area, names)


def _text(rel: str, data: bytes) -> str:
    """The file as text: UTF-8, a byte-order mark dropped."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "Windows-1252"
        raise DataProblem(
            f"expected a CSV file in UTF-8, found the byte 0x{data[exc.start]:02X} (it may be {hint}: save it as UTF-8)",
            f"{rel} line {line}",
        ) from None
    if "\x00" in text:
        raise DataProblem("expected a CSV file, found binary data (a NUL byte)", rel)
    return text.removeprefix("\ufeff")


def _kind(columns: tuple[str, ...]) -> str:
    if all(c in columns for c in EES_TIME + (EES_LEVEL,)):
        return "ees"
    if all(c in columns for c in FINGERTIPS):
        return "fingertips"
    return "tidy"


def _area_key(columns: tuple[str, ...], kind: str):
    """A function from a row's cells to (its area code, the area's name)."""
    if kind == "ees":
        codes = [(columns.index(c), columns.index(EES_NAMES[c]) if EES_NAMES.get(c) in columns else None)
                 for c in EES_CODES if c in columns]

        def ees(cells):
            for code, name in codes:
                if cells[code].strip():
                    return cells[code].strip(), cells[name].strip() if name is not None else ""
            return "", ""

        return ees
    if kind == "fingertips":
        code, name = columns.index("Area Code"), columns.index("Area Name")
        return lambda cells: (cells[code].strip(), cells[name].strip())
    if TIDY_AREA in columns:
        code = columns.index(TIDY_AREA)
        name = columns.index("area_name") if "area_name" in columns else None
        return lambda cells: (cells[code].strip(), cells[name].strip() if name is not None else "")
    return lambda cells: ("", "")


def number(text: str) -> tuple[float | None, str | None] | None:
    """A cell as (number, None), (None, marker) for a publisher's code or a blank, or None if it
    is neither."""
    cell = text.strip()
    if not cell:
        return None, None
    if cell.lower() in CODES:
        return None, CODES[cell.lower()]
    if _NUMBER.match(cell):
        return float(cell), None
    return None


# What an indicator asks of a file -------------------------------------------------------------

PERIOD_KINDS = ("financial year", "academic year", "year", "mid-year", "as published")
_SNAPSHOT = re.compile(r"^(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December)$")


@record
class Spec:
    """Which rows and columns of a data file an indicator takes, and how its periods read.
    `value`, `numerator` and `denominator` name columns; `population` is a denominator taken
    from another file, joined on area code and on the period `offset` years from this one's."""

    file: str
    periods: str
    value: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    population: Spec | None = None
    where: tuple[tuple[str, str], ...] = ()
    offset: int = 0
    area_column: str = TIDY_AREA
    period_column: str = "period"
    predecessor: str | None = None  # the area's earlier code, continuing its series


@record
class Point:
    """One period's cells for an area: the label, the year it is joined on, the file's line."""

    label: str
    year: int
    line: int
    value: float | None
    marker: str | None
    numerator: float | None = None
    denominator: float | None = None
    limits: tuple[tuple[float, float, float], ...] = ()  # published (confidence, lower, upper)
    note: str | None = None
    former: str | None = None  # the predecessor's code it was read under, continuing the area's series


@record
class Member:
    """A local authority in an area's latest period: for its groups (region, neighbours)."""

    code: str
    name: str
    region: str
    number: str  # the DfE's three-digit LA number (old_la_code)
    point: Point  # its value, numerator, denominator, marker and published limits


@record
class Extract:
    """An indicator's values from a file: the area's, England's and its region's."""

    path: str
    code: str
    name: str
    local: tuple[Point, ...]
    england: tuple[Point, ...] = ()
    region: tuple[Point, ...] = ()
    region_name: str = ""
    number: str = ""  # the area's three-digit LA number (old_la_code), if the file has one
    members: tuple[Member, ...] = ()


def check_periods(periods: str) -> str | None:
    """Why `periods` is not a way of labelling periods, or None."""
    if periods in PERIOD_KINDS or _SNAPSHOT.match(periods):
        return None
    return f"expected periods as a date in the year such as '31 March', or one of {', '.join(PERIOD_KINDS)}, found '{periods}'"


def label(periods: str, time_period: str, where: str) -> tuple[str, int]:
    """(the period's label on the site, the year it ends in) for a file's period: EES writes
    2025 for the year ending in 2025 and 202425 for the financial or academic year 2024-25;
    Fingertips writes 2024/25."""
    text = time_period.strip()
    if periods == "as published":
        year = re.match(r"^(\d{4})", text)
        return text, (int(year[1]) if year else 0)
    pair = re.fullmatch(r"(\d{4})[/-]?(\d{2})", text)
    if pair and int(pair[2]) == (int(pair[1]) + 1) % 100:
        end = int(pair[1]) + 1
    elif re.fullmatch(r"\d{4}", text):
        end = int(text)
    else:
        raise DataProblem(f"expected a period such as 2025 or 202425 to label as {periods}, found '{text}'", where, "periods")
    if periods == "financial year":
        return f"{end - 1}-{end % 100:02d}", end
    if periods == "academic year":
        return f"{end - 1}/{end % 100:02d}", end
    if periods == "mid-year":
        return f"mid-{end}", end
    if periods == "year":
        return str(end), end
    return f"{periods} {end}", end


def extract(table: Table, spec: Spec, code: str, scale: float | None, decimals: int,
            population: Table | None = None) -> Extract:
    """The area `code`'s values (and England's and its region's, and the other authorities' in
    its latest period) as `spec` asks."""
    spec = _defaults(table, spec)
    if spec.value is None and (scale is None or spec.numerator is None or (spec.denominator or spec.population) is None):
        need = "value (the column of counts)" if scale is None else "value, or numerator and denominator"
        raise DataProblem(f"expected {need} in the data, found neither", table.path, "value")
    _check_columns(table, spec)
    local = _rows(table, spec, code)
    if not local:
        raise _nothing_kept(table, spec, code)
    points = functools.partial(_points, table, spec, scale=scale, decimals=decimals, population=population)
    region = _region(table, local)
    mine = points(local, code=code)
    if spec.predecessor:
        mine = _continued(table, spec, code, local, mine, points)
    others = {c: points(_rows(table, spec, c), code=c) if c and c != code else () for c in (ENGLAND, region)}
    return Extract(
        table.path, code, table.names.get(code, ""), mine, others[ENGLAND], others.get(region, ()),
        table.names.get(region, "") if region else "", _cell_of(table, local, "old_la_code"),
        _members(table, spec, code, local, mine, points),
    )


def _nothing_kept(table: Table, spec: Spec, code: str) -> DataProblem:
    """Why no row of the area is kept: an unknown code, or a `where` value none of its rows has."""
    from jsna.load.yamlnodes import suggest

    indexes = _indexes(table, spec, code)
    if not indexes:
        return DataProblem(unknown_area(table, code), table.path, "area_code")
    for column, value in spec.where:
        found = sorted({table.row(i)[table.column(column)].strip() for i in indexes})
        if value not in found:
            return DataProblem(f"expected a value of column {column} found in the rows of {code} ({', '.join(found[:8])}), "
                               f"found '{value}'{suggest(value, found)}", table.where(indexes[0]), "where")
    return DataProblem(f"expected rows for {code} with no Category Type, found only rows with one: choose one with where:",
                       table.where(indexes[0]), "where")


def _cell_of(table: Table, rows: dict, column: str) -> str:
    """A column's value in the latest of an area's rows ('' if the file has no such column)."""
    if column not in table.columns:
        return ""
    return rows[max(rows)][1][table.column(column)].strip()


def _continued(table: Table, spec: Spec, code: str, rows: dict, mine: tuple, points) -> tuple:
    """The series with the periods before it taken from its predecessor's code, which must be
    the same authority (the same three-digit LA number): a split or merger is never joined."""
    before = _rows(table, spec, spec.predecessor)
    if not before:
        raise DataProblem(unknown_area(table, spec.predecessor), table.path, "predecessor")
    number, old = _cell_of(table, rows, "old_la_code"), _cell_of(table, before, "old_la_code")
    if number != old:
        raise DataProblem(
            f"expected a predecessor that is the same authority under an earlier code, found {spec.predecessor} "
            f"({table.names.get(spec.predecessor)}, LA number {old or 'none'}) for {code} ({table.names.get(code)}, LA number "
            f"{number or 'none'}): a split or merger, whose series cannot be joined", table.path, "predecessor")
    have = {p.year for p in mine}
    earlier = tuple(replace(p, note="; ".join(filter(None, (p.note, f"under the code {spec.predecessor}, which {code} replaced"))),
                            former=spec.predecessor)
                    for p in points(before, code=spec.predecessor) if p.year not in have)
    return tuple(sorted(earlier + mine, key=lambda p: (p.year, p.label)))


def _members(table: Table, spec: Spec, code: str, local: dict, mine: tuple, points) -> tuple[Member, ...]:
    """Every local authority's value in the area's latest period with a value (EES files),
    for its groups: the region's authorities, its statistical neighbours, all of England's."""
    latest = [p for p in mine if p.value is not None]
    if table.kind != "ees" or not latest:
        return ()
    raw = next((r for r, (i, _) in local.items() if table.lines[i] == latest[-1].line), None)
    if raw is None:
        return ()
    level = table.column(EES_LEVEL)
    members = []
    for other, indexes in table.by_area.items():
        if table.row(indexes[0])[level].strip() != "Local authority":
            continue
        rows = {k: v for k, v in _rows(table, spec, other).items() if k == raw}
        if rows:
            point = points(rows, code=other)[0]
            members.append(Member(other, table.names.get(other, ""), _cell_of(table, rows, "region_code"),
                                  _cell_of(table, rows, "old_la_code"), point))
    return tuple(members)


def _defaults(table: Table, spec: Spec) -> Spec:
    """A Fingertips file's own columns where the YAML names none: Value, Count, Denominator."""
    if table.kind != "fingertips" or (spec.value, spec.numerator, spec.denominator) != (None, None, None):
        return spec
    return replace(spec, value="Value", numerator="Count", denominator="Denominator")


def _check_columns(table: Table, spec: Spec) -> None:
    """Each column the indicator reads is in the file's header, once."""
    used = [(field, getattr(spec, field)) for field in ("value", "numerator", "denominator") if getattr(spec, field) is not None]
    used += [("where", name) for name, _ in spec.where]
    if table.kind == "tidy":
        used += [(field, getattr(spec, field)) for field in ("area_column", "period_column")]
    for field, name in used:
        problem = _column_problem(table, name)
        if problem:
            raise DataProblem(problem, f"{table.path} line 1", field)


def _column_problem(table: Table, name: str) -> str | None:
    """What is wrong with reading the column `name` of the table (for the error), or None."""
    from jsna.load.yamlnodes import suggest

    if name not in table.columns:
        return f"expected a column of {table.path}, found '{name}'{suggest(name, table.columns)}"
    if table.columns.count(name) > 1:
        return f"expected one column '{name}' in {table.path}, found {table.columns.count(name)} (which to read?)"
    return None


def unknown_area(table: Table, code: str) -> str:
    from jsna.load.yamlnodes import suggest

    named = [c for c, n in table.names.items() if n.lower() == code.lower()]
    hint = f" ('{code}' is the name of {named[0]}: give the code)" if named else suggest(code, tuple(table.names))
    return f"expected an area code found in {table.path}, found '{code}'{hint}"


def _period_cells(table: Table, spec: Spec):
    """The column(s) holding a row's period."""
    if table.kind == "ees":
        return table.column("time_period")
    if table.kind == "fingertips":
        return table.column("Time period")
    return table.column(spec.period_column)


def _rows(table: Table, spec: Spec, code: str) -> dict[str, tuple[int, list[str]]]:
    """The area's rows that `spec.where` keeps, by the file's period; two for one period is a
    DataProblem naming both lines and the columns that tell them apart."""
    indexes = _indexes(table, spec, code)
    period = _period_cells(table, spec)
    wanted = [(table.column(c), v) for c, v in spec.where]
    if "Category Type" in table.columns and table.kind == "fingertips" and not any(c == "Category Type" for c, _ in spec.where):
        wanted.append((table.column("Category Type"), ""))
    found: dict[str, tuple[int, list[str]]] = {}
    for index in indexes:
        cells = table.row(index)
        if any(cells[c].strip() != v for c, v in wanted):
            continue
        key = cells[period].strip()
        if key in found:
            raise DataProblem(_duplicate(table, code, key, found[key], (index, cells)), table.where(index), "where")
        found[key] = (index, cells)
    return found


def _indexes(table: Table, spec: Spec, code: str) -> list[int]:
    if table.kind != "tidy" or spec.area_column == TIDY_AREA:
        return table.by_area.get(code, [])
    column = table.column(spec.area_column)
    return [i for i in range(len(table.rows)) if table.row(i)[column].strip() == code]


def _duplicate(table: Table, code: str, period: str, first, second) -> str:
    differ = [c for c, a, b in zip(table.columns, first[1], second[1]) if a != b and c not in (
        "Value", "Count", "Denominator")]
    choose = f"; choose the rows with where: (they differ in {', '.join(differ[:5])})" if differ else ""
    return f"expected one row for area {code} in {period}, found two (lines {table.lines[first[0]]} and {table.lines[second[0]]}){choose}"


def _region(table: Table, local: dict) -> str:
    """The region of the area's latest row: EES `region_code`, Fingertips `Parent Code`."""
    column = {"ees": "region_code", "fingertips": "Parent Code"}.get(table.kind, "region_code")
    if column not in table.columns:
        return ""
    _, cells = local[max(local)]
    code = cells[table.column(column)].strip()
    return code if code and code != ENGLAND else ""


def _points(table: Table, spec: Spec, rows: dict, *, scale: float | None, decimals: int,
            population: Table | None, code: str) -> tuple[Point, ...]:
    """Each period's Point for one area's rows, in time order."""
    joined = _population(population, spec.population, code) if spec.population else None
    points = []
    for raw, (index, cells) in rows.items():
        _check_identifier(table, spec.periods, cells, index)
        text, year = label(spec.periods, raw, table.where(index))
        value, marker = _cell(table, spec.value, cells, index, "value")
        numerator, num_marker = _cell(table, spec.numerator, cells, index, "numerator")
        denominator, _ = _cell(table, spec.denominator, cells, index, "denominator")
        if joined is not None:
            denominator = _joined(joined, population, spec.population, code, year, table.where(index))
        if spec.value is None:
            value, marker = _made(numerator, num_marker, denominator, scale, decimals)
        points.append(Point(text, year, table.lines[index], value, marker, numerator, denominator,
                            _limits(table, cells, index) if value is not None else (), _value_note(table, cells)))
    return tuple(sorted(points, key=lambda p: (p.year, p.label)))


def _value_note(table: Table, cells: list[str]) -> str | None:
    """A Fingertips row's "Value note" (why a value is missing, or how it was made), if any."""
    if table.kind != "fingertips" or FINGERTIPS_NOTE not in table.columns:
        return None
    return cells[table.column(FINGERTIPS_NOTE)].strip() or None


# EES time identifiers a way of labelling periods cannot stand for.
_NOT_SO = {"financial year": ("Calendar year", "Academic year"), "academic year": ("Calendar year", "Financial year")}


def _check_identifier(table: Table, periods: str, cells: list[str], index: int) -> None:
    """An EES row's time_identifier must allow the labels asked for: a calendar year is no
    financial year."""
    if table.kind != "ees":
        return
    identifier = cells[table.column("time_identifier")].strip()
    if identifier in _NOT_SO.get(periods, ()):
        raise DataProblem(f"expected periods that time_identifier allows, found '{identifier}' labelled as {periods}", table.where(index), "periods")


def _cell(table: Table, column: str | None, cells: list[str], index: int, field: str) -> tuple[float | None, str | None]:
    if column is None:
        return None, None
    cell = cells[table.column(column)]
    parsed = number(cell)
    if parsed is None:
        expected = "a number or a suppression code (c, x, u, z, low)"
    elif parsed[0] is not None and parsed[0] < 0:  # counts, rates, percentages and populations
        expected = "a number of 0 or more"
    elif parsed[0] is not None and parsed[0] >= LARGEST:
        expected = f"a number below {LARGEST:,.0f}"
    else:
        return parsed
    raise DataProblem(f"expected {expected} in column {column}, found '{cell.strip()}'", table.where(index), field)


def _made(numerator, marker, denominator, scale, decimals) -> tuple[float | None, str | None]:
    """A value computed from its numerator and denominator, rounded as it is shown."""
    from decimal import ROUND_HALF_UP, Decimal

    if numerator is None or not denominator or scale is None:
        return None, marker or (None if numerator is None else "x")
    made = Decimal(repr(numerator / denominator * scale))
    return float(made.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)), None


def _limits(table: Table, cells: list[str], index: int) -> tuple[tuple[float, float, float], ...]:
    """The confidence limits a Fingertips file publishes for the row's value."""
    if table.kind != "fingertips":
        return ()
    found = []
    for level, lower, upper in FINGERTIPS_LIMITS:
        if lower in table.columns and upper in table.columns:
            low, _ = _cell(table, lower, cells, index, "value")
            high, _ = _cell(table, upper, cells, index, "value")
            if low is not None and high is not None:
                value, _ = _cell(table, "Value", cells, index, "value")
                if not low <= value <= high:
                    raise DataProblem(f"expected the value within its published limits, found {value:g} outside {low:g} to {high:g} ({lower}, {upper})", table.where(index), "value")
                found.append((level, low, high))
    return tuple(found)


def _population(table: Table, spec: Spec, code: str) -> dict[int, tuple[int, list[str]]]:
    """The population file's rows for an area by the year they are for."""
    _check_columns(table, spec)
    rows = _rows(table, spec, code)
    return {label("year", raw, table.where(i))[1]: (i, cells) for raw, (i, cells) in rows.items()}


def _joined(rows: dict, table: Table, spec: Spec, code: str, year: int, where: str) -> float | None:
    """The population paired with the year `year` (offset as the publisher pairs them)."""
    wanted = year + spec.offset
    if wanted not in rows:
        have = ", ".join(str(y) for y in sorted(rows)) or "none"
        raise DataProblem(
            f"expected a row for {code} in {wanted} in {table.path} for the denominator of the row at {where}, found none (it has {have})",
            table.path, "denominator",
        )
    index, cells = rows[wanted]
    value, _ = _cell(table, spec.value, cells, index, "denominator")
    return value


def neighbours(table: Table, number: str) -> set[str]:
    """The ten statistical neighbours' LA numbers of the authority `number` in the DfE's model
    (one row per authority by old_la_code, its neighbours in SN_1 to SN_10)."""
    wanted = ["old_la_code"] + [f"SN_{i}" for i in range(1, 11)]
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        raise DataProblem(f"expected the DfE statistical neighbour model's columns, found no {missing[0]}", f"{table.path} line 1")
    for index in range(len(table.rows)):
        cells = table.row(index)
        if cells[table.column("old_la_code")].strip() == number:
            return {cells[table.column(c)].strip() for c in wanted[1:]}
    raise DataProblem(f"expected a row for LA number {number}, found none", table.path)
