"""Attributions: who said or claimed what (seed acceptance, one sentence per pattern, PolNeAR dev)."""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest

from newskit.evaluate.attribution import match_attributions
from newskit.extract._quotes import continue_quote, extend_to_quotes, find_quotes, inside_quote, within
from newskit.extract.attributions import extract_attributions
from newskit.extract.pipeline import prepare_doc, run_extractors


def _rows(nlp, text: str) -> list[dict]:
    doc = prepare_doc(nlp(text), article_id="t")
    return run_extractors(doc, until="attributions")["attributions"]


def _one(rows: list[dict], content_part: str) -> dict:
    matching = [r for r in rows if content_part in r["content"]]
    assert matching, f"no attribution whose content holds {content_part!r}: {[r['content'] for r in rows]}"
    return matching[0]


# --- the seed article (EXPECTED.md, Attributions) -----------------------------------------------


@pytest.fixture(scope="module")
def seed_attributions(seed_facts):
    return seed_facts.attributions


def _seed_row(table, content_part: str) -> dict:
    rows = table[table["content"].str.contains(content_part, regex=False)]
    assert len(rows), f"no attribution with {content_part!r}: {table['content'].tolist()}"
    return rows.iloc[0].to_dict()


@pytest.mark.parametrize(
    ("content", "source", "cue"),
    [
        ("potentially dangerous", "Kremlin", "considers"),
        ("extremely difficult", "Dmitry Peskov", "describing"),
        ("very, very tense", "Dmitry Peskov", "describing"),
    ],
)
def test_seed_direct_quotes(seed_attributions, content, source, cue):
    row = _seed_row(seed_attributions, content)
    assert row["kind"] == "direct"
    assert row["content"] == content
    assert row["source"] == source
    assert row["cue"] == cue


def test_seed_quotes_are_their_own_rows(seed_attributions):
    """`describing it as “extremely difficult” and “very, very tense”` gives two direct quotes."""
    quoted = seed_attributions[seed_attributions["kind"] == "direct"]
    assert sorted(quoted["content"]) == ["extremely difficult", "potentially dangerous", "very, very tense"]


def test_seed_peskov_emphasized(seed_attributions):
    row = _seed_row(seed_attributions, "the seriousness of the situation")
    assert row["source"] == "Dmitry Peskov"
    assert row["cue"] == "emphasized"
    assert row["kind"] == "indirect"


def test_seed_they_expressed_concern_is_russia(seed_attributions):
    row = _seed_row(seed_attributions, "the biased treatment of the Serbian community")
    assert row["source_text"] == "they"
    assert row["source"] == "Russia"
    assert "expressed" in row["cue"]


def test_seed_ministry_attributes_bloodshed_to_kurti(seed_attributions):
    row = _seed_row(seed_attributions, "the bloodshed to the policies")
    assert row["source"] == "Foreign Ministry (Russia)"
    assert row["cue"] == "attributing"
    assert row["target"] == "Albin Kurti"
    echoed = _seed_row(seed_attributions, "concerns")
    assert echoed["cue"] == "echoed"
    assert echoed["source"] == "Foreign Ministry (Russia)"


def test_seed_they_accused_kurti(seed_attributions):
    row = _seed_row(seed_attributions, "of inciting conflict")
    assert row["source_text"] == "They"
    assert row["source"] == "Foreign Ministry (Russia)"
    assert row["cue"] == "accused"
    assert row["target"] == "Albin Kurti"


def test_seed_according_to_the_ministry(seed_attributions, seed_text):
    row = _seed_row(seed_attributions, "this unrest is a direct result of Kurti’s agenda")
    assert row["cue"] == "According to"
    assert row["source_text"] == "the ministry"
    assert row["source"] == "Foreign Ministry (Russia)"
    assert seed_text[row["source_start"] : row["source_end"]] == "the ministry"
    assert seed_text[row["content_start"] : row["content_end"]] == row["content"]


def test_seed_writer_voice_is_not_attributed(seed_attributions):
    closing = seed_attributions["content"].str.contains("closely monitor|path to reconciliation")
    assert not closing.any()


def test_seed_spans_point_into_text(seed_attributions, seed_text):
    for row in seed_attributions.to_dict("records"):
        assert seed_text[row["content_start"] : row["content_end"]] == row["content"]
        assert seed_text[row["cue_start"] : row["cue_end"]] == row["cue"]
        if not pd.isna(row["source_text"]):
            assert seed_text[row["source_start"] : row["source_end"]] == row["source_text"]


# --- one sentence per pattern ---------------------------------------------------------------------


def test_said_that(nlp):
    row = _one(_rows(nlp, "The minister said that the talks would resume next week."), "talks would resume")
    assert row["cue"] == "said"
    assert row["source_text"] == "The minister"
    assert row["kind"] == "indirect"


def test_sentence_final_said(nlp):
    text = "The border will stay closed until further notice, a police spokeswoman said."
    row = _one(_rows(nlp, text), "The border will stay closed")
    assert row["cue"] == "said"
    assert row["source_text"] == "a police spokeswoman"


def test_straight_quote_with_speaker_after(nlp):
    text = 'Maria Lopez arrived on Monday. "We have lost everything," she said.'
    row = _one(_rows(nlp, text), "We have lost everything")
    assert row["kind"] == "direct"
    assert row["source_text"] == "she"
    assert row["source"] == "Maria Lopez"


def test_ptb_quotes(nlp):
    text = "``The deal is dead,'' the senator told reporters."
    row = _one(_rows(nlp, text), "The deal is dead")
    assert row["kind"] == "direct"
    assert row["cue"] == "told"


def test_quote_spanning_sentences(nlp):
    text = "“Prices will rise. Nobody can stop that now,” the central bank governor warned."
    row = _one(_rows(nlp, text), "Prices will rise")
    assert "Nobody can stop that now" in row["content"]
    assert row["cue"] == "warned"
    assert row["kind"] == "direct"


def test_quote_with_speaker_in_previous_sentence(nlp):
    text = "The mayor said on Friday: \n“We will rebuild every house that was destroyed in the flood.”"
    rows = _rows(nlp, text)
    row = _one(rows, "We will rebuild every house")
    assert row["source_text"] == "The mayor"


def test_quote_with_speaker_in_next_sentence(nlp):
    text = (
        "Rescue teams worked through the night. “We have found nobody alive in the rubble so far.” "
        "The fire chief said the search would continue."
    )
    row = _one(_rows(nlp, text), "We have found nobody alive")
    assert row["kind"] == "direct"
    assert row["source_text"] == "The fire chief"


def test_partial_quote_inside_reported_speech_is_mixed(nlp):
    text = "The opposition leader described the budget as a “betrayal of working families” in a long speech."
    row = _one(_rows(nlp, text), "betrayal of working families")
    assert row["cue"] == "described"
    assert row["kind"] == "mixed"


def test_accused_of_with_target(nlp):
    text = "Prime Minister Ana Brnabic accused Albin Kurti of provoking the violence."
    row = _one(_rows(nlp, text), "of provoking the violence")
    assert row["cue"] == "accused"
    assert row["target"] == "Albin Kurti"


def test_according_to_sentence_initial_and_final(nlp):
    rows = _rows(
        nlp, "According to the police, two suspects fled the scene. The vote was delayed, according to Reuters."
    )
    first = _one(rows, "two suspects fled the scene")
    assert first["cue"] == "According to"
    assert first["source_text"] == "the police"
    second = _one(rows, "The vote was delayed")
    assert second["source_text"] == "Reuters"


@pytest.mark.parametrize("verb", ["warned", "denied", "claimed", "insisted"])
def test_other_reporting_verbs(nlp, verb):
    row = _one(_rows(nlp, f"The company {verb} that the data had been stolen."), "the data had been stolen")
    assert row["cue"] == verb
    assert row["source_text"] == "The company"


def test_short_references_resolve_to_canonical_entities(nlp):
    rows = _rows(nlp, "The Kremlin spokesman, Dmitry Peskov, spoke on Monday. The spokesman said the talks had failed.")
    row = _one(rows, "the talks had failed")
    assert row["source_text"] == "The spokesman"
    assert row["source"] == "Dmitry Peskov"
    rows = _rows(nlp, "Russia’s Foreign Ministry issued a note. According to the ministry, the vote was illegal.")
    assert _one(rows, "the vote was illegal")["source"] == "Foreign Ministry (Russia)"


def test_pronoun_source_keeps_its_span_and_resolves(nlp):
    text = "Interior Minister Maria Lopez visited the camp. She told reporters that more aid was coming."
    row = _one(_rows(nlp, text), "more aid was coming")
    assert row["source_text"] == "She"
    assert text[row["source_start"] : row["source_end"]] == "She"
    assert row["source"] == "Maria Lopez"


def _facts(nlp, text):
    import newskit as nk

    return nk.extract_text(text, published="2021-05-04", nlp=nlp)


def test_police_are_a_source_entity_with_their_place(nlp):
    facts = _facts(nlp, "Lafayette police said the driver fled on foot. Police said nobody else was hurt.")
    rows = facts.attributions.set_index("content")
    assert rows.loc["the driver fled on foot", "source"] == "Lafayette Police"
    # The bare `Police` later in the article is the same group, with the place given earlier.
    assert (
        rows.loc["nobody else was hurt", "source_entity_id"] == rows.loc["the driver fled on foot", "source_entity_id"]
    )
    group = facts.entities.set_index("name").loc["Lafayette Police"]
    assert group.label == "ORG" and group.n_mentions == 2  # counted in `who is quoted`
    assert set(facts.mentions[facts.mentions.name == "Lafayette Police"].text) == {"police", "Police"}


@pytest.mark.parametrize(
    ("text", "content", "source", "label"),
    [
        ("Witnesses said they heard four shots.", "they heard four shots", "Witnesses", "NORP"),
        ("Officials in Baghdad said the talks would resume.", "the talks would resume", "Baghdad Officials", "ORG"),
        ("Iraqi officials said the bridge was closed.", "the bridge was closed", "Iraqi Officials", "ORG"),
        ("A spokesman for the army said the troops had withdrawn.", "the troops had withdrawn", "Army", "ORG"),
        ("Authorities said the road would reopen on Friday.", "the road would reopen on Friday", "Authorities", "ORG"),
    ],
)
def test_groups_and_spokesmen_resolve_to_group_entities(nlp, text, content, source, label):
    facts = _facts(nlp, text)
    row = facts.attributions.set_index("content").loc[content]
    assert row["source"] == source
    entity = facts.entities.set_index("entity_id").loc[row["source_entity_id"]]
    assert (entity["name"], entity["label"]) == (source, label)


@pytest.mark.parametrize(
    ("text", "content", "source"),
    [
        # a possessive pronoun is the person it stands for; `his campaign` speaks for him
        (
            "Senator Tom Harlan toured the plant on Monday. His claim that wages had doubled was disputed.",
            "wages had doubled",
            "Tom Harlan",
        ),
        (
            "Governor Ann Weller opened the bridge. Her campaign said the project had created jobs.",
            "the project had created jobs",
            "Ann Weller",
        ),
        # a definite description of a person stands for the person the article follows
        (
            "Businessman Carl Dorsey announced his bid on Tuesday. The candidate said taxes were too high.",
            "taxes were too high",
            "Carl Dorsey",
        ),
        # a poll speaks for the pollster named in it; a partitive for the group it takes part of
        ("A Gallup poll released on Monday found that most voters distrust Congress.", "most voters", "Gallup"),
        ("Sixty percent of voters said the economy was their top concern.", "the economy was", "Voters"),
    ],
)
def test_pronoun_forms_owners_descriptions_polls_and_partitives_resolve(nlp, text, content, source):
    row = _one(_rows(nlp, text), content)
    assert row["source"] == source


def test_they_after_a_group_speaker_is_that_group(nlp):
    rows = _rows(nlp, "Witnesses said the car was speeding. They added that the driver never braked.")
    assert (
        _one(rows, "the driver never braked")["source_entity_id"]
        == _one(rows, "the car was speeding")["source_entity_id"]
    )
    assert _one(rows, "the driver never braked")["source"] == "Witnesses"


def test_they_after_a_group_noun_is_that_group(nlp):
    rows = _rows(nlp, "The plant laid off 200 workers on Friday. They said the owners had broken a promise.")
    assert _one(rows, "the owners had broken a promise")["source"] == "Workers"


def test_members_of_a_named_body_are_that_body(nlp):
    text = "Members of the National Farmers Union said the subsidy was too small."
    row = _one(_rows(nlp, text), "the subsidy was too small")
    assert row["source"] == "National Farmers Union"


def test_a_named_spokesman_still_resolves_to_the_person(nlp):
    facts = _facts(nlp, "Army spokesman John Reed spoke on Monday. The spokesman said the troops had withdrawn.")
    assert facts.attributions.set_index("content").loc["the troops had withdrawn", "source"] == "John Reed"


def _source(nlp, text: str, content_part: str, **metadata) -> dict:
    doc = prepare_doc(nlp(text), article_id="t", **metadata)
    return _one(run_extractors(doc, until="attributions")["attributions"], content_part)


def test_the_writers_first_person_is_the_author(nlp):
    text = "I believe the new toll will hurt commuters."
    assert _source(nlp, text, "the new toll")["source"] == "Author"
    # a byline names the writer; without one, the outlet speaks
    assert _source(nlp, text, "the new toll", author="Jane Roe")["source"] == "Jane Roe"
    assert _source(nlp, text, "the new toll", source="The Harbor Gazette")["source"] == "The Harbor Gazette"


def test_the_author_is_counted_as_a_source_entity(nlp):
    facts = _facts(nlp, "We think the council should reopen the library.")
    row = facts.attributions.set_index("content").loc["the council should reopen the library"]
    entity = facts.entities.set_index("entity_id").loc[row["source_entity_id"]]
    assert (entity["name"], entity["label"]) == ("Author", "NORP")


def test_a_first_person_in_a_speakers_turn_is_that_speaker_not_the_author(nlp):
    text = "Q: Will the plan work?\n\nA: I think the plan will work."
    assert _source(nlp, text, "the plan will work")["source_entity_id"] is None  # the interviewee is not named
    text = "Hillary Clinton: I believe the plan will work."
    assert _source(nlp, text, "the plan will work")["source"] == "Hillary Clinton"


@pytest.mark.parametrize(
    ("text", "content", "source"),
    [
        # a relative pronoun takes its antecedent; a generic noun for people is a group
        ("Landlords who said the rules were unfair filed a complaint.", "the rules were unfair", "Landlords"),
        ("A farmer who said the dam had leaked was ignored.", "the dam had leaked", "Farmers"),
        ("A judge said the law was unconstitutional.", "the law was unconstitutional", "Judges"),
        # an elliptical quantifier is part of the group named before it, else unnamed people
        ("Nurses walked out on Monday. Many said the pay was too low.", "the pay was too low", "Nurses"),
        ("Some said the count had been rigged.", "the count had been rigged", "People"),
        ("Someone said the gate had been left open.", "the gate had been left open", "People"),
    ],
)
def test_generic_speakers_resolve_to_groups(nlp, text, content, source):
    assert _source(nlp, text, content)["source"] == source


@pytest.mark.parametrize(
    ("text", "content", "source"),
    [
        # a document speaks for whoever issued it, named in its own phrase or where it was introduced
        ("The World Bank issued a statement saying growth would slow.", "growth would slow", "World Bank"),
        ("The World Bank published a report on Monday. The report said growth would slow.", "growth would slow",
         "World Bank"),
        ("Microsoft's letter said the deal was fair.", "the deal was fair", "Microsoft"),
        # with no issuer named, the document is a group of its kind
        ("The report said unemployment had risen.", "unemployment had risen", "Reports"),
    ],
)  # fmt: skip
def test_documents_resolve_to_their_issuer_else_a_document_group(nlp, text, content, source):
    assert _source(nlp, text, content)["source"] == source


def test_a_document_without_an_issuer_is_a_work_of_art_group(nlp):
    facts = _facts(nlp, "The memo said the budget was short.")
    row = facts.attributions.set_index("content").loc["the budget was short"]
    entity = facts.entities.set_index("entity_id").loc[row["source_entity_id"]]
    assert (entity["name"], entity["label"]) == ("Memos", "WORK_OF_ART")


def test_you_and_expletive_it_stay_unresolved(nlp):
    # the reader (`you`) and an empty `it` are no one quoted
    assert _source(nlp, "You know that the bridge is old.", "the bridge is old")["source_entity_id"] is None


def test_verbs_inside_a_quote_are_not_cues(nlp):
    rows = _rows(nlp, "“I think we will win this state easily,” the senator said.")
    assert [r["cue"] for r in rows] == ["said"]
    assert rows[0]["content"] == "I think we will win this state easily"


def test_plain_narration_is_not_an_attribution(nlp):
    assert _rows(nlp, "Heavy rain flooded the valley on Sunday and the roads were closed.") == []


def test_find_quotes_pairs_curly_straight_and_ptb_marks():
    text = "He said “one two.” Then \"three\" and ``four'' here."
    found = [text[q.inner_start : q.inner_end] for q in find_quotes(text)]
    assert found == ["one two", "three", "four"]


def test_quote_lookups_by_offset_give_what_a_scan_of_every_quotation_gives():
    # The helpers bisect the quotations instead of scanning them all per verb; a scan is the reference.
    text = "“A b,” she said, “c d.”\n“E f g” and “h” were “i j k” said Ann.\n“Unclosed l m\n“N o.” End."
    quotes = find_quotes(text)
    assert [text[q.inner_start : q.inner_end] for q in quotes] == [
        "A b",
        "c d",
        "E f g",
        "h",
        "i j k",
        "Unclosed l m",
        "N o",
    ]
    for char in range(len(text) + 1):
        assert inside_quote(char, quotes) == any(q.start < char < q.end for q in quotes)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert within(quotes, start, end) == [q for q in quotes if start <= q.start and q.end <= end]
            grown = (start, end)
            for q in quotes:
                if q.start < grown[1] and grown[0] < q.end:
                    grown = (min(grown[0], q.start), max(grown[1], q.end))
            assert extend_to_quotes((start, end), quotes) == grown
    # "A b," then "c d." after `she said,`: one content, then the next paragraph's quote joins it.
    assert continue_quote(text, (quotes[0].start, quotes[0].end), quotes) == (quotes[0].start, quotes[2].end)


def test_extractor_reads_only_the_parsed_doc(nlp):
    doc = prepare_doc(nlp("“It is over,” he said."), article_id="x")
    assert extract_attributions(doc)[0]["content"] == "It is over"


# --- PolNeAR dev compartment ----------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.slow
def test_polnear_dev_content_f1_and_source_accuracy(corpora_dir, nlp):
    """Content F1 >= 0.65 and source accuracy >= 0.75 on polnear-dev (84 documents, 20-60 s: parsing dominates)."""
    path = corpora_dir / "polnear-train-dev" / "docs.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    records = [r for r in records if r["corpus"] == "polnear-dev"]
    started = time.perf_counter()
    n_gold = n_pred = n_match = n_source = 0
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records), strict=True):
        rows = run_extractors(prepare_doc(doc, article_id=record["doc_id"]), until="attributions")["attributions"]
        gold = record["gold"]["attributions"]
        matches = match_attributions(gold, [(r["content_start"], r["content_end"]) for r in rows])
        n_gold, n_pred, n_match = n_gold + len(gold), n_pred + len(rows), n_match + len(matches)
        n_source += sum(_source_ok(gold[i]["source"], rows[j]) for i, j in matches)
    precision, recall = n_match / n_pred, n_match / n_gold
    f1 = 2 * precision * recall / (precision + recall)
    source_accuracy = n_source / n_match
    print(
        f"polnear-dev P={precision:.3f} R={recall:.3f} F1={f1:.3f} source={source_accuracy:.3f} "
        f"({time.perf_counter() - started:.0f}s)"
    )
    assert f1 >= 0.65
    assert source_accuracy >= 0.75


def _source_ok(gold_source, row: dict) -> bool:
    if gold_source is None or row["source_start"] is None:
        return gold_source is None and row["source_start"] is None
    return row["source_start"] < gold_source[1] and gold_source[0] < row["source_end"]
