"""Spine chart rows (jsna/compute/spine.py): England at the centre, the scale set by the larger
distance to the lowest or highest value, type 7 percentiles, better always to the right."""

from __future__ import annotations

import pytest

from jsna.compute import spine


def test_quartiles_interpolate_between_sorted_values():
    # Type 7: the 25th percentile of 1..9 is at 1 + 8 x 0.25 = 3, of 1..8 at 1 + 7 x 0.25 = 2.75.
    assert spine.quartiles([9, 1, 5, 3, 7, 2, 4, 6, 8]) == (3, 7)
    assert spine.quartiles([8, 1, 2, 3, 4, 5, 6, 7]) == pytest.approx((2.75, 6.25))


def test_england_is_the_centre_and_the_farther_end_the_edge():
    # England 40; lowest 10 (30 below), highest 60 (20 above): half the row is 30.
    row = spine.spine([10, 20, 30, 40, 50, 60], 40, "higher-is-better", local=50)
    assert row.positions[0] == pytest.approx(0.0)  # the worst, 10, at the left edge
    assert row.positions[3] == pytest.approx(0.5 + 20 / 60)  # the best, 60, short of the right
    assert row.local_position == pytest.approx(0.5 + 10 / 60)
    assert (row.lower_quartile, row.upper_quartile) == (22.5, 47.5)


def test_lower_is_better_is_turned_round():
    row = spine.spine([10, 20, 30, 40, 50, 60], 40, "lower-is-better", local=50)
    assert (row.worst, row.best) == (60, 10)
    assert row.positions[3] == pytest.approx(1.0)  # the best, 10, at the right edge
    assert row.local_position == pytest.approx(0.5 - 10 / 60)  # worse than England: left
    assert row.positions == tuple(sorted(row.positions))


def test_no_polarity_keeps_higher_to_the_right():
    row = spine.spine([10, 20, 30, 40, 50, 60], 40, "no-judgement")
    assert (row.worst, row.best) == (10, 60)
    assert row.positions == tuple(sorted(row.positions))


def test_every_area_equal_draws_at_the_centre():
    row = spine.spine([5, 5, 5, 5], 5, "no-judgement", local=5)
    assert row.positions == (0.5, 0.5, 0.5, 0.5) and row.local_position == 0.5
