"""Read YAML with positions: every value keeps the file, line and column it came from.

PyYAML's composed node tree is used instead of `safe_load` so that each problem can be reported
where it is, scalars stay the text the editor typed ("2015" is a period label, not a number),
and duplicate keys are caught rather than silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass

import yaml

from jsna.errors import JsnaError, Position

# libyaml's composer, where PyYAML was built with it, is about three times faster.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = {"", "~", "null", "Null", "NULL"}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


@dataclass(frozen=True, slots=True)
class Source:
    """A YAML text and how to name positions in it (the file and the line it starts on)."""

    path: str
    line_offset: int = 0

    def at(self, node: yaml.Node | None) -> Position:
        """The position of a node, 1-based, in the file."""
        if node is None:
            return Position(self.path, self.line_offset + 1, 1)
        mark = node.start_mark
        return Position(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def error(self, node: yaml.Node | None, message: str) -> JsnaError:
        return JsnaError(self.at(node), message)

    def compose(self, text: str) -> yaml.Node | None:
        """Parse text to a node tree, turning syntax errors into a positioned JsnaError."""
        try:
            return yaml.compose(text, Loader=LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = (mark.line + 1 + self.line_offset) if mark else self.line_offset + 1
            column = (mark.column + 1) if mark else 1
            problem = exc.problem or "malformed YAML"
            context = f" {exc.context}" if exc.context else ""
            raise JsnaError(
                Position(self.path, line, column),
                f"expected well-formed YAML, found a syntax error: {problem}{context}",
            ) from None
        except yaml.YAMLError as exc:
            raise JsnaError(
                Position(self.path, self.line_offset + 1, 1),
                f"expected well-formed YAML, found: {exc}",
            ) from None

    # Typed readers -------------------------------------------------------------------------

    def mapping(self, node: yaml.Node | None, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping's entries in order, key text -> (key node, value node); duplicates refused."""
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"expected {what} as a mapping of keys to values, found {describe(node)}")
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.error(key, f"expected a plain key in {what}, found {describe(key)}")
            name = key.value
            if name in entries:
                first = self.at(entries[name][0])
                raise self.error(key, f"expected each key once in {what}, found '{name}' again (first at line {first.line})")
            entries[name] = (key, value)
        return entries

    def fields(
        self,
        node: yaml.Node | None,
        what: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> dict[str, yaml.Node]:
        """A mapping with known keys: missing required keys and unknown keys are errors."""
        entries = self.mapping(node, what)
        allowed = required + optional
        for name, (key, _) in entries.items():
            if name not in allowed:
                hint = suggest(name, allowed)
                raise self.error(
                    key,
                    f"expected one of the fields {', '.join(allowed)} in {what}, found '{name}'{hint}",
                )
        for name in required:
            if name not in entries:
                raise self.error(node, f"expected the required field '{name}' in {what}, found it missing")
        return {name: value for name, (_, value) in entries.items()}

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, f"expected {what} as a list, found {describe(node)}")
        return list(node.value)

    def text(self, node: yaml.Node | None, what: str, *, allow_empty: bool = False) -> str:
        if not isinstance(node, yaml.ScalarNode) or is_null(node):
            raise self.error(node, f"expected {what} as text, found {describe(node)}")
        value = node.value.strip()
        if not value and not allow_empty:
            raise self.error(node, f"expected {what} as text, found an empty value")
        return value

    def choice(self, node: yaml.Node | None, what: str, choices: tuple[str, ...]) -> str:
        value = self.text(node, what)
        if value not in choices:
            raise self.error(
                node, f"expected {what} to be one of {', '.join(choices)}, found '{value}'{suggest(value, choices)}"
            )
        return value

    def number(self, node: yaml.Node | None, what: str, *, whole: bool = False) -> float | int | None:
        """A number, or None for null; `whole` demands an integer (a count)."""
        if isinstance(node, yaml.ScalarNode) and is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or not is_plain(node):
            raise self.error(node, f"expected {what} as a number, found {describe(node)}")
        raw = node.value.replace("_", "")
        if not _NUMBER.match(raw):
            kind = "a whole number" if whole else "a number"
            raise self.error(node, f"expected {what} as {kind}, found '{node.value}'")
        value = float(raw)
        if not math.isfinite(value):
            raise self.error(node, f"expected {what} as a finite number, found '{node.value}'")
        if whole:
            if not value.is_integer() or "." in raw or "e" in raw.lower():
                raise self.error(node, f"expected {what} as a whole number, found '{node.value}'")
            return int(value)
        return int(value) if _is_int_text(raw) else value

    def date(self, node: yaml.Node | None, what: str) -> dt.date:
        value = self.text(node, what)
        m = _DATE.match(value)
        try:
            if not m:
                raise ValueError
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise self.error(node, f"expected {what} as a date YYYY-MM-DD, found '{value}'") from None


def _is_int_text(raw: str) -> bool:
    return raw.lstrip("+-").isdigit()


def is_null(node: yaml.Node | None) -> bool:
    return is_plain(node) and node.value in _NULLS


def is_plain(node: yaml.Node | None) -> bool:
    """An unquoted scalar (PyYAML says style None, libyaml says '')."""
    return isinstance(node, yaml.ScalarNode) and not node.style


def describe(node: yaml.Node | None) -> str:
    """Say what a node is, for 'found ...' in messages."""
    if node is None:
        return "nothing"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if is_null(node):
        return "an empty value"
    return f"'{node.value}'"


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """A "did you mean" hint for a misspelt name, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
