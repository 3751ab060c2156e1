"""jsna as a tool a council installs: `jsna new` makes a JSNA folder that builds at once,
`jsna new-chapter` adds a chapter, `jsna schema` writes the schemas, `jsna --version`; and the
wheel built from this repository works in a fresh virtual environment with no checkout."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import jsna
from jsna import scaffold
from jsna.cli import main
from jsna.numbers import format_number
from jsna.schema import FOLDER, SCHEMAS

REPO = Path(__file__).resolve().parent.parent
AREAS = REPO / "jsna/scaffold/areas.csv"


def _area(code: str) -> dict[str, str]:
    with open(AREAS, newline="", encoding="utf-8") as file:
        return next(row for row in csv.DictReader(file) if row["code"] == code)


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"jsna {jsna.__version__}"


def test_new_makes_a_jsna_that_builds(tmp_path, capsys):
    folder = tmp_path / "my-jsna"
    assert main(["new", str(folder), "--area-code", "E06000061"]) == 0
    for name in ("jsna.yaml", "indicators.yaml", "chapters/children-in-need.md", ".gitignore",
                 ".github/workflows/pages.yml", "README.md", "data/.gitkeep", *(f"schemas/{s}" for s in SCHEMAS)):
        assert (folder / name).is_file(), name
    assert (folder / "jsna.yaml").read_text().startswith("# yaml-language-server: $schema=schemas/jsna.schema.json\n")
    assert (folder / "indicators.yaml").read_text().startswith("# yaml-language-server: $schema=schemas/indicators.schema.json\n")
    assert {"site/", ".jsna-cache/"} <= set((folder / ".gitignore").read_text().split())
    assert f"pip install {scaffold.install_line()}" in (folder / ".github/workflows/pages.yml").read_text()
    assert "GitLab Pages" in (folder / "README.md").read_text()
    area = _area("E06000061")
    assert f"area: {area['name']}" in (folder / "jsna.yaml").read_text()
    capsys.readouterr()
    assert main(["build", "--project", str(folder), "--no-pdf", "-q"]) == 0
    assert capsys.readouterr().err == ""  # no warning: the sections left empty say so
    page = (folder / "site/children-in-need/index.html").read_text(encoding="utf-8")
    latest = next(area[year] for year in sorted(area, reverse=True) if year.isdigit() and area[year])
    assert format_number(float(latest), 0) in page
    assert (folder / "site/children-in-need/figure-1.svg").is_file()
    # The second indicator is read from the published files jsna new copies into data/.
    assert "\n    data:" in (folder / "indicators.yaml").read_text()
    for published in scaffold.DATA_FILES:
        assert (folder / "data" / published).read_bytes() == (REPO / "data" / published).read_bytes()
    assert "per 10,000, read from the published files" in re.sub(r"<[^>]+>", "", page)
    assert (folder / "site/children-in-need/figure-2.svg").is_file()


def test_new_works_for_every_council(tmp_path, capsys):
    with open(AREAS, newline="", encoding="utf-8") as file:
        codes = [row["code"] for row in csv.DictReader(file)]
    assert len(codes) == 153
    for code in codes:
        assert main(["new", str(tmp_path / code), "--area-code", code]) == 0
        assert main(["check", "--project", str(tmp_path / code)]) == 0, capsys.readouterr().err


def test_new_refuses_an_unknown_council_and_a_folder_in_use(tmp_path, capsys):
    assert main(["new", str(tmp_path / "a"), "--area-code", "E99999999"]) == 1
    assert capsys.readouterr().err.startswith("--area-code: expected the ONS code of an English county or unitary authority")
    (tmp_path / "b").mkdir()
    (tmp_path / "b/notes.txt").write_text("mine")
    assert main(["new", str(tmp_path / "b")]) == 1
    assert "expected a new or empty folder" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["notes.txt"]


def test_new_example_copies_the_example(tmp_path, capsys):
    folder = tmp_path / "example"
    assert main(["new", str(folder), "--example"]) == 0
    assert sorted(p.name for p in (folder / "chapters").iterdir()) == sorted(p.name for p in (REPO / "chapters").iterdir())
    assert (folder / "indicators.yaml").read_text().endswith((REPO / "indicators.yaml").read_text())
    assert main(["check", "--project", str(folder)]) == 0


def test_new_chapter_has_the_projects_layout(tmp_path, capsys):
    folder = tmp_path / "p"
    assert main(["new", str(folder)]) == 0
    config = (folder / "jsna.yaml").read_text()
    (folder / "jsna.yaml").write_text(config + "layouts:\n  short:\n    - {id: summary, title: In short}\n    - {id: more, title: Tell me more}\n")
    assert main(["new-chapter", "sexual-health", "--title", "Sexual health", "--project", str(folder)]) == 0
    text = (folder / "chapters/sexual-health.md").read_text()
    assert "title: Sexual health\n" in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == ["## In short {empty}", "## Tell me more {empty}"]
    assert main(["check", "--project", str(folder)]) == 1  # the first chapter's sections are not short's
    assert main(["new-chapter", "sexual-health", "--title", "Again", "--project", str(folder)]) == 1
    assert "already there" in capsys.readouterr().err
    assert main(["new-chapter", "Sexual_Health", "--title", "x", "--project", str(folder)]) == 1
    assert "lower-case letters" in capsys.readouterr().err


def test_schema_writes_the_schemas(tmp_path):
    assert main(["schema", str(tmp_path / "s")]) == 0
    for name in SCHEMAS:
        assert (tmp_path / "s" / name).read_bytes() == (FOLDER / name).read_bytes()


@pytest.mark.parametrize("recorded, expected", [
    ({"url": "https://github.com/council/jsna.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}},
     "'jsna @ git+https://github.com/council/jsna.git@abc123'"),
    ({"url": "https://example.org/jsna-0.1.0-py3-none-any.whl", "archive_info": {}},
     "'jsna @ https://example.org/jsna-0.1.0-py3-none-any.whl'"),
    ({"url": "file:///home/me/jsna", "dir_info": {"editable": True}}, f"jsna=={jsna.__version__}"),
    (None, f"jsna=={jsna.__version__}"),
])
def test_the_workflow_installs_the_same_jsna(monkeypatch, recorded, expected):
    class Installed:
        def read_text(self, name):
            assert name == "direct_url.json"
            return None if recorded is None else json.dumps(recorded)

    monkeypatch.setattr(scaffold.metadata, "distribution", lambda name: Installed())
    assert scaffold.install_line() == expected


def _copy_repo(target: Path) -> Path:
    """The repository's files, without what setting up, building and testing leave behind."""
    anywhere = shutil.ignore_patterns("__pycache__", "*.egg-info", ".pytest_cache", ".jsna-cache")
    top = {".git", ".venv", "node_modules", "site", "build", "dist", "test-artifacts"}

    def skipped(folder: str, names: list[str]) -> set[str]:
        return set(anywhere(folder, names)) | (top & set(names) if Path(folder) == REPO else set())

    shutil.copytree(REPO, target, ignore=skipped)
    return target


@pytest.mark.install
def test_the_wheel_works_in_a_fresh_virtual_environment(tmp_path):
    """Build the wheel, install it (with its dependencies, from the package registry) into a new
    virtual environment, and there make a new JSNA and build it, away from any checkout."""
    # nothing of this test's own environment: pip would take a package found on its PYTHONPATH
    # as installed
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PAGEFIND_BINARY_PATH")}
    clean["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    source = _copy_repo(tmp_path / "source")
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(wheels)], env=clean, check=True)
    (wheel,) = wheels.glob("jsna-*.whl")
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("jsna/build/pipeline.py", "jsna/templates/chapter.html", "jsna/templates/assets/style.css", "jsna/example/jsna.yaml",
                 "jsna/example/chapters/children-in-need.md", "jsna/schemas/figure.schema.json", "jsna/scaffold/areas.csv"):
        assert name in names, name
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python, jsna_cmd = env_dir / "bin/python", env_dir / "bin/jsna"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], env=clean, check=True)
    work = tmp_path / "work"
    work.mkdir()

    def run(*args, cwd=work):
        return subprocess.run([str(jsna_cmd), *args], cwd=cwd, env=clean, capture_output=True, text=True, check=False)

    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"jsna {jsna.__version__}"
    assert run("new", "my-jsna").returncode == 0
    project = work / "my-jsna"
    built = run("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr and "search index skipped" not in built.stderr
    assert (project / "site/index.html").is_file()
    assert (project / "site/children-in-need/children-in-need.pdf").is_file()
    assert any((project / "site/pagefind").glob("pagefind-entry.json"))
    added = run("new-chapter", "sexual-health", "--title", "Sexual health", cwd=project)
    assert added.returncode == 0, added.stderr
    checked = run("check", cwd=project)
    assert checked.returncode == 0 and checked.stdout.startswith("ok: 2 chapters"), checked.stderr
    # the YAML files validate against the schemas they name, as an editor's language server would
    validate = (
        "import json, yaml, jsonschema\n"
        "for name in ('jsna.yaml', 'indicators.yaml'):\n"
        "    line = open(name).readline()\n"
        "    schema = json.load(open(line.split('$schema=')[1].strip()))\n"
        "    jsonschema.validate(yaml.safe_load(open(name)), schema)\n"
    )
    assert subprocess.run([str(python), "-c", validate], cwd=project, env=clean).returncode == 0
