"""Casualty scoring: exact match and mean absolute error per document."""

from __future__ import annotations

import pandas as pd
import pytest

from newskit.evaluate import score_casualties


def doc(doc_id, killed, injured):
    return {"doc_id": doc_id, "corpus": "gva", "text": "...", "gold": {"killed": killed, "injured": injured}}


GOLD = [doc("d1", 2, 1), doc("d2", 0, 0), doc("d3", 1, 3), doc("d4", 0, 0)]


def test_accuracy_and_mae_by_hand():
    predictions = pd.DataFrame(
        {
            "article_id": ["d1", "d2", "d3", "other"],
            "killed": pd.array([2, 2, 1, 9], dtype="Int64"),
            "injured": pd.array([1, None, None, 9], dtype="Int64"),
        }
    )
    # d2 injured <NA> counts as 0 (right); d3 injured <NA> counts as 0 (off by 3);
    # d4 has no row: 0 and 0 (right); "other" is not a gold document.
    m = score_casualties(GOLD, predictions)
    assert m["killed"] == {"accuracy": 0.75, "MAE": 0.5, "documents": 4}
    assert m["injured"] == {"accuracy": 0.75, "MAE": 0.75, "documents": 4}
    # Both right for d1 and d4; totals off by 0, 2, 3, 0.
    assert m["both"]["accuracy"] == pytest.approx(0.5)
    assert m["both"]["MAE"] == pytest.approx(1.25)
    # Documents with casualties in the gold: d1 and d3.
    assert m["killed (gold>0)"] == {"accuracy": 1.0, "MAE": 0.0, "documents": 2}
    assert m["injured (gold>0)"] == {"accuracy": 0.5, "MAE": 1.5, "documents": 2}
    assert m["both (gold>0)"]["accuracy"] == pytest.approx(0.5)
    assert m["both (gold>0)"]["MAE"] == pytest.approx(1.5)


def test_no_predictions_scores_like_all_zero():
    m = score_casualties(GOLD, None)
    assert m["killed"]["accuracy"] == pytest.approx(0.5)
    assert m["killed"]["MAE"] == pytest.approx(0.75)
    assert m["both (gold>0)"]["accuracy"] == 0.0
