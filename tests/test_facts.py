import pandas as pd

from newskit import schema
from newskit.facts import Facts, entities_table


def test_entities_aggregate_mentions_across_articles():
    mentions = schema.frame(
        "mentions",
        [
            {"article_id": "a1", "entity_id": "E1", "name": "Mara Voss", "label": "PERSON", "text": "Mara Voss"},
            {"article_id": "a1", "entity_id": "E1", "name": "Mara Voss", "label": "PERSON", "text": "Voss"},
            {"article_id": "a2", "entity_id": "E1", "name": "Mara Voss", "label": "PERSON", "text": "Voss"},
            {"article_id": "a2", "entity_id": "E2", "name": "Dravik", "label": "GPE", "text": "Dravik"},
        ],
    )
    entities = entities_table(mentions).set_index("entity_id")
    assert entities.loc["E1", "aliases"] == ["Mara Voss", "Voss"]
    assert entities.loc["E1", "n_mentions"] == 3
    assert entities.loc["E1", "n_articles"] == 2
    assert entities.loc["E2", "n_articles"] == 1
    assert list(entities.index) == ["E1", "E2"]  # most mentioned first


def test_from_frames_fills_missing_tables_with_empty_ones():
    facts = Facts.from_frames({"casualties": pd.DataFrame({"outcome": ["killed"], "count": [3]})})
    assert facts.casualties["count"].dtype == "Int64"
    assert len(facts.mentions) == 0 and list(facts.mentions.columns) == [c.name for c in schema.TABLES["mentions"]]
