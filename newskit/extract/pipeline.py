"""Run every extractor over parsed Docs: one spaCy pass per article.

The order matters: entities first (they set the canonical mentions every later
extractor reads from the Doc), events last but tone (events use all the others).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

import pandas as pd
from spacy.tokens import Doc

from .. import schema
from ..facts import entities_table
from . import attributions, casualties, entities, events, quantities, roles, timexes
from .tone import score_tone

__all__ = ["DISABLED_COMPONENTS", "STEPS", "iter_article_facts", "prepare_doc", "run_extractors"]

#: (table, extractor) in the order they run. Each extractor takes a Doc and returns rows.
STEPS: tuple[tuple[str, Callable[[Doc], list[dict]]], ...] = (
    ("mentions", entities.extract_mentions),
    ("roles", roles.extract_roles),
    ("timexes", timexes.extract_timexes),
    ("quantities", quantities.extract_quantities),
    ("casualties", casualties.extract_casualties),
    ("attributions", attributions.extract_attributions),
    ("events", events.extract_events),
)

#: Pipeline components no table needs (the small English pipeline has none to spare today;
#: kept explicit so a larger pipeline does not silently slow extraction down).
DISABLED_COMPONENTS: tuple[str, ...] = ()


def prepare_doc(doc: Doc, *, article_id: str = "", published: dt.date | None = None) -> Doc:
    """Attach the article's metadata to a parsed Doc before extractors run."""
    doc._.nk_article_id = article_id
    doc._.nk_published = published
    doc._.nk_facts = {}
    return doc


def run_extractors(doc: Doc, *, until: str | None = None) -> dict[str, list[dict]]:
    """Run the extractors on a prepared Doc.

    Args:
        doc: A Doc passed through :func:`prepare_doc`.
        until: Stop after this table (handy when developing one extractor).

    Returns:
        Table name → rows, each row carrying ``article_id``.
    """
    found = doc._.nk_facts
    for table, extractor in STEPS:
        rows = extractor(doc)
        for row in rows:
            row["article_id"] = doc._.nk_article_id
        found[table] = rows
        if table == until:
            break
    return {table: found.get(table, []) for table, _ in STEPS}


def _published_date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def iter_article_facts(
    articles: pd.DataFrame, nlp, *, batch_size: int = 32, n_process: int = 1
) -> Iterator[tuple[dict, dict[str, list[dict]]]]:
    """Parse and extract article by article.

    Yields:
        ``(article_row, tables)`` for each article, in input order: the article's
        row (as a dict, with the tone columns filled) and its fact rows by table.
    """
    records = articles.to_dict("records")
    texts = ((str(r["text"]), i) for i, r in enumerate(records))
    for doc, i in nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=n_process):
        record = records[i]
        prepare_doc(doc, article_id=record["article_id"], published=_published_date(record.get("published")))
        tables = run_extractors(doc)
        record.update(score_tone(doc))
        yield record, tables


def collect(pairs: Iterable[tuple[dict, dict[str, list[dict]]]]) -> dict[str, pd.DataFrame]:
    """Turn ``iter_article_facts`` output into one DataFrame per table."""
    article_rows: list[dict] = []
    rows: dict[str, list[dict]] = {table: [] for table, _ in STEPS}
    for article, tables in pairs:
        article_rows.append(article)
        for table, table_rows in tables.items():
            rows[table].extend(table_rows)
    frames = {"articles": schema.conform("articles", pd.DataFrame(article_rows))}
    for table, table_rows in rows.items():
        frames[table] = schema.frame(table, table_rows)
    frames["entities"] = entities_table(frames["mentions"])
    return frames
