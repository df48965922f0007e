"""Reading articles from files into the ``articles`` table.

One module per format: :mod:`~newskit.readers.txt`, :mod:`~newskit.readers.md`,
:mod:`~newskit.readers.jsonl`, :mod:`~newskit.readers.json_file`,
:mod:`~newskit.readers.csv_file` and :mod:`~newskit.readers.html_file`. Each
yields article dicts; bad records come back as :class:`~newskit.InputError`
values so the rest of the file is still read. :func:`iter_articles` streams
articles one at a time; :func:`read_articles` collects them into a DataFrame
and merges exact duplicates.

Nothing is dropped without a record: whatever is not read (a bad file, line or
record, a README in a data folder) is listed in ``df.attrs["skipped"]``.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping

import pandas as pd

from .. import schema
from .._progress import progress_bar
from ..articles import article_id_for, complete_article
from ..errors import InputError, ParameterError
from ._fields import FIELDS, check_columns
from ._files import EXTENSIONS, expand, format_of
from .csv_file import read_csv
from .dates import parse_date
from .html_file import read_html
from .json_file import read_json
from .jsonl import read_jsonl
from .md import read_md
from .txt import read_txt

__all__ = [
    "ERRORS",
    "EXTENSIONS",
    "FIELDS",
    "READERS",
    "SKIPPED_COLUMNS",
    "article_id_for",
    "iter_articles",
    "parse_date",
    "read_articles",
    "skipped_table",
]

#: Format name -> reader function ``(path, *, columns) -> iterator of article dicts / InputError``.
READERS: dict[str, Callable[..., Iterator]] = {
    "txt": read_txt,
    "md": read_md,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "html": read_html,
}

#: The accepted values of ``errors=``.
ERRORS = ("raise", "warn", "skip")

#: Columns of :func:`skipped_table` (the keys of :meth:`newskit.InputError.as_record`).
SKIPPED_COLUMNS = ("path", "where", "problem", "fix")


def read_articles(
    paths,
    *,
    errors: str = "raise",
    columns: Mapping[str, str] | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Read articles from files into the ``articles`` table.

    Args:
        paths: A file, a directory (read recursively, in sorted order, hidden
            files and folders ignored), a glob (``"feeds/**/*.jsonl"``) or a list
            of them. Formats by extension: ``.txt``, ``.md``, ``.json``,
            ``.jsonl``, ``.csv``, ``.html``/``.htm``.
        errors: What a bad file, line or record does: ``"raise"`` raises
            :class:`~newskit.InputError` at the first one; ``"warn"`` warns once
            per bad item and reads the rest; ``"skip"`` reads the rest quietly.
            Either way every skipped item is listed in ``df.attrs["skipped"]``.
        columns: Renames input fields (JSON, CSV, front matter) to article
            fields, e.g. ``{"body": "text", "pubDate": "published"}``.
        progress: Show a tqdm progress bar over files.

    Returns:
        One row per distinct text (schema: ``newskit.schema.TABLES["articles"]``),
        in the order read. An exact duplicate (the same text, after headers
        are removed) keeps the metadata of the place it was read from first,
        and every place in ``paths``.
        ``df.attrs["skipped"]`` is a list of dicts (path, where, problem, fix).

    Raises:
        InputError: ``errors="raise"`` and an input cannot be read; the message
            names the file, the line or record, and the fix.
        ParameterError: a bad ``errors`` or ``columns`` value.

    Examples:
        >>> import newskit as nk
        >>> df = nk.read_articles("data/seed")
        >>> df.loc[0, "published"], df.loc[0, "text"][:18]
        (Timestamp('2023-11-06 00:00:00'), 'The recent turmoil')
        >>> [s["problem"] for s in df.attrs["skipped"]]
        ['a README is documentation, not an article']
    """
    skipped: list[dict] = []
    rows: dict[bytes, dict] = {}  # text digest -> row: exact duplicates become one row with every path
    for row in _iter_all(paths, errors=errors, columns=columns, skipped=skipped, progress=progress):
        key = _digest(row["text"])
        first = rows.get(key)
        if first is None:
            rows[key] = row
        else:
            first["paths"].append(row["path"])
    df = schema.frame("articles", list(rows.values()))
    df.attrs["skipped"] = skipped
    return df


def iter_articles(
    paths,
    *,
    errors: str = "raise",
    columns: Mapping[str, str] | None = None,
    skipped: list | None = None,
    progress: bool = False,
) -> Iterator[dict]:
    """Articles one at a time, for inputs too large to hold in memory.

    Files are read one after another and JSONL/CSV files line by line; only a
    digest of each text is kept, so an exact duplicate is not yielded twice
    (:func:`read_articles` instead merges duplicates' paths into one row).

    Args:
        paths, errors, columns, progress: As for :func:`read_articles`.
        skipped: A list to which every skipped item is appended (as
            :meth:`newskit.InputError.as_record` dicts), including duplicates
            (``problem`` says which article they repeat).

    Yields:
        Dicts keyed by the ``articles`` columns (``paths`` holds the one path;
        the tone columns are absent).

    Raises:
        InputError: ``errors="raise"`` and an input cannot be read.
        ParameterError: a bad ``errors`` or ``columns`` value (raised at once, not at
            the first ``next()``).
    """
    _check_errors(errors)
    check_columns(columns)
    return _unique(_iter_all(paths, errors=errors, columns=columns, skipped=skipped, progress=progress), skipped)


def _unique(rows: Iterator[dict], skipped: list | None) -> Iterator[dict]:
    first_path: dict[bytes, str] = {}
    for row in rows:
        key = _digest(row["text"])
        if key in first_path:
            if skipped is not None:
                skipped.append(
                    {"path": row["path"], "where": None, "problem": f"same text as {first_path[key]}", "fix": None}
                )
            continue
        first_path[key] = row["path"]
        yield row


def skipped_table(df: pd.DataFrame) -> pd.DataFrame:
    """What :func:`read_articles` did not read, as a table (path, where, problem, fix)."""
    records = df.attrs.get("skipped", []) if isinstance(df, pd.DataFrame) else df
    table = pd.DataFrame(list(records), columns=list(SKIPPED_COLUMNS))
    return table.astype("string")


def _iter_all(paths, *, errors: str, columns, skipped: list | None, progress: bool) -> Iterator[dict]:
    """Every article in ``paths``, duplicates included, handling bad input as ``errors`` says."""
    _check_errors(errors)
    columns = check_columns(columns)
    found_items: Iterable = expand(paths)
    if progress:
        found_items = progress_bar(list(found_items), desc="read", unit="file")

    def report(error: InputError, *, always_skip: bool = False) -> None:
        if errors == "raise" and not always_skip:
            raise error
        if skipped is not None:
            skipped.append(error.as_record())
        if errors == "warn" and not always_skip:
            warnings.warn(str(error), stacklevel=4)

    for found in found_items:
        if found.problem is not None:
            report(found.problem, always_skip=found.always_skip)
            continue
        items = READERS[format_of(found.path)](found.path, columns=columns)
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except InputError as error:  # the file as a whole (or what is left of it) cannot be read
                report(error)
                break
            if isinstance(item, InputError):  # one bad line or record; the reader goes on with the next
                report(item)
            else:
                yield _complete(item)


def _complete(raw: dict) -> dict:
    return complete_article(raw)


def _digest(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


def _check_errors(errors) -> None:
    if errors not in ERRORS:
        raise ParameterError("errors", errors, "unknown value", fix=f"use one of {', '.join(map(repr, ERRORS))}")
