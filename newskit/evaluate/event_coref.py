"""Score cross-document event coreference against ECB+ gold (task ``event_coref``).

Predicted events lying entirely outside ``gold.annotated_sentences_spans`` are dropped.
In each document, gold and predicted trigger spans are aligned one to one: over every
overlapping (gold, predicted) pair, sorted by identical span first, then larger overlap,
then earlier gold start, then earlier predicted start, a pair is taken when neither side is
taken yet. Mention P = aligned / kept predictions, R = aligned / gold mentions.

Coreference is scored over all documents at once: the key clusters every gold mention by
``instance``, the response every kept prediction by ``event_id`` (missing = a cluster of its
own); an aligned prediction is its gold mention, an unaligned one a mention the key lacks.
MUC, B-cubed and CEAF-e (entity-based, phi = 2|K & R| / (|K| + |R|)) follow the CoNLL-2012
reference scorer's treatment of system mentions, singletons kept; CoNLL F1 is the mean of
the three F1 values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pandas as pd

from .spans import f1, overlaps, ratio, rows_by_article, span_of

__all__ = ["align_mentions", "coref_scores", "score_event_coref"]


def score_event_coref(gold_records: Sequence[dict], predictions: pd.DataFrame | None) -> dict[str, dict]:
    """Score predicted event mentions and their ``event_id`` clusters.

    Args:
        gold_records: ECB+ gold records (``gold.events``, ``gold.annotated_sentences_spans``).
        predictions: One row per predicted event mention: ``article_id``, ``start``/``end``
            (the trigger span) and ``event_id`` (missing = a singleton).

    Returns:
        Measure → ``P``, ``R``, ``F1`` (and counts for ``mentions``) for the measures
        ``mentions``, ``MUC``, ``B-cubed``, ``CEAF-e`` and ``CoNLL``.
    """
    by_article = rows_by_article(predictions, ["start", "end", "event_id"])
    key: dict[object, list] = defaultdict(list)
    response: dict[object, list] = defaultdict(list)
    n_gold = n_kept = n_aligned = 0
    for record in gold_records:
        doc_id = record["doc_id"]
        gold = record["gold"]
        gold_events = gold.get("events") or []
        regions = [(int(a), int(b)) for a, b in gold.get("annotated_sentences_spans") or []]
        kept = []
        for row in by_article.get(doc_id, []):
            span = span_of(row)
            if span is not None and any(overlaps(span, region) for region in regions):
                kept.append((span, row))
        gold_spans = [(int(g["start"]), int(g["end"])) for g in gold_events]
        pairs = align_mentions(gold_spans, [span for span, _ in kept])
        aligned = {j: i for i, j in pairs}
        n_gold += len(gold_events)
        n_kept += len(kept)
        n_aligned += len(pairs)
        for i, g in enumerate(gold_events):
            key[("instance", g["instance"])].append(("gold", doc_id, i))
        for j, (_, row) in enumerate(kept):
            mention = ("gold", doc_id, aligned[j]) if j in aligned else ("predicted", doc_id, j)
            cluster = row.get("event_id")
            response[("event", cluster) if cluster is not None else ("single", doc_id, j)].append(mention)
    mentions = {
        "P": ratio(n_aligned, n_kept),
        "R": ratio(n_aligned, n_gold),
        "F1": f1(ratio(n_aligned, n_kept), ratio(n_aligned, n_gold)),
        "correct": n_aligned,
        "gold": n_gold,
        "predicted": n_kept,
    }
    return {"mentions": mentions, **coref_scores(list(key.values()), list(response.values()))}


def align_mentions(gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one ``(gold_index, predicted_index)`` pairs of overlapping spans (rules in the module docstring).

    Examples:
        >>> align_mentions([(0, 5), (10, 20)], [(10, 20), (3, 12)])
        [(0, 1), (1, 0)]
    """
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            overlap = min(g[1], p[1]) - max(g[0], p[0])
            if overlap > 0:
                candidates.append((tuple(g) != tuple(p), -overlap, g[0], p[0], i, j))
    candidates.sort()
    taken_gold: set[int] = set()
    taken_predicted: set[int] = set()
    pairs = []
    for *_, i, j in candidates:
        if i not in taken_gold and j not in taken_predicted:
            taken_gold.add(i)
            taken_predicted.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def coref_scores(key: list[list], response: list[list]) -> dict[str, dict]:
    """MUC, B-cubed, CEAF-e and CoNLL P/R/F1 of ``response`` clusters against ``key`` clusters.

    Mentions are any hashable values; a mention may be in the key only, the response only, or both.

    Examples:
        >>> scores = coref_scores([["a", "b", "c"]], [["a", "b"], ["c"]])
        >>> round(scores["MUC"]["R"], 3), round(scores["B-cubed"]["P"], 3)
        (0.5, 1.0)
    """
    key = [list(dict.fromkeys(k)) for k in key if k]
    response = [list(dict.fromkeys(r)) for r in response if r]
    muc_r = _muc(key, response)
    muc_p = _muc(response, key)
    b3_r, b3_p = _b_cubed(key, response), _b_cubed(response, key)
    ceaf_p, ceaf_r = _ceaf_e(key, response)
    rows = {
        "MUC": _row(muc_p, muc_r),
        "B-cubed": _row(b3_p, b3_r),
        "CEAF-e": _row(ceaf_p, ceaf_r),
    }
    conll = sum(r["F1"] for r in rows.values()) / 3
    rows["CoNLL"] = {"P": float("nan"), "R": float("nan"), "F1": conll}
    return rows


def _row(precision: float, recall: float) -> dict:
    return {"P": precision, "R": recall, "F1": f1(precision, recall)}


def _muc(key: list[list], response: list[list]) -> float:
    """MUC recall of ``response`` against ``key`` (swap them for precision)."""
    where = {m: n for n, cluster in enumerate(response) for m in cluster}
    numerator = denominator = 0
    for cluster in key:
        parts = len({where[m] for m in cluster if m in where}) + sum(m not in where for m in cluster)
        numerator += len(cluster) - parts
        denominator += len(cluster) - 1
    return ratio(numerator, denominator)


def _b_cubed(key: list[list], response: list[list]) -> float:
    """B-cubed recall of ``response`` against ``key`` (swap them for precision)."""
    where = {m: n for n, cluster in enumerate(response) for m in cluster}
    total = 0.0
    n = 0
    for cluster in key:
        shared: dict[int, int] = defaultdict(int)
        for m in cluster:
            if m in where:
                shared[where[m]] += 1
        total += sum(c * c for c in shared.values()) / len(cluster)
        n += len(cluster)
    return ratio(total, n)


def _ceaf_e(key: list[list], response: list[list]) -> tuple[float, float]:
    """CEAF-e (precision, recall): the best one-to-one cluster alignment, solved per connected component."""
    where_response = defaultdict(list)
    for n, cluster in enumerate(response):
        for m in cluster:
            where_response[m].append(n)
    response_sets = [set(r) for r in response]
    # connected components of the bipartite "shares a mention" graph keep each assignment small
    parent = list(range(len(key) + len(response)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, cluster in enumerate(key):
        for m in cluster:
            for r in where_response.get(m, ()):
                parent[find(k)] = find(len(key) + r)
    components: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for k in range(len(key)):
        components[find(k)][0].append(k)
    for r in range(len(response)):
        components[find(len(key) + r)][1].append(r)
    total = 0.0
    for keys, responses in components.values():
        if not keys or not responses:
            continue
        weights = [
            [2 * len(set(key[k]) & response_sets[r]) / (len(key[k]) + len(response[r])) for r in responses]
            for k in keys
        ]
        total += _max_assignment(weights)
    return ratio(total, len(response)), ratio(total, len(key))


def _max_assignment(weights: list[list[float]]) -> float:
    """Maximum total weight of a one-to-one assignment (Hungarian algorithm, rectangular allowed)."""
    rows, cols = len(weights), len(weights[0])
    if rows == 1 or cols == 1:
        return max(max(row) for row in weights)
    transpose = rows > cols
    if transpose:
        weights = [list(col) for col in zip(*weights, strict=True)]
        rows, cols = cols, rows
    inf = float("inf")
    cost = [[-w for w in row] for row in weights]
    u, v = [0.0] * (rows + 1), [0.0] * (cols + 1)
    owner, way = [0] * (cols + 1), [0] * (cols + 1)
    for i in range(1, rows + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, cols + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(cols + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    return sum(weights[owner[j] - 1][j - 1] for j in range(1, cols + 1) if owner[j])
