"""newskit: turn news articles into analysable facts, as pandas DataFrames with evidence.

Examples:
    >>> import newskit as nk
    >>> facts = nk.extract_text("Three people were killed in Lorvania on Monday.", published="2024-05-08")
    >>> list(facts.tables())[:3]
    ['articles', 'mentions', 'entities']
"""

from __future__ import annotations

from ._version import __version__
from .errors import InputError, ModelNotFoundError, NewskitError, NotebookError, ParameterError, StoreError
from .extract import extract as _extract_articles
from .extract import extract_text as _extract_text
from .extract._gc import older_objects_frozen as _older_objects_frozen
from .facts import Facts
from .link import link
from .link import link as _link_facts
from .readers import iter_articles, read_articles, skipped_table
from .store import read_facts

__all__ = [
    "Facts",
    "InputError",
    "ModelNotFoundError",
    "NewskitError",
    "NotebookError",
    "ParameterError",
    "StoreError",
    "__version__",
    "casualty_summary",
    "extract",
    "extract_text",
    "iter_articles",
    "link",
    "read_articles",
    "read_facts",
    "skipped_table",
]


def extract(articles, *, link: bool = True, **options) -> Facts:
    """Extract every fact table from articles, then link them across articles.

    Args:
        articles: The DataFrame from :func:`newskit.read_articles` (or any with a ``text`` column).
        link: Link the articles afterwards (:func:`newskit.link.link`: stories, entity and
            event ids across articles, reconciled figures); ``False`` gives per-article facts.
        **options: ``nlp``, ``batch_size``, ``n_process``, ``progress``: see
            :func:`newskit.extract.extract`.

    Returns:
        A :class:`newskit.Facts`.

    Examples:
        >>> import newskit as nk
        >>> facts = nk.extract(nk.read_articles("data/seed"))
        >>> len(facts.stories), int(nk.casualty_summary(facts).loc[0, "killed"])
        (1, 4)
    """
    with _older_objects_frozen():  # the model and the caller's data are not the garbage to find
        facts = _extract_articles(articles, **options)
        return _link_facts(facts) if link else facts


def extract_text(text: str, *, link: bool = True, **options) -> Facts:
    """Extract facts from one text (one article, so one story when linked).

    Args:
        text: The article body.
        link: Link it (:func:`newskit.link.link`): its story, figures and ids.
        **options: ``published``, ``title``, ``source``, ``nlp``: see :func:`newskit.extract.extract_text`.

    Examples:
        >>> import newskit as nk
        >>> facts = nk.extract_text("Two people were killed on Monday.", published="2024-03-06")
        >>> facts.articles.loc[0, "published"], len(facts.stories)
        (Timestamp('2024-03-06 00:00:00'), 1)
    """
    with _older_objects_frozen():
        facts = _extract_text(text, **options)
        return _link_facts(facts) if link else facts


def casualty_summary(facts, *, by: str = "article"):
    """Killed and injured per article or per story (Int64; ``<NA>`` = not reported).

    Args:
        facts: Extracted (and, for ``by="story"``, linked) facts.
        by: ``"article"``: one row per article, ``article_id``, ``killed``, ``injured`` (see
            :func:`newskit.extract.casualties.casualty_summary`, imported on first use so that
            ``import newskit`` stays free of spaCy). ``"story"``: one row per story of
            ``facts.stories``, ``story_id``, ``killed``, ``injured`` and their ``_low``/``_high``
            across outlets, from the reconciled ``figures`` (the story-wide figure, group <NA>;
            a story with only group figures takes the largest of them, never their sum).

    Raises:
        ParameterError: ``by`` is neither ``"article"`` nor ``"story"``.
    """
    if by == "article":
        from .extract.casualties import casualty_summary as summarise

        return summarise(facts)
    if by != "story":
        raise ParameterError("by", by, "is not a way to summarise casualties", fix='use by="article" or by="story"')
    import pandas as pd

    columns = ["killed", "injured", "killed_low", "killed_high", "injured_low", "injured_high"]
    story_ids = facts.stories["story_id"].astype("string").tolist()
    figures = facts.figures
    values: dict[tuple[str, str], dict] = {}
    for outcome in ("killed", "injured"):
        rows = figures[figures["measure"].eq(outcome).fillna(False)]
        for story_id, group in rows.groupby("story_id"):
            overall = group[group["group"].isna()]
            row = overall.iloc[0] if len(overall) else group.sort_values("value", ascending=False).iloc[0]
            values[(story_id, outcome)] = {"": row["value"], "_low": row["low"], "_high": row["high"]}
    summary = pd.DataFrame({"story_id": pd.array(story_ids, dtype="string")})
    for column in columns:
        outcome, _, bound = column.partition("_")
        key = f"_{bound}" if bound else ""
        summary[column] = pd.array(
            [
                None
                if (s, outcome) not in values or pd.isna(values[(s, outcome)][key])
                else int(values[(s, outcome)][key])
                for s in story_ids
            ],
            dtype="Int64",
        )
    return summary
