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
from jsna.load.safety import LARGEST, control_problem, link_problem

# What `Source.shaped` values look like. A language tag (BCP 47: a language, then subtags such as
# a region) names the search index's files too, so nothing else may pass for one.
LANGUAGE_TAG = r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*"
EMAIL = r"""[^@\s"'<>()\[\],;:\\]+@[^@\s"'<>()\[\],;:\\]+\.[A-Za-z0-9-]{2,}"""

# libyaml's composer, where PyYAML was built with it, is about three times faster.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = {"", "~", "null", "Null", "NULL"}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# No JSNA figure comes near this; beyond it numbers lose their last digits when formatted.
_YAML_TAG = "tag:yaml.org,2002:"
_MERGE = _YAML_TAG + "merge"
_PLAIN_TAGS = {_YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")}
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
        """Parse text to a node tree, turning syntax errors into a positioned JsnaError; a tag
        (`!!python/object`, `!x`) is refused: jsna reads plain data only."""
        try:
            node = yaml.compose(text, Loader=LOADER)
        except yaml.MarkedYAMLError as exc:
            problem = exc.problem or "malformed YAML"
            context = f" {exc.context}" if exc.context else ""
            raise self.error_at(
                _syntax_mark(exc), f"expected well-formed YAML, found a syntax error: {problem}{context}"
            ) from None
        except yaml.reader.ReaderError as exc:
            before = text[: exc.position]
            mark = yaml.Mark("", exc.position, before.count("\n"), len(before) - before.rfind("\n") - 1, None, None)
            raise self.error_at(mark, f"expected text without control characters, found the character U+{exc.character:04X}") from None
        except yaml.YAMLError as exc:
            raise self.error_at(None, f"expected well-formed YAML, found: {exc}") from None
        self._check_tags(node)
        return node

    def error_at(self, mark: yaml.Mark | None, message: str) -> JsnaError:
        """An error at a PyYAML mark (None: where the text starts)."""
        if mark is None:
            return JsnaError(Position(self.path, self.line_offset + 1, 1), message)
        return JsnaError(Position(self.path, mark.line + 1 + self.line_offset, mark.column + 1), message)

    def _check_tags(self, root: yaml.Node | None) -> None:
        """Refuse any tag but YAML's own for plain data; each node looked at once (an alias's
        node is shared, so a 'billion laughs' document is walked in its written size)."""
        seen: set[int] = set()
        todo = [root] if root is not None else []
        while todo:
            node = todo.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.tag not in _PLAIN_TAGS:
                raise self.error(node, f"expected plain YAML data, found the tag '{node.tag.replace(_YAML_TAG, '!!')}'")
            if isinstance(node, yaml.SequenceNode):
                todo.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                todo.extend(n for pair in node.value for n in pair)

    # Typed readers -------------------------------------------------------------------------

    def mapping(self, node: yaml.Node | None, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping's entries in order, key text -> (key node, value node); duplicates refused.
        Entries merged in with `<<: *anchor` come first, and the mapping's own override them."""
        return self._entries(node, what, (), {})

    def _entries(self, node, what: str, merging: tuple[int, ...], made: dict) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """`mapping`, within the merges of the mappings `merging` (their ids: none may recur);
        `made`: id -> the entries of each mapping merged so far, each read once however often
        it is merged (a chain of shared anchors would otherwise be read exponentially often)."""
        if id(node) in made:
            return made[id(node)]
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"expected {what} as a mapping of keys to values, found {describe(node)}")
        merged: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if key.tag == _MERGE:
                for source in self._merged(key, value, (*merging, id(node))):
                    for name, entry in self._entries(source, what, (*merging, id(node)), made).items():
                        merged.setdefault(name, entry)
                continue
            if not isinstance(key, yaml.ScalarNode):
                raise self.error(key, f"expected a plain key in {what}, found {describe(key)}")
            name = key.value
            if name in entries:
                first = self.at(entries[name][0])
                raise self.error(key, f"expected each key once in {what}, found '{name}' again (first at line {first.line})")
            entries[name] = (key, value)
        made[id(node)] = {**merged, **entries}
        return made[id(node)]

    def _merged(self, key: yaml.Node, value: yaml.Node, merging: tuple[int, ...]) -> list[yaml.Node]:
        """The mappings `<<:` merges: one, or a list of them; never one it is merged into."""
        sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise self.error(source, f"expected a mapping (or a list of them) after '<<', found {describe(source)}")
            if id(source) in merging:
                raise self.error(key, "expected '<<' to merge another mapping, found it merging the mapping it is in")
        return sources

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
                raise self.error(_anchor(node), f"expected the required field '{name}' in {what}, found it missing")
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
        control = control_problem(value)
        if control:
            raise self.error(node, f"expected {what} as text without control characters, found {control[1]}")
        return value

    def shaped(self, node: yaml.Node | None, what: str, pattern: str, shape: str) -> str:
        """Text that is all of `pattern` (`shape` says what it looks like: "an http:// address"),
        for a value the site uses as more than words (a link, a language tag, a file name)."""
        value = self.text(node, what)
        if not re.fullmatch(pattern, value):
            raise self.error(node, f"expected {what} as {shape}, found '{value}'")
        return value

    def link(self, node: yaml.Node | None, what: str) -> str:
        """A link: http, https, mailto, tel or relative, nothing a browser would run."""
        value = self.text(node, what)
        problem = link_problem(value)
        if problem:
            raise self.error(node, f"expected {what} starting http:, https:, mailto: or tel:, or a relative link, found {problem}")
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
        if abs(value) >= LARGEST:
            raise self.error(node, f"expected {what} below {LARGEST:,.0f}, found '{node.value}'")
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


def _syntax_mark(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where a syntax error is: where an unclosed quote or bracket (or a key that never ends)
    began, else where it was noticed."""
    opened = exc.context and exc.context.startswith(("while scanning a quoted", "while parsing a flow", "while scanning a simple key"))
    return (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark


def _anchor(node: yaml.Node | None) -> yaml.Node | None:
    """The mapping a field missing from node would come from: the last one it merges with
    `<<`, if any (the anchor several items share is one place to report), else node."""
    if isinstance(node, yaml.MappingNode):
        merges = [v for k, v in node.value if k.tag == _MERGE]
        if merges:
            last = merges[-1]
            return last.value[-1] if isinstance(last, yaml.SequenceNode) and last.value else last
    return node


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
    text = node.value if len(node.value) <= 80 else node.value[:77] + "..."
    return f"'{text}'"


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """A "did you mean" hint for a misspelt name, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
