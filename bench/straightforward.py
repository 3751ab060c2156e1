"""The straightforward build, as a baseline for the benchmark: one process, no cache, and charts
drawn as a straightforward builder draws them (`plain_matplotlib`) instead of with jsna's fixed
margins, SVG text and remembered text measures.

Usage: python bench/straightforward.py PROJECT OUT
       python bench/straightforward.py --figure PROJECT   (seconds a figure costs, drawn that way)
"""

from __future__ import annotations

import contextlib
import sys
import time
import warnings
from pathlib import Path

import matplotlib

DEFAULTS = {"svg.fonttype": "path", "figure.constrained_layout.use": True}


@contextlib.contextmanager
def plain_matplotlib():
    """jsna's charts drawn the default way: matplotlib's constrained layout engine places the
    axes (jsna's margin measuring left out) and text is drawn as paths; and matplotlib measures
    and lays out text afresh, as it does for any figure outside jsna (jsna's memories of measures
    and layouts, and its one measuring renderer per worker, are jsna's own optimisations, and
    the floor must not fall with them). In a process where no jsna chart has been drawn yet:
    the first one drawn installs those memories."""
    from matplotlib.backends.backend_agg import RendererAgg

    from jsna.draw import charts

    names = ("_fit", "_keep_layouts", "_keep_saved_measures", "measuring")
    saved = matplotlib.rc_context, {name: getattr(charts, name) for name in names}
    matplotlib.rc_context = lambda rc=None, fname=None: saved[0]({**(rc or {}), **DEFAULTS}, fname)
    charts._fit = lambda *args, **options: None
    charts._keep_layouts = lambda: None
    charts._keep_saved_measures = lambda saver: None
    charts.measuring = lambda dpi: RendererAgg(1, 1, dpi)
    try:
        yield
    finally:
        matplotlib.rc_context = saved[0]
        for name, value in saved[1].items():
            setattr(charts, name, value)


def figure_cost(root: Path) -> float:
    """Seconds a figure costs drawn the default way: one wide SVG for each of the first two
    chapters' figures (the charts bench/costs.py times jsna's three renditions on), after one
    drawn to warm up."""
    from jsna.compute.views import compute_site
    from jsna.draw.charts import draw
    from jsna.load.site import load_site

    figures = [f.chart for v in compute_site(load_site(root))[:2] for f in v.figures]
    with plain_matplotlib():
        draw(figures[0])
        started = time.perf_counter()
        for spec in figures:
            draw(spec)
        return (time.perf_counter() - started) / len(figures)


if __name__ == "__main__":
    warnings.filterwarnings("ignore")  # fixed margins are ignored under a layout engine
    if sys.argv[1] == "--figure":
        print(figure_cost(Path(sys.argv[2])))
    else:
        from jsna.build.pipeline import build

        with plain_matplotlib():
            build(Path(sys.argv[1]), Path(sys.argv[2]), pdf=True, workers=1, cache=False)
