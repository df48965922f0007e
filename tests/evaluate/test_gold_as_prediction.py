"""A perfect prediction scores 1.0 on every real corpus (gold read back as predictions)."""

from __future__ import annotations

import pandas as pd
import pytest

import newskit.evaluate as ev

pytestmark = pytest.mark.corpus


def _read(corpora_dir, name):
    path = corpora_dir / name
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return ev.read_gold(path)


def _all_perfect(report, columns=("P", "R", "F1")):
    for corpus, table in report.tables.items():
        for column in columns:
            values = table[column].dropna()
            assert (values == 1.0).all(), f"{report.task} {corpus} {column}:\n{table}"


@pytest.mark.parametrize("name", ["timebank-aquaint", "meantime-airbus-apple"])
def test_timexes(corpora_dir, name):
    records = _read(corpora_dir, name)
    rows = [{"article_id": r["doc_id"], **t} for r in records for t in r["gold"]["timexes"]]
    report = ev.score("timex", records, pd.DataFrame(rows))
    _all_perfect(report, ("P", "R", "F1", "accuracy"))
    assert "all" in report.tables


def test_quantities_and_entities(corpora_dir):
    records = _read(corpora_dir, "meantime-airbus-apple")
    quantities = [
        {"article_id": r["doc_id"], "start": q["start"], "end": q["end"], "kind": q["type"]}
        for r in records
        for q in r["gold"]["quantities"]
    ]
    _all_perfect(ev.score("quantities", records, pd.DataFrame(quantities)), ("P", "R", "F1", "accuracy"))
    mentions = [
        {
            "article_id": r["doc_id"],
            "start": e["start"],
            "end": e["end"],
            "label": e["type"],
            "entity_id": e["instance"],
        }
        for r in records
        for e in r["gold"]["entities"]
    ]
    _all_perfect(ev.score("entities", records, pd.DataFrame(mentions)), ("P", "R", "F1", "accuracy"))


def test_attribution(corpora_dir):
    records = _read(corpora_dir, "polnear-train-dev")
    rows = []
    for r in records:
        for a in r["gold"]["attributions"]:
            parts = [a["content"], *([a["content2"]] if a.get("content2") else [])]
            row = {
                "article_id": r["doc_id"],
                "content_start": min(p[0] for p in parts),
                "content_end": max(p[1] for p in parts),
            }
            for part in ("source", "cue"):
                row[f"{part}_start"], row[f"{part}_end"] = a[part] or (None, None)
            rows.append(row)
    _all_perfect(ev.score("attribution", records, pd.DataFrame(rows)), ("P", "R", "F1", "accuracy"))


def test_casualties(corpora_dir):
    records = _read(corpora_dir, "gva-dev")
    rows = [
        {"article_id": r["doc_id"], "killed": r["gold"]["killed"], "injured": r["gold"]["injured"]} for r in records
    ]
    report = ev.score("casualties", records, pd.DataFrame(rows))
    table = report.tables["gva"]
    assert (table["accuracy"] == 1.0).all()
    assert (table["MAE"] == 0.0).all()
    assert table.loc["both (gold>0)", "documents"] == sum(
        r["gold"]["killed"] + r["gold"]["injured"] > 0 for r in records
    )
