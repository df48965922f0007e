"""Extract `events` rows: one per event mention, with its trigger, put on the calendar.

Mentions (triggers): every full verb; every copula or main-verb "have" (states: "is the
successor"); nouns that name a happening or an action (``event_triggers.tsv`` nouns,
``event_nouns.txt``, and deverbal nouns in -tion/-ment/-ance/-al/-ure unless
``non_event_nouns.txt`` lists them); a few state adjectives (``event_adjectives.txt``:
"dead", "guilty", "missing"). Each row keeps the trigger (``trigger``, ``trigger_start``,
``trigger_end``, ``lemma``) and, as context, the clause of the predicate it belongs to
(``start``/``end``/``text``).

``salient`` marks happenings a timeline shows: a finite, affirmed, non-modal eventive
predicate (not a statement, not a cognitive verb such as "believe"), or a happening noun
(``event_triggers.tsv``) whose governing verb is not negated, modal or an infinitive
("to prevent further violence" is not one). Reporting verbs are ``kind="statement"``.

Dating what happened, not when it was said, in order:

1. A DATE/TIME expression attached to the trigger in the dependency tree (the nearest
   trigger above the expression's head owns it; a noun's expression also dates its verb;
   a relative clause on the expression, "last October, when he was shot", happened then;
   a verb takes its complement's: "began trading in July", "invited them to join in July
   1997", but not a verb of expectation or schedule: "is expected to close around year
   end" is expected now; an expression under an adjective dates that state, not the verb:
   "declared a dividend, payable Dec. 7"; an expression right
   before an event noun dates that noun, "the Dec. 21, 1988, bombing", "Thursday's
   ruling"). Else the expression of the trigger above it in its clause, never climbing
   from a reporting or cognitive verb's complement to that verb: in "X said on Tuesday
   that gunmen attacked the convoy late on Monday" the attack is Monday's, the saying
   Tuesday's; a past relative clause on a dated event noun happened then ("the 1995
   shooting of Dr. Short, who was wounded"). ``dated_by="timex"``, precision from the
   value's granularity (``2008`` → year) and the dates the value's whole interval ("early
   September" → September, as its precision says).
2. A trigger noun after "N years after/before" is dated by that distance from publication
   ("more than two decades after a Kosovo Albanian uprising": ended no later than
   publication − 20 years).
3. A past event in a sentence with no time expression takes the last dated expression of
   its paragraph when that day is before publication (the narrative is still on that
   day); a dateline (a date alone on its line) dates the article, not its narrative, and
   a narrative on the publication day adds nothing to the past tense.
4. The day the article reports on: when its time expressions name one day before
   publication most often (within the week before it: a print story on yesterday's
   news; on a tie with the publication day, the earlier day, as "will recommend today"
   looks ahead), its undated past events and statements are dated that day
   (``dated_by="narrative"``, precision day); a past perfect ("had ambushed", "had
   said") happened before the time told, not on it, and only ends before publication.
5. Tense: statements and present-tense events are dated on the publication day
   (``dated_by="publication"``, precision day), except a past statement in a story told
   in the simple past that names no day near publication and has no dated dateline
   ("Intel said ..." under a lead such as "Bethlehem Steel posted a 54% drop in
   profit"): it ends before publication, as past events do. Past (and present perfect,
   and modal perfect: "may have been buried") events end on or before publication,
   future ones (``will``, a modal, an infinitive, a present tense under "if", "unless",
   "once", "until": "if a suspect is caught") start at it and are open-ended:
   ``precision="bound"``, ``dated_by="tense"``.
6. A definite event noun left undated ("the slaying", "its acquisition") names the same
   event as an earlier mention of its event class (``event_classes.tsv``) dated in the
   article, and takes its date (``dated_by="story"``: the same event elsewhere in its
   story, here the article itself).

Without a publication date and a time expression, an event has no date.
"""

from __future__ import annotations

import bisect
import collections
import datetime as dt
import functools
import re
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from .. import lexicons
from . import _doc
from ._doc import facts, mention_spans, sentence_of
from ._doc import text as doc_text
from ._timex_rules import interval

__all__ = ["extract_events"]


#: Clause relations whose head verb is a predicate of its own.
_CLAUSE_DEPS = {"ROOT", "conj", "advcl", "relcl", "ccomp", "parataxis"}
_MODALS = frozenset(row[0] for row in lexicons.rows("modals") if row[1:] == ("modal",))
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_PLACE_PREPOSITIONS = {"in", "at", "near", "across", "throughout", "inside", "outside", "around"}
_ACTOR_DEPS = {"nsubj", "nsubjpass", "agent", "dobj", "pobj", "poss", "compound", "appos", "conj", "attr", "dative"}
#: "Granularity" of a TIMEX3 value → the event's precision.
_PRECISION = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "day"),
    (re.compile(r"\d{4}-W\d{2}-WE$"), "day"),
    (re.compile(r"\d{4}-W\d{2}$"), "week"),
    (re.compile(r"\d{4}-\d{2}$"), "month"),
    (re.compile(r"\d{4}-(?:SP|SU|FA|WI)$"), "season"),
    (re.compile(r"\d{4}-Q\d$"), "quarter"),
    (re.compile(r"\d{4}(?:-H\d)?$"), "year"),
    (re.compile(r"\d{3}$"), "decade"),
    (re.compile(r"\d{2}$"), "century"),
)
#: How many days before publication the day an article reports on can be (a weekday name reaches back a week).
_NEWS_DAY_WINDOW = 7
_DURATION = re.compile(r"P(?P<n>\d+(?:\.\d+)?)(?P<unit>[YMWD])$")


@functools.cache
def _triggers() -> dict[tuple[str, str], str]:
    """(lemma, "verb"/"noun") → kind, from ``event_triggers.tsv``."""
    table: dict[tuple[str, str], str] = {}
    for lemma, kind, pos in lexicons.rows("event_triggers"):
        for part in ("verb", "noun") if pos == "both" else (pos,):
            table[(lemma.strip(), part)] = kind
    return table


@functools.cache
def _non_eventive() -> frozenset[str]:
    return lexicons.words("non_eventive_verbs")


@functools.cache
def _reporting_verbs() -> frozenset[str]:
    """Reporting verbs of the attribution extractor (a complement makes them statements)."""
    return lexicons.words("reporting_verbs")


def extract_events(doc: Doc) -> list[dict]:
    """Rows of the `events` table found in ``doc`` (without ``article_id``).

    Args:
        doc: A Doc prepared by :func:`newskit.extract.pipeline.prepare_doc`, after the
            timexes (and ideally attributions and casualties) extractors ran.

    Returns:
        One row per event mention (its trigger), in text order.
    """
    published = doc._.nk_published
    if isinstance(published, dt.datetime):
        published = published.date()
    text = doc_text(doc)  # spaCy joins every token on each access: read it once per Doc
    timexes = [t for t in facts(doc, "timexes") if t.get("start") is not None]
    sources = {
        a["cue_start"]: a["source"]
        for a in facts(doc, "attributions")
        if a.get("source") and a.get("cue_start") is not None
    }
    cue_starts = set(sources)
    casualty_spans = _Spans((c["start"], c["end"]) for c in facts(doc, "casualties") if c.get("start") is not None)
    index = _MentionIndex(doc)

    news_day = _news_day([t for t in timexes if not _dateline(text, t)], published)
    # a story under a dated dateline ("January 18 , 2005" alone on its line) is told as of that day;
    # one told in the simple past that names no day tells of days before publication
    past_story = news_day is None and not any(_dateline(text, t) for t in timexes) and _told_in_past(doc)
    rows: list[dict] = []
    timex_at = 0
    context = None  # the last dated time of the paragraph, for sentences that give none
    for sent in doc.sents:
        while timex_at < len(timexes) and timexes[timex_at]["start"] < sent.start_char:
            timex_at += 1
        sentence_timexes = []
        k = timex_at
        while k < len(timexes) and timexes[k]["start"] < sent.end_char:
            sentence_timexes.append(timexes[k])
            k += 1
        if context is not None and "\n\n" in text[context["end"] : sent.start_char]:
            context = None  # a new paragraph: the time the narrative was at no longer holds
        rows.extend(
            _sentence_events(
                doc,
                text,
                sent,
                sentence_timexes,
                published,
                index,
                sources,
                cue_starts,
                casualty_spans,
                context,
                news_day,
                past_story,
            )
        )
        days = [
            t
            for t in sentence_timexes
            if t.get("type") == "DATE"
            and t.get("date_start") is not None
            and not _dateline(text, t)  # the dateline dates the article, not its narrative
        ]
        if days:
            context = days[-1]
    rows.sort(key=lambda r: (r["trigger_start"], r["start"], r["end"]))
    _same_event_dates(doc, rows)
    return rows


@functools.cache
def _event_classes() -> dict[str, str]:
    """Lemma → event class, from ``event_classes.tsv`` ("slaying" and "murder" are one class)."""
    table: dict[str, str] = {}
    for name, lemmas, *_ in lexicons.rows("event_classes"):
        for lemma in lemmas.split(","):
            table[lemma.strip()] = name.strip()
    return table


_DEFINITE = {"the", "this", "that", "these", "those"}


def _same_event_dates(doc: Doc, rows: list[dict]) -> None:
    """Date undated definite event nouns by the last dated mention of their event class before them.

    "Dr. Slepian was killed on Oct. 23 ... the slaying": the slaying is Oct. 23's.
    Only a noun with a definite determiner or a possessive refers back; rows change in place.
    """
    classes = _event_classes()
    last: dict[str, dict] = {}
    for row in rows:
        lemma = row["lemma"]
        key = classes.get(lemma, lemma)
        if key in last and row["dated_by"] in ("tense", "publication", "narrative") and _definite_noun(doc, row):
            ante = last[key]
            row.update({k: ante[k] for k in ("date_start", "date_end", "precision")})
            row["dated_by"] = "story"
        if row["dated_by"] in ("timex", "story") and row["date_start"] is not None and row["date_end"] is not None:
            last[key] = row


def _definite_noun(doc: Doc, row: dict) -> bool:
    span = doc.char_span(row["trigger_start"], row["trigger_end"], alignment_mode="expand")
    if span is None or span.root.pos_ != "NOUN":
        return False
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in _doc.children(span.root))


def _sentence_events(
    doc,
    text,
    sent,
    sentence_timexes,
    published,
    index,
    sources,
    cue_starts,
    casualty_spans,
    context,
    news_day=None,
    past_story=False,
):
    """The event mentions of one sentence, dated."""
    predicates: list[Token] = []
    predicate_ids: set[int] = set()
    sent_tokens = _doc.tokens(doc)[sent.start : sent.end]
    for token in sent_tokens:  # heads come before their conjuncts, so a conjunct can check its head
        if _is_predicate(token) and (
            token.dep_ != "conj" or token.head.i in predicate_ids or token.head.dep_ in _CLAUSE_DEPS
        ):
            predicates.append(token)
            predicate_ids.add(token.i)
    triggers = [t for t in sent_tokens if _is_trigger(t)]
    trigger_ids = {t.i for t in triggers}
    owned = {p.i: _clause_tokens(p, predicates) for p in predicates}
    # the predicate whose clause holds each token (the context of noun and non-finite triggers)
    clause_of: dict[int, int] = {}
    for head, tokens in owned.items():
        for t in tokens:
            clause_of[t.i] = head

    # a dateline ("October 17 , 2007" alone on its line) dates the article, not the events after it
    datable = [t for t in sentence_timexes if t.get("type") in ("DATE", "TIME") and not _dateline(text, t)]
    own_timex = _timex_owners(doc, datable, trigger_ids)
    nominal = {
        row["trigger_start"]: row for row in _nominal_events(doc, text, sent, sentence_timexes, published, index)
    }

    rows = []
    for trigger in triggers:
        if trigger.idx in nominal:  # "two decades after a Kosovo Albanian uprising": dated by that distance
            rows.append(nominal.pop(trigger.idx))
            continue
        is_verb = trigger.pos_ in ("VERB", "AUX")
        kind = _kind(trigger, cue_starts, casualty_spans) if is_verb else _noun_kind(trigger)
        timex = _timex_for(trigger, own_timex)
        if timex is None and _before(context, published) and not datable and _tense(trigger) == "past":
            # "Police said Monday ... . They also arrested ...": the narrative is still on Monday (a
            # narrative on the publication day itself adds nothing to the past tense: not carried)
            timex = context
        dating = _date_event(trigger, kind, timex, published, news_day, past_story=past_story)
        if trigger.i in owned:
            clause = owned[trigger.i]
        elif is_verb:
            clause = _clause_tokens(trigger, predicates)
        else:
            host = clause_of.get(trigger.i)
            clause = owned[host] if host is not None else list(_doc.subtree(trigger))
        if is_verb:
            row = _row(doc, text, sent, trigger, clause, kind, dating, index)
        else:
            phrase = [t for t in _doc.subtree(trigger) if t.i >= trigger.i - 4 and t.i <= trigger.i + 6]
            row = _row(
                doc,
                text,
                sent,
                trigger,
                clause,
                kind,
                dating,
                index,
                description=_noun_phrase(doc, phrase),
                participants_of=list(_doc.subtree(trigger)),
            )
        row["salient"] = _salient(trigger, kind, predicate_ids)
        source = sources.get(trigger.idx)
        if source and kind == "statement":
            if source not in row["actors"]:
                row["actors"] = [source, *row["actors"]]  # "they have expressed concern": they = Russia
            row["description"] = re.sub(r"^(?:they|it|he|she|we)\b", source, row["description"], flags=re.I)
        rows.append(row)
    rows.extend(nominal.values())
    return rows


# --------------------------------------------------------------------------- triggers

#: Suffixes of deverbal event nouns ("the arrival", "the investigation", "the agreement").
_EVENT_SUFFIXES = ("tion", "sion", "ment", "ance", "ence", "al", "ure")
#: Cognitive and perception verbs: mentions, never happenings.
_COGNITIVE = frozenset(
    [
        "believe",
        "think",
        "know",
        "feel",
        "expect",
        "hope",
        "want",
        "wish",
        "fear",
        "doubt",
        "suppose",
        "assume",
        "understand",
        "realize",
        "realise",
        "suspect",
        "guess",
        "imagine",
        "remember",
        "forget",
        "learn",
        "hear",
        "see",
        "consider",
        "plan",
        "intend",
        "decide",
        "seem",
        "appear",
        "like",
        "love",
        "hate",
        "need",
        "prefer",
        "mean",
    ]
)


@functools.cache
def _word_list(name: str) -> frozenset[str]:
    return lexicons.words(name)


def _is_trigger(token: Token) -> bool:
    """Whether ``token`` names an event: a full verb, or a noun that names a happening or an action."""
    pos = token.pos_
    if pos == "VERB":
        if token.lower_ == "according" or token.lemma_ == "accord":
            return False  # "according to": a preposition in all but name
        return token.is_alpha or "-" in token.text
    if pos == "AUX" and token.dep_ not in ("aux", "auxpass") and token.is_alpha:
        return True  # a copula or main-verb "have" heads a state ("is the successor", "has a display")
    if pos not in ("ADJ", "PROPN", "NOUN"):
        return False  # most words: decided before reading the lemma
    lemma = token.lemma_.lower()
    if pos == "ADJ":
        return lemma in _word_list("event_adjectives.txt")
    if pos == "PROPN" and token.is_title:  # a headline's "Shooting", "Arrest"
        return (lemma, "noun") in _triggers() or lemma in _word_list("event_nouns.txt")
    if pos != "NOUN" or not token.is_alpha:
        return False
    if (lemma, "noun") in _triggers() or lemma in _word_list("event_nouns.txt"):
        return True
    if lemma in _word_list("non_event_nouns.txt") or len(lemma) < 6:
        return False
    return lemma.endswith(_EVENT_SUFFIXES)


def _noun_kind(noun: Token) -> str:
    kind = _triggers().get((noun.lemma_.lower(), "noun")) or "other"
    return "arrest" if kind == "violence" and _police_operation(noun) else kind


def _police_operation(trigger: Token) -> bool:
    """Whether ``trigger`` is a raid carried out by law enforcement, an arrest rather than an attack.

    Its agent says so ("police raided", "customs officers, who raided", "a raid by police"), or
    what it targets ("a drug raid", "the port smuggling raid"), or the clause it belongs to
    ("police arrested eight people in a raid"); a raid by gunmen or troops stays violence.
    """
    roles = lexicons.table("law_enforcement", lower=True)
    if roles.get(trigger.lemma_.lower()) != "operation":
        return False
    if trigger.pos_ in ("VERB", "AUX"):
        kids = _doc.children(trigger)
        agents = [c for c in kids if c.dep_ == "nsubj"]
        agents += [g for c in kids if c.dep_ == "agent" for g in _doc.children(c) if g.dep_ == "pobj"]
        if trigger.dep_ == "relcl":  # "officers who raided": the antecedent, without the clause itself
            agents += [trigger.head, *(c for c in _doc.children(trigger.head) if c.dep_ == "compound")]
            return any(roles.get(t.lemma_.lower()) in ("agent", "crime") for t in agents)
    else:
        kids = _doc.children(trigger)
        agents = [c for c in kids if c.dep_ in ("compound", "amod", "nmod", "poss")]
        agents += [g for c in kids if c.lower_ == "by" for g in _doc.children(c) if g.dep_ == "pobj"]
        verb = trigger.head.head if trigger.dep_ == "pobj" else None
        if verb is not None and verb.pos_ == "VERB":  # "arrested eight people in a raid"
            if _triggers().get((verb.lemma_.lower(), "verb")) == "arrest":
                return True
            agents += [c for c in _doc.children(verb) if c.dep_ in ("nsubj", "nsubjpass")]
    return any(roles.get(t.lemma_.lower()) in ("agent", "crime") for a in agents for t in _doc.subtree(a))


def _irrealis(verb: Token) -> bool:
    """A negated, modal, infinitive or imperative verb: what it names did not (yet) happen."""
    for child in _doc.children(verb):
        if child.dep_ == "neg" or (child.dep_ == "aux" and (child.lower_ in _MODALS or child.tag_ == "TO")):
            return True
    return verb.lemma_.lower() in ("prevent", "avoid", "stop", "threaten", "plan", "fear", "want", "seek")


def _verb_above(token: Token) -> Token | None:
    """The nearest verb governing ``token`` (None at the sentence root)."""
    doc = token.doc
    head_of, toks = _doc.heads(doc), _doc.tokens(doc)
    i = token.i
    while head_of[i] != i:
        i = head_of[i]
        if toks[i].pos_ in ("VERB", "AUX"):
            return toks[i]
    return None


def _salient(trigger: Token, kind: str, predicate_ids: set[int]) -> bool:
    """Happenings: a finite, affirmed, eventive predicate or a happening noun in a real (not hypothetical) context."""
    if kind == "statement":
        return False
    lemma = trigger.lemma_.lower()
    if trigger.pos_ in ("VERB", "AUX"):
        return trigger.i in predicate_ids and lemma not in _COGNITIVE
    if (lemma, "noun") not in _triggers():
        return False
    verb = _verb_above(trigger)
    return verb is None or not _irrealis(verb)


# --------------------------------------------------------------------------- predicates


def _is_predicate(token: Token) -> bool:
    if token.pos_ != "VERB" or token.dep_ not in _CLAUSE_DEPS:
        return False
    kids = _doc.children(token)
    if any(c.dep_ == "neg" for c in kids):
        return False  # "has not accepted": nothing happened
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in kids):
        return False  # "must monitor", "could meet": not (yet) an event
    if token.lemma_.lower() in _non_eventive():
        return False
    if token.dep_ == "ROOT" and token.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in kids):
        return False  # an imperative ("Contact her at …", "Find details …") tells the reader, it reports nothing
    # participles and infinitives ("taking refuge", "to prevent") add no dated event
    return token.dep_ not in ("advcl", "relcl", "ccomp", "conj") or _finite(token)


def _finite(token: Token) -> bool:
    return token.tag_ in ("VBD", "VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ != "TO" for c in _doc.children(token)
    )


def _clause_tokens(predicate: Token, predicates: list[Token]) -> list[Token]:
    """The predicate's subtree without the clauses of other predicates below it."""
    others = {p.i for p in predicates if p.i != predicate.i}
    tokens: list[Token] = []
    stack = [predicate]
    while stack:
        token = stack.pop()
        tokens.append(token)
        stack.extend(c for c in _doc.children(token) if c.i not in others)
    return sorted(tokens, key=lambda t: t.i)


def _kind(predicate: Token, cue_starts: set, casualty_spans: _Spans) -> str:
    lemma = predicate.lemma_.lower()
    kind = _triggers().get((lemma, "verb"))
    if kind == "violence" and _police_operation(predicate):
        kind = "arrest"
    if kind is None and predicate.idx in cue_starts:
        kind = "statement"
    if kind is None and lemma in _reporting_verbs() and any(c.dep_ == "ccomp" for c in _doc.children(predicate)):
        kind = "statement"
    if kind is None:
        # "lost their lives", "were killed": a casualty report is violence
        if casualty_spans.covers(predicate.idx):
            kind = "violence"
        else:
            for child in _doc.children(predicate):
                if child.dep_ in ("dobj", "nsubjpass", "pobj", "prep"):
                    noun = (
                        child
                        if child.dep_ != "prep"
                        else next((g for g in _doc.children(child) if g.dep_ == "pobj"), child)
                    )
                    noun_kind = _triggers().get((noun.lemma_.lower(), "noun"))
                    if noun_kind and noun_kind != "statement":
                        kind = noun_kind
                        break
    return kind or "other"


# --------------------------------------------------------------------------- dating


def _timex_owners(doc: Doc, datable: list[dict], trigger_ids: set[int]) -> dict[int, dict]:
    """Trigger token index → the DATE/TIME expression attached to it in the dependency tree.

    A time expression belongs to the nearest trigger above its head ("attacked ... on Monday",
    "last week's attack"); one held by a noun trigger also dates the verb that noun belongs to,
    when no verb stands between ("killed in an attack on Monday"), and one held by no trigger
    dates the sentence's root.
    """
    owners: dict[int, dict] = {}
    bubbled: dict[int, dict] = {}
    for timex in datable:
        span = doc.char_span(timex["start"], timex["end"], alignment_mode="expand")
        if span is None:
            continue
        for token in _doc.tokens(doc)[span.start : span.end]:
            for child in _doc.children(token):  # "last October, when he was gunned down": the clause happened then
                if (
                    child.dep_ in ("relcl", "acl", "advcl")
                    and child.i in trigger_ids
                    and not span.start <= child.i < span.end
                ):
                    owners.setdefault(child.i, timex)
        current = span.root
        owner = None
        state = False
        head_of = _doc.heads(doc)
        while head_of[current.i] != current.i:
            current = current.head
            if current.i in trigger_ids and not (span.start <= current.i < span.end):
                owner = current
                break
            if current.pos_ == "ADJ" and not (span.start <= current.i < span.end):
                state = True  # "a dividend payable Dec. 7", "effective Jan. 1": the time of that state
                break
        if state:
            continue
        if owner is None:
            root = span.root.sent.root
            if root.i in trigger_ids and root.i not in owners:
                owners[root.i] = timex
            continue
        owners.setdefault(owner.i, timex)
        if owner.pos_ == "NOUN":
            verb = _verb_above(owner)
            if verb is not None and verb.i in trigger_ids and not _reports(verb):
                bubbled.setdefault(verb.i, timex)
    for i, timex in bubbled.items():
        owners.setdefault(i, timex)
    for timex in datable:  # "the Dec. 21, 1988, bombing": whatever the parser made of it
        noun = _premodified_noun(doc, timex)
        if noun is not None and noun.i in trigger_ids:
            owners.setdefault(noun.i, timex)
    for i, timex in list(owners.items()):
        # "began trading in July", "sought ..., saying on Friday": the verb the non-finite clause completes
        token = _doc.tokens(doc)[i]
        # a verb happens with its complement ("began trading in July", "invited them to join in July
        # 1997"), but an expectation or a schedule does not ("is expected to close around year end")
        while (token.dep_ == "xcomp" and token.head.lemma_.lower() not in _PROSPECTIVE_VERBS) or (
            token.dep_ == "advcl" and token.tag_ == "VBG"
        ):
            token = token.head
            if token.i not in trigger_ids or token.i in owners:
                break
            owners[token.i] = timex
    return owners


#: Verbs of expectation and schedule: the time of their complement is not theirs ("is scheduled to close
#: Monday": scheduled before Monday).
_PROSPECTIVE_VERBS = frozenset(["expect", "schedule", "set", "suppose", "intend", "hope", "require", "slate", "due"])


def _premodified_noun(doc: Doc, timex: dict) -> Token | None:
    """The noun a time expression stands before ("the Dec. 21, 1988, bombing", "Thursday's ruling")."""
    span = doc.char_span(timex["start"], timex["end"], alignment_mode="expand")
    if span is None:
        return None
    i = span.end
    while i < len(doc) and doc[i].text in (",", "'s", "’s", "'"):
        i += 1
    for j in range(i, min(i + 3, len(doc))):  # "the 1995 sniper shooting": past a compound or an adjective
        token = doc[j]
        if token.pos_ == "NOUN" and token.dep_ != "compound":
            return token
        if token.pos_ not in ("NOUN", "ADJ", "PROPN"):
            return None
    return None


def _reports(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    return lemma in _reporting_verbs() or lemma in _COGNITIVE or _triggers().get((lemma, "verb")) == "statement"


#: Relations along which a trigger takes the time of the trigger above it.
_INHERIT_DEPS = {
    "conj",
    "xcomp",
    "advcl",
    "pcomp",
    "dobj",
    "nsubj",
    "nsubjpass",
    "pobj",
    "prep",
    "compound",
    "npadvmod",
    "acomp",
    "oprd",
    "appos",
    "amod",
    "nmod",
    "poss",
    "attr",
    "agent",
    "dative",
    "dep",
}


def _timex_for(trigger: Token, owners: dict[int, dict]) -> dict | None:
    """The time expression dating ``trigger``: its own, else the one of the trigger above it in its clause.

    Climbing stops at a clause boundary that changes time (a relative or complement clause)
    and never crosses from a reporting or cognitive verb's complement to that verb: "said on
    Tuesday that gunmen attacked" leaves the attack undated by Tuesday.
    """
    timex = owners.get(trigger.i)
    if timex is not None:
        return timex
    current = trigger
    head_of = _doc.heads(trigger.doc)
    while head_of[current.i] != current.i:
        head = current.head
        if current.dep_ == "relcl" and head.pos_ == "NOUN" and head.i in owners and _tense(current) == "past":
            return owners[head.i]  # "the 1995 shooting of Dr. Short, who was wounded": then
        if current.dep_ not in _INHERIT_DEPS:
            return None
        if current.pos_ == "NOUN" and head.pos_ in ("VERB", "AUX") and _reports(head):
            return None  # "condemned on Tuesday the attack": the attack is not Tuesday's
        current = head
        timex = owners.get(current.i)
        if timex is not None:
            return timex
    return None


def _as_date(value):
    return value.date() if isinstance(value, dt.datetime) else value


def _dateline(text: str, timex: dict) -> bool:
    """A date alone on its line ("October 17 , 2007"): the article's dateline, not a time of its narrative."""
    line_start = text.rfind("\n", 0, timex["start"]) + 1
    line_end = text.find("\n", timex["end"])
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start : timex["start"]].strip(" ,-–—(") and not text[timex["end"] : line_end].strip(" ,.-–—)")


def _before(timex: dict | None, published: dt.date | None) -> bool:
    """Whether a dated time expression ends before the publication day (any such, when that is unknown)."""
    if timex is None or timex.get("date_end") is None:
        return False
    return published is None or _as_date(timex["date_end"]) < published


def _news_day(timexes: list[dict], published: dt.date | None) -> dt.date | None:
    """The day the article reports on: the day its time expressions name most often, among the
    days of the week up to publication; None if they name none, or name three or more days
    equally often. Of two days named equally often, the one before publication wins (a print
    story names its own day for what is still to come, "will recommend today"), else the first.

    A print story published the morning after ("said yesterday", "rose Friday") reports on the
    day before; a wire story on its publication day ("said Wednesday" of a Wednesday story).
    """
    if published is None:
        return None
    days = []
    for t in timexes:
        if t.get("type") != "DATE" or t.get("date_start") is None or t.get("date_start") != t.get("date_end"):
            continue
        day = _as_date(t["date_start"])
        if 0 <= (published - day).days <= _NEWS_DAY_WINDOW:
            days.append(day)
    if not days:
        return None
    counts = collections.Counter(days)
    best = max(counts.values())
    tied = [d for d in days if counts[d] == best]
    if len(set(tied)) > 2:
        return None  # "Friday ... Saturday ... Sunday", each once: no one day the story reports on
    # a print story names the day it appears on for what is still to come ("will recommend today"):
    # on a tie the earlier day it reports on wins; else the day named first (the lead's)
    return next((d for d in tied if d != published), tied[0])


def _date_event(
    trigger: Token,
    kind: str,
    timex: dict | None,
    published: dt.date | None,
    news_day: dt.date | None = None,
    *,
    past_story: bool = False,
) -> dict:
    """date_start, date_end, precision and dated_by of one event mention.

    A time expression dates it (``timex``); else a past event or statement in an article that
    reports on a day before its publication (``news_day``) is dated that day (``narrative``);
    else a statement, or a present-tense event, is dated on the publication day
    (``publication``); else tense bounds it (``tense``): past = on or before publication,
    future (``will``, a modal, an infinitive) = after it.
    """
    if timex is not None:
        dated = _from_timex(timex, published)
        if dated is not None:
            return dated
    if published is None:
        return {"date_start": None, "date_end": None, "precision": None, "dated_by": None}
    tense = _tense(trigger)
    if tense == "future":
        return {"date_start": published, "date_end": None, "precision": "bound", "dated_by": "tense"}
    if tense == "past" and _past_perfect(trigger):  # "had ambushed", "had said": before what is told
        return {"date_start": None, "date_end": published, "precision": "bound", "dated_by": "tense"}
    if news_day is not None and news_day < published and tense == "past":
        # "Ratners said it reached an agreement" in a story on yesterday's news: yesterday's
        return {"date_start": news_day, "date_end": news_day, "precision": "day", "dated_by": "narrative"}
    if tense == "past" and kind == "statement" and past_story and trigger.pos_ in ("VERB", "AUX"):
        # "Intel said the flaws ...", in a story told in the past that names no day: before publication
        return {"date_start": None, "date_end": published, "precision": "bound", "dated_by": "tense"}
    if tense == "present" or (tense == "past" and kind == "statement" and trigger.pos_ in ("VERB", "AUX")):
        # a statement is dated when reported (EXPECTED.md); "has signed" counts as past (see _tense)
        return {"date_start": published, "date_end": published, "precision": "day", "dated_by": "publication"}
    return {"date_start": None, "date_end": published, "precision": "bound", "dated_by": "tense"}


def _from_timex(timex: dict, published: dt.date | None) -> dict | None:
    value = timex.get("value") or ""
    start, end = timex.get("date_start"), timex.get("date_end")
    whole = interval(value) if timex.get("type") in ("DATE", "TIME") else None
    if whole is not None and start is not None:
        # the value's whole interval, as its precision says: "early September" is dated September
        # (the month the value names), not the first ten days the time expression narrows it to
        start, end = whole
    if start is not None and end is not None:
        precision = next((name for pattern, name in _PRECISION if pattern.match(value)), "day")
        return {"date_start": start, "date_end": end, "precision": precision, "dated_by": "timex"}
    if published is None:
        return None
    if value == "PAST_REF":
        return {"date_start": None, "date_end": published, "precision": "bound", "dated_by": "timex"}
    if value == "PRESENT_REF":
        return {"date_start": published, "date_end": published, "precision": "day", "dated_by": "timex"}
    if value == "FUTURE_REF":
        return {"date_start": published, "date_end": None, "precision": "bound", "dated_by": "timex"}
    return None


#: Modals that put an event after the time of writing ("would", "could": not yet happened); "can" is present.
_FUTURE_MODALS = {"will", "shall", "'ll", "’ll", "wo", "would", "could", "may", "might", "should", "must", "ought"}


def _tense(token: Token, depth: int = 0) -> str:
    """past, present or future of a verb (from its auxiliaries) or of a noun (from the verb governing it)."""
    if token.pos_ not in ("VERB", "AUX"):
        verb = _verb_above(token)
        return "past" if verb is None or depth > 4 else _tense(verb, depth + 1)
    kids = _doc.children(token)
    aux = [c for c in kids if c.dep_ in ("aux", "auxpass")]
    lowered = {a.lower_ for a in aux}
    if token.tag_ == "VBN" and "have" in lowered and lowered & _FUTURE_MODALS:
        return "past"  # "may have been buried", "would have chosen": a modal perfect looks back
    if "could" in lowered and any(c.dep_ == "neg" for c in kids):
        return "past"  # "could not be reached for comment": an inability, the past of "cannot"
    if lowered & _FUTURE_MODALS or any(a.tag_ == "TO" for a in aux) or lowered & {"going", "about"}:
        return "future"  # "will sign", "agreed to buy", "is expected to rise": not yet
    if (
        token.lemma_ == "lead"
        and token.head.lemma_.lower() in ("information", "tip")
        and token.tag_ in ("VBG", "VBZ", "VBP")
    ):
        return "future"  # "a reward for information leading to the arrest": the arrest is still to come
    if any(a.tag_ == "VBD" for a in aux) or (token.tag_ == "VBD" and not aux):
        return "past"
    if any(a.tag_ in ("VBZ", "VBP") and a.lemma_ == "have" for a in aux) and token.tag_ == "VBN":
        return "past"  # "has signed": done before writing (TimeBank and MEANTIME date it before the DCT)
    if any(a.tag_ in ("VBZ", "VBP", "MD") for a in aux) or token.tag_ in ("VBZ", "VBP"):
        # "if a suspect is caught", "once he comes", "until the court rules": a present tense that
        # a condition or a time still to come governs tells of what has not happened yet
        return "future" if _prospective_clause(token) else "present"
    if token.tag_ in ("VBG", "VBN", "VB") and _doc.heads(token.doc)[token.i] != token.i and depth < 4:
        return _tense(token.head, depth + 1)  # "killed in the attack", "saying": the tense of the clause above
    return "past"


#: Subordinators after which a present tense speaks of a condition or a time still to come.
_PROSPECTIVE_MARKS = frozenset(["if", "unless", "once", "until", "till", "before", "whether"])


def _prospective_clause(verb: Token) -> bool:
    """ "if the relatives balk", "once Gonzalez comes": an adverbial clause of condition or future time."""
    clause = verb
    while clause.dep_ == "conj" and _doc.heads(clause.doc)[clause.i] != clause.i:
        clause = clause.head  # "if a suspect is caught and charged": the conjunct shares the condition
    if clause.dep_ != "advcl":
        return False
    return any(c.dep_ == "mark" and c.lower_ in _PROSPECTIVE_MARKS for c in _doc.children(clause))


def _simple_past(verb: Token) -> bool:
    """ "said", "was told": a simple past, not a present perfect ("has said")."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    aux = [c for c in _doc.children(verb) if c.dep_ in ("aux", "auxpass")]
    if any(a.lemma_ == "have" for a in aux):
        return False
    return verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux)


#: Sentence-final characters: a line ending in none of them is a headline, a dateline or a byline.
_LINE_ENDS = (".", "!", "?", '"', "'", "”", "’")


def _told_in_past(doc: Doc) -> bool:
    """Whether the article's lead (its first paragraph line that ends a sentence) is told in the
    simple past ("Intel said ...", "The FBI put ... on its list"), not in the present or the
    present perfect ("The recent turmoil has caught the attention of the Kremlin")."""
    text = doc_text(doc)  # spaCy joins every token on each access: read it once per Doc
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if len(line.split()) < 8 or not line.rstrip().endswith(_LINE_ENDS):
            continue
        span = doc.char_span(start, start + len(line), alignment_mode="contract")
        if span is None:
            return False
        lead = span[0].sent  # (t.sent per token would rebuild the sentence for every word)
        first_sentence = [t for t in span if lead.start <= t.i < lead.end]
        verbs = [t for t in first_sentence if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")]
        if not verbs:
            return False
        main = min(verbs, key=lambda t: len(list(t.ancestors)))
        return _simple_past(main)
    return False


def _past_perfect(verb: Token) -> bool:
    """ "had ambushed": done before the time the narrative is at, not on it."""
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("had", "'d", "’d") for c in _doc.children(verb))


def _years_before(published: dt.date, years: float) -> dt.date:
    whole = int(years)
    try:
        day = published.replace(year=published.year - whole)
    except ValueError:  # 29 February
        day = published.replace(year=published.year - whole, day=28)
    return day - dt.timedelta(days=round((years - whole) * 365))


def _nominal_events(doc: Doc, text: str, sent: Span, sentence_timexes: list[dict], published, index) -> list[dict]:
    """Trigger nouns a time expression ties to time: "two decades after a Kosovo Albanian uprising"."""
    rows = []
    for timex in sentence_timexes:
        after = re.match(r"\s*(?:,\s*)?(after|before|since)\s+", text[timex["end"] : timex["end"] + 12], re.IGNORECASE)
        if after is None:
            continue
        prep = doc.char_span(timex["end"] + after.start(1), timex["end"] + after.end(1), alignment_mode="expand")
        if prep is None:
            continue
        noun = next((c for c in _doc.children(prep[0]) if c.dep_ == "pobj"), None)
        if noun is None or noun.pos_ not in ("NOUN", "PROPN"):
            continue
        kind = _triggers().get((noun.lemma_.lower(), "noun"))
        if kind is None:
            continue
        dating = _relative_dating(timex, after.group(1).lower(), published)
        phrase = list(_doc.subtree(noun))
        row = _row(doc, text, sent, noun, phrase, kind, dating, index, description=_noun_phrase(doc, phrase))
        row["salient"] = kind != "statement"
        rows.append(row)
    return rows


def _relative_dating(timex: dict, relation: str, published: dt.date | None) -> dict:
    """Date the event X in "<duration> after X" (X ended that long before publication)."""
    none = {"date_start": None, "date_end": None, "precision": None, "dated_by": None}
    if published is None:
        return none
    value = timex.get("value") or ""
    match = _DURATION.match(value)
    if timex.get("type") == "DURATION" and match and relation == "after":
        n, unit = float(match["n"]), match["unit"]
        years = {"Y": n, "M": n / 12, "W": n * 7 / 365.25, "D": n / 365.25}[unit]
        latest = _years_before(published, years)
        if timex.get("mod") in ("LESS_THAN", "EQUAL_OR_LESS"):
            return {"date_start": latest, "date_end": published, "precision": "bound", "dated_by": "timex"}
        # "more than two decades after X" (or exactly): X ended no later than published − 20 years
        return {"date_start": None, "date_end": latest, "precision": "bound", "dated_by": "timex"}
    if timex.get("date_start") is not None and relation in ("before", "after"):
        # "before 2008": ended by the start of 2008; "after Monday": began after it
        if relation == "before":
            return {"date_start": None, "date_end": timex["date_start"], "precision": "bound", "dated_by": "timex"}
        return {"date_start": timex["date_end"], "date_end": published, "precision": "bound", "dated_by": "timex"}
    return {"date_start": None, "date_end": published, "precision": "bound", "dated_by": "publication"}


# --------------------------------------------------------------------------- rows


def _row(
    doc, text, sent, head: Token, clause: list[Token], kind, dating, index, *, description=None, participants_of=None
) -> dict:
    start = min(t.idx for t in clause)
    end = max(t.idx + len(t) for t in clause)
    actors, places = _participants(doc, head, participants_of or clause, index)
    return {
        **dating,
        "description": description or _describe(doc, head, clause, index),
        "kind": kind,
        "actors": actors,
        "places": places,
        "text": text[start:end],
        "start": start,
        "end": end,
        "sentence": sentence_of(doc, start),
        "trigger": head.text,
        "trigger_start": head.idx,
        "trigger_end": head.idx + len(head),
        "lemma": head.lemma_.lower(),
        "salient": False,
    }


class _Spans:
    """Character spans sorted by start, asked which cover an offset: only spans starting within the
    longest span's length before it can, so a lookup costs a bisection, not a pass over the article."""

    def __init__(self, spans) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def covers(self, char: int) -> bool:
        first = bisect.bisect_right(self.starts, char - self.longest)
        last = bisect.bisect_right(self.starts, char)
        return any(s <= char < e for s, e in self.spans[first:last])


class _Mention(NamedTuple):
    """What the rows read of a canonical mention, read once per Doc (a Span finds its root anew on
    every ``span.root``, and every clause of the article asks again)."""

    start: int
    end: int
    label: str
    name: str  # the canonical name, else the text
    root_dep: str
    root_head_i: int
    root_head_lower: str
    renamed: bool  # a partial name or a description: written by its canonical name in descriptions

    @classmethod
    def of(cls, span: Span, names: dict[str, str]) -> _Mention:
        root, text = span.root, span.text
        # a partial name or a description ("Kurti", "the ministry") reads better by its canonical
        # name; an adjective ("Serbian gunmen") or a full name stays as written
        renamed = span.label_ == "PERSON" or text.lower().startswith(("the ", "they", "it"))
        name = names.get(span.kb_id_) or text
        return cls(span.start, span.end, span.label_, name, root.dep_, root.head.i, root.head.lower_, renamed)


class _MentionIndex:
    """The canonical mentions of a Doc indexed by token, built once (lookups cost the clause, not the Doc)."""

    def __init__(self, doc: Doc) -> None:
        names = (doc._.nk_facts or {}).get("entity_names", {})  # entity id → canonical name, read once
        self.mentions: list[_Mention] = [_Mention.of(span, names) for span in mention_spans(doc)]
        self.at: dict[int, int] = {}
        for k, mention in enumerate(self.mentions):
            for i in range(mention.start, mention.end):
                self.at.setdefault(i, k)

    def within(self, token_ids) -> list[_Mention]:
        """Mentions touching any of ``token_ids``, in text order."""
        found = sorted({self.at[i] for i in token_ids if i in self.at})
        return [self.mentions[k] for k in found]


def _participants(doc: Doc, head: Token, clause: list[Token], index: _MentionIndex) -> tuple[list[str], list[str]]:
    """Canonical names of the entities in the clause: places (GPE/LOC/FAC after a preposition) and actors."""
    ids = {t.i for t in clause}
    subject_side = {
        t.i for c in _doc.children(head) if c.dep_ in ("nsubj", "nsubjpass", "agent") for t in _doc.subtree(c)
    }
    if head.dep_ == "relcl":  # "the Kremlin, which considers …": the noun the clause modifies is its subject
        noun = head.head
        subject_side |= {t.i for t in _doc.subtree(noun) if t.i < head.i and t.i not in ids} | {noun.i}
        ids |= {noun.i}
    actors: list[str] = []
    places: list[str] = []
    for mention in index.within(ids | subject_side):
        name = mention.name
        where = mention.root_dep == "pobj" and mention.root_head_lower in _PLACE_PREPOSITIONS
        if mention.label in _PLACE_LABELS and where:
            if name not in places:
                places.append(name)
        elif name not in actors:
            actors.append(name)
    return actors, places


def _describe(doc: Doc, head: Token, clause: list[Token], index: _MentionIndex) -> str:
    """Subject + verb group + object/first complement, with canonical names: "Kosovo declared independence from Serbia"."""
    kids = _doc.children(head)
    subject = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and head.dep_ == "relcl":
        subject = head.head
    if subject is None and head.dep_ == "conj":
        subject = next((c for c in _doc.children(head.head) if c.dep_ in ("nsubj", "nsubjpass")), None)
    parts: list[str] = []
    if subject is not None:
        if subject.tag_ in ("WDT", "WP") and head.dep_ == "relcl":
            subject = head.head
        appositions = [c.i for c in _doc.children(subject) if c.dep_ == "appos"]
        person = next(
            (
                m
                for m in index.within(appositions)
                if m.label == "PERSON" and m.root_dep == "appos" and m.root_head_i == subject.i
            ),
            None,
        )  # "The Kremlin spokesman, Dmitry Peskov, emphasized": the person is the subject
        parts.append(
            person.name if person is not None else _phrase(doc, subject, index, limit=6, head_only_if_long=True)
        )
    verb_group = [c for c in kids if c.dep_ in ("aux", "auxpass", "neg", "prt") and c.i < head.i + 2]
    parts.append(" ".join(t.text for t in sorted([*verb_group, head], key=lambda t: t.i)))
    for child in kids:
        if child.dep_ in ("dobj", "attr", "acomp", "prt", "dative") and child.i > head.i:
            parts.append(_phrase(doc, child, index, limit=8))
            break
    for child in kids:
        if child.dep_ in ("oprd", "xcomp", "ccomp") and child.i > head.i:
            parts.append(_phrase(doc, child, index, limit=6))
            break
    for child in kids:
        if child.dep_ == "prep" and child.i > head.i and not _is_time_phrase(child):
            parts.append(_phrase(doc, child, index, limit=8))
            break
    words = " ".join(p for p in parts if p).split()
    words = [w for i, w in enumerate(words) if i == 0 or w.lower() != words[i - 1].lower()]  # "stepping in in"
    return _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(words)).strip(" ,")


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.’'])")


def _is_time_phrase(prep: Token) -> bool:
    dated = _dated_tokens(prep.doc)
    # the subtree lies within its edges: with no date or time token there, it holds none
    k = bisect.bisect_left(dated, prep.left_edge.i)
    if k == len(dated) or dated[k] > prep.right_edge.i:
        return False
    return any(t.ent_type_ in ("DATE", "TIME") for t in _doc.subtree(prep))


def _dated_tokens(doc: Doc) -> list[int]:
    """Indices of the tokens the NER marks DATE or TIME, in order (built once per Doc)."""
    cached = doc.user_data.get("nk_dated_tokens")
    if cached is None:
        cached = [t.i for t in _doc.tokens(doc) if t.ent_type_ in ("DATE", "TIME")]
        doc.user_data["nk_dated_tokens"] = cached
    return cached


def _phrase(doc: Doc, token: Token, index: _MentionIndex, *, limit: int, head_only_if_long: bool = False) -> str:
    """A short rendering of ``token``'s subtree; entity mentions by canonical name, clauses cut."""
    subtree = _doc.subtree(token)
    cut = set()
    for t in subtree:
        if t.i != token.i and t.dep_ in ("relcl", "acl", "advcl", "appos", "punct", "ccomp"):
            cut |= {s.i for s in _doc.subtree(t)}
    tokens = [t for t in subtree if t.i not in cut]
    if len(tokens) > limit:
        tokens = [t for t in tokens if t.i >= token.i - 2 and t.i <= token.i] if head_only_if_long else tokens[:limit]
        while len(tokens) > 1 and tokens[-1].pos_ in ("DET", "ADP", "CCONJ", "PART", "PUNCT", "ADJ", "PRON"):
            tokens.pop()  # do not stop on "of the"
    names = {m.start: m for m in index.within(t.i for t in tokens) if m.renamed}
    words: list[str] = []
    skip_until = -1
    for t in tokens:
        if t.i < skip_until:
            continue
        mention = names.get(t.i)
        if mention is not None and mention.end - 1 <= tokens[-1].i:
            words.append(mention.name)
            skip_until = mention.end
            continue
        words.append(t.text)
    return " ".join(words)


def _noun_phrase(doc: Doc, tokens: list[Token]) -> str:
    words = [t.text for t in tokens if t.dep_ != "det"]
    return " ".join(words)
