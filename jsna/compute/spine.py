"""Spine chart rows, as the public health profiles draw them (the Fingertips "Technical Guide:
Spine Charts", as implemented in FingertipsNext's SpineChart helpers and fingertipscharts'
spine_chart_utils.R):

* each indicator is one row, England's value at its centre;
* the row spans the range of all authorities' values, scaled so that the larger of England's
  distances to the lowest and the highest value reaches the edge (the other end stops short:
  each row has its own scale, symmetric about England);
* the darker bars run from the worst value to the 25th percentile and from the 75th percentile
  to the best, the lighter band from the 25th to the 75th percentile, each at its real place
  (as fingertipscharts draws them, so a row whose England value lies outside the middle half is
  still drawn truly);
* "better" is always to the right: a lower-is-better indicator is turned round; one without
  polarity keeps higher to the right (as FingertipsNext orders "no judgement") and is labelled
  lowest and highest, not worst and best;
* percentiles are R's default (type 7, fingertipscharts' `quantile`): linear interpolation
  between the sorted values, the p-th at 1 + (n - 1)p; Python's
  `statistics.quantiles(method="inclusive")`.

Pure functions on the standard library.
"""

from __future__ import annotations

import statistics

from jsna.records import record

LOWER_IS_BETTER = "lower-is-better"
MIN_AREAS = 4  # fewer authorities with a value than this: no spine (no quartiles worth drawing)


@record
class Spine:
    """One row's numbers and where each is drawn: positions run from 0 (left) to 1 (right),
    England at 0.5, better (or higher, without polarity) to the right."""

    worst: float
    lower_quartile: float  # the 25th percentile on the worse side (the 75th if lower is better)
    upper_quartile: float  # the percentile on the better side
    best: float
    england: float
    areas: int
    positions: tuple[float, float, float, float]  # worst, quartiles, best
    local: float | None = None
    local_position: float | None = None


def quartiles(values: list[float]) -> tuple[float, float]:
    """The 25th and 75th percentiles (type 7: linear interpolation, as R's default)."""
    cuts = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return cuts[0], cuts[2]


def spine(values: list[float], england: float, polarity: str, local: float | None = None) -> Spine:
    """The spine of all authorities' `values` around England's value, with the local value."""
    low, high = min(values), max(values)
    q25, q75 = quartiles(values)
    reach = max(england - low, high - england)
    turned = polarity == LOWER_IS_BETTER

    def place(value: float) -> float:
        offset = 0.0 if reach == 0 else (value - england) / (2 * reach)
        return 0.5 - offset if turned else 0.5 + offset

    worst, lower, upper, best = (high, q75, q25, low) if turned else (low, q25, q75, high)
    return Spine(
        worst=worst, lower_quartile=lower, upper_quartile=upper, best=best, england=england,
        areas=len(values), positions=(place(worst), place(lower), place(upper), place(best)),
        local=local, local_position=None if local is None else place(local),
    )
