"""Cross-article canonical entities (newskit.link.entities.link_entities)."""

from __future__ import annotations

import pandas as pd
import pytest

from newskit import schema
from newskit.evaluate import articles_from_gold
from newskit.extract import extract
from newskit.facts import Facts, entities_table
from newskit.link.entities import link_entities

# Two short articles written for this test: the full name only in the first.
RALLY = "Donald Trump held a rally in Ohio on Tuesday. Trump promised supporters a new trade policy."
TRADE = "Trump said on Thursday that the trade deal was unfair. Trump's campaign did not comment further."


@pytest.fixture(scope="module")
def two_articles(nlp) -> Facts:
    records = [
        {"doc_id": "rally", "text": RALLY, "published": "2016-03-01"},
        {"doc_id": "trade", "text": TRADE, "published": "2016-03-03"},
    ]
    return extract(articles_from_gold(records), nlp=nlp)


def test_surname_in_another_article_takes_the_full_names_id(two_articles):
    linked = link_entities(two_articles)
    people = linked.mentions[linked.mentions.text.isin(["Trump", "Donald Trump"])]
    assert set(people.article_id) == {"rally", "trade"}
    assert people.entity_id.nunique() == 1
    assert set(people.name) == {"Donald Trump"}
    assert set(people.label) == {"PERSON"}  # whatever the model said of the bare "Trump"
    row = linked.entities.set_index("name").loc["Donald Trump"]
    assert row.n_articles == 2
    assert "Trump" not in set(linked.entities.name)


def test_fact_rows_follow_the_new_id(two_articles):
    linked = link_entities(two_articles)
    trump = linked.entities.set_index("name").loc["Donald Trump", "entity_id"]
    said = linked.attributions[linked.attributions.article_id == "trade"]
    assert not said.empty
    assert (said.source_entity_id == trump).all() and (said.source == "Donald Trump").all()
    ids = set(linked.mentions.entity_id)
    for table, column in [("roles", "entity_id"), ("attributions", "source_entity_id")]:
        frame = getattr(linked, table)
        assert set(frame[column].dropna()) <= ids


def test_does_not_mutate_and_is_idempotent(two_articles):
    before = two_articles.mentions.copy()
    once = link_entities(two_articles)
    pd.testing.assert_frame_equal(two_articles.mentions, before)
    twice = link_entities(once)
    pd.testing.assert_frame_equal(once.mentions, twice.mentions)
    pd.testing.assert_frame_equal(once.entities, twice.entities)


def _facts(rows: list[tuple], published: dict[str, str]) -> Facts:
    """Facts from (article, text, name, label) mention rows; ids as the extractor makes them."""
    from newskit.extract.entities import entity_id

    mentions = pd.DataFrame(
        [
            {"article_id": a, "entity_id": entity_id(label, name), "name": name, "label": label, "text": text}
            | {"start": 0, "end": len(text), "sentence": 0}
            for a, text, name, label in rows
        ]
    )
    mentions = schema.conform("mentions", mentions)
    articles = schema.conform(
        "articles",
        pd.DataFrame({"article_id": list(published), "published": pd.to_datetime(list(published.values()))}),
    )
    return Facts.from_frames({"mentions": mentions, "articles": articles, "entities": entities_table(mentions)})


def test_ambiguous_surname_stays_apart():
    facts = _facts(
        [
            ("a", "George W. Bush", "George W. Bush", "PERSON"),
            ("b", "Jeb Bush", "Jeb Bush", "PERSON"),
            ("c", "Bush", "Bush", "PERSON"),
        ],
        {"a": "2015-06-01", "b": "2015-06-02", "c": "2015-06-03"},
    )
    linked = link_entities(facts)
    assert linked.mentions.set_index("article_id").loc["c", "name"] == "Bush"


def test_full_name_outside_the_window_is_not_used():
    facts = _facts(
        [("a", "Gerald Ford", "Gerald Ford", "PERSON"), ("b", "Ford", "Ford", "PERSON")],
        {"a": "1975-01-01", "b": "2015-06-03"},
    )
    assert link_entities(facts).mentions.set_index("article_id").loc["b", "name"] == "Ford"


def test_company_named_like_a_person_stays_an_org():
    rows = [("a", "Henry Ford", "Henry Ford", "PERSON")]
    rows += [(f"c{i}", "Ford", "Ford", "ORG") for i in range(3)]
    facts = _facts(rows, {"a": "2015-06-01", "c0": "2015-06-02", "c1": "2015-06-02", "c2": "2015-06-02"})
    linked = link_entities(facts)
    assert set(linked.mentions[linked.mentions.text == "Ford"].label) == {"ORG"}


def test_dominant_full_name_takes_the_surname():
    rows = [("a", "Hillary Clinton", "Hillary Clinton", "PERSON")] * 10
    rows += [("b", "Bill Clinton", "Bill Clinton", "PERSON"), ("c", "Clinton", "Clinton", "ORG")]
    facts = _facts(rows, {"a": "2016-06-01", "b": "2016-06-02", "c": "2016-06-03"})
    linked = link_entities(facts)
    row = linked.mentions.set_index("article_id").loc["c"]
    assert (row["name"], row["label"]) == ("Hillary Clinton", "PERSON")


def test_acronyms_are_not_surnames():
    facts = _facts(
        [("a", "Anna Nato", "Anna Nato", "PERSON"), ("b", "NATO", "NATO", "ORG")],
        {"a": "2016-06-01", "b": "2016-06-02"},
    )
    assert link_entities(facts).mentions.set_index("article_id").loc["b", "label"] == "ORG"
