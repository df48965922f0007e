"""CSV articles (``.csv``): a header row naming the fields, then one article per row, streamed.

Fields as for JSON Lines (see :mod:`newskit.readers.jsonl`); rename other
column names with ``columns``. An article's ``path`` is ``file:row N``, counting
rows as a spreadsheet shows them (the header is row 1, the first article row 2).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import InputError
from ._fields import from_record, text_names
from ._files import UTF8_FIX, sniff

__all__ = ["read_csv"]

# News bodies are long; the csv module's default 128 kB cell limit is too small for some.
csv.field_size_limit(2**31 - 1)


def read_csv(path: Path, *, columns: Mapping[str, str] | None = None, **_) -> Iterator[dict | InputError]:
    """Read the articles of one CSV file, one row at a time.

    Yields:
        Article dicts, and an :class:`~newskit.InputError` in place of each bad row.

    Raises:
        InputError: the file cannot be read, is not UTF-8, or has no header row.
    """
    sniff(path)
    columns = dict(columns or {})
    row = last_line = 1
    try:
        # utf-8-sig: spreadsheets often start CSV exports with a byte-order mark.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            # strict: an unterminated or stray quote is an error, not rows silently merged into one cell.
            reader = csv.DictReader(handle, strict=True)
            if not reader.fieldnames:
                raise InputError(path, "no header row", where="row 1", fix="start the file with a row of column names")
            if not text_names(columns) & set(reader.fieldnames):
                # Said once for the file rather than once per row: every row would fail the same way.
                raise InputError(
                    path,
                    f"no text column (columns: {', '.join(reader.fieldnames)})",
                    where="row 1",
                    fix='name the body column "text", or map yours, e.g. columns={"body": "text"}',
                )
            last_line = reader.line_num
            for row, record in enumerate(reader, start=2):
                last_line = reader.line_num
                where = f"row {row}"
                extra = record.pop(None, None)  # cells beyond the header's columns
                if extra:
                    yield InputError(
                        path,
                        f"{len(extra)} more cell(s) than the header has columns",
                        where=where,
                        fix="quote cells that hold commas",
                    )
                    continue
                try:
                    yield from_record(
                        record, columns=columns, path=path, where=where, label=f"{path}:row {row}", fmt="csv"
                    )
                except InputError as error:
                    yield error
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 text (after row {row})", fix=UTF8_FIX) from exc
    except csv.Error as exc:
        line = last_line + 1
        raise InputError(
            path,
            f"a quote opened in the row starting on line {line} is not closed properly ({exc}); "
            "the rest of the file was not read",
            where=f"line {line}",
            fix='close the quote; a quote inside a quoted cell is written twice ("")',
        ) from exc
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})", fix="check it is readable") from exc
