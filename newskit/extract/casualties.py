"""Extract `casualties` rows from a parsed Doc, and sum them per article.

A casualty row says that a number of people (``count``) of some ``group`` were killed,
injured, arrested, kidnapped, missing or displaced, with the clause as evidence.
The extractor reads the dependency parse the way a reader reads a toll:

* **Who**: the victims are the subject of a passive or intransitive cue (``three people
  were killed``, ``a man died``), the object of an active one (``killing two``, ``shot the
  suspect``), the noun an adjective cue describes (``the injured woman``), or the object
  of ``left``/``found`` (``left one dead``). A victim is a person noun (lexicon
  ``casualty_groups.txt``), a name, a personal pronoun or a bare number; coordinated
  victims give one row each (``Three attackers and one police officer lost their
  lives`` → attacker 3 killed, police officer 1 killed).
* **How many**: the number modifying the victim (``approximately 50``, ``dozens``, read by
  :mod:`newskit.extract.numbers`); a singular noun, name or ``he``/``she`` is 1;
  ``no one``/``nobody``/``not injured``/``no injuries`` is a reported 0. Numbers that
  are not people are never counts: ``a 23-year-old man died`` is 1, ``shot three times``
  is 1 person shot.
* **What happened**: cue words and phrases (lexicon ``casualty_cues.txt``, plus
  ``pronounced dead``, ``lost their lives``, ``shot to death``, ``fatally shot``,
  ``succumbed to``, ``in critical condition``, ``taken to the hospital``, ``suffered a
  gunshot wound``, ``the death toll rose to 12``, ``a fatal shooting``, ``a murder-suicide``
  (2 killed)). Modal, attempted and future cues (``could have been killed``, ``attempted
  murder``, ``threatened to kill``) are not tolls, and neither are running totals
  (``214 people have been killed so far this year``, ``the city's 20th homicide in 2014``):
  sentences stating them give no rows.
* **Once per person**: within a sentence, one row per victim and outcome (killed beats
  injured); a pronoun or a repeated singular noun (``Man shot … a man was shot`` where a
  headline runs into the first sentence) is the person already counted, unless marked as
  someone else (``another man``, ``a second victim``).
* A reported fatal event with no figure (``a fatal shooting``, ``a homicide``) is one death
  when the article gives no other death toll.

Being *shot* (or struck, or taken to hospital, or in critical condition) does not say
whether the person lived. Within an article, such a person counts as **injured** only
beyond the people the article reports **killed** (``Two people were shot, one died`` →
1 killed, 1 injured; ``A man was shot. He died at the hospital`` → 1 killed, 0 injured),
unless the same sentence names a different person as killed (``a man was killed and a
woman was shot`` → 1 and 1).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pandas as pd
from spacy.tokens import Doc, Token

from .. import lexicons, schema
from . import _doc
from ._doc import mention_spans, sentence_of
from ._doc import text as doc_text
from .numbers import parse_amount

__all__ = ["SUMMARY_OUTCOMES", "casualty_summary", "extract_casualties"]

#: The outcomes :func:`casualty_summary` totals.
SUMMARY_OUTCOMES: tuple[str, ...] = ("killed", "injured")

_PRONOUNS_ONE = {"he", "she", "him", "her", "himself", "herself", "i", "me", "myself"}
_PRONOUNS_MANY = {"they", "them", "themselves", "we", "us"}
_ZERO_WORDS = {"nobody", "none", "noone"}
# Modal and future auxiliaries: `could be killed`, `will be charged` report no toll.
_MODALS = lexicons.words("modals")
_ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last"}
_ANOTHER = {"another", "second", "third", "fourth", "other"}
_NOT_REAL_HEADS = {"try", "attempt", "threaten", "plan", "want", "intend", "vow", "seek", "fear", "risk", "prevent"}
_CONDITION_WORDS = lexicons.table("condition_words")  # `in critical condition` -> shot
_HOSPITAL_WORDS = lexicons.words("hospital_words")
_CENTER_PREFIXES = {"medical", "health", "trauma", "burn", "shock", "cancer"}
_TRANSPORT_VERBS = {"take", "transport", "rush", "airlift", "fly", "carry", "bring", "drive", "transfer", "admit"}
_WOUND_NOUNS = {"wound", "injury", "gunshot", "graze"}
_FATAL_NOUNS = {"homicide", "murder", "slaying", "killing"}
_FATAL_ADJECTIVES = {"fatal", "deadly"}
_DEATH_NOUNS = {"death": "killed", "fatality": "killed", "injury": "injured", "casualty": "injured"}
_PRIORITY = {"killed": 0, "injured": 1, "shot": 2}
# Driven from home: `forced 2,000 people from their homes` (displaced), not a cue by the verb alone.
_EXPEL_VERBS = {"force", "drive", "chase", "flush", "evict", "uproot"}
_HOME_NOUNS = {"home", "house", "village", "town", "homeland"}
# Nouns a killing or injury cue can have without meaning people (`the bill died in committee`).
_NOT_PEOPLE = lexicons.words("not_people")
# `left two dead`, `found him dead`, `pronounced him dead`: the object is the victim.
_PLACING_VERBS = {"leave", "find", "pronounce", "declare", "confirm", "report", "list"}
_DATELINE_DASHES = {"-", "--", "—", "–", ":"}
_NUMBER_GLUE = {"million", "thousand", "hundred", "to", "-", "and", "or", "of"}
# Amounts without a figure that can stand for people (`dozens of people were hurt`).
_VAGUE_VICTIMS = lexicons.words("vague_victims")
# Running totals (`1,424 have been killed this year`, `the city's 20th homicide in 2014`) are
# statistics about a place or period, not the toll of the event an article reports.
_RUNNING_TOTAL = re.compile(
    r"\b(?:this|last|past|each|every|per) year\b|\bso far\b|\byear to date\b|\bannually\b|\ba year\b"
    r"|\bsince (?:january\b|jan\b\.?|(?:19|20)\d\d\b)|\bin (?:19|20)\d\d\b(?![-/])|\bdecades?\b",
    re.IGNORECASE,
)


@functools.cache
def _cues() -> dict[tuple[str, str], str]:
    """(lemma, VERB|ADJ) → outcome, from ``casualty_cues.txt``."""
    return {(lemma, pos): outcome for lemma, pos, outcome in lexicons.rows("casualty_cues")}


@functools.cache
def _person_nouns() -> frozenset[str]:
    return frozenset(row[0] for row in lexicons.rows("casualty_groups"))


@dataclass
class _Claim:
    outcome: str
    victim: Token
    cue: Token
    count: int | None
    low: int | None
    high: int | None
    mod: str | None
    group: str | None
    entity_id: str | None = None


def _subject(verb: Token) -> list[Token]:
    """Subjects of ``verb``, inherited from the verb it is coordinated with or the noun it modifies."""
    seen = 0
    while seen < 4:
        seen += 1
        subjects = [c for c in _doc.children(verb) if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            subject = subjects[0]
            if subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return [verb.head]
            return [subject]
        if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            return [verb.head]
        # A reported clause (`police say a woman has died`, ccomp) has its own subject: no climbing.
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX", "ADJ"):
            if verb.dep_ == "advcl" and verb.tag_ == "VBG":
                return []  # `..., killing two`: the victims are the object
            verb = verb.head
            continue
        return []
    return []


def _objects(verb: Token) -> list[Token]:
    objects = [c for c in _doc.children(verb) if c.dep_ in ("dobj", "obj")]
    if objects and objects[0].lower_ in ("himself", "herself", "themselves", "myself"):
        return _subject(verb) or objects
    return objects


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in _doc.children(verb)) or (
        verb.tag_ == "VBN"
        and verb.dep_ in ("acl", "conj", "amod")
        and not any(c.dep_ == "dobj" for c in _doc.children(verb))
    )


def _not_real(cue: Token) -> bool:
    """A cue in a modal, attempted, threatened or infinitive clause (`could have been killed`)."""
    for child in _doc.children(cue):
        if child.dep_ == "aux" and (child.lower_ in _MODALS or child.lower_ == "to"):
            return True
        if child.dep_ == "auxpass" and child.lower_ == "be" and any(c.lower_ == "to" for c in _doc.children(cue)):
            return True
    head = cue.head
    # `could have been shot dead`: the modal sits on the verb the adjective completes.
    completes_verb = (
        cue.pos_ == "ADJ" and cue.dep_ in ("oprd", "acomp", "xcomp", "advmod") and head.pos_ in ("VERB", "AUX")
    )
    if completes_verb and any(
        c.dep_ == "aux" and (c.lower_ in _MODALS or c.lower_ == "to") for c in _doc.children(head)
    ):
        return True
    while cue.dep_ == "conj" and head.pos_ in ("VERB", "AUX") and head is not cue:
        if any(c.dep_ == "aux" and (c.lower_ in _MODALS or c.lower_ == "to") for c in _doc.children(head)):
            return True
        cue, head = head, head.head
    if cue.dep_ in ("xcomp", "ccomp", "advcl") and head.lemma_ in _NOT_REAL_HEADS:
        return True
    return any(c.lemma_ in ("attempt", "attempted") and c.dep_ in ("amod", "compound") for c in _doc.children(cue))


def _negated(cue: Token) -> bool:
    return any(c.dep_ == "neg" for c in _doc.children(cue))


def _expand(victims: list[Token]) -> list[Token]:
    """Victims with their coordinated partners (`Three attackers and one police officer`)."""
    out: list[Token] = []
    for victim in victims:
        for token in [victim, *victim.conjuncts]:
            if token not in out:
                out.append(token)
    return out


def _is_person(token: Token) -> bool:
    lower = token.lower_
    if lower in _PRONOUNS_ONE or lower in _PRONOUNS_MANY or lower in _ZERO_WORDS or _is_age_noun(token):
        return True
    if token.like_num or token.pos_ == "NUM":
        return _is_head_count(token)
    if lower in _VAGUE_VICTIMS:
        return True
    if token.pos_ == "PROPN":
        return token.ent_type_ in ("PERSON", "") or token.ent_type_ == "NORP"
    if token.lemma_.lower() in _person_nouns() or lower in _person_nouns():
        return True
    if token.lower_ == "one":
        return True
    return token.ent_type_ == "NORP"


def _is_head_count(number: Token, *, modifies_person: bool = False) -> bool:
    """A number that can count people: not a year, a date, a code or an amount of money.

    spaCy sometimes reads `between 10 and 15 people` as a DATE; a number modifying a
    person noun is trusted over that label.
    """
    text = number.text
    labels = ("MONEY", "PERCENT", "QUANTITY") if modifies_person else ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY")
    if number.ent_type_ in labels or "_" in text:
        return False
    if text.isdigit() and (len(text) > 4 or (len(text) == 4 and text[:2] in ("19", "20"))):
        return False  # `20140214`, `2014`: a code or a year
    return not any(c.dep_ == "npadvmod" for c in _doc.children(number))


def _number_child(noun: Token) -> Token | None:
    for child in _doc.children(noun):
        if child.dep_ in ("nummod", "quantmod") and child.i < noun.i and (child.like_num or child.pos_ == "NUM"):
            if not _is_head_count(child, modifies_person=True):
                continue
            # `23-year-old`: a number glued by hyphens to the next word is an age, not a count.
            following = noun.doc[child.i + 1 : child.i + 4]
            if any(t.lower_ in ("year", "years", "-year", "-year-old", "month", "months") for t in following) or (
                len(following) and following[0].text == "-" and not child.whitespace_
            ):
                continue
            return child
        if child.dep_ == "amod" and child.lower_ in ("several", "many", "numerous", "multiple", "dozens", "both"):
            return child
    return None


def _amount_of(token: Token):
    """Parse the number phrase headed by ``token`` (its subtree: `more than 20`)."""
    subtree = [t for t in _doc.subtree(token) if t.i <= token.i or t.like_num or t.lower_ in _NUMBER_GLUE]
    start, end = subtree[0].i, subtree[-1].i + 1
    if token.lower_ in _VAGUE_VICTIMS:
        start, end = token.i, token.i + 1
    text = token.doc[start:end].text
    lower = token.lower_
    if lower == "both":
        return 2, 2, 2, None
    if lower in ("many", "numerous", "multiple"):
        return 2, 2, None, "EQUAL_OR_MORE"
    amount = parse_amount(text)
    dashes = [t.i for t in token.doc[start : token.i] if t.is_punct and t.text in _DATELINE_DASHES]
    if amount is None and dashes:
        # A dateline the parser hung on the number (`HARNOW - Nine people`): what follows the dash.
        # Words are never dropped otherwise: `the two` is people already counted, not a new count.
        amount = parse_amount(token.doc[dashes[-1] + 1 : end].text)
    if amount is None:
        return None, None, None, None
    low = int(amount.low) if amount.low is not None else None
    high = int(amount.high) if amount.high is not None else None
    count = low if low is not None else int(amount.value)
    return count, low, high, amount.mod


def _count_and_group(victim: Token, mentions, outcome: str = "killed") -> tuple | None:
    """(count, low, high, mod, group, entity_id) for a victim token; None if it is not a person.

    Besides person nouns, a counted plural noun is taken as people when the cue can only
    happen to the living (`two hikers were injured`), but not for `shot`/`struck`
    (`two cars were struck`).
    """
    if not _is_person(victim) and not (
        outcome in ("killed", "injured", "kidnapped", "missing")
        and victim.tag_ in ("NN", "NNS")
        and victim.lemma_.lower() not in _NOT_PEOPLE
        and _number_child(victim) is not None
    ):
        return None
    lower = victim.lower_
    entity_id = _entity_at(victim, mentions)
    if lower in _ZERO_WORDS or (lower == "one" and any(c.lower_ == "no" for c in _doc.children(victim))):
        return 0, 0, 0, None, None, None
    if lower == "one" and victim.i > 0 and victim.doc[victim.i - 1].lower_ == "no":
        return 0, 0, 0, None, None, None
    if any(c.dep_ == "det" and c.lower_ == "no" for c in _doc.children(victim)):
        return 0, 0, 0, None, _group_text(victim), entity_id
    if lower in _ORDINALS or lower in ("another", "someone", "somebody") or _is_age_noun(victim):
        return 1, 1, 1, None, None, entity_id
    if any(c.dep_ in ("det", "predet") and c.lower_ == "both" for c in _doc.children(victim)):
        return 2, 2, 2, None, _group_text(victim), entity_id
    if victim.like_num or victim.pos_ == "NUM" or lower in _VAGUE_VICTIMS:
        count, low, high, mod = _amount_of(victim)
        if count is None:
            return None
        group = None
        for child in _doc.children(victim):
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in _doc.children(child) if c.dep_ == "pobj"]
                if objects and _is_person(objects[0]):
                    group = _group_text(objects[0])
        return count, low, high, mod, group, entity_id
    if lower in _PRONOUNS_ONE:
        return 1, 1, 1, None, None, None
    if lower in ("anyone", "anybody", "everyone", "everybody"):
        return None, None, None, None, None, None
    if lower in _PRONOUNS_MANY:
        return None, None, None, None, None, None
    group = _group_text(victim)
    number = _number_child(victim)
    if number is not None:
        count, low, high, mod = _amount_of(number)
        return count, low, high, mod, group, entity_id
    if victim.tag_ in ("NN", "NNP") or (victim.pos_ == "PROPN" and victim.tag_ != "NNPS"):
        if victim.lower_ in ("police", "security", "crew"):
            return None, None, None, None, group, entity_id
        return 1, 1, 1, None, group, entity_id
    return None, None, None, None, group, entity_id


def _is_age_noun(token: Token) -> bool:
    """`a 17-year-old` used as a noun (`a 17-year-old was shot`)."""
    doc = token.doc
    return (
        token.lower_ in ("old", "year-old") and token.i >= 2 and doc[token.i - 2].lower_ in ("year", "years", "-year")
    )


def _group_text(noun: Token) -> str | None:
    if noun.pos_ == "PROPN":
        left = noun.i
        while left > 0 and noun.doc[left - 1].dep_ == "compound" and noun.doc[left - 1].pos_ == "PROPN":
            left -= 1
        return noun.doc[left : noun.i + 1].text
    if noun.lower_ in _PRONOUNS_ONE or noun.lower_ in _PRONOUNS_MANY:
        return None
    words = [c.lower_ for c in noun.lefts if c.dep_ == "compound" and c.i == noun.i - 1 and c.is_alpha]
    lemma = noun.lemma_.lower() if noun.tag_ in ("NNS", "NNPS") else noun.lower_
    if lemma in ("people", "men", "women", "children"):
        lemma = {"people": "person", "men": "man", "women": "woman", "children": "child"}[lemma]
    return " ".join([*words, lemma])


def _entity_at(token: Token, mentions: dict[int, str | None]) -> str | None:
    return mentions.get(token.i)


def _mention_index(doc: Doc) -> dict[int, str | None]:
    """Token index → entity id of the mention covering it: built once per Doc, so each victim is
    looked up in constant time (a scan of every mention per victim grew with the square of the length)."""
    index: dict[int, str | None] = {}
    for mention in mention_spans(doc):
        for i in range(mention.start, mention.end):
            index.setdefault(i, mention.kb_id_ or None)  # the first mention covering it, as before
    return index


def _clause_verb(token: Token) -> Token:
    """The verb (or adjective predicate) of the clause holding ``token``."""
    steps = 0
    while token.pos_ not in ("VERB", "AUX") and token.dep_ != "ROOT" and steps < 6:
        token = token.head
        steps += 1
    return token


def _verb_cue(token: Token) -> tuple[str, list[Token]] | None:
    """(outcome, victims) for a verb cue."""
    lemma = token.lemma_.lower()
    outcome = _cues().get((lemma, "VERB"))
    if lemma == "lose" and any(c.lemma_ in ("life", "lives") for c in _doc.children(token) if c.dep_ == "dobj"):
        return "killed", _subject(token)
    if lemma == "succumb":
        return "killed", _subject(token)
    if _from_homes(token):
        return "displaced", _subject(token) if _is_passive(token) else _objects(token)
    if lemma in _TRANSPORT_VERBS and _to_hospital(token):
        victims = [c for c in _doc.children(token) if c.dep_ in ("nsubjpass",)] or _objects(token)
        if not victims and _is_passive(token):
            victims = _subject(token)
        return "shot", victims
    if lemma == "treat" and any(c.dep_ == "prep" and c.lower_ == "for" for c in _doc.children(token)):
        return "injured", (
            [c for c in _doc.children(token) if c.dep_ == "nsubjpass"] or _objects(token) or _subject(token)
        )
    if outcome is None:
        return None
    if outcome in ("shot", "injured") and _fatal(token):
        outcome = "killed"
    if lemma in ("die", "perish"):
        return outcome, _subject(token)
    if token.tag_ == "VBN" and token.dep_ == "amod":
        return outcome, [token.head]
    if _is_passive(token):
        return outcome, _subject(token)
    return outcome, _objects(token)


def _from_homes(verb: Token) -> bool:
    """`forced 2,000 people from their homes`, `drove thousands out of their houses`.

    Fleeing is left out: `the suspect fled the house` is no displacement.
    """
    if verb.lemma_.lower() not in _EXPEL_VERBS:
        return False
    return any(
        child.dep_ == "prep"
        and child.lower_ in ("from", "out", "of")
        and any(t.lemma_.lower() in _HOME_NOUNS and t.dep_ == "pobj" for t in _doc.subtree(child))
        for child in _doc.children(verb)
    )


def _fatal(verb: Token) -> bool:
    """`shot dead`, `shot to death`, `fatally shot`, `mortally wounded`."""
    for child in _doc.children(verb):
        if child.lower_ in ("fatally", "mortally") or (
            child.lower_ == "dead" and child.dep_ in ("oprd", "acomp", "advmod", "xcomp")
        ):
            return True
        if child.dep_ == "prep" and child.lower_ == "to" and any(c.lemma_ == "death" for c in _doc.children(child)):
            return True
    return False


def _to_hospital(verb: Token) -> bool:
    for child in _doc.children(verb):
        if child.dep_ == "prep" and child.lower_ in ("to", "at"):
            for obj in _doc.subtree(child):
                if obj.lower_ in _HOSPITAL_WORDS:
                    return True
                if obj.lower_ in ("center", "centre") and obj.i > 0 and obj.doc[obj.i - 1].lower_ in _CENTER_PREFIXES:
                    return True
    return False


def _adjective_cue(token: Token) -> tuple[str, list[Token]] | None:
    outcome = _cues().get((token.lower_, "ADJ"))
    if outcome is None or token.pos_ not in ("ADJ", "VERB", "NOUN"):
        return None
    if token.pos_ == "VERB" and (token.lemma_.lower(), "VERB") in _cues():
        return None  # read as a verb
    numbers = [c for c in _doc.children(token) if c.dep_ in ("nsubj", "npadvmod", "nummod", "dep") and _is_person(c)]
    if numbers:
        return outcome, numbers
    if token.dep_ == "amod" and token.head.pos_ in ("NOUN", "PROPN"):
        return outcome, [token.head]
    if token.dep_ in ("acomp", "oprd", "xcomp", "attr", "ccomp", "advcl", "conj"):
        head = token.head
        if token.dep_ == "conj" and head.pos_ == "ADJ":
            return None  # `dead and wounded` people: the first adjective carries the victim
        if head.lemma_ in _PLACING_VERBS and not _is_passive(head) and _objects(head):
            return outcome, _objects(head)
        return outcome, _subject(head) if head.pos_ in ("VERB", "AUX") else []
    if token.i > 0 and _is_person(token.doc[token.i - 1]) and token.doc[token.i - 1].like_num:
        return outcome, [token.doc[token.i - 1]]
    return None


def _negative_prefix(token: Token) -> bool:
    """`non-fatal`, `non-life-threatening`: the word after `non-`."""
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ == "non"


def _noun_cue(token: Token) -> tuple[str, list[Token]] | None:
    """Nominal tolls: `no injuries`, `two deaths`, `the death toll rose to 12`, `critical condition`, `gunshot wound`."""
    lemma = token.lemma_.lower()
    doc = token.doc
    if (
        lemma == "suicide"
        and token.i >= 2
        and doc[token.i - 1].text in ("-", "/")
        and doc[token.i - 2].lower_ == "murder"
    ):
        if token.i >= 3 and doc[token.i - 3].lower_ in ("attempted", "attempt"):
            return None
        return "murder-suicide", [token]  # two deaths: the killer's and the victim's
    if lemma == "toll" and any(c.lemma_ == "death" for c in _doc.children(token)):
        verb = token.head
        for t in _doc.subtree(verb):
            if t.like_num and t.i > token.i and t.head.dep_ != "npadvmod":
                return "killed", [t]
        for t in _doc.children(token):
            if t.dep_ in ("nummod", "appos") and t.like_num:
                return "killed", [t]
        return None
    if (lemma in _DEATH_NOUNS and token.tag_ == "NNS") or (
        lemma in _DEATH_NOUNS and any(c.lower_ == "no" for c in _doc.children(token))
    ):
        number = next(
            (c for c in _doc.children(token) if c.dep_ in ("nummod",) or (c.dep_ == "det" and c.lower_ == "no")), None
        )
        if number is not None:
            return _DEATH_NOUNS[lemma], [token]
    if lemma == "condition":
        grade = next((c.lower_ for c in _doc.children(token) if c.lower_ in _CONDITION_WORDS), None)
        if grade is None:
            return None
        verb = _clause_verb(token)
        victims = (
            [c for c in _doc.children(verb) if c.dep_ in ("nsubj", "nsubjpass")] or _objects(verb) or _subject(verb)
        )
        return _CONDITION_WORDS[grade], victims
    if lemma in _WOUND_NOUNS and token.tag_ in ("NN", "NNS"):
        if any(c.lower_ == "no" for c in _doc.children(token)) and lemma == "injury":
            return None
        head = token.head
        if head.lemma_ in ("suffer", "sustain", "receive", "have") and head.pos_ in ("VERB", "AUX"):
            victims = _subject(head)
            if head.dep_ == "acl" or (head.tag_ == "VBG" and head.dep_ in ("acl", "advcl") and not victims):
                victims = [head.head] if head.dep_ == "acl" else victims
            outcome = (
                "injured"
                if any(c.lower_ in ("minor", "non-life-threatening") for c in _doc.children(token))
                else "shot"
            )
            return outcome, victims
        if head.dep_ == "prep" and head.lower_ in ("with", "from"):
            verb = _clause_verb(head)
            if verb.lemma_ in ("suffer", "find", "take", "transport", "rush", "hospitalize", "treat", "arrive"):
                victims = [c for c in _doc.children(verb) if c.dep_ in ("nsubjpass", "dobj")] or _subject(verb)
                if verb.dep_ == "acl":
                    victims = [verb.head]
                return "shot", victims
        return None
    if lemma != "shooting" and lemma not in _FATAL_NOUNS:
        return None  # every noun of the article gets here: no rule below reads any other
    fatal_adjective = any(c.lower_ in _FATAL_ADJECTIVES and not _negative_prefix(c) for c in _doc.children(token))
    if lemma == "shooting" and not fatal_adjective:
        for child in _doc.children(token):
            if child.dep_ == "prep" and child.lower_ == "of":
                victims = [c for c in _doc.children(child) if c.dep_ == "pobj"]
                if victims and _is_person(victims[0]):
                    return "shot", victims
        return None
    if token.dep_ == "compound" or token.head.lemma_ in ("suspect", "detective", "investigator", "unit", "division"):
        return None  # `homicide detectives`: the unit's name, not a death
    if (lemma in _FATAL_NOUNS or (lemma == "shooting" and fatal_adjective)) and not any(
        c.lemma_ in ("attempt", "attempted") for c in _doc.children(token)
    ):
        if doc[token.i - 1].lower_ in ("attempted", "attempt"):
            return None
        for child in _doc.children(token):
            if child.dep_ == "prep" and child.lower_ == "of":
                victims = [c for c in _doc.children(child) if c.dep_ == "pobj"]
                if victims:
                    return "killed", victims
        return "fatal", [token]
    return None


#: How far after a shooting cue its fatal share may come: `were shot Saturday night, two of them fatally`.
_FATAL_SHARE_REACH = 8


def _fatal_shares(shot: Token) -> list[Token]:
    """The numbers a `fatally`/`mortally` qualifies just after ``shot``: `Two people were shot, one
    fatally`, `three men were shot, one of them fatally`, `Four people were shot Saturday, two fatally`.

    Read from the words, not from the attachment: the parser hangs the share on the verb, on the
    comma or on nothing in particular.
    """
    toks = _doc.tokens(shot.doc)
    end = min(shot.sent.end, shot.i + _FATAL_SHARE_REACH + 1)
    shares = []
    for adverb in toks[shot.i + 1 : end]:
        if adverb.lower_ not in ("fatally", "mortally"):
            continue
        number = next((t for t in reversed(toks[shot.i + 1 : adverb.i]) if t.like_num and _is_person(t)), None)
        if number is not None and toks[number.i - 1].text == ",":  # `, one fatally`: an aside on the count
            shares.append(number)
    return shares


def _claims(doc: Doc) -> list[tuple[int, _Claim]]:
    mentions = _mention_index(doc)
    claims: list[tuple[int, _Claim]] = []
    text = doc_text(doc)  # sentences sliced from the text once joined (a Span joins its tokens per .text)
    statistics = {i for i, sent in enumerate(doc.sents) if _RUNNING_TOTAL.search(text[sent.start_char : sent.end_char])}
    for token in doc:
        found = None
        if token.pos_ in ("VERB", "AUX") or token.tag_ in ("VBN", "VBD", "VBG"):
            found = _verb_cue(token)
        if found is None:
            found = _adjective_cue(token)
        if found is None and token.pos_ in ("NOUN", "PROPN"):
            found = _noun_cue(token)
        if found is None:
            continue
        outcome, victims = found
        if _not_real(token):
            continue
        if outcome == "shot":
            for share in _fatal_shares(token):  # its own claim, not a victim of the shooting
                victims = [v for v in victims if v.i != share.i]
                count, low, high, mod = _amount_of(share)
                if count is not None:
                    claims.append(
                        (sentence_of(doc, token.idx), _Claim("killed", share, token, count, low, high, mod, None))
                    )
        negated = _negated(token)
        sentence = sentence_of(doc, token.idx)
        if sentence in statistics:
            continue
        if outcome == "fatal":
            claims.append((sentence, _Claim("fatal", token, token, 1, 1, 1, None, None)))
            continue
        if outcome == "murder-suicide":
            claims.append((sentence, _Claim("killed", token, token, 2, 2, 2, None, None)))
            continue
        for victim in _expand(victims):
            if victim.lemma_.lower() in _DEATH_NOUNS and victim is token:
                no = any(c.lower_ == "no" for c in _doc.children(victim))
                number = _number_child(victim)
                if no:
                    values = (0, 0, 0, None)
                elif number is not None:
                    values = _amount_of(number)
                else:
                    continue
                if values[0] is None:
                    continue
                claims.append((sentence, _Claim(outcome, victim, token, *values, None)))
                continue
            described = _count_and_group(victim, mentions, outcome)
            if described is None:
                continue
            count, low, high, mod, group, entity_id = described
            if negated:
                count, low, high, mod = 0, 0, 0, None
            claims.append((sentence, _Claim(outcome, victim, token, count, low, high, mod, group, entity_id)))
    return claims


def _figure(by_sentence: dict[int, list[_Claim]]) -> int | None:
    """Largest per-sentence total (distinct victims summed within a sentence)."""
    totals = [
        sum(c.count for c in cl if c.count is not None)
        for cl in by_sentence.values()
        if any(c.count is not None for c in cl)
    ]
    return max(totals) if totals else None


def _reconcile(claims: list[tuple[int, _Claim]]) -> list[tuple[int, _Claim]]:
    """Apply the article-level reading rules (module docstring) to the raw claims."""
    # One claim per victim and sentence: killed beats injured beats shot.
    best: dict[tuple[int, int], tuple[int, _Claim]] = {}
    others = []
    for sentence, claim in claims:
        if claim.outcome not in _PRIORITY:
            others.append((sentence, claim))
            continue
        key = (sentence, claim.victim.i)
        if key not in best or _PRIORITY[claim.outcome] < _PRIORITY[best[key][1].outcome]:
            best[key] = (sentence, claim)
    kept = sorted(best.values(), key=lambda sc: (sc[0], sc[1].victim.i))
    # A pronoun repeats a person the same sentence already counted (`a man ... he was taken`),
    # and so does the same singular noun (`Man shot ... a man was shot` when a headline runs
    # into the first sentence), unless marked as someone else (`another man`, `a second man`).
    deduped = []
    singles: set[tuple[int, str, str]] = set()
    for sentence, claim in kept:
        if claim.count == 1 and claim.group and not _is_other(claim.victim):
            key = (sentence, "killed" if claim.outcome == "killed" else "hurt", claim.group.lower().split()[-1])
            if key in singles:
                continue
            singles.add(key)
        if claim.victim.lower_ in _PRONOUNS_ONE and any(
            s == sentence
            and c.outcome in ("shot", "injured")
            and claim.outcome in ("shot", "injured")
            and c is not claim
            for s, c in kept
            if c.victim.i < claim.victim.i
        ):
            continue
        deduped.append((sentence, claim))
    killed = _by_sentence([(s, c) for s, c in deduped if c.outcome == "killed"])
    fatal = [(s, c) for s, c in others if c.outcome == "fatal"]
    others = [(s, c) for s, c in others if c.outcome != "fatal"]
    deaths = _figure(killed)
    if not deaths and fatal:
        sentence, claim = fatal[0]
        claim.outcome = "killed"
        deduped.append((sentence, claim))
        deaths = 1
    deaths = deaths or 0
    out = []
    for sentence, claim in deduped:
        if claim.outcome in ("shot", "injured") and claim.count != 0:
            same_sentence_deaths = [c for s, c in deduped if s == sentence and c.outcome == "killed"]
            if any(_same_person(claim, death) for death in same_sentence_deaths):
                continue  # `X was taken to the hospital, where he died`: one person, killed
        if claim.outcome != "shot":
            out.append((sentence, claim))
            continue
        disjoint = any(
            s == sentence and c.outcome == "killed" and c.victim.i != claim.victim.i and c.cue is not claim.cue
            for s, c in deduped
        )
        # `another person was also shot`: someone besides the dead.
        disjoint = disjoint or _is_other(claim.victim)
        if disjoint or claim.count == 0:
            claim.outcome = "injured"
            out.append((sentence, claim))
            continue
        if claim.count is None:
            continue
        survivors = claim.count - deaths
        if survivors > 0:
            claim.outcome = "injured"
            if survivors != claim.count:
                claim.count, claim.low, claim.high, claim.mod = survivors, survivors, survivors, None
            out.append((sentence, claim))
    return sorted(out + others, key=lambda sc: (sc[0], sc[1].cue.i))


def _is_other(victim: Token) -> bool:
    return victim.lower_ in _ANOTHER or any(c.lower_ in _ANOTHER for c in _doc.children(victim))


def _same_person(hurt: _Claim, death: _Claim) -> bool:
    """Whether a death in the same sentence is (most likely) the hurt person's: a pronoun or the same group."""
    if death.count is not None and hurt.count is not None and death.count < hurt.count:
        return False
    if death.victim.lower_ in _PRONOUNS_ONE or death.victim.lower_ in _PRONOUNS_MANY:
        return death.victim.i > hurt.victim.i
    return death.group is not None and death.group == hurt.group


def _by_sentence(claims: list[tuple[int, _Claim]]) -> dict[int, list[_Claim]]:
    grouped: dict[int, list[_Claim]] = {}
    for sentence, claim in claims:
        grouped.setdefault(sentence, []).append(claim)
    return grouped


def _evidence(claim: _Claim) -> tuple[int, int]:
    """Character span of the clause reporting the toll: the victim through the cue and its object."""
    doc = claim.cue.doc
    tokens = [claim.victim, claim.cue]
    sent = claim.cue.sent
    start = min(t.i for t in tokens)
    end = max(t.i for t in tokens) + 1
    # Take in the whole victim phrase (`Three attackers`) and the cue's predicate (`lost their lives`).
    start = min(start, min(t.i for t in _doc.subtree(claim.victim) if t.i >= sent.start and t.i <= claim.victim.i))
    for child in claim.cue.rights:
        if child.dep_ in ("dobj", "oprd", "acomp", "prt") and child.i < sent.end:
            end = max(end, max(t.i for t in _doc.subtree(child)) + 1)
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def extract_casualties(doc: Doc) -> list[dict]:
    """Rows of the `casualties` table found in ``doc`` (without ``article_id``).

    See the module docstring for the reading rules. ``count`` is <NA> when the text names
    victims without a number (``people were killed``).
    """
    rows = []
    seen = set()
    text = doc_text(doc)  # spaCy joins every token on each access: read it once per Doc
    for sentence, claim in _reconcile(_claims(doc)):
        start, end = _evidence(claim)
        key = (claim.outcome, claim.victim.i)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "group": claim.group,
                "entity_id": claim.entity_id,
                "count": claim.count,
                "low": claim.low,
                "high": claim.high,
                "mod": claim.mod,
                "outcome": claim.outcome,
                "text": text[start:end],
                "start": start,
                "end": end,
                "sentence": sentence,
            }
        )
    return rows


def casualty_summary(facts) -> pd.DataFrame:
    """Killed and injured per article.

    The rule: for each outcome, an article's figure is the **largest total that any one
    sentence reports**, where a sentence's total sums its rows (one row per distinct
    victim group: ``Three attackers and one police officer lost their lives`` → 4). A toll
    restated later (``a man was shot`` … ``the victim died``) is thus counted once, and a
    rising toll (``the death toll rose to 12``) gives its latest, largest figure. Rows
    without a count (``people were killed``) add nothing. A reported zero (``no one was
    injured``) is 0; an outcome with no row at all is <NA> (not reported), never 0.

    Args:
        facts: A :class:`newskit.Facts` (or anything with ``articles`` and ``casualties``
            DataFrames).

    Returns:
        One row per article of ``facts.articles`` (in its order), with columns
        ``article_id`` (string), ``killed`` and ``injured`` (Int64).

    Examples:
        >>> import newskit as nk
        >>> facts = nk.extract_text("Two people were killed and three injured on Monday.", published="2024-03-04")
        >>> casualty_summary(facts)[["killed", "injured"]].iloc[0].tolist()
        [2, 3]
    """
    articles = facts.articles
    rows = facts.casualties
    if not isinstance(rows, pd.DataFrame):
        rows = schema.frame("casualties")
    figures: dict[tuple[str, str], int] = {}
    counted = rows[rows["outcome"].isin(SUMMARY_OUTCOMES) & rows["count"].notna()]
    if len(counted):
        per_sentence = counted.groupby(["article_id", "outcome", "sentence"], dropna=False)["count"].sum()
        per_article = per_sentence.groupby(level=["article_id", "outcome"]).max()
        figures = {key: int(value) for key, value in per_article.items()}
    ids = articles["article_id"].astype("string")
    summary = pd.DataFrame({"article_id": ids})
    for outcome in SUMMARY_OUTCOMES:
        summary[outcome] = pd.array([figures.get((a, outcome)) for a in ids], dtype="Int64")
    return summary.reset_index(drop=True)
