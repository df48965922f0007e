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
from .extract import extract, extract_text
from .facts import Facts
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
    "read_articles",
    "read_facts",
    "skipped_table",
]


def casualty_summary(facts):
    """One row per article: ``article_id``, ``killed``, ``injured`` (Int64; ``<NA>`` = not reported).

    See :func:`newskit.extract.casualties.casualty_summary` (imported on first use, so that
    ``import newskit`` stays free of spaCy).
    """
    from .extract.casualties import casualty_summary as summarise

    return summarise(facts)
