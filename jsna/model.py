"""The loaded JSNA as plain frozen data: what every later stage reads and nothing changes."""

from __future__ import annotations

import datetime as dt

from jsna.errors import BuildWarning, Position
from jsna.records import record

MEASURES = ("count", "percentage", "rate")
POLARITIES = ("higher-is-better", "lower-is-better", "no-judgement")
# The one-area charts drawn from a ChartSpec, then the charts of every area in a group, each with
# a module of its own in jsna/compute/ and jsna/draw/ (see docs/format.md and
# `compute/views.py:own_figure`).
CHART_TYPES = ("line", "bar", "grouped-bar", "stacked-bar", "horizontal-bar", "compare-areas", "funnel", "spine", "map")
# The types that chart an indicator's own series or breakdown, period by period.
OVER_TIME = ("line", "bar", "grouped-bar", "stacked-bar", "horizontal-bar")
MANY_INDICATORS = ("spine",)  # the types that chart several indicators (`indicators:`), not one
LOCAL = "local"

# Government Statistical Service symbols for values that are not shown as numbers.
MARKERS = {
    "c": "suppressed to protect confidentiality",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability (not published)",
    "low": "a positive number that rounds to zero",
}


@record
class Value:
    """One published (or derived, or missing) value for a period. A value that is not a number
    carries its marker: "c" suppressed, "x" not available, "z" not applicable, "u" low
    reliability, "low" rounds to zero (None: missing). `limits`: the confidence limits its
    publisher gave, (confidence, lower, upper) each."""

    value: float | None
    position: Position
    numerator: float | None = None
    denominator: float | None = None
    derived: str | None = None
    note: str | None = None
    marker: str | None = None
    limits: tuple[tuple[float, float, float], ...] = ()


@record
class Series:
    """Values over periods for one area: the local area or a comparator."""

    id: str
    name: str
    values: tuple[tuple[str, Value], ...]
    # (the first period after a change the series is joined across, what changed): a new code
    # for the same authority, say.
    breaks: tuple[tuple[str, str], ...] = ()

    def get(self, period: str) -> Value | None:
        for label, value in self.values:
            if label == period:
                return value
        return None


@record
class Breakdown:
    """An indicator's values split by category, per period."""

    id: str
    title: str
    measure: str
    categories: tuple[str, ...]
    values: tuple[tuple[str, tuple[Value, ...]], ...]  # period -> one Value per category
    position: Position

    @property
    def periods(self) -> tuple[str, ...]:
        return tuple(period for period, _ in self.values)


@record
class DataSource:
    publisher: str
    dataset: str
    url: str | None = None
    published: str | None = None
    licence: str | None = None


@record
class Target:
    value: float
    period: str | None = None
    note: str | None = None


@record
class Member:
    """An area of a comparison group: its code (None where typed by name in indicators.yaml), its
    name and its value in the group's period, with the numerator, denominator, marker and
    published limits its file gives (for its interval and its comparison with England)."""

    code: str | None
    name: str
    value: Value
    local: bool = False  # the chapter's own area
    region: str | None = None  # its region's code in the data (region_code): maps draw regions' borders


@record
class Note:
    """A caveat of an indicator, shown only under the figures it concerns: every figure of the
    indicator; or, with `breakdown`, those of that breakdown; with `period`, those showing that
    period (with both, those of the breakdown that show the period)."""

    text: str
    breakdown: str | None = None
    period: str | None = None

    def concerns(self, breakdown: str | None, periods: tuple[str, ...]) -> bool:
        return (self.breakdown is None or self.breakdown == breakdown) and (self.period is None or self.period in periods)


@record
class Group:
    """A comparison group's values in one period (e.g. the North East's 12 councils), for ranks,
    ranges and charts of every area; it always includes the local area."""

    id: str
    name: str
    period: str
    members: tuple[Member, ...]
    position: Position

    def numbers(self) -> dict[str, float | None]:
        """Each member's name -> its number (None if it has none): for ranks and ranges."""
        return {m.name: m.value.value for m in self.members}


@record
class Indicator:
    id: str
    title: str
    definition: str
    area: str
    measure: str
    polarity: str
    source: DataSource
    periods: tuple[str, ...]
    local: Series
    position: Position
    per: int | None = None
    unit: str | None = None
    decimals: int | None = None
    numerator: str | None = None
    denominator: str | None = None
    comparators: tuple[Series, ...] = ()
    breakdowns: tuple[Breakdown, ...] = ()
    target: Target | None = None
    notes: tuple[Note, ...] = ()
    groups: tuple[Group, ...] = ()
    data: tuple[str, ...] = ()  # the data files its values were read from (data/...)

    def series(self, series_id: str) -> Series | None:
        if series_id == LOCAL:
            return self.local
        return next((s for s in self.comparators if s.id == series_id), None)

    def breakdown(self, breakdown_id: str) -> Breakdown | None:
        return next((b for b in self.breakdowns if b.id == breakdown_id), None)

    def notes_for(self, breakdown: str | None, periods: tuple[str, ...]) -> tuple[str, ...]:
        """The notes a figure of `breakdown` (None: the series) showing `periods` carries."""
        return tuple(n.text for n in self.notes if n.concerns(breakdown, periods))


@record
class FigureRef:
    """A figure placed in a chapter's Markdown: which indicator, how to chart it."""

    indicator: str
    chart_type: str
    position: Position
    series: tuple[str, ...] | None = None
    periods: tuple[str, str] | None = None  # first and last, inclusive
    breakdown: str | None = None
    title: str | None = None
    fields: tuple[tuple[str, Position], ...] = ()  # where each setting was written
    group: str | None = None  # compare-areas: the group of areas (neighbours, region, england)
    intervals: bool = False  # line and bar: 95% confidence intervals as whiskers
    indicators: tuple[str, ...] = ()  # spine: its indicators, one row each (`indicator` is the first)
    fill: str | None = None  # map: what fills each area, "comparison" (the default) or "quintile"

    def at(self, name: str) -> Position:
        """Where a setting was written, for errors about it; the block's start otherwise."""
        return dict(self.fields).get(name, self.position)

    def chosen_periods(self, available: tuple[str, ...]) -> tuple[str, ...]:
        """The periods the figure shows, of those its indicator (or breakdown) has."""
        if self.periods is None:
            return available
        first, last = (available.index(p) for p in self.periods)
        return available[first : last + 1]

    def series_ids(self, indicator: Indicator) -> tuple[str, ...]:
        """The series the figure shows: those it names, else the local area and every comparator."""
        return self.series or (LOCAL,) + tuple(s.id for s in indicator.comparators)

    def charted(self, indicator: Indicator) -> tuple[Value | None, ...]:
        """Every value a figure of one of today's types (`OVER_TIME`) charts, None where a
        period has none."""
        if self.breakdown is None:
            periods = self.chosen_periods(indicator.periods)
            return tuple(series.get(p) for series in map(indicator.series, self.series_ids(indicator)) for p in periods)
        breakdown = indicator.breakdown(self.breakdown)
        periods = self.chosen_periods(breakdown.periods)
        rows = dict(breakdown.values)
        return tuple(v for p in (periods[-1:] if self.chart_type == "horizontal-bar" else periods) for v in rows[p])


@record
class Text:
    """A run of Markdown between figures, with the file line it starts on."""

    markdown: str
    position: Position


Block = Text | FigureRef


@record
class SectionDef:
    id: str
    title: str


@record
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]
    position: Position
    last_updated: dt.date | None = None
    left_empty: bool = False  # marked `{empty}`: no content yet, on purpose (no warning)

    @property
    def empty(self) -> bool:
        return not any(
            isinstance(b, FigureRef) or b.markdown.strip() for b in self.blocks
        )


@record
class Contact:
    name: str | None = None
    job_title: str | None = None
    email: str | None = None
    phone: str | None = None


@record
class Reference:
    text: str
    url: str | None = None


@record
class ChapterLink:
    """A Markdown link to another chapter's file, checked against the chapters that exist."""

    target: str
    position: Position


@record
class ImageRef:
    """An image a chapter's Markdown shows, checked to be a file inside the project."""

    src: str
    position: Position


VALUE_ASPECTS = (
    "latest", "latest-period", "period", "change", "change-since-first", "compare", "trend",
    "rank", "range", "target",
)


@record
class ValueRef:
    """A number asked for in the narrative, `{{ id }}` or `{{ id: aspect argument }}`."""

    raw: str
    indicator: str
    aspect: str
    position: Position
    argument: str | None = None


@record
class Chapter:
    slug: str
    path: str
    title: str
    summary: str
    theme: str
    area: str
    layout: str
    last_updated: dt.date
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]
    position: Position
    next_review: dt.date | None = None
    key_contact: Contact | None = None
    related: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    links: tuple[ChapterLink, ...] = ()
    values: tuple[ValueRef, ...] = ()
    images: tuple[ImageRef, ...] = ()

    @property
    def figures(self) -> tuple[FigureRef, ...]:
        blocks = self.intro + tuple(b for s in self.sections for b in s.blocks)
        return tuple(b for b in blocks if isinstance(b, FigureRef))


@record
class Disclosure:
    """The small-count rule: counts from `smallest` to `largest` are suppressed ("c"), with every
    value built on them; by default 1 to 5, the convention of England's children's social care
    statistics. `largest` 0 turns suppression off."""

    smallest: int = 1
    largest: int = 5

    def hides(self, count: float | None) -> bool:
        return count is not None and self.smallest <= count <= self.largest


@record
class Config:
    title: str
    organisation: str
    area: str
    language: str
    comparators: tuple[tuple[str, str], ...]
    layouts: tuple[tuple[str, tuple[SectionDef, ...]], ...]
    default_layout: str
    base_url: str | None = None
    logo: str | None = None
    contact_email: str | None = None
    disclosure: Disclosure = Disclosure()
    area_code: str | None = None  # the area's code (E06000055): what data files are read for
    neighbours: str | None = None  # the DfE statistical neighbour model, a file in data/
    # Where each data file comes from (data/... -> its source), as jsna.yaml's data_sources says:
    # for files no indicator's own source describes (a population, the neighbour model).
    data_sources: tuple[tuple[str, DataSource], ...] = ()
    # The maps' boundaries: (a GeoJSON file in data/, the attribution its licence requires).
    boundaries: tuple[str, str] | None = None

    def layout(self, name: str) -> tuple[SectionDef, ...]:
        return dict(self.layouts)[name]

    def comparator_name(self, comparator_id: str) -> str:
        return dict(self.comparators)[comparator_id]


def file_sources(config: Config, indicators) -> tuple[tuple[str, tuple[DataSource, ...], tuple[Indicator, ...]], ...]:
    """Each data file the indicators read (data/..., sorted), with its sources and its readers:
    jsna.yaml's data_sources for it, else the sources of the indicators that read it as their
    own file (the first it names; not a population or the neighbour model): () where neither."""
    declared = dict(config.data_sources)
    readers: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        for path in indicator.data:
            readers.setdefault(path, []).append(indicator)
    made = []
    for path in sorted(readers):
        own = (declared[path],) if path in declared else tuple(dict.fromkeys(
            i.source for i in readers[path] if i.data[0] == path))
        made.append((path, own, tuple(readers[path])))
    return tuple(made)


@record
class Boundaries:
    """The boundary file the maps draw (jsna/load/geography.py): its name in data/, the digest
    of its bytes, each area's (code, name), and the attribution printed on every map."""

    file: str
    digest: str
    areas: tuple[tuple[str, str], ...]
    attribution: str

    def name(self, code: str) -> str | None:
        return dict(self.areas).get(code)


@record
class Site:
    """Everything loaded and validated: the input to every later stage."""

    root: str
    config: Config
    indicators: tuple[Indicator, ...]
    chapters: tuple[Chapter, ...]
    warnings: tuple[BuildWarning, ...] = ()
    # ("indicator:ID" or "chapter:SLUG", the key it was remembered under when it was read, which
    # names it with the reading code's version), for those read that way.
    sources: tuple[tuple[str, str], ...] = ()
    boundaries: Boundaries | None = None  # read where jsna.yaml names them

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)
