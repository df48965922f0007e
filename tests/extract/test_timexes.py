"""Time expressions: detection, TIMEX3 type/value/mod, calendar intervals and anchoring."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import newskit as nk
from newskit.extract._timex_rules import interval, normalise


def timexes(nlp, text: str, published: str | None) -> pd.DataFrame:
    return nk.extract_text(text, published=published, nlp=nlp).timexes


def one(nlp, text: str, published: str | None, surface: str) -> pd.Series:
    table = timexes(nlp, text, published)
    rows = table[table["text"] == surface]
    assert len(rows) == 1, f"expected one timex {surface!r} in {text!r}, got {table['text'].tolist()}"
    return rows.iloc[0]


# --------------------------------------------------------------------------- the seed article


def test_seed_article_time_expressions(seed_facts, seed_text):
    table = seed_facts.timexes
    year = table[table["text"] == "2008"].iloc[0]
    assert (year["type"], year["value"]) == ("DATE", "2008")
    assert pd.isna(year["mod"])
    assert (year["date_start"], year["date_end"]) == (pd.Timestamp("2008-01-01"), pd.Timestamp("2008-12-31"))
    assert seed_text[year["start"] : year["end"]] == "2008"

    decades = table[table["text"] == "More than two decades"].iloc[0]
    assert decades["type"] == "DURATION"
    assert decades["value"] in ("P20Y", "P2DE")
    assert decades["mod"] == "MORE_THAN"
    assert pd.isna(decades["date_start"])
    # "in 2008" sits in the fifth sentence, "More than two decades" in the sixth
    assert (year["sentence"], decades["sentence"]) == (4, 5)


# --------------------------------------------------------------------------- tense and the publication date


def test_monday_in_a_past_tense_sentence_is_the_monday_before_publication(nlp):
    # 2024-03-06 is a Wednesday
    row = one(nlp, "The talks collapsed on Monday.", "2024-03-06", "Monday")
    assert (row["type"], row["value"], row["anchor"]) == ("DATE", "2024-03-04", "publication")
    assert row["date_start"] == row["date_end"] == pd.Timestamp("2024-03-04")


def test_monday_in_a_future_tense_sentence_is_the_monday_after_publication(nlp):
    row = one(nlp, "The talks will resume on Monday.", "2024-03-06", "Monday")
    assert row["value"] == "2024-03-11"


def test_planned_event_is_in_the_future(nlp):
    row = one(nlp, "The minister is expected to arrive in Paris on Friday.", "2024-03-06", "Friday")
    assert row["value"] == "2024-03-08"


def test_without_publication_date_relative_values_stay_unresolved(nlp):
    table = timexes(nlp, "The talks collapsed on Monday, and prices rose last week.", None)
    values = dict(zip(table["text"], table["value"], strict=False))
    assert values["Monday"] == "XXXX-WXX-1"
    assert values["last week"] == "XXXX-WXX"
    assert table["date_start"].isna().all()
    assert table["anchor"].isna().all()


def test_absolute_dates_need_no_publication_date(nlp):
    row = one(nlp, "The treaty was signed on Aug. 7, 1998, in Nairobi.", None, "Aug. 7, 1998")
    assert (row["value"], row["date_start"]) == ("1998-08-07", pd.Timestamp("1998-08-07"))
    assert pd.isna(row["anchor"])


def test_last_week_is_an_iso_week(nlp):
    # 2013-03-20 is in ISO week 12; the week before is W11 (Monday 11 to Sunday 17 March)
    row = one(nlp, "Prices fell sharply last week.", "2013-03-20", "last week")
    assert (row["type"], row["value"]) == ("DATE", "2013-W11")
    assert (row["date_start"], row["date_end"]) == (pd.Timestamp("2013-03-11"), pd.Timestamp("2013-03-17"))


def test_earlier_this_year_runs_from_january_to_publication(nlp):
    row = one(nlp, "The company cut 300 jobs earlier this year.", "2013-03-20", "earlier this year")
    assert (row["value"], row["mod"]) == ("2013", "START")
    assert (row["date_start"], row["date_end"]) == (pd.Timestamp("2013-01-01"), pd.Timestamp("2013-03-20"))


def test_yesterday_and_a_year_ago(nlp):
    table = timexes(nlp, "Shares rose 3% yesterday, after falling a year ago.", "1998-02-06")
    values = dict(zip(table["text"], table["value"], strict=False))
    assert values["yesterday"] == "1998-02-05"
    assert values["a year ago"] == "1997"


def test_now_is_present_ref(nlp):
    row = one(nlp, "The company now employs 4,000 people.", "2013-03-20", "now")
    assert (row["type"], row["value"]) == ("DATE", "PRESENT_REF")


# --------------------------------------------------------------------------- durations, sets, decades


def test_durations(nlp):
    table = timexes(nlp, "Rebels held the town for three years; the siege lasted more than four hours.", "2013-03-20")
    rows = {
        t: (ty, v, m) for t, ty, v, m in zip(table["text"], table["type"], table["value"], table["mod"], strict=False)
    }
    assert rows["three years"][:2] == ("DURATION", "P3Y")
    assert rows["more than four hours"] == ("DURATION", "PT4H", "MORE_THAN")
    assert table["date_start"].isna().all()


def test_sets(nlp):
    table = timexes(nlp, "The board meets quarterly, and the shuttle leaves every Thursday.", "2013-03-20")
    rows = {t: (ty, v) for t, ty, v in zip(table["text"], table["type"], table["value"], strict=False)}
    assert rows["quarterly"] == ("SET", "P3M")
    assert rows["every Thursday"] == ("SET", "XXXX-WXX-4")


def test_decades(nlp):
    table = timexes(nlp, "Violence peaked in the 1990s and began in the late 1970s.", "2013-03-20")
    rows = {t: (v, m) for t, v, m in zip(table["text"], table["value"], table["mod"], strict=False)}
    assert rows["the 1990s"][0] == "199X"
    assert rows["the late 1970s"] == ("197X", "END")
    decade = table[table["text"] == "the 1990s"].iloc[0]
    assert (decade["date_start"], decade["date_end"]) == (pd.Timestamp("1990-01-01"), pd.Timestamp("1999-12-31"))


def test_ages_are_not_time_expressions(nlp):
    table = timexes(nlp, "Mr. Smith, 52 years old, and his 6-year-old son left.", "2013-03-20")
    assert table.empty


def test_the_following_year_is_anchored_on_the_text(nlp):
    table = timexes(nlp, "He was promoted in 1995, and the following year he retired.", "2013-03-20")
    row = table[table["text"] == "the following year"].iloc[0]
    assert row["value"] == "1996"
    first = table[table["text"] == "1995"].iloc[0]
    assert row["anchor"] == f"timex:{first['start']}"


def test_quarter_ended_on_a_day_is_the_calendar_quarter_and_sets_the_comparison(nlp):
    # 1989-10-30: a quarter ending July 31 covers May-July, mostly the second calendar quarter
    table = timexes(
        nlp, "In the quarter ended July 31, Jayark lost money. A year earlier it earned $1 million.", "1989-10-30"
    )
    assert table.loc[table["text"] == "the quarter", "value"].tolist() == ["1989-Q2"]
    assert table.loc[table["text"] == "A year earlier", "value"].tolist() == ["1988-Q2"]


def test_deadline_after_until_is_ahead_of_publication(nlp):
    # 2000-04-03 is a Monday: "until 9 a.m. Tuesday" is the next day, not last week's Tuesday
    row = one(nlp, "The agency extended its deadline until 9 a.m. Tuesday.", "2000-04-03", "9 a.m. Tuesday")
    assert (row["type"], row["value"]) == ("TIME", "2000-04-04T09:00")


def test_clock_time_takes_the_day_named_after_it(nlp):
    # 1998-08-08 is a Saturday
    table = timexes(nlp, "The blast occurred at 10:35 a.m. (0735 GMT) Friday, toppling a building.", "1998-08-08")
    clock = table[table["type"] == "TIME"].iloc[0]
    assert clock["value"] == "1998-08-07T10:35"


def test_duration_of_a_year_is_two_expressions(nlp):
    table = timexes(nlp, "Job growth averaged 242,000 for the first nine months of 1997.", "1998-02-06")
    assert table[["text", "value"]].values.tolist() == [["the first nine months", "P9M"], ["1997", "1997"]]


def test_now_that_is_present_but_a_now_compound_is_not(nlp):
    row = one(nlp, "Aqaba is the only outlet now that a blockade is in place.", "1990-08-16", "now")
    assert row["value"] == "PRESENT_REF"
    assert timexes(nlp, "He spoke against the now-cancelled deal.", "2004-11-20").empty


def test_one_day_after_a_modal_is_some_future_day(nlp):
    row = one(nlp, "Islam will one day be the second largest religion in the country.", "1998-03-03", "one day")
    assert (row["type"], row["value"]) == ("DATE", "FUTURE_REF")


def test_programme_titles_are_not_time_expressions(nlp):
    table = timexes(nlp, 'James Baker, speaking on ABC News\' "This Week," defended the plan.', "1990-08-13")
    assert "This Week" not in table["text"].tolist()


def test_hours_of_stored_media_are_not_durations(nlp):
    text = (
        "The new player holds 40 hours of video. On the larger model, 90 hours can be stored. "
        "The talks lasted 12 hours."
    )
    surfaces = timexes(nlp, text, "2005-10-13")["text"].tolist()
    assert "40 hours" not in surfaces
    assert "90 hours" not in surfaces
    assert "12 hours" in surfaces  # the time an event took stays a duration


def test_the_next_morning_follows_the_day_last_named(nlp):
    table = timexes(nlp, "He was hounded on Tuesday. He appeared in court the next morning.", "2000-02-24")
    assert table.loc[table["text"] == "the next morning", "value"].tolist() == ["2000-02-23"]


def test_a_day_set_by_a_verb_in_the_simple_present_is_ahead(nlp):
    # 2024-03-06 is a Wednesday: news tells what happened in the past tense, so "meet Monday" is a schedule
    assert one(nlp, "The two leaders meet Monday in Geneva.", "2024-03-06", "Monday")["value"] == "2024-03-11"
    text = "On Thursday, the league plans to screen a new advertisement."
    assert one(nlp, text, "2024-03-06", "Thursday")["value"] == "2024-03-07"
    # a past tense keeps looking back, and so does a headline, which tells the past in the present
    assert one(nlp, "The two leaders met Monday in Geneva.", "2024-03-06", "Monday")["value"] == "2024-03-04"
    headline = "Leaders meet in Geneva Monday\n\nThe talks began in the morning and ended without a deal."
    assert one(nlp, headline, "2024-03-06", "Monday")["value"] == "2024-03-04"


def test_a_change_effective_on_a_day_is_ahead(nlp):
    text = "The bank created a new office of the chairman, effective Feb. 1."
    assert one(nlp, text, "2023-10-26", "Feb. 1")["value"] == "2024-02-01"


def test_a_month_after_a_modal_of_possibility_is_the_coming_one(nlp):
    text = "The new members can now take part in planning for the summit in April."
    assert one(nlp, text, "2023-12-05", "April")["value"] == "2024-04"
    # a modal perfect looks back
    text = "The leak may have started in April."
    assert one(nlp, text, "2023-12-05", "April")["value"] == "2023-04"


def test_a_mixed_number_of_hours_is_one_duration(nlp):
    table = timexes(nlp, "She will then spend about 5 1/2 hours in Nairobi.", "2023-12-05")
    assert table["text"].tolist() == ["about 5 1/2 hours"]
    assert (table.loc[0, "type"], table.loc[0, "value"]) == ("DURATION", "PT5H30M")


def test_the_early_hours_of_a_day_are_not_a_duration(nlp):
    text = "Police arrested him at the airport in the early hours of Thursday morning."
    assert timexes(nlp, text, "2023-12-08")["text"].tolist() == ["Thursday morning"]


def test_a_participle_clause_takes_the_tense_of_the_clause_it_hangs_from(nlp):
    text = "The airline said new flights would leave on Mondays, with the third departing each Thursday from August 6."
    assert one(nlp, text, "2024-03-06", "August 6")["value"] == "2024-08-06"


def test_this_coming_sunday_with_its_date_in_words(nlp):
    text = "International Women's Day is this coming Sunday, March tenth."
    row = one(nlp, text, "2024-03-06", "this coming Sunday, March tenth")
    assert (row["type"], row["value"]) == ("DATE", "2024-03-10")


def test_years_and_days_in_a_list_are_each_an_expression(nlp):
    table = timexes(nlp, "Doctors were shot at in 1994, 1995 and 1997.", "2024-03-06")
    assert table["value"].tolist() == ["1994", "1995", "1997"]
    table = timexes(nlp, "The summit will be held on April 24 and 25.", "2024-03-06")
    assert dict(zip(table["text"], table["value"], strict=True)) == {"April 24": "2024-04-24", "25": "2024-04-25"}


def test_the_day_before_a_named_day(nlp):
    text = "The day before last Tuesday's hearing, the lawyers met at his home."
    row = one(nlp, text, "2024-03-06", "The day before last Tuesday")
    assert row["value"] == "2024-03-04"  # last Tuesday is 2024-03-05


def test_an_hour_told_by_the_part_of_the_day_is_a_clock_time(nlp):
    row = one(nlp, "The ferry leaves at 5 in the morning, the harbour master said.", "2024-03-06", "5 in the morning")
    assert (row["type"], row["value"]) == ("TIME", "2024-03-06T05:00")
    row = one(nlp, "Neighbours heard shouting at eleven at night.", "2024-03-06", "eleven at night")
    assert row["value"] == "2024-03-06T23:00"


def test_a_clock_time_takes_the_day_that_closes_its_gloss_in_brackets(nlp):
    text = "The convoy will set off at 6 in the evening (1800 GMT Friday), organisers said."
    row = one(nlp, text, "2024-03-06", "6 in the evening")  # published on a Wednesday
    assert row["value"] == "2024-03-08T18:00"


def test_holidays_that_move_with_easter(nlp):
    text = "Pilgrims filled the old town as Holy Week began, and the procession will leave on Good Friday."
    table = timexes(nlp, text, "2025-04-14")  # Easter Sunday 2025 is April 20
    assert dict(zip(table["text"], table["value"], strict=True)) == {
        "Holy Week": "2025-W16",
        "Good Friday": "2025-04-18",
    }


def test_a_year_after_pre_or_post_is_that_year_with_its_side(nlp):
    row = one(nlp, "Historians compared the post-1945 settlement with the one before it.", "2024-03-06", "post-1945")
    assert (row["value"], row["mod"]) == ("1945", "AFTER")


def test_a_day_long_meeting_lasts_a_day(nlp):
    row = one(nlp, "The ministers left their second day-long meeting without a deal.", "2024-03-06", "day-long")
    assert (row["type"], row["value"]) == ("DURATION", "P1D")


# --------------------------------------------------------------------------- the rules without spaCy


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        ("the third quarter", "past", ("DATE", "1989-Q3", None)),
        ("third-quarter", None, ("DATE", "1989-Q3", None)),
        ("last fall", "past", ("DATE", "1989-FA", None)),
        ("the first half", None, ("DATE", "1989-H1", None)),
        ("mid-1996", None, ("DATE", "1996", "MID")),
        ("the 20th century", None, ("DATE", "19", None)),
        ("the '80s", None, ("DATE", "198X", None)),
        ("early next year", "future", ("DATE", "1990", "START")),
        ("5 p.m. EST Nov. 9", "future", ("TIME", "1989-11-09T17:00", None)),
        ("Friday morning", "past", ("TIME", "1989-10-27TMO", None)),
        ("a couple of years", None, ("DURATION", "P2Y", None)),
        ("the past two months", "past", ("DURATION", "P2M", None)),
        ("nearly forty years", None, ("DURATION", "P40Y", "APPROX")),
        ("at least 30 days", None, ("DURATION", "P30D", "EQUAL_OR_MORE")),
        ("years", None, ("DURATION", "PXY", None)),
        ("recently", "past", ("DATE", "PAST_REF", None)),
        ("the future", "future", ("DATE", "FUTURE_REF", None)),
        ("nineteen ninety-six", None, ("DATE", "1996", None)),
        ("1994 or later", None, ("DATE", "1994", "ON_OR_AFTER")),
        ("Thanksgiving Day", "past", ("DATE", "1988-11-24", None)),
        # fractions are written in the next smaller unit, as TimeBank does
        ("2 1/2 years", None, ("DURATION", "P2Y6M", None)),
        ("5 1/2 hours", None, ("DURATION", "PT5H30M", None)),
        ("a minute and a half", None, ("DURATION", "PT1M30S", None)),
        ("the last half of 1989", None, ("DATE", "1989-H2", None)),
        ("the past decade", "past", ("DURATION", "P10Y", None)),
        ("decades", None, ("DURATION", "PXY", None)),
        ("January nineteen ninety-seven", None, ("DATE", "1997-01", None)),
        ("the winter of nineteen ninety-four", None, ("DATE", "1994-WI", None)),
        ("the previous Friday", "past", ("DATE", "1989-10-20", None)),
        ("last year's quarter", "past", ("DATE", "1988-Q3", None)),
        ("the day after Christmas", "past", ("DATE", "1988-12-26", None)),
        ("March eighth", "future", ("DATE", "1990-03-08", None)),
        ("this coming Friday", None, ("DATE", "1989-11-03", None)),
        # the Tuesday after the first Monday of November; the last Monday of May
        ("Election Day", "future", ("DATE", "1989-11-07", None)),
        ("Memorial Day", "past", ("DATE", "1989-05-29", None)),
        # Easter Sunday 1989 was March 26; Easter 1990 falls on April 15
        ("Easter", "past", ("DATE", "1989-03-26", None)),
        ("Easter Monday", "future", ("DATE", "1990-04-16", None)),
        ("Palm Sunday", "past", ("DATE", "1989-03-19", None)),
        ("Easter week", "past", ("DATE", "1989-W12", None)),
        ("4 in the morning", None, ("TIME", "1989-10-30T04:00", None)),
        ("3:30 in the afternoon", None, ("TIME", "1989-10-30T15:30", None)),
        ("12 in the morning", None, ("TIME", "1989-10-30T00:00", None)),
        ("pre-1990s", None, ("DATE", "199X", "BEFORE")),
        ("week-long", None, ("DURATION", "P1W", None)),
        ("months-long", None, ("DURATION", "PXM", None)),
    ],
)
def test_normalise(text, tense, expected):
    # the DCT is Monday 1989-10-30, as in many Wall Street Journal articles of TimeBank
    found = normalise(text, dct=dt.date(1989, 10, 30), tense=tense)
    assert found is not None
    assert (found.type, found.value, found.mod) == expected


def test_normalise_refuses_non_time_words():
    assert normalise("the committee", dct=dt.date(1989, 10, 30)) is None
    assert normalise("52", dct=dt.date(1989, 10, 30)) is None


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2013-W11", "2013-03-11", "2013-03-17"),
        ("2012-SU", "2012-06-01", "2012-08-31"),
        ("2012-WI", "2012-12-01", "2013-02-28"),
        ("1998-Q3", "1998-07-01", "1998-09-30"),
        ("2000-02", "2000-02-01", "2000-02-29"),
        ("199", "1990-01-01", "1999-12-31"),
        ("199X", "1990-01-01", "1999-12-31"),
        ("18XX", "1800-01-01", "1899-12-31"),
        ("2023-11-06T17:00", "2023-11-06", "2023-11-06"),
    ],
)
def test_interval(value, first, last):
    assert interval(value) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def test_interval_of_unresolved_values_is_none():
    assert interval("XXXX-WXX-1") is None
    assert interval("PRESENT_REF") is None


# --------------------------------------------------------------------------- the dev corpus


@pytest.mark.corpus
def test_timebank_aquaint_scores(corpora_dir):
    """TempEval-3 task A on timebank-aquaint with the official scorer.

    256 documents; about 2 minutes (the spaCy parse of every extractor dominates, the
    time expressions themselves take about 10 ms a document).
    """
    import newskit.evaluate as ev

    report = ev.run("timex", corpora_dir / "timebank-aquaint")
    table = report.tables["all"]  # timebank + aquaint pooled
    assert table.loc["relaxed", "F1"] >= 0.90, str(report)
    assert table.loc["value", "F1"] >= 0.80, str(report)


# --- time expressions in the wild (tests/fixtures/timex_wild.tsv, sentences written for newskit) ---

WILD = Path(__file__).resolve().parents[1] / "fixtures" / "timex_wild.tsv"


def _wild_cases() -> list[tuple[str, str, str | None]]:
    cases = []
    for line in WILD.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            sentence, expected, *known = line.split("\t")
            cases.append((sentence, expected, known[0] if known else None))
    return cases


def _cell(value) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


@pytest.fixture(scope="module")
def wild_timexes(nlp):
    from newskit.evaluate import articles_from_gold
    from newskit.extract import extract

    cases = _wild_cases()
    records = [{"doc_id": f"s{i}", "text": s, "published": "2021-06-15"} for i, (s, _, _) in enumerate(cases)]
    timexes = extract(articles_from_gold(records), nlp=nlp).timexes
    timexes = timexes[timexes["type"].isin(["DATE", "TIME"])]
    got = {f"s{i}": [] for i in range(len(cases))}
    for row in timexes.itertuples():
        got[row.article_id].append(f"{row.text}|{row.type}|{_cell(row.value)}|{_cell(row.mod)}")
    return [(s, e, k, " ;; ".join(got[f"s{i}"])) for i, (s, e, k) in enumerate(cases)]


def test_wild_fixture_is_large_and_mostly_negative():
    cases = _wild_cases()
    assert len(cases) >= 150
    assert sum(1 for _, expected, _ in cases if not expected) >= 60  # numbers that are not dates


def test_wild_numbers_that_are_not_dates_and_decades(wild_timexes):
    wrong = [f"{s!r}: expected {e!r}, got {g!r}" for s, e, known, g in wild_timexes if known is None and g != e]
    assert not wrong, "\n".join(wrong)
    # The known misses stay few (each names why in the fixture).
    assert sum(1 for _, _, known, _ in wild_timexes if known) <= 10


@pytest.mark.parametrize(
    ("text", "value", "whole", "share"),
    [
        # "late" is the last third of the century, "early" the first third of the decade.
        ("The house was built in the late 1800s.", "18XX", ("1800-01-01", "1899-12-31"), (0.3, 0.35)),
        ("Sales peaked in the early 2000s.", "200X", ("2000-01-01", "2009-12-31"), (0.3, 0.35)),
        ("Crime rose sharply in the 1990s.", "199X", ("1990-01-01", "1999-12-31"), (1.0, 1.0)),
    ],
)
def test_decades_and_centuries_have_intervals(nlp, text, value, whole, share):
    import newskit as nk

    row = nk.extract_text(text, published="2021-06-15", nlp=nlp).timexes.iloc[0]
    assert row["value"] == value
    first, last = (dt.date.fromisoformat(d) for d in whole)
    start, end = row["date_start"].date(), row["date_end"].date()
    assert first <= start <= end <= last
    assert share[0] <= ((end - start).days + 1) / ((last - first).days + 1) <= share[1]
    assert (start == first) if "early" in text else (end == last)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # capitals are matched without case, as IGNORECASE does
        ("Police said SUNDAY MORNING that two people died 3 DAYS AGO.", ["SUNDAY MORNING", "3 DAYS AGO"]),
        # curly quotes and dashes outside ASCII keep the fast scan's offsets right
        ("“We met last week” — on Monday, she said.", ["last week", "Monday"]),
        # characters that IGNORECASE folds onto ASCII letters though str.lower() does not
        ("la\u017ft week", ["la\u017ft week"]),
        ("\u0130n 2019 prices rose", ["2019"]),
        ("\u212aelvin came on Monday", ["Monday"]),
    ],
)
def test_word_timex_scan_finds_what_a_case_insensitive_scan_finds(text, expected):
    from newskit.extract.timexes import _word_timexes

    assert [text[start:end] for start, end in _word_timexes(text)] == expected
