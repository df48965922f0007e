"""JSON articles (``.json``): one object, or a list of objects.

Fields as for JSON Lines (see :mod:`newskit.readers.jsonl`). An article's ``path``
is the file for a single object and ``file:record N`` (1-based) for a list; a
bad record in a list is reported and the others are still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import InputError
from ._fields import from_record
from ._files import decode, read_bytes

__all__ = ["read_json"]


def read_json(path: Path, *, columns: Mapping[str, str] | None = None, **_) -> Iterator[dict | InputError]:
    """Read the article(s) of one JSON file.

    Yields:
        Article dicts, and an :class:`~newskit.InputError` in place of each bad record.

    Raises:
        InputError: the file cannot be read or parsed, or holds neither an object nor a list.
    """
    text = decode(path, read_bytes(path))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"not valid JSON ({exc.msg})",
            where=f"line {exc.lineno}, column {exc.colno}",
            fix="fix the JSON (one object, or a list of objects); for one object per line name the file .jsonl",
        ) from exc
    except RecursionError as exc:
        raise InputError(
            path,
            "JSON nested too deeply to be an article (more levels than Python can parse)",
            where=None,
            fix="flatten the record: an article is one object of text and metadata fields",
        ) from exc
    columns = dict(columns or {})
    if isinstance(data, dict):
        yield from_record(data, columns=columns, path=path, where=None, label=str(path), fmt="json")
        return
    if not isinstance(data, list):
        raise InputError(
            path,
            f"a JSON {type(data).__name__}, not an object or a list of objects",
            fix='write {"text": ...} or a list of them',
        )
    for number, record in enumerate(data, start=1):
        where = f"record {number}"
        if not isinstance(record, dict):
            yield InputError(
                path, f"a JSON {type(record).__name__}, not an object", where=where, fix='make each item {"text": ...}'
            )
            continue
        try:
            yield from_record(
                record, columns=columns, path=path, where=where, label=f"{path}:record {number}", fmt="json"
            )
        except InputError as error:
            yield error
