"""The :class:`Facts` container: every table of one extraction run."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from . import schema

__all__ = ["Facts", "entities_table"]


@dataclass
class Facts:
    """Every table newskit extracts, as pandas DataFrames (schemas in :mod:`newskit.schema`).

    Attributes:
        articles: One row per article, with tone.
        mentions: One row per entity mention.
        entities: One row per canonical entity.
        roles: Person, role, of whom.
        timexes: Time expressions with TIMEX3 values.
        events: Dated events (the rows a timeline draws).
        quantities: Numbers with what they count.
        casualties: Killed/injured/... counts by group.
        attributions: Who said or claimed what.
        stories: One row per story (articles about one real-world happening); filled by linking.
        figures: One row per story and reconciled figure (killed, injured ...); filled by linking.
        figure_reports: The reports behind each figure, with evidence spans; filled by linking.

    Examples:
        >>> import newskit as nk
        >>> facts = nk.Facts.empty()
        >>> sorted(facts.tables())[:3]
        ['articles', 'attributions', 'casualties']
    """

    articles: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    roles: pd.DataFrame
    timexes: pd.DataFrame
    events: pd.DataFrame
    quantities: pd.DataFrame
    casualties: pd.DataFrame
    attributions: pd.DataFrame
    stories: pd.DataFrame = field(default_factory=lambda: schema.frame("stories"))
    figures: pd.DataFrame = field(default_factory=lambda: schema.frame("figures"))
    figure_reports: pd.DataFrame = field(default_factory=lambda: schema.frame("figure_reports"))

    @classmethod
    def empty(cls) -> Facts:
        """Facts with every table present and no rows."""
        return cls(**{name: schema.frame(name) for name in schema.TABLES})

    @classmethod
    def from_frames(cls, frames: dict[str, pd.DataFrame]) -> Facts:
        """Facts from a dict of tables (missing tables are empty; all are conformed)."""
        return cls(
            **{
                name: schema.conform(name, frames[name]) if name in frames else schema.frame(name)
                for name in schema.TABLES
            }
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """Table name → DataFrame, in schema order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def summary(self) -> pd.DataFrame:
        """Number of rows per table."""
        return pd.DataFrame({"table": list(self.tables()), "rows": [len(df) for df in self.tables().values()]})

    def to_parquet(self, directory: str | Path) -> Path:
        """Write every table to ``directory`` as a facts store (see :mod:`newskit.store`).

        ``newskit.read_facts(directory)`` reads it back, dtypes included.
        """
        from .store import write_facts

        return write_facts(self, directory)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(df)}" for name, df in self.tables().items())
        return f"Facts({sizes})"


def entities_table(mentions: pd.DataFrame) -> pd.DataFrame:
    """Canonical entities aggregated from mention rows (any number of articles).

    Lives here, not beside the extractors, so that reading a store never imports spaCy.
    """
    if mentions.empty:
        return schema.frame("entities")
    grouped = mentions.groupby("entity_id", sort=True)
    # Aliases collected in one pass (a Python function per group cost more than the rest).
    texts: dict = {}
    for entity_id, text in zip(mentions["entity_id"].tolist(), mentions["text"].tolist(), strict=True):
        if not pd.isna(entity_id):
            texts.setdefault(entity_id, set()).add(text)
    sizes = grouped.size()
    table = pd.DataFrame(
        {
            "name": grouped["name"].first(),
            "label": grouped["label"].first(),
            "aliases": pd.Series([sorted(texts[e]) for e in sizes.index], index=sizes.index, dtype=object),
            "n_mentions": sizes,
            "n_articles": grouped["article_id"].nunique(),
        }
    ).reset_index()
    table = table.sort_values(["n_mentions", "name"], ascending=[False, True])
    return schema.conform("entities", table)
