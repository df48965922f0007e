"""Grouping the dev corpora into halves (newskit eval --by half) and the judged gva timex sample."""

from __future__ import annotations

import json
from pathlib import Path

from newskit.evaluate import score
from newskit.evaluate.halves import group_of

JUDGED = Path(__file__).resolve().parents[1] / "fixtures" / "gva_timex_judged.jsonl"


def test_halves_split_each_corpus_by_topic_outlet_or_period():
    assert group_of({"doc_id": "x", "corpus": "meantime-apple"}, "half") == "meantime-apple"
    a = group_of({"doc_id": "breitbart_2015-11-11_x", "corpus": "polnear-train"}, "half")
    b = group_of({"doc_id": "huff-post_2016-01-01_y", "corpus": "polnear-dev"}, "half")
    assert a.startswith("polnear-A") and b.startswith("polnear-B")
    assert group_of({"doc_id": "nyt_2016_z", "corpus": "polnear-dev"}, "outlet") == "polnear-nyt"
    assert group_of({"doc_id": "g", "corpus": "gva", "published": "2014-02-12"}, "half") == "gva-to-2015"
    assert group_of({"doc_id": "g", "corpus": "gva", "published": "2018-03-01"}, "half") == "gva-from-2016"


def test_score_by_half_prints_both_halves_and_all():
    gold = [
        {"doc_id": f"{outlet}_d", "corpus": "polnear-train", "text": "He said it rained.", "gold": {"attributions": []}}
        for outlet in ("breitbart", "huff-post")
    ]
    report = score("attribution", gold, None, by="half")
    assert sorted(report.tables) == sorted(
        ["polnear-A (breitbart, nyt, usa-today, west-journal)", "polnear-B (huff-post, politico, wash-post)", "all"]
    )


def test_judged_gva_sample_is_complete_and_short():
    rows = [json.loads(line) for line in JUDGED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 100
    assert {r["judgement"] for r in rows} <= {"correct", "wrong-value", "not-a-timex"}
    assert all(len(r["context"].split()) <= 12 and r["text"] in r["context"] for r in rows)
    precision = sum(r["judgement"] != "not-a-timex" for r in rows) / len(rows)
    assert precision >= 0.9
