"""The corpus of bad inputs in tests/bad_inputs/: each is refused with one line per problem at
the exact `file:line:col:` it names, exit status 1, no traceback, the site built before intact.

A case is a text file: `#` comment lines saying what is wrong, then a header
(`file:` the project file to write, one `expect:` per line stderr must start with, and
`says:` words the first line must hold, `escaped: yes` to read `\\xNN`, `\\t`, `\\r` in the sections as those bytes), then either
`--- replace` and `--- with` sections (the one occurrence of the first, in the tiny project of
conftest.py, becomes the second) or a `--- content` section (the whole file).
"""

from __future__ import annotations

import codecs
import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import CHAPTER, CONFIG, INDICATORS, OTHER, write_project
from jsna.cli import main

CASES = Path(__file__).parent / "bad_inputs"
FIXTURES = {
    "jsna.yaml": CONFIG,
    "indicators.yaml": INDICATORS,
    "chapters/children-in-need.md": CHAPTER,
    "chapters/other.md": OTHER,
}


def read_case(path: Path) -> tuple[str, list[str], list[str], bytes]:
    """(file to write, expected line starts, words the first line holds, its bytes) of a case."""
    header, sections, current = {}, {}, None
    for line in path.read_bytes().split(b"\n"):
        if line.startswith(b"--- "):
            current = line[4:].decode().strip()
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
        elif line and not line.startswith(b"#"):
            key, _, value = line.decode().partition(":")
            header.setdefault(key.strip(), []).append(value.strip())
    text = {name: b"\n".join(lines[:-1] if lines and lines[-1] == b"" else lines) + b"\n" for name, lines in sections.items()}
    if header.get("escaped") == ["yes"]:
        text = {name: codecs.escape_decode(value)[0] for name, value in text.items()}
    (name,) = header["file"]
    if "content" in text:
        data = b"" if text["content"] == b"\n" else text["content"]
    else:
        original = textwrap.dedent(FIXTURES[name]).encode("utf-8")
        assert original.count(text["replace"]) == 1, f"{path.name}: expected the replaced text once in {name}"
        data = original.replace(text["replace"], text["with"])
    return name, header["expect"], header.get("says", []), data


def build(project: Path) -> int:
    return main(["build", "--project", str(project), "--out", str(project / "site"), "--no-pdf", "-q"])


def snapshot(site: Path) -> dict[str, bytes | None]:
    return {p.relative_to(site).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(site.rglob("*"))}


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """The tiny project built once with its cache, copied for each case (which then rebuilds
    it from the cache, quickly)."""
    project = write_project(tmp_path_factory.mktemp("corpus") / "project")
    assert build(project) == 0
    return project


def test_the_corpus_is_large():
    assert len(list(CASES.glob("*.txt"))) >= 60


@pytest.mark.parametrize("case", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_bad_input(case: Path, good: Path, tmp_path: Path, capsys):
    name, expected, words, data = read_case(case)
    project = tmp_path / "project"
    shutil.copytree(good, project, symlinks=True)
    assert build(project) == 0
    capsys.readouterr()
    before = snapshot(project / "site")
    (project / name).parent.mkdir(parents=True, exist_ok=True)
    (project / name).write_bytes(data)
    status = build(project)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert status == 1, err
    lines = err.splitlines()
    assert len(lines) == len(expected), err
    for line, prefix in zip(lines, expected):
        assert line.startswith(prefix + " expected "), f"{line!r} does not start with {prefix!r}"
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    assert snapshot(project / "site") == before, "a failed build changed the existing site"
