"""Publication dates (placeholder; the readers work replaces this)."""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError


def parse_date(value, *, where: str = "published") -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ParameterError(where, value, "is not a date", fix="use YYYY-MM-DD") from exc
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts
