"""Funnel plot control limits (jsna/compute/funnel.py) against values worked by hand from the
formulas (tests/data/funnel_limits.csv says how, and from which source), and each area's band."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jsna.compute import funnel, stats

CASES = Path(__file__).parent / "data" / "funnel_limits.csv"


def _cases() -> list[dict]:
    with CASES.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c['measure']}-{c['size']}-{c['confidence']}-{c['side']}")
def test_limits_match_the_worked_values(case):
    mean, size, confidence = float(case["average"]), float(case["size"]), float(case["confidence"])
    expected = float(case["limit"])
    if case["measure"] == "percentage":
        got = funnel.proportion_limit(mean, size, confidence, case["side"])
    else:
        population, got = funnel.rate_limit_point(mean, size, confidence, case["side"], 10000)
        assert population == pytest.approx(float(case["population"]), rel=1e-5)
    assert got == pytest.approx(expected, rel=1e-5, abs=2e-6)


def _area(name: str, numerator: float, denominator: float) -> funnel.FunnelArea:
    return funnel.FunnelArea(name, f"E0{name}", numerator, denominator)


def test_a_proportion_is_banded_by_the_limits_at_its_own_denominator():
    # Around an average of 20%: limits at n = 100 are 12.16 and 27.84 (95%), 7.64 and 32.36
    # (99.8%), from the worked values above.
    areas = (_area("a", 20, 100), _area("b", 30, 100), _area("c", 35, 100), _area("d", 10, 100),
             _area("e", 5, 100), _area("f", 2000 - 100, 9500))
    made = funnel.funnel(areas, "percentage", 100)
    assert made.average == pytest.approx(100 * (20 + 30 + 35 + 10 + 5 + 1900) / (500 + 9500))
    assert made.bands[1:5] == ("above 95%", "above 99.8%", "below 95%", "below 99.8%")


def test_a_rate_is_banded_by_its_exact_poisson_interval():
    # An average of 346 per 10,000: an area of 1,000 children expects 34.6; 10 is far below,
    # 60 far above (its exact 99.8% lower limit, 40.6, is above 34.6), 35 within.
    rest = _area("z", 34600 - 105, 1_000_000 - 3000)
    made = funnel.funnel((_area("a", 10, 1000), _area("b", 60, 1000), _area("c", 35, 1000), rest), "rate", 10000)
    assert made.average == pytest.approx(346.0)
    assert made.bands[:3] == ("below 99.8%", "above 99.8%", "within 95%")
    assert made.values[0] == pytest.approx(100.0)


def test_the_lines_are_the_limits_at_each_point():
    areas = (_area("a", 20, 100), _area("b", 300, 1000), _area("c", 100, 400))
    made = funnel.funnel(areas, "percentage", 100)
    mean = (20 + 300 + 100) / 1500
    assert [(line.confidence, line.side) for line in made.lines] == [
        (0.95, "lower"), (0.95, "upper"), (0.998, "lower"), (0.998, "upper")]
    for line in made.lines:
        assert len(line.points) == funnel.GRID_POINTS
        for n, value in line.points[::17]:
            assert value == pytest.approx(funnel.proportion_limit(mean, n, line.confidence, line.side))
    # The denominators run from 0 (the largest is more than twice the smallest; the grid starts
    # at 1) to 105% of the largest rounded up to two figures: 1,050 -> 1,100.
    assert made.lines[0].points[0][0] == 1 and made.lines[0].points[-1][0] == 1100


def test_a_rate_line_is_drawn_from_event_counts():
    areas = (_area("a", 30, 1000), _area("b", 300, 10000))
    made = funnel.funnel(areas, "rate", 10000)
    lower95 = made.lines[0]
    for population, rate in lower95.points:
        assert rate < made.average
    assert [p for p, _ in lower95.points] == sorted(p for p, _ in lower95.points)


@pytest.mark.parametrize("count", [1, 5, 37, 400, 9000])
@pytest.mark.parametrize("confidence", funnel.LEVELS)
def test_the_one_evaluation_test_agrees_with_the_exact_limits(count, confidence):
    # A count is above the limits of a mean exactly when its lower exact limit is above it;
    # stats.poisson_tails tells that without finding the limit.
    limits = stats.exact_poisson_interval(count, confidence)
    tail = (1 - confidence) / 2
    for factor, inside in ((0.999, False), (1.001, True)):
        assert (stats.poisson_tails(count, limits.lower * factor)[1] < tail) is not inside
        assert (stats.poisson_tails(count, limits.upper / factor)[0] < tail) is not inside
