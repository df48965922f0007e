"""Markdown articles (``.md``): YAML front matter for the metadata, the rest is the body.

::

    ---
    title: Parliament debates the river
    date: 2024-04-08
    source: Calvera Herald
    author: [Ana Brell, Tomas Ferrin]
    ---
    The body ...

The front matter's fields are named as in JSON records (``text`` aside), and
``columns`` renames them the same way. A file without front matter is read like
a ``.txt`` file (its header lines, if any).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import InputError
from ._fields import article, from_record, text_value
from ._files import decode, read_bytes
from .txt import split_header

__all__ = ["read_md", "split_front_matter"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def read_md(path: Path, *, columns: Mapping[str, str] | None = None, **_) -> Iterator[dict]:
    """Read one ``.md`` article.

    Raises:
        InputError: unreadable file, front matter that is not a YAML mapping,
            an unreadable date, or no body.
    """
    raw = decode(path, read_bytes(path))
    front, body = split_front_matter(raw, path=path)
    if front is None:
        header, body = split_header(raw, path=path)
        text = text_value(body)
        if text is None:
            raise InputError(path, "no article text", fix="add the body after the header")
        published = header.pop("published", None)
        yield article(text, published=published, path=str(path), fmt="md", **header)
        return
    if text_value(body) is None:
        raise InputError(path, "no article text after the front matter", fix="add the body after the closing ---")
    # The body is the text, always: no front-matter field (or mapping) stands in for it.
    record = {key: value for key, value in front.items() if key != "text"}
    renames = {name: field for name, field in (columns or {}).items() if field != "text"}
    yield from_record(
        {**record, "text": body}, columns=renames, path=path, where="front matter", label=str(path), fmt="md"
    )


def split_front_matter(raw: str, *, path) -> tuple[dict | None, str]:
    """The YAML front matter as a dict (``None`` when there is none) and the body after it.

    Raises:
        InputError: the front matter is not valid YAML or not a mapping.
    """
    match = _FRONT_MATTER.match(raw)
    if not match:
        return None, raw
    import yaml

    try:
        front = yaml.safe_load(match["yaml"] or "") or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"front matter line {mark.line + 2}" if mark is not None else "front matter"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(
            path, f"front matter is not valid YAML ({problem})", where=where, fix="fix the YAML between the --- lines"
        ) from exc
    if not isinstance(front, dict):
        raise InputError(
            path,
            "front matter is not a set of `key: value` lines",
            where="front matter",
            fix="write one `key: value` per line",
        )
    return {str(key): value for key, value in front.items()}, raw[match.end() :]
