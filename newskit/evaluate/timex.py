"""Score time expressions against TIMEX3 gold (TempEval-3 task A)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .spans import align, attribute_row, in_annotated_region, overlaps, prf, rows_by_article, span_of

__all__ = ["score_timex"]


def score_timex(gold_records: Sequence[dict], predictions: pd.DataFrame | None) -> dict[str, dict]:
    """Score predicted time expressions against the gold of ``gold_records``.

    Spans are aligned one to one (:func:`newskit.evaluate.spans.align`). Type is
    compared case-insensitively, value as an exact string; attribute accuracy is
    over relaxed matches, and gold items with ``value`` null are left out of the
    value accuracy only. Predictions are ignored (neither credit nor penalty)
    when they lie entirely outside ``gold.annotated_span``, overlap
    ``gold.dct_span``, or have a type not in ``gold.timex_types`` (where those
    keys exist). Counts are summed over documents (micro-average).

    Args:
        gold_records: Gold records (see :mod:`newskit.evaluate.gold`) with ``gold.timexes``.
        predictions: The ``timexes`` table (``article_id``, ``start``, ``end``,
            ``type``, ``value``); ``article_id`` is the record's ``doc_id``.

    Returns:
        Measure → metrics (``P``, ``R``, ``F1``, ``accuracy``, ``correct``,
        ``gold``, ``predicted``) for the measures ``strict``, ``relaxed``,
        ``type`` and ``value``.
    """
    by_article = rows_by_article(predictions, ["start", "end", "type", "value"])
    n_gold = n_predicted = n_strict = n_relaxed = 0
    type_correct = value_correct = value_scored = 0
    for record in gold_records:
        gold = record["gold"]
        gold_items = gold.get("timexes") or []
        predicted = [row for row in by_article.get(record["doc_id"], []) if _scored(row, gold)]
        gold_spans = [(int(g["start"]), int(g["end"])) for g in gold_items]
        pairs = align(gold_spans, [span_of(row) for row in predicted])
        n_gold += len(gold_items)
        n_predicted += len(predicted)
        n_strict += sum(strict for _, _, strict in pairs)
        n_relaxed += len(pairs)
        for i, j, _ in pairs:
            g, p = gold_items[i], predicted[j]
            type_correct += _upper(p.get("type")) == _upper(g.get("type"))
            if g.get("value") is not None:
                value_scored += 1
                value_correct += p.get("value") is not None and str(p["value"]) == str(g["value"])
    relaxed = prf(n_relaxed, n_gold, n_predicted)
    return {
        "strict": prf(n_strict, n_gold, n_predicted),
        "relaxed": relaxed,
        "type": attribute_row(relaxed, type_correct, n_relaxed),
        "value": attribute_row(relaxed, value_correct, value_scored),
    }


def _upper(value) -> str | None:
    return None if value is None else str(value).upper()


def _scored(row: dict, gold: dict) -> bool:
    """Whether a predicted timex counts at all in this document."""
    span = span_of(row)
    if span is None or not in_annotated_region(span, gold):
        return False
    dct = gold.get("dct_span")
    if dct and overlaps(span, (int(dct[0]), int(dct[1]))):
        return False
    types = gold.get("timex_types")
    return not (types is not None and _upper(row.get("type")) not in {str(t).upper() for t in types})
