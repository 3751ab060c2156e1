"""Which of jsna's modules a piece of code can reach: the code part of every cache key. Found by
following the `import` and `from ... import` statements (at any depth, inside functions too) from
a module's source, never from a list kept by hand, so a change to any module a stage uses (the
number formatting a chart's labels use, say) makes that stage's pieces again."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<base>\.+[\w.]*|jsna(?:\.\w+)*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^#\n]+)"
    r"|import[ \t]+(?P<plain>[^#\n]+))",
    re.MULTILINE,
)


@functools.cache
def module_file(name: str) -> Path | None:
    """The source file of jsna module `name` (a package's __init__.py), or None if there is none."""
    parts = name.split(".")
    if parts[0] != "jsna":
        return None
    path = os.path.join(PACKAGE, *parts[1:])
    for candidate in (path + ".py", os.path.join(path, "__init__.py")):
        if os.path.isfile(candidate):
            return Path(candidate)
    return None


def _package_of(name: str) -> str:
    """The package a module's relative imports start from."""
    path = module_file(name)
    return name if path is not None and path.name == "__init__.py" else name.rpartition(".")[0]


def _absolute(base: str, importer: str) -> str:
    """`from <base> import ...` in module `importer`, with a relative base made absolute."""
    if not base.startswith("."):
        return base
    dots = len(base) - len(base.lstrip("."))
    package = _package_of(importer).split(".")
    anchor = package[: len(package) - (dots - 1)]
    rest = base.lstrip(".")
    return ".".join(anchor + ([rest] if rest else []))


def _names(text: str) -> list[str]:
    """The imported names of `a as b, c` or `(a, b)`, without their aliases."""
    return [part.split()[0] for part in text.strip("() \t\n").replace("\n", " ").split(",") if part.strip()]


@functools.cache
def direct_imports(name: str) -> frozenset[str]:
    """The jsna modules (and packages) module `name` imports directly."""
    path = module_file(name)
    if path is None:
        return frozenset()
    found = set()
    for match in _IMPORT.finditer(path.read_text(encoding="utf-8")):
        if match["plain"]:
            found.update(n for n in _names(match["plain"]) if n == "jsna" or n.startswith("jsna."))
            continue
        base = _absolute(match["base"], name)
        found.add(base)
        found.update(f"{base}.{n}" for n in _names(match["names"]) if module_file(f"{base}.{n}"))
    return frozenset(n for n in found if n.split(".")[0] == "jsna" and module_file(n))


@functools.cache
def closure(name: str) -> tuple[str, ...]:
    """Module `name` and every jsna module it can reach, with the packages holding them (whose
    __init__ runs on import), sorted."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        parts = current.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        todo.extend(direct_imports(current))
    return tuple(sorted(n for n in seen if module_file(n)))
