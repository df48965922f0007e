"""Score newskit's extraction against annotated corpora (the engine of ``newskit eval``).

:func:`run` reads gold documents, extracts facts from their text with
:func:`newskit.extract` (once) and scores one table against the gold;
:func:`score` and the ``score_<task>`` functions score a ready prediction table
without running extraction. The scoring rules are those of the dev corpora's
README: TempEval-3 span alignment (identical spans first, then each gold span in
text order takes the leftmost free overlapping prediction), strict and relaxed
P/R/F1, attribute accuracy over relaxed matches, B-cubed for entity
coreference, coverage-based matching for attribution contents, exact match and
MAE for casualty counts. Regions the gold does not annotate are not scored.

Examples:
    >>> import newskit.evaluate as ev
    >>> report = ev.run("timex", "../shared/corpora/timebank-aquaint", limit=5)  # doctest: +SKIP
    >>> print(report)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from ..errors import InputError, ParameterError
from .attribution import score_attribution
from .casualties import score_casualties
from .entities import score_entities
from .gold import read_gold, read_jsonl, read_timeml
from .quantities import score_quantities
from .report import EvalReport, metrics_frame
from .stories import run_stories, score_stories
from .timex import score_timex

__all__ = [
    "TASKS",
    "TASK_ALIASES",
    "EvalReport",
    "articles_from_gold",
    "read_gold",
    "read_jsonl",
    "read_timeml",
    "run",
    "score",
    "score_attribution",
    "score_casualties",
    "score_entities",
    "score_quantities",
    "score_stories",
    "score_timex",
]

#: The tasks ``newskit eval`` scores (the CLI's choices).
TASKS: tuple[str, ...] = ("timex", "entities", "quantities", "casualties", "attribution", "stories")

#: Other accepted names → task.
TASK_ALIASES: dict[str, str] = {"timeml": "timex"}

#: Task → the gold keys a document needs to be scored for it.
GOLD_KEYS: dict[str, tuple[str, ...]] = {
    "timex": ("timexes",),
    "entities": ("entities",),
    "quantities": ("quantities",),
    "casualties": ("killed", "injured"),
    "attribution": ("attributions",),
    "stories": ("story", "topic"),
}

SCORERS: dict[str, Callable[[Sequence[dict], pd.DataFrame | None], dict[str, dict]]] = {
    "timex": score_timex,
    "entities": score_entities,
    "quantities": score_quantities,
    "casualties": score_casualties,
    "attribution": score_attribution,
    "stories": score_stories,
}


def _task(task: str) -> str:
    name = TASK_ALIASES.get(str(task).lower(), str(task).lower())
    if name not in TASKS:
        raise ParameterError(
            "task", task, "is not a task newskit can score", fix=f"use one of {', '.join(TASKS)} (or timeml)"
        )
    return name


def run(
    task: str,
    path: str | Path,
    *,
    limit: int | None = None,
    nlp=None,
    progress: bool = False,
    batch_size: int = 32,
) -> EvalReport:
    """Extract facts from annotated documents and score them against the gold.

    Args:
        task: ``timex`` (alias ``timeml``), ``entities``, ``quantities``,
            ``casualties`` or ``attribution``.
        path: A corpus directory (with ``docs.jsonl``), a directory of corpus
            directories, a ``.jsonl`` file, a TimeML ``.tml`` file or a directory
            of them (see :func:`read_gold`).
        limit: Score only the first ``limit`` documents that have gold for the task.
        nlp: A loaded spaCy pipeline (default: :func:`newskit.nlp.load_pipeline`).
        progress: Show a progress bar while extracting.
        batch_size: Texts per ``nlp.pipe`` batch.

    Returns:
        An :class:`EvalReport`, one metrics table per corpus (plus ``all`` when
        the documents come from several corpora).

    Raises:
        ParameterError: Unknown task or a bad ``limit``.
        InputError: Unreadable gold, or no document with gold for the task.
    """
    from ..extract import extract

    task = _task(task)
    if task == "stories":  # scored over the whole set at once, with its topic halves and baselines
        return run_stories(path, limit=limit, nlp=nlp, progress=progress, batch_size=batch_size)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ParameterError("limit", limit, "must be a positive integer or None")
    records = [r for r in read_gold(path) if _has_gold(r, task)]
    if not records:
        keys = " and ".join(f"gold.{k}" for k in GOLD_KEYS[task])
        raise InputError(
            path, f"no document has gold for task {task!r} ({keys})", fix="pick the corpus made for that task"
        )
    records = records[:limit] if limit is not None else records
    facts = extract(articles_from_gold(records), nlp=nlp, progress=progress, batch_size=batch_size)
    return score(task, records, predictions_for(task, facts), source=str(path))


def _has_gold(record: dict, task: str) -> bool:
    return all(record["gold"].get(key) is not None for key in GOLD_KEYS[task])


def articles_from_gold(records: Sequence[dict]) -> pd.DataFrame:
    """The articles DataFrame :func:`newskit.extract` takes, one row per gold record.

    ``article_id`` is the record's ``doc_id`` (so predictions join back to gold),
    ``published`` its date (NaT when unknown).
    """
    from .. import schema

    rows = [
        {
            "article_id": r["doc_id"],
            "published": pd.Timestamp(r["published"]) if r.get("published") else None,
            "title": r.get("title"),
            "text": r["text"],
            "path": r["doc_id"],
            "paths": [r["doc_id"]],
            "n_words": len(r["text"].split()),
        }
        for r in records
    ]
    return schema.conform("articles", pd.DataFrame(rows, columns=[c.name for c in schema.TABLES["articles"]]))


def predictions_for(task: str, facts) -> pd.DataFrame:
    """The table of ``facts`` that ``task`` scores."""
    task = _task(task)
    if task == "casualties":
        from ..extract.casualties import casualty_summary  # imported late: written alongside this module

        return casualty_summary(facts)
    if task == "stories":
        return facts.articles
    table = {"timex": "timexes", "entities": "mentions", "quantities": "quantities", "attribution": "attributions"}[
        task
    ]
    return getattr(facts, table)


def score(task: str, gold_records: Sequence[dict], predictions: pd.DataFrame | None, *, source: str = "") -> EvalReport:
    """Score a prediction table against gold records, per corpus.

    Args:
        task: See :func:`run`.
        gold_records: Gold records (see :func:`read_gold`); each record's
            ``corpus`` groups the results.
        predictions: The table the task scores (see the ``score_<task>``
            functions), with ``article_id`` equal to the records' ``doc_id``;
            None for no predictions.
        source: Where the gold came from (kept on the report).

    Returns:
        An :class:`EvalReport` with one table per corpus, plus ``all`` pooling
        every document when there are several corpora.
    """
    task = _task(task)
    scorer = SCORERS[task]
    groups: dict[str, list[dict]] = {}
    for record in gold_records:
        groups.setdefault(str(record.get("corpus") or "corpus"), []).append(record)
    if len(groups) > 1:
        groups["all"] = list(gold_records)
    tables = {corpus: metrics_frame(scorer(records, predictions)) for corpus, records in groups.items()}
    documents = {corpus: len(records) for corpus, records in groups.items()}
    return EvalReport(task=task, tables=tables, documents=documents, source=source)
