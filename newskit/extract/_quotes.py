"""Private helpers for :mod:`newskit.extract.attributions`: quotation marks, lexicons, span arithmetic.

Quotation marks are paired on the raw text, not on tokens, because a quote often spans several
sentences (and paragraphs) while the parser sees one sentence at a time.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"

#: Opening marks → the closing marks that end them. Straight quotes open and close themselves;
#: PTB-style (MEANTIME, TimeBank) text writes `` ... ''.
_OPEN_TO_CLOSE = {"“": ("”",), '"': ('"',), "``": ("''", '"'), "«": ("»",), "„": ("“", "”")}
_MARK = re.compile(r"``|''|[“”\"«»„]")
#: A blank line ends an unclosed straight quote: news style reopens a quote on every paragraph
#: of a long quotation without closing the previous one.
_PARAGRAPH = re.compile(r"\n\s*\n")
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


def find_quotes(text: str) -> list[Quote]:
    """Pair quotation marks in ``text`` (curly, straight, guillemets and PTB `` '').

    An unclosed opening mark is dropped at the next paragraph break when a new mark
    opens there (the news convention for multi-paragraph quotes), so one missing mark
    does not flip every later quote inside out.
    """
    quotes: list[Quote] = []
    opened: tuple[int, str] | None = None
    paragraph_breaks = [m.start() for m in _PARAGRAPH.finditer(text)]
    for match in _MARK.finditer(text):
        mark, at = match.group(), match.start()
        if opened is not None:
            open_at, open_mark = opened
            crossed_paragraph = any(open_at < b < at for b in paragraph_breaks)
            if mark in _OPEN_TO_CLOSE[open_mark] and not (crossed_paragraph and open_mark == '"' and _opens(text, at)):
                quotes.append(_quote(text, open_at, len(open_mark), at, match.end()))
                opened = None
                continue
            if mark in _OPEN_TO_CLOSE:
                opened = (at, mark)  # a new opening mark: the earlier one was never closed
            continue
        if mark in _OPEN_TO_CLOSE:
            opened = (at, mark)
    return [q for q in quotes if q.inner_end > q.inner_start]


def _opens(text: str, at: int) -> bool:
    """A straight quote at ``at`` looks like an opening mark (preceded by space or line start)."""
    return at == 0 or text[at - 1].isspace() or text[at - 1] in "([—–-"


def _quote(text: str, open_at: int, open_len: int, close_at: int, close_end: int) -> Quote:
    inner_start = open_at + open_len
    inner_end = close_at
    while inner_end > inner_start and text[inner_end - 1] in _EDGE_PUNCT:
        inner_end -= 1
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    return Quote(open_at, close_end, inner_start, inner_end)


@functools.cache
def read_words(name: str) -> frozenset[str]:
    """Lower-cased entries of ``newskit/lexicons/<name>.txt`` (one per line, ``#`` comments skipped)."""
    lines = (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.split("#", 1)[0].strip().lower() for line in lines if line.split("#", 1)[0].strip())


@functools.cache
def read_table(name: str) -> dict[str, str]:
    """``key<TAB>value`` rows of ``newskit/lexicons/<name>.txt``, keys lower-cased."""
    rows = {}
    for line in (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            key, _, value = line.partition("\t")
            rows[key.strip().lower()] = value.strip()
    return rows


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
    return token.is_punct or token.dep_ in ("cc", "mark") and token.i == end - 1


def _pair_inside(doc: Doc, start: int, end: int) -> bool:
    n_quotes = sum(1 for t in doc[start:end] if t.is_quote)
    return n_quotes >= 2 and n_quotes % 2 == 0


def char_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character offsets of the token range ``[start, end)``."""
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def span_of(doc: Doc, start_char: int, end_char: int) -> Span | None:
    """Tokens covering ``[start_char, end_char)`` (expanded to token edges)."""
    return doc.char_span(start_char, end_char, alignment_mode="expand")
