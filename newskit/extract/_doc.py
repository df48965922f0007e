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
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.tokens import Doc, Span

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
