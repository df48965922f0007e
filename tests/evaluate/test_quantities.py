"""Quantity scoring against MONEY / PERCENT / QUANTITY gold."""

from __future__ import annotations

import pandas as pd
import pytest

from newskit.evaluate import score_quantities

DOC = {
    "doc_id": "d1",
    "corpus": "test",
    "text": "x" * 300,
    "gold": {
        "quantities": [
            {"start": 0, "end": 12, "type": "MONEY"},
            {"start": 20, "end": 23, "type": "QUANTITY"},
            {"start": 30, "end": 34, "type": "PERCENT"},
        ],
        "annotated_span": [0, 200],
    },
}


def test_kinds_spans_and_region():
    preds = pd.DataFrame(
        [
            {"article_id": "d1", "start": 2, "end": 12, "kind": "MONEY"},  # relaxed, right type
            {"article_id": "d1", "start": 20, "end": 23, "kind": "COUNT"},  # strict, COUNT is QUANTITY
            {"article_id": "d1", "start": 30, "end": 34, "kind": "MONEY"},  # strict, wrong type
            {"article_id": "d1", "start": 250, "end": 253, "kind": "COUNT"},  # outside the annotated part: ignored
        ]
    )
    m = score_quantities([DOC], preds)
    assert m["strict"]["correct"] == 2
    assert m["strict"]["F1"] == pytest.approx(2 / 3)
    assert m["relaxed"]["F1"] == pytest.approx(1.0)
    assert m["type"]["accuracy"] == pytest.approx(2 / 3)
    assert m["type"]["F1"] == pytest.approx(2 / 3)
