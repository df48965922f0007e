from pathlib import Path

import pandas as pd
import pytest

import newskit as nk
from newskit import schema

REPO = Path(__file__).resolve().parents[1]


def test_docs_schema_is_generated_from_the_module():
    assert (REPO / "docs" / "schema.md").read_text(encoding="utf-8") == schema.to_markdown(), (
        "docs/schema.md is stale: run `python -m newskit.schema > docs/schema.md`"
    )


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_empty_table_has_schema_columns_and_dtypes(table):
    df = schema.frame(table)
    assert list(df.columns) == [c.name for c in schema.TABLES[table]]
    for column in schema.TABLES[table]:
        assert str(df[column.name].dtype) == column.dtype, (table, column.name)


def test_every_fact_table_carries_provenance():
    for table in schema.FACT_TABLES:
        names = {c.name for c in schema.TABLES[table]}
        if table == "entities":
            continue  # aggregated over articles; its mentions carry the spans
        assert {"article_id", "sentence"} <= names, table
        assert any(n.endswith("start") for n in names) and any(n.endswith("end") for n in names), table


def test_missing_values_are_na_not_zero():
    df = schema.frame("casualties", [{"group": "attacker", "count": 3, "outcome": "killed"}, {"outcome": "injured"}])
    assert df.loc[0, "count"] == 3
    assert df.loc[1, "count"] is pd.NA
    assert df["count"].dtype == "Int64"


def test_unknown_column_is_rejected():
    with pytest.raises(KeyError, match="unknown column"):
        schema.frame("quantities", [{"valeu": 3}])


def test_list_columns_hold_lists():
    df = schema.frame("events", [{"actors": ("Mara Voss",)}, {}])
    assert df.loc[0, "actors"] == ["Mara Voss"]
    assert df.loc[1, "actors"] == []


def test_facts_empty_has_every_table():
    facts = nk.Facts.empty()
    assert set(facts.tables()) == set(schema.TABLES)
    assert all(len(df) == 0 for df in facts.tables().values())
