"""Event mentions: one row per trigger (verbs and event nouns), salient happenings, dated what happened."""

from __future__ import annotations

import pandas as pd

import newskit as nk
from newskit.schema import EVENT_KINDS

PUBLISHED = pd.Timestamp("2023-11-06")


def events(nlp, text: str, published: str | None = "2023-11-06") -> pd.DataFrame:
    return nk.extract_text(text, published=published, nlp=nlp).events


def find(table: pd.DataFrame, words: str) -> pd.Series:
    """The one mention whose description holds ``words`` and whose trigger is one of those words."""
    named = table["trigger"].str.lower().isin(words.lower().split())
    rows = table[table["description"].str.contains(words, regex=False) & named]
    assert len(rows) == 1, f"expected one event about {words!r}, got {table[['trigger', 'description']].values}"
    return rows.iloc[0]


def by_trigger(table: pd.DataFrame, trigger: str) -> pd.Series:
    rows = table[table["trigger"] == trigger]
    assert len(rows) == 1, f"expected one mention triggered by {trigger!r}, got {table['trigger'].tolist()}"
    return rows.iloc[0]


# --------------------------------------------------------------------------- the seed article (EXPECTED.md)


def test_seed_independence_is_dated_2008(seed_facts):
    event = find(seed_facts.events, "declared independence")
    assert event["description"] == "Kosovo declared independence from Serbia"
    assert event["kind"] == "declaration"
    assert (event["date_start"], event["date_end"]) == (pd.Timestamp("2008-01-01"), pd.Timestamp("2008-12-31"))
    assert (event["precision"], event["dated_by"]) == ("year", "timex")
    assert "Kosovo" in event["actors"]


def test_seed_uprising_ended_more_than_twenty_years_before_publication(seed_facts):
    event = find(seed_facts.events, "uprising")
    assert event["kind"] == "violence"
    assert pd.isna(event["date_start"])
    assert event["date_end"] == pd.Timestamp("2003-11-06")
    assert event["precision"] == "bound"
    assert event["dated_by"] in ("timex", "relative-to-event")
    assert "Albanians" in event["actors"]


def test_seed_standoff_and_deaths_are_bounded_by_publication(seed_facts):
    table = seed_facts.events
    for words in ("standoff", "regained control", "lost their lives"):
        event = find(table, words)
        assert pd.isna(event["date_start"]), words
        assert event["date_end"] == PUBLISHED, words
        # past tense, no time expression: on or before publication ("recent")
        assert (event["precision"], event["dated_by"]) == ("bound", "tense"), words
        assert event["salient"], words
    assert find(table, "standoff")["kind"] == "violence"
    assert find(table, "lost their lives")["kind"] == "violence"


def test_seed_kremlin_statements_are_dated_at_publication(seed_facts):
    table = seed_facts.events
    considers = find(table, "considers the situation")
    peskov = find(table, "emphasized")
    for event in (considers, peskov):
        assert event["kind"] == "statement"
        assert event["date_start"] == event["date_end"] == PUBLISHED
        assert (event["precision"], event["dated_by"]) == ("day", "publication")
    assert "Kremlin" in considers["actors"]
    assert peskov["description"].startswith("Dmitry Peskov emphasized")
    assert "Dmitry Peskov" in peskov["actors"]


def test_seed_closing_paragraph_has_no_happenings(seed_facts, seed_text):
    # "the international community must closely monitor … to prevent further violence" is a
    # recommendation: its mentions ("monitor", "violence") are rows, but none is a happening
    closing = seed_text.index("As tensions continue")
    table = seed_facts.events
    assert (table[table["trigger_start"] >= closing]["trigger"].isin(["monitor", "violence"])).sum() == 2
    assert (table[table["salient"]]["trigger_start"] < closing).all()


def test_seed_statements_and_cognition_are_not_salient(seed_facts):
    table = seed_facts.events
    for trigger in ("considers", "emphasized", "echoed", "accused"):
        assert not by_trigger(table, trigger)["salient"], trigger
    for trigger in ("declared", "regained", "lost", "uprising", "bloodshed"):
        assert by_trigger(table, trigger)["salient"], trigger


def test_seed_events_point_into_the_text(seed_facts, seed_text):
    for row in seed_facts.events.itertuples():
        assert seed_text[row.start : row.end] == row.text
        assert seed_text[row.trigger_start : row.trigger_end] == row.trigger
        assert row.start <= row.trigger_start and row.trigger_end <= row.end
        assert row.kind in EVENT_KINDS


# --------------------------------------------------------------------------- hand-written sentences


def test_timex_in_the_clause_dates_the_event(nlp):
    table = events(nlp, "Police arrested two men on Monday in Pristina.", "2024-03-06")
    event = find(table, "arrested")
    assert event["kind"] == "arrest"
    assert event["date_start"] == event["date_end"] == pd.Timestamp("2024-03-04")
    assert (event["precision"], event["dated_by"]) == ("day", "timex")
    assert event["places"] == ["Pristina"]


def test_future_event_starts_after_publication(nlp):
    table = events(nlp, "The two leaders will sign the agreement in Brussels.", "2024-03-06")
    event = find(table, "sign")
    assert event["kind"] == "agreement"
    assert event["date_start"] == pd.Timestamp("2024-03-06")
    assert pd.isna(event["date_end"])
    assert (event["precision"], event["dated_by"]) == ("bound", "tense")
    # the noun "agreement" names the same future act
    assert by_trigger(table, "agreement")["date_start"] == pd.Timestamp("2024-03-06")


def test_negated_and_modal_predicates_are_mentions_but_not_happenings(nlp):
    table = events(nlp, "The army did not attack the town. Diplomats should meet soon.", "2024-03-06")
    assert set(table["trigger"]) == {"attack", "meet"}
    assert not table["salient"].any()


def test_the_happening_is_dated_not_the_saying(nlp):
    # published Wednesday 2024-03-06: the attack was on Monday, the saying on Tuesday
    text = "The governor said on Tuesday that gunmen attacked the convoy late on Monday."
    table = events(nlp, text, "2024-03-06")
    said, attacked = by_trigger(table, "said"), by_trigger(table, "attacked")
    assert said["date_start"] == said["date_end"] == pd.Timestamp("2024-03-05")
    assert attacked["date_start"] == attacked["date_end"] == pd.Timestamp("2024-03-04")
    assert (said["dated_by"], attacked["dated_by"]) == ("timex", "timex")
    assert (said["salient"], attacked["salient"], attacked["kind"]) == (False, True, "violence")


def test_a_reporting_verb_does_not_lend_its_date_to_its_complement(nlp):
    text = "Officials said on Tuesday that rebels had ambushed a patrol."
    table = events(nlp, text, "2024-03-06")
    ambushed = by_trigger(table, "ambushed")
    assert pd.isna(ambushed["date_start"]) and ambushed["date_end"] == pd.Timestamp("2024-03-06")
    assert ambushed["dated_by"] == "tense"


def test_event_nouns_are_mentions_with_their_trigger(nlp):
    text = "The attack on the convoy came a day before the talks in Geneva."
    table = events(nlp, text, "2024-03-06")
    attack, talks = by_trigger(table, "attack"), by_trigger(table, "talks")
    assert (attack["lemma"], attack["kind"], bool(attack["salient"])) == ("attack", "violence", True)
    assert (talks["lemma"], talks["kind"]) == ("talk", "agreement")
    assert text[attack["trigger_start"] : attack["trigger_end"]] == "attack"


def test_without_publication_date_undated_events_have_no_date(nlp):
    table = events(nlp, "Protesters marched through the capital.", None)
    event = find(table, "marched")
    assert event["kind"] == "protest"
    assert pd.isna(event["date_start"]) and pd.isna(event["date_end"])
    assert pd.isna(event["dated_by"])
