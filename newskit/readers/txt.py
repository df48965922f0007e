"""Plain-text articles (``.txt``): an optional header, then the body.

Two header shapes are read, and the header never reaches ``text``:

* Lines of ``key: value`` (or ``key value``) at the top, keys ``date`` (or
  ``published``), ``title``, ``source``, ``url``, ``author``, then the body::

      title: Floods close the Mellin crossing
      date: 2024-03-12
      source: Calvera Herald

      The river rose ...

* The inline prefix of the seed article: `` date 2023-11-06 The recent turmoil ...``,
  the date on the same line as the first sentence (alone, or after ``key: value``
  lines that give no date).

A body that merely starts with a key word must survive: ``Date night ideas ...``
is not a header because ``night ideas ...`` is not a date. Lines without a colon
therefore count as a header only when the block holds a readable date, and the
inline form only takes ``date <value>`` when the value is a date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ._fields import article, text_value
from ._files import decode, read_bytes
from .dates import DATE_FIX, try_parse_date

__all__ = ["read_txt", "split_header"]

_KEYS = {
    "date": "published",
    "published": "published",
    "title": "title",
    "source": "source",
    "url": "url",
    "author": "author",
}
_HEADER_LINE = re.compile(r"[ \t]*(?P<key>[A-Za-z]+)[ \t]*(?P<colon>:)?[ \t]*(?P<value>\S.*?)[ \t]*")
# The seed article's shape: " date 2023-11-06 The recent turmoil ..." (one token for the date).
# Lower-case "date" only: a sentence starting "Date 2024-03-12 was ..." is body text, not this header.
_INLINE_DATE = re.compile(r"\s*date:?[ \t]+(?P<value>\S+)[ \t]+(?=\S)")
# Values written as numeric dates (2023-13-45, 31/02/2024, 45.13.2023): meant as a date, so an
# impossible one is an error, never body text (``date 2023-13-45 The vote ...``).
_DATE_SHAPED = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:T\S*)?|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}/\d{1,2}/\d{1,2}")


def _impossible_date(path, value: str, reason: str, *, line: int) -> InputError:
    reason = f" ({reason})" if reason else ""
    return InputError(
        path, f"the header date {value[:80]!r} is not a possible date{reason}", where=f"line {line}", fix=DATE_FIX
    )


def read_txt(path: Path, **_) -> Iterator[dict]:
    """Read one ``.txt`` article.

    Raises:
        InputError: unreadable, empty, binary or non-UTF-8 file; a ``date:``
            header that is not a date; no body after the header.
    """
    raw = decode(path, read_bytes(path))
    header, body = split_header(raw, path=path)
    text = text_value(body)
    if text is None:
        raise InputError(path, "no article text after the header", fix="add the body after the header lines")
    published = header.pop("published", None)
    yield article(text, published=published, path=str(path), fmt="txt", **header)


def split_header(raw: str, *, path) -> tuple[dict, str]:
    """Split a text into its header fields and its body.

    Args:
        raw: The file's text.
        path: The file (named in errors).

    Returns:
        ``(fields, body)``: fields keyed by article field (``published`` is a
        Timestamp), and the body exactly as it follows the header.

    Raises:
        InputError: a ``date: value`` line whose value is not a date.
    """
    fields, body = _header_lines(raw, path=path)
    if "published" not in fields:  # the inline date may follow `key: value` lines, or stand alone as in the seed
        inline = _INLINE_DATE.match(body)
        if inline:
            published = try_parse_date(inline["value"])
            if not isinstance(published, str):
                return {**fields, "published": published}, body[inline.end() :]
            if _DATE_SHAPED.fullmatch(inline["value"]):
                line = raw[: len(raw) - len(body)].count("\n") + body[: inline.start("value")].count("\n") + 1
                raise _impossible_date(path, inline["value"], published, line=line)
    return fields, body


def _header_lines(raw: str, *, path) -> tuple[dict, str]:
    lines = raw.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    candidates = []  # (line index, field, value, has colon)
    for index in range(start, len(lines)):
        match = _HEADER_LINE.fullmatch(lines[index])
        field = _KEYS.get(match["key"].lower()) if match else None
        if field is None:
            break
        value: object = match["value"]
        if field == "published":
            value = try_parse_date(match["value"])
            if isinstance(value, str):
                if match["colon"]:  # "date: soon" is meant as a header: say so rather than keep it as text
                    raise InputError(
                        path, f"cannot read the date {match['value'][:80]!r}", where=f"line {index + 1}", fix=DATE_FIX
                    )
                if _DATE_SHAPED.fullmatch(match["value"]):  # a line "date 2023-13-45": an impossible header date
                    raise _impossible_date(path, match["value"], value, line=index + 1)
                break  # "Date night ideas ...": body text, not a header
        elif field == "url" and not match["colon"] and not re.match(r"(?:https?://|www\.)", match["value"]):
            break
        candidates.append((index, field, value, bool(match["colon"])))
    has_date = any(field == "published" for _, field, _, _ in candidates)
    fields: dict = {}
    end = start
    for index, field, value, colon in candidates:
        if not (colon or has_date):  # "Source close to the minister said ...": body text
            break
        fields.setdefault(field, value)
        end = index + 1
    if not fields:
        return {}, raw
    return fields, "\n".join(lines[end:])
