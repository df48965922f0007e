"""Score entity mentions (spans, types, coreference) against MEANTIME-style gold."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from .spans import align, attribute_row, b_cubed, in_annotated_region, overlaps, prf, rows_by_article, span_of

__all__ = ["GOLD_TYPE_OF_LABEL", "gold_type", "score_entities"]

#: newskit mention label → MEANTIME entity type. NORP (nationalities, religious and
#: political groups) maps to LOC because MEANTIME annotates a nationality word
#: (``American``, ``German``) as a mention of the country, a LOC entity. EVENT, LAW
#: and WORK_OF_ART have no MEANTIME type, so they always count as a wrong type.
#: The gold types themselves map to themselves, so gold can be scored as a prediction.
GOLD_TYPE_OF_LABEL: dict[str, str] = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "LOC",
    "PRODUCT": "PRO",
    "PER": "PER",
    "PRO": "PRO",
    "FIN": "FIN",
    "MIX": "MIX",
}


def gold_type(label) -> str | None:
    """The MEANTIME type of a newskit label (None when it has none)."""
    return None if label is None else GOLD_TYPE_OF_LABEL.get(str(label).upper())


def score_entities(gold_records: Sequence[dict], predictions: pd.DataFrame | None) -> dict[str, dict]:
    """Score predicted entity mentions against ``gold.entities``.

    Spans are aligned one to one (:func:`newskit.evaluate.spans.align`); type
    accuracy is over relaxed matches (the predicted label mapped with
    :data:`GOLD_TYPE_OF_LABEL`; gold mentions with type null are left out of it).
    Coreference is B-cubed of the predicted ``entity_id`` against the gold
    ``instance`` over the relaxed-matched mentions: ``b-cubed`` clusters across
    all the given documents, ``b-cubed per doc`` is the mean of each document's
    P, R and F1 (documents with at least one matched mention). A missing
    ``entity_id`` or ``instance`` makes a singleton cluster.

    Predictions lying entirely outside ``gold.annotated_span`` are ignored, and so
    are predictions that match no gold mention but overlap a span of
    ``gold.entities_ignore`` (names used as pre-modifiers).

    Args:
        gold_records: Gold records with ``gold.entities``.
        predictions: The ``mentions`` table (``article_id``, ``start``, ``end``,
            ``label``, ``entity_id``).

    Returns:
        Measure → metrics for ``strict``, ``relaxed``, ``type``, ``b-cubed`` and
        ``b-cubed per doc`` (for the B-cubed rows ``gold`` and ``predicted`` are
        the number of matched mentions scored).
    """
    by_article = rows_by_article(predictions, ["start", "end", "label", "entity_id"])
    n_gold = n_predicted = n_strict = n_relaxed = 0
    type_correct = type_scored = 0
    corpus_gold_keys: list = []
    corpus_predicted_keys: list = []
    per_doc: list[tuple[float, float, float]] = []
    for record in gold_records:
        doc_id = record["doc_id"]
        gold = record["gold"]
        gold_items = gold.get("entities") or []
        predicted = [
            row for row in by_article.get(doc_id, []) if span_of(row) and in_annotated_region(span_of(row), gold)
        ]
        pairs = align([(int(g["start"]), int(g["end"])) for g in gold_items], [span_of(row) for row in predicted])
        matched = {j for _, j, _ in pairs}
        ignore = [(int(a), int(b)) for a, b in gold.get("entities_ignore") or []]
        ignored = sum(
            1 for j, row in enumerate(predicted) if j not in matched and any(overlaps(span_of(row), s) for s in ignore)
        )
        n_gold += len(gold_items)
        n_predicted += len(predicted) - ignored
        n_strict += sum(strict for _, _, strict in pairs)
        n_relaxed += len(pairs)
        doc_gold_keys, doc_predicted_keys = [], []
        for i, j, _ in pairs:
            g, p = gold_items[i], predicted[j]
            if g.get("type") is not None:
                type_scored += 1
                type_correct += gold_type(p.get("label")) == str(g["type"]).upper()
            # Singletons for missing ids: a key no other mention can share.
            doc_gold_keys.append(g.get("instance") or ("gold-singleton", doc_id, i))
            doc_predicted_keys.append(p.get("entity_id") or ("predicted-singleton", doc_id, j))
        if doc_gold_keys:
            per_doc.append(b_cubed(doc_gold_keys, doc_predicted_keys))
        corpus_gold_keys += doc_gold_keys
        corpus_predicted_keys += doc_predicted_keys
    relaxed = prf(n_relaxed, n_gold, n_predicted)
    precision, recall, f1 = b_cubed(corpus_gold_keys, corpus_predicted_keys)
    mean = [sum(values) / len(values) for values in zip(*per_doc, strict=True)] if per_doc else [math.nan] * 3
    return {
        "strict": prf(n_strict, n_gold, n_predicted),
        "relaxed": relaxed,
        "type": attribute_row(relaxed, type_correct, type_scored),
        "b-cubed": _cluster_row(precision, recall, f1, n_relaxed),
        "b-cubed per doc": _cluster_row(*mean, n_relaxed),
    }


def _cluster_row(precision: float, recall: float, f1: float, mentions: int) -> dict:
    return {
        "P": precision,
        "R": recall,
        "F1": f1,
        "accuracy": math.nan,
        "correct": math.nan,
        "gold": mentions,
        "predicted": mentions,
    }
