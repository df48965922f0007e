"""TimeML normalisation rules: from a time expression's words to a TIMEX3 type, value and mod.

Private to :mod:`newskit.extract.timexes`. Everything here works on plain strings and
dates, so the rules can be read (and tested) without a parsed Doc:

* :func:`normalise` maps the text of one time expression, the document creation time
  (DCT, the publication date) and the tense of the clause that holds it to a
  :class:`Timex` (type, value, mod, anchored or not).
* :func:`interval` maps a DATE/TIME value back to the calendar days it covers.

Values follow the TIMEX3 conventions of the TimeML 1.2.1 guidelines as TimeBank
applies them: ``1998-08-07``, ``1998-08``, ``1998``, ``1998-W32``, ``1998-W32-WE``,
``1998-Q3``, ``1998-H1``, ``1998-SU``, ``199`` (the 1990s), ``19`` (the 20th century),
``1998-08-07T17:00``, ``1998-08-07TMO``, durations ``P3D``/``PT4H``/``PXY``, sets
``P1D``/``XXXX-WXX-4``, and ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``. Without a DCT
every relative value stays unresolved (``XXXX-WXX-1``, ``XXXX-XX``): nothing is ever
guessed from today's clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace

from .. import lexicons

__all__ = ["UNIT_WORDS", "Timex", "interval", "normalise", "parse_number"]


PAST, PRESENT, FUTURE = "past", "present", "future"

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thu": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # winter runs into next year
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI", "overnight": "NI",
    "midday": "MI", "noon": "MI",
}  # fmt: skip
#: Duration unit word → (TIMEX3 unit letter, is a time-of-day unit, multiplier into that unit).
UNIT_WORDS = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1), "day": ("D", False, 1),
    "night": ("D", False, 1), "week": ("W", False, 1), "fortnight": ("W", False, 2), "month": ("M", False, 1),
    "quarter": ("Q", False, 1), "year": ("Y", False, 1), "decade": ("Y", False, 10), "century": ("Y", False, 100),
    "millennium": ("Y", False, 1000), "weekend": ("WE", False, 1),
}  # fmt: skip
ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "last": -1, "final": -1,
}  # fmt: skip
NUMBER_WORDS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "thousand": 1000, "dozen": 12, "couple": 2, "half": 0.5,
}  # fmt: skip
#: Quantifiers that make the number of units unknown (``PXY``).
VAGUE_COUNTS = {"few", "several", "some", "many", "numerous", "countless", "various", "multiple", "the"}

#: Mod cue (at the start of the expression) → TIMEX3 mod, longest cues first.
MOD_PREFIXES = (
    ("no more than", "EQUAL_OR_LESS"), ("no less than", "EQUAL_OR_MORE"), ("not more than", "EQUAL_OR_LESS"),
    ("more than", "MORE_THAN"), ("less than", "LESS_THAN"), ("fewer than", "LESS_THAN"), ("at least", "EQUAL_OR_MORE"),
    ("at most", "EQUAL_OR_LESS"), ("up to", "EQUAL_OR_LESS"), ("as many as", "EQUAL_OR_LESS"),
    ("as long as", "EQUAL_OR_LESS"), ("well over", "MORE_THAN"), ("just over", "MORE_THAN"), ("over", "MORE_THAN"),
    ("just under", "LESS_THAN"), ("under", "LESS_THAN"), ("within", "EQUAL_OR_LESS"), ("nearly", "APPROX"),
    ("almost", "APPROX"), ("about", "APPROX"), ("around", "APPROX"), ("approximately", "APPROX"),
    ("roughly", "APPROX"), ("some", "APPROX"), ("circa", "APPROX"), ("an estimated", "APPROX"),
    ("the start of", "START"), ("the beginning of", "START"), ("the dawn of", "START"), ("the middle of", "MID"),
    ("the end of", "END"), ("the close of", "END"), ("the turn of", "START"), ("early", "START"),
    ("earlier", "START"), ("mid", "MID"), ("late", "END"), ("later", "END"), ("the early", "START"),
    ("the mid", "MID"), ("the late", "END"), ("the first half of", "START"), ("the last half of", "END"),
    ("the second half of", "END"),
)  # fmt: skip
MOD_SUFFIXES = (
    ("or so", "APPROX"),
    ("or later", "ON_OR_AFTER"),
    ("and beyond", "ON_OR_AFTER"),
    ("or earlier", "ON_OR_BEFORE"),
)


@dataclass
class Timex:
    """A normalised time expression.

    Attributes:
        type: DATE, TIME, DURATION or SET.
        value: TIMEX3 value, or None when the words give none.
        mod: TIMEX3 mod, or None.
        anchored: True when the value was computed from the DCT (or would be, given one).
    """

    type: str
    value: str | None
    mod: str | None = None
    anchored: bool = False


@functools.cache
def holidays() -> dict[str, tuple[int, ...]]:
    """Fixed-date and rule-based holidays: name → (month, day), (month, weekday, nth) or (month, weekday, nth, from day).

    Easter-based holidays (rule ``easter+N``, N days from Easter Sunday) are in :func:`easter_holidays`.
    """
    table = {}
    for name, rule in lexicons.rows("holidays.tsv"):
        if not rule.startswith("easter"):
            table[name.lower()] = tuple(int(x) for x in rule.split("-"))
    return table


@functools.cache
def easter_holidays() -> dict[str, int]:
    """Holidays that move with Easter: name → days from Easter Sunday (``good friday`` → -2)."""
    return {
        name.lower(): int(rule[len("easter") :] or 0)
        for name, rule in lexicons.rows("holidays.tsv")
        if rule.startswith("easter")
    }


def easter_sunday(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday of ``year`` (the anonymous Gregorian computus).

    Examples:
        >>> easter_sunday(2000), easter_sunday(2024)
        (datetime.date(2000, 4, 23), datetime.date(2024, 3, 31))
    """
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday_shift) // 433
    month = (h + weekday_shift - 7 * m + 90) // 25
    day = (h + weekday_shift - 7 * m + 33 * month + 19) % 32
    return dt.date(year, month, day)


# --------------------------------------------------------------------------- numbers


def parse_number(words: str) -> float | None:
    """``"twenty four"`` → 24, ``"2 1/2"`` → 2.5, ``"a couple of"`` → 2, ``"1,000"`` → 1000."""
    words = words.strip().lower().replace("-", " ").replace(" of", "").replace(",", "")
    # "a couple" is 2 and "a two day rally" 2, not 1 + 2
    words = re.sub(
        r"^an? (?=couple|dozen|half|hundred|thousand|score|\d|two|three|four|five|six|seven|eight|nine|ten)", "", words
    )
    if not words:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", words):
        return float(words)
    match = re.fullmatch(r"(\d+)\s+(\d)/(\d)", words)
    if match:
        return int(match[1]) + int(match[2]) / int(match[3])
    total, current = 0.0, 0.0
    parts = words.split()
    for i, word in enumerate(parts):
        if word == "and":
            continue
        if word in ("a", "an") and i + 1 < len(parts) and parts[i + 1] in ("half",) and current:
            continue
        value = NUMBER_WORDS.get(word)
        if value is None:
            if re.fullmatch(r"\d+(\.\d+)?", word):
                value = float(word)
            else:
                return None
        if word == "half":
            current = current + 0.5 if current else 0.5
        elif value in (100, 1000):
            current = (current or 1) * value
            if value == 1000:
                total, current = total + current, 0.0
        else:
            current += value
    return total + current


def _fmt_number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


# --------------------------------------------------------------------------- calendar helpers


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _shift_quarter(year: int, quarter: int, delta: int) -> tuple[int, int]:
    index = year * 4 + quarter - 1 + delta
    return index // 4, index % 4 + 1


def _weekday_near(dct: dt.date, weekday: int, tense: str | None) -> dt.date:
    """The day named ``weekday`` (1 = Monday) the clause refers to, seen from ``dct``.

    Future clauses look forward, all others back (the DCT itself included): news mostly
    reports what happened, and in TimeBank 9 of 10 bare weekdays are on or before the DCT.
    """
    back = (dct.isoweekday() - weekday) % 7
    ahead = (weekday - dct.isoweekday()) % 7
    if tense == FUTURE:
        return dct + dt.timedelta(days=ahead)
    if tense == "strict-past":  # "last Monday" said on a Monday is a week ago
        return dct - dt.timedelta(days=back or 7)
    return dct - dt.timedelta(days=back)


def _year_for_month(dct: dt.date, month: int, day: int | None, tense: str | None) -> int:
    """Year of a month (and day) given without one, seen from ``dct``.

    The candidate nearest the DCT wins, but a past clause does not reach more than two
    months ahead and a future one not more than two months back ("payable Dec. 15" in
    October is this December; "in April" said in a past clause in February is last April).
    """

    def distance(year: int) -> int:
        try:
            return (dt.date(year, month, day or 15) - dct).days
        except ValueError:
            return (dt.date(year, month, 28) - dct).days

    candidates = [(year, distance(year)) for year in (dct.year - 1, dct.year, dct.year + 1)]
    if tense in (PAST, PRESENT, None):  # news reports what happened: present tense too looks back
        candidates = [c for c in candidates if c[1] <= 62] or candidates
    elif tense == FUTURE:
        candidates = [c for c in candidates if c[1] >= -62] or candidates
    return min(candidates, key=lambda c: abs(c[1]))[0]


def interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last calendar day a DATE/TIME value covers, or None.

    Examples:
        >>> interval("2013-W11")
        (datetime.date(2013, 3, 11), datetime.date(2013, 3, 17))
        >>> interval("199X")
        (datetime.date(1990, 1, 1), datetime.date(1999, 12, 31))
        >>> interval("18XX")
        (datetime.date(1800, 1, 1), datetime.date(1899, 12, 31))
    """
    if value and re.fullmatch(r"\d{3}X|\d{2}XX", value):
        value = value.rstrip("X")  # TIMEX3 `199X` (the 1990s), `18XX` (the 1800s)
    if not value or "X" in value.split("T")[0]:
        return None
    value = value.split("T")[0]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            return day, day
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = map(int, value.split("-"))
            next_year, next_month = _shift_months(year, month, 1)
            return dt.date(year, month, 1), dt.date(next_year, next_month, 1) - dt.timedelta(days=1)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        if re.fullmatch(r"\d{3}", value):
            return dt.date(int(value) * 10, 1, 1), dt.date(int(value) * 10 + 9, 12, 31)
        if re.fullmatch(r"\d{2}", value):
            return dt.date(int(value) * 100, 1, 1), dt.date(int(value) * 100 + 99, 12, 31)
        match = re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value)
        if match:
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            if match[3]:
                return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
            return monday, monday + dt.timedelta(days=6)
        match = re.fullmatch(r"(\d{4})-([QH])(\d)", value)
        if match:
            year, size, n = int(match[1]), 3 if match[2] == "Q" else 6, int(match[3])
            first = (n - 1) * size + 1
            end_year, end_month = _shift_months(year, first, size)
            return dt.date(year, first, 1), dt.date(end_year, end_month, 1) - dt.timedelta(days=1)
        match = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
        if match:
            year = int(match[1])
            first, last = SEASON_MONTHS[match[2]]
            end_year, end_month = _shift_months(year, last, 1)
            return dt.date(year, first, 1), dt.date(end_year, end_month, 1) - dt.timedelta(days=1)
    except ValueError:
        return None
    return None


# --------------------------------------------------------------------------- the grammar

_NUM = r"(?:\d+(?:[.,]\d+)?(?:\s+\d/\d)?|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen|couple|half|and|single)(?:[\s-]+(?:and\s+)?(?:a\s+)?(?:one|two|three|four|five|six|seven|eight|nine|hundred|thousand|half|dozen|of))*)"
_UNIT = r"(?P<unit>second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|century|centurie|millenni(?:um|a)|weekend)s?"
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?P<weekday>(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?)s?\.?"
_YEAR = r"(?P<year>1[0-9]{3}|20[0-9]{2})"
#: A day of the month written as an ordinal word after its month: ``March eighth``.
_ORDINAL_DAY = re.compile(
    r"\b((?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?|may) (first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|"
    r"eighteenth|nineteenth|twentieth|twenty-first)$"
)
_PART = r"(?P<part>morning|afternoon|evening|night|overnight|midday|noon)"


def _clean(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"\s+", " ", text).replace(" ,", ",").replace("( ", "(").replace(" )", ")").strip(" ,.;:\"'")
    text = re.sub(r"'s$", "", text)
    return text


def _strip_mod(text: str) -> tuple[str, str | None]:
    side = re.match(r"(pre|post)-(?=\d{4}\b|(?:the\s+)?\d{3}0'?s\b)", text)
    if side:  # "post-1959 politics", "pre-1990s": the year itself, with the side of it meant
        return text[side.end() :], "BEFORE" if side[1] == "pre" else "AFTER"
    mod = None
    if " or so " in text:  # "a week or so ago"
        text, mod = text.replace(" or so ", " "), "APPROX"
    for cue, cue_mod in MOD_SUFFIXES:
        if text.endswith(" " + cue):
            text, mod = text[: -len(cue) - 1].strip(), cue_mod
    for cue, cue_mod in MOD_PREFIXES:
        if text.startswith((cue + " ", cue + "-")):
            rest = text[len(cue) :].lstrip(" -")
            # "early" alone is FUTURE/PAST wording, "some time" is not a mod
            if "half" in cue and re.fullmatch(r"\d{4}|(?:this|last|next|the) year", rest):
                continue  # "the last half of 1989" is the half year 1989-H2
            if rest and not (cue == "some" and rest.split()[0] in ("time", "day", "point")):
                return rest, cue_mod if mod is None else mod
    return text, mod


class _Context:
    """What relative values resolve against: the DCT, the clause's tense, the quarter in focus."""

    def __init__(self, dct: dt.date | None, tense: str | None, focus_quarter: tuple[int, int] | None):
        self.dct = dct
        self.tense = tense
        self.focus_quarter = focus_quarter
        self.quarter_context = False
        self.after_amount = False


def normalise(
    text: str,
    *,
    dct: dt.date | None,
    tense: str | None = None,
    focus_quarter: tuple[int, int] | None = None,
    quarter_context: bool = False,
    after_amount: bool = False,
) -> Timex | None:
    """Normalise one time expression.

    Args:
        text: The expression as written (``"last week"``, ``"more than two decades"``).
        dct: Document creation time (publication date); None leaves relative values unresolved.
        tense: ``"past"``, ``"present"`` or ``"future"``: the tense of the clause holding
            the expression (decides which Monday "on Monday" is).
        focus_quarter: ``(year, quarter)`` of the fiscal quarter the text reports on, if any
            ("a year earlier" in an earnings report means that quarter a year before).
        quarter_context: The text talks about fiscal quarters.
        after_amount: The expression follows an amount ("15 a year"), which makes ``a year`` a SET.

    Returns:
        A :class:`Timex`, or None when the words are not a time expression newskit knows.

    Examples:
        >>> normalise("last week", dct=dt.date(2013, 3, 20)).value
        '2013-W11'
        >>> t = normalise("more than two decades", dct=None)
        >>> (t.type, t.value, t.mod)
        ('DURATION', 'P20Y', 'MORE_THAN')
    """
    found = _normalise(text, dct, tense, focus_quarter, quarter_context, after_amount)
    # a copy: callers complete the value in place ("the morning" takes the day last named)
    return None if found is None else replace(found)


#: An article normalises the same words several times (its NER entity while re-cutting it, then
#: in context) and news of one day repeats "Monday", "last week": the rules run once per reading.
@functools.lru_cache(maxsize=8192)
def _normalise(
    text: str,
    dct: dt.date | None,
    tense: str | None,
    focus_quarter: tuple[int, int] | None,
    quarter_context: bool,
    after_amount: bool,
) -> Timex | None:
    """:func:`normalise` without the copy (its result is shared: never change it)."""
    clean = _clean(text)
    if not clean:
        return None
    core, mod = _strip_mod(clean)
    coming = re.match(rf"(?:this|the) coming (?={_WEEKDAY}|{_MONTH}\s)", core)
    if coming:  # "this coming Sunday, March eighth": the next one
        core, tense = core[coming.end() :], FUTURE
    core = _ORDINAL_DAY.sub(lambda m: f"{m[1]} {ORDINALS[m[2]]}", core)
    ctx = _Context(dct, tense, focus_quarter)
    ctx.quarter_context = quarter_context
    ctx.after_amount = after_amount
    for rule in _RULES:
        found = rule(core, ctx)
        if found is not None:
            if mod and found.mod is None:
                found.mod = mod
            return found
    if core != clean:  # the mod word was part of a name ("Early Bird"): try the whole
        for rule in _RULES:
            found = rule(clean, ctx)
            if found is not None:
                return found
    return None


def _x(dct: dt.date | None, value: str, placeholder: str) -> str:
    return value if dct is not None else placeholder


def _ref(core: str, ctx: _Context) -> Timex | None:
    present = r"now|right now|just now|currently|current|presently|at present|at the moment|these days|nowadays|today's|the present|present|this time|the moment|at this point"
    past = r"recently|recent|more recently|lately|previously|formerly|earlier|once|the past|in the past|past|in recent years|recent years|past years|the old days|then current|then-current|the time|that time|at the time|the other day|one time|so far|yet|already|ago|long ago|years ago|some time ago|some years ago|several years ago|a while ago|a few years ago|before"
    future = r"the future|future|in the future|the near future|soon|shortly|the near term|the short term|the long term|the long run|the coming months|coming months|coming years|the coming years|later|eventually|a later date|some day|someday|as soon as possible|the years ahead|future quarters|coming quarters|from time to time|next"
    if re.fullmatch(present, core):
        return Timex("DATE", "PRESENT_REF")
    if re.fullmatch(past, core):
        return Timex("DATE", "PAST_REF")
    if re.fullmatch(future, core):
        return Timex("DATE", "FUTURE_REF")
    return None


def _sets(core: str, ctx: _Context) -> Timex | None:
    adverbs = {
        "daily": "P1D", "nightly": "P1D", "hourly": "PT1H", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
        "annually": "P1Y", "annual": "P1Y", "yearly": "P1Y", "biweekly": "P2W", "semiannually": "P6M",
        "twice a year": "P1Y", "twice a week": "P1W", "twice a month": "P1M", "twice a day": "P1D",
    }  # fmt: skip
    if core in adverbs:
        return Timex("SET", adverbs[core])
    match = re.fullmatch(rf"(?:every|each|per|a)\s+(?:other\s+)?(?:(?P<n>\w+)\s+)?{_UNIT}", core)
    if match and core.startswith("a ") and not ctx.after_amount:
        match = None  # "a year" is a duration unless it follows an amount ("15 a year")
    if match and (match["n"] is None or parse_number(match["n"]) is not None):
        unit, time_unit, mult = UNIT_WORDS[match["unit"].rstrip("s")]
        if unit == "WE":
            return Timex("SET", "XXXX-WXX-WE")
        n = (parse_number(match["n"]) if match["n"] else 1) * mult
        return Timex("SET", f"P{'T' if time_unit else ''}{_fmt_number(n)}{unit}")
    match = re.fullmatch(rf"(?:every|each)\s+{_WEEKDAY}(?:\s+{_PART})?", core)
    if match:
        day = WEEKDAYS[
            re.sub(r"s?\.?$", "", match["weekday"]) if match["weekday"] not in WEEKDAYS else match["weekday"]
        ]
        part = f"T{PARTS_OF_DAY[match['part']]}" if match["part"] else ""
        return Timex("SET", f"XXXX-WXX-{day}{part}")
    match = re.fullmatch(rf"(?:every|each)\s+{_MONTH}", core)
    if match:
        return Timex("SET", f"XXXX-{MONTHS[match['month'].rstrip('.')]:02d}")
    match = re.fullmatch(r"(?:every|each)\s+(?P<season>spring|summer|fall|autumn|winter)", core)
    if match:
        return Timex("SET", f"XXXX-{SEASONS[match['season']]}")
    match = re.fullmatch(rf"{_WEEKDAY}\s+{_PART}s", core)  # "Tuesday nights": every Tuesday night
    if match:
        day = WEEKDAYS.get(match["weekday"].rstrip("."))
        if day:
            return Timex("SET", f"XXXX-WXX-{day}T{PARTS_OF_DAY[match['part']]}")
    return None


def _weekday_value(name: str, ctx: _Context) -> tuple[str, dt.date | None]:
    key = name.rstrip(".")
    if key not in WEEKDAYS:
        key = key[:-1] if key.endswith("s") else key
    weekday = WEEKDAYS.get(key) or WEEKDAYS[key[:3]]
    if ctx.dct is None:
        return f"XXXX-WXX-{weekday}", None
    day = _weekday_near(ctx.dct, weekday, ctx.tense)
    return day.isoformat(), day


def _clock(core: str) -> str | None:
    """``5 p.m.`` → ``17:00``; ``noon`` → ``12:00``; ``midnight`` → ``24:00``."""
    if core in ("noon", "midday"):
        return "12:00"
    if core == "midnight":
        return "24:00"
    match = re.fullmatch(
        r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?|o'clock|gmt|utc|[a-z]{2,3}t)?(?:\s+(?:[a-z]{2,3}t|gmt|utc|local time))?",
        core,
    )
    if not match or not (match[2] or match[3]):
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    suffix = (match[3] or "").replace(".", "").replace(" ", "")
    if suffix == "pm" and hour < 12:
        hour += 12
    if suffix == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    zulu = "Z" if re.search(r"\b(?:utc|gmt)$", core) else ""
    return f"{hour:02d}:{minute:02d}{zulu}"


def _time_of_day(core: str, ctx: _Context) -> Timex | None:
    # clock time, optionally with a day: "5 p.m. EST Nov. 9", "9 a.m. Tuesday", "Friday at 3 p.m."
    words = re.sub(r"^(?:at|on)\s+", "", core).replace(",", " ").split()
    for cut in range(len(words), 0, -1):
        clock = _clock(" ".join(words[:cut]))
        if clock is not None:
            rest = re.sub(r"^(?:on|of)\s+", "", " ".join(words[cut:]))
            day_value = _day_value(rest, ctx) if rest else _day_value("today", ctx)
            if day_value is not None:
                return Timex("TIME", f"{day_value}T{clock}", anchored=True)
        clock = _clock(" ".join(words[len(words) - cut :]))
        if clock is not None and cut < len(words):
            rest = re.sub(r"\s+at$", "", " ".join(words[: len(words) - cut]))
            day_value = _day_value(rest, ctx)
            if day_value is not None:
                return Timex("TIME", f"{day_value}T{clock}", anchored=True)
    clock = _clock_of_part(core)
    if clock is not None:  # "at 4 in the morning", "10 at night": a clock time on the day in view
        return Timex("TIME", f"{_day_value('today', ctx)}T{clock}", anchored=True)
    # part of a day: "this morning", "Friday evening", "late yesterday afternoon", "last night", "tonight"
    match = re.fullmatch(r"(?:early|late|mid)[\s-]?(?P<part>morning|afternoon|evening)", core)
    if match:  # "by mid afternoon": a part of the publication day
        return Timex("TIME", f"{_day_value('today', ctx)}T{PARTS_OF_DAY[match['part']]}", anchored=True)
    if core in ("tonight", "overnight"):
        day_value = _day_value("today", ctx)
        return Timex("TIME", f"{day_value}TNI", anchored=True)
    match = re.fullmatch(rf"(?P<day>.+?)\s+(?:in the\s+)?{_PART}", core) or re.fullmatch(
        rf"(?:the\s+|early\s+|late\s+)?{_PART}\s+(?:of\s+)?(?P<day2>.+)", core
    )
    if match:
        groups = match.groupdict()
        day_text = groups.get("day") or groups.get("day2")
        part = groups.get("part")
        if part is None:
            return None
        if day_text == "last" and part == "night":
            day_value = _day_value("yesterday", ctx)
        elif day_text in ("this", "that", "the", "early this", "later this", "in the"):
            day_value = _day_value("today", ctx)
        else:
            day_value = _day_value(day_text, ctx) if day_text else None
        if day_value is not None:
            return Timex("TIME", f"{day_value}T{PARTS_OF_DAY[part]}", anchored=True)
    return None


_HOUR_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
#: An hour told by the part of the day it falls in: ``4 in the morning``, ``ten at night``.
_CLOCK_OF_PART = re.compile(
    rf"(?:at\s+)?(?P<hour>\d{{1,2}}|{'|'.join(_HOUR_WORDS)})(?::(?P<minute>\d\d))?(?:\s+o'clock)?\s+"
    r"(?:in\s+the\s+(?P<part>morning|afternoon|evening)|at\s+(?P<night>night))"
)


def _clock_of_part(core: str) -> str | None:
    """``4 in the morning`` → ``04:00``, ``3:30 in the afternoon`` → ``15:30``, ``11 at night`` → ``23:00``."""
    match = _CLOCK_OF_PART.fullmatch(core)
    if match is None:
        return None
    hour = int(match["hour"]) if match["hour"].isdigit() else _HOUR_WORDS.index(match["hour"]) + 1
    if not 1 <= hour <= 12:
        return None
    later = match["part"] in ("afternoon", "evening") or (match["night"] and hour >= 6)
    hour = hour % 12 + (12 if later else 0)  # "12 in the morning" is midnight; "2 at night" is 02:00
    return f"{hour:02d}:{match['minute'] or '00'}"


def _day_value(words: str, ctx: _Context) -> str | None:
    """A day named by ``words`` (``yesterday``, ``Friday``, ``Nov. 9``) as an ISO date or X-pattern."""
    words = words.strip()
    relative = {"yesterday": -1, "today": 0, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}
    if words in relative:
        if ctx.dct is None:
            return "XXXX-XX-XX"
        return (ctx.dct + dt.timedelta(days=relative[words])).isoformat()
    match = re.fullmatch(r"(?:the\s+)?day\s+(before|after)\s+(.+)", words)
    if match and match[2] not in ("yesterday", "tomorrow"):  # "the day before last Tuesday('s hearing)"
        day = _day_value(match[2], ctx)
        if day is None:
            holiday = _holiday(match[2], ctx)
            day = holiday.value if holiday is not None else None
        if day is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            return day
        return (dt.date.fromisoformat(day) + dt.timedelta(days=1 if match[1] == "after" else -1)).isoformat()
    match = re.fullmatch(rf"(?:the previous|the preceding|the prior)\s+{_WEEKDAY}", words)
    if match:  # "down 4.5% from the previous Friday": the one a week before the latest Friday
        value, day = _weekday_value(match["weekday"], _Context(ctx.dct, PAST, None))
        return (day - dt.timedelta(days=7)).isoformat() if day is not None else value
    match = re.fullmatch(rf"(?:last|this|next|on)?\s*{_WEEKDAY}", words)
    if match:
        day_name = match["weekday"]
        prefix = words.split()[0] if " " in words else ""
        saved = ctx.tense
        if prefix == "last":
            ctx.tense = "strict-past"
        elif prefix == "next":
            ctx.tense = FUTURE
        value, _ = _weekday_value(day_name, ctx)
        ctx.tense = saved
        return value
    found = _calendar_date(words, ctx)
    if (
        found is not None
        and found.type == "DATE"
        and found.value
        and re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", found.value)
    ):
        return found.value
    return None


def _calendar_date(core: str, ctx: _Context) -> Timex | None:
    """Absolute or partial calendar dates: ``Aug. 7, 1998``, ``July 1997``, ``1990``, ``Sept. 30``."""
    prefixed = re.match(r"(last|next|this|on)\s+(?=[a-z]{3}\.?\s+\d|\d)", core)
    if prefixed and prefixed[1] in ("last", "next"):
        # "last Oct. 23": the most recent (or, for "next", the coming) such day
        saved = ctx.tense
        ctx.tense = PAST if prefixed[1] == "last" else FUTURE
        found = _calendar_date(core[prefixed.end() :], ctx)
        ctx.tense = saved
        return found
    if prefixed:
        core = core[prefixed.end() :]
    match = re.fullmatch(
        rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}|{_MONTH.replace('month', 'month2')}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)(?:,?\s+{_YEAR})?",
        core,
    )
    if match:
        month = MONTHS[(match["month"] or match["month2"]).rstrip(".")]
        day = int(match["d1"] or match["d2"])
        if not 1 <= day <= 31:
            return None
        if match["year"]:
            try:
                return Timex("DATE", dt.date(int(match["year"]), month, day).isoformat())
            except ValueError:
                return None
        if ctx.dct is None:
            return Timex("DATE", f"XXXX-{month:02d}-{day:02d}", anchored=True)
        year = _year_for_month(ctx.dct, month, day, ctx.tense)
        try:
            return Timex("DATE", dt.date(year, month, day).isoformat(), anchored=True)
        except ValueError:
            return None
    match = re.fullmatch(
        r"(?P<y1>\d{4})-(?P<m1>\d{2})-(?P<d1>\d{2})|(?P<m2>\d{1,2})/(?P<d2>\d{1,2})/(?P<y2>\d{2,4})", core
    )
    if match:
        year = int(match["y1"] or match["y2"])
        year = year + (1900 if year >= 50 else 2000) if year < 100 else year
        try:
            day = dt.date(year, int(match["m1"] or match["m2"]), int(match["d1"] or match["d2"]))
        except ValueError:
            return None
        return Timex("DATE", day.isoformat())
    match = re.fullmatch(
        rf"(?:(?:last|this|next|in|of)\s+)?{_MONTH}(?:,?\s+(?:of\s+)?{_YEAR})?(?:\s+(?P<rel>this|last|next) year)?",
        core,
    )
    if match:
        month = MONTHS[match["month"].rstrip(".")]
        if match["year"]:
            return Timex("DATE", f"{match['year']}-{month:02d}")
        first = core.split()[0]
        if ctx.dct is None:
            return Timex("DATE", f"XXXX-{month:02d}", anchored=True)
        if match["rel"]:
            year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[match["rel"]]
        elif first == "last":
            year = ctx.dct.year if month < ctx.dct.month else ctx.dct.year - 1
        elif first == "next":
            year = ctx.dct.year if month > ctx.dct.month else ctx.dct.year + 1
        elif first == "this":
            year = ctx.dct.year
        else:
            year = _year_for_month(ctx.dct, month, None, ctx.tense)
        return Timex("DATE", f"{year}-{month:02d}", anchored=True)
    match = re.fullmatch(rf"(?:(?:fiscal|calendar|fy|the year|model year|in)\s+)?(?:'|fy)?{_YEAR}", core)
    if match:
        return Timex("DATE", match["year"])
    match = re.fullmatch(
        r"(?:in\s+)?(?P<c>nineteen|twenty)\s+(?:hundred\s+(?:and\s+)?)?(?P<rest>[a-z]+(?:[\s-][a-z]+)?)", core
    )
    if match:
        rest = parse_number(match["rest"])
        if rest is not None and 0 < rest < 100 and float(rest).is_integer():
            return Timex("DATE", f"{19 if match['c'] == 'nineteen' else 20}{int(rest):02d}")
    match = re.fullmatch(r"(?:the\s+year\s+)?two thousand(?:\s+(?:and\s+)?(?P<rest>[a-z]+(?:[\s-][a-z]+)?))?", core)
    if match and (match["rest"] is None or core.startswith("the year") or parse_number(match["rest"]) is not None):
        rest = parse_number(match["rest"]) if match["rest"] else 0
        if rest is not None and 0 <= rest < 100:
            return Timex("DATE", f"20{int(rest):02d}")
    match = re.fullmatch(r"(?:fiscal|fy)\s*'?(?P<yy>\d{2})", core)
    if match:
        yy = int(match["yy"])
        return Timex("DATE", str(1900 + yy if yy >= 50 else 2000 + yy))
    # a month or season with a spoken year: "January nineteen ninety-seven", "the winter of nineteen ninety-four"
    match = re.fullmatch(
        rf"(?:the\s+)?(?:(?P<season>spring|summer|fall|autumn|winter)|{_MONTH}),?\s+(?:of\s+)?(?P<rest>(?:nineteen|two thousand)\b.*)",
        core,
    )
    if match:
        year = _calendar_date(match["rest"], ctx)
        if year is not None and year.value and re.fullmatch(r"\d{4}", year.value):
            if match["season"]:
                return Timex("DATE", f"{year.value}-{SEASONS[match['season']]}")
            return Timex("DATE", f"{year.value}-{MONTHS[match['month'].rstrip('.')]:02d}")
    return None


def _decade_century(core: str, ctx: _Context) -> Timex | None:
    match = re.fullmatch(r"(?:the\s+)?(?:(?P<c>1\d|20)(?P<d>\d)0|'(?P<yy>\d)0)['’]?s", core)
    if match:
        if match["yy"]:
            return Timex("DATE", f"19{match['yy']}X")
        if match["d"] == "0" and match["c"] != "20":
            return Timex("DATE", f"{match['c']}XX")  # "the 1800s": the century (TIMEX3 `18XX`)
        return Timex("DATE", f"{match['c']}{match['d']}X")  # "the 1990s" `199X`; "the 2000s" the decade `200X`
    nineties = {
        "twenties": 2,
        "thirties": 3,
        "forties": 4,
        "fifties": 5,
        "sixties": 6,
        "seventies": 7,
        "eighties": 8,
        "nineties": 9,
    }
    match = re.fullmatch(
        r"(?:the\s+)?(?:nineteen[\s-])?(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)",
        core,
    )
    if match:
        return Timex("DATE", f"19{nineties[match['w']]}X")
    match = re.fullmatch(r"(?:the\s+)?(?:(?P<h>first|second|last)\s+half\s+of\s+the\s+)'?(?P<yy>\d)0'?s", core)
    if match:
        return Timex("DATE", f"19{match['yy']}X", mod="START" if match["h"] == "first" else "END")
    match = re.fullmatch(
        r"(?:the\s+|a\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)\s+century|(?:the\s+)?(?P<w>\w+(?:-\w+)?)\s+century", core
    )
    if match:
        n = int(match["n"]) if match["n"] else ORDINALS.get(match["w"]) if match["w"] not in ("last", "final") else None
        if match["w"] in ("this", "the", "current"):
            if ctx.dct is None:
                return Timex("DATE", "XX", anchored=True)
            return Timex("DATE", f"{ctx.dct.year // 100:02d}", anchored=True)
        if match["w"] in ("last", "past", "previous"):
            if ctx.dct is None:
                return Timex("DATE", "XX", anchored=True)
            return Timex("DATE", f"{ctx.dct.year // 100 - 1:02d}", anchored=True)
        if n and n > 0:
            return Timex("DATE", f"{n - 1:02d}")
    if re.fullmatch(r"(?:the\s+)?past decade", core):
        return Timex("DURATION", "P10Y")  # "in the past decade": the ten years up to now
    match = re.fullmatch(r"(?:this|the current|the last|last) decade", core)
    if match:
        if ctx.dct is None:
            return Timex("DATE", "XXX", anchored=True)
        offset = -1 if "last" in core else 0
        return Timex("DATE", f"{ctx.dct.year // 10 + offset}", anchored=True)
    return None


def _relative_calendar(core: str, ctx: _Context) -> Timex | None:
    """``last year``, ``this week``, ``next month``, ``the third quarter``, ``last fall``, ``yesterday`` …"""
    dct = ctx.dct
    day = _day_value(core, ctx)
    if day is not None:
        anchored = not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) or dct is not None
        if re.search(r"\d{4}-\d{2}-\d{2}|X", day):
            return Timex("DATE", day, anchored=anchored)
    shift = {
        "last": -1,
        "past": -1,
        "previous": -1,
        "this": 0,
        "the current": 0,
        "current": 0,
        "next": 1,
        "coming": 1,
        "the coming": 1,
        "the following": 1,
        "the next": 1,
        "the past": -1,
        "the last": -1,
        "the": 0,
        "that": 0,
        "the same": 0,
        "this past": -1,
    }
    match = re.fullmatch(
        r"(?P<rel>last|past|previous|this|the current|current|next|the coming|coming|the following|the next|the past|the last|this past|the|that|the same|the latest|latest|the most recent|the recent)\s+(?:fiscal\s+)?(?P<unit>year|month|week|weekend|quarter|period|season|spring|summer|fall|autumn|winter|half)",
        core,
    )
    if match:
        rel, unit = match["rel"], match["unit"]
        if rel in ("the latest", "latest", "the most recent", "the recent") or (
            unit == "period" and rel in ("the", "this")
        ):
            if unit in ("quarter", "period"):
                return _quarter_value(ctx, None, latest=True)
            return None
        if unit == "period":
            return None
        delta = shift[rel]
        if unit == "year":
            if rel == "the" and not ctx.quarter_context:
                return Timex("DATE", _x(dct, str(dct.year) if dct else "", "XXXX"), anchored=True)
            if rel in ("the", "that", "the same"):
                return Timex("DATE", _x(dct, str(dct.year) if dct else "", "XXXX"), anchored=True)
            return Timex("DATE", _x(dct, str(dct.year + delta) if dct else "", "XXXX"), anchored=True)
        if unit == "month":
            if dct is None:
                return Timex("DATE", "XXXX-XX", anchored=True)
            year, month = _shift_months(dct.year, dct.month, delta)
            return Timex("DATE", f"{year}-{month:02d}", anchored=True)
        if unit in ("week", "weekend"):
            suffix = "-WE" if unit == "weekend" else ""
            if dct is None:
                return Timex("DATE", f"XXXX-WXX{suffix}", anchored=True)
            if unit == "weekend" and rel in ("the", "that") and ctx.tense == PAST and dct.isoweekday() < 6:
                delta = (
                    -1
                )  # "over the weekend" said on a weekday: the one just gone ("this weekend" keeps the DCT's week)
            return Timex("DATE", _iso_week(dct + dt.timedelta(weeks=delta)) + suffix, anchored=True)
        if unit == "quarter":
            if rel in ("the", "that", "the same"):
                return _quarter_value(ctx, None, latest=True)
            if dct is None:
                return Timex("DATE", "XXXX-QX", anchored=True)
            year, quarter = _shift_quarter(dct.year, _quarter(dct), delta)
            return Timex("DATE", f"{year}-Q{quarter}", anchored=True)
        if unit == "half":
            if dct is None:
                return Timex("DATE", "XXXX-HX", anchored=True)
            half = (dct.month - 1) // 6 + 1
            index = dct.year * 2 + half - 1 + delta
            return Timex("DATE", f"{index // 2}-H{index % 2 + 1}", anchored=True)
        if unit in SEASONS:
            return _season_value(ctx, SEASONS[unit], delta if rel not in ("the", "that") else None)
        return None
    match = re.fullmatch(
        r"(?:the\s+)?(?P<season>spring|summer|fall|autumn|winter)(?:\s+of\s+(?P<year>\d{4})|\s+(?P<year2>\d{4}))?", core
    )
    if match:
        year = match["year"] or match["year2"]
        if year:
            return Timex("DATE", f"{year}-{SEASONS[match['season']]}")
        return _season_value(ctx, SEASONS[match["season"]], None)
    match = re.fullmatch(
        r"(?:the\s+|its\s+|their\s+|a\s+)?(?:(?P<rel>last|this|next|this year's|last year's|next year's|fiscal|the fiscal|calendar)\s+)?(?:fiscal\s+|fiscal-)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)(?:[\s-]+(?:fiscal\s+)?)(?:quarter|qtr|period)(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<year>\d{4}))?",
        core,
    )
    if match is None:
        match = re.fullmatch(
            r"(?:fiscal\s+)?(?P<year>\d{4})(?:'s)?\s+(?P<ord>first|second|third|fourth)[\s-]+quarter(?P<rel>)", core
        )
    if match:
        quarter = ORDINALS[match["ord"]]
        if match["year"]:
            return Timex("DATE", f"{match['year']}-Q{quarter}")
        rel = (match["rel"] or "").replace(" year's", "")
        year_delta = {"last": -1, "next": 1, "this": 0}.get(rel)
        return _quarter_value(ctx, quarter, year_delta=year_delta)
    match = re.fullmatch(
        r"(?:the\s+)?(?:(?P<rel>last|this|next)\s+year's\s+)?(?P<ord>first|second|1st|2nd|last|latter)\s+half(?:\s+of\s+(?:(?P<year>\d{4})|(?P<rel2>this|last|next) year|the year))?",
        core,
    )
    if match:
        half = 1 if match["ord"] in ("first", "1st") else 2
        if match["year"]:
            return Timex("DATE", f"{match['year']}-H{half}")
        if dct is None:
            return Timex("DATE", f"XXXX-H{half}", anchored=True)
        year = dct.year + {"last": -1, "next": 1, "this": 0, None: 0}[match["rel"] or match["rel2"]]
        return Timex("DATE", f"{year}-H{half}", anchored=True)
    # "year-ago", "a year earlier", "the year-ago quarter", "the year-earlier period": comparisons a year back
    if re.fullmatch(
        r"(?:the\s+|a\s+)?(?:comparable\s+|same\s+)?(?:year[- ]ago|year[- ]earlier|a year (?:ago|earlier|before)|the year before|the previous year|the prior year|the prior-year|prior-year|the corresponding period(?: (?:a|last) year)?|the same period(?: (?:a|last) year)?|last year's (?:quarter|period))(?:\s+(?:quarter|period|third quarter|fourth quarter|second quarter|first quarter|level|results))?",
        core,
    ):
        if ctx.quarter_context or "quarter" in core:
            base = ctx.focus_quarter or (_latest_quarter(dct) if dct else None)
            if base is None:
                return Timex("DATE", "XXXX-QX", anchored=True)
            return Timex("DATE", f"{base[0] - 1}-Q{base[1]}", anchored=True)
        return Timex("DATE", _x(dct, str(dct.year - 1) if dct else "", "XXXX"), anchored=True)
    # "two years ago", "three weeks earlier", "a decade ago"
    match = re.fullmatch(
        rf"(?P<n>{_NUM}|few|several|many|some)\s+(?:more\s+)?{_UNIT}\s+(?P<dir>ago|earlier|before|back|later|from now|hence|since)",
        core,
    )
    if match:
        return _ago(match, ctx)
    # "earlier this year/month/week", "later this year"
    match = re.fullmatch(r"(?P<cue>earlier|later|early|late)\s+(?P<rest>.+)", core)
    if match:
        inner = _relative_calendar(match["rest"], ctx)
        if inner is not None:
            inner.mod = "START" if match["cue"].startswith("earl") else "END"
            return inner
    match = re.fullmatch(r"(?:earlier|later)\s+in\s+the\s+(?P<unit>year|month|week|day)", core)
    if match:
        return _relative_calendar(("today" if match["unit"] == "day" else "this " + match["unit"]), ctx)
    match = re.fullmatch(r"year[- ]end|year's end|the end of the year|the year's end|the turn of the year", core)
    if match:
        return Timex("DATE", _x(dct, str(dct.year) if dct else "", "XXXX"), mod="END", anchored=True)
    return None


def _latest_quarter(dct: dt.date) -> tuple[int, int]:
    return _shift_quarter(dct.year, _quarter(dct), -1)


def _quarter_value(ctx: _Context, quarter: int | None, *, latest: bool = False, year_delta: int | None = None) -> Timex:
    dct = ctx.dct
    if dct is None:
        return Timex("DATE", f"XXXX-Q{quarter or 'X'}", anchored=True)
    if latest or quarter is None:
        year, q = ctx.focus_quarter or _latest_quarter(dct)
        return Timex("DATE", f"{year}-Q{q}", anchored=True)
    if year_delta is not None:
        return Timex("DATE", f"{dct.year + year_delta}-Q{quarter}", anchored=True)
    if ctx.focus_quarter and ctx.focus_quarter[1] == quarter:
        return Timex("DATE", f"{ctx.focus_quarter[0]}-Q{quarter}", anchored=True)
    year = dct.year
    if quarter > _quarter(dct) and ctx.tense == PAST:
        year -= 1
    return Timex("DATE", f"{year}-Q{quarter}", anchored=True)


def _season_value(ctx: _Context, season: str, delta: int | None) -> Timex:
    dct = ctx.dct
    if dct is None:
        return Timex("DATE", f"XXXX-{season}", anchored=True)
    first, _ = SEASON_MONTHS[season]
    year = dct.year
    if delta is not None and delta != 0:
        # "last fall": the most recent such season that has begun before the DCT
        year = (
            dct.year
            if (first <= dct.month and delta < 0)
            else dct.year - 1
            if delta < 0
            else dct.year + (first <= dct.month)
        )
    elif ctx.tense == PAST and first > dct.month:
        year -= 1
    return Timex("DATE", f"{year}-{season}", anchored=True)


def _ago(match: re.Match, ctx: _Context) -> Timex:
    dct = ctx.dct
    unit, _, mult = UNIT_WORDS[match["unit"].rstrip("s").replace("centurie", "century")]
    n = parse_number(match["n"]) if match["n"] not in ("few", "several", "many", "some") else None
    sign = 1 if match["dir"] in ("later", "from now", "hence") else -1
    if n is None or dct is None:
        if n is None and match["dir"] in ("ago", "earlier", "before", "back"):
            return Timex("DATE", "PAST_REF", anchored=True)
        if n is None:
            return Timex("DATE", "FUTURE_REF", anchored=True)
        pattern = {"Y": "XXXX", "M": "XXXX-XX", "W": "XXXX-WXX", "D": "XXXX-XX-XX"}.get(unit, "XXXX-XX-XX")
        return Timex("DATE", pattern, anchored=True)
    amount = n * mult * sign
    if unit == "Y":
        return Timex("DATE", str(dct.year + int(amount)), anchored=True)
    if unit == "M":
        year, month = _shift_months(dct.year, dct.month, int(amount))
        return Timex("DATE", f"{year}-{month:02d}", anchored=True)
    if unit == "Q":
        year, quarter = _shift_quarter(dct.year, _quarter(dct), int(amount))
        return Timex("DATE", f"{year}-Q{quarter}", anchored=True)
    if unit == "W":
        return Timex("DATE", _iso_week(dct + dt.timedelta(weeks=amount)), anchored=True)
    if unit in ("D", "WE"):
        return Timex("DATE", (dct + dt.timedelta(days=int(amount))).isoformat(), anchored=True)
    return Timex("TIME", dct.isoformat() + "TXX:XX", anchored=True)  # hours/minutes ago: the DCT day


def _duration(core: str, ctx: _Context) -> Timex | None:
    """``two days``, ``the past 20 years``, ``a year and a half``, ``five-hour``, ``years``, ``the first nine months``."""
    match = re.fullmatch(
        r"(?:in\s+)?(?:the\s+)?(?:recent|coming|next few|past few|last few)\s+(?P<unit>days|weeks|months|hours|quarters)|(?:the\s+)?(?P<unit2>days|weeks|months) ahead",
        core,
    )
    if match:
        unit, time_unit, _ = UNIT_WORDS[(match["unit"] or match["unit2"]).rstrip("s")]
        return Timex("DURATION", f"P{'T' if time_unit else ''}X{unit}")
    lasting = re.fullmatch(rf"{_UNIT}-long", core)
    if lasting:  # "a day-long meeting" lasts one day, "a years-long dispute" some years
        unit, time_unit, mult = UNIT_WORDS[lasting["unit"].replace("centurie", "century")]
        prefix = "PT" if time_unit else "P"
        if not lasting.group(0).split("-")[0].endswith("s"):
            return Timex("DURATION", f"{prefix}{mult}{unit}")
        return Timex("DURATION", "PXY" if mult == 10 else "PXC" if mult == 100 else f"{prefix}X{unit}")
    core = re.sub(r"^(?:for|over|during|in|of)\s+", "", core)
    core = re.sub(r"\s+(?:long|later|straight|running|in a row|old)$", "", core)
    core = re.sub(
        r"^(?:the|a|an|its|their|his|her)\s+(?=(?:past|last|next|first|coming|previous|final|following|preceding|entire|whole|full|same|initial)\s)",
        "",
        core,
    )
    core = re.sub(
        r"^(?:past|last|next|first|coming|previous|final|following|preceding|entire|whole|full|initial|more|additional|further|other)\s+",
        "",
        core,
    )
    core = re.sub(r"^(?:the|its|their|his|her)\s+(?=\S+\s+\S)", "", core)
    core = re.sub(r"\s+(?:more|additional|straight|consecutive)\s+", " ", core)
    core = core.replace("-", " ")
    match = re.fullmatch(
        rf"(?P<n>{_NUM}|few|several|many|some|a few|the|a couple of|couple of|numerous|the past|a number of)?\s*(?:more\s+|consecutive\s+|straight\s+|full\s+|long\s+|trading\s+|business\s+|working\s+|calendar\s+|fiscal\s+)?{_UNIT}(?:\s+and\s+(?:a\s+)?half)?(?:\s+(?:or\s+so|or\s+(?:two|three|more|longer|a\s+\w+|\w+\s+\w+s?)|period|term|stretch|span|run|old|long|window|time))?",
        core,
    )
    if not match:
        return None
    unit_word = match["unit"].replace("centurie", "century").replace("millennia", "millennium")
    unit, time_unit, mult = UNIT_WORDS[unit_word]
    n_text = (match["n"] or "").strip()
    if unit == "WE":
        return Timex("DURATION", "P2D") if n_text else None
    plural = match.group(0).split()[-1].endswith("s") or bool(re.search(rf"{unit_word}s\b", match.group(0)))
    if not n_text:
        if not plural:
            return None  # a bare "year" / "day" is not a duration
        n = None
    elif n_text in ("few", "several", "many", "some", "a few", "numerous", "the past", "a number of"):
        n = None
    elif n_text == "the":
        if not plural:
            return None
        n = None
    else:
        n = parse_number(n_text)
        if n is None or (re.fullmatch(r"\d{4}", n_text) and 1000 <= n <= 2100):
            return None
    if n is not None and re.search(r"and\s+(?:a\s+)?half", match.group(0)):
        n += 0.5
    prefix = "PT" if time_unit else "P"
    if n is None:
        if unit == "Y" and mult == 10:
            return Timex("DURATION", "PXY")  # TimeBank and MEANTIME write "decades(-long)" as PXY
        if unit == "Y" and mult == 100:
            return Timex("DURATION", "PXC")
        return Timex("DURATION", f"{prefix}X{unit}")
    amount = n * mult
    if unit == "Q":
        amount, unit = amount * 3, "M"
    mod = "APPROX" if "or so" in match.group(0) else None
    return Timex("DURATION", prefix + _duration_amount(amount, unit, time_unit=time_unit), mod=mod)


#: Unit → (next smaller unit, how many of it make one), to write fractions as whole numbers.
_SMALLER_UNIT = {("Y", False): ("M", 12), ("W", False): ("D", 7), ("D", False): ("TH", 24),
                 ("H", True): ("M", 60), ("M", True): ("S", 60)}  # fmt: skip


def _duration_amount(amount: float, unit: str, *, time_unit: bool) -> str:
    """``2.5`` years → ``2Y6M``; ``5.5`` hours → ``5H30M`` (TimeBank writes fractions in the next unit)."""
    whole = int(amount)
    smaller = _SMALLER_UNIT.get((unit, time_unit))
    rest = (amount - whole) * smaller[1] if smaller else None
    if float(amount).is_integer() or rest is None or not float(rest).is_integer():
        return f"{_fmt_number(amount)}{unit}"
    small_unit = smaller[0]
    if small_unit == "TH":  # days into hours: the T goes between the date and the time part
        return f"{whole}DT{int(rest)}H" if whole else f"T{int(rest)}H"
    return f"{whole}{unit}{int(rest)}{small_unit}" if whole else f"{int(rest)}{small_unit}"


def _holiday(core: str, ctx: _Context) -> Timex | None:
    match = re.fullmatch(r"(?:(?P<rel>last|this|next)\s+)?(?P<name>.+?)(?:\s+(?P<year>\d{4}))?", core)
    if not match:
        return None
    week = re.fullmatch(r"(?P<feast>easter|holy)\s+week", match["name"])
    rule = holidays().get(match["name"])
    easter_offset = 0 if week else easter_holidays().get(match["name"])
    if rule is None and easter_offset is None:
        return None
    year = int(match["year"]) if match["year"] else None
    if year is None:
        if ctx.dct is None:
            return Timex("DATE", "XXXX-WXX" if week else "XXXX-XX-XX", anchored=True)
        year = ctx.dct.year + {"last": -1, "next": 1}.get(match["rel"] or "", 0)
    if easter_offset is not None:
        day = easter_sunday(year) + dt.timedelta(days=easter_offset)
    elif len(rule) == 2:
        day = dt.date(year, rule[0], rule[1])
    else:
        month, weekday, nth, *from_day = rule
        first = dt.date(year, month, from_day[0] if from_day else 1)
        day = first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
    begins = day - dt.timedelta(days=6) if week else day
    if match["year"] is None and match["rel"] is None and ctx.dct is not None:
        # a holiday not yet come this year is last year's in a clause about the past, and one
        # already gone is next year's in a clause about the future
        if ctx.tense != FUTURE and begins > ctx.dct:
            return _holiday(f"last {match['name']}", ctx)
        if ctx.tense == FUTURE and day < ctx.dct:
            return _holiday(f"next {match['name']}", ctx)
    if week:  # "Easter week", "Holy Week": the week that ends on Easter Sunday
        return Timex("DATE", _iso_week(day), anchored=match["year"] is None)
    return Timex("DATE", day.isoformat(), anchored=match["year"] is None)


def _compound(core: str, ctx: _Context) -> Timex | None:
    """Last-resort readings: ``the 1988 period`` → 1988, ``the year`` → DCT year, ``the week`` …"""
    match = re.fullmatch(r"(?:the\s+)?(?P<year>\d{4})\s+(?P<what>period|quarter|season|year|fiscal year)", core)
    if match:
        if match["what"] in ("quarter", "period") and ctx.focus_quarter:
            return Timex("DATE", f"{match['year']}-Q{ctx.focus_quarter[1]}", anchored=True)
        return Timex("DATE", match["year"])
    match = re.fullmatch(r"(?:the\s+)?(?:full|entire|whole)\s+(?:fiscal\s+)?year", core)
    if match:
        return _relative_calendar("this year", ctx)
    match = re.fullmatch(r"(?:the\s+)?(?:fiscal\s+)?(?:year|fiscal year)\s+(?:ending|ended)\s+.+", core)
    if match:
        return None
    match = re.fullmatch(r"(?:the|this|that)\s+(?:fiscal\s+)?(?P<unit>year|week|month|day)", core)
    if match:
        unit = match["unit"]
        if unit == "day":
            return Timex("DATE", _day_value("today", ctx), anchored=True)
        return _relative_calendar("this " + unit, ctx)
    match = re.fullmatch(r"(?:the\s+)?(?:week|weekend)\s+of\s+(?P<rest>.+)", core)
    if match:
        inner = _calendar_date(match["rest"], ctx)
        if inner is not None and inner.value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", inner.value):
            return Timex("DATE", _iso_week(dt.date.fromisoformat(inner.value)), anchored=inner.anchored)
    match = re.fullmatch(r"(?P<a>.+?)\s+(?:of|in)\s+(?P<year>\d{4})", core)  # "the first nine months of 1997"
    if match:
        inner = _duration(match["a"], ctx)
        if inner is not None:
            return inner
    return None


_RULES = (
    _ref,
    _sets,
    _decade_century,
    _calendar_date,
    _time_of_day,
    _relative_calendar,
    _holiday,
    _compound,
    _duration,
)
