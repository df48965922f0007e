"""Web pages (``.html``, ``.htm``): the article's main text and metadata, found by trafilatura.

trafilatura drops navigation, footers, comments and other boilerplate and reads
title, author, site name, URL and date from the page's metadata. It is run so
that the same page always gives the same article: offline (the page is passed
as text, nothing is fetched), without its cross-document de-duplication cache,
and with the date taken from the page's markup only (no search of the body
text, and a fixed latest-acceptable date instead of today's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ._fields import article, text_value
from ._files import decode, read_bytes
from .dates import try_parse_date

__all__ = ["read_html"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SENTENCE_END = re.compile(r"\w[\"'”’)]?[.!?…。]")
# htmldate's defaults depend on the clock (latest date = today); fixed bounds keep the result reproducible.
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "min_date": "1800-01-01", "max_date": "2200-12-31"}


def read_html(path: Path, **_) -> Iterator[dict]:
    """Read one web page.

    Raises:
        InputError: unreadable file, bytes not in the page's declared encoding
            (UTF-8 when it declares none), or no article text found.
    """
    data = read_bytes(path)
    declared = _CHARSET.search(data[:4096])
    page = decode(path, data, encoding=declared[1].decode("ascii") if declared else None)
    extracted = _extract(page)
    title = _clean(extracted.get("title"))
    text = text_value(_without_headline(extracted.get("text"), title))
    if text is None or not _SENTENCE_END.search(text):
        # On a page without an article trafilatura falls back to whatever is left (menu words): no
        # sentence at all means no article.
        raise InputError(
            path, "no article text found in the page", fix="check it is an article page, or save its text as .txt"
        )
    published = extracted.get("date")
    if published:
        # htmldate returns YYYY-MM-DD; anything else would be a bug there, so keep the page rather than fail.
        published = try_parse_date(published)
        published = None if isinstance(published, str) else published
    yield article(
        text,
        published=published,
        path=str(path),
        fmt="html",
        title=title,
        source=_clean(extracted.get("sitename")),
        url=_clean(extracted.get("url")),
        author=_clean(extracted.get("author")),
    )


def _extract(page: str) -> dict:
    import trafilatura

    document = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=False,
        date_extraction_params=dict(_DATE_PARAMS),
    )
    if document is None:
        return {}
    return document.as_dict() if hasattr(document, "as_dict") else dict(document)


def _without_headline(text, title: str | None):
    # trafilatura keeps the page's <h1> as the first line; the headline belongs in `title`, as for the other formats.
    if not isinstance(text, str) or not title:
        return text
    first, _, rest = text.partition("\n")
    return rest if _clean(first) == title and rest.strip() else text


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
