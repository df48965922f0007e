"""Article tone: VADER over sentences, with the seed article's overall tone from EXPECTED.md."""

import pandas as pd

import newskit as nk


def test_seed_article_is_negative_overall(seed_facts):
    article = seed_facts.articles.iloc[0]
    assert article["tone_label"] == "negative"
    assert article["tone"] < 0
    assert article["tone_negative"] > article["tone_positive"]


def test_hand_written_positive_and_negative_articles(nlp):
    cheerful = "The festival was a wonderful success. Visitors loved the music and praised the friendly volunteers."
    grim = "The attack killed nine people. Survivors described horrific injuries and terrible fear."
    facts = nk.extract(
        pd.concat([nk.extract_text(t, nlp=nlp).articles for t in (cheerful, grim)], ignore_index=True), nlp=nlp
    )
    labels = dict(zip(facts.articles["text"], facts.articles["tone_label"], strict=True))
    assert labels[cheerful] == "positive"
    assert labels[grim] == "negative"


def test_tone_columns_are_nullable_floats(seed_facts):
    for column in ("tone", "tone_positive", "tone_negative"):
        assert seed_facts.articles[column].dtype == "Float64"
