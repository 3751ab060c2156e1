"""What a build makes, declared apart from how it is made: a `Target` names a piece of the site
(a chapter's view, a chart, a page, a PDF, ...), the pure function that makes it, what it is made
from, where it runs and how its bytes are kept. jsna/build/scheduler.py makes them;
jsna/build/pipeline.py declares the ones a site is made of."""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass
from typing import Callable, Iterable

HERE, CHARTS, PDFS, THREAD = "here", "charts", "pdfs", "thread"


@dataclass(frozen=True, slots=True)
class Keep:
    """How a target's result is kept in the store: `form` names the encoding (it is part of the
    key, so a result kept in one form is never read in another)."""

    form: str
    encode: Callable[[object], bytes]
    decode: Callable[[bytes], object]


@dataclass(frozen=True, slots=True)
class Target:
    """One piece of a build.

    `make(*args, *results of needs)` makes it: a module-level function (its module's imports
    inside jsna are its code, in its key), pure, and, where it runs in workers, picklable with
    its arguments. `inputs` name what `args` hold for the key (digests of files, settings); the
    key also covers `needs`' keys, or, with `by_content`, their results (so a target made from
    something made cheaply here is reused when that comes out the same). `where`: HERE (this
    process), CHARTS or PDFS (those workers), THREAD (a thread beside this process). `keep`: how
    its result is kept (None: made again each build). `lazy`: made only when a target being made
    needs it. `then(result)`: targets this one's result declares (a chapter's view, its charts).
    `writes(result)`: the site's files it gives, path -> bytes. `instead`: an equivalent target
    whose kept result serves when this one's is not kept. `uses`: targets whose results, given
    after the needs', only let `make` finish sooner, never differently (a PDF laid out ahead of
    its charts): waited for like needs, but in no key. `order`: lower goes first among the ready
    ones."""

    name: str
    make: Callable[..., object]
    args: tuple = ()
    inputs: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    where: str = HERE
    keep: Keep | None = None
    lazy: bool = False
    by_content: bool = False
    then: Callable[[object], Iterable[Target]] | None = None
    writes: Callable[[object], dict[str, bytes]] | None = None
    instead: Target | None = None
    uses: tuple[str, ...] = ()
    order: int = 0

    @property
    def waits_for(self) -> tuple[str, ...]:
        """What must be made before this: its needs, then what it `uses`."""
        return self.needs + self.uses if self.uses else self.needs

    @property
    def kind(self) -> str:
        """What kind of piece this is: its name up to the first colon."""
        return self.name.partition(":")[0]


def pack(parts: tuple[bytes, ...]) -> bytes:
    """Pieces made together (a chart's SVG and PDF, say) as one blob, each after its length."""
    return b"".join(len(part).to_bytes(4, "big") + part for part in parts)


def unpack(blob: bytes) -> tuple[bytes, ...]:
    parts, at = [], 0
    while at < len(blob):
        size = int.from_bytes(blob[at : at + 4], "big")
        parts.append(blob[at + 4 : at + 4 + size])
        at += 4 + size
    return tuple(parts)


def _encode_about(result: tuple) -> bytes:
    data, *about = result
    return pack((json.dumps(about, sort_keys=True).encode("utf-8"), data))


def _decode_about(blob: bytes) -> tuple:
    about, data = unpack(blob)
    return (data, *json.loads(about))


def _encode_text(text: str) -> bytes:
    return text.encode("utf-8")


def _decode_text(data: bytes) -> str:
    return data.decode("utf-8")


def _encode_files(files: dict[str, bytes]) -> bytes:
    return pack(tuple(part for name in sorted(files) for part in (name.encode("utf-8"), files[name])))


def _decode_files(blob: bytes) -> dict[str, bytes]:
    parts = unpack(blob)
    return {parts[i].decode("utf-8"): parts[i + 1] for i in range(0, len(parts), 2)}


def _pickle(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


# Several bytes; bytes; text; files by path; bytes with what is known of them (a PDF's page count, its
# anchors' pages) as JSON; plain frozen records (the store's seal keeps pickles to what this
# user's builds wrote: jsna/build/store.py).
PACKED = Keep("packed", pack, unpack)
BYTES = Keep("bytes", bytes, bytes)
TEXT = Keep("text", _encode_text, _decode_text)
ABOUT = Keep("bytes with JSON about them", _encode_about, _decode_about)
RECORD = Keep("pickle", _pickle, pickle.loads)
FILES = Keep("files", _encode_files, _decode_files)
