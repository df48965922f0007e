"""Time expression scoring (TempEval-3 task A) on hand-built gold and predictions."""

from __future__ import annotations

import pandas as pd
import pytest

from newskit.evaluate import score_timex


def record(timexes, **extra):
    return {"doc_id": "d1", "corpus": "test", "text": "x" * 200, "gold": {"timexes": timexes, **extra}}


def predictions(*rows):
    return pd.DataFrame(
        [dict(zip(["start", "end", "type", "value"], row, strict=True), article_id="d1") for row in rows]
    )


GOLD = [
    {"start": 10, "end": 20, "type": "DATE", "value": "2024-05-06"},
    {"start": 30, "end": 40, "type": "DURATION", "value": "P1W"},
    {"start": 50, "end": 60, "type": "DATE", "value": None},
]


def test_strict_relaxed_and_attributes_by_hand():
    preds = predictions(
        (10, 20, "date", "2024-05-06"),  # identical span; type differs only in case; value right
        (28, 35, "TIME", "P1W"),  # overlaps gold 2: wrong type, right value
        (55, 65, "DATE", "2024"),  # overlaps gold 3, whose value is null: not in value accuracy
        (70, 80, "DATE", "2024"),  # matches nothing
    )
    m = score_timex([record(GOLD)], preds)
    # 3 gold, 4 predicted, 1 identical span, 3 aligned.
    assert (m["strict"]["correct"], m["relaxed"]["correct"]) == (1, 3)
    assert m["strict"]["P"] == pytest.approx(1 / 4)
    assert m["strict"]["R"] == pytest.approx(1 / 3)
    assert m["relaxed"]["P"] == pytest.approx(3 / 4)
    assert m["relaxed"]["R"] == pytest.approx(1.0)
    relaxed_f1 = 2 * 0.75 * 1.0 / 1.75
    assert m["relaxed"]["F1"] == pytest.approx(relaxed_f1)
    # Types right for gold 1 and 3: 2 of 3 matches.
    assert m["type"]["accuracy"] == pytest.approx(2 / 3)
    assert m["type"]["F1"] == pytest.approx(relaxed_f1 * 2 / 3)
    # Values scored for gold 1 and 2 only (gold 3 has none): both right.
    assert m["value"]["accuracy"] == pytest.approx(1.0)
    assert m["value"]["F1"] == pytest.approx(relaxed_f1)


def test_missing_predicted_value_is_wrong():
    m = score_timex([record(GOLD[:1])], predictions((10, 20, "DATE", None)))
    assert m["value"]["accuracy"] == 0.0
    assert m["value"]["F1"] == 0.0


def test_dct_and_unannotated_regions_are_ignored():
    gold = record(GOLD[:1], dct_span=[0, 8], annotated_span=[0, 100])
    preds = predictions(
        (0, 8, "DATE", "2024-05-08"),  # the dateline: ignored
        (150, 160, "DATE", "2024"),  # entirely after the annotated part: ignored
        (95, 105, "DATE", "2025"),  # straddles its end: counted, a false positive
        (10, 20, "DATE", "2024-05-06"),
    )
    m = score_timex([gold], preds)
    assert m["relaxed"]["predicted"] == 2
    assert m["strict"]["P"] == pytest.approx(0.5)
    assert m["strict"]["R"] == pytest.approx(1.0)


def test_types_outside_timex_types_are_ignored():
    gold = record(GOLD[:1], timex_types=["DATE", "TIME"])
    preds = predictions((10, 20, "DATE", "2024-05-06"), (30, 40, "duration", "P1W"))
    m = score_timex([gold], preds)
    assert m["relaxed"]["predicted"] == 1
    assert m["relaxed"]["F1"] == pytest.approx(1.0)


def test_predictions_of_other_articles_do_not_count():
    preds = predictions((10, 20, "DATE", "2024-05-06"))
    preds["article_id"] = "another"
    m = score_timex([record(GOLD)], preds)
    assert m["relaxed"]["predicted"] == 0
    assert m["relaxed"]["R"] == 0.0


def test_no_predictions_at_all():
    m = score_timex([record(GOLD)], None)
    assert m["relaxed"]["gold"] == 3
    assert m["relaxed"]["F1"] == 0.0
