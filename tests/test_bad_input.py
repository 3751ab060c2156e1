"""Bad input: one clear `file:line:col: expected ..., found ...` line per problem on stderr,
exit status 1, no traceback, and the site built before left exactly as it was.

Every expected position is computed from the text the test writes (`where`), so a test fails if
jsna points at the wrong line or column, not only if it fails to complain.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import CHAPTER, CONFIG, INDICATORS, OTHER, write_project
from jsna.cli import main
from jsna.model import CHART_TYPES

CIN = "chapters/children-in-need.md"
OTHER_MD = "chapters/other.md"


# Helpers ------------------------------------------------------------------------------------


def edit(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of old in text (failing loudly if the fixture has drifted)."""
    text = textwrap.dedent(text)
    assert text.count(old) == 1, f"expected exactly one {old!r} in the fixture text"
    return text.replace(old, new)


def where(text: str, context: str, target: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of target inside the one occurrence of context in text."""
    text = textwrap.dedent(text)
    assert text.count(context) == 1, f"expected exactly one {context!r} in the text"
    index = text.index(context) + (context.index(target) if target else 0)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def at(path: str, text: str, context: str, target: str | None = None) -> str:
    """The `file:line:col: ` prefix expected for target in text."""
    line, column = where(text, context, target)
    return f"{path}:{line}:{column}: "


def run_build(project: Path, capsys) -> tuple[int, str]:
    status = main(["build", "--project", str(project), "--out", str(project / "site"), "-q", "--no-pdf"])
    return status, capsys.readouterr().err


def snapshot(site: Path) -> dict[str, bytes | None]:
    """Every file's bytes (and every folder, as None) under site."""
    return {
        p.relative_to(site).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(site.rglob("*"))
    }


@pytest.fixture
def built(project: Path, capsys) -> dict[str, bytes | None]:
    """The tiny project built once, successfully, into project/site; returns its snapshot."""
    status, err = run_build(project, capsys)
    assert status == 0, err
    snap = snapshot(project / "site")
    assert "index.html" in snap and "children-in-need/figure-1.svg" in snap
    return snap


def assert_rejected(project: Path, built: dict, capsys, expected: list[tuple[str, list[str]]]) -> list[str]:
    """Build again: status 1, exactly one stderr line per expected (prefix, key words), in order,
    no traceback, the old site byte-for-byte unchanged and no temporary folder left beside it."""
    status, err = run_build(project, capsys)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert status == 1, err
    assert len(lines) == len(expected), err
    for line, (prefix, words) in zip(lines, expected):
        assert line.startswith(prefix + "expected "), f"{line!r} does not start with {prefix!r}"
        for word in words:
            assert word in line, f"{word!r} not in {line!r}"
    assert snapshot(project / "site") == built, "a failed build changed the existing site"
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []
    return lines


def reject_one(project, built, capsys, files, prefix, words):
    write_project(project, files)
    return assert_rejected(project, built, capsys, [(prefix, words)])


# Malformed YAML ------------------------------------------------------------------------------

_BAD_INDICATORS = edit(INDICATORS, "    title: Children in need\n", "    title: Children: in need\n")
_BAD_CONFIG = edit(CONFIG, "area: Testshire\n", "area: Testshire: and around\n")
_BAD_FRONT = edit(CHAPTER, "theme: Children and young people\n", "theme: Children: and young people\n")
_BAD_FIGURE = edit(CHAPTER, "type: line\n", "type: line\ntitle: Contacts: by year\n")


@pytest.mark.parametrize(
    "path, text, context",
    [
        ("indicators.yaml", _BAD_INDICATORS, "Children: in need"),
        ("jsna.yaml", _BAD_CONFIG, "Testshire: and"),
        (CIN, _BAD_FRONT, "Children: and young"),
        (CIN, _BAD_FIGURE, "Contacts: by year"),
    ],
    ids=["indicators.yaml", "jsna.yaml", "front-matter", "figure-block"],
)
def test_malformed_yaml(project, built, capsys, path, text, context):
    # PyYAML stops at the second ':' on the line: the position must be that colon's, in the file.
    reject_one(
        project, built, capsys, {path: text},
        at(path, text, context, ":"),
        ["well-formed YAML", "found a syntax error", "mapping values are not allowed"],
    )


# Missing required fields --------------------------------------------------------------------

_NO_MEASURE = edit(INDICATORS, "    measure: count\n", "")
_NO_PER = edit(INDICATORS, "    per: 10000\n", "")
_NO_PUBLISHER = edit(INDICATORS, "      publisher: Test Council\n", "")
_NO_TITLE = edit(CHAPTER, "title: Children in need\n", "")


@pytest.mark.parametrize(
    "path, text, context, target, words",
    [
        ("indicators.yaml", _NO_MEASURE, "  - id: contacts", "id", ["required field 'measure'", "an indicator", "missing"]),
        ("indicators.yaml", _NO_PER, "  - id: cin-rate", "id", ["required field 'per'", "indicator 'cin-rate'", "missing"]),
        ("indicators.yaml", _NO_PUBLISHER, "dataset: Test returns", None, ["required field 'publisher'", "source of indicator 'contacts'", "missing"]),
        (CIN, _NO_TITLE, "summary:", None, ["required field 'title'", "front matter", "missing"]),
    ],
    ids=["indicator-measure", "rate-per", "source-publisher", "chapter-title"],
)
def test_missing_required_field(project, built, capsys, path, text, context, target, words):
    # Reported at the start of the mapping the field is missing from.
    reject_one(project, built, capsys, {path: text}, at(path, text, context, target), words)


# Values of the wrong type -------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, target, words",
    [
        ("2013-14: 7541", "2013-14: seven", "seven", ["a count", "whole number", "found 'seven'"]),
        ("2013-14: 7541", "2013-14: 7541.5", "7541.5", ["a count", "whole number", "found '7541.5'"]),
        ("{value: 8197,", "{value: 8197.5,", "8197.5", ["a count", "2012-13", "whole number", "found '8197.5'"]),
        ("Police: 46.4", "Police: 146.4", "146.4", ["a percentage between 0 and 100", "Police", "found '146.4'"]),
    ],
    ids=["count-seven", "count-decimals", "count-decimals-in-mapping", "percentage-over-100"],
)
def test_value_of_wrong_type(project, built, capsys, old, new, target, words):
    text = edit(INDICATORS, old, new)
    reject_one(project, built, capsys, {"indicators.yaml": text}, at("indicators.yaml", text, new, target), words)


# Values the site uses as more than words --------------------------------------------------------


@pytest.mark.parametrize(
    "path, text, value, words",
    [
        ("jsna.yaml", CONFIG + "language: ../../../tmp/escape\n", "../../../tmp/escape", ["language tag such as en-GB"]),
        ("jsna.yaml", CONFIG + "language: English\n", "English", ["language tag such as en-GB", "found 'English'"]),
        ("jsna.yaml", CONFIG + "language: 'en\" onload=\"x'\n", "'en", ["language tag"]),
        ("jsna.yaml", CONFIG + "contact_email: 'a@b.org\"><b>x</b>'\n", "'a@b.org", ["an email address"]),
        (CIN, edit(CHAPTER, "email: analyst@example.org", "email: analyst at example.org"), "analyst at", ["an email address"]),
    ],
    ids=["language-path", "language-word", "language-quote", "contact-email", "key-contact-email"],
)
def test_a_value_with_a_shape_of_its_own_is_checked(project, built, capsys, path, text, value, words):
    """A language tag names the search index's files (a path in one wrote them outside the site)
    and an email becomes a mailto: link: each must look like one."""
    reject_one(project, built, capsys, {path: text}, at(path, text, value), words)
    assert not (project.parent / "tmp").exists(), "something was written outside the project"


# Periods ------------------------------------------------------------------------------------

_SAME_LABEL = edit(INDICATORS, "      2013-14: 7541\n", "      2012-13: 7541\n")
_SAME_PERIOD = edit(INDICATORS, "      2013-14: 7541\n", "      2013-14: 7541\n      2013/14: 7600\n")
_OUT_OF_ORDER = edit(INDICATORS, '      "2014": 428.6\n      "2015": 347.7\n', '      "2015": 347.7\n      "2014": 428.6\n')


@pytest.mark.parametrize(
    "text, context, target, words",
    [
        (
            _SAME_LABEL, "2012-13: 7541", "2012-13",
            ["once", "'2012-13' again", f"first at line {where(_SAME_LABEL, '2012-13: {value')[0]}"],
        ),
        (_SAME_PERIOD, "2013/14: 7600", "2013/14", ["each period once", "indicator 'contacts'", "'2013/14' duplicating '2013-14'"]),
        (_OUT_OF_ORDER, '"2014": 428.6', None, ["periods in time order", "indicator 'cin-rate'", "'2014' after '2015'"]),
    ],
    ids=["duplicated-label", "duplicated-period-other-spelling", "out-of-order"],
)
def test_periods_duplicated_or_out_of_order(project, built, capsys, text, context, target, words):
    reject_one(project, built, capsys, {"indicators.yaml": text}, at("indicators.yaml", text, context, target), words)


# Figures ------------------------------------------------------------------------------------

_UNKNOWN_INDICATOR = edit(CHAPTER, "indicator: contacts\ntype: line", "indicator: contact\ntype: line")


def test_figure_naming_unknown_indicator_suggests_the_near_one(project, built, capsys):
    write_project(project, {CIN: _UNKNOWN_INDICATOR})
    value = where(_UNKNOWN_INDICATOR, "indicator: contact\n", "contact")
    status, err = run_build(project, capsys)
    assert status == 1 and "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith(f"{CIN}:{value[0]}:{value[1]}: "), line
    assert line.endswith(": expected a known indicator id, found 'contact' (did you mean 'contacts'?)"), line
    assert snapshot(project / "site") == built
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_figure_unknown_indicator_points_at_the_value(project, built, capsys):
    reject_one(
        project, built, capsys, {CIN: _UNKNOWN_INDICATOR},
        at(CIN, _UNKNOWN_INDICATOR, "indicator: contact\n", "contact"),
        ["known indicator id", "(did you mean 'contacts'?)"],
    )


@pytest.mark.parametrize("typo, meant", [("lines", "line"), ("stacked", "stacked-bar")])
def test_unknown_chart_type_suggests_the_near_one(project, built, capsys, typo, meant):
    text = edit(CHAPTER, "type: line\n", f"type: {typo}\n")
    reject_one(
        project, built, capsys, {CIN: text},
        at(CIN, text, f"type: {typo}\n", typo),
        [f"a chart type ({', '.join(CHART_TYPES)})", f"found '{typo}'", f"(did you mean '{meant}'?)"],
    )


# Chapters -----------------------------------------------------------------------------------

_NO_FRONT_MATTER = textwrap.dedent(OTHER).split("---\n", 2)[2]
_UNCLOSED_FRONT_MATTER = edit(OTHER, "last_updated: 2015-03-01\n---\n", "last_updated: 2015-03-01\n")


@pytest.mark.parametrize(
    "text, words",
    [
        (_NO_FRONT_MATTER, ["front matter between '---' lines", "found '## What are the key issues?'"]),
        (_UNCLOSED_FRONT_MATTER, ["closing '---' line after the front matter", "found none"]),
    ],
    ids=["none", "unclosed"],
)
def test_chapter_without_front_matter(project, built, capsys, text, words):
    assert text.startswith("## What are") or text.startswith("---\n")
    reject_one(project, built, capsys, {OTHER_MD: text}, f"{OTHER_MD}:1:1: ", words)


@pytest.mark.parametrize(
    "old, new, target, words",
    [
        ("last_updated: 2015-02-01", "last_updated: 2015-13-45", "2015-13-45", ["last_updated as a date YYYY-MM-DD", "found '2015-13-45'"]),
        ("next_review: 2016-02-01", "next_review: soon", "soon", ["next_review as a date YYYY-MM-DD", "found 'soon'"]),
        ("{last_updated=2016-04-05}", "{last_updated=2016-02-30}", "2016-02-30", ["last_updated as a date YYYY-MM-DD", "found '2016-02-30'"]),
    ],
    ids=["last_updated", "next_review", "section-last_updated"],
)
def test_date_that_is_not_a_date(project, built, capsys, old, new, target, words):
    text = edit(CHAPTER, old, new)
    reject_one(project, built, capsys, {CIN: text}, at(CIN, text, new, target), words)


_BODY_LINK = edit(OTHER, "(children-in-need.md).\n", "(children-in-need.md).\n\nSee also [x](missing.md).\n")
_RELATED = edit(CHAPTER, "related: [other]", "related: [othre]")


@pytest.mark.parametrize(
    "path, text, context, target, words",
    [
        (OTHER_MD, _BODY_LINK, "(missing.md)", "missing.md", ["a link to an existing chapter (children-in-need, other)", "found 'missing'"]),
        (CIN, _RELATED, "[othre]", "othre", ["a link to an existing chapter (children-in-need, other)", "found 'othre'", "(did you mean 'other'?)"]),
    ],
    ids=["markdown-body", "related"],
)
def test_link_to_missing_chapter(project, built, capsys, path, text, context, target, words):
    reject_one(project, built, capsys, {path: text}, at(path, text, context, target), words)


@pytest.mark.parametrize(
    "name, prefix, words",
    [
        ("indicators.yaml", "indicators.yaml: ", ["the file indicators.yaml", "found no such file"]),
        ("jsna.yaml", "jsna.yaml: ", ["the file jsna.yaml", "found no such file"]),
        ("chapters", "chapters: ", ["a folder chapters/", "found none"]),
    ],
)
def test_missing_file(project, built, capsys, name, prefix, words):
    path = project / name
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
    # A missing file has no line to point at: the message is `file: expected ..., found ...`.
    assert_rejected(project, built, capsys, [(prefix, words)])


_TYPO_SECTION = edit(CHAPTER, "## What are the key issues?", "## What are the key isues?")
_SWAPPED = edit(
    edit(CHAPTER, "## What is the level of need?\n", "## Recommendations (early)\n"),
    "## Recommendations\n", "## What is the level of need?\n",
).replace("## Recommendations (early)\n", "## Recommendations\n")
_TWICE = edit(CHAPTER, "- Do better.\n", "- Do better.\n\n## Recommendations\n\nMore.\n")


@pytest.mark.parametrize(
    "text, context, words",
    [
        (
            _TYPO_SECTION, "## What are the key isues?",
            ["a section of the 'standard' layout", "found 'What are the key isues?'", "(did you mean 'What are the key issues?'?)"],
        ),
        (_SWAPPED, "## What is the level of need?", ["sections in the layout's order", "found 'What is the level of need?' after 'Recommendations'"]),
        (_TWICE, "## Recommendations\n\nMore.", ["each section once", "found 'Recommendations' again"]),
    ],
    ids=["not-in-layout", "out-of-order", "twice"],
)
def test_section_heading_not_in_layout_or_out_of_order(project, built, capsys, text, context, words):
    line, _ = where(text, context)
    # Column 4: the heading's text, after "## ".
    reject_one(project, built, capsys, {CIN: text}, f"{CIN}:{line}:4: ", words)


@pytest.mark.parametrize(
    "path, old, new, target, words",
    [
        ("indicators.yaml", "    measure: count\n", "    mesure: count\n", "mesure", ["one of the fields id, title, definition, measure", "in an indicator", "found 'mesure' (did you mean 'measure'?)"]),
        (CIN, "summary:", "sumary:", "sumary", ["one of the fields title, summary", "in the front matter", "found 'sumary' (did you mean 'summary'?)"]),
    ],
    ids=["indicator", "front-matter"],
)
def test_unknown_field_suggests_the_near_one(project, built, capsys, path, old, new, target, words):
    text = edit({"indicators.yaml": INDICATORS, CIN: CHAPTER}[path], old, new)
    reject_one(project, built, capsys, {path: text}, at(path, text, new, target), words)


# Warnings, and several errors at once -------------------------------------------------------

_COUNT_BREAKDOWN = """\
      - id: team
        title: Contacts by team
        measure: count
        categories: [North, South]
        values:
          2013-14: {North: 4000, South: 3540}
"""


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "Police: 46.4", "Police: 36.4",
            "breakdown 'source' of indicator 'contacts' adds up to 90 in 2013-14, expected 100",
        ),
        (
            "    breakdowns:\n", "    breakdowns:\n" + _COUNT_BREAKDOWN,
            "breakdown 'team' of indicator 'contacts' adds up to 7540 in 2013-14, expected 7541",
        ),
    ],
    ids=["percentages-sum-to-90", "counts-short-of-the-total"],
)
def test_breakdown_not_adding_up_builds_with_a_warning(project, capsys, old, new, message):
    text = edit(INDICATORS, old, new)
    write_project(project, {"indicators.yaml": text})
    breakdown_id = message.split("'")[1]
    prefix = at("indicators.yaml", text, f"      - id: {breakdown_id}\n", "id")
    status, err = run_build(project, capsys)
    assert status == 0, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert all(": warning: " in line for line in lines), err
    assert [line for line in lines if "adds up to" in line] == [f"{prefix}warning: {message}"]
    assert (project / "site/children-in-need/index.html").is_file()


def test_several_errors_in_different_indicators_all_reported(project, built, capsys):
    extra = (
        "  - id: extra\n"
        "    title: Extra\n"
        "    measure: count\n"
        "    polarity: no-judgement\n"
        "    source: {publisher: X, dataset: Y}\n"
        '    values: {"2015": 1}\n'
    )
    text = edit(INDICATORS, "2013-14: 7541", "2013-14: seven")
    text = edit(text, "polarity: lower-is-better", "polarity: lower-is-beter") + extra
    write_project(project, {"indicators.yaml": text})
    assert_rejected(
        project, built, capsys,
        [
            (at("indicators.yaml", text, "2013-14: seven", "seven"), ["whole number", "found 'seven'"]),
            (
                at("indicators.yaml", text, "lower-is-beter"),
                ["the polarity of indicator 'cin-rate'", "found 'lower-is-beter' (did you mean 'lower-is-better'?)"],
            ),
            (at("indicators.yaml", text, "  - id: extra", "id"), ["required field 'definition'", "missing"]),
        ],
    )


def test_errors_in_different_chapters_all_reported(project, built, capsys):
    first = edit(CHAPTER, "next_review: 2016-02-01", "next_review: soon")
    second = edit(OTHER, "title: Other chapter\n", "")
    write_project(project, {CIN: first, OTHER_MD: second})
    assert_rejected(
        project, built, capsys,
        [
            (at(CIN, first, "next_review: soon", "soon"), ["next_review", "found 'soon'"]),
            (at(OTHER_MD, second, "summary:"), ["required field 'title'"]),
        ],
    )


# Bugs found while writing these tests, now fixed ---------------------------------------------


def test_empty_layouts_is_an_error_not_a_traceback(project, built, capsys):
    text = textwrap.dedent(CONFIG) + "layouts: {}\n"
    write_project(project, {"jsna.yaml": text})
    status, err = run_build(project, capsys)
    line, column = where(text, "layouts: {}", "{}")
    assert status == 1 and "Traceback" not in err
    [message] = err.splitlines()
    assert message.startswith((f"jsna.yaml:{line}:{column}: expected", f"jsna.yaml:{line}:1: expected")), message
    assert "layout" in message
    assert snapshot(project / "site") == built


def test_indicator_area_must_be_text(project, built, capsys):
    text = edit(INDICATORS, "    measure: rate\n", "    area: [North, South]\n    measure: rate\n")
    reject_one(
        project, built, capsys, {"indicators.yaml": text},
        at("indicators.yaml", text, "area: [North", "["),
        ["area", "found a list"],
    )


_MIXED_THEN_YEAR = edit(
    INDICATORS,
    "          2013-14: {Police: 46.4, Schools: 20.0, Other: 33.6}\n",
    "          2013-14: {Police: 46.4, Schools: 20.0, Other: 33.6}\n"
    '          "2015": {Police: 46.4, Schools: 20.0, Other: 33.6}\n',
)
_MIXED_THEN_RANGE = edit(
    INDICATORS,
    "          2013-14: {Police: 46.4, Schools: 20.0, Other: 33.6}\n",
    '          "2015": {Police: 46.4, Schools: 20.0, Other: 33.6}\n'
    "          2016-17: {Police: 46.4, Schools: 20.0, Other: 33.6}\n",
)


@pytest.mark.parametrize(
    "text, context",
    [(_MIXED_THEN_YEAR, '"2015": {Police'), (_MIXED_THEN_RANGE, "2016-17: {Police")],
    ids=["range-then-year", "year-then-range"],
)
def test_breakdown_periods_of_one_kind(project, built, capsys, text, context):
    reject_one(
        project, built, capsys, {"indicators.yaml": text},
        at("indicators.yaml", text, context),
        ["periods of one kind", "breakdown 'source'"],
    )


def test_chapter_saved_with_a_byte_order_mark(project, built, capsys):
    write_project(project, {OTHER_MD: "\ufeff" + textwrap.dedent(OTHER)})
    status, err = run_build(project, capsys)
    assert status == 0, err


def test_financial_year_across_a_century(project, built, capsys):
    text = edit(INDICATORS, "      2011-12: null\n", "      1999-00: null\n      2011-12: null\n")
    write_project(project, {"indicators.yaml": text})
    status, err = run_build(project, capsys)
    assert status == 0, err


def test_indicators_yaml_that_is_a_folder(project, built, capsys):
    (project / "indicators.yaml").unlink()
    (project / "indicators.yaml").mkdir()
    assert_rejected(project, built, capsys, [("indicators.yaml: ", ["indicators.yaml", "found"])])
