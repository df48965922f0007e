"""Score story clustering against ECB+ sub-topics (``gold.story``) and topics (``gold.topic``).

The rules are those of the dev corpora's README: the documents of a set are clustered by
their predicted ``story_id`` (null or missing = a cluster of its own). B-cubed over
documents: for each document d, P(d) = |pred(d) & gold(d)| / |pred(d)| and R(d) =
|pred(d) & gold(d)| / |gold(d)| (d included); P and R are the means over documents,
F1 = 2PR / (P + R). Pairwise: P = document pairs in the same predicted and the same gold
cluster / pairs in the same predicted cluster (0 when no pair is predicted), R = the same /
pairs in the same gold cluster. Both against gold ``story`` and gold ``topic``, with the
numbers of predicted and gold clusters.

:func:`run_stories` extracts and links the documents (:func:`newskit.extract`, which links
by default) and reports the whole set and its two halves (odd and even topic numbers),
next to the simple baseline: TF-IDF of the text and average-linkage agglomerative
clustering (scikit-learn), its distance threshold tuned on the set itself (the best
of a grid, so the baseline is as strong as it can be). The other baseline of the README,
one cluster per topic, is derived from the gold and scored here too for scale.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .report import EvalReport, metrics_frame

__all__ = ["baseline_tfidf_agglomerative", "run_stories", "score_stories", "stories_report"]

_URL_LINE = re.compile(r"\A\s*(?:https?://|www\.)\S*\s*\n")


def _clusters(keys: dict[str, str | None]) -> dict[str, frozenset]:
    """doc → the set of docs sharing its key (a missing key is a cluster of its own)."""
    groups: dict[str, set] = {}
    for doc, key in keys.items():
        groups.setdefault(key if key is not None else f"\0{doc}", set()).add(doc)
    out = {}
    for members in groups.values():
        frozen = frozenset(members)
        for doc in members:
            out[doc] = frozen
    return out


def _bcubed(pred: dict[str, frozenset], gold: dict[str, frozenset]) -> tuple[float, float, float]:
    docs = list(gold)
    if not docs:
        return float("nan"), float("nan"), float("nan")
    p = sum(len(pred[d] & gold[d]) / len(pred[d]) for d in docs) / len(docs)
    r = sum(len(pred[d] & gold[d]) / len(gold[d]) for d in docs) / len(docs)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _pairwise(pred: dict[str, frozenset], gold: dict[str, frozenset]) -> tuple[float, float, float]:
    docs = sorted(gold)
    predicted = both = gold_pairs = 0
    for i, a in enumerate(docs):
        for b in docs[i + 1 :]:
            same_pred = b in pred[a]
            same_gold = b in gold[a]
            predicted += same_pred
            gold_pairs += same_gold
            both += same_pred and same_gold
    p = both / predicted if predicted else 0.0
    r = both / gold_pairs if gold_pairs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_stories(gold_records: Sequence[dict], predictions: pd.DataFrame | None) -> dict[str, dict]:
    """Score predicted story ids against ``gold.story`` and ``gold.topic``.

    Args:
        gold_records: Gold records with ``gold.story`` and ``gold.topic``.
        predictions: ``article_id`` (= the records' ``doc_id``) and ``story_id`` columns
            (``articles`` of linked facts); None for no prediction (every document alone).

    Returns:
        Measure → ``{"P", "R", "F1", "predicted", "gold"}`` (the last two: cluster counts) for
        ``b3 story``, ``pairwise story``, ``b3 topic``, ``pairwise topic``.
    """
    docs = [r["doc_id"] for r in gold_records]
    predicted: dict[str, str | None] = dict.fromkeys(docs)
    if predictions is not None and len(predictions):
        wanted = set(docs)
        for doc, story in zip(predictions["article_id"], predictions["story_id"], strict=True):
            if doc in wanted:
                predicted[doc] = None if pd.isna(story) else str(story)
    pred = _clusters(predicted)
    n_pred = len(set(pred.values()))
    metrics = {}
    for key in ("story", "topic"):
        gold = _clusters({r["doc_id"]: str(r["gold"][key]) for r in gold_records})
        n_gold = len(set(gold.values()))
        for name, measure in (("b3", _bcubed), ("pairwise", _pairwise)):
            p, r, f = measure(pred, gold)
            metrics[f"{name} {key}"] = {"P": p, "R": r, "F1": f, "predicted": n_pred, "gold": n_gold}
    return metrics


def _halves(records: Sequence[dict]) -> dict[str, list[dict]]:
    """The records of odd and of even topic numbers (when topics are numbers)."""
    odd, even = [], []
    for record in records:
        topic = str(record["gold"].get("topic", ""))
        if not topic.isdigit():
            return {}
        (odd if int(topic) % 2 else even).append(record)
    return {"odd topics": odd, "even topics": even} if odd and even else {}


def stories_report(
    records: Sequence[dict], predictions: pd.DataFrame | None, *, name: str = "", source: str = ""
) -> EvalReport:
    """Scores of ``predictions`` on every record and on each topic half, one table each."""
    corpus = name or str(records[0].get("corpus") or "corpus") if records else name
    groups = {corpus: list(records)}
    groups.update({f"{corpus} {half}": rows for half, rows in _halves(records).items()})
    tables = {label: metrics_frame(score_stories(rows, predictions)) for label, rows in groups.items()}
    return EvalReport(task="stories", tables=tables, documents={k: len(v) for k, v in groups.items()}, source=source)


def _baseline_text(text: str) -> str:
    return _URL_LINE.sub("", text, count=1)


def baseline_tfidf_agglomerative(
    records: Sequence[dict], *, thresholds: Sequence[float] | None = None
) -> tuple[pd.DataFrame, float]:
    """The README's baseline: TF-IDF of the text, average-linkage agglomerative clustering.

    The cosine distance threshold is tuned on ``records`` themselves (best story B-cubed F1
    over ``thresholds``), which flatters the baseline.

    Returns:
        Predictions (``article_id``, ``story_id``) and the threshold chosen.
    """
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [_baseline_text(r["text"]) for r in records]
    ids = [r["doc_id"] for r in records]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    best = None
    for threshold in thresholds or [round(0.5 + 0.025 * k, 3) for k in range(19)]:
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
        ).fit_predict(matrix)
        predictions = pd.DataFrame({"article_id": ids, "story_id": [str(label) for label in labels]})
        f1 = score_stories(records, predictions)["b3 story"]["F1"]
        if best is None or f1 > best[0]:
            best = (f1, threshold, predictions)
    return best[2], best[1]


def run_stories(
    path: str | Path,
    *,
    limit: int | None = None,
    nlp=None,
    progress: bool = False,
    batch_size: int = 32,
    baseline: bool = True,
    facts=None,
) -> EvalReport:
    """Extract and link the documents of ``path``, and score the stories (whole set and halves).

    Args:
        path: A corpus with ``gold.story`` and ``gold.topic`` (ECB+), see
            :func:`newskit.evaluate.read_gold`.
        limit: Score only the first ``limit`` documents.
        nlp: A loaded spaCy pipeline.
        progress: Show a progress bar while extracting.
        batch_size: Texts per ``nlp.pipe`` batch.
        baseline: Also score the TF-IDF + agglomerative baseline and one cluster per topic.
        facts: Facts already extracted from these documents (or their store directory):
            extraction is skipped and they are linked again (see :func:`newskit.evaluate.run`).

    Returns:
        An :class:`EvalReport` with tables for newskit (all, odd topics, even topics) and,
        with ``baseline``, the baselines.

    Raises:
        InputError: No document has ``gold.story``.
    """
    from ..extract import extract
    from ..link import link
    from . import articles_from_gold, cached_facts
    from .gold import read_gold

    records = [r for r in read_gold(path) if r["gold"].get("story") is not None and r["gold"].get("topic")]
    if not records:
        raise InputError(path, "no document has gold.story and gold.topic", fix="give the ecbplus-dev corpus")
    records = records[:limit] if limit is not None else records
    if facts is not None:
        facts = link(cached_facts(facts, records))
    else:
        facts = link(extract(articles_from_gold(records), nlp=nlp, progress=progress, batch_size=batch_size))
    return report_for(records, facts.articles, source=str(path), baseline=baseline)


def report_for(records: Sequence[dict], predictions: pd.DataFrame, *, source: str = "", baseline: bool = True):
    """The full stories report of ready predictions (newskit, then the baselines)."""
    report = stories_report(records, predictions, name="newskit", source=source)
    if baseline:
        base, threshold = baseline_tfidf_agglomerative(records)
        extra = stories_report(records, base, name=f"baseline tfidf+agglomerative (threshold {threshold})")
        report.tables.update(extra.tables)
        report.documents.update(extra.documents)
        topics = pd.DataFrame(
            {"article_id": [r["doc_id"] for r in records], "story_id": [str(r["gold"]["topic"]) for r in records]}
        )
        label = "baseline one cluster per gold topic"
        report.tables[label] = metrics_frame(score_stories(records, topics))
        report.documents[label] = len(records)
    return report
