"""link_events: one event_id per real-world event within a story, dates shared across articles."""

from __future__ import annotations

import dataclasses

import pandas as pd

from newskit import schema
from newskit.facts import Facts
from newskit.link.events import event_class, link_events


def _facts(articles: list[tuple[str, str | None]], events: list[dict]) -> Facts:
    article_rows = [{"article_id": a, "story_id": s, "text": "."} for a, s in articles]
    rows = []
    for e in events:
        row = {
            "date_start": None,
            "date_end": pd.Timestamp("2024-03-06"),
            "precision": "bound",
            "dated_by": "tense",
            "kind": "violence",
            "places": [],
            "actors": [],
            "salient": True,
            **e,
        }
        row.setdefault("trigger", row["lemma"])
        rows.append(row)
    return dataclasses.replace(
        Facts.empty(),
        articles=schema.frame("articles", article_rows),
        events=schema.frame("events", rows),
    )


def test_an_ambush_and_an_attack_in_one_story_are_one_event():
    facts = _facts(
        [("a1", "s1"), ("a2", "s1")],
        [
            {"article_id": "a1", "lemma": "ambush", "trigger_start": 10, "trigger_end": 16},
            {"article_id": "a2", "lemma": "attack", "trigger_start": 4, "trigger_end": 10},
            {"article_id": "a2", "lemma": "shot", "trigger_start": 30, "trigger_end": 34},
            {"article_id": "a2", "lemma": "arrest", "trigger_start": 50, "trigger_end": 56, "kind": "arrest"},
        ],
    )
    events = link_events(facts).events
    ids = dict(zip(events["lemma"], events["event_id"], strict=True))
    assert ids["ambush"] == ids["attack"] == ids["shot"]
    assert ids["arrest"] != ids["attack"]
    assert list(events["story_id"]) == ["s1"] * 4


def test_the_same_word_in_two_stories_is_two_events():
    facts = _facts(
        [("a1", "s1"), ("a2", "s2"), ("a3", None), ("a4", None)],
        [{"article_id": a, "lemma": "attack", "trigger_start": 0, "trigger_end": 6} for a in ("a1", "a2", "a3", "a4")],
    )
    events = link_events(facts).events
    assert events["event_id"].nunique() == 4  # an article without a story is a story of its own
    assert events["story_id"].isna().tolist() == [False, False, True, True]


def test_attacks_days_apart_are_split_and_dates_are_inherited():
    monday, friday = pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-08")
    day = {"precision": "day", "dated_by": "timex"}
    facts = _facts(
        [("a1", "s1"), ("a2", "s1"), ("a3", "s1")],
        [
            {
                "article_id": "a1",
                "lemma": "attack",
                "trigger_start": 0,
                "trigger_end": 6,
                "date_start": monday,
                "date_end": monday,
                **day,
            },
            {
                "article_id": "a2",
                "lemma": "attack",
                "trigger_start": 0,
                "trigger_end": 6,
                "date_start": friday,
                "date_end": friday,
                **day,
            },
            # undated in its own article (past tense, published 2024-03-06): takes Monday, the date that fits
            {"article_id": "a3", "lemma": "attack", "trigger_start": 0, "trigger_end": 6},
        ],
    )
    linked = link_events(facts).events
    assert linked.loc[0, "event_id"] != linked.loc[1, "event_id"]
    assert linked.loc[2, "event_id"] == linked.loc[0, "event_id"]
    assert (linked.loc[2, "date_start"], linked.loc[2, "date_end"]) == (monday, monday)
    assert (linked.loc[2, "dated_by"], linked.loc[2, "precision"]) == ("story", "day")
    # the input is not modified
    assert facts.events["event_id"].isna().all() and facts.events.loc[2, "dated_by"] == "tense"


def test_a_story_date_after_the_mentions_own_bound_is_not_taken():
    later = pd.Timestamp("2024-03-10")
    facts = _facts(
        [("a1", "s1"), ("a2", "s1")],
        [
            {
                "article_id": "a1",
                "lemma": "vote",
                "trigger_start": 0,
                "trigger_end": 4,
                "kind": "election",
                "date_start": later,
                "date_end": later,
                "precision": "day",
                "dated_by": "timex",
            },
            {"article_id": "a2", "lemma": "vote", "trigger_start": 0, "trigger_end": 4, "kind": "election"},
        ],
    )
    linked = link_events(facts).events
    assert linked.loc[0, "event_id"] == linked.loc[1, "event_id"]
    assert linked.loc[1, "dated_by"] == "tense"  # "voted" before 2024-03-06 cannot be the vote of 2024-03-10


def test_event_classes():
    assert event_class("ambush") == event_class("shooting") == "attack"
    assert event_class("quake") == "earthquake"
    assert event_class("negotiate") == "negotiate"


def test_no_events_is_fine():
    facts = Facts.empty()
    assert link_events(facts).events.empty


def test_statements_are_one_event_only_when_the_same_person_speaks():
    """Three outlets: the police chief "said" (full name, then surname only), the mayor "said":
    the chief's two statements are one event, the mayor's another; a statement naming nobody
    joins neither."""
    facts = _facts(
        [("a1", "s1"), ("a2", "s1"), ("a3", "s1"), ("a4", "s1")],
        [
            {"article_id": "a1", "lemma": "say", "kind": "statement", "actors": ["Maria Okafor"]},
            {"article_id": "a2", "lemma": "say", "kind": "statement", "actors": ["Okafor", "Dravik"]},
            {"article_id": "a3", "lemma": "say", "kind": "statement", "actors": ["Tomas Hale"]},
            {"article_id": "a4", "lemma": "say", "kind": "statement", "actors": []},
        ],
    )
    facts = dataclasses.replace(
        facts, events=facts.events.assign(trigger_start=[5, 5, 5, 5], trigger_end=[9, 9, 9, 9], salient=False)
    )
    ids = link_events(facts).events.set_index("article_id")["event_id"]
    assert ids["a1"] == ids["a2"]
    assert len({ids["a1"], ids["a3"], ids["a4"]}) == 3


def test_legal_and_summary_nouns_are_not_the_happening():
    # "charged with murder", "the death toll" classify a killing; they are not the killing itself.
    assert event_class("kill") == event_class("slaying") != event_class("murder")
    assert event_class("murder") == event_class("homicide")
    assert event_class("death") == "death" != event_class("die")
    # Words outlets use for one happening.
    assert event_class("hit") == event_class("strike")
    assert event_class("thwart") == event_class("foil")
    assert event_class("beat") == event_class("victory") == event_class("win")
