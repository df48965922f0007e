"""Who holds which role: the `roles` table, from titles and appositions around person names.

Reads the canonical mentions the entities extractor left on the Doc and the dependency
parse; no second parse. Patterns (the role head word must be in ``lexicons/titles.txt``):

* apposition, title first: ``Kosovo’s Prime Minister, Albin Kurti`` → (Albin Kurti,
  Prime Minister, Kosovo); ``The Kremlin spokesman, Dmitry Peskov`` → (Dmitry Peskov,
  spokesman, Kremlin);
* apposition, name first: ``Sergei Lavrov, the foreign minister of Russia,``;
* title as a pre-modifier: ``Interior Minister Mara Voss``, ``Northrop Grumman CEO Ron Sugar``,
  ``UBS analyst David Strauss``, ``Russian Foreign Minister Sergei Lavrov`` (a demonym gives
  its country).

The role is the head word with the words modifying it that are not names (``Prime``,
``foreign``, ``chief``), as written and singular; ``of`` is the organisation or place
named as possessor (``Kosovo’s``), pre-modifier (``Kremlin``) or ``of``/``for``/``at`` object.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ._doc import entity_name, mention_spans, sentence_of
from .entities import demonym, entity_id, resolve_reference, titles

__all__ = ["extract_roles"]

_OWNER_LABELS = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC"})
_OF_PREPOSITIONS = frozenset({"of", "for", "at", "with"})
_MODIFIER_DEPS = frozenset({"compound", "amod"})
_OWNER_DEPS = frozenset({"poss", "compound", "nmod", "amod"})


def _mention_at(doc: Doc) -> dict[int, Span]:
    return {i: span for span in mention_spans(doc) for i in range(span.start, span.end)}


def _title_token(person: Span, mention_at: dict[int, Span]) -> Token | None:
    """The role head word linked to the person's name, if any."""
    doc = person.doc
    root = person.root
    role_words = titles()
    if root.dep_ == "appos" and root.head.lower_ in role_words and root.head.i not in mention_at:
        return root.head
    for child in root.children:
        if child.dep_ == "appos" and child.lower_ in role_words and child.i not in mention_at:
            return child
    # Title right before the name: a compound of the name ("Interior Minister Mara Voss").
    for token in reversed(doc[max(person.start - 4, 0) : person.start]):
        if token.i in mention_at:
            break
        if token.lower_ in role_words and (
            token.head.i in range(person.start, person.end) or token.i == person.start - 1
        ):
            return token
        if token.dep_ not in _MODIFIER_DEPS and token.i != person.start - 1:
            break
    return None


def _role_words(title: Token, mention_at: dict[int, Span]) -> list[Token]:
    """The title and the contiguous non-name words modifying it on its left."""
    words = [title]
    left = title.i - 1
    doc = title.doc
    while left >= 0:
        token = doc[left]
        if token.text == "-" and left > 0 and doc[left - 1].i not in mention_at:  # "Secretary-General"
            words[:0] = [doc[left - 1], token]
            left -= 2
            continue
        attached = token.head.i in {w.i for w in words}
        if token.i in mention_at or not attached or token.dep_ not in _MODIFIER_DEPS or demonym(token.text):
            break
        words.insert(0, token)
        left -= 1
    return words


def _owner(title: Token, role_words: list[Token], person: Span, mention_at: dict[int, Span]):
    """(name, entity id, token) of the organisation or place the role belongs to."""
    candidates: list[Token] = []
    # "Chairman and Chief Operating Officer of AirTran Airways": the owner may hang on a conjoined title.
    for word in [*role_words, *title.conjuncts]:
        for child in word.children:
            if child.dep_ in _OWNER_DEPS and child.i < word.i and child not in role_words:
                candidates.append(child)
            if child.dep_ == "prep" and child.lower_ in _OF_PREPOSITIONS:
                candidates += [grandchild for grandchild in child.children if grandchild.dep_ == "pobj"]
    for token in candidates:
        span = mention_at.get(token.i)
        if span is not None and span.label_ == "NORP":
            found = demonym(span.text)
            if found and found[1]:  # "Russian Foreign Minister" → Russia
                return found[1], entity_id("GPE", found[1]), token
            continue
        if span is not None and span.label_ in _OWNER_LABELS and span.kb_id_ != person.kb_id_:
            return entity_name(person.doc, span.kb_id_) or span.text, span.kb_id_, token
        found = demonym(token.text)
        if found and found[1]:  # "Russian Foreign Minister" → Russia
            return found[1], entity_id("GPE", found[1]), token
        if token.pos_ == "NOUN" and token.dep_ == "poss":  # "the company's spokeswoman"
            resolved = resolve_reference(person.doc, token.text, before=token.idx)
            if resolved:
                return entity_name(person.doc, resolved), resolved, token
    return None, None, None


def extract_roles(doc: Doc) -> list[dict]:
    """Rows of the `roles` table found in ``doc`` (without ``article_id``).

    Needs the entities extractor to have run on ``doc`` (it reads ``doc.spans["nk_mentions"]``).

    Examples:
        >>> import newskit as nk
        >>> facts = nk.extract_text("The Kremlin spokesman, Dmitry Peskov, spoke on Monday.")
        >>> facts.roles.loc[0, ["person", "role", "of"]].tolist()
        ['Dmitry Peskov', 'spokesman', 'Kremlin']
    """
    mention_at = _mention_at(doc)
    rows, seen = [], set()
    for person in mention_spans(doc):
        if person.label_ != "PERSON" or doc[person.start].lower_ == "the":
            continue
        title = _title_token(person, mention_at)
        if title is None:
            continue
        words = _role_words(title, mention_at)
        head_word = title.lemma_ if title.tag_ in ("NNS", "NNPS") else title.text
        role = doc[words[0].i : title.i].text_with_ws + head_word
        of, of_id, of_token = _owner(title, words, person, mention_at)
        tokens = [person.start, person.end - 1, words[0].i, title.i]
        if of_token is not None:
            owner_span = mention_at.get(of_token.i)
            tokens += [owner_span.start, owner_span.end - 1] if owner_span is not None else [of_token.i]
        start, end = doc[min(tokens)].idx, doc[max(tokens)].idx + len(doc[max(tokens)].text)
        key = (person.kb_id_, role.lower(), of_id)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "entity_id": person.kb_id_,
                "person": entity_name(doc, person.kb_id_) or person.text,
                "role": role,
                "of": of,
                "of_entity_id": of_id,
                "start": start,
                "end": end,
                "sentence": sentence_of(doc, start),
            }
        )
    return rows
