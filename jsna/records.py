"""Records: the plain frozen data passed between stages and kept in the cache.

A record is a frozen, slotted dataclass that pickles as its class and its field values, so that
loading one from the cache calls its constructor. dataclasses' own pickling of slotted classes
looks the fields up again for every object it loads; a rebuild loads some 60,000 of them (every
indicator and chapter view of a 50-chapter JSNA), and this way takes about 60% of the time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TypeVar

T = TypeVar("T", bound=type)


def record(cls: T) -> T:
    """`cls` as a frozen, slotted dataclass that pickles as (class, field values)."""
    made = dataclass(frozen=True, slots=True)(cls)
    names = tuple(field.name for field in fields(made))

    def __reduce__(self):
        return made, tuple(getattr(self, name) for name in names)

    made.__reduce__ = __reduce__
    return made
