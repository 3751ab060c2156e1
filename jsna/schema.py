"""The JSON Schemas of jsna's inputs (jsna/schemas/): written into a project for the editors'
YAML language server, and used by `jsna check` on what that server cannot see, the YAML inside
Markdown (a chapter's front matter and its figure blocks). Every problem is reported, each at
its file, line and column, in the words of jsna's own errors.

YAML is read as the language server reads it (YAML 1.2's core schema: `2015-02-01` is text,
`2015` a number), so jsna and the editor agree on what a schema accepts.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from pathlib import Path

import yaml

from jsna.errors import JsnaError, Position
from jsna.load.chapters import FENCE
from jsna.load.yamlnodes import Source, describe, suggest

FOLDER = Path(__file__).resolve().parent / "schemas"
# file name -> what it describes, for `jsna schema`, `jsna new` and `jsna check`
SCHEMAS = {
    "jsna.schema.json": "jsna.yaml",
    "indicators.schema.json": "indicators.yaml",
    "front-matter.schema.json": "a chapter's front matter",
    "figure.schema.json": "a figure block",
}
# The folder of a project the schemas are written into, and the line naming one in a YAML file.
PROJECT_FOLDER = "schemas"
_NULL = re.compile(r"^(|~|null|Null|NULL)$")
_BOOL = re.compile(r"^(true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
# Values read at most, aliases followed: YAML that grows past it through its aliases (a "billion
# laughs") is left to the loader, which reads each node once.
_MOST = 200_000
_DEEPEST = 64


def modeline(name: str) -> str:
    """The first line of a project's YAML file naming its schema for the YAML language server."""
    return f"# yaml-language-server: $schema={PROJECT_FOLDER}/{name}\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into folder (made if need be); the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        (folder / name).write_bytes((FOLDER / name).read_bytes())
        written.append(folder / name)
    return written


@functools.cache
def validator(name: str):
    """The validator of one schema (jsonschema, imported only when something is checked)."""
    import jsonschema

    schema = json.loads((FOLDER / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def check_yaml(name: str, src: Source, text: str, what: str, whole_at: Position | None = None) -> list[JsnaError]:
    """Every way the YAML `text` breaks the schema `name`, at its position; what is wrong with
    the whole of it (a field missing) at `whole_at`, where given (a figure block's fence, where
    the loader says it too, so that `merged` says it once). YAML that cannot be read is left to
    the loader, which reports it."""
    read = read_data(src, text)
    if read is None:
        return []
    data, nodes, node = read
    errors = sorted(validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    found = [_error(src, nodes, node, error, what, validator(name).schema) for error in _one_each(errors)]
    if whole_at is not None:
        whole = src.at(node)
        found = [JsnaError(whole_at, e.message) if (e.position.line, e.position.column) == (whole.line, whole.column) else e
                 for e in found]
    unique = {(e.position.line, e.position.column, e.message): e for e in found}
    return sorted(unique.values(), key=lambda e: (e.position.line, e.position.column))


def _one_each(errors: list) -> list:
    """The errors, a misspelt field said once: a required field missing from a mapping that has
    an unknown key close to its name is the unknown key's error."""
    unknown: dict[tuple, list[str]] = {}
    for error in errors:
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = set(error.schema.get("properties", {}))
            unknown[tuple(error.absolute_path)] = [k for k in error.instance if k not in known]
    kept = []
    for error in errors:
        if error.validator == "required" and isinstance(error.instance, dict):
            keys = unknown.get(tuple(error.absolute_path), [])
            if difflib.get_close_matches(_missing(error), keys, n=1, cutoff=0.6):
                continue
        kept.append(error)
    return kept


def _missing(error) -> str:
    """The field a `required` error is about (one error for each field missing)."""
    named = re.findall(r"^'([^']+)' is a required property", error.message)
    return named[0] if named else next(k for k in error.validator_value if k not in error.instance)


def read_data(src: Source, text: str) -> tuple[object, dict, object] | None:
    """YAML text as JSON data, path -> node, and its root node; None if it is not plain YAML
    data (a syntax error, a tag, a repeated key, a bad merge; too large or deep once its aliases
    are followed): the loader says what is wrong with it."""
    try:
        node = src.compose(text)
        nodes: dict = {}
        return _plain(src, node, (), nodes, [_MOST]), nodes, node
    except (JsnaError, _TooLarge):
        return None


def check_chapter(rel: str, text: str) -> list[JsnaError]:
    """A chapter's front matter and figure blocks against their schemas."""
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return []
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return []
    errors = check_yaml("front-matter.schema.json", Source(rel, 1), "\n".join(lines[1:end]), "the front matter")
    i = end + 1
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        closing = next(
            (j for j in range(i + 1, len(lines)) if lines[j].strip().startswith(fence["fence"]) and lines[j].strip().strip(fence["fence"][0]) == ""),
            len(lines),
        )
        if fence["lang"] == "figure" and closing < len(lines):
            errors += check_yaml("figure.schema.json", Source(rel, i + 1), "\n".join(lines[i + 1 : closing]) or "{}", "a figure",
                                 whole_at=Position(rel, i + 1, 1))
        i = closing + 1
    return errors


class _TooLarge(Exception):
    """The YAML holds more than _MOST values once its aliases are followed, or is nested deeper
    than _DEEPEST."""


def _plain(src: Source, node, path: tuple, nodes: dict, budget: list[int]) -> object:
    """The node as JSON data (as YAML 1.2's core schema reads it); `nodes` gets path -> node
    for every value and `path + ('key',)` -> the key node of every mapping entry. `budget`:
    how many more values may be read."""
    budget[0] -= 1
    if budget[0] < 0 or len(path) > _DEEPEST:
        raise _TooLarge
    nodes[path] = node
    if isinstance(node, yaml.MappingNode):
        data = {}
        for name, (key, value) in src.mapping(node, "a mapping").items():
            data[name] = _plain(src, value, (*path, name), nodes, budget)
            nodes[(*path, name, "key")] = key
        return data
    if isinstance(node, yaml.SequenceNode):
        return [_plain(src, item, (*path, index), nodes, budget) for index, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node) -> object:
    """A scalar as YAML 1.2's core schema reads it (quoted: always text)."""
    if node is None:
        return None
    text = node.value
    if node.style:
        return text
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def _error(src: Source, nodes: dict, root, error, what: str, schema: dict) -> JsnaError:
    """One schema error as jsna words it, at the node it is about."""
    if "propertyNames" in error.schema_path:  # a key of a mapping: said as its schema says
        steps = list(error.schema_path)
        for step in steps[: steps.index("propertyNames") + 1]:
            schema = schema[step]
        key = nodes.get((*tuple(error.absolute_path), error.instance, "key"), root)
        return src.error(key, f"expected {schema.get('errorMessage', 'a known key')}, found '{error.instance}'")
    if error.validator == "anyOf" and isinstance(error.instance, dict):
        # a mapping was meant (the branch for a scalar does not fit it): say what is wrong in it
        from jsonschema.exceptions import best_match

        inner = [e for e in error.context if e.validator not in ("type", "required", "enum", "const")]
        if inner:
            return _error(src, nodes, root, best_match(inner), what, schema)
    path = tuple(error.absolute_path)
    node = nodes.get(path, root)
    field = f"'{path[-1]}'" if path and isinstance(path[-1], str) else f"an item of '{path[-2]}'" if len(path) > 1 else what
    expected = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
    kind = error.validator
    where = what if not path else field
    if kind == "required":
        return src.error(node, f"expected {expected or f'the required field {_missing(error)!r}'} in {where}, found it missing")
    if kind == "anyOf" and isinstance(error.instance, dict) and expected:
        return src.error(node, f"expected {expected} in {where}, found neither")
    if kind == "additionalProperties":
        allowed = tuple(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))[0]
        key = nodes.get((*path, extra, "key"), node)
        return src.error(key, f"expected one of the fields {', '.join(allowed)} in {where}, found '{extra}'{suggest(extra, allowed)}")
    if kind == "enum":
        choices = tuple(str(c) for c in error.validator_value)
        return src.error(node, f"expected {field} to be one of {', '.join(choices)}, found {describe(node)}{suggest(str(error.instance), choices)}")
    if kind == "minLength" and error.instance == "":
        return src.error(node, f"expected {field} as text, found an empty value")
    if kind in ("type", "minimum", "maximum", "exclusiveMinimum") and not expected:
        words = {"integer": "a whole number", "number": "a number", "string": "text", "object": "a mapping", "array": "a list"}
        wanted = error.validator_value if kind == "type" else "number"
        wanted = [wanted] if isinstance(wanted, str) else wanted
        bound = "" if kind == "type" else f" ({kind} {error.validator_value:,})"
        return src.error(node, f"expected {field} as {' or '.join(words.get(w, w) for w in wanted)}{bound}, found {describe(node)}")
    if expected:
        return src.error(node, f"expected {field} as {expected}, found {describe(node)}")
    return src.error(node, f"expected {field} to match the schema, found {describe(node)}: {error.message}")


def check_project(root: Path) -> list[JsnaError]:
    """jsna.yaml, and every chapter's front matter and figure blocks, against their schemas (a
    file that cannot be found or read is left to the loader, which reports it). indicators.yaml
    is the loader's alone: it reports a problem in each indicator already."""
    from jsna.load.chapters import chapter_files
    from jsna.load.safety import decode, inside

    errors = []
    config = root / "jsna.yaml"
    if config.is_file() and inside(root, config):
        try:
            errors += check_yaml("jsna.schema.json", Source("jsna.yaml"), decode("jsna.yaml", config.read_bytes()), "jsna.yaml")
        except (JsnaError, OSError):
            pass
    try:
        files = chapter_files(root)
    except JsnaError:
        return errors
    for _, path in files:
        rel = path.relative_to(root).as_posix()
        try:
            errors += check_chapter(rel, decode(rel, path.read_bytes()))
        except (JsnaError, OSError):
            continue
    return errors


def merged(found: list[JsnaError], loaded: list[JsnaError]) -> list[JsnaError]:
    """The loader's errors and the schemas' at the lines the loader did not report, in order of
    file and line: every problem once, in the loader's words where it found it."""
    lines = {(e.position.path, e.position.line) for e in loaded}
    extra = [e for e in found if (e.position.path, e.position.line) not in lines]
    return sorted(loaded + extra, key=lambda e: (e.position.path, e.position.line or 0, e.position.column or 0))
