"""An indicator's `data:` block: which file in data/, which rows and columns, how its periods
read; and the values, England's and the region's rows made from it. Problems are reported at
the YAML field first and the data file's place after, on one line.

Each file is hashed once per load; what an indicator takes from it is remembered (with
`remember`) under the file's digest and what was asked, so an unchanged file is not parsed again.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import yaml

from jsna.build.store import digest
from jsna.errors import JsnaError, Position
from jsna.load import data
from jsna.load.yamlnodes import Source, suggest
from jsna.model import LOCAL, Config, Group, Member, Series, Value
from jsna.numbers import default_decimals
from jsna.periods import period_key

DATA_FIELDS = ("file", "periods", "value", "numerator", "denominator", "where", "comparators",
               "area_column", "period_column", "predecessor")
POPULATION_FIELDS = ("file", "value", "year", "where", "area_column", "period_column")
YEARS = {"same": 0, "previous": -1}
DATA_COMPARATORS = ("england", "region")
# `file:` in an item's text: the data files an item may read, found before it is parsed.
_FILE = re.compile(r"""\bfile:[ \t]*['"]?([^'"#\n]+?)['"]?[ \t]*(?:#.*)?$""", re.MULTILINE)


class NotListed(Exception):
    """An item read a data file its text was not seen to name: read it another way."""


class Reader:
    """Data files for one load: each hashed once, each extract remembered under the digests."""

    def __init__(self, root: Path, remember=None):
        self.root = root
        self.remember = remember
        self.digests: dict[str, str] = {}
        self.allowed: set[str] | None = None  # while an item is read alone: the files it names

    def digest(self, name: str) -> str:
        if name not in self.digests:
            path = self.root / data.DATA_DIR / name
            try:
                self.digests[name] = data.file_digest(path) if path.is_file() else "missing"
            except OSError:
                self.digests[name] = "unreadable"
        return self.digests[name]

    def named(self, text: str, config: Config) -> tuple[str, ...]:
        """The data files an item's text (or the config) names, with their digests (for its key)."""
        found = _FILE.findall(text) if "file:" in text else ()  # most items read no file: skip the scan
        names = sorted(set(found) | ({config.neighbours} if config.neighbours else set()))
        return tuple(part for name in names for part in (name, self.digest(name)))

    def extract(self, spec: data.Spec, code: str, scale, decimals: int) -> data.Extract:
        files = (spec.file,) + ((spec.population.file,) if spec.population else ())
        if self.allowed is not None and not set(files) <= self.allowed:
            raise NotListed

        def make():
            table = data.read_table(self.root, spec.file, self.digest(spec.file))
            population = None
            if spec.population:
                population = data.read_table(self.root, spec.population.file, self.digest(spec.population.file))
            return data.extract(table, spec, code, scale, decimals, population)
        if self.remember is None:
            return make()
        key = digest("data-extract", *(self.digest(f) for f in files), repr(spec), code, repr(scale), str(decimals))
        return self.remember(key, make)


def read_spec(src: Source, node: yaml.Node, what: str) -> tuple[data.Spec, dict[str, yaml.Node]]:
    """The `data:` block as a Spec, and its fields' nodes (for errors about them)."""
    f = src.fields(node, f"the data of {what}", ("file", "periods"), DATA_FIELDS[2:])
    periods = src.text(f["periods"], f"the periods of {what}")
    problem = data.check_periods(periods)
    if problem:
        raise src.error(f["periods"], problem)
    population = None
    denominator = None
    if "denominator" in f and isinstance(f["denominator"], yaml.MappingNode):
        population = _population(src, f["denominator"], what)
    elif "denominator" in f:
        denominator = src.text(f["denominator"], "the denominator's column")
    spec = data.Spec(
        file=data_file(src, f["file"]),
        periods=periods,
        value=_column(src, f, "value"),
        numerator=_column(src, f, "numerator"),
        denominator=denominator,
        population=population,
        where=_where(src, f.get("where"), what),
        area_column=_column(src, f, "area_column") or data.TIDY_AREA,
        period_column=_column(src, f, "period_column") or "period",
        predecessor=_column(src, f, "predecessor"),
    )
    return spec, f


def _population(src: Source, node: yaml.Node, what: str) -> data.Spec:
    f = src.fields(node, f"the denominator of {what}", ("file", "value"), POPULATION_FIELDS[2:])
    year = src.choice(f["year"], "the denominator's year", tuple(YEARS)) if "year" in f else "same"
    return data.Spec(
        file=data_file(src, f["file"]), periods="year", value=src.text(f["value"], "the denominator's column"),
        where=_where(src, f.get("where"), what), offset=YEARS[year],
        area_column=_column(src, f, "area_column") or data.TIDY_AREA,
        period_column=_column(src, f, "period_column") or "period",
    )


def data_file(src: Source, node: yaml.Node) -> str:
    name = src.text(node, "a data file")
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or ":" in name or ".." in parts or "." in parts:
        raise src.error(node, f"expected a file in the project's data/ folder, named from there (dfe/b1.csv), found '{name}'")
    return name.removeprefix(data.DATA_DIR + "/")


def _column(src: Source, f: dict, name: str) -> str | None:
    return src.text(f[name], f"the column for {name}") if name in f else None


def _where(src: Source, node, what: str) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    return tuple(
        (column, src.text(value, f"the value of {column} to keep", allow_empty=True))
        for column, (_, value) in src.mapping(node, f"the rows of {what} to keep (column: value)").items()
    )


def load_series(src: Source, node: yaml.Node, f_ind: dict, config: Config, reader: Reader,
                measure: str, scale: int | None, decimals: int | None, what: str):
    """(the local series, the comparators, the notes it adds, the files read, the groups) for an
    indicator whose values come from a data file; `scale`: 100 for a percentage, `per` for a
    rate (what a value computed from its numerator and denominator is multiplied by)."""
    spec, f = read_spec(src, node, what)
    code = src.text(f_ind["area_code"], "the area code") if "area_code" in f_ind else config.area_code
    if not code:
        raise src.error(node, f"expected area_code on {what} or in jsna.yaml, the code of the area to read (E06000055), found none")
    places = decimals if decimals is not None else default_decimals(measure)
    try:
        found = reader.extract(spec, code, scale, places)
    except data.DataProblem as problem:
        blame = f.get(problem.field) or (f_ind.get("area_code") if problem.field == "area_code" else None) or node
        raise src.error(blame, f"{problem.message} ({problem.where})") from None
    name = src.text(f_ind["area"], "the area") if "area" in f_ind else (
        config.area if code == config.area_code else found.name)
    local = replace(_series(src, f["periods"], LOCAL, name, found.local, what, found.path), breaks=_breaks(found))
    comparators = _comparators(src, f, config, found, local, measure, what)
    groups = _groups(src, node, config, reader, found, local) if measure != "count" else ()
    read = (spec.file, *((spec.population.file,) if spec.population else ()),
            *((config.neighbours,) if groups and config.neighbours else ()))
    files = tuple(f"{data.DATA_DIR}/{name}" for name in read)
    return local, comparators, _notes(spec, scale) + _starts(found, local) + _rounded(found), files, groups


def _series(src: Source, periods_node, series_id: str, name: str, points, what: str, path: str) -> Series:
    values = []
    kinds = set()
    for point in points:
        key = period_key(point.label)
        if key is None:
            raise src.error(periods_node, f"expected periods jsna can order (such as 2024-25, 2025, 31 March 2025), found '{point.label}' ({path} line {point.line}): choose periods to label them")
        kinds.add(key.kind)
        values.append((point.label, _value(point, path)))
    if len(kinds) > 1:
        raise src.error(periods_node, f"expected periods of one kind in {what}, found {', '.join(sorted(kinds))}")
    return Series(series_id, name, tuple(values))


def _breaks(found: data.Extract) -> tuple[tuple[str, str], ...]:
    """Where a series continued from a predecessor's code goes on under the area's own."""
    return tuple(
        (point.label, f"code {before.former} replaced by {found.code}")
        for before, point in zip(found.local, found.local[1:]) if before.former and not point.former
    )


def _value(point: data.Point, path: str) -> Value:
    return Value(
        value=point.value, position=Position(path, point.line), numerator=point.numerator,
        denominator=point.denominator, marker=point.marker, limits=point.limits, note=point.note,
    )


def _comparators(src, f, config: Config, found: data.Extract, local: Series, measure: str, what: str) -> tuple[Series, ...]:
    """England's and the region's rows, as the comparators `england` and `region` where jsna.yaml
    declares them, for the area's own periods: for a rate or percentage, or where `comparators:`
    lists them (England's count is no yardstick for an area's)."""
    declared = dict(config.comparators)
    known = tuple(c for c in DATA_COMPARATORS if c in declared)
    wanted = known if measure != "count" else ()
    if "comparators" in f:
        wanted = tuple(src.choice(n, f"a comparator of {what} from its data", known) for n in src.sequence(f["comparators"], "comparators"))
    periods = {label for label, _ in local.values}
    made = []
    for cid, points, name in (("england", found.england, declared.get("england")), ("region", found.region, found.region_name)):
        if cid in wanted and points:
            kept = [p for p in points if p.label in periods]
            made.append(_series(src, f["periods"], cid, name or declared[cid], kept, what, found.path))
    return tuple(made)


def _notes(spec: data.Spec, scale: int | None) -> tuple[str, ...]:
    """Say how a value jsna computed was made."""
    if spec.value is not None:
        return ()
    times = f"x {scale:,}"
    if spec.population:
        pairing = " for the year before (as the publisher pairs them)" if spec.population.offset == -1 else ""
        return (f"Computed by jsna: {spec.numerator} ({data.DATA_DIR}/{spec.file}) / "
                f"{spec.population.value} ({data.DATA_DIR}/{spec.population.file}{pairing}) {times}.",)
    return (f"Computed by jsna: {spec.numerator} / {spec.denominator} ({data.DATA_DIR}/{spec.file}) {times}.",)


def _starts(found: data.Extract, local: Series) -> tuple[str, ...]:
    """Say so where the area's series starts after England's: a new authority or a new code,
    never joined to another area's series (see `predecessor`)."""
    if not found.england or not local.values or found.england[0].label == local.values[0][0]:
        return ()
    return (f"No values before {local.values[0][0]} for {found.code}: {found.path} has no rows for it before "
            "then (a new authority, or a new code). A series is never joined to another area's; a code "
            "that replaced an earlier one for the same authority continues it with predecessor:.",)


def _groups(src: Source, node, config: Config, reader: Reader, found: data.Extract, local: Series) -> tuple[Group, ...]:
    """The area's region's authorities, its statistical neighbours (the DfE model in data/,
    joined on the three-digit LA number) and all English authorities, in its latest period."""
    if not found.members:
        return ()
    period = next(label for label, value in reversed(local.values) if value.value is not None)

    def group(group_id: str, name: str, keep) -> Group:
        members = tuple(
            Member(m.code, local.name, local.get(period), local=True, region=m.region or None) if m.code == found.code
            else Member(m.code, m.name, _value(m.point, found.path), region=m.region or None)
            for m in found.members if keep(m) or m.code == found.code
        )
        return Group(group_id, name, period, members, src.at(node))
    groups = [group("england", "English authorities", lambda m: True)]
    region = next((m.region for m in found.members if m.code == found.code), "")
    if region:
        groups.insert(0, group("region", f"{found.region_name or region} authorities", lambda m: m.region == region))
    if config.neighbours and found.number:
        near = _neighbours(src, node, reader, config.neighbours, found.number)
        groups.insert(0, group("neighbours", "authorities in its statistical neighbour group", lambda m: m.number in near))
    return tuple(groups)


def _neighbours(src: Source, node, reader: Reader, name: str, number: str) -> set[str]:
    """The LA numbers of an authority's ten statistical neighbours in the DfE's model."""
    try:
        table = data.read_table(reader.root, name, reader.digest(name))
        near = data.neighbours(table, number)
    except data.DataProblem as problem:
        raise src.error(node, f"{problem.message} (statistical_neighbours in jsna.yaml; {problem.where})") from None
    return near


def _rounded(found: data.Extract) -> tuple[str, ...]:
    """Say so where every count behind an England or region value ends in 0: the DfE rounds
    them to the nearest 10, so intervals computed from them are approximate."""
    counts = [p.numerator for p in found.local if p.numerator is not None]
    if found.number or not found.code.startswith(("E92", "E12", "E13")) or not counts or any(c % 10 for c in counts):
        return ()
    return (f"The counts for {found.name or found.code} are rounded to the nearest 10 by the publisher, so "
            "confidence intervals computed from them are approximate.",)
