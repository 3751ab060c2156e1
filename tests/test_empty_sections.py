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


def _lines(project, capsys) -> list[str]:
    status, err = _build(project, capsys)
    assert status == 1 and "Traceback" not in err
    return [line for line in err.splitlines() if ": warning: " not in line]


def _line_of(text: str, found: str) -> int:
    return text.splitlines().index(found) + 1


def test_text_under_one_of_several_sections_marked_empty_is_one_error_at_the_text(tmp_path, capsys):
    chapter = _with("## What are the key inequalities? {empty}\n\n## What are the unmet needs and service gaps? {empty}\n\nA stray line.")
    project = write_project(tmp_path / "p", {"chapters/children-in-need.md": chapter})
    lines = _lines(project, capsys)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"chapters/children-in-need.md:{_line_of(chapter, 'A stray line.')}:1: expected no content under "
                               "'What are the unmet needs and service gaps?'")


def test_a_bad_heading_after_sections_marked_empty_is_one_error(tmp_path, capsys):
    heading = "## What are the unmet needs and service gaps? {last_updated=2026-13-45}"
    chapter = _with(f"## What are the key inequalities? {{empty}}\n\n{heading}\n\nSome gaps.")
    project = write_project(tmp_path / "p", {"chapters/children-in-need.md": chapter})
    lines = _lines(project, capsys)
    assert len(lines) == 1 and lines[0].startswith(f"chapters/children-in-need.md:{_line_of(chapter, heading)}:") and "2026-13-45" in lines[0]


def test_a_section_put_early_is_the_one_out_of_order(tmp_path, capsys):
    """Not every heading after it: the fewest headings that leave the rest in order."""
    moved = "## Recommendations\n\n- Do better.\n"
    assert moved in CHAPTER
    chapter = CHAPTER.replace(moved, "").replace("## What are the key issues?", moved + "\n## What are the key issues?", 1)
    project = write_project(tmp_path / "p", {"chapters/children-in-need.md": chapter})
    lines = _lines(project, capsys)
    assert lines == [f"chapters/children-in-need.md:{_line_of(chapter, '## Recommendations')}:4: expected sections in the layout's "
                     "order, found 'Recommendations' before 'What are the key issues?'"], lines
