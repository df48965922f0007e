"""Score attributions (who said what) against PolNeAR-style gold."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .spans import Span, attribute_row, in_annotated_region, overlaps, prf, rows_by_article, span_of

__all__ = ["COVERAGE_THRESHOLD", "content_coverage", "match_attributions", "score_attribution"]

#: A predicted content span matches a gold one when it covers at least this share of it.
COVERAGE_THRESHOLD = 0.5

_COLUMNS = ["content_start", "content_end", "source_start", "source_end", "cue_start", "cue_end"]


def _gold_content(item: dict) -> list[Span]:
    """The gold content as disjoint sorted spans (``content`` plus ``content2`` of split quotes)."""
    spans = sorted((int(s[0]), int(s[1])) for s in (item.get("content"), item.get("content2")) if s)
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _overlap_length(span: Span, pieces: Sequence[Span]) -> int:
    return sum(max(0, min(span[1], b) - max(span[0], a)) for a, b in pieces)


def content_coverage(predicted: Span, gold_item: dict) -> float:
    """Share of the gold content (``content`` + ``content2``) that ``predicted`` covers.

    Examples:
        >>> content_coverage((0, 5), {"content": [0, 10]})
        0.5
    """
    pieces = _gold_content(gold_item)
    total = sum(b - a for a, b in pieces)
    return _overlap_length(predicted, pieces) / total if total else 0.0


def match_attributions(gold_items: Sequence[dict], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """Pair gold attributions with predicted content spans, one to one, greedy by coverage.

    Candidate pairs are those whose coverage of the gold content is at least
    :data:`COVERAGE_THRESHOLD`; they are taken in decreasing coverage, ties broken
    by the larger share of the prediction that is gold content (so a tight span
    wins over a paragraph covering the same quote), then by input order.

    Returns:
        ``(gold_index, predicted_index)`` pairs, sorted by gold index.
    """
    candidates = []
    for i, item in enumerate(gold_items):
        pieces = _gold_content(item)
        total = sum(b - a for a, b in pieces)
        if not total:
            continue
        for j, span in enumerate(predicted):
            shared = _overlap_length(span, pieces)
            coverage = shared / total
            if coverage >= COVERAGE_THRESHOLD:
                candidates.append((-coverage, -shared / (span[1] - span[0]), i, j))
    pairs, used_gold, used_predicted = [], set(), set()
    for _, _, i, j in sorted(candidates):
        if i not in used_gold and j not in used_predicted:
            used_gold.add(i)
            used_predicted.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _same_part(gold_span, predicted_span: Span | None) -> bool:
    """Both missing, or both given and overlapping."""
    if gold_span is None or predicted_span is None:
        return gold_span is None and predicted_span is None
    return overlaps((int(gold_span[0]), int(gold_span[1])), predicted_span)


def score_attribution(gold_records: Sequence[dict], predictions: pd.DataFrame | None) -> dict[str, dict]:
    """Score predicted attributions against ``gold.attributions``.

    Contents are matched with :func:`match_attributions`. Among matches, the
    source is correct when gold and prediction both lack one or both give one and
    the two spans overlap; the same for the cue. ``content+source`` (and
    ``content+cue``) count a match only when its source (cue) is also correct:
    their ``accuracy`` is the source (cue) accuracy over matches and their P/R/F1
    the content ones times that accuracy. Predictions without a content span are
    not attributions and are dropped; predictions lying entirely outside
    ``gold.annotated_span`` are ignored where that key exists.

    Args:
        gold_records: Gold records with ``gold.attributions``.
        predictions: The ``attributions`` table (``article_id`` and the
            ``content_``/``source_``/``cue_`` ``start``/``end`` columns).

    Returns:
        Measure → metrics for ``content``, ``content+source`` and ``content+cue``;
        when the predictions have ``source_entity_id``, also ``source resolved``
        (share of the scored predictions whose source is an entity; ``accuracy`` =
        that share) and ``source span resolved`` (the same among predictions with a
        source span).
    """
    has_ids = predictions is not None and "source_entity_id" in predictions.columns
    by_article = rows_by_article(predictions, [*_COLUMNS, "source_entity_id"] if has_ids else _COLUMNS)
    n_gold = n_predicted = n_matched = source_correct = cue_correct = 0
    n_resolved = n_with_source = n_source_resolved = 0
    for record in gold_records:
        gold = record["gold"]
        gold_items = gold.get("attributions") or []
        predicted = []
        for row in by_article.get(record["doc_id"], []):
            content = span_of(row, "content_start", "content_end")
            if content is not None and in_annotated_region(content, gold):
                predicted.append((content, row))
                resolved = row.get("source_entity_id") is not None
                n_resolved += resolved
                if span_of(row, "source_start", "source_end") is not None:
                    n_with_source += 1
                    n_source_resolved += resolved
        pairs = match_attributions(gold_items, [content for content, _ in predicted])
        n_gold += len(gold_items)
        n_predicted += len(predicted)
        n_matched += len(pairs)
        for i, j in pairs:
            g, (_, row) = gold_items[i], predicted[j]
            source_correct += _same_part(g.get("source"), span_of(row, "source_start", "source_end"))
            cue_correct += _same_part(g.get("cue"), span_of(row, "cue_start", "cue_end"))
    content = prf(n_matched, n_gold, n_predicted)
    scores = {
        "content": content,
        "content+source": attribute_row(content, source_correct, n_matched),
        "content+cue": attribute_row(content, cue_correct, n_matched),
    }
    if has_ids:
        scores["source resolved"] = _share_row(n_resolved, n_predicted)
        scores["source span resolved"] = _share_row(n_source_resolved, n_with_source)
    return scores


def _share_row(correct: int, predicted: int) -> dict:
    """Share of predicted statements whose source is a canonical entity (no gold involved)."""
    nan = float("nan")
    share = correct / predicted if predicted else nan
    return {"P": nan, "R": nan, "F1": nan, "accuracy": share, "correct": correct, "gold": nan, "predicted": predicted}
