"""Private helpers for :mod:`newskit.extract.attributions`: quotation marks, lexicons, span arithmetic.

Quotation marks are paired on the raw text, not on tokens, because a quote often spans several
sentences (and paragraphs) while the parser sees one sentence at a time.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .. import lexicons

#: Marks that usually open, usually close, or do either (decided by the characters around them).
#: PTB-style text (MEANTIME, TimeBank, NYT) writes `` ... '' or '' ... ''.
_OPENERS = frozenset({"“", "«", "„", "``"})
_CLOSERS = frozenset({"”", "»"})
_MARK = re.compile(r"``|''|[“”\"«»„]")
#: What may separate a bare `he said` clause from the quotation it reports.
_GAP = " \t\n,:;.—–-"
#: Longest `, she said, ` between two parts of one quotation (characters).
_MAX_INTERRUPTION = 250
_EDGE_PUNCT = ".,;:!?—–- \n\t"


@dataclass(frozen=True)
class Quote:
    """A quotation in the text.

    Attributes:
        start: Offset of the opening mark.
        end: Offset just after the closing mark.
        inner_start: Offset of the first quoted character.
        inner_end: Offset just after the last quoted character, trailing punctuation
            inside the marks (`dangerous.”`) excluded.
    """

    start: int
    end: int
    inner_start: int
    inner_end: int


class Quotes(list):
    """The quotations of a text in text order, indexed by offset.

    :func:`find_quotes` pairs marks left to right, so its quotations never overlap and both their
    starts and their ends increase: the helpers below bisect these instead of scanning every
    quotation of the article for each verb (which grew with the square of the article's length).
    A list that is not ordered so is still accepted (``indexed`` is then False, and the helpers
    scan it).
    """

    def __init__(self, quotes=()):
        super().__init__(quotes)
        self.starts = [q.start for q in self]
        self.ends = [q.end for q in self]
        self.indexed = all(a.end <= b.start for a, b in itertools.pairwise(self))


def _as_quotes(quotes: list[Quote]) -> Quotes:
    return quotes if isinstance(quotes, Quotes) else Quotes(quotes)


def find_quotes(text: str) -> Quotes:
    """Pair quotation marks in ``text`` (curly, straight, guillemets and PTB `` '').

    Whether a mark opens or closes is read from its neighbours (a space before it opens,
    a letter before and a space after closes), so a mis-typed `“` at the end of a quote
    still closes it. An opening mark left unclosed is forgotten when the next one opens
    (news style reopens every paragraph of a long quotation without closing the last).
    """
    quotes: list[Quote] = []
    opened: tuple[int, int] | None = None
    for match in _MARK.finditer(text):
        at, end = match.start(), match.end()
        if _is_opening(text, match.group(), at, end) or opened is None:
            if _is_closing(text, at, end) and opened is None:
                continue  # a stray closing mark
            if opened is not None:  # reopened on a new paragraph: the old one ran to its paragraph's end
                paragraph_end = text.find("\n", opened[1], at)
                if paragraph_end > 0:
                    quotes.append(_quote(text, opened[0], opened[1] - opened[0], paragraph_end, paragraph_end))
            opened = (at, end)
            continue
        quotes.append(_quote(text, opened[0], opened[1] - opened[0], at, end))
        opened = None
    return Quotes(q for q in quotes if q.inner_end > q.inner_start)


def _is_opening(text: str, mark: str, at: int, end: int) -> bool:
    before = text[at - 1] if at else " "
    after = text[end] if end < len(text) else " "
    space_before = before.isspace() or before in "([{—–-/"
    space_after = after.isspace() or after in ".,;:!?)]}"
    if mark in _OPENERS:
        return not (not space_before and space_after)
    if mark in _CLOSERS:
        return space_before and not space_after
    return space_before and not after.isspace()


def _is_closing(text: str, at: int, end: int) -> bool:
    before = text[at - 1] if at else " "
    return not (before.isspace() or before in "([{—–-/")


def _quote(text: str, open_at: int, open_len: int, close_at: int, close_end: int) -> Quote:
    inner_start = open_at + open_len
    inner_end = close_at
    while inner_end > inner_start and text[inner_end - 1] in _EDGE_PUNCT:
        inner_end -= 1
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    return Quote(open_at, close_end, inner_start, inner_end)


def read_words(name: str) -> frozenset[str]:
    """Lower-cased entries of ``newskit/lexicons/<name>.txt`` (see :mod:`newskit.lexicons`)."""
    return lexicons.words(name, lower=True)


def read_table(name: str) -> dict[str, str]:
    """``key<TAB>value`` rows of ``newskit/lexicons/<name>.txt``, keys lower-cased."""
    return lexicons.table(name, lower=True)


def subtree_bounds(token: Token, *, exclude: Token | None = None) -> tuple[int, int]:
    """Token index range ``[start, end)`` of ``token``'s subtree (optionally minus ``exclude``'s subtree
    when it sits at an edge)."""
    start, end = token.left_edge.i, token.right_edge.i + 1
    if exclude is not None:
        ex_start, ex_end = exclude.left_edge.i, exclude.right_edge.i + 1
        if ex_start <= start < ex_end:
            start = ex_end
        elif ex_start < end <= ex_end:
            end = ex_start
    return start, end


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without punctuation, conjunctions and spaces at its edges (quotation marks kept
    when the other mark of the pair is inside the range)."""
    while start < end and _is_edge_noise(doc[start], doc, start, end):
        start += 1
    while end > start and _is_edge_noise(doc[end - 1], doc, start, end):
        end -= 1
    return start, end


def _is_edge_noise(token: Token, doc: Doc, start: int, end: int) -> bool:
    if token.is_space:
        return True
    if token.is_quote:
        return not _pair_inside(doc, start, end)
    return token.is_punct or (token.dep_ in ("cc", "mark") and token.i == end - 1)


def _pair_inside(doc: Doc, start: int, end: int) -> bool:
    n_quotes = sum(1 for t in doc[start:end] if t.is_quote)
    return n_quotes >= 2 and n_quotes % 2 == 0


def char_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character offsets of the token range ``[start, end)``."""
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def span_of(doc: Doc, start_char: int, end_char: int) -> Span | None:
    """Tokens covering ``[start_char, end_char)`` (expanded to token edges)."""
    return doc.char_span(start_char, end_char, alignment_mode="expand")


def inside_quote(char: int, quotes: list[Quote]) -> bool:
    """Whether ``char`` is strictly between a quotation's marks."""
    quotes = _as_quotes(quotes)
    if not quotes.indexed:
        return any(q.start < char < q.end for q in quotes)
    i = bisect.bisect_left(quotes.starts, char) - 1  # the last quotation opening before ``char``
    return i >= 0 and char < quotes.ends[i]


def within(quotes: list[Quote], start: int, end: int) -> list[Quote]:
    """The quotations lying inside ``[start, end)``, in text order."""
    quotes = _as_quotes(quotes)
    if not quotes.indexed:
        return [q for q in quotes if start <= q.start and q.end <= end]
    return quotes[bisect.bisect_left(quotes.starts, start) : bisect.bisect_right(quotes.ends, end)]


def adjacent_quote(doc: Doc, text: str, verb: Token, quotes: list[Quote]) -> tuple[int, int] | None:
    """The quotation a bare `he said.` / `She said:` clause sits next to (the parser split them)."""
    clause_start, clause_end = char_bounds(doc, verb.left_edge.i, verb.right_edge.i + 1)
    quotes = _as_quotes(quotes)
    if quotes.indexed:
        # Only the quotations next to the clause can qualify: another quotation between one and
        # the clause puts its opening mark (never in _GAP) in the text that must be blank.
        last_before = bisect.bisect_right(quotes.ends, clause_start) - 1
        first_after = bisect.bisect_left(quotes.starts, clause_end)
        candidates = (
            within(quotes, clause_start, verb.idx),
            quotes[last_before : last_before + 1] if last_before >= 0 else [],
            quotes[first_after : first_after + 1],
        )
    else:
        candidates = (quotes, quotes, quotes)
    for quote in candidates[0]:  # `"Safety," said Grimm.`: the quote inside the verb's own clause
        if clause_start <= quote.start and quote.end <= verb.idx and not text[quote.end : verb.idx].strip(_GAP):
            return quote.start, quote.end
    for quote in candidates[1]:
        if quote.end <= clause_start and not text[quote.end : clause_start].strip(_GAP):
            return quote.start, quote.end
    for quote in candidates[2]:
        if quote.start >= clause_end and not text[clause_end : quote.start].strip(_GAP):
            return quote.start, quote.end
    return None


def continue_quote(text: str, content: tuple[int, int], quotes: list[Quote]) -> tuple[int, int]:
    """`“A,” she said, “B.”`: a quote that ends, then resumes after the speaker, is one content;
    so are the quote paragraphs that follow it directly (news style: one speaker per run of quotes)."""
    start, end = content
    quotes = _as_quotes(quotes)
    if quotes.indexed:
        i = bisect.bisect_left(quotes.ends, end)
        if i == len(quotes) or quotes.ends[i] != end:
            return content
        first = bisect.bisect_left(quotes.starts, end)
    else:
        if not any(q.end == end for q in quotes):
            return content
        quotes = [q for q in quotes if q.start >= end]
        first = 0
    if first < len(quotes) and len(text[end : quotes[first].start]) <= _MAX_INTERRUPTION:
        end = quotes[first].end
        for quote in itertools.islice(quotes, first + 1, None):
            if text[end : quote.start].strip():
                break
            end = quote.end  # the next paragraph opens with the same speaker's quote
    return start, end


def extend_to_quotes(content: tuple[int, int], quotes: list[Quote]) -> tuple[int, int]:
    """Grow content to the marks of every quotation it overlaps (a quote outruns the parser's sentence)."""
    start, end = content
    quotes = _as_quotes(quotes)
    if not quotes.indexed:
        for quote in quotes:
            if quote.start < end and start < quote.end:
                start, end = min(start, quote.start), max(end, quote.end)
        return start, end
    # Quotations ending before ``start`` never overlap; after the first one opening at or past
    # ``end`` none does (the quotations are ordered and do not overlap each other).
    for i in range(bisect.bisect_right(quotes.ends, start), len(quotes)):
        quote = quotes[i]
        if quote.start >= end:
            break
        start, end = min(start, quote.start), max(end, quote.end)
    return start, end
