"""Link event mentions across the articles of a story: ``events.event_id``, ``events.story_id``, shared dates.

Mentions of one story (``articles.story_id``; an article whose story is <NA> is a story of
its own) name the same real-world event when they share an *event key*: the trigger's event
class from ``event_classes.tsv`` ("attack", "ambush", "shooting" and "shot" are one class),
else its lemma. Mentions with the same key are still split when they cannot be the same
happening: both dated to a day by a time expression, more than a day apart ("the attack on
Monday" and "the attack on Friday"). Places are not compared: outlets name one place at
different scales ("Tabriz", "northwest Iran"), which split real coreference on ECB+ more
often than it separated happenings. Statements are not split by date either (a
spokesman "said" on several days of one story is, for ECB+, mostly one reporting event),
but they are one event only when they share a participant (the last word of a canonical
name in ``actors``: the speaker, whom it was said to): "the police said" and "the mayor
said" in one story are two statements.

Event classes keep the happening apart from the legal or summary nouns that classify it
("murder" and "homicide" name a charge, "death" a toll or a penalty), and join the words
outlets use for one happening ("hit"/"strike", "foil"/"thwart", "issue"/"release" a patch).

An event mention undated in its own article (``dated_by`` ``publication``, ``tense`` or
``narrative``, the day its article reports on) then
takes the date of the same event where a time expression dates it (``dated_by="story"``),
the narrowest such date, when it fits the mention's own bound.

Linking reads facts only (no text is parsed again); the cost is one sort and one pass over
the events of each story.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib

import pandas as pd

from .. import lexicons
from ..facts import Facts

__all__ = ["event_class", "link_events"]


#: Most days apart two day-dated mentions of one event can be (reports round "overnight" either way).
_MAX_DAYS_APART = 1
#: Datings a time expression of the same event elsewhere in the story overrides.
_UNDATED = {"publication", "tense", "narrative"}


@functools.cache
def _classes() -> dict[str, str]:
    """Lemma → event class, from ``event_classes.tsv``."""
    table: dict[str, str] = {}
    for name, lemmas, *_ in lexicons.rows("event_classes"):
        for lemma in lemmas.split(","):
            table[lemma.strip()] = name.strip()
    return table


def event_class(lemma: str) -> str:
    """The event class of a trigger lemma (the lemma itself when it has none).

    Examples:
        >>> event_class("ambush"), event_class("shot"), event_class("vote")
        ('attack', 'attack', 'vote')
    """
    return _classes().get(lemma, lemma)


#: The columns event clustering reads, per row.
_RECORD_COLUMNS = (
    "article_id",
    "lemma",
    "kind",
    "date_start",
    "date_end",
    "dated_by",
    "precision",
    "trigger_start",
    "actors",
    "salient",
)


def link_events(facts: Facts) -> Facts:
    """Give mentions of the same real-world event one ``event_id`` within each story.

    Args:
        facts: Facts with ``articles.story_id`` set by :func:`newskit.link.link_stories`
            (<NA> = the article is a story of its own).

    Returns:
        New Facts whose ``events`` have ``story_id``, ``event_id`` and, for mentions
        undated in their own article, the date of the same event elsewhere in the story
        (``dated_by="story"``). The input is not modified.
    """
    events = facts.events
    if events is None or len(events) == 0:
        return facts
    # Clustering and ids follow a canonical row order, so the same events give the same ids
    # however they were read (one extraction, or a store's chunks in any order).
    original = events.index
    events = events.sort_values(["article_id", "trigger_start", "start"], kind="stable", na_position="last")
    order = events.index
    events = events.reset_index(drop=True)
    story_of = dict(zip(facts.articles["article_id"], facts.articles["story_id"], strict=True))
    article_ids = events["article_id"].tolist()  # plain lists: iterating an Arrow column costs a call per cell
    stories = pd.array([story_of.get(a, pd.NA) for a in article_ids], dtype="string")
    events["story_id"] = stories
    group = [s if not pd.isna(s) else f"article:{a}" for s, a in zip(stories.tolist(), article_ids, strict=True)]
    ids = [None] * len(events)
    # Rows as dicts built from column lists (what ``to_dict("records")`` gives, at a fraction of its cost).
    columns = _RECORD_COLUMNS
    records = [dict(zip(columns, row, strict=True)) for row in zip(*(_cells(events[c]) for c in columns), strict=True)]
    by_group: dict[str, list[int]] = {}
    for position, key in enumerate(group):
        by_group.setdefault(key, []).append(position)
    inherited: dict[int, dict] = {}
    for key, positions in by_group.items():
        clusters = _cluster(records, positions)
        for n, members in enumerate(clusters):
            event_id = _event_id(key, records[members[0]], n)
            for m in members:
                ids[m] = event_id
            inherited.update(_inherit(records, members))
    events["event_id"] = pd.array(ids, dtype="string")
    if inherited:  # one assignment per column (a cell at a time cost ~0.5 ms each)
        positions = list(inherited)
        for column in next(iter(inherited.values())):
            values = events[column].array.copy()
            values[positions] = [inherited[p][column] for p in positions]
            events[column] = values
    events.index = order  # back to the caller's row order
    return dataclasses.replace(facts, events=events.loc[original])


def _cluster(records: list[dict], positions: list[int]) -> list[list[int]]:
    """Mentions of one story grouped into events: each joins the first group of its key whose
    every member it is compatible with (:func:`_compatible`)."""
    by_key: dict[str, list[int]] = {}
    singles: list[list[int]] = []
    for p in positions:
        lemma = records[p]["lemma"]
        if lemma is None or pd.isna(lemma) or not str(lemma):
            singles.append([p])
            continue
        by_key.setdefault(event_class(str(lemma)), []).append(p)
    clusters: list[list[int]] = []
    for members in by_key.values():
        groups: list[list[int]] = []
        # Per group, what _compatible compares, kept so that a mention is not checked against
        # every member (which grew with the square of the mentions): the earliest and latest
        # start of its day-dated members, the participants of its statements, and of all members.
        spans: list[tuple[pd.Timestamp, pd.Timestamp] | None] = []
        statement_parts: list[list[set[str]]] = []
        member_parts: list[list[set[str]]] = []
        for p in members:
            record = records[p]
            day = _day_start(record)
            statement = record["kind"] == "statement"
            mine = _participants(record)
            for k, existing in enumerate(groups):
                if day is not None and spans[k] is not None and not _fits(day, *spans[k]):
                    continue
                others = member_parts[k] if statement else statement_parts[k]
                if not all(mine & theirs for theirs in others):
                    continue
                existing.append(p)
                if day is not None:
                    spans[k] = (min(spans[k][0], day), max(spans[k][1], day)) if spans[k] else (day, day)
                member_parts[k].append(mine)
                if statement:
                    statement_parts[k].append(mine)
                break
            else:
                groups.append([p])
                spans.append((day, day) if day is not None else None)
                member_parts.append([mine])
                statement_parts.append([mine] if statement else [])
        clusters.extend(groups)
    clusters.extend(singles)
    clusters.sort(key=lambda c: min(c))
    return clusters


def _compatible(a: dict, b: dict) -> bool:
    """Whether two mentions of one key can be one happening: not two day-dated days apart, and
    for statements, a participant in common (two outlets' "said" are one event only when the
    same person said it)."""
    if "statement" in (a["kind"], b["kind"]):
        # Reports are one event only when they share a participant (the speaker, whom it was told to).
        return bool(_participants(a) & _participants(b))
    if a["dated_by"] == "timex" and b["dated_by"] == "timex" and a["precision"] == "day" and b["precision"] == "day":
        a_start, _ = _bounds(a)
        b_start, _ = _bounds(b)
        if a_start is not None and b_start is not None:
            return abs((pd.Timestamp(a_start) - pd.Timestamp(b_start)).days) <= _MAX_DAYS_APART
    return True


def _participants(record: dict) -> set[str]:
    """Last words of the canonical names taking part ("Jack Ketsoyan" and "Ketsoyan" are one)."""
    actors = record.get("actors")
    if actors is None or isinstance(actors, (float, str)) or actors is pd.NA:
        return set()
    return {str(x).split()[-1].lower() for x in actors if str(x).strip()}


_DAY_KEYS = ("kind", "dated_by", "precision")


def _day_start(record: dict) -> pd.Timestamp | None:
    """The start of a mention that _compatible compares (a day-dated non-statement), else None."""
    kind, dated_by, precision = (str(record[c]) if isinstance(record[c], str) else None for c in _DAY_KEYS)
    if kind == "statement" or dated_by != "timex" or precision != "day":
        return None
    start, _ = _bounds(record)
    return None if start is None else pd.Timestamp(start)


def _fits(day: pd.Timestamp, earliest: pd.Timestamp, latest: pd.Timestamp) -> bool:
    """Whether ``day`` is compatible (as :func:`_compatible`) with every day-dated start in
    ``[earliest, latest]``: ``abs((day - other).days) <= 1`` holds for ``day - 2 days < other <=
    day + 1 day`` (``.days`` rounds down), an interval, so its two ends decide."""
    return abs((day - earliest).days) <= _MAX_DAYS_APART and abs((day - latest).days) <= _MAX_DAYS_APART


def _bounds(record: dict):
    start, end = record["date_start"], record["date_end"]
    return (None if pd.isna(start) else start), (None if pd.isna(end) else end)


def _event_id(story: str, record: dict, n: int) -> str:
    """A stable id: the story, the first mention's article and trigger offset."""
    seed = f"{story}\0{record['article_id']}\0{record['trigger_start']}\0{n}"
    return "ev" + hashlib.sha1(seed.encode()).hexdigest()[:12]


def _cells(column: pd.Series) -> list:
    """A column's cells as a list, missing text as None (``pd.NA`` has no truth value, so
    ``record["dated_by"] == "timex"`` would raise on it)."""
    cells = column.tolist()
    if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
        return [None if cell is pd.NA else cell for cell in cells]
    return cells


def _inherit(records: list[dict], members: list[int]) -> dict[int, dict]:
    """Dates for the undated mentions of one event, from its narrowest time-expression date."""
    if len(members) < 2:
        return {}
    dated = [records[m] for m in members if records[m]["dated_by"] == "timex"]
    dated = [r for r in dated if not pd.isna(r["date_start"]) and not pd.isna(r["date_end"])]
    if not dated:
        return {}
    best = min(dated, key=lambda r: (r["date_end"] - r["date_start"], r["date_start"]))
    result = {}
    for m in members:
        record = records[m]
        if record["dated_by"] not in _UNDATED:
            continue
        _, end = _bounds(record)
        start, _ = _bounds(record)
        if end is not None and best["date_start"] > end:
            continue  # the story's date is after the mention's own bound ("killed" before publication)
        if start is not None and best["date_end"] < start:
            continue
        result[m] = {
            "date_start": best["date_start"],
            "date_end": best["date_end"],
            "precision": best["precision"],
            "dated_by": "story",
        }
    return result
