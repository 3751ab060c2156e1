"""What an input may point at and be made of: links with a safe scheme, images and files inside
the project, UTF-8 text without control characters. The loaders use these to report a problem
where it is written; the renderer uses `link_problem` and `image_problem` again to drop anything
that slipped through.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

from jsna.errors import JsnaError, Position

LINK_SCHEMES = ("http", "https", "mailto", "tel")
# What a browser drops from a URL before reading its scheme: whitespace and control characters.
_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Characters no text of a JSNA holds (tab is allowed): they break SVG and HTML, or a terminal.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The largest size of a value, typed or read from a data file: past it a float no longer holds
# every whole number, and a chart's axis cannot tell its ends apart.
LARGEST = 1e15


def normalise(url: str) -> str:
    """The URL as a browser judges it: entities decoded, whitespace and control characters
    dropped, backslashes read as slashes, lower case."""
    return _IGNORED.sub("", html.unescape(url)).replace("\\", "/").lower()


def link_problem(url: str) -> str | None:
    """What is wrong with a link that reaches a page, SVG or PDF (for 'found ...'), or None."""
    plain = normalise(url)
    scheme = _SCHEME.match(plain)
    if scheme and scheme[1] not in LINK_SCHEMES:
        return f"the scheme '{scheme[1]}:'"
    if not scheme and plain.startswith("//"):
        return "a link to another host without a scheme ('//')"
    return None


IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp"}  # what an image file's name ends with: its type


def image_problem(url: str, folder: Path, root: Path) -> str | None:
    """What is wrong with an image's address (for 'found ...'), or None: only a relative path
    to an image file in `folder` (where the file naming it is) or a folder in it is allowed, for
    the image is published beside the page."""
    problem = not_relative(url)
    if problem:
        return problem
    name = image_path(url)
    path = folder / name
    if not inside(root, path):
        return "a path leaving the project"
    if not inside(folder, path):
        return f"a path leaving the chapter's folder ({folder.name}/), where its images are kept"
    if not path.is_file():
        return f"no file '{name}' in {folder.name}/"
    if path.suffix.lower() not in IMAGE_TYPES:
        return f"a file that is not an image ({', '.join(IMAGE_TYPES)})"
    return None


def image_path(url: str) -> str:
    """The file a relative image address names, from the folder of the page naming it."""
    return unquote(_IGNORED.sub("", html.unescape(url)).replace("\\", "/").split("#", 1)[0].split("?", 1)[0])


def not_relative(url: str) -> str | None:
    """What makes an address other than a relative path (for 'found ...'), or None."""
    plain = normalise(url)
    if _SCHEME.match(plain) or plain.startswith("//"):
        return "an address on another host (an external request)"
    if plain.startswith("/"):
        return "an absolute path"
    return None


def inside(root: Path, path: Path) -> bool:
    """Whether path, with every link followed, is within the project folder root."""
    return path.resolve().is_relative_to(root.resolve())


def decode(rel: str, data: bytes) -> str:
    """A file's bytes as text with '\\n' line ends; bytes that are not UTF-8 are a JsnaError at
    the line and column of the first of them."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8").replace("\r\n", "\n")
        line = before.count("\n") + 1
        column = len(before) - before.rfind("\n")
        hint = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "Windows-1252"
        raise JsnaError(
            Position(rel, line, column),
            f"expected UTF-8 text, found the byte 0x{data[exc.start]:02X} "
            f"(the file may have been saved as {hint}: save it as UTF-8)",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def control_problem(text: str) -> tuple[int, str] | None:
    """(index, 'found ...' text) of the first control character in text, or None."""
    m = CONTROL.search(text)
    return (m.start(), f"the control character U+{ord(m[0]):04X}") if m else None
