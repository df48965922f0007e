"""Quantities: the seed article's amounts, the span and exclusion rules, and MEANTIME scores."""

from __future__ import annotations

import pytest

from newskit.extract.pipeline import prepare_doc, run_extractors


def quantities_of(nlp, text: str) -> list[dict]:
    doc = prepare_doc(nlp(text), published=None)
    return run_extractors(doc, until="quantities")["quantities"]


def by_text(rows: list[dict]) -> dict[str, dict]:
    return {row["text"]: row for row in rows}


# --------------------------------------------------------------------------- the seed article (EXPECTED.md)


def test_seed_ethnic_albanians_around_1_8_million(seed_facts):
    rows = seed_facts.quantities
    row = rows[rows["value"] == 1_800_000].iloc[0]
    assert row["text"] == "around 1.8 million"
    assert row["mod"] == "APPROX"
    assert row["counted"] == "ethnic Albanians"
    assert row["kind"] == "COUNT"
    text = seed_facts.articles.loc[0, "text"]
    assert text[row["start"] : row["end"]] == "around 1.8 million"


def test_seed_serbian_minority_approximately_50000_individuals(seed_facts):
    rows = seed_facts.quantities
    row = rows[rows["value"] == 50_000].iloc[0]
    assert row["text"] == "approximately 50,000"
    assert row["mod"] == "APPROX"
    assert "Serbian minority" in row["counted"] and "individuals" in row["counted"]


def test_seed_has_no_year_or_decades_as_quantities(seed_facts):
    texts = set(seed_facts.quantities["text"])
    assert "2008" not in texts
    assert not any("two" in t.lower() for t in texts)  # `More than two decades` is a time expression


# --------------------------------------------------------------------------- span rules (MEANTIME extents)


def test_money_span_holds_currency_and_scale(nlp):
    row = by_text(quantities_of(nlp, "The ministry paid $ 3.5 million to settle the claim."))["$ 3.5 million"]
    assert (row["kind"], row["unit"], row["value"]) == ("MONEY", "USD", 3_500_000)


def test_span_holds_modifier_but_not_the_counted_noun(nlp):
    rows = by_text(quantities_of(nlp, "The storm damaged more than 200 homes along the coast."))
    row = rows["more than 200"]
    assert (row["mod"], row["low"], row["high"]) == ("MORE_THAN", 200, None)
    assert row["counted"] == "homes"


def test_range_between_and(nlp):
    row = by_text(quantities_of(nlp, "The plant employs between 300 and 400 workers."))["between 300 and 400"]
    assert (row["low"], row["high"], row["value"], row["mod"]) == (300, 400, 350, "RANGE")


def test_percent_keeps_the_word_percent(nlp):
    row = by_text(quantities_of(nlp, "Profits rose 12 percent in the quarter."))["12 percent"]
    assert (row["kind"], row["unit"]) == ("PERCENT", "percent")


def test_vague_amount_and_what_it_counts(nlp):
    row = by_text(quantities_of(nlp, "Inspectors found dozens of rifles in the warehouse."))["dozens of"]
    assert (row["low"], row["high"], row["counted"]) == (24, None, "rifles")


def test_number_words(nlp):
    row = by_text(quantities_of(nlp, "The council hired twenty-one new teachers."))["twenty-one"]
    assert row["value"] == 21 and row["counted"] == "new teachers"


# --------------------------------------------------------------------------- what is not a quantity


@pytest.mark.parametrize(
    "text",
    [
        "The bridge opened in 1998 and closed on March 3.",
        "The meeting starts at 10:30 on Tuesday.",
        "She is one of the founders of the club.",
        "He finished third in the race.",
        "For tickets call (555) 867-5309 or 555-867-5309.",
        "Shots were fired in the 300 block of Pine Street.",
        "The airline flies the Boeing 747 and the new Airbus A350.",
        "No one answered the door.",
    ],
)
def test_not_quantities(nlp, text):
    assert quantities_of(nlp, text) == []


def test_the_two_refers_back_and_is_not_counted_again(nlp):
    texts = {row["text"] for row in quantities_of(nlp, "Talks between the two countries resumed.")}
    assert texts == set()


def test_hundreds_of_thousands_is_one_amount(nlp):
    rows = quantities_of(nlp, "Hundreds of thousands of people marched through the capital.")
    assert [(r["text"], r["low"], r["counted"]) for r in rows] == [("Hundreds of thousands of", 200_000, "people")]


# --------------------------------------------------------------------------- MEANTIME (../shared)


@pytest.mark.corpus
@pytest.mark.slow
def test_meantime_quantities_targets(corpora_dir):
    import newskit.evaluate as ev

    report = ev.run("quantities", corpora_dir / "meantime-airbus-apple")
    table = report.tables["all"]
    assert table.loc["relaxed", "F1"] >= 0.85
    assert table.loc["strict", "F1"] >= 0.75
