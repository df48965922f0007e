"""Who said or claimed what: the `attributions` table.

Every kind of evidence is read from the one parsed Doc (no second parse):

* **Reporting verbs** (``reporting_verbs.txt``; ``reporting_verbs_weak.txt`` only with a clause
  or a quotation): the verb is the cue, its subject the source (the agent of a passive, the
  subject of the governing verb for ``…, saying …``), its complement the content: ``ccomp`` /
  ``xcomp``, else the object with what follows it and the verb's own prepositions
  (``reporting_verbs_prepositions.txt``: ``accused Kurti of inciting conflict``). ``"…," he said.``
  and ``The industry, she said, is …`` hang the verb on the reported clause; a bare ``he said.``
  takes the quotation beside it, and a quote that resumes after its speaker (``“A,” she said.
  “B.”``) is one content.
* **Source phrases** (``source_phrases.txt``): ``according to X, …`` — the cue is the phrase,
  the source its object, the content the rest of the sentence.
* **Reporting nouns** (``reporting_nouns.txt``: ``Trump’s claim that …``), **evidential verbs**
  (``evidential_verbs.txt``: ``the plan seems doomed`` — no source) and headline-style
  ``NY Daily News: …`` lines.
* **Quotations** no cue claimed: the speaker of the closest attribution before them (a few
  sentences back) or just after them.

A reporting verb whose complement is quotations in a frame of at most three words
(``describing it as “extremely difficult” and “very, very tense”``) gives one *direct* row per
quotation; a complement that holds a quote among more words is one *mixed* row. Verbs inside a
quotation are the quoted speaker's words, never cues. Sources keep their span as written
(``they``, ``the ministry``) and are resolved to canonical entities through the article's
mentions (``doc.spans["nk_mentions"]``, else spaCy's entities), its roles (``the spokesman``)
and :func:`newskit.extract.entities.resolve_reference` when the entities module offers it.
Speakers the article does not name still resolve: the writer's own ``I``/``we`` (outside
quotations and speaker turns such as ``A: I think``) to the author (the byline, else the outlet,
else the ``Author`` group, label NORP); ``those who``/``someone`` to ``People``; ``some``/``many``/
``others`` to the group named just before them, else ``People``; a relative pronoun to its
antecedent; a plural noun or a noun for a person (``a judge``) to a group (``Judges``, NORP); a
document (``document_nouns.txt``: ``the report``, ``a statement``) to its issuer, else a group of
its kind (``Reports``, label WORK_OF_ART).
The blamed entity (``target``) is read for blaming verbs (``blame_verbs.txt``).

Measured on PolNeAR (see ``tests/extract/test_attributions.py``): content F1 about 0.69 and
source accuracy about 0.82 on the train and dev compartments.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from .. import lexicons
from . import _doc
from ._quotes import (
    Quote,
    adjacent_quote,
    char_bounds,
    continue_quote,
    extend_to_quotes,
    find_quotes,
    inside_quote,
    read_table,
    read_words,
    subtree_bounds,
    trim,
    within,
)

__all__ = ["extract_attributions", "find_quotes"]


def _speaker_groups() -> dict[str, tuple[str, ...]]:
    """Group noun (lower case) → (canonical name, label), from ``lexicons/speaker_groups.txt``."""
    return {row[0].lower(): tuple(row[1:3]) for row in lexicons.rows("speaker_groups")}


#: Dependencies that hold what a reporting verb reports.
_CLAUSAL = ("ccomp", "xcomp")
_NOMINAL = ("dobj", "oprd", "dative", "attr")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
#: What may follow a reporting verb's object and still be part of what is reported.
_OBJECT_COMPLEMENTS = ("oprd", "xcomp", "ccomp", "dep", "advcl", "acomp", "prep")
#: A verb under one of these takes its source from the verb it hangs on (``…, saying``).
_INHERITS_SUBJECT = ("advcl", "xcomp", "conj", "pcomp", "prep")
#: `began by saying`, `after saying`: the gerund's speaker is the governing verb's subject.
_SUBJECT_PREPOSITIONS = ("by", "after", "before", "while", "when", "in", "without")
_RELATIVE = {"who", "which", "that", "whom"}
#: Labels a pronoun can stand for.
_PRONOUN_LABELS = {
    "he": ("PERSON",),
    "she": ("PERSON",),
    "they": ("ORG", "GPE", "NORP", "PERSON"),
    "it": ("ORG", "GPE"),
}
#: Possessive and object forms read as the subject pronoun (`his claim that`, `according to them`).
_PRONOUN_FORMS = {"his": "he", "him": "he", "her": "she", "their": "they", "them": "they", "its": "it"}
#: Words that take the part of a group named after `of` (`64 percent of voters`, `most of them`).
_PARTITIVES = frozenset(
    {"percent", "%", "most", "many", "some", "half", "majority", "minority", "number", "all", "both", "none",
     "one", "two", "three", "several", "each", "few", "share", "third", "plurality", "rest", "any"}
)  # fmt: skip
#: Nouns naming those who act for their owner (`his campaign`, `the Clinton campaign`, `Trump's aides`).
_OWNED_WORDS = frozenset({"campaign", "team", "camp", "office", "staff", "aide", "aides", "adviser", "advisers",
                          "advisor", "advisors", "lawyer", "lawyers", "attorney", "attorneys"})  # fmt: skip
#: What a group can be part of (`members of Congress`, `members of the iPhone Developer Program`).
_BODY_LABELS = ("ORG", "NORP", "GPE", "PRODUCT")
#: A poll speaks for whoever ran it (`a CBS poll`, `the poll by the Public Policy Institute`).
_POLL_WORDS = frozenset({"poll", "polls", "polling", "survey", "surveys"})
_AGENT_LABELS = ("PERSON", "ORG", "GPE", "NORP")
#: A quotation shorter than this that no verb claims is a scare quote or a title, not speech.
ORPHAN_QUOTE_MIN_WORDS = 4
#: A reported clause with at most this many words outside its quotations (`describing it as “…”
#: and “…”`) is a frame around direct quotes: one direct row per quotation.
_MAX_FRAME_WORDS = 3
#: How many sentences back a quotation without a speaker looks for one (a quote paragraph
#: usually continues the speaker of the paragraph before).
_SPEAKER_WINDOW = 4
#: How many sentences back "he"/"she" looks for the person it stands for.
_PERSON_PRONOUN_WINDOW = 6
#: Nouns naming who speaks for the organisation after them (`a spokesman for the army`).
_SPOKES_WORDS = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative", "statement", "release"})
#: Documents and evidence that can be a source (`the report says`), from ``lexicons/document_nouns.txt``.
_DOCUMENTS = lexicons.words("document_nouns", lower=True)
#: Documents named in the singular even when many (`the data show`, `research suggests`).
_MASS_DOCUMENTS = frozenset({"data", "evidence", "research", "footage", "testimony", "figures"})
#: The writer's own first person (`we` of an editorial is its writers).
_FIRST_PERSON = frozenset({"i", "we", "me", "us"})
#: The group the writer of an article without a byline or outlet stands in (label NORP, as groups).
_AUTHOR = "Author"
#: The group of people the article leaves unnamed (`someone said`, `many believe`).
_PEOPLE = "People"
#: Pronouns naming an unnamed person or people (`someone said`, `those who say`).
_SOMEONE = frozenset({"someone", "somebody", "everyone", "everybody", "those"})
#: Quantifiers that stand alone for part of a group (`some say`, `others call it`, `most said`).
_ELLIPTICAL = frozenset({"some", "many", "most", "all", "half", "majority", "minority", "plurality", "several",
                         "few", "others", "another", "percent", "%", "third", "rest"})  # fmt: skip
#: Nouns for a news organisation that `the …` refers back to (`the newspaper said`): the ORG named last.
_ORG_NOUNS = frozenset({"newspaper", "paper", "magazine", "network", "station", "channel", "outlet"})
#: Entity types of a number that is not a count of people (`February 10`, `$5`, `2 p.m.`).
_NOT_COUNTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
#: Words in `-man` that are not a man (nor plural in `-men`).
_NOT_MAN = frozenset({"human", "german", "roman", "shaman", "talisman", "ottoman", "caiman"})
#: How many sentences back `the report` looks for where the report was introduced with its issuer.
_DOCUMENT_WINDOW = 10
#: Dependencies of a modifier that can name a group's place (`Lafayette police`, `Iraqi officials`).
_PLACE_MODIFIERS = ("compound", "amod", "nmod", "poss")


@dataclass
class _Found:
    """One attribution while it is being built (token and char offsets)."""

    content: tuple[int, int]  # chars
    cue: tuple[int, int] | None  # chars
    source: tuple[int, int] | None  # chars
    kind: str
    cue_token: Token | None = None
    source_token: Token | None = None
    target_region: tuple[int, int] | None = None  # chars where the blamed entity is named
    quotes: list[Quote] = field(default_factory=list)


def extract_attributions(doc: Doc) -> list[dict]:
    """Rows of the `attributions` table found in ``doc`` (without ``article_id``).

    Args:
        doc: A parsed Doc passed through :func:`newskit.extract.pipeline.prepare_doc`;
            entities and roles found earlier resolve the sources.

    Returns:
        One row per attribution, in text order.
    """
    text = _doc.text(doc)  # built anew on every access: read it once per Doc
    quotes = find_quotes(text)
    found = _verb_attributions(doc, text, quotes)
    found += _phrase_attributions(doc)
    found += _colon_attributions(doc, text)
    found += _evidential_attributions(doc, quotes)
    found += _noun_attributions(doc, quotes)
    found = _drop_nested(found)
    found = _split_quote_dominant(text, found, quotes)
    found += _orphan_quotes(doc, text, found, quotes)
    found.sort(key=lambda f: f.content)
    resolver = _Resolver(doc)
    resolver.found = found
    rows = [_row(doc, text, f, resolver) for f in found]
    resolver.add_group_mentions()
    return rows


# ---------------------------------------------------------------------------------------------
# Reporting verbs


def _verb_attributions(doc: Doc, text: str, quotes: list[Quote]) -> list[_Found]:
    verbs, weak_verbs = read_words("reporting_verbs"), read_words("reporting_verbs_weak")
    found = []
    for token in _doc.tokens(doc):
        if token.pos_ not in ("VERB", "AUX"):
            continue
        lemma = token.lemma_.lower()
        if lemma not in verbs and token.lower_ in verbs:
            lemma = token.lower_  # the lemmatizer's slips (`hopes` → `hop`) are listed as forms
        if lemma not in verbs and lemma not in weak_verbs:
            continue
        if token.dep_ == "amod" or (token.tag_ == "VBN" and token.dep_ in ("acl", "amod")):
            continue  # `a self-described socialist`, `the plan announced on Monday`
        if token.dep_ in ("csubj", "csubjpass") and not any(c.dep_ in _SUBJECTS for c in _doc.children(token)):
            continue  # `Finding a path to peace remains crucial`: an activity, not a claim
        if inside_quote(token.idx, quotes):
            continue  # `“I think we’ll win,” she said`: the quote is hers, not a claim of `I`
        content = _verb_content(doc, token)
        if content is not None:
            content_chars = extend_to_quotes(char_bounds(doc, *content), quotes)
        else:
            content_chars = adjacent_quote(doc, text, token, quotes)
            if content_chars is None:
                continue
        content_chars = continue_quote(text, content_chars, quotes)
        if lemma in weak_verbs and not _reports_clause_or_quote(token, content_chars, quotes):
            continue
        source = _verb_source(token)
        found.append(
            _Found(
                content=content_chars,
                cue=_cue_chars(token),
                source=char_bounds(doc, source[0], source[1]) if source else None,
                kind="indirect",
                cue_token=token,
                source_token=doc[source[2]] if source else None,
                target_region=_target_region(doc, token),
            )
        )
    return found


def _reports_clause_or_quote(verb: Token, content: tuple[int, int], quotes: list[Quote]) -> bool:
    if any(c.dep_ == "ccomp" for c in _doc.children(verb)):
        return True
    return bool(within(quotes, *content))


def _verb_content(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """Token range of what ``verb`` reports, or None when it reports nothing visible."""
    children = list(_doc.children(verb))
    clausal = [c for c in children if c.dep_ in _CLAUSAL]
    if clausal:
        picked = clausal
    else:
        picked = [c for c in children if c.dep_ in _NOMINAL and c.i > verb.i]
        if verb.lemma_.lower() in read_words("addressee_verbs") and picked and picked[0].dep_ in ("dobj", "dative"):
            picked = picked[1:]  # `told reporters`: who was told, not what
        picked += [c for c in children if c.dep_ == "prep" and c.i > verb.i and _content_prep(verb, c)]
        if len(picked) == 1 and picked[0].pos_ == "PRON" and picked[0].n_lefts + picked[0].n_rights == 0:
            picked = []  # `called her`, `said it`: nothing to report
    if picked:
        start = min(c.left_edge.i for c in picked)
        end = max(c.right_edge.i for c in picked) + 1
        if not clausal:  # `called [a report …] [“outrageous.”]`: the object's complements run on
            rest = [
                c
                for c in children
                if c.i > verb.i and c.dep_ in _OBJECT_COMPLEMENTS and not _is_reporting_verb(c)  # `…, describing it`
            ]
            end = max([end] + [c.right_edge.i + 1 for c in rest])
        start, end = trim(doc, start, end)
        return (start, end) if end > start else None
    # `"…," he said.` and `The industry, she said, is doing better`: `said` hangs on the reported clause.
    head = verb.head
    if verb.dep_ == "parataxis" or (verb.dep_ in ("ccomp", "advcl") and verb.i > head.i):
        if head.pos_ not in ("VERB", "AUX") or head.i == verb.i:
            return None
        start, end = subtree_bounds(head, exclude=verb)
        if verb.i > head.i and verb.right_edge.i + 1 >= end - 1:
            end = min(end, verb.left_edge.i)  # the speaker closes the sentence
        start, end = trim(doc, start, end)
        return (start, end) if end > start else None
    return None


def _is_reporting_verb(token: Token) -> bool:
    lemma = token.lemma_.lower()
    return token.pos_ in ("VERB", "AUX") and (
        lemma in read_words("reporting_verbs") or lemma in read_words("reporting_verbs_weak")
    )


def _content_prep(verb: Token, prep: Token) -> bool:
    """A prepositional complement is content after an object (`accused X of Y`) or when the verb and
    preposition form a reporting phrase (`called for`, `warned of`)."""
    preps = read_table("reporting_verbs_prepositions")
    allowed = preps.get(verb.lemma_.lower())
    if allowed is None:
        return False
    return prep.lower_ in allowed.split()


def _verb_source(verb: Token) -> tuple[int, int, int] | None:
    """Token range and head index of who speaks through ``verb``."""
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return _source_range(verb.head, verb)  # `911 calls saying shots were fired`
    # `Asked whether …, voters said`: the one asked is the main clause's subject, not the asker.
    passive = verb.tag_ == "VBN" and verb.dep_ == "advcl" and not any(c.dep_ == "aux" for c in _doc.children(verb))
    for current in _up_the_chain(verb):
        for child in _doc.children(current):
            if child.dep_ == "agent":
                objects = [c for c in _doc.children(child) if c.dep_ == "pobj"]
                if objects:
                    return _source_range(objects[0])
            if passive:
                continue
            if child.dep_ in ("nsubj", "csubj") or (child.dep_ == "nsubjpass" and current.i != verb.i):
                return _source_range(child)
        if passive:
            return None
    return None


def _up_the_chain(verb: Token):
    """``verb``, then the verbs it borrows its subject from (`…, saying`; `want to say`)."""
    current = verb
    for _ in range(4):
        yield current
        if current.dep_ not in _INHERITS_SUBJECT or current.head.i == current.i:
            return
        if current.dep_ == "prep" and current.lower_ not in _SUBJECT_PREPOSITIONS:
            return  # `pressured them into recognizing`: they recognize, not the one pressing
        current = current.head


def _source_range(head: Token, exclude: Token | None = None) -> tuple[int, int, int]:
    start, end = subtree_bounds(head, exclude=exclude)
    start, end = trim(head.doc, start, end)
    if end <= start:
        start, end = head.i, head.i + 1
    return start, end, head.i


def _cue_chars(verb: Token) -> tuple[int, int]:
    tokens = [verb] + [c for c in _doc.children(verb) if c.dep_ == "prt" and c.i == verb.i + 1]
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _target_region(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """Where the entity a blaming verb blames is named: its object, or its `to`/`on` phrase."""
    slot = read_table("blame_verbs").get(verb.lemma_.lower())
    if slot is None:
        return None
    for child in _doc.children(verb):
        if slot == "dobj" and child.dep_ == "dobj":
            return char_bounds(doc, child.left_edge.i, child.right_edge.i + 1)
        if slot.startswith("prep:") and child.dep_ == "prep" and child.lower_ == slot[5:]:
            return char_bounds(doc, child.left_edge.i, child.right_edge.i + 1)
    return None


# ---------------------------------------------------------------------------------------------
# "according to X"


def _phrase_attributions(doc: Doc) -> list[_Found]:
    """`According to X, …` / `…, according to X.` (phrases from ``source_phrases.txt``)."""
    phrases = [phrase.split() for phrase in read_words("source_phrases")]
    toks = _doc.tokens(doc)
    lowers = [t.lower_ for t in toks]  # once per Doc: slicing the Doc per token and phrase made Token objects
    # the phrases that can start at a word, in their listed order (only those starting with it can match)
    starting: dict[str, list[list[str]]] = {}
    found = []
    for i, lower in enumerate(lowers):
        candidates = starting.get(lower)
        if candidates is None:
            candidates = starting[lower] = [p for p in phrases if not p or p[0] == lower]
        words = next((p for p in candidates if lowers[i : i + len(p)] == p), None)
        if words is None:
            continue
        token = toks[i]
        to = toks[token.i + len(words) - 1]  # the preposition that takes the source
        objects = [c for c in _doc.children(to) if c.dep_ == "pobj"] or [
            c for c in _doc.children(token) if c.dep_ == "pobj"
        ]
        if not objects:
            continue
        source = _source_range(objects[0])
        phrase_start, phrase_end = token.i, max(source[1], to.i + 1)
        sent = token.sent
        before = doc[phrase_start - 1] if phrase_start > sent.start else None
        if phrase_start - sent.start <= 1:  # `According to X, …`
            start, end = phrase_end, sent.end
        elif before is not None and before.is_punct and 2 * (phrase_start - sent.start) > len(sent):
            start, end = sent.start, phrase_start  # `…, according to X.`
        else:  # `Fundraising, according to the campaign, has surged`: the sentence around it
            start, end = sent.start, sent.end
        start, end = trim(doc, start, end)
        if end <= start:
            continue
        found.append(
            _Found(
                content=char_bounds(doc, start, end),
                cue=(token.idx, to.idx + len(to.text)),
                source=char_bounds(doc, source[0], source[1]),
                kind="indirect",
                source_token=doc[source[2]],
            )
        )
    return found


def _noun_attributions(doc: Doc, quotes: list[Quote]) -> list[_Found]:
    """`Trump’s claim that the election was rigged`: a reporting noun with a clause or complement."""
    nouns = read_words("reporting_nouns")
    preps = read_table("reporting_verbs_prepositions")
    found = []
    for token in _doc.tokens(doc):
        if token.pos_ != "NOUN":
            continue
        lemma = token.lemma_.lower()
        if lemma not in nouns or inside_quote(token.idx, quotes):
            continue
        picked = [
            c
            for c in _doc.children(token)
            if c.dep_ in ("acl", "ccomp", "relcl") and c.i > token.i and _is_that_clause(c)
        ]
        if not picked:
            allowed = (preps.get(lemma) or "of for against about on").split()
            picked = [c for c in _doc.children(token) if c.dep_ == "prep" and c.lower_ in allowed and c.i > token.i]
        if not picked:
            continue
        start, end = trim(doc, min(c.left_edge.i for c in picked), max(c.right_edge.i for c in picked) + 1)
        if end - start < 2:
            continue
        possessors = [c for c in _doc.children(token) if c.dep_ == "poss"]
        source = _source_range(possessors[0]) if possessors else None
        found.append(
            _Found(
                content=char_bounds(doc, start, end),
                cue=(token.idx, token.idx + len(token.text)),
                source=char_bounds(doc, source[0], source[1]) if source else None,
                kind="indirect",
                cue_token=token,
                source_token=doc[source[2]] if source else None,
            )
        )
    return found


def _is_that_clause(clause: Token) -> bool:
    """`the claim that …` (a complement), not `the claim he made` (a relative clause)."""
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in _doc.children(clause)) or clause.dep_ == "ccomp"


def _evidential_attributions(doc: Doc, quotes: list[Quote]) -> list[_Found]:
    """`Trump’s supporters seemed unperturbed`: a sourceless claim, the whole clause its content."""
    verbs = read_words("evidential_verbs")
    found = []
    for token in _doc.tokens(doc):
        if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in verbs or inside_quote(token.idx, quotes):
            continue
        if not any(c.dep_ in ("xcomp", "acomp", "ccomp", "attr") for c in _doc.children(token)):
            continue
        start, end = trim(doc, *subtree_bounds(token))
        if end - start < 3:
            continue
        found.append(
            _Found(
                content=char_bounds(doc, start, end),
                cue=_cue_chars(token),
                source=None,
                kind="indirect",
                cue_token=token,
            )
        )
    return found


def _colon_attributions(doc: Doc, text: str) -> list[_Found]:
    """`NY Daily News: Paris Attacks Highlight Threat` — a line opened by a named speaker and a colon."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG") or ent.end >= len(doc) or doc[ent.end].text != ":":
            continue
        line_start = text.rfind("\n", 0, ent.start_char) + 1
        if text[line_start : ent.start_char].strip():
            continue  # the name must open its line
        line_end = text.find("\n", ent.end_char)
        line_end = len(text) if line_end < 0 else line_end
        colon = doc[ent.end]
        content_start = colon.idx + 1
        while content_start < line_end and text[content_start].isspace():
            content_start += 1
        if len(text[content_start:line_end].split()) < 3:
            continue
        found.append(
            _Found(
                content=(content_start, line_end),
                cue=(colon.idx, colon.idx + 1),
                source=(ent.start_char, ent.end_char),
                kind="indirect",
                source_token=ent.root,
            )
        )
    return found


# ---------------------------------------------------------------------------------------------
# Quotations


def _drop_nested(found: list[_Found]) -> list[_Found]:
    """Keep one attribution per content: the one whose cue is closest (the first found wins ties)."""
    seen: dict[tuple[int, int], _Found] = {}
    for item in found:
        seen.setdefault(item.content, item)
    kept = list(seen.values())
    # One cue reports one content: `“A,” she said. “B.”` can reach `said` from both quotes.
    by_cue: dict[tuple[int, int], _Found] = {}
    for item in kept:
        if item.cue is None:
            continue
        other = by_cue.get(item.cue)
        if other is None or item.content[1] - item.content[0] > other.content[1] - other.content[0]:
            by_cue[item.cue] = item
    return [item for item in kept if item.cue is None or by_cue[item.cue] is item]


def _split_quote_dominant(text: str, found: list[_Found], quotes: list[Quote]) -> list[_Found]:
    """Mark the kind of each attribution from the quotes in its content; split content made of quotes."""
    result = []
    for item in found:
        inside = within(quotes, *item.content)
        if not inside:
            result.append(item)
            continue
        quoted = sum(q.end - q.start for q in inside)
        length = item.content[1] - item.content[0]
        interrupted = item.cue is not None and item.content[0] < item.cue[0] < item.content[1]
        unquoted_words = len(_unquoted(text, item, inside).split())
        if quoted >= length - 2 or interrupted:
            item.kind = "direct"
            item.quotes = inside
            if len(inside) == 1 and not interrupted:  # the words said, without the marks and the comma before `he said`
                item.content = (inside[0].inner_start, inside[0].inner_end)
            result.append(item)
        elif unquoted_words <= _MAX_FRAME_WORDS and len(inside) > 1:
            for quote in inside:
                result.append(
                    _Found(
                        content=(quote.inner_start, quote.inner_end),
                        cue=item.cue,
                        source=item.source,
                        kind="direct",
                        cue_token=item.cue_token,
                        source_token=item.source_token,
                        target_region=item.target_region,
                        quotes=[quote],
                    )
                )
        elif unquoted_words <= _MAX_FRAME_WORDS:
            item.kind = "direct"
            item.content = (inside[0].inner_start, inside[0].inner_end)
            item.quotes = inside
            result.append(item)
        else:
            item.kind = "mixed"
            item.quotes = inside
            result.append(item)
    return result


def _unquoted(text: str, item: _Found, inside: list[Quote]) -> str:
    """The words of a content outside its quotations (`it as … and …`)."""
    pieces, at = [], item.content[0]
    for quote in sorted(inside, key=lambda q: q.start):
        pieces.append(text[at : quote.start])
        at = quote.end
    pieces.append(text[at : item.content[1]])
    return " ".join(pieces)


def _orphan_quotes(doc: Doc, text: str, found: list[_Found], quotes: list[Quote]) -> list[_Found]:
    """Direct quotations no reporting verb claimed, with the speaker of a neighbouring sentence."""
    # A quotation is claimed when a content overlaps it: among the contents starting before the
    # quotation ends, the furthest-reaching one tells (bisected, not a scan of every content per quote).
    claimed = sorted(f.content for f in found)
    claimed_starts = [start for start, _ in claimed]
    reach = list(itertools.accumulate((end for _, end in claimed), max))
    orphans = []
    for quote in quotes:
        n_before = bisect.bisect_left(claimed_starts, quote.end)
        if n_before and reach[n_before - 1] > quote.start:
            continue
        if len(text[quote.inner_start : quote.inner_end].split()) < ORPHAN_QUOTE_MIN_WORDS:
            continue  # scare quotes and titles, not speech
        speaker = _neighbour_speaker(doc, quote, found)
        orphans.append(
            _Found(
                content=(quote.inner_start, quote.inner_end),
                cue=speaker.cue if speaker else None,
                source=speaker.source if speaker else None,
                kind="direct",
                cue_token=speaker.cue_token if speaker else None,
                source_token=speaker.source_token if speaker else None,
                quotes=[quote],
            )
        )
    return orphans


def _neighbour_speaker(doc: Doc, quote: Quote, found: list[_Found]) -> _Found | None:
    """The attribution just before the quote (`He said:`) or just after it in the next sentence."""
    first = _doc.sentence_of(doc, quote.start)
    last = _doc.sentence_of(doc, max(quote.end - 1, quote.start))
    before = [
        f
        for f in found
        if f.cue
        and f.source
        and f.content[1] <= quote.start
        and _doc.sentence_of(doc, f.cue[0]) >= first - _SPEAKER_WINDOW
    ]
    after = [
        f
        for f in found
        if f.cue and f.source and f.content[0] >= quote.end and _doc.sentence_of(doc, f.cue[0]) <= last + 1
    ]
    if before:
        return max(before, key=lambda f: f.content[1])
    if after:
        return min(after, key=lambda f: f.content[0])
    return None


# ---------------------------------------------------------------------------------------------
# Resolving sources and targets to canonical entities


class _Resolver:
    """Maps spans of the article to canonical entities (mentions, else spaCy's entities)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        mentions = list(_doc.mention_spans(doc))
        if mentions:
            self.mentions = [(m.start_char, m.end_char, m.kb_id_, m.label_, m.root.i) for m in mentions]
            self.names = {m.kb_id_: _doc.entity_name(doc, m.kb_id_) or _strip_possessive(m.text) for m in mentions}
        else:
            self.mentions, self.names = [], {}
            for ent in doc.ents:
                if ent.label_ not in (*_AGENT_LABELS, "LOC", "FAC"):
                    continue
                name = _strip_possessive(ent.text)
                entity_id = "E" + hashlib.sha1(f"{ent.label_}\0{name}".encode()).hexdigest()[:12]
                self.mentions.append((ent.start_char, ent.end_char, entity_id, ent.label_, ent.root.i))
                self.names[entity_id] = name
        self.mentions.sort()
        self.roles = _doc.facts(doc, "roles")
        self._roles_index: dict[str, list[dict]] | None = None
        from .entities import resolve_reference

        self.resolve_reference = resolve_reference
        self._starts = [m[0] for m in self.mentions]
        # The longest mention bounds how far back a mention covering an offset can start.
        self._longest = max((m[1] - m[0] for m in self.mentions), default=0)
        self.groups = _speaker_groups()
        self.group_places: dict[str, str] = {}  # group name -> the place the article gave it first
        self.group_mentions: dict[tuple[int, int], tuple[str, str, str]] = {}
        self._quotes: list[Quote] | None = None
        self.found: list[_Found] = []  # the article's statements, for the speaker of a quotation
        self._writers: set[str] = set()  # the writer's ids: never what a later `they` stands for

    def inside(self, start: int, end: int, labels=_AGENT_LABELS) -> list[tuple]:
        # Mentions are sorted by start: look only at those starting in [start, end).
        first, last = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return [m for m in self.mentions[first:last] if m[1] <= end and m[3] in labels]

    def _near(self, start: int, end: int) -> list[tuple]:
        """Mentions that may overlap ``[start, end)``, in order: only those starting within the
        longest mention's length before ``start`` can reach it (a few, whatever the article length)."""
        first = bisect.bisect_right(self._starts, start - self._longest)
        return self.mentions[first : bisect.bisect_left(self._starts, end)]

    def source(self, found: _Found) -> str | None:
        """Entity id of the source of ``found``."""
        if found.source is None:
            return None
        head = found.source_token
        start, end = found.source
        personal = head is not None and head.lower_ in ("who", "whom")  # `who` stands for people
        if head is not None and head.lower_ in _RELATIVE and head.head.dep_ == "relcl":
            antecedent = head.head.head
            if antecedent.dep_ == "appos" and antecedent.pos_ == "NOUN" and antecedent.head.pos_ == "PROPN":
                antecedent = antecedent.head  # `The Remembrance Project, a non-profit that advocates …`
            start, end = antecedent.left_edge.idx, antecedent.idx + len(antecedent.text)
            head = antecedent
        part = _partitive_whole(head) if head is not None else None
        if part is not None:  # `64 percent of Democratic voters say`: the voters speak
            head = part
            start, end = part.left_edge.idx, part.right_edge.idx + len(part.right_edge.text)
        within = self.inside(start, end)
        if head is not None:
            for m in within:  # the mention the source's head word belongs to
                if m[0] <= head.idx < m[1]:
                    return m[2]
            for child in _doc.children(head):  # `the Kremlin spokesman, Dmitry Peskov`
                if child.dep_ == "appos":
                    for m in within:
                        if m[0] <= child.idx < m[1]:
                            return m[2]
        people = [m for m in within if m[3] == "PERSON"]
        if people:
            return people[0][2]
        if head is not None:
            by_role = self._role(head)
            if by_role:
                return by_role
            if head.lower_ in _PRONOUN_LABELS or head.lower_ in _PRONOUN_FORMS:
                return self._antecedent(head)
            if head.pos_ in ("NOUN", "PROPN"):
                reference = self._reference(head)
                if reference:
                    return reference
                group = self._group(head)
                if group:
                    return group
                if not within:
                    described = self._described_person(head)
                    if described:
                        return described
        if within:
            return within[0][2]
        return self._unnamed(head, personal=personal) if head is not None else None

    def _unnamed(self, head: Token, *, personal: bool = False) -> str | None:
        """A speaker the article does not name: the writer (`I`, `we`), a document (`the report`),
        an elliptical quantifier (`some`, `many`, `others`), a plural noun (`employers`) or a noun
        for a person (`a judge`, `a farmer who`: ``personal`` when `who` refers to it): a group."""
        word = head.lower_
        if word in _FIRST_PERSON:
            return self._writer(head)
        if head.pos_ not in ("NOUN", "PROPN", "PRON", "DET", "ADJ", "NUM"):
            return None
        if word in _DOCUMENTS or head.lemma_.lower() in _DOCUMENTS:
            return self._document(head)
        if word in _SOMEONE:  # `someone said`, `those who say`: people the article leaves unnamed
            return self._add_group(head, _PEOPLE, "NORP", placed=False)
        counted = head.tag_ == "CD" and head.like_num and head.ent_type_ not in _NOT_COUNTS  # `39 said`
        if (word in _ELLIPTICAL or counted) and _partitive_whole(head) is None:
            return self._elliptical(head)  # `some say`, `three in 10 said`
        if word in _ORG_NOUNS and any(c.lower_ in ("the", "this") for c in _doc.children(head)):
            return self._latest(head, "ORG")  # `the newspaper said`: the organisation named last
        if head.tag_ == "NN" and (not head.is_lower or head.lower_.endswith(("ing", "ship")) or word in _PARTITIVES):
            personal = False  # `Planning` of a name, `leadership`, `a number who`: not a person's noun
        if head.pos_ == "NOUN" and head.is_alpha and (head.tag_ == "NNS" or personal or _is_person_noun(head)):
            return self._add_group(head, _plural_name(head), "NORP")  # `employers`, `a judge`
        return None

    def _writer(self, head: Token) -> str | None:
        """`I`/`we` in the writer's own voice: the article's author (its byline, else its outlet, else
        the `Author` group). Not inside a quotation, nor in a transcript or interview turn (`A: I think`),
        where the first person is whoever speaks there."""
        if self._in_quote(head.idx):
            return self._quoted_speaker(head)
        turn = _speaker_turn(self.doc, head)
        if turn is not None:  # `TAPPER: … I think`: the labelled speaker; `A: I think`: unknown
            named = self.inside(*turn, labels=("PERSON", "ORG"))
            return named[0][2] if named else None
        author, outlet = getattr(self.doc._, "nk_author", None), getattr(self.doc._, "nk_source", None)
        name, label = (author, "PERSON") if author else (outlet, "ORG") if outlet else (_AUTHOR, "NORP")
        eid = _group_entity_id(label, name)
        self.names[eid] = name
        self._writers.add(eid)
        start, end = head.idx, head.idx + len(head.text)
        self.group_mentions.setdefault((start, end), (eid, name, label))
        return eid

    def _quoted_speaker(self, head: Token) -> str | None:
        """`“… I think …,” Bryant said`: the first person of a quotation is the speaker of the closest
        statement whose content holds it."""
        holders = [
            f
            for f in self.found
            if f.content[0] <= head.idx < f.content[1]
            and f.source is not None
            and not f.source[0] <= head.idx < f.source[1]
            and (f.source_token is None or f.source_token.lower_ not in _FIRST_PERSON)
        ]
        if not holders:
            return None
        return self.source(min(holders, key=lambda f: f.content[1] - f.content[0]))

    def _in_quote(self, offset: int) -> bool:
        if self._quotes is None:
            self._quotes = find_quotes(_doc.text(self.doc))
        return inside_quote(offset, self._quotes)

    def _document(self, head: Token) -> str | None:
        """`a statement`, `the report`: whoever issued it (`X issued a statement saying`, the same
        document introduced earlier with its issuer), else a group named by the noun (`Reports`)."""
        issuer = self._issuer(head)
        if issuer is None and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in _doc.children(head)):
            lemma = head.lemma_.lower()
            for earlier in reversed(self.doc[self._window_start(head, _DOCUMENT_WINDOW) : head.i]):
                if earlier.lemma_.lower() == lemma and earlier.pos_ == "NOUN":
                    issuer = self._issuer(earlier)
                    break
        return issuer or self._add_group(head, _plural_name(head), "WORK_OF_ART", placed=False)

    def _issuer(self, document: Token) -> str | None:
        """Who a document belongs to: its owner (`the campaign's ad`, `a report by the CBO`) or the
        subject of the verb that issued it (`McConnell issued a statement`)."""
        owners = [c for c in _doc.children(document) if c.dep_ in ("poss", "compound")]
        owners += [o for c in _doc.children(document) if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
                   for o in _doc.children(c) if o.dep_ == "pobj"]  # fmt: skip
        if document.dep_ == "dobj" and document.head.pos_ == "VERB":
            owners += [c for c in _doc.children(document.head) if c.dep_ == "nsubj"]
        for owner in owners:
            if owner.lower_ in _PRONOUN_FORMS or owner.lower_ in _PRONOUN_LABELS:
                found = self._antecedent(owner)
            else:
                found = self._entity_at(owner, labels=_AGENT_LABELS) or self._group(owner, 1)
            if found:
                return found
        return None

    def _latest(self, head: Token, label: str) -> str | None:
        """The entity with ``label`` mentioned last before ``head``, within the pronoun window."""
        window_start = _doc.sentence_starts(self.doc)[
            max(_doc.sentence_of(self.doc, head.idx) - _PERSON_PRONOUN_WINDOW, 0)
        ]
        first, last = bisect.bisect_left(self._starts, window_start), bisect.bisect_left(self._starts, head.idx)
        for m in reversed(self.mentions[first:last]):
            if m[3] == label and m[1] <= head.idx:
                return m[2]
        return None

    def _window_start(self, head: Token, back: int) -> int:
        """Index of the first token of the sentence ``back`` sentences before ``head``'s."""
        first = _doc.sentence_starts(self.doc)[max(_doc.sentence_of(self.doc, head.idx) - back, 0)]
        span = self.doc.char_span(first, first + 1, alignment_mode="expand")
        return span.start if span is not None else head.sent.start

    def _elliptical(self, head: Token) -> str | None:
        """`Some said`, `many believe`, `others call it`: part of the group named just before (a group
        noun or a people's name in this sentence or the one before), else unnamed `People`."""
        for token in reversed(self.doc[self._window_start(head, 1) : head.i]):
            if token.tag_ not in ("NNS", "NNPS"):
                continue
            found = self._entity_at(token, labels=("NORP",))
            if found is None and token.lower_ in self.groups:
                found = self._group(token)
            if found is None and token.dep_ in _SUBJECTS and token.pos_ == "NOUN" and token.lower_ not in _DOCUMENTS:
                found = self._add_group(token, _plural_name(token), "NORP")  # `nurses walked out … many said`
            if found:
                return found
        return self._add_group(head, _PEOPLE, "NORP", placed=False)

    def _described_person(self, head: Token) -> str | None:
        """`the candidate`, `the businessman`: a definite description of a person stands for the person
        the article is talking about (as `he` would)."""
        if head.tag_ != "NN" or not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in _doc.children(head)):
            return None
        word = head.lower_
        # `the campaign` with no owner named: the campaign of the candidate the article follows
        if word not in lexicons.words("person_nouns", lower=True) and word not in _titles() and word != "campaign":
            return None
        return self._antecedent(head, form="he")

    def _entity_at(self, token: Token, labels=(*_AGENT_LABELS, "LOC", "FAC")) -> str | None:
        for m in self._near(token.idx, token.idx + 1):
            if m[0] <= token.idx < m[1] and m[3] in labels:
                return m[2]
        return None

    def _group(self, head: Token, depth: int = 0) -> str | None:
        """`police`, `officials`, `witnesses` → a group entity (`Lafayette Police`, ORG);
        `a spokesman for the army` → the army (an entity of the article, else a group)."""
        word = head.lower_
        owned = word in _OWNED_WORDS or word in _POLL_WORDS
        if word in _SPOKES_WORDS or head.lemma_.lower() in _SPOKES_WORDS or owned:
            if depth:
                return None
            preps = ("by", "for", "from") if word in _POLL_WORDS else ("for", "of", "from")  # a poll *of* voters
            owners = [
                o
                for c in _doc.children(head)
                if c.dep_ == "prep" and c.lower_ in preps
                for o in _doc.children(c)
                if o.dep_ == "pobj"
            ]
            owners += [c for c in _doc.children(head) if c.dep_ in ("poss", "compound")]
            if word in _POLL_WORDS:  # `a Washington Post-ABC News poll`, `a poll released by Monmouth University`
                last = head.right_edge
                named = self.inside(head.left_edge.idx, last.idx + len(last.text), ("ORG",))
                if named:
                    return named[0][2]
            for owner in owners:
                if owner.lower_ in _PRONOUN_FORMS or owner.lower_ in _PRONOUN_LABELS:
                    found = self._antecedent(owner)  # `his campaign`: the campaign speaks for him
                else:
                    found = self._entity_at(owner) or self._group(owner, depth + 1)
                if found:
                    return found
            if word not in self.groups:
                return None  # `a spokesman` of no one named; `aides` alone are a group
        entry = self.groups.get(word)
        if entry is None or head.pos_ not in ("NOUN", "PROPN"):
            return None
        for child in _doc.children(head):  # `members of Congress`: the organisation named speaks
            if child.dep_ == "prep" and child.lower_ == "of":
                for whole in _doc.children(child):
                    named = self._entity_at(whole, labels=_BODY_LABELS) if whole.dep_ == "pobj" else None
                    if named:
                        return named
        return self._add_group(head, entry[0], entry[1] if len(entry) > 1 else "ORG")

    def _add_group(self, head: Token, name: str, label: str, *, placed: bool = True) -> str:
        """The id of group ``name`` (with the place the article gives it when ``placed``), noted as a
        mention at ``head``."""
        place = self._place(head) if placed else None
        if place:
            self.group_places.setdefault(name, place)
        elif placed:
            place = self.group_places.get(name)
        full = f"{place} {name}" if place else name
        eid = _group_entity_id(label, full)
        self.names[eid] = full
        start, end = head.idx, head.idx + len(head.text)
        if not any(m[0] < end and start < m[1] for m in self._near(start, end)):
            self.group_mentions.setdefault((start, end), (eid, full, label))
        return eid

    def _place(self, head: Token) -> str | None:
        """The place a group noun's own phrase gives: `Lafayette police`, `police in Lafayette`."""
        candidates = [c for c in _doc.children(head) if c.dep_ in _PLACE_MODIFIERS and c.i < head.i]
        candidates += [
            o
            for c in _doc.children(head)
            if c.dep_ == "prep" and c.lower_ in ("in", "of", "from")
            for o in _doc.children(c)
            if o.dep_ == "pobj"
        ]
        for token in candidates:
            for m in self._near(token.idx, token.idx + 1):
                if m[0] <= token.idx < m[1] and m[3] in ("GPE", "LOC", "NORP"):
                    return _strip_possessive(_doc.text(self.doc)[m[0] : m[1]])
            if token.dep_ == "compound" and token.pos_ == "PROPN" and token.is_title:
                words = [t for t in _doc.subtree(token) if t.pos_ == "PROPN"]
                return " ".join(t.text for t in words)
        return None

    def add_group_mentions(self) -> None:
        """Put the group sources in the article's mentions, so `who is quoted` counts them."""
        if not self.group_mentions:
            return
        mentions = _doc.facts(self.doc, "mentions")
        names = (self.doc._.nk_facts or {}).setdefault("entity_names", {})
        for (start, end), (eid, name, label) in self.group_mentions.items():
            names[eid] = name
            mentions.append(
                {
                    "entity_id": eid,
                    "name": name,
                    "label": label,
                    "text": _doc.text(self.doc)[start:end],
                    "start": start,
                    "end": end,
                    "sentence": _doc.sentence_of(self.doc, start),
                    "article_id": self.doc._.nk_article_id,
                }
            )
        mentions.sort(key=lambda row: (row["start"], row["end"]))
        # Keep doc.spans["nk_mentions"] one span per mention row, as later extractors expect.
        spans = list(_doc.mention_spans(self.doc))
        for (start, end), (eid, _, label) in self.group_mentions.items():
            span = self.doc.char_span(start, end, label=label, kb_id=eid)
            if span is not None:
                spans.append(span)
        self.doc.spans[_doc.MENTIONS_KEY] = sorted(spans, key=lambda span: (span.start_char, span.end_char))

    def _roles_by_word(self) -> dict[str, list[dict]]:
        """Roles rows by the last word of their role, built once (a scan of every role per source grew
        with the square of the article's length)."""
        if self._roles_index is None:
            self._roles_index = {}
            for role in self.roles:
                last = str(role.get("role") or "").lower().split()[-1:]
                if last:
                    self._roles_index.setdefault(last[0], []).append(role)
        return self._roles_index

    def _role(self, head: Token) -> str | None:
        """`the spokesman` → the person the roles table gives that role."""
        word = head.lemma_.lower()
        for role in self._roles_by_word().get(word, ()):  # only the roles ending in that word, in table order
            if role.get("start") is not None and role["start"] > head.idx:
                continue
            if str(role.get("role") or "").lower().split()[-1:] == [word]:
                return role.get("entity_id")
        return None

    def _reference(self, head: Token) -> str | None:
        """`the ministry` → the closest earlier mention whose name holds that word."""
        if self.resolve_reference is not None:
            try:
                span = self.doc[head.left_edge.i : head.i + 1]
                entity_id = self.resolve_reference(self.doc, span)
            except Exception:  # the entities module owns that function; never fail a row for it
                entity_id = None
            if entity_id:
                return entity_id
        if not any(c.lower_ in ("the", "this", "that") for c in _doc.children(head)):
            return None
        word = head.lower_
        # Walk back from the reference: the closest fitting mention ends the search early.
        for m in reversed(self.mentions[: bisect.bisect_left(self._starts, head.idx)]):
            if m[1] <= head.idx and word in (self.names.get(m[2]) or "").lower().split():
                return m[2]
        return None

    def _antecedent(self, pronoun: Token, *, form: str | None = None) -> str | None:
        """The salient earlier entity a pronoun stands for: subjects first, then the closest sentence,
        then the first mention of that sentence. ``he``/``she`` with no person in that window stand
        for the person mentioned last before them."""
        form = form or _PRONOUN_FORMS.get(pronoun.lower_, pronoun.lower_)
        labels = _PRONOUN_LABELS[form]
        sent_index = _doc.sentence_of(self.doc, pronoun.idx)
        # Only mentions within the pronoun windows below can be chosen: look only at those.
        back = _PERSON_PRONOUN_WINDOW if form in ("he", "she") else 2
        window_start = _doc.sentence_starts(self.doc)[max(sent_index - back, 0)]
        first, last = bisect.bisect_left(self._starts, window_start), bisect.bisect_right(self._starts, pronoun.idx)
        best = None
        for m in self.mentions[first:last]:
            if m[1] > pronoun.idx or m[3] not in labels:
                continue
            distance = sent_index - _doc.sentence_of(self.doc, m[0])
            # "he"/"she" in news usually continues the person of the last paragraphs; other pronouns stay close.
            if distance > back:
                continue
            token = self.doc[m[4]]
            is_subject = token.dep_ in _SUBJECTS or (token.dep_ == "appos" and token.head.dep_ in _SUBJECTS)
            plural_fit = form != "they" or m[3] != "PERSON" or token.tag_ in ("NNS", "NNPS")
            if not plural_fit:
                continue
            score = (distance - (1.5 if is_subject else 0), m[0] if distance == 0 else -m[0])
            if best is None or score < best[0]:
                best = (score, m[2])
        if best is None and form in ("he", "she"):
            for m in reversed(self.mentions[:first]):  # the person mentioned last, further back
                if m[3] == "PERSON" and m[1] <= pronoun.idx:
                    return m[2]
        if best is None and form == "they":  # `Police said … They added`: the group that spoke last
            groups = [
                (start, eid)
                for (start, _), (eid, _, label) in self.group_mentions.items()
                if start < pronoun.idx and label in ("ORG", "NORP") and eid not in self._writers
            ]
            if groups and sent_index - _doc.sentence_of(self.doc, max(groups)[0]) <= back:
                return max(groups)[1]
            # `asked workers if they planned to attend`: the group noun named last
            start_token = self.doc.char_span(window_start, window_start + 1, alignment_mode="expand")
            for token in reversed(self.doc[start_token.start if start_token else 0 : pronoun.i]):
                if token.tag_ == "NNS" and token.lower_ in self.groups:
                    return self._group(token)
        return best[1] if best else None

    def target(self, found: _Found) -> str | None:
        """The entity a blaming claim is about: a person named in the verb's object, else a group."""
        if found.target_region is None:
            return None
        within = self.inside(*found.target_region)
        for labels in (("PERSON",), ("ORG", "NORP"), ("GPE",)):
            for m in within:
                if m[3] in labels:
                    return m[2]
        return None


def _partitive_whole(head: Token) -> Token | None:
    """The group a partitive takes part of: `percent` in `64 percent of voters` → `voters`."""
    if head.lower_ not in _PARTITIVES or any(c.dep_ == "appos" for c in _doc.children(head)):
        return None  # `one of the men, Jessie Elkins,`: the apposition names the speaker
    for child in _doc.children(head):
        if child.dep_ == "prep" and child.lower_ == "of":
            for whole in _doc.children(child):
                if whole.dep_ == "pobj":
                    return whole
    return None


def _speaker_turn(doc: Doc, token: Token) -> tuple[int, int] | None:
    """The speaker's label (`A`, `TAPPER`, `Cecile Richards`) opening ``token``'s paragraph, as in an
    interview, a transcript or a quoted headline: there the first person is that speaker, not the
    writer. None when the paragraph has no such label."""
    text = _doc.text(doc)
    start = text.rfind("\n", 0, token.idx) + 1
    label, colon, _ = text[start : token.idx].partition(":")
    words = label.split()
    if not colon or not 0 < len(words) <= 4:
        return None
    if label.isupper() or len(words[-1]) == 1 or all(w[:1].isupper() for w in words):
        return start, start + len(label)
    return None


def _is_person_noun(token: Token) -> bool:
    """A singular noun for a person (`judge`, `reporter`, `woman`): person nouns, titles, the singular
    of a speaker group, or a word in ``-man``/``-woman``/``-person``."""
    word = token.lemma_.lower()
    if token.tag_ != "NN":
        return False
    if word in lexicons.words("person_nouns", lower=True) or word in _titles():
        return True
    if word.endswith(("man", "person")):
        return word not in _NOT_MAN  # `spokesman`, `chairwoman`, `salesperson`; not `human`
    return f"{word}s" in lexicons.words("speaker_groups", lower=True)


def _plural_name(token: Token) -> str:
    """A group name from a noun: `statement` → `Statements`, `analysis` → `Analyses`, `data` → `Data`,
    `woman` → `Women`, `person` → `People`."""
    word = token.lower_ if token.tag_ in ("NNS", "NNPS") else token.lemma_.lower()
    if token.tag_ not in ("NNS", "NNPS"):
        if word.endswith("person"):
            word = word[: -len("person")] + "people"
        elif word.endswith("man") and word not in _NOT_MAN:
            word = word[:-3] + "men"
        elif word.endswith("sis"):
            word = word[:-2] + "es"
        elif word.endswith(("s", "x", "ch", "sh")):
            word += "es"
        elif word.endswith("y") and word[-2:-1] not in "aeiou":
            word = word[:-1] + "ies"
        elif word not in _MASS_DOCUMENTS:
            word += "s"
    return word.capitalize()


def _titles() -> frozenset[str]:
    from .entities import titles

    return titles()


def _group_entity_id(label: str, name: str) -> str:
    # The entities module's formula, so a group has the same id in every article.
    return "E" + hashlib.sha1(f"{label}\0{name}".encode()).hexdigest()[:12]


def _strip_possessive(text: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _row(doc: Doc, text: str, found: _Found, resolver: _Resolver) -> dict:
    source_id = resolver.source(found)
    target_id = resolver.target(found)
    row = {
        "kind": found.kind,
        "source": resolver.names.get(source_id) if source_id else None,
        "source_entity_id": source_id,
        "source_text": text[found.source[0] : found.source[1]] if found.source else None,
        "source_start": found.source[0] if found.source else None,
        "source_end": found.source[1] if found.source else None,
        "cue": text[found.cue[0] : found.cue[1]] if found.cue else None,
        "cue_start": found.cue[0] if found.cue else None,
        "cue_end": found.cue[1] if found.cue else None,
        "content": text[found.content[0] : found.content[1]],
        "content_start": found.content[0],
        "content_end": found.content[1],
        "target": resolver.names.get(target_id) if target_id else None,
        "target_entity_id": target_id,
        "sentence": _doc.sentence_of(doc, found.content[0]),
    }
    return row
