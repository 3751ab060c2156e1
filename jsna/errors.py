"""The one error type jsna raises for bad input, and the warnings a build collects."""

from __future__ import annotations

from jsna.records import record


@record
class Position:
    """Where something was found: a file (relative to the project) with 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


class JsnaError(Exception):
    """Bad input, found at a position: printed once by the CLI as `file:line:col: message`."""

    def __init__(self, position: Position, message: str):
        super().__init__(f"{position}: {message}")
        self.position = position
        self.message = message


class JsnaErrors(Exception):
    """Several input errors found in one validation pass, reported together."""

    def __init__(self, errors: list[JsnaError]):
        self.errors = sorted(
            errors, key=lambda e: (e.position.path, e.position.line, e.position.column)
        )
        super().__init__("\n".join(str(e) for e in self.errors))


@record
class BuildWarning:
    """Something an editor should look at that does not stop the build."""

    position: Position
    message: str

    def __str__(self) -> str:
        return f"{self.position}: warning: {self.message}"
