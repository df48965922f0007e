"""The one article normalisation: what every way into newskit turns an input into.

Readers (:mod:`newskit.readers`), :func:`newskit.extract_text`, stores fed with
DataFrames or dicts, and the extraction loop all call :func:`complete_article`, so an
article has the same ``article_id``, ``n_words``, ``paths`` and ``published`` however
it arrived. It sits low in the layers (it imports only :mod:`newskit.dates` and
:mod:`newskit.errors`): readers and extractors both build on it.

Examples:
    >>> article = complete_article({"text": "Two men were killed.", "published": "2024-03-06"})
    >>> article["article_id"], article["n_words"], str(article["published"])
    ('3a279fb899aa3f72', 4, '2024-03-06 00:00:00')
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

import pandas as pd

from .dates import parse_date
from .errors import ParameterError

__all__ = ["article_id_for", "complete_article", "published_date"]


def article_id_for(text: str, published) -> str:
    """The stable article id: sha1 of the publication day and the body text (16 hex digits).

    Stable across paths, runs and machines, so a re-run recognises an article it has seen.
    """
    day = "" if _missing(published) else pd.Timestamp(published).strftime("%Y-%m-%d")
    return hashlib.sha1(f"{day}\0{text}".encode()).hexdigest()[:16]


def published_date(value) -> dt.date | None:
    """The publication day an extractor anchors relative dates to (None when not reported)."""
    return None if _missing(value) else pd.Timestamp(value).date()


def complete_article(record: Mapping, *, where: str = "inputs") -> dict:
    """An article dict with every derived field filled in.

    Fills what is missing and leaves what is given: ``published`` parsed to a naive UTC
    :class:`pandas.Timestamp` (strings, dates and datetimes accepted), ``article_id``
    from :func:`article_id_for`, ``n_words`` and ``paths`` (``[path]``).

    Args:
        record: At least ``text``; any other ``articles`` column.
        where: What to name in an error (the parameter or input the record came from).

    Returns:
        A new dict (``record`` is not changed).

    Raises:
        ParameterError: The record has no text, or its ``published`` is not a date.
    """
    article = dict(record)
    text = article.get("text")
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        shown = {k: article.get(k) for k in ("article_id", "path") if article.get(k) is not None}
        raise ParameterError(where, shown or "a record", "article has no text", fix="give every article a `text`")
    article["text"] = text = str(text)
    published = article.get("published")
    if _missing(published):
        article["published"] = None
    elif not isinstance(published, pd.Timestamp):
        article["published"] = parse_date(published, where="published")
    if _missing(article.get("article_id")):
        article["article_id"] = article_id_for(text, article["published"])
    if _missing(article.get("n_words")):
        article["n_words"] = len(text.split())
    if not _has_paths(article.get("paths")) and not _missing(article.get("path")):
        article["paths"] = [str(article["path"])]
    return article


def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array: present
        return False


def _has_paths(value) -> bool:
    # A list (or array) with an entry; None, NaN from a DataFrame column or a bare string are not.
    return hasattr(value, "__len__") and not isinstance(value, str) and len(value) > 0
