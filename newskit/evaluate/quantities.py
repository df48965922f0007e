"""Score number expressions against MEANTIME VALUE gold (MONEY / PERCENT / QUANTITY)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .spans import align, attribute_row, in_annotated_region, prf, rows_by_article, span_of

__all__ = ["GOLD_TYPE_OF_KIND", "score_quantities"]

#: newskit ``quantities.kind`` → MEANTIME VALUE type. MEANTIME's QUANTITY covers plain
#: counts (``two``, ``all 228``) as well as measures (``2 GHz``, ``500km``), so both
#: COUNT and QUANTITY map to it.
GOLD_TYPE_OF_KIND: dict[str, str] = {
    "COUNT": "QUANTITY",
    "QUANTITY": "QUANTITY",
    "MONEY": "MONEY",
    "PERCENT": "PERCENT",
}


def score_quantities(gold_records: Sequence[dict], predictions: pd.DataFrame | None) -> dict[str, dict]:
    """Score predicted quantities against ``gold.quantities``.

    Spans are aligned one to one (:func:`newskit.evaluate.spans.align`); type
    accuracy is over relaxed matches, with ``kind`` mapped by
    :data:`GOLD_TYPE_OF_KIND` (an unknown kind is a wrong type). Predictions lying
    entirely outside ``gold.annotated_span`` are ignored.

    Args:
        gold_records: Gold records with ``gold.quantities``.
        predictions: The ``quantities`` table (``article_id``, ``start``, ``end``, ``kind``).

    Returns:
        Measure → metrics for ``strict``, ``relaxed`` and ``type``.
    """
    by_article = rows_by_article(predictions, ["start", "end", "kind"])
    n_gold = n_predicted = n_strict = n_relaxed = type_correct = 0
    for record in gold_records:
        gold = record["gold"]
        gold_items = gold.get("quantities") or []
        predicted = [
            row
            for row in by_article.get(record["doc_id"], [])
            if span_of(row) and in_annotated_region(span_of(row), gold)
        ]
        pairs = align([(int(g["start"]), int(g["end"])) for g in gold_items], [span_of(row) for row in predicted])
        n_gold += len(gold_items)
        n_predicted += len(predicted)
        n_strict += sum(strict for _, _, strict in pairs)
        n_relaxed += len(pairs)
        for i, j, _ in pairs:
            kind = predicted[j].get("kind")
            mapped = None if kind is None else GOLD_TYPE_OF_KIND.get(str(kind).upper())
            type_correct += mapped is not None and mapped == str(gold_items[i].get("type")).upper()
    relaxed = prf(n_relaxed, n_gold, n_predicted)
    return {
        "strict": prf(n_strict, n_gold, n_predicted),
        "relaxed": relaxed,
        "type": attribute_row(relaxed, type_correct, n_relaxed),
    }
