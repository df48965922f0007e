"""Score per-article casualty totals against Gun Violence Archive counts."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from .spans import rows_by_article

__all__ = ["score_casualties"]


def score_casualties(gold_records: Sequence[dict], predictions: pd.DataFrame | None) -> dict[str, dict]:
    """Score predicted killed/injured totals per document against ``gold.killed`` and ``gold.injured``.

    A predicted ``<NA>`` (nothing reported) and an article with no prediction row
    both count as 0: the Gun Violence Archive's 0 means no casualty recorded, which
    is what an article reporting none should score against.

    Measures, each over all documents and (suffix ``(gold>0)``) over the documents
    whose gold killed + injured > 0:

    * ``killed`` / ``injured``: exact-match accuracy and mean absolute error of that count;
    * ``both``: accuracy = both counts exact; MAE = absolute error of the total
      (killed + injured).

    Documents whose gold lacks ``killed`` or ``injured`` are skipped.

    Args:
        gold_records: Gold records with ``gold.killed`` and ``gold.injured`` (ints).
        predictions: One row per article: ``article_id``, ``killed``, ``injured``
            (``newskit.extract.casualties.casualty_summary``).

    Returns:
        Measure → ``{"accuracy", "MAE", "documents"}``.
    """
    by_article = rows_by_article(predictions, ["killed", "injured"])
    pairs = []
    for record in gold_records:
        gold = record["gold"]
        if gold.get("killed") is None or gold.get("injured") is None:
            continue
        rows = by_article.get(record["doc_id"], [])
        killed = sum(int(r["killed"]) for r in rows if r.get("killed") is not None)
        injured = sum(int(r["injured"]) for r in rows if r.get("injured") is not None)
        pairs.append(((int(gold["killed"]), int(gold["injured"])), (killed, injured)))
    metrics = {}
    for suffix, subset in (("", pairs), (" (gold>0)", [p for p in pairs if sum(p[0]) > 0])):
        metrics["killed" + suffix] = _row([(g[0], p[0]) for g, p in subset])
        metrics["injured" + suffix] = _row([(g[1], p[1]) for g, p in subset])
        n = len(subset)
        metrics["both" + suffix] = {
            "accuracy": sum(g == p for g, p in subset) / n if n else math.nan,
            "MAE": sum(abs(sum(g) - sum(p)) for g, p in subset) / n if n else math.nan,
            "documents": n,
        }
    return metrics


def _row(values: list[tuple[int, int]]) -> dict:
    n = len(values)
    if not n:
        return {"accuracy": math.nan, "MAE": math.nan, "documents": 0}
    return {
        "accuracy": sum(g == p for g, p in values) / n,
        "MAE": sum(abs(g - p) for g, p in values) / n,
        "documents": n,
    }
