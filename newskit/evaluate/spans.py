"""Span alignment and the precision/recall arithmetic every scorer shares.

The alignment is TempEval-3's (task A): gold and predicted spans are paired one
to one, identical spans first, then each remaining gold span, in text order,
takes the leftmost free prediction that overlaps it. *Strict* matches are the
identical pairs, *relaxed* matches all the pairs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence

import pandas as pd

__all__ = [
    "Span",
    "align",
    "attribute_row",
    "b_cubed",
    "f1",
    "in_annotated_region",
    "overlaps",
    "prf",
    "ratio",
    "rows_by_article",
    "span_of",
]

#: A ``[start, end)`` character span.
Span = tuple[int, int]


def overlaps(a: Span, b: Span) -> bool:
    """Whether two ``[start, end)`` spans share at least one character.

    Examples:
        >>> overlaps((0, 5), (4, 9)), overlaps((0, 5), (5, 9))
        (True, False)
    """
    return max(a[0], b[0]) < min(a[1], b[1])


def align(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int, bool]]:
    """Pair gold and predicted spans one to one.

    Identical spans are paired first (each gold span with the first free
    prediction of the same span). Then every still unpaired gold span, in text
    order (by start, then end), takes the leftmost free prediction that overlaps
    it (smallest start, then smallest end, then input order).

    Args:
        gold: Gold spans.
        predicted: Predicted spans.

    Returns:
        ``(gold_index, predicted_index, strict)`` for every pair, sorted by gold
        index; ``strict`` is True when the two spans are identical.

    Examples:
        Two predictions overlap one gold span: the leftmost one is taken.

        >>> align([(10, 20)], [(15, 25), (5, 12)])
        [(0, 1, False)]
    """
    pairs: list[tuple[int, int, bool]] = []
    free = set(range(len(predicted)))
    by_span: dict[Span, list[int]] = {}
    for j, span in enumerate(predicted):
        by_span.setdefault(tuple(span), []).append(j)
    unpaired = []
    for i, span in enumerate(gold):
        candidates = by_span.get(tuple(span), [])
        if candidates:
            j = candidates.pop(0)
            free.discard(j)
            pairs.append((i, j, True))
        else:
            unpaired.append(i)
    leftmost_first = sorted(range(len(predicted)), key=lambda j: (predicted[j][0], predicted[j][1], j))
    for i in sorted(unpaired, key=lambda i: (gold[i][0], gold[i][1], i)):
        for j in leftmost_first:
            if j in free and overlaps(gold[i], predicted[j]):
                free.discard(j)
                pairs.append((i, j, False))
                break
    return sorted(pairs)


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, 0.0 when the denominator is 0 (scikit-learn's ``zero_division=0``)."""
    return numerator / denominator if denominator else 0.0


def f1(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall (0.0 when both are 0; NaN if either is NaN)."""
    if math.isnan(precision) or math.isnan(recall):
        return math.nan
    return ratio(2 * precision * recall, precision + recall)


def prf(correct: int, gold: int, predicted: int) -> dict[str, float | int]:
    """One row of span metrics: P, R, F1 and the counts they come from.

    Examples:
        >>> prf(3, gold=4, predicted=6)["F1"]
        0.6
    """
    precision, recall = ratio(correct, predicted), ratio(correct, gold)
    return {
        "P": precision,
        "R": recall,
        "F1": f1(precision, recall),
        "accuracy": math.nan,
        "correct": correct,
        "gold": gold,
        "predicted": predicted,
    }


def attribute_row(relaxed: Mapping[str, float], correct: int, scored: int) -> dict[str, float | int]:
    """Metrics of one attribute (type, value ...) over relaxed matches, as TempEval-3 reports them.

    ``accuracy`` = correct / scored relaxed matches; P, R and F1 are the relaxed
    ones multiplied by that accuracy (so F1 = relaxed F1 x accuracy). With no
    scored match the accuracy is NaN and P/R/F1 are 0.

    Args:
        relaxed: The relaxed row from :func:`prf`.
        correct: Relaxed matches whose attribute is right.
        scored: Relaxed matches whose gold attribute is known (the denominator).
    """
    accuracy = correct / scored if scored else math.nan
    scale = 0.0 if math.isnan(accuracy) else accuracy
    return {
        "P": relaxed["P"] * scale,
        "R": relaxed["R"] * scale,
        "F1": relaxed["F1"] * scale,
        "accuracy": accuracy,
        "correct": correct,
        "gold": relaxed["gold"],
        "predicted": relaxed["predicted"],
    }


def b_cubed(gold_keys: Sequence[Hashable], predicted_keys: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold clusters.

    Item ``k`` belongs to gold cluster ``gold_keys[k]`` and predicted cluster
    ``predicted_keys[k]``. Precision of an item = share of its predicted cluster
    that is in its gold cluster; recall = share of its gold cluster that is in its
    predicted cluster; both are averaged over items (Bagga & Baldwin 1998).

    Returns:
        ``(P, R, F1)``; NaN for no items.

    Examples:
        Gold {a,b,c} {d}; predicted {a,b} {c,d}:

        >>> [round(x, 3) for x in b_cubed(["x", "x", "x", "y"], [1, 1, 2, 2])]
        [0.75, 0.667, 0.706]
    """
    if len(gold_keys) != len(predicted_keys):
        raise ValueError("gold_keys and predicted_keys must have the same length")
    n = len(gold_keys)
    if not n:
        return math.nan, math.nan, math.nan
    pair_sizes = Counter(zip(gold_keys, predicted_keys, strict=True))
    gold_sizes, predicted_sizes = Counter(gold_keys), Counter(predicted_keys)
    precision = sum(pair_sizes[g, p] / predicted_sizes[p] for g, p in zip(gold_keys, predicted_keys, strict=True)) / n
    recall = sum(pair_sizes[g, p] / gold_sizes[g] for g, p in zip(gold_keys, predicted_keys, strict=True)) / n
    return precision, recall, f1(precision, recall)


def in_annotated_region(span: Span, gold: Mapping) -> bool:
    """False when ``span`` lies entirely outside ``gold["annotated_span"]`` (True if the key is absent)."""
    region = gold.get("annotated_span")
    if not region:
        return True
    return overlaps(span, (int(region[0]), int(region[1])))


def rows_by_article(predictions: pd.DataFrame | None, columns: Iterable[str]) -> dict[str, list[dict]]:
    """Prediction rows grouped by ``article_id``, as dicts with ``<NA>`` turned into None.

    Args:
        predictions: A fact table (or None for no predictions).
        columns: Columns the scorer reads; a missing one is an error naming it.
    """
    columns = ["article_id", *[c for c in columns if c != "article_id"]]
    if predictions is None or len(predictions) == 0:
        return {}
    missing = [c for c in columns if c not in predictions.columns]
    if missing:
        raise KeyError(f"predictions lack column(s) {missing}; columns are {list(predictions.columns)}")
    grouped: dict[str, list[dict]] = {}
    for row in predictions[columns].astype(object).to_dict("records"):
        clean = {k: (None if _missing(v) else v) for k, v in row.items()}
        grouped.setdefault(str(clean["article_id"]), []).append(clean)
    return grouped


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers are present values
        return False


def span_of(row: Mapping, start: str = "start", end: str = "end") -> Span | None:
    """``(start, end)`` of a row as ints, or None when either is missing or the span is empty."""
    a, b = row.get(start), row.get(end)
    if a is None or b is None:
        return None
    a, b = int(a), int(b)
    return (a, b) if b > a else None
