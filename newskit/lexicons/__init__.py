"""The word lists newskit's rules read: data files here, one loader, one comment rule.

Each ``*.txt``/``*.tsv`` file holds one entry a line, fields separated by a TAB. The one
comment rule: a line that is ``#`` alone or starts with ``#`` and a space is a comment, and
blank lines are skipped; everything else is data, so ``#<TAB>GBP`` (the Penn Treebank pound
sign in ``currencies.txt``) is a row. There are no end-of-line comments (``#`` can be data).
Fields are stripped of surrounding spaces. Files ship inside the wheel and are read with
:mod:`importlib.resources`, so an installed newskit finds them.

Examples:
    >>> ("#", "GBP") in rows("currencies")
    True
    >>> "hospital" in words("hospital_words")
    True
"""

from __future__ import annotations

import functools
from importlib import resources

__all__ = ["is_comment", "names", "rows", "table", "words"]

_SUFFIXES = (".txt", ".tsv")


def is_comment(line: str) -> bool:
    """True for a comment line: ``#`` alone or ``#`` followed by a space (blank lines too)."""
    return not line.strip() or line.rstrip("\r\n") == "#" or line.startswith("# ")


def names() -> list[str]:
    """Every lexicon's file name."""
    return sorted(p.name for p in resources.files(__name__).iterdir() if p.name.endswith(_SUFFIXES))


def _file(name: str):
    folder = resources.files(__name__)
    for candidate in (name, *(name + suffix for suffix in _SUFFIXES)):
        path = folder / candidate
        if candidate.endswith(_SUFFIXES) and path.is_file():
            return path
    raise FileNotFoundError(f"no lexicon {name!r} in {folder}; lexicons are {', '.join(names())}")


@functools.cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The data rows of lexicon ``name`` (``"currencies"`` or ``"currencies.txt"``) as tuples of fields."""
    lines = _file(name).read_text(encoding="utf-8").splitlines()
    return tuple(tuple(field.strip() for field in line.split("\t")) for line in lines if not is_comment(line))


@functools.cache
def words(name: str, *, lower: bool = False) -> frozenset[str]:
    """The first field of every row (lower-cased when ``lower``)."""
    return frozenset(row[0].lower() if lower else row[0] for row in rows(name))


@functools.cache
def table(name: str, *, lower: bool = False) -> dict[str, str]:
    """First field → second field (rows with one field map to ``""``); keys lower-cased when ``lower``."""
    return {(row[0].lower() if lower else row[0]): (row[1] if len(row) > 1 else "") for row in rows(name)}
