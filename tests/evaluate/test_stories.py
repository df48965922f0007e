"""The stories scorer (B-cubed and pairwise over documents, per the corpora README)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from newskit import InputError
from newskit.evaluate.stories import score_stories, stories_report


def _records(stories: dict[str, tuple[str, str]]) -> list[dict]:
    return [
        {"doc_id": d, "corpus": "toy", "text": "x", "gold": {"story": s, "topic": t}} for d, (s, t) in stories.items()
    ]


GOLD = _records({"a": ("1_ecb", "1"), "b": ("1_ecb", "1"), "c": ("1_ecbplus", "1"), "d": ("2_ecb", "2")})


def _pred(mapping: dict[str, str | None]) -> pd.DataFrame:
    return pd.DataFrame({"article_id": list(mapping), "story_id": pd.array(list(mapping.values()), dtype="string")})


def test_gold_stories_as_predictions_score_100():
    metrics = score_stories(GOLD, _pred({r["doc_id"]: r["gold"]["story"] for r in GOLD}))
    assert metrics["b3 story"]["F1"] == metrics["pairwise story"]["F1"] == 1.0
    assert (metrics["b3 story"]["predicted"], metrics["b3 story"]["gold"]) == (3, 3)


def test_bcubed_and_pairwise_by_hand():
    # Predicted {a, b, c} {d}: for a and b P = 2/3, R = 1; for c P = 1/3, R = 1; for d 1 and 1.
    metrics = score_stories(GOLD, _pred({"a": "x", "b": "x", "c": "x", "d": "y"}))
    p = (2 / 3 + 2 / 3 + 1 / 3 + 1) / 4
    assert metrics["b3 story"]["P"] == pytest.approx(p)
    assert metrics["b3 story"]["R"] == pytest.approx(1.0)
    # Pairs predicted together: ab ac bc; gold together: ab -> P 1/3, R 1.
    assert metrics["pairwise story"]["P"] == pytest.approx(1 / 3)
    assert metrics["pairwise story"]["R"] == pytest.approx(1.0)
    # Against topics every predicted pair is right.
    assert metrics["b3 topic"]["P"] == pytest.approx(1.0)


def test_missing_or_null_predictions_are_singletons():
    metrics = score_stories(GOLD, _pred({"a": None}))
    assert metrics["b3 story"]["predicted"] == 4
    assert metrics["pairwise story"]["P"] == 0.0
    assert metrics["b3 story"]["P"] == 1.0


def test_report_has_topic_halves():
    gold = GOLD + _records({"e": ("2_ecb", "2")})
    report = stories_report(gold, _pred({"a": "x", "b": "x"}), name="toy")
    assert list(report.tables) == ["toy", "toy odd topics", "toy even topics"]
    assert report.documents == {"toy": 5, "toy odd topics": 3, "toy even topics": 2}


def test_linking_ecbplus_beats_the_one_cluster_per_topic_baseline(corpora_dir):
    """A cheap check on real news: the first 3 ECB+ topics (no spaCy: words only)."""
    from newskit.evaluate import articles_from_gold
    from newskit.evaluate.gold import read_gold
    from newskit.facts import Facts
    from newskit.link import link_stories

    records = [r for r in read_gold(corpora_dir / "ecbplus-dev") if r["gold"]["topic"] in {"1", "3", "4"}]
    facts = Facts.empty()
    facts.articles = articles_from_gold(records)
    linked = link_stories(facts)
    story_f1 = score_stories(records, linked.articles)["b3 story"]["F1"]
    per_topic = pd.DataFrame(
        {"article_id": [r["doc_id"] for r in records], "story_id": [r["gold"]["topic"] for r in records]}
    )
    assert story_f1 > score_stories(records, per_topic)["b3 story"]["F1"] + 0.1


def test_run_scores_cached_facts_without_extracting(corpora_dir, tmp_path):
    """``facts=`` (a Facts or its store) skips extraction: words-only facts of 3 ECB+ topics,
    written to a store, score as linking them directly does."""
    import newskit.evaluate as ev
    from newskit.evaluate import articles_from_gold
    from newskit.evaluate.gold import read_gold
    from newskit.facts import Facts
    from newskit.link import link

    path = tmp_path / "ecb"
    path.mkdir()
    lines = [
        line
        for line in (corpora_dir / "ecbplus-dev" / "docs.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["gold"]["topic"] in {"1", "3", "4"}
    ]
    (path / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = read_gold(path)
    facts = Facts.empty()
    facts.articles = articles_from_gold(records)
    facts.to_parquet(tmp_path / "store")
    report = ev.run("stories", path, facts=tmp_path / "store")
    expected = score_stories(records, link(facts).articles)["b3 story"]["F1"]
    assert report.tables["newskit"].loc["b3 story", "F1"] == pytest.approx(expected)
    assert set(report.tables) >= {"newskit", "newskit odd topics", "newskit even topics"}

    # Facts lacking a scored document are refused, naming the fix.
    short = Facts.empty()
    short.articles = articles_from_gold(records[:-1])
    with pytest.raises(InputError, match="no article for 1 scored document"):
        ev.run("event_coref", path, facts=short)
