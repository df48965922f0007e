"""Roles from titles and appositions: the seed article's roles and the patterns, on real sentences."""

from __future__ import annotations

import pytest

from newskit.extract.entities import entity_id
from newskit.extract.pipeline import prepare_doc, run_extractors


def roles_of(nlp, text: str) -> list[dict]:
    doc = prepare_doc(nlp(text))
    return run_extractors(doc, until="roles")["roles"]


def triples(rows: list[dict]) -> set[tuple]:
    return {(row["person"], row["role"], row["of"]) for row in rows}


def test_seed_roles(nlp, seed_text):
    rows = roles_of(nlp, seed_text)
    assert triples(rows) == {("Dmitry Peskov", "spokesman", "Kremlin"), ("Albin Kurti", "Prime Minister", "Kosovo")}
    kurti = next(row for row in rows if row["person"] == "Albin Kurti")
    assert kurti["entity_id"] == entity_id("PERSON", "Albin Kurti")
    assert kurti["of_entity_id"] == entity_id("GPE", "Kosovo")
    assert seed_text[kurti["start"] : kurti["end"]] == "Kosovo’s Prime Minister, Albin Kurti"
    peskov = next(row for row in rows if row["person"] == "Dmitry Peskov")
    assert peskov["of_entity_id"] == entity_id("ORG", "Kremlin")
    assert peskov["sentence"] == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Interior Minister Mara Voss said the border was closed.", ("Mara Voss", "Interior Minister", None)),
        ("Sergei Lavrov, the foreign minister of Russia, said it.", ("Sergei Lavrov", "foreign minister", "Russia")),
        ("Northrop Grumman CEO Ron Sugar said the bid was fair.", ("Ron Sugar", "CEO", "Northrop Grumman")),
        ("UBS analyst David Strauss expects more orders.", ("David Strauss", "analyst", "UBS")),
        ("Russian Foreign Minister Sergei Lavrov said it.", ("Sergei Lavrov", "Foreign Minister", "Russia")),
        ("NATO Secretary-General Javier Solana said it.", ("Javier Solana", "Secretary-General", "NATO")),
        ("The president of France, Emmanuel Macron, arrived.", ("Emmanuel Macron", "president", "France")),
    ],
)
def test_role_patterns(nlp, text, expected):
    assert expected in triples(roles_of(nlp, text))


def test_possessive_common_noun_resolves_to_the_company(nlp):
    rows = roles_of(nlp, "Apple reported record sales. The company's spokeswoman, Jane Doe, declined to comment.")
    assert ("Jane Doe", "spokeswoman", "Apple") in triples(rows)


def test_no_role_without_a_title(nlp):
    assert roles_of(nlp, "Albin Kurti, who lives in Pristina, met Dmitry Peskov.") == []


def test_role_ids_match_the_mentions(nlp):
    text = "UBS analyst David Strauss expects more orders."
    doc = prepare_doc(nlp(text))
    tables = run_extractors(doc, until="roles")
    ids = {row["entity_id"] for row in tables["mentions"]}
    (row,) = tables["roles"]
    assert row["entity_id"] in ids and row["of_entity_id"] in ids
    assert text[row["start"] : row["end"]] == "UBS analyst David Strauss"
