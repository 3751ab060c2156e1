"""A section left empty on purpose says so with `{empty}`: no warning; text under it is an error."""

from __future__ import annotations

from jsna.cli import main

from conftest import CHAPTER, write_project


def _with(section: str) -> str:
    """The tiny chapter with `section` put before its last one, in the layout's order."""
    return CHAPTER.replace("## Recommendations", section + "\n\n## Recommendations")


def _build(project, capsys) -> tuple[int, str]:
    status = main(["build", "--project", str(project), "--out", str(project / "site"), "--no-pdf", "-q"])
    return status, capsys.readouterr().err


def test_a_section_marked_empty_gives_no_warning(tmp_path, capsys):
    plain = write_project(tmp_path / "plain", {"chapters/children-in-need.md": _with("## What are the unmet needs and service gaps?")})
    marked = write_project(tmp_path / "marked", {"chapters/children-in-need.md": _with("## What are the unmet needs and service gaps? {empty}")})
    status, err = _build(plain, capsys)
    assert status == 0 and "section 'What are the unmet needs and service gaps?' of chapter 'children-in-need' is empty" in err
    status, err = _build(marked, capsys)
    assert status == 0 and "What are the unmet needs and service gaps?' of chapter 'children-in-need' is empty" not in err
    assert "No content at present" in (marked / "site" / "children-in-need" / "index.html").read_text()


def test_text_under_a_section_marked_empty_is_an_error(tmp_path, capsys):
    project = write_project(tmp_path / "p", {
        "chapters/children-in-need.md": _with("## What are the unmet needs and service gaps? {empty last_updated=2016-01-01}\n\nSome gaps.")})
    status, err = _build(project, capsys)
    assert status == 1
    assert err.strip().endswith("found some: take {empty} off its heading")
    assert err.startswith("chapters/children-in-need.md:")
