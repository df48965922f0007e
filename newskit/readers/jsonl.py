"""JSON Lines articles (``.jsonl``, ``.ndjson``): one JSON object per line, streamed.

Each object needs a ``text`` field; ``published`` (or ``date``), ``title``,
``source``, ``url`` and ``author`` are read when present, other names through
``columns`` (``{"body": "text", "pubDate": "published"}``). An article's ``path``
is ``file:line`` (1-based line number). A line that does not parse, or a record
without text, is reported and the other lines are still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import InputError
from ._fields import from_record
from ._files import decode, sniff

__all__ = ["read_jsonl"]


def read_jsonl(path: Path, *, columns: Mapping[str, str] | None = None, **_) -> Iterator[dict | InputError]:
    """Read the articles of one JSON Lines file, one line at a time.

    Yields:
        Article dicts, and an :class:`~newskit.InputError` in place of each bad line.

    Raises:
        InputError: the file as a whole cannot be read (missing, empty, binary).
    """
    sniff(path)
    columns = dict(columns or {})
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                where = f"line {number}"
                try:
                    line = decode(path, raw, where=where)
                    record = _parse(line, path=path, where=where)
                    yield from_record(
                        record, columns=columns, path=path, where=where, label=f"{path}:{number}", fmt="jsonl"
                    )
                except InputError as error:
                    yield error
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})", fix="check it is readable") from exc


def _parse(line: str, *, path: Path, where: str) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"not valid JSON ({exc.msg} at column {exc.colno})",
            where=where,
            fix="write one complete JSON object per line (a pretty-printed file is .json, not .jsonl)",
        ) from exc
    except RecursionError as exc:
        raise InputError(
            path,
            "JSON nested too deeply to be an article (more levels than Python can parse)",
            where=where,
            fix="flatten the record: an article is one object of text and metadata fields",
        ) from exc
    if not isinstance(record, dict):
        raise InputError(
            path,
            f"a JSON {type(record).__name__}, not an object",
            where=where,
            fix='write one {"text": ...} object per line',
        )
    return record
