"""Load and validate a JSNA folder: jsna.yaml, indicators.yaml and chapters/ into a `Site`.

This is the only stage that reads the project's input files. Every problem is raised as a
positioned `JsnaError`; problems in separate items are collected and raised together.

A rebuild need not read all of indicators.yaml again: where the file is plainly a block list,
each indicator is read from its own lines, and one whose lines (and their place in the file) are
as they were is remembered. Whatever does not make sense read that way (an anchor and its alias,
a quoted text running over the lines of the next item) is read from the whole file, as before.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path, PurePosixPath
from typing import Callable

import yaml

from jsna.load import chapters as chapter_loader
from jsna.load import fromdata, geography
from jsna.load.data import DATA_DIR
from jsna.build.store import digest
from jsna.errors import BuildWarning, JsnaError, JsnaErrors, Position
from jsna.model import (
    LOCAL,
    MEASURES,
    OVER_TIME,
    POLARITIES,
    Breakdown,
    Config,
    DataSource,
    Disclosure,
    Group,
    Indicator,
    MARKERS,
    Member,
    Note,
    SectionDef,
    Series,
    Site,
    Target,
    Value,
    file_sources,
)
from jsna.periods import EXPECTED as PERIOD_EXPECTED
from jsna.periods import period_key
from jsna.load.safety import IMAGE_TYPES, decode, inside
from jsna.load.yamlnodes import EMAIL, LANGUAGE_TAG, LOADER, Source, describe, is_plain, suggest

CONFIG_FILE = "jsna.yaml"
INDICATORS_FILE = "indicators.yaml"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

DEFAULT_LAYOUTS: tuple[tuple[str, tuple[SectionDef, ...]], ...] = (
    (
        "standard",
        (
            SectionDef("key-issues", "What are the key issues?"),
            SectionDef("at-risk", "Who is at risk and why?"),
            SectionDef("level-of-need", "What is the level of need?"),
            SectionDef("current-services", "What services are currently provided?"),
            SectionDef("projected-need", "What is the projected level of need?"),
            SectionDef("inequalities", "What are the key inequalities?"),
            SectionDef("unmet-needs", "What are the unmet needs and service gaps?"),
            SectionDef("evidence", "What evidence is there for effective intervention?"),
            SectionDef("what-people-say", "What do people say?"),
            SectionDef("recommendations", "Recommendations"),
            SectionDef("further-assessment", "What further needs assessment is required?"),
        ),
    ),
    (
        "ten-questions",
        (
            SectionDef("key-issues", "What are the key issues?"),
            SectionDef("commissioning-priorities", "What commissioning priorities are recommended?"),
            SectionDef("at-risk", "Who is at risk and why?"),
            SectionDef("level-of-need", "What is the level of need in the population?"),
            SectionDef("current-services", "What services are currently provided?"),
            SectionDef("projected-need", "What is the projected level of need?"),
            SectionDef("unmet-needs", "What needs might be unmet?"),
            SectionDef("evidence", "What evidence is there for effective intervention?"),
            SectionDef("what-people-say", "What do people say?"),
            SectionDef("further-assessment", "What additional needs assessment is required?"),
        ),
    ),
)


# remember(key, make): a value made before under `key`, or `make()` (kept under it).
Remember = Callable[[str, Callable[[], object]], object]


def load_site(root: Path, remember: Remember | None = None) -> Site:
    """Read and validate everything under root; raise JsnaError(s) on bad input. With
    `remember`, a chapter whose text is as it was, or an indicator whose text (and place in the
    file) is as it was, is not read again."""
    config = load_config(root)
    indicators, warnings, indicator_sources = load_indicators(root, config, remember)
    chapters, chapter_warnings, chapter_sources = chapter_loader.load_chapters(root, config, remember)
    boundaries = None
    if config.boundaries:
        file, attribution = config.boundaries
        boundaries = geography.load_boundaries(root, file, attribution, Position(CONFIG_FILE), remember)
    _check_references(indicators, chapters, boundaries)
    return Site(
        root=str(root),
        config=config,
        indicators=indicators,
        chapters=chapters,
        warnings=tuple(warnings) + tuple(chapter_warnings) + _nothing_to_chart(indicators, chapters) + _unsourced(config, indicators),
        sources=tuple(sorted(
            [(f"indicator:{i}", key) for i, key in indicator_sources.items()]
            + [(f"chapter:{slug}", key) for slug, key in chapter_sources.items()]
        )),
        boundaries=boundaries,
    )


def _unsourced(config: Config, indicators: tuple[Indicator, ...]) -> tuple[BuildWarning, ...]:
    """A warning for each data file read whose source nothing says, so it cannot be attributed."""
    return tuple(
        BuildWarning(readers[0].position, f"expected a source for {path} (read by '{readers[0].id}'), found none: "
                     f"give it under data_sources in {CONFIG_FILE} (publisher, dataset, licence), so the site can attribute it")
        for path, sources, readers in file_sources(config, indicators) if not sources
    )


def _read(root: Path, name: str) -> str:
    """A file of the project as text; one outside it (through a link) is not read."""
    path = root / name
    if path.is_symlink() and not inside(root, path):
        raise JsnaError(Position(name), f"expected {name} to be a file inside the project, found a link to a file outside it")
    try:
        return decode(name, path.read_bytes())
    except FileNotFoundError:
        raise JsnaError(Position(name), f"expected the file {name} in {root}, found no such file") from None
    except OSError as exc:
        raise JsnaError(Position(name), f"expected {name} to be a readable file, found {exc.strerror.lower()}") from None


# Site config -------------------------------------------------------------------------------


def load_config(root: Path) -> Config:
    src = Source(CONFIG_FILE)
    doc = src.compose(_read(root, CONFIG_FILE))
    f = src.fields(
        doc,
        CONFIG_FILE,
        required=("title", "organisation", "area"),
        optional=(
            "base_url", "language", "logo", "contact_email", "comparators", "layouts", "default_layout",
            "disclosure", "area_code", "statistical_neighbours", "data_sources", "boundaries",
        ),
    )
    comparators: list[tuple[str, str]] = []
    if "comparators" in f:
        for name, (key, value) in src.mapping(f["comparators"], "comparators").items():
            _check_id(src, key, name, "a comparator id")
            if name == LOCAL:
                raise src.error(key, f"expected a comparator id other than '{LOCAL}', which means the local area")
            comparators.append((name, src.text(value, f"the name of comparator '{name}'")))
    layouts = DEFAULT_LAYOUTS
    if "layouts" in f:
        layouts = tuple(
            (name, _load_layout(src, key, value))
            for name, (key, value) in src.mapping(f["layouts"], "layouts").items()
        )
        if not layouts:
            raise src.error(f["layouts"], "expected at least one layout in layouts, found none")
    names = tuple(name for name, _ in layouts)
    default_layout = names[0]
    if "default_layout" in f:
        default_layout = src.choice(f["default_layout"], "default_layout", names)
    logo = _logo(src, f["logo"], root) if "logo" in f else None
    disclosure = Disclosure()
    if "disclosure" in f:
        d = src.fields(f["disclosure"], "disclosure", ("smallest", "largest"))
        smallest = src.number(d["smallest"], "the smallest suppressed count", whole=True)
        largest = src.number(d["largest"], "the largest suppressed count", whole=True)
        if smallest is None or largest is None or smallest < 0 or largest < 0:
            raise src.error(f["disclosure"], "expected whole numbers of 0 or more for smallest and largest, found a missing or negative one")
        disclosure = Disclosure(smallest, largest)
    return Config(
        title=src.text(f["title"], "title"),
        organisation=src.text(f["organisation"], "organisation"),
        area=src.text(f["area"], "area"),
        language=src.shaped(f["language"], "language", LANGUAGE_TAG, "a language tag such as en-GB") if "language" in f else "en-GB",
        comparators=tuple(comparators),
        layouts=layouts,
        default_layout=default_layout,
        base_url=src.shaped(f["base_url"], "base_url", r"https?://[^/\s\"'<>]+(/[^\s\"'<>]*)?", "an http:// or https:// address") if "base_url" in f else None,
        logo=logo,
        contact_email=src.shaped(f["contact_email"], "contact_email", EMAIL, "an email address such as jsna@example.org") if "contact_email" in f else None,
        disclosure=disclosure,
        area_code=src.text(f["area_code"], "area_code") if "area_code" in f else None,
        neighbours=fromdata.data_file(src, f["statistical_neighbours"]) if "statistical_neighbours" in f else None,
        data_sources=_data_sources(src, f["data_sources"], root) if "data_sources" in f else (),
        boundaries=_boundaries(src, f["boundaries"], root) if "boundaries" in f else None,
    )


def _data_sources(src: Source, node: yaml.Node, root: Path) -> tuple[tuple[str, DataSource], ...]:
    """jsna.yaml's `data_sources`: each a file in data/ (named from there) and its source."""
    sources = []
    for name, (key, value) in src.mapping(node, "data_sources (a file in data/: its source)").items():
        name = fromdata.data_file(src, key)
        if not (root / DATA_DIR / name).is_file():
            raise src.error(key, f"expected a file in the project's data/ folder, found no file '{DATA_DIR}/{name}'")
        sources.append((f"{DATA_DIR}/{name}", _load_source(src, value, f"data file '{name}'")))
    return tuple(sources)


def _boundaries(src: Source, node: yaml.Node, root: Path) -> tuple[str, str]:
    """The maps' boundary file (a GeoJSON file in data/) and the attribution its licence requires."""
    f = src.fields(node, "boundaries", ("file", "attribution"))
    name = fromdata.data_file(src, f["file"])
    if not (root / "data" / name).is_file():
        raise src.error(f["file"], f"expected a GeoJSON file in data/, found no file data/{name}")
    return name, src.text(f["attribution"], "the attribution the boundaries' licence requires")


def _logo(src: Source, node: yaml.Node, root: Path) -> str:
    """The logo's path: an image file inside the project (it is copied to the site as named)."""
    logo = src.text(node, "logo")
    parts = PurePosixPath(logo).parts
    if logo.startswith(("/", "\\")) or ":" in logo or "\\" in logo or ".." in parts or "." in parts:
        raise src.error(node, f"expected logo as a path inside the project such as assets/logo.svg, found '{logo}'")
    path = root / logo
    if not inside(root, path):
        raise src.error(node, f"expected logo to name a file inside the project, found '{logo}' linking outside it")
    if not path.is_file():
        raise src.error(node, f"expected logo to name a file in the project, found no file '{logo}'")
    if path.suffix.lower() not in IMAGE_TYPES:
        raise src.error(node, f"expected logo to be an image ({', '.join(IMAGE_TYPES)}), found '{logo}'")
    return logo


def _load_layout(src: Source, key: yaml.Node, node: yaml.Node) -> tuple[SectionDef, ...]:
    sections = []
    seen: set[str] = set()
    for item in src.sequence(node, f"layout '{key.value}'"):
        f = src.fields(item, "a section", required=("id", "title"))
        section_id = src.text(f["id"], "a section id")
        _check_id(src, f["id"], section_id, "a section id")
        if section_id in seen:
            raise src.error(f["id"], f"expected each section id once in a layout, found '{section_id}' again")
        seen.add(section_id)
        sections.append(SectionDef(section_id, src.text(f["title"], "a section title")))
    if not sections:
        raise src.error(node, "expected at least one section in a layout, found none")
    return tuple(sections)


def _check_id(src: Source, node: yaml.Node, value: str, what: str) -> None:
    if not _ID.match(value):
        raise src.error(node, f"expected {what} of lower-case letters, digits and hyphens, found '{value}'")


# Indicators --------------------------------------------------------------------------------

_INDICATOR_REQUIRED = ("id", "title", "definition", "measure", "polarity", "source")
_INDICATOR_OPTIONAL = (
    "values", "data", "area_code", "area", "per", "unit", "decimals", "numerator", "denominator", "comparators",
    "breakdowns", "target", "notes", "groups",
)


def load_indicators(
    root: Path, config: Config, remember: Remember | None = None
) -> tuple[tuple[Indicator, ...], list[BuildWarning], dict[str, str]]:
    """The indicators in id order, their warnings, and (with `remember`) id -> the key each was
    remembered under, for those read from their own lines."""
    text = _read(root, INDICATORS_FILE)
    reader = fromdata.Reader(root, remember)
    try:
        loaded = _load_items_alone(text, config, remember, reader) if remember else None
    except _NotAlone:
        loaded = None
    if loaded is None:
        reader.allowed = None
        src = Source(INDICATORS_FILE)
        doc = src.compose(text)
        top = src.fields(doc, INDICATORS_FILE, required=("indicators",))
        loaded = [_attempt(functools.partial(_load_one, src, item, config, reader)) for item in src.sequence(top["indicators"], "indicators")]
        loaded = [result if isinstance(result, JsnaError) else (*result, "") for result in loaded]
    indicators: list[Indicator] = []
    warnings: list[BuildWarning] = []
    errors: list[JsnaError] = []
    seen: dict[str, Position] = {}
    sources: dict[str, str] = {}
    for result in loaded:
        if isinstance(result, JsnaError):
            errors.append(result)
            continue
        indicator, found, source = result
        warnings += found
        if source:
            sources[indicator.id] = source
        if indicator.id in seen:
            errors.append(
                JsnaError(
                    indicator.position,
                    f"expected each indicator id once, found '{indicator.id}' again (first at line {seen[indicator.id].line})",
                )
            )
        seen[indicator.id] = indicator.position
        indicators.append(indicator)
    if errors:
        raise errors[0] if len(errors) == 1 else JsnaErrors(errors)
    return tuple(sorted(indicators, key=lambda i: i.id)), warnings, sources


def _attempt(load: Callable[[], object]) -> object:
    """What `load()` gives, or the JsnaError it raised (problems in items are collected)."""
    try:
        return load()
    except JsnaError as exc:
        return exc


def _load_one(src: Source, node: yaml.Node, config: Config, reader: fromdata.Reader) -> tuple[Indicator, tuple[BuildWarning, ...]]:
    warnings: list[BuildWarning] = []
    indicator = _load_indicator(src, node, config, warnings, reader)
    return indicator, tuple(warnings)


class _NotAlone(Exception):
    """An item of indicators.yaml cannot be read on its own: read the whole file instead."""


_HEADER = re.compile(r"indicators:[ \t]*(#.*)?")
_ITEM = re.compile(r"( *)-(?: |$)")
# An anchor, alias or tag (or what might be one): an item could then depend on another's text.
_REFERENCE = re.compile(r"(?:^|[\s\[{,:?-])[&*!]\S", re.MULTILINE)


def _load_items_alone(text: str, config: Config, remember: Remember, reader: fromdata.Reader) -> list | None:
    """Each indicator (or its JsnaError) read from its own lines of the file, those whose lines
    are as they were (at the same line, under the same config) remembered rather than read
    again; None if the file is not plainly comments, `indicators:` and a block list. Raises
    _NotAlone if an item does not make sense on its own (a quoted text running into the next)."""
    items = _list_items(text)
    if items is None:
        return None
    settings = repr(config)  # once: a config's repr costs about what reading a kept item does

    def load(line: int, lines: str):
        named = reader.named(lines, config)
        key = digest("indicator", settings, str(line), lines, *named)
        reader.allowed = set(named[::2])
        return (*remember(key, functools.partial(_load_alone, lines, line, config, reader)), key)

    return [_attempt(functools.partial(load, line, lines)) for line, lines in items]


def _list_items(text: str) -> list[tuple[int, str]] | None:
    """(first line from 0, text) of each item of the `indicators:` list, if the file is only
    comments, `indicators:` and a block list without anchors, aliases or tags; else None."""
    if any(mark in text for mark in "&*!") and _REFERENCE.search(text):  # the scan only where one may be
        return None
    lines = text.splitlines(keepends=True)
    number = 0
    while number < len(lines) and lines[number].strip()[:1] in ("", "#"):
        number += 1
    if number == len(lines) or not _HEADER.fullmatch(lines[number].rstrip("\r\n")):
        return None
    starts: list[int] = []
    indent = -1
    for number in range(number + 1, len(lines)):
        line = lines[number]
        item = _ITEM.match(line.rstrip("\r\n"))
        if item and (indent < 0 or len(item.group(1)) == indent):
            indent = len(item.group(1))
            starts.append(number)
        elif line.strip()[:1] not in ("", "#") and (not starts or len(line) - len(line.lstrip(" ")) <= indent):
            return None  # something other than an item at the list's own indent, or left of it
    if not starts:
        return None
    ends = starts[1:] + [len(lines)]
    return [(start, "".join(lines[start:end])) for start, end in zip(starts, ends)]


def _load_alone(lines: str, line: int, config: Config, reader: fromdata.Reader) -> tuple[Indicator, tuple[BuildWarning, ...]]:
    """One item of the list, from its own lines (`line`: where they start in the file)."""
    src = Source(INDICATORS_FILE, line_offset=line)
    try:
        doc = yaml.compose(lines, Loader=LOADER)
    except yaml.YAMLError:
        raise _NotAlone from None
    if not isinstance(doc, yaml.SequenceNode) or len(doc.value) != 1:
        raise _NotAlone
    try:
        return _load_one(src, doc.value[0], config, reader)
    except fromdata.NotListed:
        raise _NotAlone from None


def _load_indicator(src: Source, node: yaml.Node, config: Config, warnings: list[BuildWarning], reader: fromdata.Reader) -> Indicator:
    f = src.fields(node, "an indicator", _INDICATOR_REQUIRED, _INDICATOR_OPTIONAL)
    indicator_id = src.text(f["id"], "an indicator id")
    _check_id(src, f["id"], indicator_id, "an indicator id")
    what = f"indicator '{indicator_id}'"
    measure = src.choice(f["measure"], f"the measure of {what}", MEASURES)
    per, decimals = _per(src, node, f, measure, what), _decimals(src, f, what)
    local, read, data_notes, files, data_groups = _local(src, node, f, config, reader, measure, per, decimals, what)
    periods = tuple(period for period, _ in local.values)
    comparators = _typed_comparators(src, f, config, read, measure, per, periods, what)
    breakdowns = _breakdowns(src, f, what)
    target = _target(src, f, periods, what)
    groups = _typed_groups(src, f, data_groups, measure, periods, local, what)
    if target is not None and f["polarity"].value == "no-judgement":
        raise src.error(f["target"], f"expected a polarity (higher-is-better or lower-is-better) for {what}, which has a target, found no-judgement")
    notes = _load_notes(src, f, what, periods, breakdowns) + tuple(Note(n) for n in data_notes)

    indicator = Indicator(
        id=indicator_id,
        title=src.text(f["title"], f"the title of {what}"),
        definition=src.text(f["definition"], f"the definition of {what}"),
        area=local.name,
        measure=measure,
        polarity=src.choice(f["polarity"], f"the polarity of {what}", POLARITIES),
        source=_load_source(src, f["source"], what),
        periods=periods,
        local=local,
        position=src.at(node),
        per=per,
        unit=src.text(f["unit"], "unit") if "unit" in f else None,
        decimals=decimals,
        numerator=src.text(f["numerator"], "numerator") if "numerator" in f else None,
        denominator=src.text(f["denominator"], "denominator") if "denominator" in f else None,
        comparators=comparators,
        breakdowns=breakdowns,
        target=target,
        notes=notes,
        groups=groups,
        data=files,
    )
    warnings.extend(_check_totals(indicator))
    return indicator


def _per(src: Source, node: yaml.Node, f: dict, measure: str, what: str) -> int | None:
    """A rate's `per` (10,000 children, say): required for a rate, refused on anything else."""
    if measure != "rate":
        if "per" in f:
            raise src.error(f["per"], f"expected 'per' only for a rate, found it on a {measure}")
        return None
    if "per" not in f:
        raise src.error(node, f"expected the required field 'per' for a rate in {what}, found it missing")
    per = src.number(f["per"], f"'per' in {what}", whole=True)
    if per is None or per <= 0:
        raise src.error(f["per"], f"expected 'per' in {what} to be a whole number above 0, found '{f['per'].value}'")
    return per


def _decimals(src: Source, f: dict, what: str) -> int | None:
    if "decimals" not in f:
        return None
    decimals = src.number(f["decimals"], f"'decimals' in {what}", whole=True)
    if decimals is None or not 0 <= decimals <= 4:
        raise src.error(f["decimals"], f"expected 'decimals' between 0 and 4, found '{f['decimals'].value}'")
    return decimals


def _typed_comparators(src: Source, f: dict, config: Config, read, measure: str, per, periods, what: str) -> tuple[Series, ...]:
    """The comparators read from the indicator's data, then those typed in its YAML."""
    comparators = list(read)
    if "comparators" not in f:
        return tuple(comparators)
    known = dict(config.comparators)
    for cid, (key, value) in src.mapping(f["comparators"], f"the comparators of {what}").items():
        if cid not in known:
            raise src.error(
                key,
                f"expected a comparator named in jsna.yaml ({', '.join(known) or 'none are'}), found '{cid}'{suggest(cid, tuple(known))}",
            )
        if any(c.id == cid for c in comparators):
            raise src.error(key, f"expected comparator '{cid}' once in {what}, found it typed and read from its data")
        series = _load_series(src, value, cid, known[cid], measure, f"comparator '{cid}' of {what}", _scale(measure, per))
        _check_periods_known(src, series, periods, value, what)
        comparators.append(series)
    return tuple(comparators)


def _breakdowns(src: Source, f: dict, what: str) -> tuple[Breakdown, ...]:
    breakdowns: list[Breakdown] = []
    if "breakdowns" not in f:
        return ()
    for item in src.sequence(f["breakdowns"], f"the breakdowns of {what}"):
        breakdown = _load_breakdown(src, item, what)
        if any(b.id == breakdown.id for b in breakdowns):
            raise src.error(item, f"expected each breakdown id once in {what}, found '{breakdown.id}' again")
        breakdowns.append(breakdown)
    return tuple(breakdowns)


def _target(src: Source, f: dict, periods: tuple[str, ...], what: str) -> Target | None:
    if "target" not in f:
        return None
    t = src.fields(f["target"], f"the target of {what}", ("value",), ("period", "note"))
    value = src.number(t["value"], f"the target of {what}")
    if value is None:
        raise src.error(t["value"], f"expected the target of {what} as a number, found an empty value")
    target_period = src.text(t["period"], "the target's period") if "period" in t else None
    if target_period is not None and target_period not in periods:
        raise src.error(t["period"], f"expected the target's period to be one of {what}'s periods, found '{target_period}'{suggest(target_period, periods)}")
    return Target(value, target_period, src.text(t["note"], "the target's note") if "note" in t else None)


def _typed_groups(src: Source, f: dict, data_groups, measure: str, periods, local: Series, what: str) -> tuple[Group, ...]:
    """The groups made from the indicator's data, then those typed in its YAML."""
    groups = list(data_groups)
    for item in src.sequence(f["groups"], f"the groups of {what}") if "groups" in f else ():
        group = _load_group(src, item, what, measure, periods, local)
        if any(g.id == group.id for g in groups):
            raise src.error(item, f"expected each group id once in {what}, found '{group.id}' again")
        groups.append(group)
    return tuple(groups)


def _scale(measure: str, per: int | None) -> int | None:
    """What a value is numerator / denominator times: 100 for a percentage, `per` for a rate."""
    return per if measure == "rate" else 100 if measure == "percentage" else None


def _local(src: Source, node: yaml.Node, f: dict, config: Config, reader: fromdata.Reader, measure: str,
           per: int | None, decimals: int | None, what: str):
    """The local series, the comparators read with it, notes and data files: typed under
    `values`, or read from a file in data/ as `data` says."""
    if ("values" in f) == ("data" in f):
        found = "both" if "values" in f else "neither"
        raise src.error(node, f"expected either 'values' (typed) or 'data' (read from a file in data/) in {what}, found {found}")
    if "data" in f:
        return fromdata.load_series(src, f["data"], f, config, reader, measure, _scale(measure, per), decimals, what)
    if "area_code" in f:
        raise src.error(f["area_code"], f"expected area_code only with 'data' (it names the area to read), found it with typed values in {what}")
    area = src.text(f["area"], f"the area of {what}") if "area" in f else config.area
    local = _load_series(src, f["values"], LOCAL, area, measure, what, _scale(measure, per))
    if not local.values:
        raise src.error(f["values"], f"expected at least one period in the values of {what}, found none")
    return local, (), (), (), ()


def _load_notes(src: Source, f: dict, what: str, periods, breakdowns) -> tuple[Note, ...]:
    """An indicator's notes: each a text (shown under every figure of it) or a mapping with `text`
    and a `breakdown`, a `period` or both, naming the figures it concerns."""
    notes = []
    for item in src.sequence(f["notes"], f"the notes of {what}") if "notes" in f else ():
        if isinstance(item, yaml.ScalarNode):
            notes.append(Note(src.text(item, f"a note of {what}")))
            continue
        n = src.fields(item, f"a note of {what}", ("text",), ("breakdown", "period"))
        breakdown = src.text(n["breakdown"], "the breakdown of a note") if "breakdown" in n else None
        names = tuple(b.id for b in breakdowns)
        if breakdown is not None and breakdown not in names:
            raise src.error(n["breakdown"], f"expected a breakdown of {what} ({', '.join(names) or 'it has none'}), found '{breakdown}'{suggest(breakdown, names)}")
        period = src.text(n["period"], "the period of a note") if "period" in n else None
        known = next((b.periods for b in breakdowns if b.id == breakdown), periods)
        if period is not None and period not in known:
            raise src.error(n["period"], f"expected a period of {what} ({', '.join(known)}), found '{period}'{suggest(period, known)}")
        notes.append(Note(src.text(n["text"], f"a note of {what}"), breakdown, period))
    return tuple(notes)


def _load_group(src: Source, node: yaml.Node, what: str, measure: str, periods, local) -> Group:
    f = src.fields(node, f"a group of {what}", ("id", "name", "period", "values"))
    group_id = src.text(f["id"], "a group id")
    _check_id(src, f["id"], group_id, "a group id")
    period = src.text(f["period"], "the group's period")
    if period not in periods:
        raise src.error(f["period"], f"expected one of {what}'s periods ({', '.join(periods)}), found '{period}'{suggest(period, periods)}")
    own = local.get(period)
    members = []
    for name, (key, value_node) in src.mapping(f["values"], f"the values of group '{group_id}' (area: value)").items():
        number = _measured(src, value_node, measure, f"{name} in group '{group_id}'")
        if name == local.name and own is not None and own.value is not None and number != own.value:
            raise src.error(f["values"], f"expected {local.name}'s value in group '{group_id}' to be its own {period} value ({own.value:g}), found {number:g}")
        if name == local.name and own is not None:
            members.append(Member(None, name, own, local=True))  # with its numerator and denominator
        else:
            value = Value(number, src.at(value_node), marker=_marker(value_node))
            members.append(Member(None, name, value, local=name == local.name))
    if own is not None and not any(m.local for m in members):
        members.append(Member(None, local.name, own, local=True))
    return Group(group_id, src.text(f["name"], "the group's name"), period, tuple(members), src.at(node))


def _load_source(src: Source, node: yaml.Node, what: str) -> DataSource:
    f = src.fields(node, f"the source of {what}", ("publisher", "dataset"), ("url", "published", "licence"))
    published = None
    if "published" in f:
        published = src.text(f["published"], "the date published")
        if not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", published):
            raise src.error(f["published"], f"expected the date published as YYYY-MM-DD, YYYY-MM or YYYY, found '{published}'")
        if len(published) == 10:
            src.date(f["published"], "the date published")
    return DataSource(
        publisher=src.text(f["publisher"], "the publisher"),
        dataset=src.text(f["dataset"], "the dataset"),
        url=src.link(f["url"], "the url") if "url" in f else None,
        published=published,
        licence=src.text(f["licence"], "the licence") if "licence" in f else None,
    )


def _load_series(
    src: Source, node: yaml.Node, series_id: str, name: str, measure: str, what: str, scale: int | None = None
) -> Series:
    entries = src.mapping(node, f"the values of {what} (period: value)")
    values: list[tuple[str, Value]] = []
    previous: tuple[str, object, yaml.Node] | None = None
    for period, (key, value_node) in entries.items():
        key_ = period_key(period)
        if key_ is None:
            raise src.error(key, f"expected {PERIOD_EXPECTED}, found '{period}'")
        if previous is not None:
            prev_label, prev_key, _ = previous
            if key_.kind != prev_key.kind:
                raise src.error(key, f"expected periods of one kind in {what} (like '{prev_label}'), found '{period}'")
            if key_ == prev_key:
                raise src.error(key, f"expected each period once in {what}, found '{period}' duplicating '{prev_label}'")
            if key_ < prev_key:
                raise src.error(key, f"expected periods in time order in {what}, found '{period}' after '{prev_label}'")
        previous = (period, key_, key)
        values.append((period, _load_value(src, value_node, measure, f"{what} in {period}", scale)))
    return Series(series_id, name, tuple(values))


def _load_value(src: Source, node: yaml.Node, measure: str, what: str, scale: int | None = None) -> Value:
    """One value; `scale` (100 for a percentage, the base of a rate) checks that a value given
    with its numerator and denominator is what they make, to the places it is written to."""
    if not isinstance(node, yaml.MappingNode):
        return Value(value=_measured(src, node, measure, what), position=src.at(node), marker=_marker(node))
    f = src.fields(node, f"the value of {what}", ("value",), ("numerator", "denominator", "derived", "note"))
    number = _measured(src, f["value"], measure, what)
    numerator = src.number(f["numerator"], f"the numerator of {what}") if "numerator" in f else None
    denominator = src.number(f["denominator"], f"the denominator of {what}") if "denominator" in f else None
    if denominator is not None and denominator <= 0:
        raise src.error(f["denominator"], f"expected a denominator above 0 ({what}), found '{f['denominator'].value}'")
    if numerator is not None and numerator < 0:
        raise src.error(f["numerator"], f"expected a numerator of 0 or more ({what}), found '{f['numerator'].value}'")
    if measure == "percentage" and numerator is not None and denominator is not None and numerator > denominator:
        raise src.error(
            f["numerator"],
            f"expected a numerator no greater than the denominator for a percentage ({what}), found {numerator:g} of {denominator:g}",
        )
    if number is not None and numerator is not None and denominator is not None and scale:
        made = numerator / denominator * scale
        places = len(f["value"].value.partition(".")[2])
        if abs(made - number) > 0.5 * 10 ** -places + 1e-9:
            raise src.error(
                f["value"],
                f"expected the value to be numerator / denominator x {scale:,} = {made:,.{places}f} ({what}), "
                f"found {f['value'].value}",
            )
    return Value(
        value=number,
        marker=_marker(f["value"]),
        position=src.at(f["value"]),
        numerator=numerator,
        denominator=denominator,
        derived=src.text(f["derived"], "how the value was derived") if "derived" in f else None,
        note=src.text(f["note"], "a note") if "note" in f else None,
    )


def _marker(node: yaml.Node) -> str | None:
    """The GSS symbol an editor wrote instead of a number (c, x or z), if any."""
    if is_plain(node) and node.value in MARKERS:
        return node.value
    return None


def _measured(src: Source, node: yaml.Node, measure: str, what: str) -> float | None:
    if not isinstance(node, yaml.ScalarNode):
        raise src.error(node, f"expected the value of {what} as a number or null, found {describe(node)}")
    label = {"count": "a count", "percentage": "a percentage", "rate": "a rate"}[measure]
    if _marker(node):
        return None
    value = src.number(node, f"{label} ({what})", whole=(measure == "count"))
    if value is None:
        return None
    if value < 0:
        raise src.error(node, f"expected {label} of 0 or more ({what}), found '{node.value}'")
    if measure == "percentage" and value > 100:
        raise src.error(node, f"expected a percentage between 0 and 100 ({what}), found '{node.value}'")
    return value


def _check_periods_known(src: Source, series: Series, periods: tuple[str, ...], node: yaml.Node, what: str) -> None:
    entries = src.mapping(node, "values")
    for period, _ in series.values:
        if period not in periods:
            raise src.error(
                entries[period][0],
                f"expected a comparator period that {what} has ({', '.join(periods)}), found '{period}'{suggest(period, periods)}",
            )


def _load_breakdown(src: Source, node: yaml.Node, what: str) -> Breakdown:
    f = src.fields(node, f"a breakdown of {what}", ("id", "title", "measure", "categories", "values"))
    breakdown_id = src.text(f["id"], "a breakdown id")
    _check_id(src, f["id"], breakdown_id, "a breakdown id")
    where = f"breakdown '{breakdown_id}' of {what}"
    measure = src.choice(f["measure"], f"the measure of {where}", ("count", "percentage"))
    categories = tuple(src.text(c, "a category") for c in src.sequence(f["categories"], f"the categories of {where}"))
    if not categories:
        raise src.error(f["categories"], f"expected at least one category in {where}, found none")
    if len(set(categories)) != len(categories):
        raise src.error(f["categories"], f"expected each category once in {where}, found a repeat")
    rows: list[tuple[str, tuple[Value, ...]]] = []
    previous = None
    for period, (key, value_node) in src.mapping(f["values"], f"the values of {where}").items():
        key_ = period_key(period)
        if key_ is None:
            raise src.error(key, f"expected {PERIOD_EXPECTED}, found '{period}'")
        if previous is not None and key_.kind != previous[1].kind:
            raise src.error(key, f"expected periods of one kind in {where} (like '{previous[0]}'), found '{period}'")
        if previous is not None and key_ <= previous[1]:
            order = "once" if key_ == previous[1] else "in time order"
            raise src.error(key, f"expected periods {order} in {where}, found '{period}' after '{previous[0]}'")
        previous = (period, key_)
        cells = src.mapping(value_node, f"the values of {where} in {period} (category: value)")
        for name, (ckey, _) in cells.items():
            if name not in categories:
                raise src.error(ckey, f"expected one of the categories of {where}, found '{name}'{suggest(name, categories)}")
        row = tuple(
            _load_value(src, cells[c][1], measure, f"{where}, {c}, {period}")
            if c in cells
            else Value(None, src.at(value_node))
            for c in categories
        )
        rows.append((period, row))
    return Breakdown(
        id=breakdown_id,
        title=src.text(f["title"], f"the title of {where}"),
        measure=measure,
        categories=categories,
        values=tuple(rows),
        position=src.at(node),
    )


def _check_totals(indicator: Indicator) -> list[BuildWarning]:
    """Warn where a breakdown gives every part for a period and they do not add up."""
    warnings = []
    for breakdown in indicator.breakdowns:
        for period, cells in breakdown.values:
            if any(cell.value is None for cell in cells):
                continue
            total = sum(cell.value for cell in cells)
            if breakdown.measure == "percentage":
                expected, tolerance = 100.0, 0.05 * len(cells) + 0.05
            else:
                stated = indicator.local.get(period)
                if indicator.measure != "count" or stated is None or stated.value is None:
                    continue
                expected, tolerance = stated.value, 0
            if abs(total - expected) > tolerance + 1e-9:
                warnings.append(
                    BuildWarning(
                        breakdown.position,
                        f"breakdown '{breakdown.id}' of indicator '{indicator.id}' adds up to "
                        f"{total:g} in {period}, expected {expected:g}",
                    )
                )
    return warnings


def _check_references(indicators, chapters, boundaries=None) -> None:
    """Every figure names a known indicator, series, breakdown and period (and a map, the
    boundaries it is drawn on); links resolve."""
    by_id = {i.id: i for i in indicators}
    slugs = tuple(c.slug for c in chapters)
    errors: list[JsnaError] = []
    for chapter in chapters:
        for figure in chapter.figures:
            try:
                _check_figure(figure, by_id, boundaries)
            except JsnaError as exc:
                errors.append(exc)
        for ref in chapter.values:
            try:
                _check_value(ref, by_id)
            except JsnaError as exc:
                errors.append(exc)
        for link in chapter.links:
            if link.target not in slugs:
                errors.append(
                    JsnaError(
                        link.position,
                        f"expected a link to an existing chapter ({', '.join(slugs)}), found '{link.target}'{suggest(link.target, slugs)}",
                    )
                )
    if errors:
        raise errors[0] if len(errors) == 1 else JsnaErrors(errors)


def _nothing_to_chart(indicators, chapters) -> tuple[BuildWarning, ...]:
    """A warning for each figure with no value to chart: its page and PDF say so in a sentence."""
    by_id = {i.id: i for i in indicators}
    return tuple(
        BuildWarning(figure.position, f"figure of '{figure.indicator}' in chapter '{chapter.slug}' has no value to chart: "
                                      "its page and PDF say so in a sentence instead")
        for chapter in chapters for figure in chapter.figures
        if figure.chart_type in OVER_TIME and all(v is None or v.value is None for v in figure.charted(by_id[figure.indicator]))
    )


def _check_figure(figure, by_id, boundaries=None) -> None:
    for indicator_id in figure.indicators or (figure.indicator,):
        if indicator_id not in by_id:
            raise JsnaError(
                figure.at("indicators" if figure.indicators else "indicator"),
                f"expected a known indicator id, found '{indicator_id}'{suggest(indicator_id, tuple(by_id))}",
            )
    indicator = by_id[figure.indicator]
    for series_id in figure.series or ():
        if indicator.series(series_id) is None:
            names = (LOCAL,) + tuple(s.id for s in indicator.comparators)
            raise JsnaError(
                figure.at("series"),
                f"expected a series of '{indicator.id}' ({', '.join(names)}), found '{series_id}'{suggest(series_id, names)}",
            )
    if figure.breakdown is not None and indicator.breakdown(figure.breakdown) is None:
        names = tuple(b.id for b in indicator.breakdowns)
        raise JsnaError(
            figure.at("breakdown"),
            f"expected a breakdown of '{indicator.id}' ({', '.join(names) or 'it has none'}), found '{figure.breakdown}'{suggest(figure.breakdown, names)}",
        )
    if figure.chart_type in ("stacked-bar", "horizontal-bar") and figure.breakdown is None:
        raise JsnaError(figure.position, f"expected a 'breakdown' for a {figure.chart_type} chart, found none")
    _check_areas_figure(figure, indicator)
    _check_every_area_figure(figure, indicator)
    _check_map(figure, indicator, boundaries)
    if figure.periods:
        available = indicator.breakdown(figure.breakdown).periods if figure.breakdown else indicator.periods
        for period in figure.periods:
            if period not in available:
                raise JsnaError(
                    figure.at("periods"),
                    f"expected a period of '{indicator.id}' ({', '.join(available)}), found '{period}'{suggest(period, available)}",
                )
        if available.index(figure.periods[0]) > available.index(figure.periods[1]):
            raise JsnaError(figure.at("periods"), f"expected the first period before the last, found '{figure.periods[0]} to {figure.periods[1]}'")


def _check_areas_figure(figure, indicator) -> None:
    """`group` names one of the indicator's groups, and only on a compare-areas chart;
    `intervals` only on a line or bar chart of the series."""
    names = tuple(g.id for g in indicator.groups)
    if figure.chart_type == "compare-areas" and figure.group is None:
        raise JsnaError(figure.position, f"expected a 'group' for a compare-areas chart ({', '.join(names) or f'{indicator.id} has none'}), found none")
    if figure.group is not None and figure.chart_type not in ("compare-areas", "funnel", "map"):
        raise JsnaError(figure.at("group"), f"expected 'group' only on a compare-areas chart, a funnel or a map, found it on a {figure.chart_type} chart")
    if figure.group is not None and figure.group not in names:
        raise JsnaError(
            figure.at("group"),
            f"expected a group of '{indicator.id}' ({', '.join(names) or 'it has none: groups come from a data file, or are typed under groups:'}), found '{figure.group}'{suggest(figure.group, names)}",
        )
    if figure.intervals and (figure.chart_type not in ("line", "bar") or figure.breakdown is not None):
        raise JsnaError(figure.at("intervals"), f"expected 'intervals' only on a line or bar chart of the series, found it on a {figure.chart_type} chart{' of a breakdown' if figure.breakdown else ''}")


def _check_every_area_figure(figure, indicator) -> None:
    """A spine or funnel shows the latest period of every area: no series, periods or breakdown;
    a funnel needs a percentage or rate, and a group whose areas have numerators and denominators."""
    if figure.chart_type not in ("spine", "funnel"):
        return
    for name in ("series", "periods", "breakdown"):
        if name in dict(figure.fields):
            raise JsnaError(figure.at(name), f"expected no '{name}' on a {figure.chart_type} chart (it shows the latest period of every area), found one")
    if figure.chart_type != "funnel":
        return
    if indicator.measure not in ("percentage", "rate"):
        raise JsnaError(figure.at("indicator"), f"expected a percentage or rate for a funnel chart, found '{indicator.id}', a {indicator.measure}")
    group_id = figure.group or "england"
    group = next((g for g in indicator.groups if g.id == group_id), None)
    if group is None:
        raise JsnaError(figure.at("indicator"), f"expected '{indicator.id}' to have a group of every English authority (read from a data file) for a funnel chart, found none")
    placed = sum(1 for m in group.members if m.value.value is not None and m.value.numerator is not None and m.value.denominator)
    if placed < 2:
        raise JsnaError(figure.at("group"), f"expected numerators and denominators for the areas of group '{group_id}' of '{indicator.id}' (from a data file that gives both), found {placed}")


def _check_map(figure, indicator, boundaries) -> None:
    """A map needs the boundaries jsna.yaml names, and every area of England (the group
    `england`) or of the area's region (`region`) from a data file; `fill` is a map's alone."""
    if figure.fill is not None and figure.chart_type != "map":
        raise JsnaError(figure.at("fill"), f"expected 'fill' only on a map, found it on a {figure.chart_type} chart")
    if figure.chart_type != "map":
        return
    if boundaries is None:
        raise JsnaError(figure.at("type"), "expected boundaries (file and attribution) in jsna.yaml for a map, found none")
    if figure.group not in (None, "england", "region"):
        raise JsnaError(figure.at("group"), f"expected the group of a map to be england or region, found '{figure.group}'")
    wanted = figure.group or "england"
    if not any(g.id == wanted for g in indicator.groups):
        raise JsnaError(figure.at("indicator"), f"expected '{indicator.id}' to have every area's values from a data file (a group '{wanted}') for a map, found {'none' if not indicator.groups else 'no group ' + repr(wanted)}")


def _check_value(ref, by_id) -> None:
    """A number asked for in the narrative names a known indicator, period and comparator."""
    indicator = by_id.get(ref.indicator)
    if indicator is None:
        raise JsnaError(ref.position, f"expected a known indicator id in {ref.raw}, found '{ref.indicator}'{suggest(ref.indicator, tuple(by_id))}")
    if ref.aspect == "period" and ref.argument not in indicator.periods:
        raise JsnaError(
            ref.position,
            f"expected a period of '{indicator.id}' ({', '.join(indicator.periods)}), found '{ref.argument}'{suggest(ref.argument, indicator.periods)}",
        )
    if ref.aspect in ("rank", "range"):
        names = tuple(g.id for g in indicator.groups)
        if ref.argument not in names:
            raise JsnaError(
                ref.position,
                f"expected a group of '{indicator.id}' ({', '.join(names) or 'it has none'}), found '{ref.argument}'{suggest(ref.argument, names)}",
            )
    if ref.aspect == "target" and indicator.target is None:
        raise JsnaError(ref.position, f"expected a target on '{indicator.id}' for {ref.raw}, found none")
    if ref.aspect == "compare":
        names = tuple(s.id for s in indicator.comparators)
        if ref.argument not in names:
            raise JsnaError(
                ref.position,
                f"expected a comparator of '{indicator.id}' ({', '.join(names) or 'it has none'}), found '{ref.argument}'{suggest(ref.argument, names)}",
            )
