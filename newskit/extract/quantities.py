"""Extract `quantities` rows from a parsed Doc (see newskit.schema for the columns).

A quantity is an amount written in the text: a count (``approximately 50,000 individuals``),
money (``US$ 40 billion``), a percentage (``78 percent``) or a measure (``500km``).

Spans follow the MEANTIME (NewsReader) VALUE annotation: the span holds the modifier
(``around``, ``up to``, ``more than``, ``between``), the currency and the number, and units
that are written with the number (``%``, ``percent``, ``GB``, ``tonnes``, ``-inch``; see
``units.txt``), but never the counted noun (``50,000`` in ``50,000 individuals``).

Not quantities: dates, years and clock times (spaCy DATE/TIME entities and the rows of the
timexes step), ordinals (``third``), ``one of the ...``, the pronoun ``one`` (``no one``,
``the one``), phone numbers, street numbers (``200 block``) and numbers inside names
(``Boeing 747``, ``Flight 200``).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ._doc import facts, mention_spans, sentence_of
from ._doc import text as doc_text
from .numbers import SCALE_ABBREVIATIONS, currencies, is_number_word, modifiers, parse_amount, units, vague_amounts

__all__ = ["counted_phrase", "extract_quantities", "quantity_spans"]

# Entity labels whose numbers belong to a name or a date, not to an amount.
_NOT_AMOUNT_LABELS = {"DATE", "TIME", "ORDINAL", "FAC", "ORG", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART", "PERSON"}
_PHONE = re.compile(
    r"(?:\+?1[\s.-])?(?:\(\d{3}\)\s*|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\b1-8\d\d-[\dA-Z]{3}-?[\dA-Z]{4}\b"
)
# A figure with a scale or unit glued on: `15bn`, `500km`, `2GB`, `$15bn`.
_GLUED = re.compile(r"^(?:US\$|\$|£|€)?\d[\d,]*(?:\.\d+)?([A-Za-z]+|'')$")
_VAGUE_HEADS = {key[-2] if key[-1] == "of" else key[-1] for key in vague_amounts()} - {"a", "few", "several"}
# Nouns that only say "people": the counted thing is then the group they belong to
# (`the Serbian minority, consisting of 50,000 individuals`).
_GENERIC_COUNTED = {"individual", "people", "person", "member", "resident", "inhabitant", "soul"}
# Verbs relating a group to its size: `Albanians numbering around 1.8 million`.
_SIZE_VERBS = {"number", "consist", "total", "comprise", "include", "count", "reach"}
_CONNECTORS = {"to", "-", "–", "and", "or"}
# Words after which a figure is a label, not an amount (`No. 1`, `version 10.4`, `Flight 200`).
_DESIGNATION_WORDS = {
    "no.", "no", "number", "version", "model", "flight", "route", "highway", "interstate", "channel", "room",
    "apartment", "suite", "unit", "chapter", "section", "article", "page", "level", "phase", "grade", "class",
    "category", "series", "season", "episode", "gate", "platform", "lane", "exit", "box",
}  # fmt: skip
_MONTHS = {
    "jan", "jan.", "january", "feb", "feb.", "february", "mar", "mar.", "march", "apr", "apr.", "april", "may",
    "jun", "june", "jul", "july", "aug", "aug.", "august", "sep", "sept", "sept.", "september", "oct", "oct.",
    "october", "nov", "nov.", "november", "dec", "dec.", "december",
}  # fmt: skip
_SCALE_WORDS = {"bn", "mn", "mln", "tn", "trn"}
# Words before a figure that make it a count, not a model number (`all 51 carriers`, `another 20`).
_COUNT_WORDS = {
    "all",
    "some",
    "about",
    "around",
    "only",
    "just",
    "another",
    "additional",
    "other",
    "more",
    "first",
    "last",
}
_MAX_MODIFIER = max(len(k) for k in modifiers())


def _glued_unit(text: str) -> bool:
    match = _GLUED.match(text)
    if not match:
        return False
    suffix = match.group(1).lower()
    return suffix in SCALE_ABBREVIATIONS or (suffix,) in units()


def _is_core(token: Token) -> bool:
    """True when ``token`` is (part of) a written number."""
    # every token of every article is asked, and the answer depends on the word alone
    return _is_core_word(token.text, token.lower_, token.like_num)


@functools.lru_cache(maxsize=65536)
def _is_core_word(text: str, lower: str, like_num: bool) -> bool:
    if lower in ("no", "none"):
        return False
    if like_num or is_number_word(lower) or _glued_unit(text):
        return not lower.endswith(("th", "st", "nd", "rd")) or lower in ("thousand",)
    return lower in _VAGUE_HEADS


def _currency_before(doc: Doc, i: int, lower: int) -> int:
    """Index where a currency written before ``doc[i]`` starts (``i`` if none)."""
    for n in (2, 1):
        if i - n >= lower and tuple(t.lower_ for t in doc[i - n : i]) in currencies():
            key = tuple(t.lower_ for t in doc[i - n : i])
            if key[-1] in ("$", "£", "€", "¥", "#", "₹") or key[-1].endswith("$"):
                return i - n
    return i


def _modifier_before(doc: Doc, i: int, lower: int) -> int:
    for n in range(_MAX_MODIFIER, 0, -1):
        if i - n >= lower and tuple(t.lower_ for t in doc[i - n : i]) in modifiers():
            return i - n
    return i


def _single_end(doc: Doc, i: int, upper: int) -> int:
    """End (exclusive) of the number that starts at ``doc[i]`` (a core token)."""
    j = i + 1
    while j < upper and (
        _is_core(doc[j])
        or (doc[j].lower_.rstrip(".") in _SCALE_WORDS and doc[j - 1].like_num)
        or (
            doc[j].lower_ == "and"
            and j + 1 < upper
            and is_number_word(doc[j + 1].lower_)
            and doc[j - 1].lower_ == "hundred"
        )
        or (
            doc[j].text == "-"
            and j + 1 < upper
            and is_number_word(doc[j + 1].lower_)
            and is_number_word(doc[j - 1].lower_)
        )
    ):
        j += 1
    return j


def quantity_spans(doc: Doc) -> list[Span]:
    """Spans of the amounts written in ``doc``, in text order (no overlaps).

    Each span follows the MEANTIME extent rules described in the module docstring.
    """
    excluded = [(row["start"], row["end"]) for row in facts(doc, "timexes")]
    excluded += [m.span() for m in _PHONE.finditer(doc_text(doc))]
    excluded = _Excluded(excluded)
    spans: list[Span] = []
    for sent in doc.sents:
        i = sent.start
        while i < sent.end:
            token = doc[i]
            if not _is_core(token) or _skip(token, excluded):
                i += 1
                continue
            start, end = i, _single_end(doc, i, sent.end)
            # A range: `10 to 15`, `15-20`, `$ 12 million and $ 20 million` (after `between`).
            if end + 1 < sent.end and doc[end].lower_ in _CONNECTORS:
                k = _currency_before_next(doc, end + 1, sent.end)
                if k < sent.end and _is_core(doc[k]) and not _skip(doc[k], excluded):
                    is_between = doc[_extend_left(doc, start, sent.start)].lower_ == "between"
                    if doc[end].lower_ in ("to", "-", "–") or (doc[end].lower_ == "and" and is_between):
                        end = _single_end(doc, k, sent.end)
            end = _extend_right(doc, start, end, sent.end)
            start = _extend_left(doc, start, sent.start)
            if _looks_like_name_part(doc, i) or _is_designation(doc, i, end):
                i = end
                continue
            span = doc[start:end]
            if _is_pronoun_one(doc, start, end) or parse_amount(span.text) is None:
                i = end
                continue
            spans.append(span)
            i = end
    return spans


def _currency_before_next(doc: Doc, k: int, upper: int) -> int:
    """Skip a currency symbol before the second end of a range (`$ 12 million and $ 20 million`)."""
    for n in (2, 1):
        if k + n < upper and tuple(t.lower_ for t in doc[k : k + n]) in currencies():
            return k + n
    return k


class _Excluded:
    """Character spans no amount may overlap (timexes, phone numbers), sorted by start so a
    token is checked against the few spans near it, not every span of the article."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def near(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that can overlap ``[start, end)``: a span ending after ``start`` starts within
        the longest span's length before it."""
        first = bisect.bisect_right(self.starts, start - self.longest)
        return self.spans[first : bisect.bisect_left(self.starts, end)]


def _skip(token: Token, excluded: _Excluded) -> bool:
    if _age(token.doc, token.i):
        return False
    if token.ent_type_ in _NOT_AMOUNT_LABELS and not _counts_things(token):
        return True
    start, end = token.idx, token.idx + len(token)
    if any(s < end and start < e for s, e in excluded.near(start, end)):
        return True
    text = token.text
    # A bare year (`in 2008`) the entity recogniser missed.
    if re.fullmatch(r"(1[89]|20)\d\d", text) and token.dep_ != "nummod":
        return True
    if ":" in text or "/" in text:
        return True  # clock times, fractions of dates
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.lower_ in ("block", "th", "st", "nd", "rd"):
        return True
    # `3G`, `4S`: a figure glued to letters that are no unit is a name.
    return (
        nxt is not None
        and not token.whitespace_
        and nxt.is_alpha
        and nxt.lower_ not in _SCALE_WORDS
        and (nxt.lower_,) not in units()
    )


_TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "night", "weekend"}


def _counts_things(token: Token) -> bool:
    """`between 10 and 15 people` (which spaCy may label DATE): a number counting a plural noun that is no time unit."""
    head = token.head
    while head.dep_ in ("nummod", "quantmod", "conj", "cc") and head.like_num and head.head is not head:
        head = head.head
    return (
        token.ent_type_ == "DATE"
        and not re.fullmatch(r"(1[89]|20)\d\d", token.text)
        and head.tag_ == "NNS"
        and head.lemma_.lower() not in _TIME_UNITS
        and head.i > token.i
        and not any(t.lower_ in ("-", "year", "years") for t in token.doc[token.i + 1 : head.i])
    )


def _looks_like_name_part(doc: Doc, i: int) -> bool:
    """`Boeing 747`, `Flight 200`, `Trent 900`: a figure glued to a preceding proper name."""
    token = doc[i]
    if i == 0:
        return False
    prev = doc[i - 1]
    if prev.lower_ in ("number", "no.") or (prev.text == "." and i > 1 and doc[i - 2].lower_ == "no"):
        return True
    if not token.text[0].isdigit():
        return False
    if prev.whitespace_ == "" and prev.text in ("-", "'", "’"):
        return True  # `A330-200`, `iLife '11`
    if prev.lower_ in _DESIGNATION_WORDS:
        return True
    return prev.pos_ == "PROPN" and prev.ent_type_ not in ("MONEY", "DATE", "TIME") and prev.lower_ not in _MONTHS


def _is_designation(doc: Doc, i: int, end: int) -> bool:
    """`the 787 Dreamliner`, `five new 737 aircraft`, `the two companies`: a number naming, not counting.

    A figure (other than 1) that follows a determiner, possessive, adjective or another
    number and is itself followed by a singular noun, a preposition or punctuation names a
    model (`final 717 to AirTran`); a count is followed by a plural noun or a verb
    (`the 250 required`). A number word after `the` (`the two companies`) refers back to
    things already counted.
    """
    token = doc[i]
    if end > i + 1 and any(not t.like_num and not _is_core(t) for t in doc[i + 1 : end]):
        return False  # a unit or currency was taken in
    if i == 0:
        return False
    prev, nxt = doc[i - 1], doc[end] if end < len(doc) else None
    if token.text[:1].isdigit() and token.text not in ("1", "1.0") and "," not in token.text:
        after_modifier = prev.pos_ in ("DET", "ADJ", "NUM") or prev.tag_ in ("POS", "PRP$")
        if (
            after_modifier
            and prev.lower_ not in _COUNT_WORDS
            and (nxt is None or nxt.tag_ in ("NN", "NNP", "IN", ",", ".", ":", "-RRB-", "HYPH"))
        ):
            return True
    return not token.text[:1].isdigit() and prev.lower_ == "the" and (nxt is None or nxt.lower_ != "of")


def _age(doc: Doc, i: int) -> bool:
    """`aged 55`, `at the age of 56`, `Papermaster, 49,`: an age (MEANTIME counts it; spaCy calls it a DATE)."""
    token = doc[i]
    if not token.text.isdigit() or not 0 < int(token.text) < 120:
        return False
    before = [t.lower_ for t in doc[max(i - 2, 0) : i]]
    if before[-1:] == ["aged"] or before == ["age", "of"]:
        return True
    return (
        i >= 2 and doc[i - 1].text == "," and doc[i - 2].pos_ == "PROPN" and i + 1 < len(doc) and doc[i + 1].text == ","
    )


_PRONOUN_ONE_BEFORE = {"no", "the", "this", "that", "every", "any", "each", "which"}


def _is_pronoun_one(doc: Doc, start: int, end: int) -> bool:
    """`one of the`, `no one`, `the one`, `one another`: `one` that counts nothing."""
    if end - start != 1 or doc[start].lower_ != "one":
        return False
    nxt = doc[end].lower_ if end < len(doc) else ""
    prev = doc[start - 1].lower_ if start > 0 else ""
    return nxt in ("of", "another", "'s", "’s") or prev in _PRONOUN_ONE_BEFORE


def _extend_right(doc: Doc, start: int, end: int, upper: int) -> int:
    """Take in what MEANTIME keeps after the number: `of` after a vague amount, currency words, glued units."""
    if end < upper and doc[end].lower_ == "of" and doc[end - 1].lower_ in _VAGUE_HEADS:
        if end + 2 < upper and doc[end + 1].lower_ in ("thousands", "millions") and doc[end + 2].lower_ == "of":
            return end + 3  # `hundreds of thousands of`
        return end + 1
    for n in (3, 2, 1):
        key = tuple(t.lower_ for t in doc[end : min(end + n, upper)])
        if len(key) == n and key in currencies() and key[0] not in ("#", "$"):
            return end + n
    k = end + 1 if end + 1 < upper and doc[end].text == "-" and doc[end].whitespace_ == "" else end
    for n in (2, 1):
        key = tuple(t.lower_ for t in doc[k : min(k + n, upper)])
        if len(key) == n and key in units() and units()[key][2]:
            if key == ("m",) and doc[k - 1].whitespace_:
                continue  # a lone `m` after a space is seldom metres
            return k + n
    return end


def _extend_left(doc: Doc, start: int, lower: int) -> int:
    """Take in the currency, `a` (`a dozen`), the modifiers and `between` before the number."""
    start = _currency_before(doc, start, lower)
    if start > lower and doc[start - 1].lower_ in ("a", "an") and doc[start].lower_ in (
        "dozen", "score", "hundred", "thousand", "million", "billion", "couple", "few", "half",
    ):  # fmt: skip
        start -= 1
    previous = None
    while previous != start:
        previous = start
        start = _modifier_before(doc, start, lower)
        if start > lower and doc[start - 1].lower_ == "between":
            start -= 1
    return start


def counted_phrase(span: Span) -> tuple[Span | None, str | None]:
    """What the amount in ``span`` counts: (the phrase's head-noun span, readable text).

    ``ethnic Albanians numbering around 1.8 million`` → ``ethnic Albanians``;
    ``the Serbian minority, consisting of approximately 50,000 individuals`` →
    ``Serbian minority (individuals)``; ``thousands of pages`` → ``pages``.
    """
    doc = span.doc
    root = span.root
    noun = None
    if (
        root.dep_ in ("nummod", "quantmod", "amod", "compound")
        and root.head.pos_ in ("NOUN", "PROPN")
        and not (span.start <= root.head.i < span.end)
    ):
        noun = root.head
    elif (span.end < len(doc) and doc[span.end - 1].lower_ == "of") or (
        span.end < len(doc) and doc[span.end].lower_ == "of"
    ):
        of = doc[span.end - 1] if doc[span.end - 1].lower_ == "of" else doc[span.end]
        objects = [c for c in of.children if c.dep_ == "pobj"]
        noun = objects[0] if objects else None
    elif root.head.lemma_ in _SIZE_VERBS and root.dep_ in ("dobj", "npadvmod", "attr", "pobj"):
        verb = root.head
        if verb.dep_ in ("acl", "pcomp", "advcl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
            return _noun_phrase(verb.head), _noun_text(verb.head)
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")]
        if subjects:
            return _noun_phrase(subjects[0]), _noun_text(subjects[0])
    if noun is None:
        return None, None
    if noun.lemma_.lower() in _GENERIC_COUNTED:
        group = _group_of(noun)
        if group is not None:
            return _noun_phrase(group), f"{_noun_text(group)} ({noun.text})"
    return _noun_phrase(noun), _noun_text(noun)


def _group_of(noun: Token) -> Token | None:
    """The group a generic `individuals` belongs to (`minority, consisting of ... individuals`)."""
    head = noun.head
    if head.dep_ == "prep" and head.head.lemma_ in _SIZE_VERBS:
        verb = head.head
    elif head.lemma_ in _SIZE_VERBS:
        verb = head
    else:
        return None
    if verb.dep_ in ("acl", "relcl", "advcl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    return None


def _noun_phrase(noun: Token) -> Span:
    """The noun with its left modifiers (adjectives, compounds), without determiners or numbers."""
    left = noun.i
    for child in sorted(noun.lefts, key=lambda t: t.i, reverse=True):
        if child.i == left - 1 and child.dep_ in ("amod", "compound", "nmod") and not child.like_num:
            left = child.i
        else:
            break
    return noun.doc[left : noun.i + 1]


def _noun_text(noun: Token) -> str:
    return _noun_phrase(noun).text


def extract_quantities(doc: Doc) -> list[dict]:
    """Rows of the `quantities` table found in ``doc`` (without ``article_id``).

    ``counted`` is the noun the amount counts (see :func:`counted_phrase`), and
    ``entity_id`` the canonical entity whose mention overlaps that noun phrase.
    """
    mentions = list(mention_spans(doc))
    # Token index -> the first mention covering it: each lookup costs the phrase, not the article.
    covering: dict[int, int] = {}
    for k, mention in enumerate(mentions):
        for i in range(mention.start, mention.end):
            covering.setdefault(i, k)
    rows = []
    for span in quantity_spans(doc):
        amount = parse_amount(span.text)
        if amount is None:
            continue
        counted_span, counted = counted_phrase(span) if amount.kind == "COUNT" else (None, None)
        if amount.kind == "COUNT" and _age(doc, span.start) and span.end - span.start == 1:
            amount = replace(amount, unit="year", kind="QUANTITY")
            counted_span, counted = None, "age"
        entity_id = None
        if counted_span is not None:
            # The first mention (in mention order) sharing a token with the counted phrase.
            hits = [covering[i] for i in range(counted_span.start, counted_span.end) if i in covering]
            if hits:
                entity_id = mentions[min(hits)].kb_id_ or None
        rows.append(
            {
                "value": amount.value,
                "low": amount.low,
                "high": amount.high,
                "mod": amount.mod,
                "unit": amount.unit,
                "counted": counted,
                "entity_id": entity_id,
                "kind": amount.kind,
                "text": span.text,
                "start": span.start_char,
                "end": span.end_char,
                "sentence": sentence_of(doc, span.start_char),
            }
        )
    return rows
