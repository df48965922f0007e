"""Small helpers every extractor uses to read a parsed Doc.

Conventions shared by all extractors (set up by :mod:`newskit.extract.pipeline`):

* ``doc._.nk_published``: the article's publication date (``datetime.date``) or None.
* ``doc._.nk_author`` / ``doc._.nk_source``: the article's byline and outlet, or None (the
  writer's own `I`/`we` in attributions).
* ``doc._.nk_facts``: dict table name → list of row dicts already extracted from this
  Doc (entities run first, so ``doc._.nk_facts["mentions"]`` is there for later ones).
* ``doc.spans["nk_mentions"]``: one Span per canonical entity mention, with
  ``span.label_`` = corrected label and ``span.kb_id_`` = ``entity_id``; the canonical
  name is ``doc._.nk_facts["entity_names"][entity_id]``.

spaCy builds a new Python object on every ``doc[i]``, ``token.head``, ``token.children``
and ``token.subtree`` step, and joins every token on every ``doc.text``: on a typical
article that object churn costs more than the rules the extractors apply. The helpers
below build each of these once per Doc and every extractor shares them; they return the
same tokens, in the same order, as spaCy's own properties.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

MENTIONS_KEY = "nk_mentions"


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where each sentence starts (cached on the Doc)."""
    cache = doc.user_data.get("nk_sentence_starts")
    if cache is None:
        cache = [sent.start_char for sent in doc.sents]
        doc.user_data["nk_sentence_starts"] = cache
    return cache


def sentence_of(doc: Doc, char: int) -> int:
    """0-based index of the sentence holding character offset ``char``."""
    return max(bisect.bisect_right(sentence_starts(doc), char) - 1, 0)


def text(doc: Doc) -> str:
    """``doc.text``, built once per Doc (spaCy joins every token again on each access)."""
    cached = doc.user_data.get("nk_text")
    if cached is None:
        cached = doc.user_data["nk_text"] = doc.text
    return cached


def facts(doc: Doc, table: str) -> list[dict]:
    """Rows of ``table`` already extracted from ``doc`` (empty if none)."""
    store = doc._.nk_facts or {}
    return store.get(table, [])


def mention_spans(doc: Doc) -> Iterable[Span]:
    """Canonical entity mentions of ``doc`` (empty before the entities extractor ran)."""
    return doc.spans.get(MENTIONS_KEY, ())


def entity_name(doc: Doc, entity_id: str) -> str | None:
    """Canonical name of ``entity_id`` in this Doc."""
    return (doc._.nk_facts or {}).get("entity_names", {}).get(entity_id)


class _Tables(threading.local):
    """Token tables of the Doc being read (one per thread). Kept here, not in ``doc.user_data``:
    Tokens there would point back at their Doc, and a Doc in a reference cycle waits for the
    garbage collector instead of being freed when the extraction loop drops it."""

    doc: Doc | None = None
    tables: dict | None = None


_TABLES = _Tables()


def _tables(doc: Doc) -> dict:
    """This Doc's tables, started afresh when a new Doc is read (extractors read one Doc at a time)."""
    if _TABLES.doc is not doc:
        _TABLES.doc, _TABLES.tables = doc, {}
    return _TABLES.tables


def tokens(doc: Doc) -> list[Token]:
    """``list(doc)``, built once per Doc: index it instead of ``doc[i]`` (a new Token each time)."""
    tables = _tables(doc)
    cached = tables.get("tokens")
    if cached is None:
        cached = tables["tokens"] = list(doc)
    return cached


def heads(doc: Doc) -> list[int]:
    """``token.head.i`` of every token, built once per Doc from spaCy's arrays (walk up by index)."""
    tables = _tables(doc)
    cached = tables.get("heads")
    if cached is None:
        # HEAD is stored as an offset from the token, in an unsigned array: view it as signed
        offsets = doc.to_array("HEAD").view("int64")
        cached = tables["heads"] = [i + o for i, o in enumerate(offsets.tolist())]
    return cached


def children(token: Token) -> tuple[Token, ...]:
    """``tuple(token.children)`` from a table built once per Doc (left to right, as spaCy yields them)."""
    return _children(token.doc)[token.i]


def _children(doc: Doc) -> list[tuple[Token, ...]]:
    tables = _tables(doc)
    cached = tables.get("children")
    if cached is None:
        toks = tokens(doc)
        found: list[list[Token]] = [[] for _ in toks]
        for i, head in enumerate(heads(doc)):
            if head != i:
                found[head].append(toks[i])
        cached = tables["children"] = [tuple(kids) for kids in found]
    return cached


def subtree(token: Token) -> tuple[Token, ...]:
    """``tuple(token.subtree)``, kept per Doc and token, in spaCy's order: the left children's
    subtrees, the token, the right children's subtrees (text order unless the parse crosses arcs).
    Walked on the children table: spaCy's own generator re-scans the edges at every level."""
    doc = token.doc
    tables = _tables(doc)
    cache = tables.get("subtrees")
    if cache is None:
        cache = tables["subtrees"] = {}
    found = cache.get(token.i)
    if found is None:
        out: list[Token] = []
        _walk(token, _children(doc), out)
        found = cache[token.i] = tuple(out)
    return found


def _walk(token: Token, table: list[tuple[Token, ...]], out: list[Token]) -> None:
    i = token.i
    kids = table[i]
    for kid in kids:
        if kid.i < i:
            _walk(kid, table, out)
    out.append(token)
    for kid in kids:
        if kid.i > i:
            _walk(kid, table, out)
