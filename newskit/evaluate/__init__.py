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

import inspect
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from ..errors import InputError, ParameterError
from .attribution import score_attribution
from .casualties import score_casualties
from .entities import score_entities
from .event_coref import score_event_coref
from .event_time import score_event_time
from .gold import read_gold, read_jsonl, read_timeml
from .halves import GROUPINGS, group_of
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
    "score_event_coref",
    "score_event_time",
    "score_quantities",
    "score_stories",
    "score_timex",
]

#: The tasks ``newskit eval`` scores (the CLI's choices).
TASKS: tuple[str, ...] = (
    "timex",
    "entities",
    "quantities",
    "casualties",
    "attribution",
    "event_time",
    "event_coref",
    "stories",
)

#: Other accepted names → task.
TASK_ALIASES: dict[str, str] = {"timeml": "timex"}

#: Task → the gold keys a document needs to be scored for it.
GOLD_KEYS: dict[str, tuple[str, ...]] = {
    "timex": ("timexes",),
    "entities": ("entities",),
    "quantities": ("quantities",),
    "casualties": ("killed", "injured"),
    "attribution": ("attributions",),
    "event_time": ("event_anchors",),
    "event_coref": ("events",),
    "stories": ("story", "topic"),
}

SCORERS: dict[str, Callable[[Sequence[dict], pd.DataFrame | None], dict[str, dict]]] = {
    "timex": score_timex,
    "entities": score_entities,
    "quantities": score_quantities,
    "casualties": score_casualties,
    "attribution": score_attribution,
    "event_time": score_event_time,
    "event_coref": score_event_coref,
    "stories": score_stories,
}

#: How ``event_coref`` may cluster articles into stories before linking events.
STORY_MODES: tuple[str, ...] = ("predicted", "gold", "both")


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
    stories: str = "predicted",
    by: str = "corpus",
    facts=None,
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
        stories: For ``event_coref``: link events within ``predicted`` stories
            (:func:`newskit.link.link_stories`), within the ``gold`` ones, or
            ``both`` (one extraction, both scores; tables suffixed by the mode).
        by: ``corpus`` (one table per corpus), ``half`` (two halves differing in
            topic, outlet or period; see :mod:`newskit.evaluate.halves`) or
            ``outlet`` (PolNeAR per outlet).
        facts: Facts already extracted from these documents (a :class:`newskit.Facts` or a
            store directory written by ``Facts.to_parquet`` / ``newskit extract --out``),
            whose ``article_id`` is each record's ``doc_id``: extraction is skipped and only
            the linking steps run again, so tuning linking takes seconds. Every scored
            document must have its article in them.

    Returns:
        An :class:`EvalReport`, one metrics table per group (plus ``all`` when
        there are several).

    Raises:
        ParameterError: Unknown task or a bad ``limit``.
        InputError: Unreadable gold, no document with gold for the task, or ``facts``
            lacking some scored document.
    """
    from ..extract import extract

    task = _task(task)
    if task == "stories":  # scored over the whole set at once, with its topic halves and baselines
        return run_stories(path, limit=limit, nlp=nlp, progress=progress, batch_size=batch_size, facts=facts)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ParameterError("limit", limit, "must be a positive integer or None")
    records = [r for r in read_gold(path) if _has_gold(r, task)]
    if not records:
        keys = " and ".join(f"gold.{k}" for k in GOLD_KEYS[task])
        raise InputError(
            path, f"no document has gold for task {task!r} ({keys})", fix="pick the corpus made for that task"
        )
    if stories not in STORY_MODES:
        raise ParameterError("stories", stories, "is not a story mode", fix=f"use one of {', '.join(STORY_MODES)}")
    if by not in GROUPINGS:
        raise ParameterError("by", by, "is not a grouping", fix=f"use one of {', '.join(GROUPINGS)}")
    records = records[:limit] if limit is not None else records
    if facts is not None:
        facts = cached_facts(facts, records)
    else:
        options = {"nlp": nlp, "progress": progress, "batch_size": batch_size}
        if "link" in inspect.signature(extract).parameters:
            options["link"] = False  # linking (when extract offers it) is done below, with the chosen stories
        facts = extract(articles_from_gold(records), **options)
    if task == "entities":
        # Entity ids across documents are what linking gives (B-cubed across articles).
        from ..link.entities import link_entities

        facts = link_entities(facts)
    if task != "event_coref":
        return score(task, records, predictions_for(task, facts), source=str(path), by=by)
    modes = ("predicted", "gold") if stories == "both" else (stories,)
    reports = []
    for mode in modes:
        linked = link_for_coref(facts, records, stories=mode)
        reports.append((mode, score(task, records, predictions_for(task, linked), source=f"{path} ({mode} stories)")))
    if len(reports) == 1:
        return reports[0][1]
    tables = {f"{name}, {mode} stories": t for mode, r in reports for name, t in r.tables.items()}
    documents = {f"{name}, {mode} stories": n for mode, r in reports for name, n in r.documents.items()}
    return EvalReport(task=task, tables=tables, documents=documents, source=str(path))


def cached_facts(facts, records: Sequence[dict]):
    """The facts of ``records`` from already extracted ``facts`` (a Facts or a store directory).

    Rows of articles that are not among the records are dropped (``limit``), so the
    linking steps see the same articles as after a fresh extraction.

    Raises:
        InputError: A record's ``doc_id`` has no article in ``facts``.
    """
    from ..facts import Facts
    from ..store import read_facts

    source = facts
    if not isinstance(facts, Facts):
        facts = read_facts(facts)
    wanted = [r["doc_id"] for r in records]
    have = set(facts.articles["article_id"].astype(str))
    missing = [d for d in wanted if d not in have]
    if missing:
        raise InputError(
            source if not isinstance(source, Facts) else "facts",
            f"has no article for {len(missing)} scored document(s), e.g. {missing[0]!r}",
            fix="extract these documents (same doc_id as article_id) or drop the cached facts",
        )
    if len(have) == len(wanted):
        return facts
    keep = set(wanted)
    tables = {
        name: frame[frame["article_id"].astype(str).isin(keep)] if "article_id" in frame else frame
        for name, frame in facts.tables().items()
    }
    return Facts.from_frames(tables)


def link_for_coref(facts, records: Sequence[dict], *, stories: str = "predicted"):
    """Link the events of ``facts`` across articles, within predicted or gold stories.

    ``predicted`` runs :func:`newskit.link.link_entities` and
    :func:`newskit.link.link_stories`; ``gold`` takes each record's ``gold.story``
    as its article's ``story_id``. Both then run :func:`newskit.link.link_events`.
    """
    import dataclasses

    from ..link import link_entities, link_events, link_stories

    facts = link_entities(facts)
    if stories == "gold":
        story = {r["doc_id"]: r["gold"].get("story") for r in records}
        articles = facts.articles.copy()
        articles["story_id"] = pd.array([story.get(a) for a in articles["article_id"]], dtype="string")
        facts = dataclasses.replace(facts, articles=articles)
    else:
        facts = link_stories(facts)
    return link_events(facts)


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
    if task in ("event_time", "event_coref"):
        events = facts.events
        columns = ["article_id", "trigger_start", "trigger_end", "date_start", "date_end", "event_id"]
        frame = events[columns].rename(columns={"trigger_start": "start", "trigger_end": "end"})
        return frame[frame["start"].notna()].reset_index(drop=True)
    if task == "casualties":
        from ..extract.casualties import casualty_summary  # imported late: written alongside this module

        return casualty_summary(facts)
    if task == "stories":
        return facts.articles
    table = {"timex": "timexes", "entities": "mentions", "quantities": "quantities", "attribution": "attributions"}[
        task
    ]
    return getattr(facts, table)


def score(
    task: str,
    gold_records: Sequence[dict],
    predictions: pd.DataFrame | None,
    *,
    source: str = "",
    by: str = "corpus",
) -> EvalReport:
    """Score a prediction table against gold records, per corpus.

    Args:
        task: See :func:`run`.
        gold_records: Gold records (see :func:`read_gold`); each record's
            ``corpus`` groups the results.
        predictions: The table the task scores (see the ``score_<task>``
            functions), with ``article_id`` equal to the records' ``doc_id``;
            None for no predictions.
        source: Where the gold came from (kept on the report).
        by: How to group the documents (see :func:`run`).

    Returns:
        An :class:`EvalReport` with one table per corpus, plus ``all`` pooling
        every document when there are several corpora.
    """
    task = _task(task)
    scorer = SCORERS[task]
    groups: dict[str, list[dict]] = {}
    for record in gold_records:
        groups.setdefault(group_of(record, by), []).append(record)
    groups = dict(sorted(groups.items())) if by != "corpus" else groups
    if task == "event_coref":
        groups = {"all": list(gold_records), **_topic_halves(gold_records)}
    elif len(groups) > 1:
        groups["all"] = list(gold_records)
    tables = {corpus: metrics_frame(scorer(records, predictions)) for corpus, records in groups.items()}
    documents = {corpus: len(records) for corpus, records in groups.items()}
    return EvalReport(task=task, tables=tables, documents=documents, source=source)


def _topic_halves(records: Sequence[dict]) -> dict[str, list[dict]]:
    """ECB+ records split by topic number: odd and even topics (empty halves left out)."""
    halves: dict[str, list[dict]] = {"odd topics": [], "even topics": []}
    for record in records:
        topic = str(record["gold"].get("topic") or "")
        if topic.isdigit():
            halves["odd topics" if int(topic) % 2 else "even topics"].append(record)
    return {name: items for name, items in halves.items() if items}
