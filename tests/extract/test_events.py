"""Timeline events: one per eventive predicate, dated by a time expression or by publication."""

from __future__ import annotations

import pandas as pd

import newskit as nk
from newskit.schema import EVENT_KINDS

PUBLISHED = pd.Timestamp("2023-11-06")


def events(nlp, text: str, published: str | None = "2023-11-06") -> pd.DataFrame:
    return nk.extract_text(text, published=published, nlp=nlp).events


def find(table: pd.DataFrame, words: str) -> pd.Series:
    rows = table[table["description"].str.contains(words, regex=False)]
    assert len(rows) == 1, f"expected one event about {words!r}, got {table['description'].tolist()}"
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
        assert (event["precision"], event["dated_by"]) == ("bound", "publication"), words
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


def test_seed_closing_paragraph_has_no_events(seed_facts, seed_text):
    # "the international community must closely monitor …" is a recommendation, not an event
    closing = seed_text.index("As tensions continue")
    assert (seed_facts.events["start"] < closing).all()


def test_seed_events_point_into_the_text(seed_facts, seed_text):
    for row in seed_facts.events.itertuples():
        assert seed_text[row.start : row.end] == row.text
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


def test_negated_and_modal_predicates_are_not_events(nlp):
    table = events(nlp, "The army did not attack the town. Diplomats should meet soon.", "2024-03-06")
    assert table.empty


def test_without_publication_date_undated_events_have_no_date(nlp):
    table = events(nlp, "Protesters marched through the capital.", None)
    event = find(table, "marched")
    assert event["kind"] == "protest"
    assert pd.isna(event["date_start"]) and pd.isna(event["date_end"])
    assert pd.isna(event["dated_by"])
