"""From articles to facts: one spaCy pass per article, one module per fact kind."""

from __future__ import annotations

import pandas as pd

from .. import schema
from .._progress import progress_bar
from ..articles import article_id_for, complete_article
from ..errors import ParameterError
from ..facts import Facts
from ..nlp import load_pipeline

__all__ = ["article_id_for", "extract", "extract_text"]


def extract(
    articles: pd.DataFrame,
    *,
    nlp=None,
    batch_size: int = 32,
    n_process: int = 1,
    progress: bool = False,
) -> Facts:
    """Extract every fact table from articles, one article at a time (no linking across them).

    :func:`newskit.extract` (the package-level function) runs this and then links the
    articles (:func:`newskit.link.link`); call this one for per-article facts only.

    Args:
        articles: The DataFrame from :func:`newskit.read_articles`, or any with a ``text``
            column (``article_id``, ``n_words`` ... are filled in by
            :func:`newskit.articles.complete_article`; ``published`` anchors relative dates).
        nlp: A loaded spaCy pipeline; by default :func:`newskit.nlp.load_pipeline`.
        batch_size: Texts per ``nlp.pipe`` batch.
        n_process: Worker processes for parsing.
        progress: Show a tqdm progress bar.

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
    missing = {"text"} - set(articles.columns)
    if missing:
        raise ParameterError(
            "articles",
            f"columns {sorted(articles.columns)}",
            f"missing column(s) {sorted(missing)}",
            fix="pass the DataFrame returned by newskit.read_articles",
        )
    # The one normalisation (ids, dates, word counts) for frames not made by read_articles.
    articles = schema.conform("articles", pd.DataFrame([complete_article(r) for r in articles.to_dict("records")]))
    nlp = nlp or load_pipeline()
    pairs = iter_article_facts(articles, nlp, batch_size=batch_size, n_process=n_process)
    if progress:
        pairs = progress_bar(pairs, total=len(articles), desc="extract", unit="article")
    # collect() builds every table with its schema already (schema.frame / conform): wrapped as
    # they are, not conformed again (that copies every list cell of every table).
    frames = collect(pairs)
    return Facts(**{name: frames[name] if name in frames else schema.frame(name) for name in schema.TABLES})


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
    if not isinstance(text, str) or not text.strip():
        raise ParameterError("text", text if not isinstance(text, str) else text[:40], "must be a non-empty string")
    row = complete_article(
        {"published": published, "title": title, "source": source, "path": "<text>", "format": "text", "text": text}
    )
    return extract(schema.conform("articles", pd.DataFrame([row])), nlp=nlp)
