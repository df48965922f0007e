"""Score when events happened against TimeML event anchors (task ``event_time``).

Each gold anchor (``gold.event_anchors``: an event trigger span tied by a TLINK to a
calendar day or interval, or before/after the document creation time) is matched to the
predicted event whose span overlaps its trigger: the identical span first, then the larger
overlap, then the shorter prediction, then the earlier one. A prediction may serve several
anchors; no overlap leaves the anchor unmatched. A match is correct when:

* ``exact``: the predicted ``date_start`` and ``date_end`` equal the gold ones;
* ``before``: the predicted ``date_end`` is given and ``<=`` the gold ``date_end`` (the DCT
  day), and the predicted ``date_start`` is missing or earlier than it;
* ``after``: the predicted ``date_start`` is given and ``>=`` the gold ``date_start`` (the
  DCT day), and the predicted ``date_end`` is missing or later than that day (an event dated
  on the publication day itself is not "after" it).

Coverage = matched / gold anchors, accuracy = correct / matched, overall = correct / gold
anchors; also per anchor kind and per ``via`` (timex, dct). Predicted events that match no
anchor are not penalised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from .spans import ratio, rows_by_article, span_of

__all__ = ["score_event_time"]

#: Measures in print order: every anchor, then by anchor kind, then by how gold tied it to time.
MEASURES = ("overall", "exact", "before", "after", "via timex", "via dct")


def score_event_time(gold_records: Sequence[dict], predictions: pd.DataFrame | None) -> dict[str, dict]:
    """Score predicted event dates against the gold anchors of ``gold_records``.

    Args:
        gold_records: Gold records with ``gold.event_anchors``.
        predictions: One row per predicted event: ``article_id`` (the record's
            ``doc_id``), ``start``/``end`` (the event trigger's span), ``date_start``
            and ``date_end`` (dates, ``YYYY-MM-DD`` strings or missing).

    Returns:
        Measure → ``coverage``, ``accuracy``, ``overall``, ``correct``, ``matched``,
        ``gold`` for the measures ``overall``, ``exact``, ``before``, ``after``,
        ``via timex`` and ``via dct``.
    """
    by_article = rows_by_article(predictions, ["start", "end", "date_start", "date_end"])
    counts = {m: {"gold": 0, "matched": 0, "correct": 0} for m in MEASURES}
    for record in gold_records:
        predicted = [(span_of(row), row) for row in by_article.get(record["doc_id"], [])]
        predicted = [(span, row) for span, row in predicted if span is not None]
        for anchor in record["gold"].get("event_anchors") or []:
            row = match(anchor, predicted)
            ok = row is not None and correct(anchor, row)
            for measure in ("overall", anchor["anchor"], f"via {anchor['via']}"):
                if measure in counts:
                    counts[measure]["gold"] += 1
                    counts[measure]["matched"] += row is not None
                    counts[measure]["correct"] += ok
    return {
        measure: {
            "coverage": ratio(c["matched"], c["gold"]),
            "accuracy": ratio(c["correct"], c["matched"]),
            "overall": ratio(c["correct"], c["gold"]),
            "correct": c["correct"],
            "matched": c["matched"],
            "gold": c["gold"],
        }
        for measure, c in counts.items()
    }


def match(anchor: dict, predicted: list[tuple[tuple[int, int], dict]]) -> dict | None:
    """The predicted row whose span overlaps the anchor's trigger best (None if none does)."""
    a, b = int(anchor["start"]), int(anchor["end"])
    best, best_key = None, None
    for k, ((s, e), row) in enumerate(predicted):
        overlap = min(b, e) - max(a, s)
        if overlap <= 0:
            continue
        key = ((s, e) != (a, b), -overlap, e - s, s, k)
        if best_key is None or key < best_key:
            best, best_key = row, key
    return best


def correct(anchor: dict, row: dict) -> bool:
    """Whether a matched prediction dates the anchor right (rules in the module docstring)."""
    start, end = _day(row.get("date_start")), _day(row.get("date_end"))
    kind = anchor["anchor"]
    if kind == "exact":
        return start == _day(anchor["date_start"]) and end == _day(anchor["date_end"])
    if kind == "before":
        dct = _day(anchor["date_end"])
        return end is not None and end <= dct and (start is None or start < dct)
    if kind == "after":
        dct = _day(anchor["date_start"])
        return start is not None and start >= dct and (end is None or end > dct)
    return False


def _day(value) -> dt.date | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(str(value)[:10]).date()
