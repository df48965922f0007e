"""Questions asked of the facts by the report notebooks: which facts, which article, which entities, what evidence.

:func:`load_facts` reads a facts store (or extracts a folder of articles);
:func:`subset` and :func:`select_article` narrow the facts to some articles;
:func:`resolve_entities` maps the names a user typed to canonical entity names;
:func:`evidence` cuts the sentence behind each fact from the article text;
:func:`casualty_totals` adds up the reconciled toll of every story.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import ParameterError
from ..facts import Facts
from .params import is_store, validate_parameters

__all__ = ["casualty_totals", "evidence", "load_facts", "resolve_entities", "select_article", "subset"]


def load_facts(input, *, progress: bool = False) -> Facts:
    """The facts of ``input``: read from a store, or read the articles and extract them.

    A directory holding ``manifest.json`` is a facts store and is read without
    touching any text; anything else is read with :func:`newskit.readers.read_articles`
    and extracted.

    Raises:
        ParameterError: ``input`` does not exist or holds no articles.
    """
    path = validate_parameters(input=input)["input"]
    if is_store(path):
        from ..store import read_facts

        facts = read_facts(path)
    else:
        from ..extract import extract
        from ..link import link
        from ..readers import read_articles

        facts = link(extract(read_articles(path), progress=progress))
    if facts.articles.empty:
        raise ParameterError("input", str(input), "holds no articles", fix="point it at articles or a non-empty store")
    return facts


def resolve_entities(facts: Facts, entities: Sequence[str]) -> list[str]:
    """Canonical names of the entities asked for, matched on name, alias or id (any case).

    Raises:
        ParameterError: An entity that is not in the facts (with the closest names as a hint).
    """
    if not entities:
        return []
    lookup: dict[str, str] = {}
    table = facts.entities
    for entity_id, name, aliases in zip(table["entity_id"], table["name"], table["aliases"], strict=True):
        if not isinstance(name, str):
            continue
        for key in [name, entity_id, *(aliases if isinstance(aliases, (list, tuple)) else [])]:
            if isinstance(key, str):
                lookup.setdefault(key.casefold(), name)
    # Events name actors and places even when an entities table is missing or partial.
    for names in list(facts.events["actors"]) + list(facts.events["places"]):
        for name in names if isinstance(names, (list, tuple)) else []:
            lookup.setdefault(str(name).casefold(), str(name))
    resolved = []
    for wanted in entities:
        name = lookup.get(wanted.casefold())
        if name is None:
            close = difflib.get_close_matches(wanted.casefold(), list(lookup), n=3)
            hint = (
                f"did you mean {', '.join(repr(lookup[c]) for c in close)}?"
                if close
                else "no entity of that name was found"
            )
            raise ParameterError("entities", wanted, "is not an entity of the input", fix=hint)
        if name not in resolved:
            resolved.append(name)
    return resolved


def subset(facts: Facts, article_ids) -> Facts:
    """The facts of some articles only (``entities`` recounted over them).

    Stories, figures and figure reports are kept whole for every story that one of the
    articles belongs to: a figure is about its story, not about the articles selected.
    """
    ids = set(article_ids)
    frames = {
        name: df[df["article_id"].isin(ids)]
        for name, df in facts.tables().items()
        if "article_id" in df.columns and name != "figure_reports"
    }
    stories = set(frames["articles"]["story_id"].dropna())
    for name in ("stories", "figures", "figure_reports"):
        table = getattr(facts, name)
        frames[name] = table[table["story_id"].isin(stories)]
    mentions = frames["mentions"]
    entities = facts.entities[facts.entities["entity_id"].isin(set(mentions["entity_id"].dropna()))].copy()
    if len(entities):
        per = mentions.groupby("entity_id")
        entities["n_mentions"] = entities["entity_id"].map(per.size()).astype("Int64")
        entities["n_articles"] = entities["entity_id"].map(per["article_id"].nunique()).astype("Int64")
    frames["entities"] = entities
    return Facts.from_frames(frames)


def select_article(facts: Facts, article=None) -> Facts:
    """The facts of one article, chosen by id (or a unique prefix of it), path or exact title.

    An empty ``article`` selects the first article.

    Raises:
        ParameterError: No article, or several, match.
    """
    arts = facts.articles
    if arts.empty:
        raise ParameterError("input", "", "holds no articles", fix="point it at articles or a non-empty store")
    article = (article or "").strip()
    if not article:
        return subset(facts, [arts["article_id"].iloc[0]])
    ids = arts["article_id"].astype(str)
    paths = [
        [str(p) for p in (ps if isinstance(ps, (list, tuple)) else [])] + [str(p)]
        for p, ps in zip(arts["path"], arts["paths"], strict=True)
    ]
    candidates = [
        ids == article,
        pd.Series(
            [
                any(p == article or Path(p.split(":")[0]).name == article or p.endswith(article) for p in ps)
                for ps in paths
            ],
            index=arts.index,
        ),
        arts["title"].astype(str).str.strip() == article,
        ids.str.startswith(article),
    ]
    for mask in candidates:
        mask = mask.fillna(False).astype(bool)
        if mask.sum() == 1:
            return subset(facts, list(ids[mask]))
        if mask.sum() > 1:
            raise ParameterError(
                "article", article, f"matches {int(mask.sum())} articles", fix="give more of the article id"
            )
    raise ParameterError("article", article, "is not an article of the input", fix="give an article id, path or title")


def evidence(facts: Facts, rows: str | pd.DataFrame, *, context: int = 240) -> pd.DataFrame:
    """Rows of a table with an ``evidence`` column: the sentence around each row's span.

    The sentence is cut from the article text at the nearest sentence end
    (``.``, ``!``, ``?`` followed by a space, or a newline) within ``context``
    characters either side of ``[start, end)``.

    Args:
        facts: The facts (their ``articles`` hold the text).
        rows: A table name (``"quantities"``) or rows of a table with ``article_id``,
            ``start`` and ``end``.
        context: How far to look for the sentence ends.
    """
    df = (getattr(facts, rows) if isinstance(rows, str) else rows).copy()
    texts = dict(zip(facts.articles["article_id"], facts.articles["text"], strict=True))
    out = []
    for article_id, start, end in zip(df["article_id"], df["start"], df["end"], strict=True):
        text = texts.get(article_id)
        if not isinstance(text, str) or pd.isna(start) or pd.isna(end):
            out.append(None)
            continue
        start, end = int(start), int(end)
        lo = max(0, start - context)
        head = text[lo:start]
        cut = max((m.end() for m in re.finditer(r"[.!?][\"'”’)]?\s|\n", head)), default=None)
        left = lo + cut if cut is not None else lo
        tail = text[end : end + context]
        found = re.search(r"[.!?][\"'”’)]?(?=\s|$)|\n", tail)
        right = end + found.end() if found else min(len(text), end + context)
        snippet = " ".join(text[left:right].split())
        out.append(
            ("…" if left > 0 and cut is None else "") + snippet + ("…" if found is None and right < len(text) else "")
        )
    df["evidence"] = pd.array(out, dtype="string")
    return df


def casualty_totals(facts: Facts) -> dict:
    """The casualty totals a report states: per outcome, the reconciled figures of the stories added up.

    Each story contributes its one reconciled figure per outcome (the rows
    :func:`newskit.plots.story_casualties` draws: the figure for everyone in the story,
    else its largest group's), never a sum over mentions or outlets; the totals add
    those figures over every story with a toll, drawn or not. ``compare.ipynb`` prints
    them and puts them into ``report.json`` beside the casualties chart, so a test or
    a scheduler can check that the totals are the per-story figures added up.

    Returns:
        ``{"totals": {outcome: total}, "stories": {story_id: {outcome: value}},
        "n_stories": int}``; outcomes in the order of :data:`newskit.plots.TOLL_MEASURES`
        then :data:`newskit.plots.OTHER_MEASURES`, only those some story reports.

    Examples:
        >>> import newskit as nk
        >>> facts = nk.extract_text("Three people were killed and five injured in Dravik on Monday.",
        ...                         published="2024-03-11")
        >>> casualty_totals(facts)["totals"]
        {'killed': 3.0, 'injured': 5.0}
    """
    from ..plots import OTHER_MEASURES, TOLL_MEASURES, story_tolls

    tolls = story_tolls(facts) if not facts.figures.empty else pd.DataFrame(columns=["story_id", "measure", "value"])
    stories: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    for measure in (*TOLL_MEASURES, *OTHER_MEASURES):
        rows = tolls[tolls["measure"] == measure]
        if rows.empty:
            continue
        totals[measure] = float(rows["value"].astype(float).sum())
        for story_id, value in zip(rows["story_id"].astype(str), rows["value"].astype(float), strict=True):
            stories.setdefault(story_id, {})[measure] = value
    return {"totals": totals, "stories": stories, "n_stories": len(stories)}
