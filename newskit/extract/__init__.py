"""From articles to facts: one spaCy pass per article, one module per fact kind."""

from __future__ import annotations

import hashlib

import pandas as pd

from .. import schema
from .._progress import progress_bar
from ..errors import ParameterError
from ..facts import Facts
from ..nlp import load_pipeline

__all__ = ["extract", "extract_text"]


def extract(
    articles: pd.DataFrame,
    *,
    nlp=None,
    batch_size: int = 32,
    n_process: int = 1,
    progress: bool = False,
    link: bool = True,
) -> Facts:
    """Extract every fact table from articles.

    Args:
        articles: The DataFrame from :func:`newskit.read_articles` (at least
            ``article_id`` and ``text``; ``published`` anchors relative dates).
        nlp: A loaded spaCy pipeline; by default :func:`newskit.nlp.load_pipeline`.
        batch_size: Texts per ``nlp.pipe`` batch.
        n_process: Worker processes for parsing.
        progress: Show a tqdm progress bar.
        link: Link the articles afterwards (:func:`newskit.link.link`: stories, figures ...).

    Returns:
        A :class:`newskit.Facts` with every table.

    Examples:
        >>> import newskit as nk
        >>> arts = nk.read_articles("data/seed")
        >>> facts = nk.extract(arts)
        >>> int(nk.casualty_summary(facts).loc[0, "killed"])
        4
    """
    from .pipeline import collect, iter_article_facts

    if not isinstance(articles, pd.DataFrame):
        raise ParameterError(
            "articles", type(articles).__name__, "must be a DataFrame", fix="use newskit.read_articles"
        )
    missing = {"article_id", "text"} - set(articles.columns)
    if missing:
        raise ParameterError(
            "articles",
            f"columns {sorted(articles.columns)}",
            f"missing column(s) {sorted(missing)}",
            fix="pass the DataFrame returned by newskit.read_articles",
        )
    articles = schema.conform("articles", articles)
    nlp = nlp or load_pipeline()
    pairs = iter_article_facts(articles, nlp, batch_size=batch_size, n_process=n_process)
    if progress:
        pairs = progress_bar(pairs, total=len(articles), desc="extract", unit="article")
    facts = Facts.from_frames(collect(pairs))
    if link:
        from ..link import link as link_facts

        facts = link_facts(facts)
    return facts


def extract_text(
    text: str,
    *,
    published=None,
    title: str | None = None,
    source: str | None = None,
    nlp=None,
) -> Facts:
    """Extract facts from one text.

    Examples:
        >>> import newskit as nk
        >>> facts = nk.extract_text("Two people were killed on Monday.", published="2024-03-06")
        >>> facts.articles.loc[0, "published"]
        Timestamp('2024-03-06 00:00:00')
    """
    from ..readers.dates import parse_date

    if not isinstance(text, str) or not text.strip():
        raise ParameterError("text", text if not isinstance(text, str) else text[:40], "must be a non-empty string")
    published_ts = parse_date(published, where="published") if published is not None else None
    article_id = article_id_for(text, published_ts)
    row = {
        "article_id": article_id,
        "published": published_ts,
        "title": title,
        "source": source,
        "path": "<text>",
        "paths": ["<text>"],
        "format": "text",
        "text": text,
        "n_words": len(text.split()),
    }
    return extract(schema.conform("articles", pd.DataFrame([row])), nlp=nlp)


def article_id_for(text: str, published) -> str:
    """The stable article id: sha1 of the publication date and the body text."""
    day = "" if published is None or pd.isna(published) else pd.Timestamp(published).strftime("%Y-%m-%d")
    return hashlib.sha1(f"{day}\0{text}".encode()).hexdigest()[:16]
