"""Public health indicator statistics for jsna.

Pure functions on the standard library (``math``, ``statistics.NormalDist``) and
jsna.records, so that importing this module costs next to nothing.

The methods follow the ones used for Fingertips indicators by the Office for
Health Improvement and Disparities (OHID, formerly Public Health England) and
implemented in the PHEindicatormethods R package:

* proportions: Wilson score interval;
* crude rates and counts: exact Poisson limits (chi-squared method) below
  10 events, Byar's approximation at 10 events or more;
* comparisons: significantly higher/lower when the confidence interval
  excludes the comparator value;
* recent trend: the Fingertips "trend marker" over the five most recent
  points, judged at 99.8% and checked for robustness by leaving out each point
  in turn.

References (cited by number in the docstrings below)
----------------------------------------------------
[1] Wilson EB. Probable inference, the law of succession, and statistical
    inference. J Am Stat Assoc 1927; 22: 209-212.
[2] Newcombe RG, Altman DG. Proportions and their differences. In: Altman DG
    et al. (eds). Statistics with confidence, 2nd edn. London: BMJ Books;
    2000. pp 46-48.
[3] Breslow NE, Day NE. Statistical methods in cancer research, volume II:
    the design and analysis of cohort studies. Lyon: IARC/WHO; 1987.
[4] Armitage P, Berry G. Statistical methods in medical research, 4th edn.
    Oxford: Blackwell; 2002 (the Poisson / chi-squared link for exact limits).
[5] OHID. Fingertips Public Health Technical Guidance: "Rates" (Byar's method
    for counts of 10 or greater, chi-squared exact method for counts of less
    than 10), "Confidence intervals" and "Trend markers".
    https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/
[6] PHEindicatormethods (R package, UKHSA/DHSC): phe_proportion, phe_rate,
    wilson_lower/upper, byars_lower/upper, assign_trend_markers.
[7] Armitage P. Tests for linear trends in proportions and frequencies.
    Biometrics 1955; 11: 375-386; Cochran WG. Some methods for strengthening
    the common chi-squared tests. Biometrics 1954; 10: 417-451.
[8] Fingertips source code (PHE), PholioVisualisation.Analysis.TrendMarkers.
    TrendMarkerCalculator: five points, six iterations (all points, then each
    one left out), critical value 9.54953570608324.

The recent trend marker (``recent_trend_detail``)
-------------------------------------------------
Points used: the five most recent points that have the data their kind
needs (see :class:`TrendPoint`), in time order -- as Fingertips'
TrendMarkerCalculator, which filters to valid data and takes the five
latest [8].  Fewer than five such points: "cannot be calculated".  The
periods are used as the time scores t, so a missing period leaves a gap
of the right width (PHEindicatormethods uses the year values as t [6];
shifting t does not change the result).

Proportions (``kind`` "proportion" or "percentage"): chi-squared test for
linear trend in proportions (Cochran-Armitage [7]), with c_i numerators,
d_i denominators, C = sum c_i, N = sum d_i::

    X2 = N * (N*sum(c_i t_i) - C*sum(d_i t_i))**2
         / (C * (N - C) * (N*sum(d_i t_i**2) - sum(d_i t_i)**2))

(equal to R's prop.trend.test).  The direction is the sign of the
ordinary least-squares slope of logit(c_i/d_i) on t_i, as in
PHEindicatormethods and Fingertips.  Where a proportion is 0 or 1 the
logit is undefined; the direction is then taken from the sign of
sum(c_i t_i) - C*sum(d_i t_i)/N, the numerator of the trend statistic
(a documented jsna choice: the sources do not cover that case).  If every
proportion is 0, or every one is 1, there is no variation to test:
"no significant change".

Rates, counts and other indicators (``kind`` "rate", "count", "other"):
Fingertips does not use a chi-squared test on counts here; it fits a
weighted least-squares line of the values x_i on t_i with weights
w_i = 1/s_i**2, where s_i = (upper_i - lower_i) / (2*z) is the standard
error implied by the 95% interval (z = 1.96; ``ci_confidence`` if the
limits are at another level)::

    slope = (W*sum(w x t) - sum(w t)*sum(w x)) / (W*sum(w t**2) - sum(w t)**2)
    var(slope) = W / (W*sum(w t**2) - sum(w t)**2),    W = sum(w)
    X2 = slope**2 / var(slope)

A rate given only as numerator and denominator gets its value and 95%
limits from :func:`crude_rate_interval` (exact below 10 events, Byar's
from 10); a count given only as a numerator gets them from the same
method with denominator 1.

Significance: X2 > 9.5495 (the 99.8% point of chi-squared on 1 degree of
freedom, :data:`TREND_CHI_SQUARED_CRITICAL`).

Robustness ("no outliers"): the slope is recomputed leaving out each of
the five points in turn (the same slope as above: OLS of the logits for
proportions, the weighted slope otherwise).  If any of those five slopes
is zero or has the opposite sign to the slope from all five points, the
trend is not reported: "no significant change" (reason "outlier").
Otherwise the marker is "increasing" for a positive slope and
"decreasing" for a negative one.

An interval without width (lower = upper, as a published interval can be
once rounded for a large population) gives its point no weight to use: if
it is among the five, the trend "cannot be calculated", with that reason.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from statistics import NormalDist

from jsna.records import record

__all__ = [
    "BYARS_MIN_COUNT",
    "TREND_POINTS",
    "TREND_CONFIDENCE",
    "TREND_CHI_SQUARED_CRITICAL",
    "POLARITIES",
    "TREND_KINDS",
    "Interval",
    "Change",
    "Rank",
    "GroupRange",
    "TargetStatus",
    "TrendPoint",
    "TrendResult",
    "wilson_interval",
    "byars_interval",
    "exact_poisson_interval",
    "crude_rate_interval",
    "poisson_tails",
    "compare",
    "recent_trend",
    "recent_trend_detail",
    "chi_squared_for_trend",
    "change",
    "rank_in_group",
    "group_range",
    "target_status",
    "ordinal",
]

#: Counts at or above this use Byar's method; smaller counts use exact limits
#: (phe_rate: ``if_else(x < 10, <exact>, <Byar's>)``; Fingertips guidance [5]).
BYARS_MIN_COUNT = 10

#: The recent trend uses this many most recent points [5, 6, 8].
TREND_POINTS = 5

#: Confidence level at which a recent trend is judged significant [5, 8].
TREND_CONFIDENCE = 0.998

#: Upper 99.8% point of chi-squared on 1 degree of freedom, z(0.999)**2 =
#: 9.5495357...; Fingertips uses 9.54953570608324 [8], PHEindicatormethods
#: rounds it to 9.5495 [6].
TREND_CHI_SQUARED_CRITICAL = NormalDist().inv_cdf(1 - (1 - TREND_CONFIDENCE) / 2) ** 2

HIGHER_IS_BETTER = "higher-is-better"
LOWER_IS_BETTER = "lower-is-better"
NO_JUDGEMENT = "no-judgement"
POLARITIES = (HIGHER_IS_BETTER, LOWER_IS_BETTER, NO_JUDGEMENT)

#: ``kind`` values accepted by :func:`recent_trend` ("percentage" is the jsna
#: measure name for a proportion).
TREND_KINDS = ("proportion", "percentage", "rate", "count", "other")

_STD_NORMAL = NormalDist()


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


@record
class Interval:
    """A confidence interval.

    ``lower`` and ``upper`` are on the scale of the statistic they bound (a
    proportion from 0 to 1, a rate per ``per``, or a count); ``confidence`` is
    the level as a proportion (0.95, 0.998); ``method`` names the method used:
    ``"Wilson"``, ``"Byar's"`` or ``"exact Poisson"``.
    """

    lower: float
    upper: float
    confidence: float
    method: str

    def __post_init__(self) -> None:
        _real("lower", self.lower)
        _real("upper", self.upper)
        if self.lower > self.upper:
            raise ValueError(
                f"interval lower limit must not exceed its upper limit, "
                f"got lower {self.lower!r} > upper {self.upper!r}"
            )
        _confidence(self.confidence)

    def scaled(self, factor: float) -> Interval:
        """This interval multiplied by a positive ``factor`` (e.g. 100 for a percentage)."""
        _positive("factor", factor)
        return Interval(self.lower * factor, self.upper * factor, self.confidence, self.method)

    def excludes(self, x: float) -> bool:
        """True when ``x`` lies strictly outside the interval."""
        return x < self.lower or x > self.upper


@record
class Change:
    """Change between two values: ``absolute`` = current - previous and
    ``percent`` = 100 * absolute / |previous| (None when not defined)."""

    absolute: float | None
    percent: float | None


@record
class Rank:
    """An area's place within a group (see :func:`rank_in_group`)."""

    rank: int
    size: int
    tied: int
    lowest_first: bool
    words: str


@record
class GroupRange:
    """Lowest and highest values in a group and the members holding them.

    Tied members are all listed, in alphabetical order."""

    lowest: float
    lowest_names: tuple[str, ...]
    highest: float
    highest_names: tuple[str, ...]
    size: int


@record
class TargetStatus:
    """Whether a target is met.

    ``status`` is "met", "not met" or "not assessed" (value or target missing);
    ``met`` is True/False/None to match; ``margin`` is how far the value is on
    the good side of the target (negative: short of it), in the indicator's
    units, or None."""

    status: str
    met: bool | None
    margin: float | None


@record
class TrendPoint:
    """One period of an indicator's series, for :func:`recent_trend`.

    ``period`` is a number that places the point in time (e.g. the starting
    year of 2013-14, 2013); gaps between periods are honoured.

    For a proportion give ``numerator`` and ``denominator``.  For a rate give
    ``value`` with its 95% ``lower`` and ``upper`` limits, or ``numerator``
    and ``denominator`` (the crude rate and its limits are then computed with
    :func:`crude_rate_interval`).  For a count give ``value``/``lower``/
    ``upper`` or just ``numerator``.  For any other kind give ``value``,
    ``lower`` and ``upper``.  A point without the data its kind needs counts
    as missing.
    """

    period: float
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    lower: float | None = None
    upper: float | None = None


@record
class TrendResult:
    """Outcome of :func:`recent_trend_detail`.

    ``marker`` is "increasing", "decreasing", "no significant change" or
    "cannot be calculated"; ``chi_squared`` the trend statistic on 1 degree of
    freedom (None if not calculated); ``slope`` the fitted slope on the
    method's scale (log-odds per period unit for proportions, indicator units
    per period unit otherwise); ``periods`` the periods used; ``reason`` a
    short explanation."""

    marker: str
    chi_squared: float | None
    slope: float | None
    periods: tuple[float, ...]
    reason: str


# --------------------------------------------------------------------------
# Argument checks (run before any arithmetic)
# --------------------------------------------------------------------------


def _real(name: str, x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a number, got {x!r} ({type(x).__name__})")
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {x!r}")
    return float(x)


def _non_negative(name: str, x: object) -> float:
    v = _real(name, x)
    if v < 0:
        raise ValueError(f"{name} must be zero or more, got {x!r}")
    return v


def _positive(name: str, x: object) -> float:
    v = _real(name, x)
    if v <= 0:
        raise ValueError(f"{name} must be greater than zero, got {x!r}")
    return v


def _confidence(confidence: object) -> float:
    c = _real("confidence", confidence)
    if not 0 < c < 1:
        raise ValueError(
            f"confidence must be a proportion strictly between 0 and 1 "
            f"(e.g. 0.95 or 0.998), got {confidence!r}"
        )
    return c


def _polarity(polarity: object, allowed: Sequence[str] = POLARITIES) -> str:
    if polarity not in allowed:
        expected = ", ".join(repr(p) for p in allowed)
        raise ValueError(f"polarity must be one of {expected}, got {polarity!r}")
    return polarity  # type: ignore[return-value]


def _z(confidence: float) -> float:
    """Two-sided standard normal critical value for ``confidence``."""
    return _STD_NORMAL.inv_cdf(confidence + (1 - confidence) / 2)


def _optional_real(name: str, x: object) -> float | None:
    if x is None:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    return _real(name, x)


# --------------------------------------------------------------------------
# Proportions
# --------------------------------------------------------------------------


def wilson_interval(numerator: float, denominator: float, confidence: float = 0.95) -> Interval:
    """Wilson score confidence interval for a proportion [1, 2; method of 5, 6].

    Returns the limits as proportions (0 to 1); multiply by 100 (or use
    ``Interval.scaled(100)``) for a percentage.

    Formula, with O the numerator, n the denominator, p = O/n and z the
    100(1 - alpha/2)th percentile of the standard normal distribution::

        limits = (2*O + z**2 -/+ z * sqrt(z**2 + 4*O*(1 - p))) / (2*(n + z**2))

    Valid inputs: 0 <= numerator <= denominator, denominator > 0, both finite
    (non-integer values are accepted, as in PHEindicatormethods);
    0 < confidence < 1.

    Zero and small counts: the Wilson interval behaves well for small
    numerators and never leaves [0, 1].  With numerator 0 the lower limit is
    exactly 0 and the upper limit is z**2/(n + z**2); with numerator equal to
    the denominator the upper limit is exactly 1 and the lower limit is
    n/(n + z**2).  These are set exactly rather than left to rounding.

    Raises TypeError for non-numbers and ValueError (saying what was expected
    and what was found) for values out of range.
    """
    x = _non_negative("numerator", numerator)
    n = _positive("denominator", denominator)
    if x > n:
        raise ValueError(
            f"numerator must not exceed denominator for a proportion, "
            f"got numerator {numerator!r} > denominator {denominator!r}"
        )
    c = _confidence(confidence)

    z = _z(c)
    z2 = z * z
    root = z * math.sqrt(z2 + 4 * x * (1 - x / n))
    scale = 2 * (n + z2)
    lower = 0.0 if x == 0 else max(0.0, (2 * x + z2 - root) / scale)
    upper = 1.0 if x == n else min(1.0, (2 * x + z2 + root) / scale)
    return Interval(lower, upper, c, "Wilson")


# --------------------------------------------------------------------------
# Counts and rates
# --------------------------------------------------------------------------


def byars_interval(count: float, confidence: float = 0.95) -> Interval:
    """Byar's approximation to the exact Poisson limits of a count [3; 5, 6].

    Formula, with O the observed count and z the 100(1 - alpha/2)th
    percentile of the standard normal distribution::

        lower = O * (1 - 1/(9*O) - z/(3*sqrt(O)))**3
        upper = (O + 1) * (1 - 1/(9*(O + 1)) + z/(3*sqrt(O + 1)))**3

    The limits are for the count; divide by the denominator (and multiply by
    the rate's multiplier) for a rate, or use :func:`crude_rate_interval`.

    Valid inputs: count >= 0 and finite; 0 < confidence < 1.

    Zero and small counts: Byar's method is accurate for counts of 10 or more
    (OHID: within 0.2% of the exact value at 95%) and is not the method used
    below 10 -- :func:`crude_rate_interval` switches to
    :func:`exact_poisson_interval` there.  Called directly with a small count,
    the lower formula can fall below zero (and is undefined at 0); the lower
    limit is then reported as 0.0, since a count cannot be negative
    (PHEindicatormethods' byars_lower returns NA in that case instead).
    """
    o = _non_negative("count", count)
    c = _confidence(confidence)
    z = _z(c)

    if o == 0:
        lower = 0.0
    else:
        base = 1 - 1 / (9 * o) - z / (3 * math.sqrt(o))
        lower = 0.0 if base <= 0 else o * base**3
    o1 = o + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return Interval(lower, upper, c, "Byar's")


def exact_poisson_interval(count: float, confidence: float = 0.95) -> Interval:
    """Exact (chi-squared) confidence limits for a Poisson count [4; 5, 6].

    Formula, with O the observed count::

        lower = chi2_quantile(alpha/2;     2*O)     / 2
        upper = chi2_quantile(1 - alpha/2; 2*O + 2) / 2

    which is the same as finding the Poisson means at which P(X >= O) and
    P(X <= O) equal alpha/2.  Computed here without scipy: chi2(2k)/2 is a
    gamma(k) variable, so each limit is the root of the regularised incomplete
    gamma function, P(O, lower) = alpha/2 and Q(O + 1, upper) = alpha/2,
    found by safeguarded Newton steps inside a bisection bracket.  The
    incomplete gamma is evaluated by its power series or its continued
    fraction, whichever computes the needed tail directly, so small tail
    areas (99.8% limits) keep full relative accuracy.  Relative accuracy is
    about 1e-13 for counts up to the thousands (checked in the tests against
    R's exact limits and closed forms).

    Valid inputs: count >= 0 and finite (non-integer counts are accepted:
    the chi-squared form extends to them); 0 < confidence < 1.

    Zero events: the lower limit is 0 and the upper limit is
    -ln(alpha/2) (3.689 at 95%, 6.908 at 99.8%), i.e. qchisq(1 - alpha/2, 2)/2,
    as in phe_rate.
    """
    o = _non_negative("count", count)
    c = _confidence(confidence)
    tail = (1 - c) / 2

    if o == 0:
        lower = 0.0
        upper = -math.log(tail)  # closed form of the root of Q(1, mu) = e**-mu = tail
    else:
        lower = _gamma_quantile_lower_tail(o, tail)
        upper = _gamma_quantile_upper_tail(o + 1, tail)
    return Interval(lower, upper, c, "exact Poisson")


def crude_rate_interval(
    count: float, denominator: float, per: float = 100000, confidence: float = 0.95
) -> Interval:
    """Confidence interval for a crude rate, count/denominator * per [3, 4; 5, 6].

    Method (as phe_rate in PHEindicatormethods and the Fingertips "Rates"
    guidance): the confidence limits of the count are found by

    * the exact chi-squared (Poisson) method when count < 10
      (:func:`exact_poisson_interval`), and
    * Byar's method when count >= 10 (:func:`byars_interval`);

    then each limit is divided by the denominator and multiplied by ``per``.
    The threshold is :data:`BYARS_MIN_COUNT` (10); 9 events use exact limits,
    10 events use Byar's.  ``Interval.method`` says which was used.

    Valid inputs: count >= 0, denominator > 0, per > 0, all finite;
    0 < confidence < 1 (0.95 and 0.998 are the Fingertips levels).

    Zero events: exact method, lower limit 0, upper limit
    -ln(alpha/2) / denominator * per (3.689/denominator*per at 95%).
    """
    o = _non_negative("count", count)
    n = _positive("denominator", denominator)
    m = _positive("per", per)
    c = _confidence(confidence)

    counts = exact_poisson_interval(o, c) if o < BYARS_MIN_COUNT else byars_interval(o, c)
    return Interval(counts.lower / n * m, counts.upper / n * m, c, counts.method)


def poisson_tails(count: float, mean: float) -> tuple[float, float]:
    """P(X <= count) and P(X >= count) for a Poisson count X of `mean` [4]: the regularised
    incomplete gamma functions Q(count + 1, mean) and P(count, mean) (P(X >= 0) is 1). A count
    lies above the mean's (1 - 2t) limits exactly when its lower exact limit is above the mean,
    that is when P(X >= count) < t (and below when P(X <= count) < t): one evaluation, where
    the limit itself takes a root-finding (funnel plots use this).

    Valid inputs: count >= 0, mean > 0, both finite."""
    o = _non_negative("count", count)
    m = _positive("mean", mean)
    return _gamma_q(o + 1, m), (1.0 if o == 0 else _gamma_p(o, m))


# Regularised incomplete gamma and its inverses --------------------------------

_TINY = 1e-300
_EPS = 1e-16


def _log_gamma_kernel(a: float, x: float) -> float:
    """log(x**a * exp(-x) / Gamma(a))."""
    return a * math.log(x) - x - math.lgamma(a)


def _gamma_p_series(a: float, x: float) -> float:
    """Lower regularised incomplete gamma P(a, x) by its power series (x < a + 1)."""
    term = 1.0 / a
    total = term
    k = a
    for _ in range(100000):
        k += 1
        term *= x / k
        total += term
        if abs(term) < abs(total) * _EPS:
            return total * math.exp(_log_gamma_kernel(a, x))
    raise ArithmeticError(f"incomplete gamma series did not converge (a={a}, x={x})")


def _gamma_q_fraction(a: float, x: float) -> float:
    """Upper regularised incomplete gamma Q(a, x) by its continued fraction
    (x >= a + 1), evaluated with the modified Lentz method."""
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    h = d
    for i in range(1, 100000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        if abs(d) < _TINY:
            d = _TINY
        c = b + an / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            return h * math.exp(_log_gamma_kernel(a, x))
    raise ArithmeticError(f"incomplete gamma fraction did not converge (a={a}, x={x})")


def _gamma_p(a: float, x: float) -> float:
    if x <= 0:
        return 0.0
    return _gamma_p_series(a, x) if x < a + 1 else 1 - _gamma_q_fraction(a, x)


def _gamma_q(a: float, x: float) -> float:
    if x <= 0:
        return 1.0
    return 1 - _gamma_p_series(a, x) if x < a + 1 else _gamma_q_fraction(a, x)


def _gamma_density(a: float, x: float) -> float:
    return math.exp(_log_gamma_kernel(a, x) - math.log(x))


def _solve_monotone(f, fprime, lo: float, hi: float, increasing: bool) -> float:
    """Root of a monotone ``f`` in [lo, hi] (f(lo) and f(hi) of opposite sign)
    by Newton steps, falling back to bisection whenever a step leaves the
    bracket.  Stops at a relative width of a few ulps."""
    x = 0.5 * (lo + hi)
    for _ in range(400):
        fx = f(x)
        if fx == 0:
            return x
        if (fx > 0) == increasing:
            hi = x
        else:
            lo = x
        d = fprime(x)
        newton = x - fx / d if d != 0 else math.nan
        x_new = newton if lo < newton < hi else 0.5 * (lo + hi)
        if abs(x_new - x) <= 4 * _EPS * abs(x_new) or hi - lo <= 4 * _EPS * abs(hi):
            return x_new
        x = x_new
    return x


def _gamma_quantile_lower_tail(a: float, tail: float) -> float:
    """mu with P(a, mu) = tail (the exact lower limit for a count of a)."""
    hi = max(a, 1.0)
    while _gamma_p(a, hi) < tail:  # P(a, a) >= 0.5 for a >= 1; guard other cases
        hi *= 2
    return _solve_monotone(
        lambda mu: _gamma_p(a, mu) - tail,
        lambda mu: _gamma_density(a, mu),
        0.0,
        hi,
        increasing=True,
    )


def _gamma_quantile_upper_tail(a: float, tail: float) -> float:
    """mu with Q(a, mu) = tail (the exact upper limit; a = count + 1)."""
    hi = a + 1
    while _gamma_q(a, hi) > tail:
        hi *= 2
    return _solve_monotone(
        lambda mu: _gamma_q(a, mu) - tail,
        lambda mu: -_gamma_density(a, mu),
        0.0,
        hi,
        increasing=False,
    )


# --------------------------------------------------------------------------
# Comparison with a benchmark
# --------------------------------------------------------------------------


def _interval_limits(interval) -> tuple[float | None, float | None]:
    """The limits of an :class:`Interval`, a (lower, upper) pair (checked) or None."""
    if interval is None:
        return None, None
    if isinstance(interval, Interval):
        return interval.lower, interval.upper
    if not (isinstance(interval, tuple) and len(interval) == 2):
        raise TypeError(f"interval must be an Interval, a (lower, upper) pair or None, got {interval!r}")
    lower = _optional_real("interval lower limit", interval[0])
    upper = _optional_real("interval upper limit", interval[1])
    if lower is not None and upper is not None and lower > upper:
        raise ValueError(
            f"interval lower limit must not exceed its upper limit, "
            f"got lower {interval[0]!r} > upper {interval[1]!r}"
        )
    return lower, upper


def compare(
    value: float | None,
    interval: Interval | tuple[float | None, float | None] | None,
    comparator_value: float | None,
    polarity: str,
) -> str:
    """Compare an indicator value with a comparator (e.g. England) [5].

    Method (Fingertips "compared with benchmark" using confidence intervals):
    the value is significantly higher than the comparator when the whole
    interval lies above it (lower limit > comparator), significantly lower
    when the whole interval lies below it (upper limit < comparator), and
    similar otherwise -- including when the comparator is exactly on a limit.
    The interval's own confidence level (95% or 99.8%) sets the significance
    level.

    Returns, by ``polarity``:

    * "higher-is-better": "better", "similar" or "worse";
    * "lower-is-better":  "better", "similar" or "worse";
    * "no-judgement":     "higher", "similar" or "lower";

    and "not compared" whenever the value, the interval (or either of its
    limits) or the comparator value is missing (None or NaN).

    ``interval`` is an :class:`Interval` or a (lower, upper) pair.  The
    polarity is checked first, even if the comparison cannot be made.
    """
    _polarity(polarity)
    v = _optional_real("value", value)
    comp = _optional_real("comparator_value", comparator_value)
    lower, upper = _interval_limits(interval)
    if v is None or comp is None or lower is None or upper is None:
        return "not compared"

    if lower > comp:
        direction = "higher"
    elif upper < comp:
        direction = "lower"
    else:
        return "similar"
    if polarity == NO_JUDGEMENT:
        return direction
    good = HIGHER_IS_BETTER if direction == "higher" else LOWER_IS_BETTER
    return "better" if polarity == good else "worse"


# --------------------------------------------------------------------------
# Recent trend
# --------------------------------------------------------------------------


def recent_trend(points: Sequence[TrendPoint], kind: str, ci_confidence: float = 0.95) -> str:
    """The Fingertips / PHE profiles "recent trend" marker of a series.

    Returns "increasing", "decreasing", "no significant change" or
    "cannot be calculated".  See :func:`recent_trend_detail` for the method,
    its sources and the statistic behind the marker.
    """
    return recent_trend_detail(points, kind, ci_confidence).marker


def recent_trend_detail(
    points: Sequence[TrendPoint], kind: str, ci_confidence: float = 0.95
) -> TrendResult:
    """The Fingertips recent trend marker, with its statistic [5, 6, 7, 8]: the method is in
    this module's docstring, "The recent trend marker".

    Valid inputs: ``points`` a sequence of :class:`TrendPoint` with distinct
    finite periods; numerators 0..denominator for proportions; limits with
    lower <= value <= upper for the other kinds.
    Raises ValueError naming the point and the problem otherwise.
    """
    if kind not in TREND_KINDS:
        expected = ", ".join(repr(k) for k in TREND_KINDS)
        raise ValueError(f"kind must be one of {expected}, got {kind!r}")
    level = _confidence(ci_confidence)
    _check_trend_points(points)
    ordered = sorted(points, key=lambda p: p.period)
    if kind in ("proportion", "percentage"):
        usable = [_proportion_point(p) for p in ordered]
    else:
        z = _z(level)
        usable = [_weighted_point(p, kind, z) for p in ordered]
    usable = [u for u in usable if u is not None]
    flat = [u for u in usable[-TREND_POINTS:] if isinstance(u, str)]
    if len(usable) >= TREND_POINTS and flat:
        return TrendResult("cannot be calculated", None, None, (), flat[0])
    if len(usable) < TREND_POINTS:
        return TrendResult(
            "cannot be calculated",
            None,
            None,
            tuple(u[0] for u in usable),
            f"fewer than {TREND_POINTS} points with data ({len(usable)})",
        )
    return _trend_marker(usable[-TREND_POINTS:], kind)


def _check_trend_points(points: Sequence[TrendPoint]) -> None:
    """Raise unless `points` is a sequence of TrendPoints with distinct finite periods."""
    if isinstance(points, (str, bytes)) or not isinstance(points, Sequence):
        raise TypeError(f"points must be a sequence of TrendPoint, got {type(points).__name__}")
    seen: set[float] = set()
    for i, p in enumerate(points):
        if not isinstance(p, TrendPoint):
            raise TypeError(f"points[{i}] must be a TrendPoint, got {p!r}")
        t = _real(f"points[{i}].period", p.period)
        if t in seen:
            raise ValueError(f"periods must be distinct, got period {p.period!r} more than once")
        seen.add(t)


def _trend_marker(recent: list, kind: str) -> TrendResult:
    """The marker for the five most recent usable points: the test for trend, then the check
    that no one point makes it (see `recent_trend_detail`)."""
    periods = tuple(u[0] for u in recent)
    if kind in ("proportion", "percentage"):
        chi2 = _trend_chi2_proportions(recent)
        if chi2 is None:
            return TrendResult(
                "no significant change", None, None, periods, "no variation: all proportions 0 or all 1"
            )
        slope_of = _logit_slope
    else:
        chi2 = _trend_chi2_weighted(recent)
        slope_of = _weighted_slope

    slope = slope_of(recent)
    if not chi2 > TREND_CHI_SQUARED_CRITICAL or slope == 0:
        return TrendResult("no significant change", chi2, slope, periods, "trend not significant at 99.8%")
    for j in range(len(recent)):
        sub = slope_of(recent[:j] + recent[j + 1 :])
        if sub == 0 or (sub > 0) != (slope > 0):
            return TrendResult(
                "no significant change",
                chi2,
                slope,
                periods,
                f"outlier: leaving out period {recent[j][0]:g} reverses or flattens the slope",
            )
    marker = "increasing" if slope > 0 else "decreasing"
    return TrendResult(marker, chi2, slope, periods, "significant at 99.8% and no outliers")


def chi_squared_for_trend(
    numerators: Sequence[float], denominators: Sequence[float], scores: Sequence[float] | None = None
) -> float:
    """Chi-squared test for linear trend in proportions (Cochran-Armitage) [7].

    The statistic on 1 degree of freedom used by :func:`recent_trend` for
    proportions; the same as R's ``prop.trend.test(x, n, score)``.  With c_i
    the numerators, d_i the denominators, t_i the scores (default 1, 2, 3,
    ...), C = sum c_i and N = sum d_i::

        X2 = N * (N*sum(c_i t_i) - C*sum(d_i t_i))**2
             / (C * (N - C) * (N*sum(d_i t_i**2) - sum(d_i t_i)**2))

    Valid inputs: at least two groups; 0 <= c_i <= d_i, d_i > 0; scores not
    all equal; the pooled proportion C/N strictly between 0 and 1 (otherwise
    there is no variation and the statistic is undefined: ValueError).
    """
    if isinstance(numerators, (str, bytes)) or not isinstance(numerators, Sequence):
        raise TypeError(f"numerators must be a sequence of numbers, got {numerators!r}")
    if isinstance(denominators, (str, bytes)) or not isinstance(denominators, Sequence):
        raise TypeError(f"denominators must be a sequence of numbers, got {denominators!r}")
    if len(numerators) != len(denominators):
        raise ValueError(
            f"numerators and denominators must be the same length, "
            f"got {len(numerators)} and {len(denominators)}"
        )
    if len(numerators) < 2:
        raise ValueError(f"a trend needs at least 2 groups, got {len(numerators)}")
    if scores is None:
        ts = [float(i + 1) for i in range(len(numerators))]
    else:
        if len(scores) != len(numerators):
            raise ValueError(
                f"scores must be the same length as numerators, got {len(scores)} and {len(numerators)}"
            )
        ts = [_real(f"scores[{i}]", t) for i, t in enumerate(scores)]
    pts = []
    for i, (c, d) in enumerate(zip(numerators, denominators)):
        cv = _non_negative(f"numerators[{i}]", c)
        dv = _positive(f"denominators[{i}]", d)
        if cv > dv:
            raise ValueError(
                f"numerator must not exceed denominator for a proportion, "
                f"got numerators[{i}] {c!r} > denominators[{i}] {d!r}"
            )
        pts.append((ts[i], cv, dv))
    chi2 = _trend_chi2_proportions(pts)
    if chi2 is None:
        raise ValueError(
            "the trend statistic needs variation: the pooled proportion must be strictly "
            "between 0 and 1 and the scores not all equal"
        )
    return chi2


def _proportion_point(p: TrendPoint) -> tuple[float, float, float] | None:
    c = _optional_real(f"numerator (period {p.period!r})", p.numerator)
    d = _optional_real(f"denominator (period {p.period!r})", p.denominator)
    if c is None or d is None:
        return None
    if c < 0:
        raise ValueError(f"numerator must be zero or more, got {p.numerator!r} for period {p.period!r}")
    if d <= 0:
        raise ValueError(
            f"denominator must be greater than zero, got {p.denominator!r} for period {p.period!r}"
        )
    if c > d:
        raise ValueError(
            f"numerator must not exceed denominator for a proportion, got numerator "
            f"{p.numerator!r} > denominator {p.denominator!r} for period {p.period!r}"
        )
    return (float(p.period), c, d)


def _weighted_point(p: TrendPoint, kind: str, z: float) -> tuple[float, float, float] | str | None:
    """(t, value, weight = 1/se**2), None when the point has no usable data, or why it cannot
    be weighted (its interval has no width)."""
    value = _optional_real(f"value (period {p.period!r})", p.value)
    lower = _optional_real(f"lower (period {p.period!r})", p.lower)
    upper = _optional_real(f"upper (period {p.period!r})", p.upper)
    if value is None or lower is None or upper is None:
        c = _optional_real(f"numerator (period {p.period!r})", p.numerator)
        d = _optional_real(f"denominator (period {p.period!r})", p.denominator)
        if kind == "rate" and c is not None and d is not None:
            ci = crude_rate_interval(c, d, per=1, confidence=0.95)
            value, lower, upper = c / d, ci.lower, ci.upper
            z = _z(0.95)
        elif kind == "count" and c is not None:
            ci = crude_rate_interval(c, 1, per=1, confidence=0.95)
            value, lower, upper = c, ci.lower, ci.upper
            z = _z(0.95)
        else:
            return None
    if not lower <= value <= upper:
        raise ValueError(
            f"limits must satisfy lower <= value <= upper, got lower {lower!r}, "
            f"value {value!r}, upper {upper!r} for period {p.period!r}"
        )
    if not lower < upper:
        return (
            f"the confidence interval for period {p.period:g} has no width "
            f"(lower = upper = {lower:g}), so the point cannot be weighted"
        )
    se = (upper - lower) / (2 * z)
    return (float(p.period), value, 1 / (se * se))


def _trend_chi2_proportions(pts: Sequence[tuple[float, float, float]]) -> float | None:
    n_tot = sum(d for _, _, d in pts)
    c_tot = sum(c for _, c, _ in pts)
    if c_tot == 0 or c_tot == n_tot:
        return None
    sct = sum(c * t for t, c, _ in pts)
    sdt = sum(d * t for t, _, d in pts)
    sdt2 = sum(d * t * t for t, _, d in pts)
    spread = n_tot * sdt2 - sdt * sdt
    if spread <= 0:
        return None
    return n_tot * (n_tot * sct - c_tot * sdt) ** 2 / (c_tot * (n_tot - c_tot) * spread)


def _logit_slope(pts: Sequence[tuple[float, float, float]]) -> float:
    if any(c == 0 or c == d for _, c, d in pts):
        n_tot = sum(d for _, _, d in pts)
        c_tot = sum(c for _, c, _ in pts)
        return sum(c * t for t, c, _ in pts) - c_tot * sum(d * t for t, _, d in pts) / n_tot
    ts = [t for t, _, _ in pts]
    ys = [math.log(c / (d - c)) for _, c, d in pts]
    return _ols_slope(ts, ys, [1.0] * len(ts))


def _weighted_slope(pts: Sequence[tuple[float, float, float]]) -> float:
    return _ols_slope([t for t, _, _ in pts], [x for _, x, _ in pts], [w for _, _, w in pts])


def _ols_slope(ts: Sequence[float], ys: Sequence[float], ws: Sequence[float]) -> float:
    # Centred form of (W*sum(w y t) - sum(w t)*sum(w y)) / (W*sum(w t^2) - sum(w t)^2),
    # which avoids cancellation when t are calendar years.
    w_tot = sum(ws)
    t_bar = sum(w * t for w, t in zip(ws, ts)) / w_tot
    y_bar = sum(w * y for w, y in zip(ws, ys)) / w_tot
    sxy = sum(w * (t - t_bar) * (y - y_bar) for w, t, y in zip(ws, ts, ys))
    sxx = sum(w * (t - t_bar) ** 2 for w, t in zip(ws, ts))
    return sxy / sxx


def _trend_chi2_weighted(pts: Sequence[tuple[float, float, float]]) -> float:
    ts = [t for t, _, _ in pts]
    ws = [w for _, _, w in pts]
    w_tot = sum(ws)
    t_bar = sum(w * t for w, t in zip(ws, ts)) / w_tot
    sxx = sum(w * (t - t_bar) ** 2 for w, t in zip(ws, ts))
    slope = _weighted_slope(pts)
    # var(slope) = W / (W*sum(w t^2) - sum(w t)^2) = 1 / sxx
    return slope * slope * sxx


# --------------------------------------------------------------------------
# Change, rank, range, target
# --------------------------------------------------------------------------


def change(previous: float | None, current: float | None) -> Change:
    """Absolute and per cent change from ``previous`` to ``current``.

    Formula: absolute = current - previous;
    percent = 100 * (current - previous) / |previous|.

    Dividing by |previous| keeps the sign of ``percent`` equal to the
    direction of change even when values can be negative (e.g. a gap).

    Missing values (None or NaN): both results None when either value is
    missing.  ``percent`` is None when ``previous`` is 0 (undefined), while
    ``absolute`` is still given.  This is descriptive arithmetic: it says
    nothing about statistical significance (use :func:`compare` with
    confidence intervals for that).
    """
    p = _optional_real("previous", previous)
    c = _optional_real("current", current)
    if p is None or c is None:
        return Change(None, None)
    absolute = c - p
    percent = None if p == 0 else 100 * absolute / abs(p)
    return Change(absolute, percent)


def ordinal(n: int) -> str:
    """English ordinal of a positive whole number: 1st, 2nd, 3rd, 4th, 11th, 22nd..."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"ordinal needs a whole number of 1 or more, got {n!r}")
    if n % 100 in (11, 12, 13):
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _group_values(group: Mapping[str, float | None]) -> dict[str, float]:
    if not isinstance(group, Mapping):
        raise TypeError(f"group must be a mapping of name -> value, got {type(group).__name__}")
    values = {}
    for name, value in group.items():
        v = _optional_real(f"group value for {name!r}", value)
        if v is not None:
            values[str(name)] = v
    if not values:
        raise ValueError("group must hold at least one member with a value, got none")
    return values


def rank_in_group(
    area_value: float, group: Mapping[str, float | None], lowest_first: bool = True
) -> Rank:
    """An area's rank within its comparison group, with words for a sentence.

    ``group`` maps each member's name to its value and must include the area
    itself; members whose value is missing (None/NaN) are left out of the
    ranking and of the size.  ``area_value`` must equal one of the members'
    values (compared with math.isclose, rel_tol 1e-12).

    Method: standard competition ranking ("1224").  With ``lowest_first``,
    rank = 1 + the number of members with a strictly lower value; otherwise
    1 + the number with a strictly higher value.  Tied members share the best
    rank of their group and the words say "joint": with values 3, 5, 5, 7 a
    value of 5 is "joint 2nd lowest of 4" and 7 is "4th lowest of 4".
    Rank 1 is worded without a number: "lowest of 12", "joint highest of 12".

    No judgement of better/worse is made: whether lowest is good depends on
    the indicator's polarity.
    """
    v = _real("area_value", area_value)
    values = _group_values(group)
    if not any(math.isclose(v, x, rel_tol=1e-12, abs_tol=0.0) for x in values.values()):
        raise ValueError(
            f"area_value must be one of the group's values (the group includes the area), "
            f"got {area_value!r}, not among {sorted(values.values())!r}"
        )
    tied = sum(1 for x in values.values() if math.isclose(v, x, rel_tol=1e-12, abs_tol=0.0))
    if lowest_first:
        ahead = sum(1 for x in values.values() if x < v and not math.isclose(v, x, rel_tol=1e-12))
    else:
        ahead = sum(1 for x in values.values() if x > v and not math.isclose(v, x, rel_tol=1e-12))
    rank = ahead + 1
    size = len(values)
    end = "lowest" if lowest_first else "highest"
    place = end if rank == 1 else f"{ordinal(rank)} {end}"
    words = f"{'joint ' if tied > 1 else ''}{place} of {size}"
    return Rank(rank, size, tied, bool(lowest_first), words)


def group_range(group: Mapping[str, float | None]) -> GroupRange:
    """Lowest and highest values in a group and who holds them.

    Members with a missing value (None/NaN) are ignored.  Ties: every member
    holding the lowest (highest) value is listed, alphabetically.  A group
    with a single member has that member as both lowest and highest.
    """
    values = _group_values(group)
    low = min(values.values())
    high = max(values.values())
    return GroupRange(
        lowest=low,
        lowest_names=tuple(sorted(n for n, x in values.items() if x == low)),
        highest=high,
        highest_names=tuple(sorted(n for n, x in values.items() if x == high)),
        size=len(values),
    )


def target_status(value: float | None, target: float | None, polarity: str) -> TargetStatus:
    """Whether an indicator value meets its target, and by how much.

    For "higher-is-better" the target is met when value >= target and
    margin = value - target; for "lower-is-better" it is met when
    value <= target and margin = target - value.  So a positive margin is
    always the amount by which the target is beaten and a negative margin the
    shortfall; exactly on target is "met" with margin 0.

    "no-judgement" indicators have no direction in which to meet a target and
    raise ValueError.  A missing value or target (None/NaN) gives
    status "not assessed" with met and margin None.  This is a comparison of
    point values; it does not test statistical significance.
    """
    _polarity(polarity, (HIGHER_IS_BETTER, LOWER_IS_BETTER))
    v = _optional_real("value", value)
    t = _optional_real("target", target)
    if v is None or t is None:
        return TargetStatus("not assessed", None, None)
    margin = v - t if polarity == HIGHER_IS_BETTER else t - v
    met = margin >= 0
    return TargetStatus("met" if met else "not met", met, margin)
