"""Tests for jsna.compute.stats: public health indicator statistics.

Reference values (tests/data/stats_reference.csv) come from the methods' own
published outputs; each row names its source.  Other expectations are hand
calculations from the published formulas, closed forms, or independent
computations (direct Poisson sums) that do not reuse the module's code.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from jsna.compute import stats
from jsna.compute.stats import (
    BYARS_MIN_COUNT,
    TREND_CHI_SQUARED_CRITICAL,
    Interval,
    TrendPoint,
    byars_interval,
    change,
    chi_squared_for_trend,
    compare,
    crude_rate_interval,
    exact_poisson_interval,
    group_range,
    ordinal,
    rank_in_group,
    recent_trend,
    recent_trend_detail,
    target_status,
    wilson_interval,
)

REFERENCE = Path(__file__).parent / "data" / "stats_reference.csv"

# z for 95% and 99.8%, to 16 significant figures (qnorm(0.975), qnorm(0.999)).
Z95 = 1.959963984540054
Z998 = 3.090232306167814


def _reference_rows():
    with REFERENCE.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows, "reference file is empty"
    return rows


def _row_id(row):
    return f"{row['function']}-{row['numerator']}/{row['denominator']}-{row['confidence']}-{row['quantity']}"


# --------------------------------------------------------------------------
# Published reference values
# --------------------------------------------------------------------------


@pytest.mark.parametrize("row", _reference_rows(), ids=_row_id)
def test_reference_values(row):
    assert row["source"].strip(), "every reference value must name its source"
    fn = row["function"]
    expected = float(row["expected"])
    abs_tol = float(row["abs_tol"]) * (1 + 1e-6) if row["abs_tol"] else 0.0
    rel_tol = float(row["rel_tol"]) if row["rel_tol"] else 0.0
    assert abs_tol or rel_tol, "each row needs a tolerance"

    if fn == "chi_squared_for_trend":
        numerators = [float(v) for v in row["numerator"].split(";")]
        denominators = [float(v) for v in row["denominator"].split(";")]
        chi2 = chi_squared_for_trend(numerators, denominators)
        if row["quantity"] == "chi_squared":
            got = chi2
        else:  # p-value of chi-squared on 1 df: 2 * (1 - Phi(sqrt(X2)))
            got = math.erfc(math.sqrt(chi2 / 2))
    else:
        x, n, per, conf = (float(row[k]) for k in ("numerator", "denominator", "per", "confidence"))
        if fn == "wilson_interval":
            interval = wilson_interval(x, n, conf)
        elif fn == "crude_rate_interval":
            interval = crude_rate_interval(x, n, per=per, confidence=conf)
        elif fn == "exact_poisson_interval":
            interval = exact_poisson_interval(x, conf).scaled(per / n)
        else:  # pragma: no cover - a typo in the data file should fail loudly
            raise AssertionError(f"unknown function {fn!r} in reference file")
        assert interval.method == row["method"]
        assert interval.confidence == conf
        got = getattr(interval, row["quantity"])

    assert math.isclose(got, expected, rel_tol=rel_tol, abs_tol=abs_tol), (got, expected, row["source"])


def test_reference_file_covers_every_method():
    functions = {r["function"] for r in _reference_rows()}
    assert functions == {
        "wilson_interval",
        "crude_rate_interval",
        "exact_poisson_interval",
        "chi_squared_for_trend",
    }
    methods = {r["method"] for r in _reference_rows() if r["method"]}
    assert methods == {"Wilson", "Byar's", "exact Poisson"}
    assert {r["confidence"] for r in _reference_rows() if r["confidence"]} >= {"0.95", "0.998"}


# --------------------------------------------------------------------------
# Wilson score interval
# --------------------------------------------------------------------------


def test_wilson_hand_calculation_small_count():
    # O = 1, n = 10: (2 + z^2 -/+ z*sqrt(z^2 + 4*1*0.9)) / (2*(10 + z^2))
    z2 = Z95**2
    root = Z95 * math.sqrt(z2 + 3.6)
    got = wilson_interval(1, 10)
    assert got.lower == pytest.approx((2 + z2 - root) / (2 * (10 + z2)), rel=1e-12)
    assert got.upper == pytest.approx((2 + z2 + root) / (2 * (10 + z2)), rel=1e-12)
    assert got.lower == pytest.approx(0.017876, abs=5e-7)  # the same, worked to 6 decimals
    assert got.upper == pytest.approx(0.404150, abs=5e-7)


def test_wilson_no_events():
    got = wilson_interval(0, 20)
    assert got.lower == 0.0
    assert got.upper == pytest.approx(Z95**2 / (20 + Z95**2), rel=1e-12)  # 0.1611


def test_wilson_numerator_equals_denominator():
    got = wilson_interval(20, 20)
    assert got.upper == 1.0
    assert got.lower == pytest.approx(20 / (20 + Z95**2), rel=1e-12)  # 0.8389


def test_wilson_998_wider_than_95_and_within_unit_interval():
    for x, n in [(0, 5), (1, 5), (3, 7), (5, 5), (445, 1000)]:
        a = wilson_interval(x, n, 0.95)
        b = wilson_interval(x, n, 0.998)
        assert 0 <= b.lower <= a.lower <= x / n <= a.upper <= b.upper <= 1


def test_wilson_percentage_via_scaled():
    got = wilson_interval(27, 106).scaled(100)
    assert got.lower == pytest.approx(18.13642, abs=5e-6)  # phe_proportion(..., multiplier = 100)
    assert got.upper == pytest.approx(34.52262, abs=5e-6)


def test_wilson_accepts_non_integer_counts():
    # PHEindicatormethods' own tests use 0.445 out of 1
    got = wilson_interval(0.445, 1)
    assert 0 < got.lower < 0.445 < got.upper < 1


# --------------------------------------------------------------------------
# Exact Poisson and Byar's limits
# --------------------------------------------------------------------------


def _poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) by direct summation: independent of the module's incomplete gamma."""
    term = math.exp(-mu)
    total = term
    for i in range(1, k + 1):
        term *= mu / i
        total += term
    return total


@pytest.mark.parametrize("confidence", [0.95, 0.998])
@pytest.mark.parametrize("count", range(1, 10))
def test_exact_limits_solve_the_poisson_tail_equations(count, confidence):
    tail = (1 - confidence) / 2
    got = exact_poisson_interval(count, confidence)
    # lower: P(X >= O | lower) = tail; upper: P(X <= O | upper) = tail
    assert 1 - _poisson_cdf(count - 1, got.lower) == pytest.approx(tail, rel=1e-9)
    assert _poisson_cdf(count, got.upper) == pytest.approx(tail, rel=1e-9)
    assert got.method == "exact Poisson"


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.998, 0.99999])
def test_exact_limits_closed_forms(confidence):
    tail = (1 - confidence) / 2
    zero = exact_poisson_interval(0, confidence)
    assert zero.lower == 0.0
    assert zero.upper == pytest.approx(-math.log(tail), rel=1e-14)
    one = exact_poisson_interval(1, confidence)
    assert one.lower == pytest.approx(-math.log(1 - tail), rel=1e-12)  # e^-L = 1 - tail
    assert math.exp(-one.upper) * (1 + one.upper) == pytest.approx(tail, rel=1e-11)


def test_exact_limits_for_a_large_count_agree_with_byars():
    got = exact_poisson_interval(5000)
    approx = byars_interval(5000)
    assert got.lower == pytest.approx(approx.lower, rel=1e-5)
    assert got.upper == pytest.approx(approx.upper, rel=1e-5)


def test_byars_hand_calculation_at_ten():
    got = byars_interval(10)
    assert got.lower == pytest.approx(10 * (1 - 1 / 90 - Z95 / (3 * math.sqrt(10))) ** 3, rel=1e-13)
    assert got.upper == pytest.approx(11 * (1 - 1 / 99 + Z95 / (3 * math.sqrt(11))) ** 3, rel=1e-13)
    got = byars_interval(10, 0.998)
    assert got.lower == pytest.approx(10 * (1 - 1 / 90 - Z998 / (3 * math.sqrt(10))) ** 3, rel=1e-13)


@pytest.mark.parametrize("count", [10, 11, 15, 25, 60, 150, 400])
def test_byars_within_point_two_percent_of_exact_from_ten(count):
    # OHID Technical Guide - Confidence Intervals: "For 95% confidence intervals,
    # Byar's method is within 0.2% of the exact value for numerators of 10 or more."
    b = byars_interval(count)
    e = exact_poisson_interval(count)
    assert abs(b.lower / e.lower - 1) < 0.002
    assert abs(b.upper / e.upper - 1) < 0.002


def test_byars_lower_limit_never_negative_for_tiny_counts():
    assert byars_interval(0).lower == 0.0
    assert byars_interval(1, 0.998).lower == 0.0  # formula gives a negative number here
    assert byars_interval(1, 0.998).upper > 1


# --------------------------------------------------------------------------
# Crude rates: method switch at 10 events
# --------------------------------------------------------------------------


def test_threshold_is_ten():
    assert BYARS_MIN_COUNT == 10


def test_nine_events_use_exact_limits():
    got = crude_rate_interval(9, 2000, per=100000)
    exact = exact_poisson_interval(9)
    assert got.method == "exact Poisson"
    assert got.lower == pytest.approx(exact.lower / 2000 * 100000, rel=1e-14)
    assert got.upper == pytest.approx(exact.upper / 2000 * 100000, rel=1e-14)
    # Garwood's exact 95% limits for 9 events: 4.115 to 17.08
    assert got.lower / 50 == pytest.approx(4.1153, abs=5e-4)
    assert got.upper / 50 == pytest.approx(17.0848, abs=5e-4)


def test_ten_events_use_byars():
    got = crude_rate_interval(10, 2000, per=100000)
    assert got.method == "Byar's"
    lower = 10 * (1 - 1 / 90 - Z95 / (3 * math.sqrt(10))) ** 3
    upper = 11 * (1 - 1 / 99 + Z95 / (3 * math.sqrt(11))) ** 3
    assert got.lower == pytest.approx(lower * 50, rel=1e-13)
    assert got.upper == pytest.approx(upper * 50, rel=1e-13)


def test_non_integer_count_just_below_ten_is_exact():
    assert crude_rate_interval(9.5, 100).method == "exact Poisson"


@pytest.mark.parametrize("confidence, upper_count", [(0.95, 3.688879), (0.998, 6.907755)])
def test_zero_events_rate(confidence, upper_count):
    got = crude_rate_interval(0, 5000, per=100000, confidence=confidence)
    assert got.method == "exact Poisson"
    assert got.lower == 0.0
    assert got.upper == pytest.approx(upper_count / 5000 * 100000, abs=1e-4)


@pytest.mark.parametrize("count", [1, 3, 9])
def test_small_count_rates_contain_the_rate(count):
    got = crude_rate_interval(count, 1000, per=1000)
    assert got.lower < count < got.upper


def test_per_scales_linearly():
    a = crude_rate_interval(37, 159, per=1)
    b = crude_rate_interval(37, 159, per=1000)
    assert b.lower == pytest.approx(a.lower * 1000, rel=1e-14)
    assert b.upper == pytest.approx(a.upper * 1000, rel=1e-14)


# --------------------------------------------------------------------------
# Comparison with a benchmark
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "interval, comparator, polarity, expected",
    [
        ((10.0, 12.0), 9.0, "higher-is-better", "better"),
        ((10.0, 12.0), 9.0, "lower-is-better", "worse"),
        ((10.0, 12.0), 9.0, "no-judgement", "higher"),
        ((10.0, 12.0), 13.0, "higher-is-better", "worse"),
        ((10.0, 12.0), 13.0, "lower-is-better", "better"),
        ((10.0, 12.0), 13.0, "no-judgement", "lower"),
        ((10.0, 12.0), 11.0, "higher-is-better", "similar"),
        ((10.0, 12.0), 11.0, "no-judgement", "similar"),
        ((10.0, 12.0), 10.0, "higher-is-better", "similar"),  # on the limit: not excluded
        ((10.0, 12.0), 12.0, "lower-is-better", "similar"),
    ],
)
def test_compare(interval, comparator, polarity, expected):
    assert compare(11.0, interval, comparator, polarity) == expected
    as_interval = Interval(interval[0], interval[1], 0.95, "Wilson")
    assert compare(11.0, as_interval, comparator, polarity) == expected


def test_compare_uses_the_interval_given_95_versus_998():
    # 27/106 against 0.17: outside the 95% interval, inside the 99.8% one
    assert compare(27 / 106, wilson_interval(27, 106, 0.95), 0.17, "higher-is-better") == "better"
    assert compare(27 / 106, wilson_interval(27, 106, 0.998), 0.17, "higher-is-better") == "similar"


@pytest.mark.parametrize(
    "value, interval, comparator",
    [
        (11.0, (10.0, 12.0), None),
        (11.0, (10.0, 12.0), float("nan")),
        (11.0, None, 9.0),
        (11.0, (None, 12.0), 9.0),
        (11.0, (10.0, None), 13.0),
        (None, (10.0, 12.0), 9.0),
    ],
)
def test_compare_not_compared_when_something_is_missing(value, interval, comparator):
    assert compare(value, interval, comparator, "lower-is-better") == "not compared"


# --------------------------------------------------------------------------
# Recent trend
# --------------------------------------------------------------------------


def _series(values, se=1.0, start=2015):
    """Points with value +/- 1.96*se (so the implied standard error is se)."""
    return [
        TrendPoint(start + i, value=v, lower=v - Z95 * se, upper=v + Z95 * se)
        for i, v in enumerate(values)
    ]


def test_trend_hand_calculation_equal_weights():
    # values 10, 12, 14, 16, 18 with SE 1: slope 2, sum (t - tbar)^2 = 10,
    # var(slope) = 1/10, X2 = 2^2 / 0.1 = 40
    got = recent_trend_detail(_series([10, 12, 14, 16, 18]), "other")
    assert got.marker == "increasing"
    assert got.slope == pytest.approx(2.0, rel=1e-12)
    assert got.chi_squared == pytest.approx(40.0, rel=1e-9)
    assert got.periods == (2015, 2016, 2017, 2018, 2019)
    assert recent_trend(_series([18, 16, 14, 12, 10]), "rate") == "decreasing"


def test_trend_judged_at_998_not_95():
    # slope b with SE 1 gives X2 = 10 b^2; the 99.8% critical value is 9.5495.
    assert TREND_CHI_SQUARED_CRITICAL == pytest.approx(9.54953570608324, abs=1e-12)
    below = [0.977 * i for i in range(5)]  # X2 = 9.545, significant at 95% but not 99.8%
    above = [0.978 * i for i in range(5)]  # X2 = 9.565
    low = recent_trend_detail(_series(below), "other")
    assert low.chi_squared == pytest.approx(9.54529, abs=1e-5)
    assert low.marker == "no significant change"
    assert recent_trend(_series(above), "other") == "increasing"


def test_trend_weighting_uses_interval_width():
    # The same values; a tight interval on a contrary point changes the slope's sign.
    values = [10, 11, 12, 13, 5]
    wide_last = _series(values[:4], se=0.2) + _series([5], se=100, start=2019)
    assert recent_trend_detail(wide_last, "other").slope > 0
    tight_last = _series(values[:4], se=5) + _series([5], se=0.01, start=2019)
    assert recent_trend_detail(tight_last, "other").slope < 0


def test_trend_fails_when_leaving_out_the_last_point_reverses_it():
    # Overall slope 3.9 (X2 = 608) is driven by the last point; without it the slope is -0.5.
    got = recent_trend_detail(_series([10, 9.5, 9, 8.5, 30], se=0.5), "other")
    assert got.chi_squared > 600
    assert got.marker == "no significant change"
    assert "outlier" in got.reason and "2019" in got.reason


def test_proportion_trend_fails_when_leaving_out_the_first_point_reverses_it():
    points = [
        TrendPoint(2015 + i, numerator=c, denominator=1000)
        for i, c in enumerate([300, 90, 95, 100, 105])
    ]
    got = recent_trend_detail(points, "percentage")
    assert got.chi_squared > TREND_CHI_SQUARED_CRITICAL
    assert got.slope < 0
    assert got.marker == "no significant change"
    assert "2015" in got.reason


def test_proportion_trend_increasing_and_statistic():
    numerators = [100, 120, 140, 160, 180]
    points = [TrendPoint(2015 + i, numerator=c, denominator=1000) for i, c in enumerate(numerators)]
    got = recent_trend_detail(points, "proportion")
    assert got.marker == "increasing"
    # the chi-squared does not depend on where the time scale starts
    assert got.chi_squared == pytest.approx(chi_squared_for_trend(numerators, [1000] * 5), rel=1e-9)
    # hand calculation: N=5000, C=700, sum(c t)=2300, sum(d t)=15000, sum(d t^2)=55000 (t = 1..5)
    # X2 = 5000 * (1e6)^2 / (700 * 4300 * 5e7) = 5e15 / 1.505e14 = 33.2226
    assert got.chi_squared == pytest.approx(5e15 / 1.505e14, rel=1e-12)


def test_proportion_trend_direction_uses_logits():
    # Fingertips and PHEindicatormethods take the direction (and the leave-one-out
    # check) from the OLS slope of logit(p) on t.  For this series every
    # leave-one-out logit slope is positive, whereas a slope of the raw
    # proportions would turn negative when 2018 (0.95) is left out.
    counts = [5, 800, 5, 950, 400]
    points = [TrendPoint(2015 + i, numerator=c, denominator=1000) for i, c in enumerate(counts)]
    got = recent_trend_detail(points, "proportion")
    logits = [math.log(c / (1000 - c)) for c in counts]
    # hand OLS with t = -2..2 (sum t^2 = 10)
    assert got.slope == pytest.approx(sum(t * y for t, y in zip(range(-2, 3), logits)) / 10, rel=1e-12)
    assert got.marker == "increasing"


def test_proportion_trend_not_significant():
    points = [
        TrendPoint(2015 + i, numerator=c, denominator=1000)
        for i, c in enumerate([100, 101, 99, 100, 102])
    ]
    assert recent_trend(points, "proportion") == "no significant change"


def test_proportion_trend_on_pheindicatormethods_example_data():
    # Example series from PHEindicatormethods' assign_trend_markers documentation;
    # the statistic checked against the Fingertips formula in uncentred sums
    # (TrendMarkerCalculator.IsSignificantForProportions), t = 1..5.
    counts = [1367, 1332, 1199, 1023, 994]
    denoms = [44701, 44064, 42811, 41527, 40299]
    points = [TrendPoint(i + 1, numerator=c, denominator=d) for i, (c, d) in enumerate(zip(counts, denoms))]
    got = recent_trend_detail(points, "proportion")
    n, c = sum(denoms), sum(counts)
    sct = sum(ci * t for t, ci in enumerate(counts, 1))
    sdt = sum(di * t for t, di in enumerate(denoms, 1))
    sdt2 = sum(di * t * t for t, di in enumerate(denoms, 1))
    hand = n * (n * sct - c * sdt) ** 2 / (c * (n - c) * (n * sdt2 - sdt**2))
    assert got.chi_squared == pytest.approx(hand, rel=1e-10)
    assert got.marker == "decreasing"


def test_other_trend_on_pheindicatormethods_example_data():
    # Same documentation example, value_type "other" with its 95% limits.
    values = [30.6, 30.2, 28, 24.6, 24.67]
    lower = [28.98, 28.63, 26.44, 23.15, 23.16]
    upper = [32.25, 31.9, 29.64, 26.19, 26.25]
    points = [TrendPoint(i + 1, value=v, lower=lo, upper=up) for i, (v, lo, up) in enumerate(zip(values, lower, upper))]
    got = recent_trend_detail(points, "other")
    # Fingertips TrendMarkerCalculator sums: Val1 = 1/s^2, Val2 = x t/s^2, Val3 = t/s^2,
    # Val4 = x/s^2, Val5 = t^2/s^2 with s = (U - L)/3.92
    w = [1 / ((up - lo) / 3.92) ** 2 for lo, up in zip(lower, upper)]
    s1 = sum(w)
    s2 = sum(wi * x * t for t, (wi, x) in enumerate(zip(w, values), 1))
    s3 = sum(wi * t for t, wi in enumerate(w, 1))
    s4 = sum(wi * x for wi, x in zip(w, values))
    s5 = sum(wi * t * t for t, wi in enumerate(w, 1))
    slope = (s1 * s2 - s3 * s4) / (s1 * s5 - s3**2)
    chi2 = slope**2 / (s1 / (s1 * s5 - s3**2))
    # 3.92 versus 2 * 1.959964: a 2e-5 relative difference in the weights
    assert got.slope == pytest.approx(slope, rel=1e-9)
    assert got.chi_squared == pytest.approx(chi2, rel=1e-4)
    assert got.marker == "decreasing"


def test_trend_cannot_be_calculated_with_fewer_than_five_points():
    got = recent_trend_detail(_series([10, 12, 14, 16]), "other")
    assert got.marker == "cannot be calculated"
    assert got.chi_squared is None
    assert recent_trend([], "proportion") == "cannot be calculated"


def test_trend_missing_periods_leave_fewer_than_five():
    points = _series([10, 12, 14, 16]) + [TrendPoint(2019)]  # 2019 has no data
    assert recent_trend(points, "other") == "cannot be calculated"
    props = [TrendPoint(2015 + i, numerator=10 * i + 10, denominator=100) for i in range(4)]
    props.append(TrendPoint(2019, numerator=None, denominator=100))
    props.append(TrendPoint(2020, numerator=float("nan"), denominator=100))
    assert recent_trend(props, "proportion") == "cannot be calculated"


def test_trend_skips_a_missing_period_and_honours_the_gap():
    # 2018 missing: the five points with data are 2016, 2017, 2019, 2020, 2021.
    # Values rise by exactly 2 a year, so the slope is 2 per year only if the gap is kept.
    points = [
        TrendPoint(2015, value=100, lower=99, upper=101),  # sixth most recent: not used
        TrendPoint(2016, value=10, lower=9, upper=11),
        TrendPoint(2017, value=12, lower=11, upper=13),
        TrendPoint(2018),
        TrendPoint(2019, value=16, lower=15, upper=17),
        TrendPoint(2020, value=18, lower=17, upper=19),
        TrendPoint(2021, value=20, lower=19, upper=21),
    ]
    got = recent_trend_detail(list(reversed(points)), "other")  # input order does not matter
    assert got.periods == (2016, 2017, 2019, 2020, 2021)
    assert got.slope == pytest.approx(2.0, rel=1e-12)
    assert got.marker == "increasing"


def test_trend_uses_only_the_five_most_recent_points():
    early_outlier = [TrendPoint(2014, numerator=900, denominator=1000)]
    rising = [TrendPoint(2015 + i, numerator=c, denominator=1000) for i, c in enumerate([100, 120, 140, 160, 180])]
    assert recent_trend(early_outlier + rising, "proportion") == "increasing"


def test_rate_trend_from_numerators_matches_explicit_limits():
    counts = [40, 52, 61, 75, 90]
    pops = [100000, 101000, 102000, 103000, 104000]
    derived = [TrendPoint(2015 + i, numerator=c, denominator=n) for i, (c, n) in enumerate(zip(counts, pops))]
    explicit = []
    for i, (c, n) in enumerate(zip(counts, pops)):
        ci = crude_rate_interval(c, n, per=100000)
        explicit.append(TrendPoint(2015 + i, value=c / n * 100000, lower=ci.lower, upper=ci.upper))
    a = recent_trend_detail(derived, "rate")
    b = recent_trend_detail(explicit, "rate")
    assert a.marker == b.marker == "increasing"
    assert a.chi_squared == pytest.approx(b.chi_squared, rel=1e-9)  # the scale of the rate cancels


def test_count_trend_with_small_counts_uses_exact_limits():
    # 0, 1, 2, 3, 4 events: exact limits are used, zero events included
    points = [TrendPoint(2015 + i, numerator=c) for i, c in enumerate([0, 1, 2, 3, 4])]
    got = recent_trend_detail(points, "count")
    assert got.marker == "no significant change"
    assert 0 < got.chi_squared < TREND_CHI_SQUARED_CRITICAL
    points = [TrendPoint(2015 + i, numerator=c) for i, c in enumerate([5, 20, 45, 80, 130])]
    assert recent_trend(points, "count") == "increasing"


def test_proportion_trend_with_a_zero_numerator():
    # logit(0) is undefined: the direction falls back to the trend statistic's sign
    points = [TrendPoint(2015 + i, numerator=c, denominator=500) for i, c in enumerate([0, 20, 40, 60, 80])]
    got = recent_trend_detail(points, "proportion")
    assert got.marker == "increasing"
    assert got.slope > 0


def test_proportion_trend_with_no_events_at_all():
    points = [TrendPoint(2015 + i, numerator=0, denominator=500) for i in range(5)]
    got = recent_trend_detail(points, "proportion")
    assert got.marker == "no significant change"
    assert got.chi_squared is None


# --------------------------------------------------------------------------
# Change, rank, range, target
# --------------------------------------------------------------------------


def test_change():
    got = change(8197, 7541)
    assert got.absolute == -656
    assert got.percent == pytest.approx(-8.0029, abs=1e-4)  # the "8% decrease" of docs/format.md
    assert change(-4.0, -2.0).percent == pytest.approx(50.0)  # direction kept for negative values
    assert change(0, 5) == stats.Change(5.0, None)
    assert change(None, 5) == stats.Change(None, None)
    assert change(5, float("nan")) == stats.Change(None, None)


def test_rank_ties_and_words():
    group = {"A": 3.0, "B": 5.0, "C": 5.0, "D": 7.0, "E": None}
    low = rank_in_group(5.0, group)
    assert (low.rank, low.size, low.tied) == (2, 4, 2)
    assert low.words == "joint 2nd lowest of 4"
    assert rank_in_group(3.0, group).words == "lowest of 4"
    assert rank_in_group(7.0, group).words == "4th lowest of 4"
    high = rank_in_group(5.0, group, lowest_first=False)
    assert (high.rank, high.words) == (2, "joint 2nd highest of 4")
    assert rank_in_group(7.0, group, lowest_first=False).words == "highest of 4"


def test_rank_twelve_neighbours():
    group = {f"Area {i}": float(v) for i, v in enumerate([9, 4, 11, 2, 8, 7, 6, 5, 10, 12, 3, 1])}
    assert rank_in_group(2.0, group).words == "2nd lowest of 12"
    assert rank_in_group(2.0, group, lowest_first=False).words == "11th highest of 12"


def test_rank_all_tied():
    assert rank_in_group(1.0, {"A": 1.0, "B": 1.0}).words == "joint lowest of 2"


@pytest.mark.parametrize(
    "n, words", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                 (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th")]
)
def test_ordinal(n, words):
    assert ordinal(n) == words


def test_group_range_with_ties_and_missing():
    got = group_range({"B": 1.0, "A": 1.0, "C": 9.0, "D": None, "E": float("nan")})
    assert (got.lowest, got.lowest_names) == (1.0, ("A", "B"))
    assert (got.highest, got.highest_names) == (9.0, ("C",))
    assert got.size == 3
    single = group_range({"Only": 4.0})
    assert single.lowest_names == single.highest_names == ("Only",)


@pytest.mark.parametrize(
    "value, target, polarity, status, margin",
    [
        (80.0, 75.0, "higher-is-better", "met", 5.0),
        (70.0, 75.0, "higher-is-better", "not met", -5.0),
        (75.0, 75.0, "higher-is-better", "met", 0.0),
        (280.0, 300.0, "lower-is-better", "met", 20.0),
        (320.0, 300.0, "lower-is-better", "not met", -20.0),
    ],
)
def test_target_status(value, target, polarity, status, margin):
    got = target_status(value, target, polarity)
    assert got.status == status
    assert got.met is (status == "met")
    assert got.margin == pytest.approx(margin)


def test_target_status_missing():
    assert target_status(None, 300, "lower-is-better") == stats.TargetStatus("not assessed", None, None)
    assert target_status(250, None, "lower-is-better").status == "not assessed"


def test_interval_helpers():
    iv = Interval(0.2, 0.3, 0.95, "Wilson")
    assert iv.scaled(100) == Interval(20.0, 30.0, 0.95, "Wilson")
    assert iv.excludes(0.1) and iv.excludes(0.31)
    assert not iv.excludes(0.2) and not iv.excludes(0.25)
    with pytest.raises(AttributeError):
        iv.lower = 0.0  # frozen


# --------------------------------------------------------------------------
# Bad arguments: one case per error message
# --------------------------------------------------------------------------

_P = TrendPoint


@pytest.mark.parametrize(
    "call, exc, message",
    [
        (lambda: wilson_interval("7", 10), TypeError, r"numerator must be a number, got '7' \(str\)"),
        (lambda: wilson_interval(True, 10), TypeError, r"numerator must be a number, got True \(bool\)"),
        (lambda: wilson_interval(float("nan"), 10), ValueError, r"numerator must be a finite number, got nan"),
        (lambda: wilson_interval(-1, 10), ValueError, r"numerator must be zero or more, got -1"),
        (lambda: wilson_interval(0, 0), ValueError, r"denominator must be greater than zero, got 0"),
        (lambda: wilson_interval(11, 10), ValueError,
         r"numerator must not exceed denominator for a proportion, got numerator 11 > denominator 10"),
        (lambda: wilson_interval(1, 10, 95), ValueError,
         r"confidence must be a proportion strictly between 0 and 1 \(e\.g\. 0\.95 or 0\.998\), got 95"),
        (lambda: wilson_interval(1, 10, 1.0), ValueError, r"strictly between 0 and 1 .*got 1\.0"),
        (lambda: byars_interval(-3), ValueError, r"count must be zero or more, got -3"),
        (lambda: exact_poisson_interval(float("inf")), ValueError, r"count must be a finite number, got inf"),
        (lambda: exact_poisson_interval(2, 0), ValueError, r"confidence must be a proportion .* got 0"),
        (lambda: crude_rate_interval(-1, 100), ValueError, r"count must be zero or more, got -1"),
        (lambda: crude_rate_interval(5, -100), ValueError, r"denominator must be greater than zero, got -100"),
        (lambda: crude_rate_interval(5, 100, per=0), ValueError, r"per must be greater than zero, got 0"),
        (lambda: Interval(3.0, 2.0, 0.95, "Wilson"), ValueError,
         r"interval lower limit must not exceed its upper limit, got lower 3\.0 > upper 2\.0"),
        (lambda: Interval(0.1, 0.2, 0.95, "Wilson").scaled(-1), ValueError, r"factor must be greater than zero, got -1"),
        (lambda: compare(1.0, (3.0, 2.0), 1.0, "no-judgement"), ValueError,
         r"interval lower limit must not exceed its upper limit, got lower 3\.0 > upper 2\.0"),
        (lambda: compare(1.0, (1.0, 2.0), 1.0, "up"), ValueError,
         r"polarity must be one of 'higher-is-better', 'lower-is-better', 'no-judgement', got 'up'"),
        (lambda: compare(1.0, [1.0, 2.0], 1.0, "no-judgement"), TypeError,
         r"interval must be an Interval, a \(lower, upper\) pair or None, got \[1\.0, 2\.0\]"),
        (lambda: compare("1", (1.0, 2.0), 1.0, "no-judgement"), TypeError, r"value must be a number, got '1'"),
        (lambda: recent_trend([], "ratio"), ValueError,
         r"kind must be one of 'proportion', 'percentage', 'rate', 'count', 'other', got 'ratio'"),
        (lambda: recent_trend([], "rate", ci_confidence=95), ValueError, r"confidence must be a proportion"),
        (lambda: recent_trend("2015", "rate"), TypeError, r"points must be a sequence of TrendPoint, got str"),
        (lambda: recent_trend([(2015, 1, 2)], "rate"), TypeError, r"points\[0\] must be a TrendPoint, got \(2015, 1, 2\)"),
        (lambda: recent_trend([_P(None)], "rate"), TypeError, r"points\[0\]\.period must be a number, got None"),
        (lambda: recent_trend([_P(2015), _P(2015)], "rate"), ValueError,
         r"periods must be distinct, got period 2015 more than once"),
        (lambda: recent_trend([_P(2015, numerator=-1, denominator=10)], "proportion"), ValueError,
         r"numerator must be zero or more, got -1 for period 2015"),
        (lambda: recent_trend([_P(2015, numerator=1, denominator=0)], "proportion"), ValueError,
         r"denominator must be greater than zero, got 0 for period 2015"),
        (lambda: recent_trend([_P(2015, numerator=11, denominator=10)], "proportion"), ValueError,
         r"numerator must not exceed denominator for a proportion, got numerator 11 > denominator 10 for period 2015"),
        (lambda: recent_trend([_P(2015, value=5, lower=6, upper=7)], "other"), ValueError,
         r"limits must satisfy lower <= value <= upper, got lower 6\.0, value 5\.0, upper 7\.0 for period 2015"),
        (lambda: chi_squared_for_trend("12", [1, 2]), TypeError, r"numerators must be a sequence of numbers, got '12'"),
        (lambda: chi_squared_for_trend([1, 2], 5), TypeError, r"denominators must be a sequence of numbers, got 5"),
        (lambda: chi_squared_for_trend([1, 2], [5]), ValueError,
         r"numerators and denominators must be the same length, got 2 and 1"),
        (lambda: chi_squared_for_trend([1], [5]), ValueError, r"a trend needs at least 2 groups, got 1"),
        (lambda: chi_squared_for_trend([1, 2], [5, 5], [1]), ValueError,
         r"scores must be the same length as numerators, got 1 and 2"),
        (lambda: chi_squared_for_trend([0, 0], [5, 5]), ValueError, r"the trend statistic needs variation"),
        (lambda: chi_squared_for_trend([6, 0], [5, 5]), ValueError,
         r"numerator must not exceed denominator for a proportion, got numerators\[0\] 6 > denominators\[0\] 5"),
        (lambda: change("5", 6), TypeError, r"previous must be a number, got '5'"),
        (lambda: ordinal(0), ValueError, r"ordinal needs a whole number of 1 or more, got 0"),
        (lambda: rank_in_group(1.0, [1.0]), TypeError, r"group must be a mapping of name -> value, got list"),
        (lambda: rank_in_group(1.0, {"A": None}), ValueError, r"group must hold at least one member with a value, got none"),
        (lambda: rank_in_group(4.0, {"A": 1.0, "B": 2.0}), ValueError,
         r"area_value must be one of the group's values \(the group includes the area\), got 4\.0, not among \[1\.0, 2\.0\]"),
        (lambda: group_range({}), ValueError, r"group must hold at least one member with a value, got none"),
        (lambda: group_range({"A": "x"}), TypeError, r"group value for 'A' must be a number, got 'x'"),
        (lambda: target_status(1.0, 2.0, "no-judgement"), ValueError,
         r"polarity must be one of 'higher-is-better', 'lower-is-better', got 'no-judgement'"),
    ],
)
def test_bad_arguments(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_validation_happens_before_arithmetic():
    # A bad polarity is reported even when the comparison could not be made anyway.
    with pytest.raises(ValueError, match="polarity"):
        compare(None, None, None, "sideways")


def test_fast():
    import time

    start = time.perf_counter()
    for count in range(0, 200):
        exact_poisson_interval(count, 0.998)
        crude_rate_interval(count, 1000)
        wilson_interval(count, 200)
    assert time.perf_counter() - start < 0.5
