"""The one article normalisation (newskit.articles.complete_article)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import newskit as nk
from newskit.articles import article_id_for, complete_article

REPO = Path(__file__).resolve().parents[1]


def test_every_way_in_gives_the_same_article_id_and_word_count():
    read = nk.read_articles(REPO / "data" / "seed").iloc[0]
    from_dict = complete_article({"text": read["text"], "published": "2023-11-06"})
    from_text = nk.extract_text(read["text"], published="6 November 2023").articles.iloc[0]
    assert read["article_id"] == from_dict["article_id"] == from_text["article_id"]
    assert read["n_words"] == from_dict["n_words"] == from_text["n_words"] == len(read["text"].split())


def test_fills_what_is_missing_and_keeps_what_is_given():
    article = complete_article(
        {"text": "Two men were killed.", "path": "a.txt", "paths": float("nan"), "n_words": None}
    )
    assert article["paths"] == ["a.txt"] and article["n_words"] == 4 and article["published"] is None
    assert article["article_id"] == article_id_for("Two men were killed.", None)
    given = complete_article({"text": "x", "article_id": "mine", "paths": ["a", "b"], "published": pd.NaT})
    assert given["article_id"] == "mine" and given["paths"] == ["a", "b"] and given["published"] is None


def test_a_record_without_text_or_with_a_bad_date_is_refused_naming_it():
    with pytest.raises(nk.ParameterError, match="no text"):
        complete_article({"path": "feed.jsonl", "text": None})
    with pytest.raises(nk.ParameterError, match="published"):
        complete_article({"text": "x", "published": "03/04/2024"})
