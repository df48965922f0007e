"""The one-to-one span alignment and the metric arithmetic, on cases worked out by hand."""

from __future__ import annotations

import math

import pytest

from newskit.evaluate.spans import align, b_cubed, overlaps, prf


def test_touching_spans_do_not_overlap():
    assert overlaps((0, 5), (4, 6))
    assert not overlaps((0, 5), (5, 9))


def test_two_predictions_overlapping_one_gold_the_leftmost_is_taken():
    # gold [10,20); predictions [15,25) and [5,12): [5,12) starts further left.
    assert align([(10, 20)], [(15, 25), (5, 12)]) == [(0, 1, False)]


def test_identical_spans_are_paired_before_overlaps():
    # In text order gold A [0,10) would grab X [2,6) by overlap, but X is identical
    # to gold B, so B gets it and A stays unmatched.
    assert align([(0, 10), (2, 6)], [(2, 6)]) == [(1, 0, True)]


def test_gold_spans_take_predictions_in_text_order():
    # Gold listed out of order: B [0,10) comes first in the text, so it takes X [5,25).
    assert align([(20, 30), (0, 10)], [(5, 25)]) == [(1, 0, False)]


def test_a_prediction_is_used_once():
    assert align([(0, 10), (5, 15)], [(0, 15)]) == [(0, 0, False)]


def test_duplicate_predictions_of_one_gold_span():
    # Only one of two identical predictions can be paired; the other is a false positive.
    assert align([(3, 8)], [(3, 8), (3, 8)]) == [(0, 0, True)]


def test_prf_by_hand():
    row = prf(3, gold=4, predicted=6)
    assert row["P"] == pytest.approx(0.5)
    assert row["R"] == pytest.approx(0.75)
    assert row["F1"] == pytest.approx(0.6)


def test_prf_without_predictions_is_zero_not_undefined():
    row = prf(0, gold=5, predicted=0)
    assert (row["P"], row["R"], row["F1"]) == (0.0, 0.0, 0.0)


def test_b_cubed_by_hand():
    # Gold clusters {a,b,c} {d}; predicted {a,b} {c,d}.
    # Precision per item: a 2/2, b 2/2, c 1/2, d 1/2 -> 0.75.
    # Recall per item: a 2/3, b 2/3, c 1/3, d 1/1 -> 2/3.
    precision, recall, f1 = b_cubed(["x", "x", "x", "y"], [1, 1, 2, 2])
    assert precision == pytest.approx(0.75)
    assert recall == pytest.approx(2 / 3)
    assert f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))


def test_b_cubed_perfect_and_empty():
    assert b_cubed(["a", "a", "b"], ["p", "p", "q"]) == (1.0, 1.0, 1.0)
    assert all(math.isnan(v) for v in b_cubed([], []))
