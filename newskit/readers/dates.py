"""Moved to :mod:`newskit.dates` (a lower layer, so that :mod:`newskit.articles` can use it).

Kept so that ``from newskit.readers.dates import parse_date`` goes on working.
"""

from ..dates import DATE_FIX, parse_date, try_parse_date

__all__ = ["DATE_FIX", "parse_date", "try_parse_date"]
