"""The JSON Schemas (jsna/schemas/) agree with the loader: they accept every example jsna
accepts (the example JSNA, the tests' tiny project, what `jsna new` writes) and reject every case
of the bad-input corpus that a schema can express, at the loader's line; `jsna check` reports
every problem they find in one run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import write_project
from jsna.cli import main
from jsna.errors import JsnaError
from jsna.load import chapters as chapter_loader
from jsna.load import site as site_loader
from jsna.load.safety import decode
from jsna.load.yamlnodes import Source
from jsna.model import CHART_TYPES, MEASURES, POLARITIES
from jsna.schema import FOLDER, SCHEMAS, check_chapter, check_yaml, read_data
from test_bad_inputs_corpus import CASES, read_case

REPO = Path(__file__).resolve().parent.parent
# The corpus cases no schema can refuse, and why: each must be accepted by the schemas (so the
# list stays true), and every other case refused.
BEYOND = {
    "chapter-duplicate-slug": "two files' names",
    "config-logo-missing": "whether a file exists",
    "front-next-review-before-last-updated": "one field compared with another",
    "indicator-numerator-over-denominator": "one field compared with another",
    "indicator-source-url-entity": "a link's scheme once HTML entities are decoded",
}


def _errors(name: str, data: bytes) -> list[JsnaError] | None:
    """The schema errors of a project file (None: not a file a schema describes, or not text
    and YAML a schema could see)."""
    try:
        text = decode(name, data)
    except JsnaError:
        return None
    if name.startswith("chapters/"):
        return check_chapter(name, text)
    schema = {"jsna.yaml": "jsna.schema.json", "indicators.yaml": "indicators.schema.json"}.get(name)
    return None if schema is None else check_yaml(schema, Source(name), text, name)


def _readable(name: str, data: bytes) -> bool:
    """Whether a file's YAML parts (a chapter's front matter and figure blocks) are plain YAML
    data, as the schemas see it."""
    text = decode(name, data)
    parts = _yaml_parts(text) if name.startswith("chapters/") else [text]
    return all(read_data(Source(name), part) is not None for part in parts)


def _yaml_parts(text: str) -> list[str]:
    """A chapter's front matter and figure blocks."""
    front = re.match(r"---\n(.*?)\n---\n", text, re.S)
    figures = re.findall(r"^```figure\n(.*?)^```", text, re.S | re.M)
    return ([front[1]] if front else []) + figures


def test_the_schemas_are_json_schemas():
    for name in SCHEMAS:
        schema = json.loads((FOLDER / name).read_text(encoding="utf-8"))
        jsonschema.validators.validator_for(schema).check_schema(schema)


def test_the_schemas_name_what_the_loader_knows():
    front = json.loads((FOLDER / "front-matter.schema.json").read_text())
    figure = json.loads((FOLDER / "figure.schema.json").read_text())
    indicators = json.loads((FOLDER / "indicators.schema.json").read_text())
    config = json.loads((FOLDER / "jsna.schema.json").read_text())
    indicator = indicators["definitions"]["indicator"]
    assert set(front["properties"]) == set(chapter_loader._FRONT_REQUIRED + chapter_loader._FRONT_OPTIONAL)
    assert set(front["required"]) == set(chapter_loader._FRONT_REQUIRED)
    assert set(indicator["properties"]) == set(site_loader._INDICATOR_REQUIRED + site_loader._INDICATOR_OPTIONAL)
    assert set(indicator["required"]) == set(site_loader._INDICATOR_REQUIRED)
    assert tuple(indicator["properties"]["measure"]["enum"]) == MEASURES
    assert tuple(indicator["properties"]["polarity"]["enum"]) == POLARITIES
    assert tuple(figure["properties"]["type"]["enum"]) == CHART_TYPES
    assert set(config["required"]) == {"title", "organisation", "area"}


def _project_files(root: Path) -> dict[str, bytes]:
    files = {name: (root / name).read_bytes() for name in ("jsna.yaml", "indicators.yaml")}
    files.update({p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "chapters").rglob("*.md"))})
    return files


def test_the_schemas_accept_the_example_and_the_tests_project(tmp_path):
    for root in (REPO, write_project(tmp_path / "tiny")):
        for name, data in _project_files(root).items():
            assert _errors(name, data) == [], name


def test_the_schemas_accept_what_jsna_new_writes(tmp_path):
    for args in (["--area-code", "E06000061"], ["--example"]):
        folder = tmp_path / args[-1]
        assert main(["new", str(folder), *args]) == 0
        assert main(["new-chapter", "sexual-health", "--title", "Sexual health: 2025", "--project", str(folder)]) == 0
        for name, data in _project_files(folder).items():
            assert _errors(name, data) == [], (args, name)


@pytest.mark.parametrize("case", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_the_schemas_reject_the_bad_inputs_they_can_express(case: Path):
    name, expected, _, data = read_case(case)
    if case.stem.startswith(("markdown-", "template-")):
        pytest.skip("a chapter's Markdown or a template: no schema describes them")
    errors = _errors(name, data)
    if errors is None or not _readable(name, data):
        pytest.skip("not text and plain YAML data a schema describes: refused while reading")
    if case.stem in BEYOND:
        assert errors == [], f"{case.stem} is refused by the schemas: take it off BEYOND"
        return
    assert errors, f"the schemas accept {case.stem}"
    # at the loader's line where the problem is one a schema sees where the loader does
    lines = {e.position.line for e in errors}
    assert int(expected[0].split(":")[1]) in lines | {line + 1 for line in lines} | {line - 1 for line in lines}


@pytest.mark.parametrize("block, words", [
    ("indicator: contacts\ntype: stacked-bar\n", "'breakdown' for a stacked-bar chart"),
    ("indicator: contacts\ntype: compare-areas\n", "'group' for a compare-areas chart"),
    ("", "empty figure block"),
], ids=["stacked-without-breakdown", "compare-areas-without-group", "empty"])
def test_a_figure_missing_what_it_needs_is_said_once_at_its_fence(tmp_path, capsys, block, words):
    """The loader and the figure schema both see the missing field: one line, at the fence."""
    from conftest import CHAPTER

    chapter = CHAPTER.replace("Contacts fell.", f"Contacts fell.\n\n```figure\n{block}```\n", 1)
    project = write_project(tmp_path / "p", {"chapters/children-in-need.md": chapter})
    fence = chapter.splitlines().index("```figure") + 1
    for command in ("check", "build"):
        assert main([command, "--project", str(project), "-q"] if command == "build" else [command, "--project", str(project)]) == 1
        lines = capsys.readouterr().err.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"chapters/children-in-need.md:{fence}:1: expected ") and words in lines[0], lines


def test_check_reports_every_problem_at_once(tmp_path, capsys):
    from conftest import CHAPTER, OTHER

    chapter = (CHAPTER.replace("theme: Children and young people", "themes: Children")
               .replace("last_updated: 2015-02-01", "last_updated: 2015-2-1")
               .replace("type: line", "type: pie"))
    other = OTHER.replace("summary: Another chapter.", "summary: Another chapter.\nkey_contact: {email: a@b.org}")
    project = write_project(tmp_path / "p", {"chapters/children-in-need.md": chapter, "chapters/other.md": other})
    assert main(["check", "--project", str(project)]) == 1
    lines = capsys.readouterr().err.splitlines()
    text = "\n".join(lines)
    assert "'theme'" in text and "'themes'" in text and "'pie'" in text and "YYYY-MM-DD" in text
    assert any(line.startswith("chapters/other.md:") and "name or job_title" in line for line in lines)
    assert all(re.match(r"chapters/[a-z-]+\.md:\d+:\d+: expected ", line) for line in lines), lines
    assert len(lines) == len(set(lines)) == 4  # four mistakes, each said once
    assert main(["build", "--project", str(project), "--no-pdf", "-q"]) == 1
    assert capsys.readouterr().err.splitlines() == lines


def test_check_reports_every_problem_in_the_config_at_once(tmp_path, capsys):
    from conftest import CONFIG

    config = (CONFIG.replace("title: Test JSNA", "titel: Test JSNA")
              + "base_url: www.example.org\nlanguage: ''\ncomparators2: {}\n")
    project = write_project(tmp_path / "p", {"jsna.yaml": config})
    assert main(["check", "--project", str(project)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(": expected")[0] for line in lines] == ["jsna.yaml:1:1", "jsna.yaml:7:11", "jsna.yaml:8:11", "jsna.yaml:9:1"]
    assert "'titel' (did you mean 'title'?)" in lines[0] and "comparators2" in lines[3]
