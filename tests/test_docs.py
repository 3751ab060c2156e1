"""Docs that run: the examples in docs/ build as written. docs/format.md's jsna.yaml,
indicators.yaml (with its `groups` example), chapter and figure block make one project, and
every narrative form its table lists is asked for in that chapter; the build must succeed and
write every one; the schemas accept the examples too."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from jsna.cli import main
from jsna.load.yamlnodes import Source
from jsna.schema import check_chapter, check_yaml

DOCS = Path(__file__).resolve().parent.parent / "docs"
FORMAT = DOCS / "format.md"
OTHER = """\
---
title: Safeguarding children
summary: The chapter the example links to.
theme: Children and young people
last_updated: 2015-02-01
---
## What are the key issues?

Text.
"""


def fenced(text: str) -> list[tuple[str, str]]:
    """(language, body) of each top-level fenced block: a block opened with N backticks is
    closed by a line of N (so a ```` block may hold a ``` one)."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        opening = re.match(r"^(`{3,})(\w*)\s*$", lines[i])
        if not opening:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == opening[1])
        blocks.append((opening[2], "\n".join(lines[i + 1 : end]) + "\n"))
        i = end + 1
    return blocks


def docs_examples() -> dict[str, str]:
    """The project files docs/format.md's examples make, as written."""
    text = FORMAT.read_text(encoding="utf-8")
    blocks = fenced(text)
    yaml_blocks = [body for lang, body in blocks if lang == "yaml"]
    (config,) = [b for b in yaml_blocks if re.search(r"^organisation:", b, re.M)]
    (indicators,) = [b for b in yaml_blocks if b.startswith("indicators:")]
    (groups,) = [b for b in yaml_blocks if b.lstrip().startswith("groups:")]
    markdown = [body for lang, body in blocks if lang == "markdown"]
    (chapter,) = [b for b in markdown if b.startswith("---")]
    (figure,) = [b for b in markdown if b.startswith("```figure")]
    forms = sorted(set(re.findall(r"^\| `(\{\{[^`]*\}\})`", text, re.M)) | set(re.findall(r" or `(\{\{[^`]*\}\})`", text)))
    asked = "\n".join(f"- {form}" for form in forms)
    return {
        "jsna.yaml": config,
        "indicators.yaml": indicators + groups,
        "chapters/children-in-need.md": chapter + "\n" + figure + "\n" + asked + "\n",
        "chapters/safeguarding-children.md": OTHER,
        "forms": "\n".join(forms),
    }


def test_the_format_examples_build_as_written(tmp_path, capsys):
    files = docs_examples()
    forms = files.pop("forms").splitlines()
    assert len(forms) >= 10
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["check", "--project", str(tmp_path)]) == 0, capsys.readouterr().err
    assert main(["build", "--project", str(tmp_path), "--no-pdf", "-q"]) == 0, capsys.readouterr().err
    page = (tmp_path / "site/children-in-need/index.html").read_text(encoding="utf-8")
    assert "{{" not in page
    assert (tmp_path / "site/children-in-need/figure-1.svg").is_file()
    assert page.count('class="data-value"') >= len(forms)


def test_the_schemas_accept_the_format_examples():
    files = docs_examples()
    assert check_yaml("jsna.schema.json", Source("jsna.yaml"), files["jsna.yaml"], "jsna.yaml") == []
    assert check_yaml("indicators.schema.json", Source("indicators.yaml"), files["indicators.yaml"], "indicators.yaml") == []
    assert check_chapter("chapters/children-in-need.md", files["chapters/children-in-need.md"]) == []


def test_the_table_of_narrative_forms_is_one_table():
    """Every row of the table sits between its header and the next blank line (a paragraph
    inside a table ends it, and the rest renders as text)."""
    text = FORMAT.read_text(encoding="utf-8")
    start = text.index("| write | get |")
    table = text[start : text.index("\n\n", start)].splitlines()
    rows = [line for line in text.splitlines() if line.startswith("| `{{")]
    assert all(line.startswith("|") for line in table)
    assert set(rows) <= set(table)


def test_docs_have_no_placeholder_list_items():
    for doc in DOCS.glob("*.md"):
        for lang, body in fenced(doc.read_text(encoding="utf-8")):
            assert not re.search(r"^\s*- \.\.\.\s*$", body, re.M), (doc.name, textwrap.shorten(body, 80))
