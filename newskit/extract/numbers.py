"""Reading numbers as news writes them: ``three``, ``1.8 million``, ``$ 40 billion``, ``10 to 15``.

The quantities and casualties extractors both read amounts through :func:`parse_amount`,
so "a dozen" or "around 1.8 million" means the same thing in every table.

Conventions:
    * ``value`` is the number as reported; for a range (``10 to 15``, ``between 3 and 5``)
      it is the midpoint, with ``low``/``high`` the ends and ``mod`` ``RANGE``.
    * Modifiers (``about``, ``more than``, ``up to`` ...) give a TIMEX3-style ``mod``
      (lexicon ``quantity_modifiers.txt``) and open a bound: ``more than 50`` has
      ``low`` 50 and no ``high``; ``up to 60`` has ``high`` 60 and no ``low``.
    * Vague amounts (lexicon ``vague_amounts.txt``) take the smallest amount they can
      mean: ``dozens`` is ``low`` 24 (two dozen) with no ``high`` and mod ``EQUAL_OR_MORE``;
      ``several`` is at least 3; ``a few`` is 2 to 5. ``value`` is then the low bound.
    * Currencies become ISO codes (``$``, ``US$``, ``dollars`` → ``USD``), and units
      their short form (``per cent`` → ``percent``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .. import lexicons

__all__ = [
    "SCALE_ABBREVIATIONS",
    "Amount",
    "currencies",
    "is_number_word",
    "modifiers",
    "parse_amount",
    "read_lexicon",
    "units",
    "vague_amounts",
    "word_number",
]


_SMALL = {
    "zero": 0, "no": 0, "none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_MULTIPLIERS = {"hundred": 100, "dozen": 12, "score": 20}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
#: Abbreviated scales glued to or following a figure (`15bn`, `$ 3m`, `40k`).
SCALE_ABBREVIATIONS = {"bn": 1e9, "b": 1e9, "mn": 1e6, "m": 1e6, "mln": 1e6, "k": 1e3, "tn": 1e12, "trn": 1e12}
_FRACTIONS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3}

_TOKEN = re.compile(
    r"(?:US|USD|A|C|HK)\$|[$£€¥₹#]|\d+(?:,\d{3})*(?:\.\d+)?|\.\d+|''|[A-Za-z]+(?:-[A-Za-z]+)*\.?|%|\S", re.IGNORECASE
)
_FIGURE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")


@dataclass(frozen=True)
class Amount:
    """A parsed amount.

    Attributes:
        value: The number as reported (midpoint for a range, low bound for a vague amount).
        low: Lower bound; None when open (``up to 60``).
        high: Upper bound; None when open (``more than 50``, ``dozens``).
        mod: APPROX, MORE_THAN, LESS_THAN, EQUAL_OR_MORE, EQUAL_OR_LESS, RANGE, or None if exact.
        unit: ISO currency code or unit (``USD``, ``percent``, ``km``); None for a plain count.
        kind: MONEY, PERCENT, QUANTITY (a measure) or COUNT.
    """

    value: float
    low: float | None
    high: float | None
    mod: str | None = None
    unit: str | None = None
    kind: str = "COUNT"


def read_lexicon(name: str) -> list[list[str]]:
    """Rows of ``newskit/lexicons/<name>.txt`` as lists of fields (see :mod:`newskit.lexicons`)."""
    return [list(row) for row in lexicons.rows(name)]


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in _TOKEN.findall(phrase))


@functools.cache
def modifiers() -> dict[tuple[str, ...], str]:
    """Modifier phrase (as lowercase tokens) → mod, from ``quantity_modifiers.txt``."""
    return {_phrase_key(phrase): mod for phrase, mod in read_lexicon("quantity_modifiers")}


@functools.cache
def currencies() -> dict[tuple[str, ...], str]:
    """Currency symbol or word (as lowercase tokens) → ISO code, from ``currencies.txt``."""
    return {_phrase_key(surface): code for surface, code in read_lexicon("currencies")}


@functools.cache
def units() -> dict[tuple[str, ...], tuple[str, str, bool]]:
    """Unit surface (lowercase tokens) → (unit, kind, MEANTIME keeps it in the span)."""
    return {_phrase_key(s): (unit, kind, span == "in") for s, unit, kind, span in read_lexicon("units")}


@functools.cache
def vague_amounts() -> dict[tuple[str, ...], tuple[float, float | None, str]]:
    """Vague amount phrase (lowercase tokens) → (low, high or None, mod)."""
    return {
        _phrase_key(phrase): (float(low), float(high) if high else None, mod)
        for phrase, low, high, mod in read_lexicon("vague_amounts")
    }


def _longest(table: dict[tuple[str, ...], object], tokens: list[str], i: int) -> tuple[int, object]:
    """Longest key of ``table`` matching ``tokens[i:]``: (length, value) or (0, None)."""
    for n in range(min(5, len(tokens) - i), 0, -1):
        key = tuple(tokens[i : i + n])
        if key in table:
            return n, table[key]
    return 0, None


def is_number_word(word: str) -> bool:
    """True for a cardinal number word (``three``, ``twenty-one``, ``hundred``, ``million``, ``dozen``)."""
    parts = word.lower().split("-")
    return all(p in _SMALL or p in _MULTIPLIERS or p in _SCALES for p in parts) and word.lower() not in ("no", "none")


def word_number(words: list[str]) -> float | None:
    """Value of a run of number words (``one hundred and five``, ``twenty-one``, ``a million``).

    Returns None when the words are not a number.
    """
    total, current, seen = 0.0, 0.0, False
    parts = [p for w in words for p in w.lower().split("-") if p]
    for k, part in enumerate(parts):
        if part in ("a", "an") and k == 0:
            current = 1.0
        elif part == "and" and seen:
            continue
        elif part in _SMALL:
            current += _SMALL[part]
            seen = True
        elif part in _MULTIPLIERS:
            current = (current or 1.0) * _MULTIPLIERS[part]
            seen = True
        elif part in _SCALES:
            total += (current or 1.0) * _SCALES[part]
            current = 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def _figure(token: str) -> float | None:
    if _FIGURE.fullmatch(token):
        return float(token.replace(",", ""))
    return None


def _parse_single(tokens: list[str], i: int) -> tuple[int, float | None, str | None, tuple | None]:
    """Parse one amount at ``tokens[i]``: (tokens used, value, currency, vague bounds).

    Handles ``$ 40 billion``, ``US$ 7.2 bn``, ``1.8 million``, ``a dozen``, ``dozens of``,
    ``twenty-one``, ``half``, ``9.9 billion yuan``.
    """
    start = i
    currency = None
    n, code = _longest(currencies(), tokens, i)
    if n and tokens[i] not in ("dollar", "dollars", "euro", "euros", "pound", "pounds"):
        currency, i = code, i + n
    n, vague = _longest(vague_amounts(), tokens, i)
    if n:
        low, high, mod = vague
        return i + n - start, low, currency, (low, high, mod)
    value = None
    if i < len(tokens) and (figure := _figure(tokens[i])) is not None:
        value, i = figure, i + 1
        while i < len(tokens):
            scale = _SCALES.get(tokens[i]) or SCALE_ABBREVIATIONS.get(tokens[i].rstrip("."))
            if tokens[i] in ("m", "b") and currency is None:
                break  # `500 m` is metres, `$ 3 m` millions
            if scale is None and tokens[i] in _MULTIPLIERS:
                scale = _MULTIPLIERS[tokens[i]]
            if scale is None:
                break
            value, i = value * scale, i + 1
    else:
        j = i
        words = []
        while j < len(tokens) and (
            is_number_word(tokens[j])
            or (tokens[j] in ("a", "an") and j == i)
            or (tokens[j] == "and" and words and j + 1 < len(tokens) and is_number_word(tokens[j + 1]))
        ):
            words.append(tokens[j])
            j += 1
        if words and words[-1] not in ("a", "an"):
            value, i = word_number(words), j
        elif i < len(tokens) and tokens[i] in _FRACTIONS:
            value, i = _FRACTIONS[tokens[i]], i + 1
        elif i + 1 < len(tokens) and tokens[i] in ("a", "an") and tokens[i + 1] in _FRACTIONS:
            value, i = _FRACTIONS[tokens[i + 1]], i + 2
    if value is None:
        return 0, None, None, None
    if currency is None:
        n, code = _longest(currencies(), tokens, i)
        if n and not (tokens[i] in ("#", "$") or tokens[i].endswith("$")):
            currency, i = code, i + n
    return i - start, value, currency, None


def parse_amount(text: str) -> Amount | None:
    """Parse an amount phrase.

    Args:
        text: The phrase, e.g. ``around 1.8 million``, ``$ 40 billion``, ``between 3 and 5``,
            ``10 to 15``, ``15-20 %``, ``dozens``, ``a dozen``, ``approximately 50,000``.

    Returns:
        The :class:`Amount`, or None when ``text`` holds no amount. Words after the amount
        that are not a unit or currency are ignored (``50,000 individuals`` is 50,000).

    Examples:
        >>> parse_amount("around 1.8 million")
        Amount(value=1800000.0, low=1800000.0, high=1800000.0, mod='APPROX', unit=None, kind='COUNT')
        >>> parse_amount("US$ 40 billion").unit
        'USD'
        >>> parse_amount("between 3 and 5")
        Amount(value=4.0, low=3.0, high=5.0, mod='RANGE', unit=None, kind='COUNT')
        >>> parse_amount("dozens").high is None
        True
    """
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    i = 0
    mod = None
    between = False
    while i < len(tokens):
        if tokens[i] == "between":
            between, i = True, i + 1
            continue
        n, found = _longest(modifiers(), tokens, i)
        if not n or (found == "EQUAL" and tokens[i] == "all" and i + n >= len(tokens)):
            break
        mod, i = found, i + n
    n, value, currency, vague = _parse_single(tokens, i)
    if not n:
        return None
    i += n
    low = high = value
    second = None
    if (i + 1 < len(tokens) and tokens[i] in ("to", "-", "or", "–")) or (between and tokens[i : i + 1] == ["and"]):
        n2, value2, currency2, vague2 = _parse_single(tokens, i + 1)
        if n2 and value2 is not None and vague2 is None:
            second = value2
            currency = currency or currency2
            i += 1 + n2
    if second is not None:
        # `10 to 15 million`: the scale written once applies to both ends.
        if second >= 1000 and value < 1000 and value < second / 1000:
            for scale in (1e3, 1e6, 1e9, 1e12):
                if second % scale == 0 and value * scale <= second and second / scale < 1000:
                    value = value * scale
                    break
        low, high = min(value, second), max(value, second)
        value = (low + high) / 2
        mod = "RANGE" if mod is None or mod == "EQUAL" else mod
    if vague is not None:
        low, high, vague_mod = vague
        mod = mod or vague_mod
    unit, kind = None, "COUNT"
    if currency:
        unit, kind = currency, "MONEY"
    else:
        if i + 1 < len(tokens) and tokens[i] == "-":
            i += 1  # `3.5-inch`
        n, found = _longest(units(), tokens, i)
        if n:
            unit, kind, _ = found
    if mod in ("MORE_THAN", "EQUAL_OR_MORE"):
        high = None
    elif mod in ("LESS_THAN", "EQUAL_OR_LESS"):
        low = None
    if mod == "EQUAL":
        mod = None
    if currency == "cent":
        # `87.5 cents`: money in the main unit, the currency unknown (US cents most often).
        value, low, high = (None if v is None else v / 100 for v in (value, low, high))
        unit = "USD"
    return Amount(value=_tidy(value), low=_tidy(low), high=_tidy(high), mod=mod, unit=unit, kind=kind)


def _tidy(number: float | None) -> float | None:
    """Drop binary floating-point noise (`534.3 million` is 534300000.0, not 534299999.99999994)."""
    return None if number is None else float(f"{number:.12g}")
