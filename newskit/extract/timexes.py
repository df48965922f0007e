"""Extract `timexes` rows: TIMEX3 time expressions, typed, normalised and put on the calendar.

Works inside the one spaCy pass (no second tokenisation, no JVM): candidates come from
the NER's DATE/TIME entities, re-cut to TimeBank extents (``the quarter ended Sept. 30``
is two expressions; ``Friday’s`` loses its ``’s``; ages are not dates), plus regular
expressions over ``doc.text`` for what the NER does not label (``now``, ``recently``,
``daily``, ``the future``, ``years`` ...). :mod:`._timex_rules` then types and normalises
each one against the publication date (``doc._.nk_published``) and the tense of its
clause: "on Monday" in a past-tense clause is the Monday before publication, in a
future-tense one the Monday after. Without a publication date relative values stay
unresolved (``XXXX-WXX-1``). In an earnings report the quarter the text reports on (``the
quarter ended July 31``, the first ``third quarter``) anchors later comparisons: ``a year
earlier`` is that quarter a year before.

Examples:
    >>> import newskit as nk
    >>> t = nk.extract_text("Talks ended on Monday.", published="2024-03-06").timexes
    >>> t.loc[0, ["text", "type", "value"]].tolist()
    ['Monday', 'DATE', '2024-03-04']
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from spacy.tokens import Doc, Span, Token

from ._doc import sentence_of
from ._doc import text as doc_text
from ._quotes import read_words
from ._timex_rules import FUTURE, MONTHS, PARTS_OF_DAY, PAST, PRESENT, Timex, interval, normalise

__all__ = ["extract_timexes"]

_MOD_BEFORE = re.compile(
    r"(?:no more than|no less than|more than|less than|fewer than|at least|at most|up to|well over|just over|over|"
    r"just under|under|within|nearly|almost|about|around|approximately|roughly|some)\s+$",
    re.IGNORECASE,
)
#: Verbs whose complement is about the future ("expected to close Monday").
_FUTURE_HEADS = {"expect", "plan", "schedule", "intend", "hope", "aim", "set", "due", "slate", "propose", "prepare",
                 "will", "going", "want", "seek", "vow", "promise", "threaten", "agree", "decide", "likely"}  # fmt: skip
_FUTURE_AUX = {"will", "shall", "'ll", "wo", "would", "’ll"}

#: Words the NER labels DATE/TIME that are never time expressions on their own.
_NOT_TIMEX = re.compile(
    r"(?:\d+|[a-z]+(?:-[a-z]+)?)[- ]years?[- ]olds?|\d+|aged?\s.*|.*\byears? old\b.*|night|morning|evening|afternoon|"
    r"the night|the day|annual|annually|quarterly|day|year|week|month|quarter|today's",
    re.IGNORECASE,
)
#: Connectors that join two time expressions inside one NER entity.
_SPLIT = re.compile(
    r"\s+(?:ended|ending|to|through|thru|until|till|and(?!\s+an?\s+half\b)|or(?! so\b)|from|-|–|versus|vs\.?|compared with)\s+|(?<=\b\d{4}),\s+(?=\d{4}\b)|\s*[-–]\s*(?=\d)"
)
#: Words the NER pulls into an entity that TimeBank leaves outside the expression.
_LEADING_JUNK = re.compile(
    r"^(?:just|only|barely|both|between|as early as|as late as|as recently as|since|by|until|till|from|in|on|at|"
    r"for|during|of|an?(?=\s+(?:\d|[A-Z][a-z]+\.?\s+\d|\w+-(?:quarter|year|month|week|day|century)\b|\d+(?:st|nd|rd|th)\b))|the(?=\s+the\b))\s+",
    re.IGNORECASE,
)
_TRAILING_JUNK = re.compile(
    r"(?:['’]s|\s+(?:and|or)|[,:;\s\"“”]+|(?<!\b[ap]\.m)(?<!\b[A-Z][a-z]{2})(?<!\b[A-Z][a-z]{3})\.)$"
)

_WORD_TIMEX = re.compile(
    r"\b(?:right now|now|currently|current|presently|at present|nowadays|these days|recently|more recently|lately|"
    r"the near future|the future|the near term|the short term|then[- ]current|"
    r"coming (?:days|weeks|months|years|quarters)|recent (?:days|weeks|months|years)|"
    r"future quarters|as soon as possible|from time to time|daily|nightly|hourly|weekly|monthly|yearly|quarterly|annually|"
    r"(?:every|each|per) (?:other )?(?:day|night|week|month|quarter|year|morning|evening|weekend|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|spring|summer|fall|autumn|winter)|"
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many|\d+) (?:more )?"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries) (?:ago|earlier|later)|"
    r"(?:years|months|weeks|days|decades|hours|centuries) ago|thanksgiving(?: day)?|christmas|"
    r"(?:easter|holy) week|easter(?: sunday| monday)?(?! island| eggs?\b| bunny| rising| lil)|good friday|palm sunday|"
    r"(?:\d{1,2}(?::\d\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?: o'clock)? "
    r"(?:in the (?:morning|afternoon|evening)|at night)|"
    r"(?:pre|post)-(?:1[89]|20)\d\d|(?:hour|day|week|month|year|decade|centur(?:y|ie))s?-long|"
    r"(?:(?<=in )|(?<=by )|(?<=until )|(?<=since )|(?<=last )|(?<=next )|(?<=early )|(?<=late )|(?<=mid-))"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)(?! \d)|"
    r"(?:this|last|next) (?:week|weekend|month|year|quarter|spring|summer|fall|autumn|winter)|yesterday|today|tomorrow|tonight|"
    r"the latest (?:period|quarter|fiscal year)|mid[- ]afternoon|mid[- ]morning|(?:fiscal )?(?:first|second|third|fourth)[- ]quarter|"
    r"(?:the )?(?:past|last|next|coming|previous) (?:(?:few|several|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|\d+) )?(?:seconds|minutes|hours|days|weeks|months|quarters|years|decades?|centur(?:y|ies))|"
    r"(?:(?:at least|more than|less than|nearly|almost|about|over|up to|within) )?(?:a|an|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a few|several|(?<![\d/])\d+(?: \d/\d)?) (?:more |additional )?"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?|decades?)\b(?!-|\s+old\b)|"
    r"the (?:full|entire|whole) (?:fiscal )?year|"
    r"the past|\d{1,2}/\d{1,2}/(?:\d\d){1,2}|(?<=\d )(?:a|per) (?:day|week|month|year)|"
    r"nineteen[ -](?:hundred )?[a-z]+(?:-[a-z]+)?|the (?:nineteen[- ])?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)|"
    r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.? \d{1,2}(?:, \d{4})?|"
    r"(?:january|february|march|april|june|july|august|september|october|november|december) \d{1,2}(?:, \d{4})?|"
    r"(?:last |this |next |early |late )?(?:mon|tues|wednes|thurs|fri|satur|sun)day(?: (?:morning|afternoon|evening|night)s?)?|"
    r"(?:1[89]|20)\d\d)\b",
    re.IGNORECASE,
)
#: :data:`_WORD_TIMEX` matched case-sensitively on lower-cased text: about three times faster
#: (Python's IGNORECASE folds every character it compares), and the same matches when
#: :func:`_word_timexes` finds the lower-casing safe.
_WORD_TIMEX_LOWER = re.compile(_WORD_TIMEX.pattern)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: Characters IGNORECASE matches to an ASCII letter that ``str.lower`` keeps apart (``re._casefix``).
_FOLDS_TO_ASCII = frozenset("\u0131\u017f")  # dotless i, long s


def _word_timexes(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every :data:`_WORD_TIMEX` match in ``text``, in order.

    The pattern is ASCII, so matching it without case on ``text`` and with case on
    ``text.lower()`` agree unless lower-casing moves characters (``İ`` becomes two) or a
    character outside ASCII folds onto an ASCII letter (the Kelvin sign, ``ı``, ``ſ``);
    such texts take the slower case-insensitive scan.
    """
    lowered = text.lower()
    if len(lowered) == len(text) and not any(
        c in _FOLDS_TO_ASCII or c.lower().isascii() for c in set(_NON_ASCII.findall(text))
    ):
        return [m.span() for m in _WORD_TIMEX_LOWER.finditer(lowered)]
    return [m.span() for m in _WORD_TIMEX.finditer(text)]


#: Regex hits that are only time expressions in some uses: need a tag check.
_ADVERB_ONLY = {"once", "earlier", "current", "future", "daily", "weekly", "monthly", "yearly", "hourly", "nightly",
                "quarterly", "annually"}  # fmt: skip


def extract_timexes(doc: Doc) -> list[dict]:
    """Rows of the `timexes` table found in ``doc`` (without ``article_id``).

    Args:
        doc: A Doc prepared by :func:`newskit.extract.pipeline.prepare_doc`.

    Returns:
        One row per time expression, in text order.
    """
    dct = doc._.nk_published
    if isinstance(dct, dt.datetime):
        dct = dct.date()
    text = doc_text(doc)  # Doc.text joins every token on each access: read it once per Doc
    spans = _merge(text, _extend(text, _candidate_spans(doc, text)), dct)
    rows: list[dict] = []
    last_specific: tuple[str, int] | None = None  # latest calendar value and where it was written
    last_day: tuple[str, int, int] | None = None  # latest day value, where, and in which sentence
    focus_quarter: tuple[int, int] | None = None  # the fiscal quarter an earnings report is about
    for start, end in spans:
        before = _MOD_BEFORE.search(text[max(0, start - 20) : start])
        if (
            before
            and not _MOD_BEFORE.match(text[start:end])
            and re.match(
                r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|\d|several|few|a few|\w+ty)\b",
                text[start:end],
                re.I,
            )
        ):
            start -= len(before.group(0))  # "within 18 months": the mod word belongs to the expression
        span = doc.char_span(start, end, alignment_mode="expand")
        tense = _tense(span) if span is not None else None
        before_words = text[max(0, start - 20) : start]
        if tense == PRESENT and span is not None and _scheduled_day(span, text, end):
            tense = FUTURE
        if text.startswith(("'s", "’s"), end) and tense == FUTURE and not re.search(r"\bnext\s+$", before_words, re.I):
            tense = PAST  # "get around Wednesday's ruling": a day named as a thing's owner has happened
        if re.search(
            r"\b(?:as soon as|as early as|as late as|no later than|next)\s+$", before_words, re.I
        ) or re.search(r"\bas soon as\b[^.,;:]{0,30}$", text[max(0, start - 45) : start], re.I):
            tense = FUTURE
        elif (
            re.search(r"\b(?:until|till|effective)\s+$", before_words, re.I)
            and span is not None
            and not re.search(r"\bhad\b", span.sent.text, re.I)
        ):
            # "until 9 a.m. Tuesday" is a deadline ahead, "effective Feb. 1" a change to come, unless told in the
            # past perfect
            tense = FUTURE
        # in an earnings report "a year earlier" means the same quarter a year before (TimeBank's reading)
        quarter_context = "quarter" in text[max(0, start - 400) : end].lower()
        sentence = sentence_of(doc, start)
        timex = _anaphoric(text[start:end], last_specific[0] if last_specific else None)
        anchor_at = last_specific[1] if timex is not None and last_specific else None
        if timex is None:
            timex = normalise(
                text[start:end], dct=dct, tense=tense, quarter_context=quarter_context, focus_quarter=focus_quarter,
                after_amount=bool(re.search(r"\d\s+$", text[max(0, start - 3) : start])),
            )  # fmt: skip
        if timex is None and rows:
            timex = _listed_day(text, rows[-1], start, end)
        if timex is None:
            continue
        if text[start:end].lower() == "one day" and re.search(
            r"\b(?:will|would|could|may|might|can|shall)\s+$", before_words, re.I
        ):
            timex = Timex("DATE", "FUTURE_REF")  # "Islam will one day be ...": some day ahead, not 24 hours
        part = re.fullmatch(r"the (morning|afternoon|evening|night)", text[start:end], re.I)
        if part and last_day and timex.type == "TIME":
            # "Hopes were dashed Friday. Dealers placed orders in the morning": the morning of the day last named
            timex = Timex("TIME", f"{last_day[0]}T{PARTS_OF_DAY[part[1].lower()]}", anchored=True)
            anchor_at = last_day[1]
        ended = _quarter_ended(text, start, end, dct)
        if ended is not None:
            timex = Timex("DATE", f"{ended[0]}-Q{ended[1]}", anchored=True)
            focus_quarter = ended
        elif (
            focus_quarter is None
            and timex.type == "DATE"
            and re.fullmatch(r"\d{4}-Q\d", timex.value or "")
            and tense != FUTURE
            and not re.search(r"\d{4}", text[start:end])
            and re.search(r"first|second|third|fourth", text[start:end], re.I)
        ):
            # the first quarter an earnings report names is the one it reports on: "a year earlier" compares to it
            focus_quarter = (int(timex.value[:4]), int(timex.value[-1]))
        following = text[end : end + 9].lower()
        if following.startswith((" ended", " ending")) and re.fullmatch(
            r"(?:the|its|a)\s+(?:fiscal\s+)?year", text[start:end].lower()
        ):
            timex = Timex("DURATION", "P1Y")  # "the year ended June 30": the twelve months, not the calendar year
        rows.append(_row(doc, text, start, end, timex, dct, anchor_at=anchor_at))
        if timex.type == "DATE" and timex.value and re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", timex.value):
            last_specific = (timex.value, start)
        day_after = _DAY_AFTER_CLOCK.match(text, end) if timex.type == "TIME" else None
        if day_after and not _NAMES_DAY.search(text[start:end]):
            # "at 10:35 a.m. (0735 GMT) Friday": the clock time is on the day named right after it
            day = normalise(day_after["day"] or day_after["glossed"], dct=dct, tense=tense)
            if day is not None and re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", day.value or ""):
                timex.value = day.value + timex.value[10:]
                rows[-1] = _row(doc, text, start, end, timex, dct, anchor_at=anchor_at)
        elif last_day and last_day[2] == sentence and timex.type == "TIME" and not _NAMES_DAY.search(text[start:end]):
            # "the first flight Tuesday ... at 18:00 UTC": the clock time is on the day the sentence named
            timex.value = last_day[0] + timex.value[10:]
            rows[-1] = _row(doc, text, start, end, timex, dct, anchor_at=last_day[1])
        if timex.type == "DATE" and timex.value and re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", timex.value):
            last_day = (timex.value, start, sentence)
    return rows


_QUARTER_ENDED = re.compile(
    r"\s+(?:ended|ending|that ended|which ended)\s+(?:on\s+)?(?P<date>(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2}(?:,\s+\d{4})?)",
    re.IGNORECASE,
)


def _quarter_ended(text: str, start: int, end: int, dct: dt.date | None) -> tuple[int, int] | None:
    """``the quarter ended July 31``: the calendar quarter holding most of the three months to that day.

    Only for a quarter the words do not number ("the third quarter ended Sept. 30" may be a fiscal
    third quarter, and TimeBank keeps the ordinal).
    """
    if not re.fullmatch(
        r"(?:the|its|their|this|that|latest|the latest|the fiscal|fiscal)?\s*quarter", text[start:end].strip().lower()
    ):
        return None
    match = _QUARTER_ENDED.match(text, end)
    if match is None:
        return None
    day = normalise(match["date"], dct=dct, tense=PAST)
    if day is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day.value or ""):
        return None
    year, month, mday = (int(part) for part in day.value.split("-"))
    index = year * 12 + month - 1 - (1 if mday >= 15 else 2)  # the middle month of the quarter
    return index // 12, (index % 12) // 3 + 1


def _narrow(
    days: tuple[dt.date, dt.date], mod: str | None, surface: str, dct: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The part of an interval a mod points at: ``earlier this year`` ends at publication, ``early 2008`` is its first third."""
    first, last = days
    if surface.startswith("earlier") and dct is not None and first <= dct <= last:
        return first, dct
    if surface.startswith("later") and dct is not None and first <= dct <= last:
        return dct, last
    span = (last - first).days + 1
    if span < 3 or mod not in ("START", "MID", "END"):
        return first, last
    third = span // 3
    if mod == "START":
        return first, first + dt.timedelta(days=third - 1)
    if mod == "MID":
        return first + dt.timedelta(days=third), last - dt.timedelta(days=third)
    return last - dt.timedelta(days=third - 1), last


#: The days a pandas ``datetime64[ns]`` column can hold.
_FIRST_DAY, _LAST_DAY = dt.date(1678, 1, 1), dt.date(2261, 12, 31)
#: Words that name the day of a clock time ("5 p.m. Tuesday", "noon yesterday").
_NAMES_DAY = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|tonight|tomorrow|last|this|that|next|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)

_DAY_AFTER_CLOCK = re.compile(
    r"\s*(?:\([^()]{1,24}\)\s*)?,?\s*(?:on\s+)?(?P<day>(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|tomorrow)\b"
    # "at 4 in the morning (4 a.m. EDT Thursday)": the day closes a gloss of the time in brackets
    r"|\s*\([^()]{0,24}?\b(?P<glossed>(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|tomorrow)\)",
    re.IGNORECASE,
)

_ANAPHORA = re.compile(
    r"(?:(?:earlier|later)\s+)?(?P<rel>that same|that|the same|the following|the next|the previous|the preceding|the prior)\s+"
    r"(?P<unit>day|month|year|morning|afternoon|evening)"
    r"|the (?P<unit2>day|month|year) (?P<rel2>before|after)",
    re.IGNORECASE,
)


def _anaphoric(text: str, previous: str | None) -> Timex | None:
    """``the following year``, ``that day``, ``the day before``: resolved against the last calendar value."""
    match = _ANAPHORA.fullmatch(text.strip())
    if match is None or previous is None:
        return None
    unit = (match["unit"] or match["unit2"]).lower()
    unit = "day" if unit in ("morning", "afternoon", "evening") else unit  # "the next morning": the day after
    rel = (match["rel"] or match["rel2"]).lower()
    step = {"that": 0, "that same": 0, "the same": 0, "the following": 1, "the next": 1, "after": 1}.get(rel, -1)
    parts = previous.split("-")
    if unit == "year":
        return Timex("DATE", str(int(parts[0]) + step), anchored=True)
    if unit == "month" and len(parts) >= 2:
        index = int(parts[0]) * 12 + int(parts[1]) - 1 + step
        return Timex("DATE", f"{index // 12}-{index % 12 + 1:02d}", anchored=True)
    if unit == "day" and len(parts) == 3:
        return Timex("DATE", (dt.date.fromisoformat(previous) + dt.timedelta(days=step)).isoformat(), anchored=True)
    return None


def _merge(text: str, spans: list[tuple[int, int]], dct) -> list[tuple[int, int]]:
    """Join neighbours that are one expression: ``5 p.m. EST`` + ``Nov. 6``, ``noon`` + ``Saturday``."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            gap = text[prev_end:start]
            if re.fullmatch(r",?\s{1,2}(?:on\s+)?", gap):
                joined = normalise(text[prev_start:end], dct=dct)
                if joined is not None and (
                    joined.type == "TIME" or re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", joined.value or "")
                ):
                    out[-1] = (prev_start, end)
                    continue
        out.append((start, end))
    return out


def _extend(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Grow spans over words TimeBank keeps inside the expression the NER leaves out.

    ``early`` + ``Tuesday``, ``mid-`` + ``2011``, ``the`` + ``1988`` + ``period``;
    and drop a trailing ``later`` after a duration ("three days later": TimeBank marks
    the duration).
    """
    out: list[tuple[int, int]] = []
    for i, (start, end) in enumerate(spans):
        surface = text[start:end]
        limit_right = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        limit_left = out[-1][1] if out else 0
        before = re.search(r"\b(?:early|earlier|late|later)\s+$|\bmid-$", text[limit_left:start], re.IGNORECASE)
        if before and re.match(
            r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|tomorrow|this|last|next|19|20|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)",
            surface,
            re.I,
        ):
            start = limit_left + before.start()
        if re.match(r"(?:nineteen|two thousand)\b", surface, re.I):
            # "the winter of nineteen ninety-four", "January nineteen ninety-seven": one expression
            lead = re.search(
                r"\b(?:the\s+)?(?:spring|summer|fall|autumn|winter)\s+of\s+$|\b(?:january|february|march|april|may|june|"
                r"july|august|september|october|november|december)\s+$",
                text[limit_left:start],
                re.IGNORECASE,
            )
            if lead:
                start = limit_left + lead.start()
        if re.fullmatch(r"yesterday|today|tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day", surface, re.I):
            # "mid-afternoon yesterday", "late morning Tuesday": the part of the day belongs to the expression
            lead = re.search(r"\b(?:early |late |mid-)?(?:morning|afternoon|evening)\s+$", text[limit_left:start], re.I)
            if lead:
                start = limit_left + lead.start()
        lead = re.search(r"\b(?:the )?day (?:before|after) $", text[limit_left:start], re.I)
        if lead and re.match(
            r"(?:(?:last|next|this) )?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|[A-Z][a-z]{2})", surface
        ):
            start = limit_left + lead.start()  # "the day before last Tuesday('s hearing)": one day
        if re.fullmatch(r"(?:last|a) year", surface, re.I):
            # "the corresponding period last year", "last year's quarter": the year-ago period of a report
            lead = re.search(r"\bthe (?:corresponding|same|comparable) period\s+$", text[limit_left:start], re.I)
            if lead:
                start = limit_left + lead.start()
            elif re.match(r"['’]s (?:quarter|period)\b", text[end:limit_right], re.I):
                end += len("'s quarter") if text[end + 3 : end + 10].lower() == "quarter" else len("'s period")
        if re.fullmatch(r"\d{4}", surface):
            around = re.match(
                r" (?:period|quarter|fiscal year|third quarter|second quarter|first quarter|fourth quarter)\b",
                text[end:limit_right],
            )
            if around and text[max(limit_left, start - 4) : start].lower() == "the ":
                start, end = start - 4, end + around.end()
        later = re.search(r"(?:second|minute|hour|day|week|month|year|decade)s? later$", text[start:end], re.IGNORECASE)
        if later:
            end -= len(" later")
        out.append((start, end))
    return out


def _row(
    doc: Doc, text: str, start: int, end: int, timex: Timex, dct: dt.date | None, *, anchor_at: int | None
) -> dict:
    span_dates = interval(timex.value) if timex.type in ("DATE", "TIME") else None
    if span_dates is not None:
        span_dates = _narrow(span_dates, timex.mod, text[start:end].lower(), dct)
        if not (span_dates[0] >= _FIRST_DAY and span_dates[1] <= _LAST_DAY):
            span_dates = None  # "the 11th century": outside what a datetime64[ns] column can hold
    if timex.anchored and dct is not None:
        anchor = f"timex:{anchor_at}" if anchor_at is not None and anchor_at != start else "publication"
    else:
        anchor = None
    return {
        "text": text[start:end],
        "start": start,
        "end": end,
        "type": timex.type,
        "value": timex.value,
        "mod": timex.mod,
        "date_start": span_dates[0] if span_dates else None,
        "date_end": span_dates[1] if span_dates else None,
        "anchor": anchor,
        "sentence": sentence_of(doc, start),
    }


# --------------------------------------------------------------------------- candidates


def _candidate_spans(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Character spans of time expressions, non-overlapping, in text order."""
    dct = doc._.nk_published
    found: list[tuple[int, int, int]] = []  # (start, end, priority)
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            for start, end in _recut(text, ent.start_char, ent.end_char, dct):
                found.append((start, end, 2))
    for start, end in _word_timexes(text):
        if not _word_hit_ok(doc, start, end, text[start:end].lower()):
            continue
        found.append((start, end, 1))
    found.sort(key=lambda s: (-(s[1] - s[0]), -s[2], s[0]))  # the longest reading wins ("every" + "Thursday")
    taken: list[tuple[int, int]] = []
    for start, end, _ in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
    return sorted(
        span
        for span in taken
        if not _TITLE_UNIT.search(text[span[0] : span[1]])
        and not _not_a_year(doc, text, span[0], span[1])
        and not _media_amount(doc, text, span[0], span[1])
        and not _HOURS_OF.match(text, span[0])
    )


#: ``the early hours of Thursday``: a part of the day named after it, not a duration.
_HOURS_OF = re.compile(r"(?:the\s+)?(?:early|small|wee)\s+hours\s+of\s", re.IGNORECASE)
#: A count of clock units, the only shape :func:`_media_amount` questions.
_CLOCK_AMOUNT = re.compile(r"(?:[\w.,-]+\s+)?(?:seconds?|minutes?|hours?)", re.IGNORECASE)
#: Verbs whose object (or passive subject) is an amount of stored content ("holds 150 hours").
_STORAGE_VERBS = frozenset({"store", "hold"})


@functools.cache
def _media_words() -> frozenset[str]:
    return read_words("media_nouns")


def _media_amount(doc: Doc, text: str, start: int, end: int) -> bool:
    """Hours that measure recorded media or a device's capacity, not time: ``75 hours of video``,
    ``ten hours of battery life``, ``150 hours can be stored``."""
    if not _CLOCK_AMOUNT.fullmatch(text[start:end]):
        return False
    of = re.match(r"\s+of\s+((?:[\w-]+\s+){0,2}[\w-]+)", text[end : end + 60])
    if of and any(word.lower() in _media_words() for word in of[1].split()):
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ in ("dobj", "nsubjpass") and root.head.lemma_.lower() in _STORAGE_VERBS


#: A bare year or decade as written, the only shapes :func:`_not_a_year` questions.
_BARE_YEAR = re.compile(r"(?:the\s+)?(?:early\s+|late\s+|mid-?\s*)?(?P<n>\d{3,4})(?:s|['’]s)?", re.IGNORECASE)
#: After a number: an address (`the 2000 block of`, `1925 Main Street`, `1800 N. Elm Ave.`).
_ADDRESS_AFTER = re.compile(
    r"\s+(?:block\b|(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?(?:[A-Z][\w'.-]*\s+){1,3}"
    r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Highway|Hwy\.?|Way|"
    r"Place|Pl\.?|Court|Ct\.?|Parkway|Pkwy\.?|Circle|Terrace|Pike|Trail|Square|Alley|Row)(?![\w]))"
)
#: Before a number: it is an identifier (`Flight 1549`, `Section 1983`, `Room 2012`, `No. 1995`).
_ID_BEFORE = re.compile(
    r"(?:\b(?:No|Nos|Rm|Apt|Ste|Rte|Hwy|Sec|Bldg)\.|#|\b(?:[Nn]umber|[Nn]o|Room|Apartment|Suite|Flight|Route|Interstate|"
    r"Highway|Exit|[Ee]xit|Section|Form|Bill|HB|SB|Precinct|Badge|[Cc]ase|Unit|Lot|Box|Gate|Pier|Channel|Windows|"
    r"Ward|Building|Bus|[Bb]us|Train|[Tt]rain|Platform|Code|Rule|Local|Engine|Ladder|Squad|[Jj]ersey|[Mm]odel|"
    r"[Vv]ersion|Boeing|Airbus|[Hh]ull))\s*$"
)
_MODEL_NOUN = re.compile(r"\s+(?:-?model\s+)?(?P<word>[\w-]+)")
#: Time prepositions: a number after one is a date even before a plural noun ("in 2019 sales rose").
_TIME_PREPOSITIONS = {"in", "since", "by", "until", "before", "after", "from", "during", "of", "through"}


@functools.cache
def _vehicle_words() -> frozenset[str]:
    return read_words("vehicle_makes")


def _not_a_year(doc: Doc, text: str, start: int, end: int) -> bool:
    """A number that only looks like a year: an address, a model year, an identifier, a count, a tally.

    Only bare years and decades are questioned (``2000``, ``the early 2000s``); the words
    around them decide: ``the 2000 block of``, ``1925 Main Street``, ``a 2006 Volkswagen``,
    ``an early 2000s model Toyota``, ``Flight 1549``, ``Section 1983``, ``2019-CR-1123``,
    ``covers 2000 schools``, ``a vote of 2020 to 1999``.
    """
    match = _BARE_YEAR.fullmatch(text[start:end])
    if match is None:
        return False
    after, before = text[end : end + 80], text[max(0, start - 30) : start]
    if _ADDRESS_AFTER.match(after) or _ID_BEFORE.search(before):
        return True
    model = _MODEL_NOUN.match(after)
    if model and (model["word"].lower() in _vehicle_words() or re.match(r"\s+-?model\b", after)):
        return True
    number = match["n"]
    hyphen_after = re.match(r"-(\w+)", after)
    if hyphen_after and not (
        re.fullmatch(r"\d{4}", hyphen_after[1])
        or (re.fullmatch(r"\d\d", hyphen_after[1]) and int(hyphen_after[1]) == (int(number) + 1) % 100)
    ):
        return True  # "2015-44", "2019-CR-1123": an identifier, not a span of years ("1998-99")
    if re.search(r"(?:[A-Za-z]|\d)-$", before) and not re.search(r"(?:\b\d{4}|\bmid)-$", before, re.IGNORECASE):
        return True  # "CR-1123", "2021-004512"
    tally = re.match(r"\s+to\s+(\d{4})\b", after)
    tally_before = re.search(r"\b(\d{4})\s+to\s+$", before)
    if (tally and int(tally[1]) < int(number)) or (tally_before and int(tally_before[1]) > int(number)):
        return True  # "2020 to 1999" is a tally; years run forward ("from 2002 to 2010")
    if len(text[start:end]) == len(number):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and span.end < len(doc):
            nxt, prev = doc[span.end], doc[span.start - 1] if span.start > 0 else None
            determiner = prev is not None and (prev.tag_ in ("DT", "PRP$", "POS") or prev.lower_ in _TIME_PREPOSITIONS)
            if nxt.tag_ == "NNS" and not determiner:
                return True  # "covers 2000 schools": a count
    return False


#: A capitalised time unit after a capitalised word or a number is a title: ABC's "This Week", CBS's "60 Minutes"
#: (not the weeks named after a feast: "Holy Week").
_TITLE_UNIT = re.compile(
    r"\b(?!(?:Holy|Easter) Week\b)(?:[A-Z][a-z]*|\d+) (?:Weeks?|Months?|Years|Days|Hours|Minutes)\b"
)


def _word_hit_ok(doc: Doc, start: int, end: int, text: str) -> bool:
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or len(span) == 0:
        return False
    if text in _ADVERB_ONLY or text.startswith(("daily", "weekly")):
        token = span[0]
        if text in ("current", "future"):
            # "current" / "future" as a time: "current levels" is PRESENT_REF in TimeBank, "the current account" is not
            return token.pos_ == "ADJ" and token.dep_ == "amod"
        if text in ("once", "earlier"):
            return token.pos_ == "ADV" and token.dep_ in ("advmod", "npadvmod") and not _next_is_number(doc, span)
        if text in ("quarterly", "annually"):
            return token.pos_ == "ADV"  # "they meet quarterly" is a SET, "a quarterly dividend" is not annotated
        return token.pos_ in ("ADV", "ADJ")
    if text in ("a second", "one second", "a quarter", "one quarter"):
        return False  # "a second group", "a quarter of the market"
    if text == "now":
        token = span[0]
        # "now that ..." is annotated (PRESENT_REF); "the now-cancelled deal" is a modifier, not a time
        hyphenated = not token.whitespace_ and token.i + 1 < len(doc) and doc[token.i + 1].text.startswith("-")
        return token.dep_ != "discourse" and not hyphenated
    if re.fullmatch(r"(?:1[89]|20)\d\d", text):
        token = span[0]
        return token.i > 0 and doc[token.i - 1].lower_ in (
            "in",
            "since",
            "of",
            "by",
            "until",
            "before",
            "after",
            "from",
            "during",
        )
    if re.fullmatch(r"(?:years|months|weeks|days|decades|hours|centuries)", text):
        token = span[0]
        return token.i > 0 and doc[token.i - 1].lower_ in (
            "for",
            "in",
            "over",
            "within",
            "after",
            "take",
            "takes",
            "took",
        )
    return True


def _next_is_number(doc: Doc, span: Span) -> bool:
    return span.end < len(doc) and doc[span.end].like_num


def _recut(text: str, start: int, end: int, dct: dt.date | None) -> list[tuple[int, int]]:
    """Re-cut one NER DATE/TIME entity to TimeBank extents (possibly several, possibly none)."""
    start, end = _trim(text, start, end)
    if end <= start:
        return []
    surface = text[start:end]
    if _NOT_TIMEX.fullmatch(surface.strip()) and not re.fullmatch(r"1[0-9]{3}|20\d\d", surface.strip()):
        return []
    if _ANAPHORA.fullmatch(surface):
        return [(start, end)]  # "the next morning": resolved later against the day last named
    of_year = re.fullmatch(r"(?P<span>.+?)\s+of\s+(?P<year>\d{4})", surface)
    if of_year:
        first = normalise(of_year["span"], dct=dct)
        if first is not None and first.type == "DURATION":
            # "the first nine months of 1997": TimeBank marks the duration and the year apart
            return [(start, start + of_year.end("span")), (start + of_year.start("year"), end)]
    if normalise(surface, dct=dct) is not None and not _SPLIT.search(surface):
        return [(start, end)]
    parts = [q for p in _split(text, start, end) for q in [_trim(text, *p)] if q[1] > q[0]]
    if len(parts) > 1:
        good = [
            p
            for i, p in enumerate(parts)
            if normalise(text[p[0] : p[1]], dct=dct) is not None
            or (i > 0 and _day_of_month(text, parts[i - 1], p) is not None)
        ]
        if good:
            return good
    if normalise(surface, dct=dct) is not None:
        return [(start, end)]
    best = _best_inner(text, start, end, dct)
    if best is not None:
        return [best]
    if re.search(
        r"\d|day|week|month|year|quarter|season|century|decade|hour|minute|morning|night|evening|time|period|term",
        surface,
        re.I,
    ):
        return [(start, end)]
    return []


def _listed_day(text: str, previous: dict, start: int, end: int) -> Timex | None:
    """The day ``25`` in ``April 24 and 25``, in the year of the day before it."""
    listed = _day_of_month(text, (previous["start"], previous["end"]), (start, end))
    value = previous["value"] or ""
    if listed is None or not re.fullmatch(r"[\dX]{4}-\d{2}-\d{2}", value):
        return None
    return Timex("DATE", f"{value[:4]}-{listed[0]:02d}-{listed[1]:02d}", anchored=True)


def _day_of_month(text: str, first: tuple[int, int], part: tuple[int, int]) -> tuple[int, int] | None:
    """``25`` in ``April 24 and 25``: a bare day number listed after a month and day, as (month, day)."""
    day = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", text[part[0] : part[1]])
    named = re.fullmatch(r"([A-Za-z]+)\.?\s+\d{1,2}(?:st|nd|rd|th)?", text[first[0] : first[1]])
    if day is None or named is None or not 1 <= int(day[1]) <= 31:
        return None
    month = MONTHS.get(named[1].lower()) or MONTHS.get(named[1].lower()[:3])
    if month is None or not re.fullmatch(r",?\s*(?:and|or|&)\s+", text[first[1] : part[0]]):
        return None
    return month, int(day[1])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while True:
        surface = text[start:end]
        lead = _LEADING_JUNK.match(surface)
        trail = _TRAILING_JUNK.search(surface)
        if lead and lead.end() < len(surface):
            start += lead.end()
        elif trail and trail.start() > 0 and trail.end() > trail.start():
            end = start + trail.start()
        else:
            return start, end


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    surface = text[start:end]
    parts, last = [], 0
    for match in _SPLIT.finditer(surface):
        parts.append((start + last, start + match.start()))
        last = match.end()
    parts.append((start + last, end))
    return [p for p in parts if p[1] > p[0]]


def _best_inner(text: str, start: int, end: int, dct) -> tuple[int, int] | None:
    """The longest run of whole words inside the entity that normalises."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    for size in range(len(words) - 1, 0, -1):
        for i in range(len(words) - size + 1):
            s, e = words[i][0], words[i + size - 1][1]
            s, e = _trim(text, s, e)
            if e > s and normalise(text[s:e], dct=dct) is not None and not _NOT_TIMEX.fullmatch(text[s:e]):
                return s, e
    return None


# --------------------------------------------------------------------------- tense

#: A weekday alone, as :func:`_scheduled_day` questions it.
_BARE_WEEKDAY = re.compile(r"(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.IGNORECASE)


#: Verbs whose past tense is spelled as the present: the tagger's VBP for them is a guess.
_SAME_PAST = frozenset({
    "beat", "bet", "bid", "broadcast", "burst", "cast", "cost", "cut", "forecast", "hit", "hurt", "let", "put",
    "quit", "read", "set", "shed", "shut", "split", "spread", "thrust", "upset",
})  # fmt: skip


@functools.cache
def _reporting_verbs() -> frozenset[str]:
    return read_words("reporting_verbs") | read_words("reporting_verbs_weak")


def _scheduled_day(span: Span, text: str, end: int) -> bool:
    """A weekday set by a verb in the simple present is ahead: ``they meet Monday``, ``plans on Tuesday to``.

    News tells what happened in the past tense, so a plain present with a day is a schedule;
    reporting verbs (``says Monday``), ``be``/``have``, a day named as an owner
    (``follows Tuesday's declaration``) and headlines, which tell the past in the present
    (``Storm hits Florida Monday``, no final stop), keep looking back.
    """
    if not _BARE_WEEKDAY.fullmatch(span.text) or text.startswith(("'s", "’s"), end):
        return False
    if not re.search(r"[.!?][\"'”’)]*$", span.sent.text.rstrip()):
        return False
    verb = _governor(span)
    if verb.tag_ not in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    lemma = verb.lemma_.lower()
    if verb.lower_ in _SAME_PAST:
        return False  # "stocks hurt the index on Friday" is as likely past
    return lemma not in ("be", "have") and (lemma in _FUTURE_HEADS or lemma not in _reporting_verbs())


def _tense(span: Span) -> str | None:
    """Tense of the clause governing ``span``: past, present, future, or None."""
    return _verb_tense(_governor(span))


def _governor(span: Span) -> Token:
    """The verb of the clause ``span`` sits in (or the sentence root)."""
    token: Token = span.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") or token.dep_ == "ROOT":
            break
        token = token.head
    return token


def _verb_tense(verb: Token, depth: int = 0) -> str | None:
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_lower = {a.lower_ for a in aux}
    if (
        (aux_lower & {"can", "ca", "may", "might", "must", "should"} and not aux_lower & {"have", "'ve"})
        or aux_lower & _FUTURE_AUX
        or ({"going"} & aux_lower and any(c.lower_ == "to" for c in verb.children))
    ):
        return FUTURE
    if (
        verb.lemma_ in ("expect", "schedule", "due", "slate", "set", "plan")
        and verb.tag_ == "VBN"
        and any(c.dep_ == "xcomp" for c in verb.children)
    ):
        return FUTURE
    if any(a.tag_ == "VBD" for a in aux) or verb.tag_ == "VBD":
        return PAST
    if verb.tag_ == "VBN" and (aux_lower & {"has", "have", "had", "'s", "'ve"} or not aux):
        return PAST  # perfect, or a bare participle ("the quarter ended Sept. 30")
    if verb.tag_ == "VB" and "to" in aux_lower and depth < 3 and verb.head is not verb:
        head = verb.head
        if head.lemma_ in _FUTURE_HEADS:
            governors = [head] if head.pos_ in ("VERB", "AUX") or head.head is head else [head, head.head]
            if any(c.lower_ in ("had", "'d") for g in governors for c in g.children if c.dep_ in ("aux", "auxpass")):
                return PAST  # "had been scheduled to expire Friday", "had been due to expire Friday"
            return FUTURE
        head_tense = _verb_tense(head, depth + 1)
        return FUTURE if head_tense in (PRESENT, None) else head_tense  # "is to resume Tuesday"
    if verb.tag_ == "VBG" and not aux and depth < 3:
        # a participle clause ("closing unchanged Friday", "with the third departing from August 6") is
        # set in the time of the clause it hangs from
        head = verb.head
        for _ in range(4):
            if head.pos_ in ("VERB", "AUX") or head.head is head:
                break
            head = head.head
        if head is not verb and head.pos_ in ("VERB", "AUX"):
            head_tense = _verb_tense(head, depth + 1)
            if head_tense is not None:
                return head_tense
    if (
        verb.tag_ == "VBG"
        and aux
        and aux[0].tag_ in ("VBZ", "VBP")
        and any(c.dep_ == "npadvmod" for c in verb.children)
    ):
        return FUTURE  # "is leaving Monday"
    if verb.tag_ in ("VBZ", "VBP", "VBG", "VB"):
        return PRESENT
    return None
