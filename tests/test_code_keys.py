"""Every cache key's code part is found by following imports (jsna/build/code.py): a change to any
jsna module a stage can reach makes that stage's pieces again, so an incremental build equals a
clean one after a change to jsna's own code."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jsna
from jsna.build.code import closure

PACKAGE = Path(jsna.__file__).resolve().parent
ENTRIES = ("jsna.load.site", "jsna.compute.views", "jsna.draw.charts", "jsna.render.html", "jsna.render.pages",
           "jsna.render.compendium", "jsna.render.pdf", "jsna.render.assemble", "jsna.build.pipeline")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _reached_by_ast(name: str) -> set[str]:
    """The jsna modules `name` reaches, found independently of jsna/build/code.py: by walking
    every Import and ImportFrom node of the parsed source (at any depth)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in modules:
            continue
        seen.add(current)
        todo += [current.rsplit(".", i)[0] for i in range(1, current.count(".") + 1)]
        for node in ast.walk(ast.parse(modules[current].read_text())):
            if isinstance(node, ast.Import):
                todo += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                base = node.module
                if node.level:
                    package = current if modules[current].name == "__init__.py" else current.rpartition(".")[0]
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [node.module])
                todo += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return seen


@pytest.mark.parametrize("entry", ENTRIES)
def test_closure_holds_every_module_the_entry_can_reach(entry):
    assert set(closure(entry)) == _reached_by_ast(entry)


def test_every_targets_key_covers_every_module_its_make_function_can_reach(project, monkeypatch):
    """Every make function a build of the tiny project declares (charts, pages, PDFs, the
    compendium, the index, search): its key's code is its module's whole closure."""
    from jsna.build import pipeline
    from jsna.build.scheduler import Scheduler

    makes = set()
    declare = Scheduler.declare

    def spy(self, targets):
        makes.update(target.make for target in targets)
        return declare(self, targets)

    monkeypatch.setattr(Scheduler, "declare", spy)
    pipeline.build(project, project / "site", pdf=True, workers=1)
    modules = {make.__module__ for make in makes}
    assert {"jsna.draw.charts", "jsna.render.pdf", "jsna.render.pieces", "jsna.render.assemble",
            "jsna.compute.chapter", "jsna.render.search"} <= modules
    for module in modules:
        assert set(closure(module)) == _reached_by_ast(module), module


def test_number_formatting_reaches_the_charts():
    assert "jsna.numbers" in closure("jsna.draw.charts")


def _build(package_parent: Path, project: Path, out: Path, *extra: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(package_parent), "SOURCE_DATE_EPOCH": "1700000000"}
    subprocess.run([sys.executable, "-m", "jsna", "build", "--project", str(project), "--out", str(out),
                    "--no-pdf", "-q", *extra], check=True, env=env, cwd=package_parent, capture_output=True)


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_change_to_number_formatting_rebuilds_the_charts(project, tmp_path):
    """The stale output the hand-kept lists let through: numbers.py changed, charts reused."""
    code = tmp_path / "code"
    shutil.copytree(PACKAGE, code / "jsna", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PACKAGE.parent / "templates", code / "templates")
    out = project / "site"
    _build(code, project, out)
    numbers = code / "jsna" / "numbers.py"
    numbers.write_text(numbers.read_text().replace('return f"{rounded:,.{decimals}f}"',
                                                   'return f"{rounded:,.{decimals}f}".replace(",", "\\u2009")'))
    _build(code, project, out)
    fresh = tmp_path / "fresh"
    _build(code, project, fresh, "--no-cache")
    assert _tree(out) == _tree(fresh)
    assert "7\u2009541" in (out / "children-in-need" / "figure-1.svg").read_text()


def test_serve_watches_exactly_what_the_build_hashes(project):
    """One list: a change to any file the build's no-change check hashes is seen by serve."""
    from jsna.project import input_files
    from jsna.serve import input_stamp

    (project / "templates").mkdir()
    (project / "templates" / "chapter.html").write_text("{% extends 'base.html' %}")
    (project / "logo.svg").write_text("<svg/>")
    (project / "jsna.yaml").write_text((project / "jsna.yaml").read_text() + "logo: logo.svg\n")
    watched = [name for name, _, _ in input_stamp(project)]
    assert watched == [str(p) for p in input_files(project)]
    assert {str(project / "templates" / "chapter.html"), str(project / "logo.svg")} <= set(watched)
