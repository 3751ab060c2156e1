"""`--out` replaces only a folder jsna may throw away: absent, empty, or a site jsna built. The
project, a folder holding it, its inputs and folders of other files are refused with one line,
exit 1, and nothing touched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jsna.cli import main
from jsna.build.outfolder import MARKER, build_record


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones included) -> its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def refused(project: Path, out: str, capsys, cwd: Path | None = None) -> str:
    """Build into `out` (from `cwd`), expecting a refusal: returns the one line printed."""
    before = snapshot(project.parent)
    here = os.getcwd()
    os.chdir(cwd or project)
    try:
        status = main(["build", "--project", str(project), "--out", out, "--no-pdf", "-q"])
    finally:
        os.chdir(here)
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert len(err) == 1, err
    assert snapshot(project.parent) == before
    return err[0]


@pytest.fixture
def repo(project: Path) -> Path:
    """The tiny project as a git repository with one commit."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "inputs"]):
        subprocess.run(["git", *command], cwd=project, check=True, env=env)
    return project


def test_out_dot_in_a_git_repository_is_refused(repo, capsys):
    line = refused(repo, ".", capsys)
    assert line.startswith("--out .: expected a folder for the site apart from the project")
    assert (repo / ".git" / "HEAD").is_file()


def test_out_at_the_project_by_its_full_path_is_refused(project, capsys):
    assert "found the project folder" in refused(project, str(project), capsys)


@pytest.mark.parametrize("out", ["..", "../..", "/"])
def test_out_at_a_folder_holding_the_project_is_refused(project, capsys, out):
    assert "a folder that holds the project" in refused(project, out, capsys)


@pytest.mark.parametrize("out", ["chapters", "chapters/site", "templates", "indicators.yaml", ".jsna-cache/site"])
def test_out_inside_the_inputs_is_refused(project, capsys, out):
    (project / "templates").mkdir(exist_ok=True)
    (project / ".jsna-cache").mkdir(exist_ok=True)
    line = refused(project, out, capsys)
    assert "outside the project's inputs" in line


def test_out_at_a_folder_of_other_files_is_refused(project, capsys):
    docs = project / "some" / "docs"
    docs.mkdir(parents=True)
    (docs / "notes.txt").write_text("mine\n")
    line = refused(project, "some/docs", capsys)
    assert "expected an empty folder or a site jsna built, found a folder of other files" in line
    assert (docs / "notes.txt").read_text() == "mine\n"


def test_out_at_a_file_is_refused(project, capsys):
    (project / "site.txt").write_text("a file\n")
    assert "found a file" in refused(project, "site.txt", capsys)


def test_out_refused_through_the_command_line_without_a_traceback(repo):
    """The whole process: one line on stderr, exit 1, .git and the inputs untouched."""
    before = snapshot(repo)
    run = subprocess.run([sys.executable, "-m", "jsna", "build", "--out", ".", "--no-pdf"],
                         cwd=repo, capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert snapshot(repo) == before


def test_an_empty_or_absent_folder_is_built_and_marked(project):
    empty = project.parent / "empty"
    empty.mkdir()
    for out in (empty, project.parent / "new" / "site"):
        assert main(["build", "--project", str(project), "--out", str(out), "--no-pdf", "-q"]) == 0
        assert (out / MARKER).is_file() and (out / "index.html").is_file()


def test_a_site_jsna_built_is_replaced_but_a_file_put_in_it_since_is_never_deleted(project, capsys):
    """The marker lists the files the build made; a file put in the site since stops the next
    build (one line for each, the site left as it is), whether or not anything else changed."""
    out = project / "docs"
    args = ["build", "--project", str(project), "--out", str(out), "--no-pdf", "-q"]
    assert main(args) == 0
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MARKER)
    assert (out / MARKER).read_text().split("\n\n", 1)[1].splitlines() == made
    (out / "CNAME").write_text("jsna.example.org")
    (out / "notes").mkdir()
    (out / "notes" / "todo.txt").write_text("left by hand")
    (out / "index-link.html").symlink_to(out / "index.html")
    before = snapshot(out)
    capsys.readouterr()
    for edited in (False, True):
        if edited:
            (project / "chapters" / "other.md").write_text((project / "chapters" / "other.md").read_text() + "\nMore.\n")
        assert main(args) == 1
        lines = capsys.readouterr().err.splitlines()
        assert [line.split(": expected")[0] for line in lines] == [str(out / n) for n in ("CNAME", "index-link.html", "notes/todo.txt")]
        assert all("which it did not make" in line for line in lines)
        assert snapshot(out) == before
    for name in ("CNAME", "index-link.html", "notes/todo.txt"):
        (out / name).unlink()
    assert main(args) == 0
    assert "More." in (out / "other" / "index.html").read_text()


def test_a_site_built_before_the_marker_is_known_by_its_build_record(project):
    out = project / "site"
    args = ["build", "--project", str(project), "--out", str(out), "--no-pdf", "-q"]
    assert main(args) == 0
    (out / MARKER).unlink()
    assert json.loads(build_record(project, out).read_text())["inputs"]
    (project / "chapters" / "other.md").write_text((project / "chapters" / "other.md").read_text() + "\nMore.\n")
    assert main(args) == 0
    assert (out / MARKER).is_file()
