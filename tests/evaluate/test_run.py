"""The evaluation entry points: score() per corpus, the printed report, run() end to end."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import newskit.evaluate as ev
from newskit import InputError, ParameterError

from .test_gold import DATELINE, TIMEML


def timex_record(doc_id, corpus, spans):
    return {
        "doc_id": doc_id,
        "corpus": corpus,
        "text": "x" * 50,
        "gold": {"timexes": [{"start": a, "end": b, "type": "DATE", "value": "2024"} for a, b in spans]},
    }


def test_score_groups_by_corpus_and_pools_all():
    gold = [timex_record("a1", "alpha", [(0, 4), (10, 14)]), timex_record("b1", "beta", [(0, 4)])]
    preds = pd.DataFrame(
        {"article_id": ["a1", "b1"], "start": [0, 20], "end": [4, 24], "type": "DATE", "value": "2024"}
    )
    report = ev.score("timeml", gold, preds)
    assert report.task == "timex"
    assert list(report.tables) == ["alpha", "beta", "all"]
    assert report.documents == {"alpha": 1, "beta": 1, "all": 2}
    assert report.tables["alpha"].loc["strict", "R"] == pytest.approx(0.5)
    assert report.tables["beta"].loc["strict", "F1"] == 0.0
    # Pooled: 3 gold, 2 predicted, 1 match.
    assert report.tables["all"].loc["strict", "P"] == pytest.approx(0.5)
    assert report.tables["all"].loc["strict", "R"] == pytest.approx(1 / 3)

    frame = report.to_frame()
    assert list(frame.columns[:3]) == ["task", "corpus", "measure"]
    assert len(frame) == 3 * 4

    text = str(report)
    assert "timex: alpha (1 document)" in text
    assert "measure      P      R     F1  accuracy  correct  gold  predicted" in text
    assert "strict   1.000  0.500  0.667         -        1     2          1" in text


def test_single_corpus_has_no_all_table():
    report = ev.score("timex", [timex_record("a1", "alpha", [(0, 4)])], None)
    assert list(report.tables) == ["alpha"]


def test_unknown_task():
    with pytest.raises(ParameterError, match="task"):
        ev.score("sentiment", [], None)
    assert set(ev.TASKS) >= {
        "timex",
        "entities",
        "quantities",
        "casualties",
        "attribution",
        "event_time",
        "event_coref",
        "stories",
    }


def test_run_on_timeml_directory(tmp_path, nlp):
    (tmp_path / "storm.tml").write_text(TIMEML, encoding="utf-8")
    (tmp_path / "wire.tml").write_text(DATELINE, encoding="utf-8")
    report = ev.run("timeml", tmp_path, nlp=nlp)
    table = report.tables[tmp_path.name]
    assert report.documents == {tmp_path.name: 2}
    assert table.loc["relaxed", "gold"] == 3
    assert 0.0 <= table.loc["relaxed", "F1"] <= 1.0
    assert str(report).startswith(f"timex: {tmp_path.name} (2 documents)")


def test_run_refuses_a_corpus_without_gold_for_the_task(tmp_path):
    (tmp_path / "storm.tml").write_text(TIMEML, encoding="utf-8")
    with pytest.raises(InputError, match="no document has gold for task 'casualties'"):
        ev.run("casualties", tmp_path)


def test_run_casualties_on_a_small_corpus(tmp_path, nlp):
    casualties = pytest.importorskip("newskit.extract.casualties")
    if not hasattr(casualties, "casualty_summary"):
        pytest.skip("newskit.extract.casualties.casualty_summary is not written yet")
    text = "Two people were killed and three were injured in a shooting on Monday, police said."
    line = {
        "doc_id": "s1",
        "corpus": "mini",
        "published": "2024-05-08",
        "title": None,
        "text": text,
        "gold": {"killed": 2, "injured": 3},
    }
    (tmp_path / "docs.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = ev.run("casualties", tmp_path, nlp=nlp)
    table = report.tables["mini"]
    assert table.loc["both", "documents"] == 1
    assert table.loc["both (gold>0)", "documents"] == 1
    assert 0.0 <= table.loc["both", "accuracy"] <= 1.0
