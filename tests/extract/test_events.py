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


# --------------------------------------------------------------------------- dating from the narrative


def test_a_story_on_yesterdays_news_dates_its_undated_past_events_that_day(nlp):
    # published Tuesday 1989-10-31; the only day the story names is yesterday, Monday 1989-10-30
    text = (
        "Ratners Group agreed yesterday to acquire Weisfield's for $55 million.\n\n"
        "Analysts said the price was high. Weisfield's shares rose sharply."
    )
    table = events(nlp, text, "1989-10-31")
    monday = pd.Timestamp("1989-10-30")
    agreed = by_trigger(table, "agreed")
    assert (agreed["date_start"], agreed["dated_by"]) == (monday, "timex")
    for trigger in ("said", "rose"):  # another paragraph, no time expression: the day the story reports on
        event = by_trigger(table, trigger)
        assert event["date_start"] == event["date_end"] == monday, trigger
        assert (event["precision"], event["dated_by"]) == ("day", "narrative"), trigger


def test_a_dateline_dates_the_article_not_the_events_after_it(nlp):
    text = "Boeing unveils new jet\nFebruary 17, 2005\nBoeing unveiled a new long-range airliner on its website."
    unveiled = by_trigger(events(nlp, text, "2005-02-17"), "unveiled")
    assert pd.isna(unveiled["date_start"]) and unveiled["date_end"] == pd.Timestamp("2005-02-17")
    assert unveiled["dated_by"] == "tense"


def test_the_narrative_day_carries_to_the_next_sentence_of_its_paragraph_unless_it_is_today(nlp):
    # published Wednesday 1999-06-09: Monday is 1999-06-07
    table = events(nlp, "Prosecutors charged him on Monday. He was arrested at his home.", "1999-06-09")
    arrested = by_trigger(table, "arrested")
    assert arrested["date_start"] == arrested["date_end"] == pd.Timestamp("1999-06-07")
    # "today" adds nothing to the past tense: on or before publication
    table = events(nlp, "The minister resigned today. He left the building through a side door.", "2024-03-06")
    left = by_trigger(table, "left")
    assert pd.isna(left["date_start"]) and left["date_end"] == pd.Timestamp("2024-03-06")
    assert left["dated_by"] == "tense"


def test_an_event_is_dated_by_the_whole_interval_its_time_expression_names(nlp):
    cut = by_trigger(events(nlp, "The company cut 300 jobs in early September.", "1989-10-30"), "cut")
    assert (cut["date_start"], cut["date_end"]) == (pd.Timestamp("1989-09-01"), pd.Timestamp("1989-09-30"))
    assert (cut["precision"], cut["dated_by"]) == ("month", "timex")


def test_a_date_before_an_event_noun_dates_it_and_its_relative_clause(nlp):
    table = events(nlp, "Prosecutors charged two men in the Dec. 21, 1988, bombing of the airliner.", "1999-06-07")
    bombing = by_trigger(table, "bombing")
    assert bombing["date_start"] == bombing["date_end"] == pd.Timestamp("1988-12-21")
    table = events(nlp, "Prosecutors charged him in the 1998 bombing that killed 12 people.", "1999-06-07")
    killed = by_trigger(table, "killed")
    assert (killed["date_start"], killed["date_end"]) == (pd.Timestamp("1998-01-01"), pd.Timestamp("1998-12-31"))


def test_a_definite_event_noun_takes_the_date_of_the_same_event_earlier_in_the_article(nlp):
    # a new paragraph, a month later: only "the slaying" refers back to the killing of Oct. 23
    text = "A doctor was killed on Oct. 23 in his home in Amherst.\n\nInvestigators said the slaying was carefully planned."
    table = events(nlp, text, "1998-11-20")
    slaying = by_trigger(table, "slaying")
    assert slaying["date_start"] == slaying["date_end"] == pd.Timestamp("1998-10-23")
    assert slaying["dated_by"] == "story"
    planned = by_trigger(table, "planned")  # not the same event: bounded by its tense
    assert pd.isna(planned["date_start"]) and planned["dated_by"] == "tense"


# --------------------------------------------------------------------------- statements, conditions, expectations


def test_a_statement_in_a_story_told_in_the_past_that_names_no_day_ends_before_publication(nlp):
    lead = "Acme Corp. posted a sharp drop in its quarterly profit on weak printer sales."
    said = by_trigger(events(nlp, f"{lead}\n\nThe company said demand in Europe was weak.", "1989-10-31"), "said")
    assert pd.isna(said["date_start"]) and said["date_end"] == pd.Timestamp("1989-10-31")
    assert (said["precision"], said["dated_by"]) == ("bound", "tense")


def test_a_statement_stays_on_the_publication_day_under_a_present_lead_or_a_dated_dateline(nlp):
    body = "\n\nThe company said demand in Europe was weak."
    perfect = "Acme Corp. has posted a sharp drop in its quarterly profit on weak printer sales."
    dateline = "Acme profit falls\nOctober 31, 1989\n" + perfect.replace("has posted", "posted")
    for text in (perfect + body, dateline + body):
        said = by_trigger(events(nlp, text, "1989-10-31"), "said")
        assert said["date_start"] == said["date_end"] == pd.Timestamp("1989-10-31"), text
        assert said["dated_by"] == "publication", text


def test_on_a_tie_the_story_reports_on_the_day_before_the_one_it_appears_on(nlp):
    # published Tuesday 1989-10-31: "yesterday" and "today" are each named once
    text = (
        "The board of Acme Corp. will meet today to discuss its dividend.\n\n"
        "Its shares fell sharply yesterday after the profit report.\n\n"
        "Analysts said the drop was deserved."
    )
    said = by_trigger(events(nlp, text, "1989-10-31"), "said")
    assert said["date_start"] == said["date_end"] == pd.Timestamp("1989-10-30")
    assert said["dated_by"] == "narrative"


def test_a_present_tense_under_if_or_unless_has_not_happened_yet(nlp):
    table = events(nlp, "If a suspect is caught, he will face trial in Buffalo.", "1999-04-19")
    caught = by_trigger(table, "caught")
    assert caught["date_start"] == pd.Timestamp("1999-04-19") and pd.isna(caught["date_end"])
    assert (caught["precision"], caught["dated_by"]) == ("bound", "tense")


def test_the_arrest_that_a_reward_asks_information_for_is_still_to_come(nlp):
    text = "The FBI is offering a reward for information leading to the arrest of the gunman."
    arrest = by_trigger(events(nlp, text, "1999-06-07"), "arrest")
    assert arrest["date_start"] == pd.Timestamp("1999-06-07") and pd.isna(arrest["date_end"])


def test_a_modal_perfect_looks_back(nlp):
    buried = by_trigger(events(nlp, "The rifle may have been buried behind the house.", "1999-05-06"), "buried")
    assert pd.isna(buried["date_start"]) and buried["date_end"] == pd.Timestamp("1999-05-06")
    assert buried["dated_by"] == "tense"


def test_an_expectation_is_not_dated_by_the_time_of_what_it_expects(nlp):
    table = events(nlp, "The sale is expected to close in December.", "1989-10-30")
    close, expected = by_trigger(table, "close"), by_trigger(table, "expected")
    assert (close["date_start"], close["date_end"]) == (pd.Timestamp("1989-12-01"), pd.Timestamp("1989-12-31"))
    assert expected["date_start"] == expected["date_end"] == pd.Timestamp("1989-10-30")
    assert expected["dated_by"] == "publication"


def test_a_date_under_an_adjective_dates_that_state_not_the_verb(nlp):
    text = "The directors declared a dividend of ten cents a share, payable Dec. 7."
    declared = by_trigger(events(nlp, text, "1989-10-27"), "declared")
    assert declared["dated_by"] != "timex"
    assert declared["date_end"] <= pd.Timestamp("1989-10-27")


def test_a_story_naming_three_days_equally_often_reports_on_none_of_them(nlp):
    # published Monday 1998-10-26: Friday, Saturday and Sunday are each named once
    text = (
        "The doctor was shot on Friday. His colleagues met on Saturday. Mourners gathered on Sunday.\n\n"
        "Investigators said the gunman fled on foot."
    )
    said = by_trigger(events(nlp, text, "1998-10-26"), "said")
    assert said["dated_by"] != "narrative"
    assert pd.isna(said["date_start"]) and said["date_end"] == pd.Timestamp("1998-10-26")


def test_a_raid_by_law_enforcement_is_an_arrest_and_one_by_gunmen_or_troops_is_violence(nlp):
    cases = {
        "Police raided a warehouse in the old port on Tuesday.": ("raided", "arrest"),
        "The customs officers, who raided the depot on Monday, found no weapons.": ("raided", "arrest"),
        "Officers arrested six men in a raid on a gambling den on Friday.": ("raid", "arrest"),
        "Two men were hurt in Friday's drug raid.": ("raid", "arrest"),
        "Gunmen raided a village on Tuesday and killed four farmers.": ("raided", "violence"),
        "Rebels raided a police station on Sunday.": ("raided", "violence"),  # the police are its target
        "Troops raided the rebel camp on Monday, killing five fighters.": ("raided", "violence"),
        "Three soldiers were killed in a raid by militants on Friday.": ("raid", "violence"),
    }
    for text, (trigger, kind) in cases.items():
        assert by_trigger(events(nlp, text, "2024-03-06"), trigger)["kind"] == kind, text
