"""Figures: what outlets report about the same thing in the same story, reconciled.

A *figure* is one story × measure × counted group × unit: the story's death toll
(``killed``, everyone), the number of police officers injured, the number of people
displaced, the tonnes of grain delivered. Each article's statement of it is a *report*
(``figure_reports``, with its evidence span); a toll restated by several outlets is one
figure with several reports, never a sum.

Reports come from:

* ``casualties`` (killed, injured, missing, arrested, kidnapped, displaced). The story-wide
  figure of an outcome (``group`` <NA>) takes one report per article: the largest total any
  one sentence of the article gives (the rule of :func:`newskit.casualty_summary`: victim
  groups of one sentence add up, a toll restated later counts once, a risen toll gives its
  latest value), with that sentence's rows as evidence. A row naming a specific group
  (``police officer``, ``attacker``) is also a report of that group's figure.
* ``quantities`` with a counted group (``2,000 people``, ``300 tonnes of grain``), by counted
  group and unit (``measure`` = ``count``). Numbers inside a casualty clause belong to the
  casualty; ages, years, times, points and other measures of a thing are never figures.

A national or yearly round-up is not the story's figure: a clause or sentence that frames
its number as an aggregate over time or place ("this year", "since Jan.", "so far in 2016",
"nationwide", "in the country", "such attacks", "a total of ... since", "two years of warfare in
which"), or that counts a million people or more (a war, an epidemic, a population; never one
incident), is kept in ``figure_reports`` as evidence with ``roundup`` True and ``figure_id``
<NA>, and counts towards no figure.

The value to show (``figures.value``) is **the latest report from the best-supported
source**: each outlet's latest report (its latest-published article; within one article the
largest value, a toll only rises as it is restated) counts as that outlet's figure; an
outlet supports a value when its figure is within 10% of it; the outlet figure with the most
support wins, ties going to the value reported most recently (then the larger one). An article without a known source counts as an outlet of its own.
``latest`` is the value of the most recently published report; ``low``/``high`` the
smallest and largest values reported; ``agree`` whether every report gives the same value.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from dataclasses import replace

import pandas as pd

from .. import schema
from ..facts import Facts
from .stories import story_id_for

__all__ = ["is_roundup", "reconcile_figures"]

OUTCOMES = ("killed", "injured", "missing", "arrested", "kidnapped", "displaced")

#: Groups that mean "anyone": their rows count towards the story-wide figure only.
_GENERIC_GROUPS = {"person", "people", "victim", "civilian", "individual", "resident", "one", "other", "others"}

#: Counted nouns that measure a thing or a time, not a group: never figures.
_NOT_GROUPS = {
    "age",
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hour",
    "hours",
    "minute",
    "minutes",
    "second",
    "seconds",
    "time",
    "times",
    "point",
    "points",
    "percent",
    "per cent",
    "calibre",
    "caliber",
    "mm",
    "inch",
    "inches",
    "number",
    "street",
    "avenue",
    "floor",
    "page",
    "round",
    "rounds",
}

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
#: Words framing a number as an aggregate over a period (a round-up), wherever in its sentence:
#: "1,424 have been killed since Jan.", "more than 300 have died in such attacks this year".
#: "earlier this month" and "last month" date one incident ("a man shot last month"), not a tally.
_PERIOD = (
    r"(?:so\s+far|thus\s+far|to\s+date)\b"
    r"|(?<!earlier\s)(?<!early\s)(?<!late\s)(?:this|past|the\s+past|the\s+last)\s+(?:year|month|decade)\b"
    r"|last\s+(?:year|decade)\b"
    r"|since\s+(?:the\s+(?:start|beginning)\s+of\s+|early\s+|late\s+|last\s+)?(?:" + _MONTHS + r"|the\s+year|\d{4})\b"
    r"|since\s+last\s+(?:year|month|week|spring|summer|autumn|fall|winter)\b"
    r"|(?:years|months|decades)\s+of\s+(?:[\w-]+\s+){0,3}?"
    r"(?:war|warfare|fighting|conflict|violence|unrest|bloodshed|insurgency|occupation)\b"
    r"|\ba\s+record\s+(?:\d|high|number)"
    r"|since\s+(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\b\.?"
    r"|(?:in|during|over)\s+(?:the\s+)?(?:first|past|last)\s+(?:\w+\s+)?(?:months?|years?|weeks?)\b"
    r"|in\s+total|a\s+total\s+of\b[^.;]*\bsince\b"
    r"|(?:such|similar|these|those)\s+(?:attacks|incidents|shootings|clashes|bombings|raids|killings|crashes)"
    r"|a\s+year\s+earlier|a\s+year\b|(?:per|each|every)\s+(?:day|week|month|year)\b|annual(?:ly)?"
    r"|a\s+(?:day|week)\b(?!\s+(?:after|before|earlier|later|ago|of)\b)"
)
#: Words framing a number as an aggregate over a territory: "nationwide", "across the city",
#: "in America". They count only in the clause or after it ("killed in America since Jan."), not
#: before it ("the racial divide in America ... killing five officers"), and a country's
#: history is no territory ("the worst mass shooting in U.S. history").
_AREA = (
    r"(?:nationwide|countrywide|statewide|across\s+the\s+(?:country|nation|region|state|city)\b"
    r"|in\s+(?:the\s+)?(?:country|nation|America|United\s+States)(?![\w'’])(?!\.?\s+history))"
)
_ROUNDUP_PERIOD = re.compile(r"\b(?:" + _PERIOD + ")", re.IGNORECASE)
_ROUNDUP_AREA = re.compile(r"\b" + _AREA, re.IGNORECASE)


#: A casualty figure this large counts a war, an epidemic or a population ("1.5 million Armenians",
#: "millions dead", "a record 65 million people are displaced"), never one incident: a round-up.
_POPULATION_SCALE = 1_000_000


def is_roundup(text: str, *, number_at: int = 0) -> bool:
    """Whether a clause or sentence frames its number as a national or yearly round-up.

    Args:
        text: The clause or sentence.
        number_at: Where the number stands in ``text``: period words count anywhere in it,
            area words only from the number on (see ``_AREA``).

    Examples:
        >>> is_roundup("more than 300 people have died in such attacks this year")
        True
        >>> is_roundup("Twelve people were killed at the bridge on Monday")
        False
    """
    text = text or ""
    return bool(_ROUNDUP_PERIOD.search(text) or _ROUNDUP_AREA.search(text, number_at))


class _Breaks:
    """Where the sentence breaks of one text are (``. ``, ``! ``, ``? `` and newlines), found once
    and bisected per number (scanning the text with ``str.rfind``/``find`` once per row grew with
    the square of the article's length)."""

    _MARKS = (". ", "! ", "? ", "\n")

    def __init__(self, text: str):
        self.text = text
        self.at = {mark: [m.start() for m in re.finditer(re.escape(mark), text)] for mark in self._MARKS}

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """Where the sentence holding ``[start, end)`` begins and ends."""
        left, right = -1, len(self.text)
        for mark, positions in self.at.items():
            # str.rfind(mark, 0, start): the last mark wholly before ``start``; str.find(mark, end): the first from ``end``.
            before = bisect.bisect_right(positions, start - len(mark))
            if before:
                left = max(left, positions[before - 1])
            after = bisect.bisect_left(positions, end)
            if after < len(positions):
                right = min(right, positions[after])
        return left + 1, right


def _figure_id(story_id: str, measure: str, group, unit) -> str:
    key = "\0".join(["" if v is None or pd.isna(v) else str(v) for v in (story_id, measure, group, unit)])
    return "F" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _clean(value):
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _reports(facts: Facts) -> list[dict]:
    """Every report (a dict with figure keys and ``figure_reports`` columns), round-ups flagged."""
    articles = facts.articles
    if articles.empty:
        return []
    info = {
        str(a): {
            "story_id": _clean(s) or story_id_for(a),
            "source": _clean(src),
            "published": _clean(p),
            "text": t if isinstance(t, str) else "",
        }
        for a, s, src, p, t in zip(
            articles["article_id"],
            articles["story_id"],
            articles["source"],
            articles["published"],
            articles["text"],
            strict=True,
        )
    }
    reports: list[dict] = []

    def base(article_id: str) -> dict:
        meta = info[article_id]
        return {
            "article_id": article_id,
            "story_id": meta["story_id"],
            "source": meta["source"],
            "published": meta["published"],
            "roundup": False,
        }

    breaks: dict[str, _Breaks] = {}

    def roundup(article_id: str, start: int, end: int, clause: str) -> bool:
        if is_roundup(clause):
            return True
        if article_id not in breaks:
            breaks[article_id] = _Breaks(info[article_id]["text"])
        left, right = breaks[article_id].bounds(int(start), int(end))
        return is_roundup(info[article_id]["text"][left:right], number_at=int(start) - left)

    casualties = facts.casualties
    casualty_spans: dict[str, list[tuple[int, int]]] = {}
    if not casualties.empty:
        rows = casualties[casualties["outcome"].isin(OUTCOMES)].copy()
        rows["article_id"] = rows["article_id"].astype(str)
        rows = rows[rows["article_id"].isin(info)]
        for article_id, start, end in zip(rows["article_id"], rows["start"], rows["end"], strict=True):
            if pd.notna(start) and pd.notna(end):
                casualty_spans.setdefault(article_id, []).append((int(start), int(end)))
        records, roundups = [], []
        for r in rows[rows["count"].notna()].to_dict("records"):
            aggregate = int(r["count"]) >= _POPULATION_SCALE or roundup(
                r["article_id"], r["start"], r["end"], r["text"] or ""
            )
            (roundups if aggregate else records).append(r)
        # Story-wide figure of each outcome: one report per article, its largest sentence total.
        by_outcome: dict[tuple[str, str], dict] = {}
        for r in records:
            sentence = None if r["sentence"] is None or pd.isna(r["sentence"]) else int(r["sentence"])
            by_outcome.setdefault((r["article_id"], r["outcome"]), {}).setdefault(sentence, []).append(r)
        for (article_id, outcome), sentences in by_outcome.items():
            sentence, chosen = max(
                sentences.items(), key=lambda item: (sum(int(x["count"]) for x in item[1]), -(item[0] or 0))
            )
            start, end = min(int(x["start"]) for x in chosen), max(int(x["end"]) for x in chosen)
            mods = {x["mod"] for x in chosen if _clean(x["mod"]) is not None}
            highs = [x["high"] for x in chosen]
            reports.append(
                {
                    **base(article_id),
                    "measure": outcome,
                    "group": None,
                    "unit": None,
                    "value": float(sum(int(x["count"]) for x in chosen)),
                    "low": float(
                        sum(int(x["low"]) if _clean(x["low"]) is not None else int(x["count"]) for x in chosen)
                    ),
                    "high": None if any(_clean(h) is None for h in highs) else float(sum(int(h) for h in highs)),
                    "mod": next(iter(mods)) if len(mods) == 1 else None,
                    "fact_table": "casualties",
                    "text": info[article_id]["text"][start:end],
                    "start": start,
                    "end": end,
                    "sentence": sentence,
                }
            )
        for row, flagged in [*((r, False) for r in records), *((r, True) for r in roundups)]:
            group = _clean(row["group"])
            if (group is None or group.lower() in _GENERIC_GROUPS) and not flagged:
                continue
            reports.append(
                {
                    **base(row["article_id"]),
                    "roundup": flagged,
                    "measure": row["outcome"],
                    "group": None if group is None else group.lower() if not group[:1].isupper() else group,
                    "unit": None,
                    "value": float(row["count"]),
                    "low": float(row["low"]) if pd.notna(row["low"]) else float(row["count"]),
                    "high": float(row["high"]) if pd.notna(row["high"]) else None,
                    "mod": _clean(row["mod"]),
                    "fact_table": "casualties",
                    "text": row["text"],
                    "start": row["start"],
                    "end": row["end"],
                    "sentence": row["sentence"],
                }
            )
    quantities = facts.quantities
    if not quantities.empty:
        covers: dict[str, tuple[list[int], list[int]]] = {}
        rows = quantities[quantities["counted"].notna() & quantities["value"].notna()].copy()
        rows["article_id"] = rows["article_id"].astype(str)
        rows = rows[rows["article_id"].isin(info)]
        for row in rows.to_dict("records"):
            counted = str(row["counted"]).strip().lower()
            if counted in _NOT_GROUPS or not re.search(r"[a-z]", counted):
                continue
            start, end = int(row["start"]), int(row["end"])
            if _covered(covers, row["article_id"], casualty_spans, start, end):
                continue  # the number of a toll: the casualty row reports it
            reports.append(
                {
                    **base(row["article_id"]),
                    "roundup": roundup(row["article_id"], start, end, row["text"] or ""),
                    "measure": "count",
                    "group": counted,
                    "unit": _clean(row["unit"]),
                    "value": float(row["value"]),
                    "low": float(row["low"]) if pd.notna(row["low"]) else float(row["value"]),
                    "high": float(row["high"]) if pd.notna(row["high"]) else None,
                    "mod": _clean(row["mod"]),
                    "fact_table": "quantities",
                    "text": row["text"],
                    "start": start,
                    "end": end,
                    "sentence": row["sentence"],
                }
            )
    for report in reports:  # a round-up counts towards no figure
        key = (report["story_id"], report["measure"], report["group"], report["unit"])
        report["figure_id"] = None if report["roundup"] else _figure_id(*key)
    return reports


def _covered(covers: dict, article_id: str, spans: dict[str, list[tuple[int, int]]], start: int, end: int) -> bool:
    """Whether one of the article's ``spans`` holds ``[start, end)``: among the spans starting at or
    before ``start`` (sorted once per article into ``covers``), the furthest-reaching one tells."""
    if article_id not in covers:
        ordered = sorted(spans.get(article_id, ()))
        covers[article_id] = ([s for s, _ in ordered], list(itertools.accumulate((e for _, e in ordered), max)))
    starts, reach = covers[article_id]
    n_before = bisect.bisect_right(starts, start)
    return bool(n_before) and reach[n_before - 1] >= end


def _when(report: dict) -> pd.Timestamp:
    published = report["published"]
    return pd.Timestamp.min if published is None or pd.isna(published) else pd.Timestamp(published)


def _reconcile(reports: list[dict]) -> dict:
    """The figure row of one figure's reports (see the module docstring for the rule)."""
    per_article: dict[str, dict] = {}
    for report in reports:
        outlet = report["source"] if report["source"] is not None else f"\0{report['article_id']}"
        entry = per_article.setdefault(
            report["article_id"], {"value": report["value"], "when": _when(report), "outlet": outlet}
        )
        # Each article's value: the largest it gives (a toll only rises as it is restated).
        entry["value"] = max(entry["value"], report["value"])
    ordered = sorted(per_article.values(), key=lambda e: (e["when"], e["value"]))
    outlet_latest: dict[str, dict] = {}
    for entry in ordered:
        outlet_latest[entry["outlet"]] = entry
    latest_values = [e["value"] for e in outlet_latest.values()]
    # An outlet supports a value when its own latest figure is within 10% of it (13 backs 12, not 15).
    support = {v: sum(abs(w - v) <= 0.1 * max(abs(v), abs(w)) for w in latest_values) for v in set(latest_values)}
    last_seen: dict[float, pd.Timestamp] = {}
    for entry in outlet_latest.values():
        last_seen[entry["value"]] = max(last_seen.get(entry["value"], pd.Timestamp.min), entry["when"])
    value = max(support, key=lambda v: (support[v], last_seen[v], v))
    values = [r["value"] for r in reports]
    highs = [r["high"] if r["high"] is not None and not pd.isna(r["high"]) else r["value"] for r in reports]
    dates = [r["published"] for r in reports if r["published"] is not None and not pd.isna(r["published"])]
    first = reports[0]
    return {
        "story_id": first["story_id"],
        "figure_id": first["figure_id"],
        "measure": first["measure"],
        "group": first["group"],
        "unit": first["unit"],
        "value": float(value),
        "low": float(min(values)),
        "high": float(max(max(values), max(highs))),
        "latest": float(ordered[-1]["value"]),
        "n_reports": len(reports),
        "n_sources": len(outlet_latest),
        "agree": len(set(values)) == 1,
        "first_reported": min(dates) if dates else None,
        "last_reported": max(dates) if dates else None,
    }


def reconcile_figures(facts: Facts) -> Facts:
    """Build ``figures`` and ``figure_reports`` from casualties and counted quantities.

    Articles not linked into a story (``story_id`` <NA>) are a story of their own. The
    ``stories`` labels gain the key figure (``Dravik attack (12–15 killed)``).

    Args:
        facts: Facts, ideally after :func:`newskit.link.stories.link_stories`.

    Returns:
        New Facts (the input is not changed) with ``figures`` and ``figure_reports``.
    """
    reports = _reports(facts)
    if not reports:
        return replace(facts, figures=schema.frame("figures"), figure_reports=schema.frame("figure_reports"))
    by_figure: dict[str, list[dict]] = {}
    for report in reports:
        if not report["roundup"]:
            by_figure.setdefault(report["figure_id"], []).append(report)
    figures = [_reconcile(rows) for rows in by_figure.values()]
    order = {m: k for k, m in enumerate((*OUTCOMES, "count"))}
    keep = [c.name for c in schema.TABLES["figure_reports"]]
    plain = all(
        _plain(f["story_id"], str) and f["measure"] in order and _plain(f["group"], str) and _plain(f["unit"], str)
        for f in figures
    ) and all(
        _plain(r["figure_id"], str)
        and _plain(r["published"], pd.Timestamp)
        and _plain(r["article_id"], str)
        and _plain(r["start"], int)
        for r in reports
    )
    if plain:
        # The same order as the DataFrame sorts below (stable, <NA> last), sorted as dicts: the
        # tables are small and pandas' fixed cost per call dominated linking one article.
        figures.sort(
            key=lambda f: (f["story_id"], order[f["measure"]], f["group"] is not None, *_na_last(f["group"], f["unit"]))
        )
        figure_table = schema.frame("figures", figures)
        reports = sorted(
            reports,
            key=lambda r: (*_na_last(r["figure_id"], r["published"]), r["article_id"], *_na_last(r["start"])),
        )
        report_table = schema.frame("figure_reports", [{k: r[k] for k in keep} for r in reports])
    else:
        frame = pd.DataFrame(reports)
        figure_table = schema.frame("figures", figures)
        figure_table = (
            figure_table.assign(_m=figure_table["measure"].map(order), _g=figure_table["group"].notna())
            .sort_values(["story_id", "_m", "_g", "group", "unit"])
            .drop(columns=["_m", "_g"])
        )
        report_table = schema.conform(
            "figure_reports", frame[keep].sort_values(["figure_id", "published", "article_id", "start"])
        )
    stories = _label_with_figures(facts.stories, figure_table)
    return replace(facts, figures=figure_table.reset_index(drop=True), figure_reports=report_table, stories=stories)


def _plain(value, kind: type) -> bool:
    """None or exactly ``kind`` (a value Python and pandas order alike)."""
    return value is None or type(value) is kind


def _na_last(*values) -> tuple:
    """Sort-key parts putting None after every value, as pandas puts <NA> last."""
    return tuple(part for v in values for part in ((True, "") if v is None else (False, v)))


def _label_with_figures(stories: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Stories whose label gains their key figure: the story-wide killed toll, else injured ..."""
    if stories.empty or figures.empty:
        return stories
    overall = figures[figures["group"].isna() & figures["measure"].isin(OUTCOMES)]
    key: dict = {}  # story id → its first story-wide figure (figures are sorted killed, injured, ...)
    columns = (overall[c].tolist() for c in ("story_id", "low", "high", "measure"))
    for story_id, low, high, measure in zip(*columns, strict=True):
        key.setdefault(story_id, (low, high, measure))
    labels = []
    for story_id, label in zip(stories["story_id"], stories["label"], strict=True):
        row = key.get(story_id)
        if row is None or label is None or pd.isna(label) or label.endswith(")"):
            labels.append(label)
            continue
        low, high = int(row[0]), int(row[1])
        amount = f"{low}" if low == high else f"{low}–{high}"
        labels.append(f"{label} ({amount} {row[2]})")
    return stories.assign(label=pd.array(labels, dtype="string"))
