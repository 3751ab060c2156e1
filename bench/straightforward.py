"""The straightforward build, as a baseline for the benchmark: one process, no cache, and charts
drawn the default way (matplotlib's constrained layout engine, text turned into paths) instead
of jsna's fixed margins and SVG text.

Usage: python bench/straightforward.py PROJECT OUT
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import matplotlib

from jsna.build.pipeline import build

_rc_context = matplotlib.rc_context
DEFAULTS = {"svg.fonttype": "path", "figure.constrained_layout.use": True}


def _default_style(rc=None, fname=None):
    """jsna's chart settings, with the text and layout choices put back to the defaults."""
    return _rc_context({**(rc or {}), **DEFAULTS}, fname)


if __name__ == "__main__":
    warnings.filterwarnings("ignore")  # fixed margins are ignored under a layout engine
    matplotlib.rc_context = _default_style
    build(Path(sys.argv[1]), Path(sys.argv[2]), pdf=True, workers=1, cache=False)
