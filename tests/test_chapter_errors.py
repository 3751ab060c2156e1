"""Every problem in a chapter's Markdown body in one run (issue 18, "all errors at once"): each
one line `file:line:col: ...`, exit status 1, no traceback, the previous site untouched; a figure
block with a problem is left out whole, so the lines after it are read as they are written."""

from __future__ import annotations

from conftest import CHAPTER, OTHER
from jsna.cli import main
from test_bad_input import CIN, OTHER_MD, at, built, edit, run_build, snapshot  # noqa: F401 (built: a fixture)

BROKEN = edit(CHAPTER, "Contacts fell.", "Contacts fell by {{ contacts: sideways }}.")
BROKEN = edit(BROKEN, "type: grouped-bar", "type: pie")
BROKEN = edit(BROKEN, "Some words between figures.", "Some words, [a link](javascript:alert(1)).")
BROKEN = edit(BROKEN, "## Recommendations", "## Recommendatons")
BROKEN_OTHER = edit(OTHER, "Back to", "# Back to")


def test_every_problem_of_every_chapter_body_in_one_run(project, built, capsys):
    (project / CIN).write_text(BROKEN, encoding="utf-8")
    (project / OTHER_MD).write_text(BROKEN_OTHER, encoding="utf-8")
    status, err = run_build(project, capsys)
    assert status == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    expected = [
        at(CIN, BROKEN, "{{ contacts: sideways }}"),
        at(CIN, BROKEN, "type: pie", "pie"),
        at(CIN, BROKEN, "[a link](javascript:alert(1))", "javascript"),
        at(CIN, BROKEN, "## Recommendatons", "Recommendatons"),
        at(OTHER_MD, BROKEN_OTHER, "# Back to"),
    ]
    for prefix in expected:
        assert sum(line.startswith(prefix) for line in lines) == 1, (prefix, err)
    assert len([line for line in lines if line.startswith("chapters/")]) == len(expected), err
    assert snapshot(project / "site") == built


def test_check_reports_them_too(project, capsys):
    (project / CIN).write_text(BROKEN, encoding="utf-8")
    assert main(["check", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.count(f"{CIN}:") >= 4 and "Traceback" not in err


def test_a_chapter_file_named_what_no_chapter_can_be_is_one_line_at_it(project, built, capsys):
    """A file name that is no slug, or one of the site's own folders (a chapter named pagefind
    would write its page into the search index's folder)."""
    for name, words in (("My Chapter.md", "of lower-case letters, digits and hyphens, found 'My Chapter'"),
                        ("pagefind.md", "other than assets and pagefind (the site's own folders), found 'pagefind'")):
        (project / "chapters" / name).write_text(OTHER, encoding="utf-8")
        status, err = run_build(project, capsys)
        assert status == 1 and "Traceback" not in err
        assert err.splitlines() == [f"chapters/{name}:1:1: expected a chapter file name {words}"], err
        assert snapshot(project / "site") == built
        (project / "chapters" / name).unlink()
