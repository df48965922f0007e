"""event_coref scorer: mention alignment, MUC, B-cubed, CEAF-e, CoNLL, odd/even topic halves."""

from __future__ import annotations

import pandas as pd
import pytest

import newskit.evaluate as ev
from newskit.evaluate.event_coref import align_mentions, coref_scores


def _record(doc_id, topic, events, regions=((0, 1000),)):
    return {
        "doc_id": doc_id,
        "corpus": "ecbplus",
        "text": "x" * 1000,
        "gold": {
            "story": f"{topic}_ecb",
            "topic": str(topic),
            "events": [{"start": s, "end": e, "type": "ACTION_OCCURRENCE", "instance": i} for s, e, i in events],
            "annotated_sentences_spans": [list(r) for r in regions],
        },
    }


def test_alignment_prefers_identical_then_larger_overlap():
    # gold (0, 10) and (20, 30); predictions (0, 10) identical, (5, 25) overlaps both by 5
    assert align_mentions([(0, 10), (20, 30)], [(5, 25), (0, 10)]) == [(0, 1), (1, 0)]
    assert align_mentions([(0, 10)], [(2, 4), (0, 8)]) == [(0, 1)]


def test_textbook_muc_and_b_cubed():
    # key {a b c} {d e}; response {a b} {c d e}: MUC R = (1 + 1 - ... ) worked by hand
    key = [["a", "b", "c"], ["d", "e"]]
    response = [["a", "b"], ["c", "d", "e"]]
    scores = coref_scores(key, response)
    # MUC R: K1 meets 2 response clusters -> 3-2=1; K2 meets 1 -> 2-1=1; / (2+1) = 2/3
    assert scores["MUC"]["R"] == pytest.approx(2 / 3)
    # MUC P: R1 meets 1 key cluster -> 1; R2 meets 2 -> 1; / (1+2) = 2/3
    assert scores["MUC"]["P"] == pytest.approx(2 / 3)
    # B-cubed R = (4/3 + 1/3 + 4/2) / 5; P = (4/2 + 1/3 + 4/3) / 5
    assert scores["B-cubed"]["R"] == pytest.approx((4 / 3 + 1 / 3 + 2) / 5)
    assert scores["B-cubed"]["P"] == pytest.approx((2 + 1 / 3 + 4 / 3) / 5)
    # CEAF-e: best pairs K1-R1 (2*2/5) and K2-R2 (2*2/5) = 1.6, over 2 clusters each side
    assert scores["CEAF-e"]["R"] == pytest.approx(0.8)
    assert scores["CEAF-e"]["P"] == pytest.approx(0.8)
    f1s = [scores[m]["F1"] for m in ("MUC", "B-cubed", "CEAF-e")]
    assert scores["CoNLL"]["F1"] == pytest.approx(sum(f1s) / 3)


def test_predictions_outside_annotated_sentences_are_dropped_and_halves_reported():
    records = [
        _record("d1", 1, [(0, 5, "A"), (10, 15, "B")], regions=((0, 20),)),
        _record("d2", 2, [(0, 5, "A")], regions=((0, 20),)),
    ]
    predictions = pd.DataFrame(
        [
            {"article_id": "d1", "start": 0, "end": 5, "event_id": "x"},
            {"article_id": "d1", "start": 10, "end": 15, "event_id": "y"},
            {"article_id": "d1", "start": 50, "end": 55, "event_id": "x"},  # outside: dropped
            {"article_id": "d2", "start": 0, "end": 5, "event_id": "x"},
        ]
    )
    report = ev.score("event_coref", records, predictions)
    assert set(report.tables) == {"all", "odd topics", "even topics"}
    table = report.tables["all"]
    assert (table.loc["mentions", "P"], table.loc["mentions", "R"]) == (1.0, 1.0)
    assert table.loc["CoNLL", "F1"] == pytest.approx(1.0)


@pytest.mark.corpus
def test_gold_as_prediction_scores_one(corpora_dir):
    path = corpora_dir / "ecbplus-dev"
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    records = ev.read_gold(path)
    rows = [
        {"article_id": r["doc_id"], "start": e["start"], "end": e["end"], "event_id": e["instance"]}
        for r in records
        for e in r["gold"]["events"]
    ]
    report = ev.score("event_coref", records, pd.DataFrame(rows))
    for half, table in report.tables.items():
        assert (table["F1"].dropna() == 1.0).all(), f"{half}\n{table}"
