"""event_time scorer: anchor matching and the exact/before/after rules of the corpora README."""

from __future__ import annotations

import pandas as pd
import pytest

import newskit.evaluate as ev


def _record(anchors, doc_id="d1", corpus="c"):
    return {"doc_id": doc_id, "corpus": corpus, "text": "x" * 100, "gold": {"event_anchors": anchors}}


def _anchor(start, end, anchor, date_start, date_end, via="dct"):
    return {"start": start, "end": end, "anchor": anchor, "date_start": date_start, "date_end": date_end, "via": via}


def _pred(start, end, date_start, date_end, doc_id="d1"):
    return {"article_id": doc_id, "start": start, "end": end, "date_start": date_start, "date_end": date_end}


def test_rules_for_each_anchor_kind():
    dct = "2024-03-06"
    anchors = [
        _anchor(0, 5, "exact", "2024-03-04", "2024-03-04", via="timex"),
        _anchor(10, 15, "before", None, dct),
        _anchor(20, 25, "before", None, dct),
        _anchor(30, 35, "after", dct, None),
        _anchor(40, 45, "after", dct, None),
        _anchor(50, 55, "exact", dct, dct),
    ]
    predictions = pd.DataFrame(
        [
            _pred(0, 5, "2024-03-04", "2024-03-04"),  # exact: right
            _pred(10, 15, None, dct),  # before: ends by the DCT, no start: right
            _pred(20, 25, dct, dct),  # before: starts on the DCT day: wrong
            _pred(30, 35, dct, None),  # after: starts on the DCT, open end: right
            _pred(40, 45, dct, dct),  # after: on the DCT day itself is not after it: wrong
            # anchor 50-55 has no overlapping prediction: unmatched
        ]
    )
    table = ev.score("event_time", [_record(anchors)], predictions).tables["c"]
    assert table.loc["overall", "coverage"] == pytest.approx(5 / 6)
    assert table.loc["overall", "accuracy"] == pytest.approx(3 / 5)
    assert table.loc["overall", "overall"] == pytest.approx(3 / 6)
    assert (table.loc["before", "correct"], table.loc["before", "gold"]) == (1, 2)
    assert (table.loc["after", "correct"], table.loc["after", "matched"]) == (1, 2)
    assert (table.loc["exact", "correct"], table.loc["exact", "matched"], table.loc["exact", "gold"]) == (1, 1, 2)
    assert (table.loc["via timex", "correct"], table.loc["via dct", "gold"]) == (1, 5)


def test_identical_span_wins_then_larger_overlap_then_shorter():
    anchors = [_anchor(10, 16, "exact", "2024-03-04", "2024-03-04")]
    right, wrong = ("2024-03-04", "2024-03-04"), ("2024-01-01", "2024-01-01")
    # a clause-long prediction overlaps more than the trigger itself, but the identical span is taken
    predictions = pd.DataFrame([_pred(0, 40, *wrong), _pred(10, 16, *right)])
    assert ev.score("event_time", [_record(anchors)], predictions).tables["c"].loc["overall", "correct"] == 1
    # no identical span: the larger overlap wins
    predictions = pd.DataFrame([_pred(12, 14, *wrong), _pred(8, 18, *right)])
    assert ev.score("event_time", [_record(anchors)], predictions).tables["c"].loc["overall", "correct"] == 1


def test_sub_corpora_and_all():
    records = [_record([_anchor(0, 5, "before", None, "2024-03-06")], "d1", "timebank"), _record([], "d2", "aquaint")]
    report = ev.score("event_time", records, pd.DataFrame([_pred(0, 5, None, "2024-03-05")]))
    assert set(report.tables) == {"timebank", "aquaint", "all"}
    assert report.tables["timebank"].loc["overall", "overall"] == 1.0


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["timebank-aquaint", "meantime-airbus-apple"])
def test_gold_as_prediction_scores_one(corpora_dir, name):
    path = corpora_dir / name
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    records = ev.read_gold(path)
    rows = [
        {
            "article_id": r["doc_id"],
            "start": a["start"],
            "end": a["end"],
            "date_start": a["date_start"],
            "date_end": a["date_end"],
        }
        for r in records
        for a in r["gold"]["event_anchors"]
    ]
    report = ev.score("event_time", records, pd.DataFrame(rows))
    for corpus, table in report.tables.items():
        assert (table["overall"].dropna() == 1.0).all(), f"{corpus}\n{table}"
