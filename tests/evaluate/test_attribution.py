"""Attribution scoring: content coverage, one-to-one matching, source and cue."""

from __future__ import annotations

import pandas as pd
import pytest

from newskit.evaluate import score_attribution
from newskit.evaluate.attribution import content_coverage, match_attributions


def doc(*attributions):
    return {"doc_id": "d", "corpus": "t", "text": "x" * 400, "gold": {"attributions": list(attributions)}}


def pred(content, source=None, cue=None):
    row = {"article_id": "d", "content_start": content[0], "content_end": content[1]}
    row["source_start"], row["source_end"] = source or (None, None)
    row["cue_start"], row["cue_end"] = cue or (None, None)
    return row


def frame(*rows):
    return pd.DataFrame(list(rows)).astype({c: "Int64" for c in ("source_start", "source_end", "cue_start", "cue_end")})


def test_coverage_of_exactly_half_matches():
    gold = doc({"source": None, "cue": None, "content": [100, 200]})
    assert score_attribution([gold], frame(pred((100, 150))))["content"]["correct"] == 1
    assert score_attribution([gold], frame(pred((100, 149))))["content"]["correct"] == 0


def test_split_quote_counts_both_parts():
    item = {"source": None, "cue": None, "content": [10, 20], "content2": [40, 50]}
    assert content_coverage((10, 20), item) == pytest.approx(0.5)
    assert content_coverage((15, 45), item) == pytest.approx(0.5)  # 5 + 5 of 20
    assert content_coverage((10, 50), item) == pytest.approx(1.0)
    assert content_coverage((21, 39), item) == 0.0


def test_one_to_one_greedy_by_coverage():
    a = {"content": [0, 100]}
    b = {"content": [100, 200]}
    # X covers both gold contents fully but can serve only one; Y covers 60 % of A.
    # Greedy: A-X first (coverage 1.0, earlier gold), then B-X and A-Y are blocked.
    assert match_attributions([a, b], [(0, 200), (0, 60)]) == [(0, 0)]
    # Equal coverage: the tighter prediction wins.
    assert match_attributions([a], [(0, 300), (0, 100)]) == [(0, 1)]


def test_source_and_cue_correctness_by_hand():
    gold = doc(
        {"source": [0, 5], "cue": [6, 10], "content": [12, 40]},
        {"source": None, "cue": [50, 55], "content": [60, 90]},
        {"source": [100, 105], "cue": None, "content": [110, 140]},
    )
    preds = frame(
        pred((12, 40), source=(2, 4)),  # source overlaps: right; cue missing: wrong
        pred((60, 90), cue=(50, 52)),  # both missing source: right; cue overlaps: right
        pred((110, 140), source=(106, 108)),  # source does not overlap: wrong; both lack a cue: right
        pred((300, 350), source=(290, 295)),  # matches no gold content
    )
    m = score_attribution([gold], preds)
    assert m["content"]["correct"] == 3
    assert m["content"]["P"] == pytest.approx(3 / 4)
    assert m["content"]["R"] == pytest.approx(1.0)
    assert m["content+source"]["correct"] == 2
    assert m["content+source"]["accuracy"] == pytest.approx(2 / 3)
    assert m["content+source"]["P"] == pytest.approx(2 / 4)
    assert m["content+source"]["R"] == pytest.approx(2 / 3)
    assert m["content+cue"]["correct"] == 2
