"""The one error type jsna raises for bad input, and the warnings a build collects."""

from __future__ import annotations

import re
from collections import namedtuple

# Characters that would break "one line per problem" or play tricks on a terminal when a message
# repeats what an input holds: shown escaped instead.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """text on one line, its control characters escaped as Python writes them."""
    return _UNPRINTABLE.sub(lambda m: repr(m[0])[1:-1], text)


class Position(namedtuple("Position", ("path", "line", "column"), defaults=(0, 0))):
    """Where something was found: a file (relative to the project) with 1-based line and column.
    A named tuple, not a record (jsna/records.py): a rebuild with nothing changed needs it, and
    need not import dataclasses for it."""

    __slots__ = ()

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


class JsnaError(Exception):
    """Bad input, found at a position: printed once by the CLI as `file:line:col: message`."""

    def __init__(self, position: Position, message: str):
        super().__init__(printable(f"{position}: {message}"))
        self.position = position
        self.message = message


class JsnaErrors(Exception):
    """Several input errors found in one validation pass, reported together: one per position
    (a YAML anchor used by several items is one problem, at the anchor)."""

    def __init__(self, errors: list[JsnaError]):
        first = {}
        for error in errors:
            first.setdefault(error.position, error)
        self.errors = sorted(
            first.values(), key=lambda e: (e.position.path, e.position.line, e.position.column)
        )
        super().__init__("\n".join(str(e) for e in self.errors))


class BuildWarning(namedtuple("BuildWarning", ("position", "message"))):
    """Something an editor should look at that does not stop the build (a named tuple, as
    `Position` is)."""

    __slots__ = ()

    def __str__(self) -> str:
        return printable(f"{self.position}: warning: {self.message}")
