"""Entity mention scoring: spans, MEANTIME types, ignored pre-modifiers and B-cubed."""

from __future__ import annotations

import pandas as pd
import pytest

from newskit.evaluate import score_entities
from newskit.evaluate.entities import gold_type


def mention(start, end, type_, instance):
    return {"start": start, "end": end, "type": type_, "instance": instance}


def predictions(article_id, *rows):
    return [dict(zip(["start", "end", "label", "entity_id"], r, strict=True), article_id=article_id) for r in rows]


DOC1 = {
    "doc_id": "d1",
    "corpus": "test",
    "text": "x" * 100,
    "gold": {
        "entities": [
            mention(0, 5, "PER", "A"),
            mention(10, 15, "PER", "A"),
            mention(20, 25, "PER", "A"),
            mention(30, 35, "ORG", "B"),
        ],
        "entities_ignore": [[40, 46]],
    },
}
DOC2 = {"doc_id": "d2", "corpus": "test", "text": "x" * 100, "gold": {"entities": [mention(0, 5, "PER", "A")]}}


def test_type_mapping():
    assert gold_type("PERSON") == "PER"
    assert [gold_type(x) for x in ("GPE", "LOC", "FAC", "NORP")] == ["LOC"] * 4
    assert gold_type("PRODUCT") == "PRO"
    assert gold_type("EVENT") is None


def test_b_cubed_and_types_by_hand():
    preds = pd.DataFrame(
        predictions(
            "d1", (0, 5, "PERSON", "e1"), (10, 15, "PERSON", "e1"), (20, 25, "PERSON", "e2"), (30, 35, "GPE", "e2")
        )
        + predictions("d2", (0, 5, "PERSON", "e1"))
    )
    m = score_entities([DOC1, DOC2], preds)
    assert m["strict"]["F1"] == pytest.approx(1.0)
    # The GPE mention is gold ORG: 4 of 5 types right.
    assert m["type"]["accuracy"] == pytest.approx(4 / 5)
    # Across documents: gold A = {d1:0, d1:10, d1:20, d2:0}, B = {d1:30};
    # predicted e1 = {d1:0, d1:10, d2:0}, e2 = {d1:20, d1:30}.
    # Precision per mention: 1, 1, 1/2, 1/2, 1 -> 4/5; recall: 3/4, 3/4, 1/4, 1, 3/4 -> 3.5/5.
    assert m["b-cubed"]["P"] == pytest.approx(0.8)
    assert m["b-cubed"]["R"] == pytest.approx(0.7)
    assert m["b-cubed"]["F1"] == pytest.approx(2 * 0.8 * 0.7 / 1.5)
    # Within documents: d1 gives P 3/4, R 2/3; d2 (one mention) gives 1, 1.
    d1_f1 = 2 * 0.75 * (2 / 3) / (0.75 + 2 / 3)
    assert m["b-cubed per doc"]["P"] == pytest.approx((0.75 + 1) / 2)
    assert m["b-cubed per doc"]["R"] == pytest.approx((2 / 3 + 1) / 2)
    assert m["b-cubed per doc"]["F1"] == pytest.approx((d1_f1 + 1) / 2)


def test_unmappable_label_is_a_wrong_type():
    m = score_entities([DOC2], pd.DataFrame(predictions("d2", (0, 5, "EVENT", "e1"))))
    assert m["relaxed"]["F1"] == pytest.approx(1.0)
    assert m["type"]["accuracy"] == 0.0


def test_unmatched_predictions_on_premodifier_names_are_ignored():
    preds = pd.DataFrame(
        predictions(
            "d1",
            (0, 5, "PERSON", "e1"),
            (40, 46, "GPE", "e3"),  # exactly a pre-modifier name: ignored
            (44, 50, "ORG", "e4"),  # overlaps it: ignored
            (60, 65, "ORG", "e5"),  # elsewhere: a false positive
        )
    )
    m = score_entities([DOC1], preds)
    assert m["relaxed"]["predicted"] == 2
    assert m["relaxed"]["P"] == pytest.approx(0.5)
    assert m["relaxed"]["R"] == pytest.approx(1 / 4)


def test_strict_versus_relaxed_spans():
    # "Senator John McCain" gold, "John McCain" predicted: relaxed only.
    doc = {
        "doc_id": "d",
        "corpus": "t",
        "text": "Senator John McCain",
        "gold": {"entities": [mention(0, 19, "PER", "M")]},
    }
    m = score_entities([doc], pd.DataFrame(predictions("d", (8, 19, "PERSON", "e"))))
    assert m["strict"]["F1"] == 0.0
    assert m["relaxed"]["F1"] == 1.0


def test_gold_mentions_without_type_are_left_out_of_type_accuracy():
    doc = {
        "doc_id": "d",
        "corpus": "t",
        "text": "x" * 20,
        "gold": {"entities": [mention(0, 5, None, "d#m1"), mention(6, 9, "ORG", "O")]},
    }
    m = score_entities([doc], pd.DataFrame(predictions("d", (0, 5, "ORG", "e"), (6, 9, "ORG", "o"))))
    assert m["type"]["accuracy"] == 1.0
    assert m["type"]["correct"] == 1
