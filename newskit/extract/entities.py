"""Canonical entity mentions: the `mentions` table, and the canonical ids later extractors share.

spaCy's NER finds name spans; this module turns them into *entities* using only the
article's own evidence and a few general lexicons (``newskit/lexicons``):

* Possessives and a leading ``the`` are stripped (``Kurti’s`` → ``Kurti``, ``the Kremlin`` → ``Kremlin``).
* Demonyms and group nouns become one group (``Serbian``, ``Serbs`` → ``Serbs``, NORP;
  ``Kosovo Albanian``, ``Kosovar Albanians`` → ``Albanians``), from ``demonyms.tsv``.
* Labels are corrected where the text disagrees with the model: a title before a name or a
  role in apposition makes a PERSON, a legal suffix or organisation word (``Inc.``,
  ``Airlines``) an ORG, a model designation after a maker (``Airbus A380``) or a known
  product name a PRODUCT.
* Mentions of one thing in one article are merged: a surname with the full name
  (``Kurti`` → ``Albin Kurti``, as PERSON even when the model says ORG), a short
  organisation name with its longer form (``Northrop`` → ``Northrop Grumman``), an
  acronym with the name it abbreviates (``... Company ( EADS )``, ``GAO``), place variants
  (``U.S.`` → ``United States``), and a definite reference that repeats an organisation's
  head word (``the ministry`` → ``Foreign Ministry (Russia)``).
* A state body owned by a country gets the country in its name:
  ``Russia’s Foreign Ministry`` → ``Foreign Ministry (Russia)``.
* Canonical names are chosen so that articles naming one thing differently agree: an
  organisation's legal suffix or generic business word is dropped (``Apple Inc.``,
  ``Apple Computer`` → ``Apple``, from ``org_descriptors.txt``); a product with a model
  designation is named by it (``Airbus A380``, ``the A380s`` → ``A380``); product words get
  one spelling (``Macbook`` → ``MacBook``, ``iPod nano`` → ``iPod Nano``). A model word
  makes a product of its own (``iPod nano`` is not ``iPod``; ``product_variants.txt``).

The entity id is ``"E" + sha1(label + "\\0" + name)[:12]`` (see :func:`entity_id`): the same
canonical name and label give the same id in every article, run and worker process.
Numeric NER labels (DATE, TIME, CARDINAL, ORDINAL, MONEY, PERCENT, QUANTITY) are not entities;
the timex and quantity extractors own them.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .. import lexicons
from ._doc import MENTIONS_KEY, sentence_of, tokens
from ._doc import text as _text

__all__ = ["NOT_ENTITY_LABELS", "demonym", "entity_id", "extract_mentions", "resolve_reference", "titles"]

#: NER labels that are numbers or times, not entities (other tables own them).
NOT_ENTITY_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


_POSSESSIVES = ("’s", "'s", "’", "'")
_LEADING_ARTICLES = frozenset({"the"})
_EDGE_PUNCT = frozenset(",;:()[]{}\"“”‘’'`-–—")
# Model designations: A380, A400M, 737-800, 777-200LR, 787s (a maker's name before them makes a product).
_MODEL = re.compile(r"^(?:[A-Z]{1,2}-?\d{2,4}[A-Z0-9-]*|\d{3}(?:-\d{1,3}[A-Z]*)?)s?$")
# A model designation standing alone is only trusted in its lettered form (A380s, A320), not bare numbers.
_LETTERED_MODEL = re.compile(r"^[A-Z]\d{3}[A-Z0-9-]*s?$")
# Lower-case i + capital (iPhone, iTunes, iOS): a product naming pattern, never a person or group.
# "777s", "747s": a three-digit number only takes a plural s as an aircraft or other model name.
_PLURAL_MODEL = re.compile(r"^\d{3}s$")
_I_PRODUCT = re.compile(r"^i[A-Z][A-Za-z]+$")
_VERSION = re.compile(r"^\d{1,2}(?:\.\d+)*[A-Za-z]{0,3}$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_ACRONYM_SKIP = frozenset({"of", "and", "the", "&", "for", "de", "du", "des", "la", "le"})
_ALIAS_LABELS = frozenset({"GPE", "LOC", "ORG", "NORP"})
# Labels a bare surname may carry by mistake (a surname is never taken from a GPE/LOC mention).
_SURNAME_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "NORP", "WORK_OF_ART", "FAC", "EVENT", "LAW"})


# --------------------------------------------------------------------------- lexicons


def _lexicon_rows(filename: str) -> list[list[str]]:
    return [list(row) for row in lexicons.rows(filename)]  # the one loader and comment rule


@functools.cache
def _words(filename: str) -> frozenset[str]:
    return frozenset(row[0] for row in _lexicon_rows(filename))


@functools.cache
def _demonyms() -> dict[str, tuple[str, str | None]]:
    """Surface form → (group, country or None)."""
    return {row[0]: (row[1], None if row[2] == "-" else row[2]) for row in _lexicon_rows("demonyms.tsv")}


@functools.cache
def _currency_codes() -> frozenset[str]:
    """ISO codes such as ``USD`` (the quantities lexicon): amounts' units, not organisations."""
    return frozenset(row[1].upper() for row in _lexicon_rows("currencies.txt") if len(row) > 1)


@functools.cache
def _countries() -> frozenset[str]:
    return frozenset(country for _, country in _demonyms().values() if country)


@functools.cache
def _place_aliases() -> dict[str, str]:
    return {row[0]: row[1] for row in _lexicon_rows("place_aliases.tsv")}


def demonym(word: str) -> tuple[str, str | None] | None:
    """``(group, country)`` for a demonym or group noun (``Serbian`` → ``("Serbs", "Serbia")``), else None."""
    return _demonyms().get(word)


def titles() -> frozenset[str]:
    """Lower-case role head words (``titles.txt``), shared with :mod:`newskit.extract.roles`."""
    return _words("titles.txt")


def _honorifics() -> frozenset[str]:
    return _words("honorifics.txt")


def entity_id(label: str, name: str) -> str:
    """The stable id of the entity ``name`` with ``label``.

    Examples:
        >>> entity_id("PERSON", "Albin Kurti") == entity_id("PERSON", "Albin Kurti")
        True
        >>> entity_id("PERSON", "Albin Kurti")[:1]
        'E'
    """
    return "E" + hashlib.sha1(f"{label}\0{name}".encode()).hexdigest()[:12]


# --------------------------------------------------------------------------- candidates


@dataclass
class _Mention:
    start: int  # token index
    end: int  # token index, exclusive
    label: str
    strong: bool = False  # label fixed by the article's own evidence, not the model's guess
    group: str | None = None  # NORP group noun from the demonym lexicon
    owner: str | None = None  # country owning a generic state body ("Russia" for "Russia's Foreign Ministry")
    nominal: bool = False  # a definite reference ("the ministry"), not a name
    start_char: int = 0
    end_char: int = 0
    words: list[str] = field(default_factory=list)


def _is_title(token: Token) -> bool:
    return token.lower_ in titles() or token.lower_ in _honorifics()


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading articles/punctuation and trailing possessives/punctuation."""
    while start < end and (doc[start].lower_ in _LEADING_ARTICLES or doc[start].text in _EDGE_PUNCT):
        start += 1
    while end > start and (
        doc[end - 1].text in _POSSESSIVES or doc[end - 1].tag_ == "POS" or doc[end - 1].text in _EDGE_PUNCT
    ):
        end -= 1
    return start, end


def _char_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    start_char, end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    last = doc[end - 1].text
    for suffix in _POSSESSIVES[:2]:  # "Kurti’s" kept as one token by the tokenizer
        if last.endswith(suffix) and len(last) > len(suffix):
            end_char -= len(suffix)
            break
    return start_char, end_char


def _ner_candidates(doc: Doc) -> list[_Mention]:
    ents = [
        ent for ent in doc.ents if ent.label_ not in NOT_ENTITY_LABELS and ent.text.upper() not in _currency_codes()
    ]
    merged: list[_Mention] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        start, end, label, strong = ent.start, ent.end, ent.label_, False
        # A maker's name glued to the next name: "Northrop"+"Grumman", "Airbus"+"A380".
        while i + 1 < len(ents) and ents[i + 1].start == end and label == "ORG" and ents[i + 1].label_ == "PRODUCT":
            nxt = ents[i + 1]
            if nxt[0].lower_ == "flight":  # "Adam Air Flight 574" is the airline and a flight, not a product
                break
            end = nxt.end
            if any(_MODEL.match(t.text) for t in nxt):
                label, strong = "PRODUCT", True
                end = _product_words_after(doc, end)
            i += 1
        # "Adam Air Flight 574": the airline is the entity; the flight is an event, not a name to keep.
        flight = next((t.i for t in doc[start + 1 : end] if t.lower_ == "flight"), None)
        if flight is not None:
            end, label = flight, "ORG"
        # "Apple Computer's Mac OS" read as one name: the owner and the owned thing are two.
        inner = next((t.i for t in doc[start + 1 : end - 1] if t.text in _POSSESSIVES or t.tag_ == "POS"), None)
        if inner is not None:
            merged.append(_Mention(start, inner, label, strong))
            start = inner + 1
        merged.append(_Mention(start, end, label, strong))
        i += 1
    return merged


def _model_after(doc: Doc, end: int) -> int:
    """End of a model designation (plus product words) starting at token ``end``, or ``end``."""
    j = end
    if j < len(doc) and _MODEL.match(doc[j].text) and not _YEAR.match(doc[j].text) and not _numbered_unit(doc, end):
        j = _product_words_after(doc, j + 1)
    return j


def _numbered_unit(doc: Doc, end: int) -> bool:
    """``Fire Department Engine 126``, ``Lowes Home Improvement 940 Concord Pkwy``, ``Guernsey-co. 911/``:
    a number after an organisation's unit word, starting a street address or glued to a slash, is no model."""
    number = doc[end]
    after = doc[end + 1] if end + 1 < len(doc) else None
    if end > 0 and doc[end - 1].lower_ in _words("org_words.txt") | {"engine", "unit", "station", "truck", "ladder"}:
        return True
    if after is not None and after.text == "/":
        return True
    return (
        number.text.isdigit()
        and after is not None
        and after.pos_ == "PROPN"
        and after.is_title
        and not _is_product_word(after)
    )


_OPENING_QUOTES = frozenset({"``", "`", "“", '"', "‘", "'"})
_QUOTE_CHARS = "`\"“”‘’'"


def _is_product_word(token: Token) -> bool:
    products = _words("products.txt")
    return token.ent_type_ == "PRODUCT" or token.text in products or token.text.removesuffix("s") in products


def _is_variant_word(token: Token) -> bool:
    """``nano`` in ``iPod nano``: a model word of the product before it (a noun or name, not a verb)."""
    return token.lower_ in _words("product_variants.txt") and token.pos_ in ("NOUN", "PROPN", "ADJ")


def _product_words_after(doc: Doc, end: int) -> int:
    """End of the product words right after a model designation: ``787 Dreamliners``, and the
    nickname in quotes, ``787 "Dreamliner"`` (the closing quote stays out, as the opening one
    would not be there without the name)."""
    j = end
    while j < len(doc):
        if _is_product_word(doc[j]) and not _MODEL.match(doc[j].text):
            j += 1
        else:
            # An opening quote, which the tokenizer may split ("`", "`"), right before a product word.
            k = j
            while k < min(j + 2, len(doc)) and doc[k].text in _OPENING_QUOTES:
                k += 1
            if k == j or k >= len(doc) or not _is_product_word(doc[k]) or _MODEL.match(doc[k].text):
                break
            j = k + 1
    return j


def _extra_candidates(doc: Doc, taken: set[int], surnames: frozenset[str]) -> list[_Mention]:
    """Names the model missed: products (``A380s``, ``777s``, ``iCloud``, ``iOS 5``, ``787 Dreamliner``)
    and the bare surname of a person named in full elsewhere in the article (``Jobs``)."""
    found = []
    toks = tokens(doc)
    i = 0
    while i < len(toks):
        token = toks[i]
        if i in taken:
            i += 1
            continue
        text = token.text
        if text in surnames and token.pos_ == "PROPN":
            found.append(_Mention(i, i + 1, "PERSON", True))
            i += 1
            continue
        shape = _product_shape(text)
        if shape == "product":
            start = i - 1 if i > 0 and i - 1 not in taken and _MODEL.match(toks[i - 1].text) else i
            found.append(_Mention(start, i + 1, "PRODUCT", True))
        elif shape == "plural model":
            found.append(_Mention(i, i + 1, "PRODUCT", True))
        elif shape == "model":
            end = i + 1
            if end < len(doc) and _VERSION.match(doc[end].text) and end not in taken:
                end += 1
            if end < len(doc) and _is_variant_word(doc[end]) and end not in taken:
                end += 1
            found.append(_Mention(i, end, "PRODUCT", True))
            i = end
            continue
        i += 1
    return found


@functools.lru_cache(maxsize=65536)
def _product_shape(text: str) -> str | None:
    """Which product name ``text`` looks like, tested in :func:`_extra_candidates`' order: a listed
    product, a plural model (``A380s``), a lettered model or an i-product; None for any other
    word (every token of every article is asked, and the answer depends on the word alone)."""
    products = _words("products.txt")
    if text in products or text.removesuffix("s") in products:
        return "product"
    if _PLURAL_MODEL.match(text):
        return "plural model"
    if _LETTERED_MODEL.match(text) or _I_PRODUCT.match(text):
        return "model"
    return None


def _bare_models(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """``the 717``, ``777-200LR``: a bare model number is a product once the article has named it
    with its maker (``Boeing 717``); alone, a three-digit number is only a number."""
    known = {
        token.text[:3]
        for m in mentions
        if m.label == "PRODUCT"
        for token in doc[m.start : m.end]
        if _MODEL.match(token.text) and token.text[:3].isdigit()
    }
    if not known:
        return []
    taken = {i for m in mentions for i in range(m.start, m.end)}
    found = []
    for token in doc:
        text = token.text
        if token.i in taken or not _MODEL.match(text) or not text[:3].isdigit() or text[:3] not in known:
            continue
        if len(text) > 3 and text[3] not in "-s":  # "7170" is no model
            continue
        # Counted or measured ("717 passengers", "$717"), not named.
        if token.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "DATE", "TIME") or token.dep_ == "nummod":
            continue
        found.append(_Mention(token.i, token.i + 1, "PRODUCT", True))
    return found


# --------------------------------------------------------------------------- label evidence


def _demonym_group(words: list[str]) -> str | None:
    """Group noun when every word is a demonym or a country name (``Kosovo Albanian`` → Albanians)."""
    demonyms = _demonyms()
    text = " ".join(words)
    if text in demonyms:
        return demonyms[text][0]
    if len(words) > 1 and words[-1] in demonyms:
        head = words[-1]
        modifiers = " ".join(words[:-1])
        if all(w in demonyms or w in _countries() for w in words[:-1]) or modifiers in _countries():
            return demonyms[head][0]
    return None


def _appos_title(token: Token) -> bool:
    """The name is in apposition with a role noun (``the spokesman, Dmitry Peskov``) or has one."""
    if token.dep_ == "appos" and token.head.lower_ in titles():
        return True
    return any(child.dep_ == "appos" and child.lower_ in titles() for child in token.children)


def _owns_role(token: Token) -> bool:
    """The name qualifies a role noun: ``Ryanair`` in ``Ryanair CEO``, ``Kremlin`` in ``Kremlin spokesman``."""
    return token.dep_ in ("compound", "poss") and token.head.lower_ in titles() and token.head.i > token.i


def _described_as_org(token: Token) -> bool:
    """An organisation noun describes the name: ``airline Lufthansa``, ``the retailer, Best Buy``."""
    org_nouns = _words("org_nouns.txt")
    if token.dep_ == "appos" and token.head.lower_ in org_nouns:
        return True
    return any(
        child.lower_ in org_nouns and (child.dep_ == "appos" or (child.dep_ == "compound" and child.i < token.i))
        for child in token.children
    )


def _place_then_region(doc: Doc, mention: _Mention) -> bool:
    """``Toulouse, France``: a name followed by a comma and a country or region is a place."""
    after = mention.end
    return (
        after + 1 < len(doc)
        and doc[after].text == ","
        and doc[after + 1].ent_type_ == "GPE"
        and doc[after + 1].ent_iob_ == "B"
    )


def _fix_label(doc: Doc, mention: _Mention) -> None:
    words = [t.text for t in doc[mention.start : mention.end]]
    first = doc[mention.start]
    group = _demonym_group(words)
    if group is not None:
        mention.label, mention.group, mention.strong = "NORP", group, True
        return
    if mention.label == "PRODUCT" and mention.strong:
        return
    # Maker + model designation: "Airbus A380", "Boeing 787 Dreamliner", "Boeing 737s".
    if mention.label in ("ORG", "PRODUCT"):
        model_end = _model_after(doc, mention.end)
        if model_end > mention.end:
            mention.end, mention.label, mention.strong = model_end, "PRODUCT", True
            return
    products = _words("products.txt")
    # A name ending in a model designation ("Vickers VC-10"), not a place or road ("Highway 101") or a lone code ("G20").
    maker_and_model = (
        len(words) > 1
        and _MODEL.match(words[-1])
        and mention.label not in ("GPE", "LOC", "FAC", "EVENT", "LAW", "PERSON")
        and "/" not in " ".join(words)  # "Sophia Hall/WCBS 880": a photo credit and a radio station
    )
    if maker_and_model:
        mention.end = _product_words_after(doc, mention.end)
    if _I_PRODUCT.match(first.text) or first.text in products or words[-1] in products or maker_and_model:
        # "iPhone 4", "iOS 5": a version number after a product name belongs to it.
        if (
            mention.end < len(doc)
            and _VERSION.match(doc[mention.end].text)
            and doc[mention.end].ent_type_ in ("", "CARDINAL")
        ):
            mention.end += 1
        # "iPod nano", "iPad mini": the model word is part of the product's name.
        if mention.end < len(doc) and _is_variant_word(doc[mention.end]):
            mention.end += 1
        mention.label, mention.strong = "PRODUCT", True
        return
    last = words[-1].lower()
    if last in _words("org_suffixes.txt") or (len(words) > 1 and last in _words("org_words.txt")):
        mention.label, mention.strong = "ORG", True
        return
    if " ".join(words) in _place_aliases() and mention.label in _ALIAS_LABELS:
        mention.label, mention.strong = "GPE", True
        return
    root = doc[mention.start : mention.end].root
    if mention.label not in ("GPE", "LOC", "NORP") and (_owns_role(root) or _described_as_org(root)):
        mention.label, mention.strong = "ORG", True
        return
    if mention.label == "PERSON" and _place_then_region(doc, mention):
        mention.label, mention.strong = "GPE", True
        return
    if mention.label in ("GPE", "LOC") and not (mention.start > 0 and _is_title(doc[mention.start - 1])):
        return
    before = doc[mention.start - 1] if mention.start > 0 else None
    titled = before is not None and _is_title(before)
    if (titled or _appos_title(root)) and all(t.pos_ == "PROPN" for t in doc[mention.start : mention.end]):
        mention.label, mention.strong = "PERSON", True


def _strip_leading_titles(doc: Doc, mention: _Mention) -> None:
    """``Spokeswoman Sandy Angers`` (tagged ORG) → ``Sandy Angers``, a PERSON."""
    start = mention.start
    while start < mention.end - 1 and _is_title(doc[start]) and doc[start].lower_ not in ("general",):
        start += 1
    rest = doc[start : mention.end]
    organisation_words = _words("org_words.txt") | _words("org_suffixes.txt")
    looks_like_name = all(t.pos_ == "PROPN" for t in rest) and rest[-1].lower_ not in organisation_words
    # "Justice Department" is no person: the model's PERSON, or two name words, are needed.
    if start > mention.start and looks_like_name and (mention.label == "PERSON" or len(rest) >= 2):
        mention.start, mention.label, mention.strong = start, "PERSON", True


def _owner_country(doc: Doc, mention: _Mention, by_token: dict[int, _Mention]) -> str | None:
    """The country a generic state body belongs to: ``Russia’s`` / ``Russian`` Foreign Ministry."""
    if mention.label != "ORG" or doc[mention.end - 1].lower_ not in _words("generic_bodies.txt"):
        return None
    head = doc[mention.start : mention.end].root
    for child in head.children:
        if child.i >= mention.start:
            continue
        owner = by_token.get(child.i)
        if owner is None:
            continue
        if child.dep_ == "poss" and owner.label == "GPE":
            return _surface(doc, owner)
        if child.dep_ in ("amod", "compound") and owner.group is not None:
            country = _demonyms().get(_surface(doc, owner), (None, None))[1]
            if country:
                return country
    return None


# --------------------------------------------------------------------------- names and merging


def _surface(doc: Doc, mention: _Mention) -> str:
    """The mention's text with whitespace collapsed (possessive already trimmed)."""
    return " ".join(_text(doc)[mention.start_char : mention.end_char].split())


def _name_key(doc: Doc, mention: _Mention, doc_words: frozenset[str]) -> str:
    """The name used to group mentions of one article (before cross-mention merging)."""
    if mention.group:
        return mention.group
    text = _surface(doc, mention)
    if mention.label in _ALIAS_LABELS and text in _place_aliases():
        return _place_aliases()[text]
    if mention.label == "ORG":
        words = text.split()
        while len(words) > 1 and (words[-1].lower().rstrip(",") in _words("org_suffixes.txt") or words[-1] == ","):
            words.pop()
        text = _without_descriptor(" ".join(words).rstrip(" ,"))
    if mention.label == "PRODUCT":
        # 'Boeing 787 "Dreamliner': the quotes around a nickname are no part of the name.
        words = (word.strip(_QUOTE_CHARS) for word in text.split())
        text = " ".join(_singular_product(word, doc_words) for word in words if word)
    if mention.owner:
        text = f"{text} ({mention.owner})"
    return text


def _without_descriptor(name: str) -> str:
    """``Apple Computer`` → ``Apple``: a trailing generic business word is left out of the name,
    unless what is left is a place or a nationality (``Singapore Company``) or a common word."""
    words = name.split()
    if len(words) < 2 or words[-1].lower() not in _words("org_descriptors.txt"):
        return name
    rest = " ".join(words[:-1])
    if rest in _countries() or rest in _demonyms() or rest in _place_aliases() or not rest[:1].isupper():
        return name
    return rest


def _singular_product(word: str, doc_words: frozenset[str]) -> str:
    """``787s`` → ``787``, ``A380s`` → ``A380``, ``Dreamliners`` → ``Dreamliner``; ``iPhones`` → ``iPhone``
    only when the article also writes ``iPhone`` (``iTunes`` is a name, not a plural)."""
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        stem = word[:-1]
        if _MODEL.match(stem) or stem in _words("products.txt") or (_I_PRODUCT.match(stem) and stem in doc_words):
            return stem
    return word


def _has_legal_suffix(doc: Doc, mention: _Mention) -> bool:
    """``Apple Inc.``: the name is given in full, so it is no short form of another name."""
    words = _surface(doc, mention).split()
    return len(words) > 1 and words[-1].lower().rstrip(",") in _words("org_suffixes.txt")


class _Clusters:
    """Union-find over mention indices."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, keep: int, other: int) -> None:
        self.parent[self.find(other)] = self.find(keep)


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in _ACRONYM_SKIP and w[:1].isupper())


def _merge(doc: Doc, mentions: list[_Mention], keys: list[str], complete: set[str]) -> _Clusters:
    clusters = _Clusters(len(mentions))
    first_of: dict[str, int] = {}
    for i, key in enumerate(keys):
        folded = key.casefold()
        if folded in first_of:
            clusters.union(first_of[folded], i)
        else:
            first_of[folded] = i
    names = {key.casefold(): (key, i) for key, i in ((keys[i], i) for i in first_of.values())}
    labels = {k: Counter() for k in names}
    for i, key in enumerate(keys):
        labels[key.casefold()][mentions[i].label] += 1

    def words_of(key: str) -> list[str]:
        return [w for w in key.split() if w.lower() not in _honorifics()]

    persons = [k for k, (key, _) in names.items() if labels[k]["PERSON"] and len(words_of(key)) >= 2]
    for k, (key, i) in names.items():
        if mentions[i].group or mentions[i].nominal:
            continue
        words = words_of(key)
        if not words:
            continue
        label_set = set(labels[k])
        # Surname or short form of a full name seen in the article ("Kurti" → "Albin Kurti").
        mostly = labels[k].most_common(1)[0][0]
        if k not in persons and label_set & _SURNAME_LABELS and mostly not in ("GPE", "LOC", "FAC"):
            hits = [
                p
                for p in persons
                if p != k
                and (
                    words_of(names[p][0])[-len(words) :] == words
                    or ("PERSON" in label_set and len(words) == 1 and words_of(names[p][0])[0] == words[0])
                )
            ]
            if len(hits) == 1:
                clusters.union(names[hits[0]][1], i)
                continue
        # Short organisation or product name: a prefix of a longer one ("Northrop" → "Northrop Grumman"),
        # or for products any run of its words ("A380" → "Airbus A380").
        if mostly in ("ORG", "PRODUCT") and k not in complete:
            hits = []
            for other, (other_key, _) in names.items():
                other_words = other_key.split()
                if other == k or len(other_words) <= len(words) or labels[other].most_common(1)[0][0] != mostly:
                    continue
                if mostly == "PRODUCT" and _variant_of(words, other_words):
                    continue
                if other_words[: len(words)] == words or (
                    mostly == "PRODUCT"
                    and any(other_words[j : j + len(words)] == words for j in range(len(other_words) - len(words) + 1))
                ):
                    hits.append(other)
            if len(hits) == 1:
                clusters.union(names[hits[0]][1], i)
                continue
        # Two product names with the same model designation: "Boeing 787" and "787 Dreamliner".
        if label_set == {"PRODUCT"}:
            models = {w for w in words if _MODEL.match(w) and not _YEAR.match(w)}
            hits = [
                o
                for o, (other_key, _) in names.items()
                if o != k and labels[o].keys() == {"PRODUCT"} and models & set(other_key.split())
            ]
            if models and len({clusters.find(names[o][1]) for o in hits}) == 1:
                clusters.union(names[hits[0]][1], i)
                continue
        # Acronym of a longer name in the article ("GAO" → "Government Accountability Office").
        if len(words) == 1 and len(key) >= 2 and key.replace(".", "").isupper():
            acronym = key.replace(".", "")
            hits = [
                o
                for o, (ok, _) in names.items()
                if o != k and len(ok.split()) >= 2 and _initials(ok.split()) == acronym
            ]
            if len(hits) == 1:
                clusters.union(names[hits[0]][1], i)
    # "Long Name ( LN )": the parenthesised name right after a name is its acronym.
    for i, mention in enumerate(mentions):
        acronym = keys[i].replace(".", "")
        if mention.start < 2 or doc[mention.start - 1].text != "(" or mention.end - mention.start != 1:
            continue
        if not acronym.isupper() or len(acronym) < 2:
            continue
        for j, other in enumerate(mentions):
            # Same first letter, so "BAGHDAD, Iraq (AP)" does not make AP an alias of Iraq.
            if other.end == mention.start - 1 and other.label != "NORP" and keys[j][:1].upper() == acronym[0]:
                clusters.union(j, i)
    return clusters


def _variant_of(words: list[str], other_words: list[str]) -> bool:
    """``iPod nano``, ``iPhone 4`` are models of their own, not longer names of ``iPod``, ``iPhone``:
    the longer name adds a version number or a lower-case model word to a product name."""
    if other_words[: len(words)] != words or any(_MODEL.match(w) for w in words):
        return False
    extra = other_words[len(words) :]
    return any(any(c.isdigit() for c in w) or w.islower() for w in extra)


_LABEL_PREFERENCE = ("PERSON", "ORG", "GPE", "PRODUCT", "LOC", "FAC", "NORP", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE")


def _cluster_label(members: list[_Mention], keys: list[str]) -> str:
    strong = Counter(m.label for m in members if m.strong)
    if strong:
        return strong.most_common(1)[0][0]
    if any(m.label == "PERSON" and len(k.split()) >= 2 for m, k in zip(members, keys, strict=True)):
        return "PERSON"
    votes = Counter(m.label for m in members)
    best = max(votes.values())
    tied = [label for label, n in votes.items() if n == best]
    return min(tied, key=lambda label: _LABEL_PREFERENCE.index(label) if label in _LABEL_PREFERENCE else 99)


def _cluster_name(label: str, members: list[_Mention], keys: list[str]) -> str:
    groups = [m.group for m in members if m.group]
    if groups:
        return Counter(groups).most_common(1)[0][0]
    owned = [k for m, k in zip(members, keys, strict=True) if m.owner]
    if owned:
        return owned[0]
    named = [k for m, k in zip(members, keys, strict=True) if not m.nominal]
    if label == "PERSON":
        honorifics = _honorifics()
        return max(named, key=lambda k: (len([w for w in k.split() if w.lower() not in honorifics]), -len(k)))
    if label == "PRODUCT":
        # "Airbus A380", "the A380", "Boeing 787 Dreamliner": articles vary the maker and nickname
        # around one model designation, so the designation is the name they all share.
        models = Counter(w for k in named for w in k.split() if _MODEL.match(w) and not _YEAR.match(w))
        if models:
            return models.most_common(1)[0][0]
    # Organisations, places, products: the form the article uses most (the common name,
    # "Apple" rather than "Apple Computer"), so articles using different long forms still agree.
    counts = Counter(k.casefold() for k in named)
    written_in_capitals = {k.casefold() for k in named if k.replace(".", "").isupper()}
    # Ties go to the shorter name ("Apple" over "Apple Computer"), but a spelled-out name beats its acronym.
    best = max(counts, key=lambda k: (counts[k], k not in written_in_capitals, -len(k)))
    # Spelling of that name: a dateline's "MIAMI" gives way to "Miami" when the article has both.
    spellings = Counter(k for k in named if k.casefold() == best)
    name = max(spellings, key=lambda k: (not k.isupper(), spellings[k]))
    return _product_spelling(name) if label == "PRODUCT" else name


@functools.cache
def _product_spellings() -> dict[str, str]:
    """Case-folded product word → its first spelling in ``products.txt`` (``macbook`` → ``MacBook``)."""
    spellings: dict[str, str] = {}
    for row in _lexicon_rows("products.txt"):
        spellings.setdefault(row[0].casefold(), row[0])
    return spellings


def _product_spelling(name: str) -> str:
    """One spelling per product across articles: ``Macbook`` → ``MacBook``, ``iPod nano`` → ``iPod Nano``
    (articles disagree on the case of a model word; the canonical name capitalises it)."""
    words = [_product_spellings().get(word.casefold(), word) for word in name.split()]
    variants = _words("product_variants.txt")
    return " ".join([words[0], *(w.capitalize() if w.lower() in variants else w for w in words[1:])])


# --------------------------------------------------------------------------- nominal references


def _definite_references(
    doc: Doc, mentions: list[_Mention], keys: list[str], taken: set[int]
) -> list[tuple[_Mention, int]]:
    """``the ministry`` after ``Foreign Ministry``: (new mention, index of the mention it refers to)."""
    heads = _words("org_words.txt")
    found = []
    for token in doc:
        if token.i in taken or token.lower_ not in heads or token.pos_ != "NOUN" or token.i == 0:
            continue
        if doc[token.i - 1].lower_ != "the":
            continue
        target = _latest_with_word(mentions, keys, token.lower_, before=token.i, labels=("ORG",))
        if target is not None:
            found.append((_Mention(token.i - 1, token.i + 1, "ORG", nominal=True), target))
    return found


def _latest_with_word(mentions, keys, word: str, *, before: int, labels=None) -> int | None:
    best = None
    for i, (mention, key) in enumerate(zip(mentions, keys, strict=True)):
        if mention.start >= before or mention.nominal or (labels and mention.label not in labels):
            continue
        if word in key.lower().replace("(", " ").split() and (best is None or mention.start > mentions[best].start):
            best = i
    return best


# --------------------------------------------------------------------------- NORP modifiers of names


def _describes_following_name(token: Token, name_tokens: set[int]) -> bool:
    """``European aircraft manufacturer, Airbus`` read off the words when the parse goes astray:
    up to three lower-case words ending in an organisation noun, an optional comma, then the name."""
    doc, org_nouns = token.doc, _words("org_nouns.txt")
    for j in range(token.i + 1, min(token.i + 4, len(doc))):
        if not doc[j].is_lower:
            return False
        if doc[j].lower_ in org_nouns:
            after = j + 2 if j + 1 < len(doc) and doc[j + 1].text == "," else j + 1
            return after in name_tokens
    return False


def _describes_name(token: Token, name_tokens: set[int]) -> bool:
    """``German`` in ``German airline Lufthansa``: a nationality describing a named organisation."""
    if _describes_following_name(token, name_tokens):
        return True
    if token.dep_ != "amod":
        return False
    head = token.head
    if head.i in name_tokens:  # "European Airbus"
        return True
    if head.ent_type_ or head.pos_ != "NOUN":
        return False
    if head.dep_ in ("compound", "appos") and head.head.i in name_tokens:
        return True
    return any(child.dep_ == "appos" and child.i in name_tokens for child in head.children)


# --------------------------------------------------------------------------- entry points


def extract_mentions(doc: Doc) -> list[dict]:
    """Rows of the `mentions` table found in ``doc`` (without ``article_id``).

    Also sets ``doc.spans["nk_mentions"]`` (one Span per mention, ``label_`` = label,
    ``kb_id_`` = entity id) and ``doc._.nk_facts["entity_names"]`` (entity id → canonical
    name) for the extractors that run after this one.

    Examples:
        >>> import newskit as nk
        >>> facts = nk.extract_text("Albin Kurti spoke. Kurti’s critics left.")
        >>> sorted(set(facts.mentions["name"]))
        ['Albin Kurti']
    """
    mentions = []
    for mention in _ner_candidates(doc):
        _strip_leading_titles(doc, mention)
        mention.start, mention.end = _trim(doc, mention.start, mention.end)
        if mention.start < mention.end:
            mentions.append(mention)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    # Surnames of people named in full; not a word the model also tagged as something else ("Houston").
    other_names = {doc[m.start : m.end].text for m in mentions if m.label != "PERSON"}
    surnames = frozenset(
        doc[m.end - 1].text
        for m in mentions
        if m.label == "PERSON"
        and m.end - m.start >= 2
        and doc[m.end - 1].is_title
        and doc[m.end - 1].text not in other_names
    )
    mentions += _extra_candidates(doc, taken, surnames)
    for mention in mentions:
        _fix_label(doc, mention)
    mentions.sort(key=lambda m: (m.start, -m.end))
    # Overlaps can appear when a model designation was absorbed: keep the first, longest.
    kept: list[_Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        previous = kept[-1] if kept else None
        # A product name glued to the name after it: "iTunes" + "Music Store" is one product.
        glued = previous is not None and previous.label == "PRODUCT" and previous.end == mention.start
        if glued and not mention.strong and mention.label in ("PERSON", "ORG", "PRODUCT"):
            previous.end = mention.end
            continue
        kept.append(mention)
    mentions = kept
    mentions += _bare_models(doc, mentions)
    mentions.sort(key=lambda m: (m.start, -m.end))
    for mention in mentions:
        mention.start_char, mention.end_char = _char_bounds(doc, mention.start, mention.end)
    name_tokens = {i for m in mentions if m.label != "NORP" for i in range(m.start, m.end)}
    mentions = [
        m
        for m in mentions
        if not (m.label == "NORP" and m.end - m.start == 1 and _describes_name(doc[m.start], name_tokens))
    ]
    by_token = {i: m for m in mentions for i in range(m.start, m.end)}
    for mention in mentions:
        mention.owner = _owner_country(doc, mention, by_token)
    doc_words = frozenset(token.text for token in tokens(doc))
    keys = [_name_key(doc, m, doc_words) for m in mentions]
    # Names given in full ("Apple Inc.", "Apple Computer") are no short form of another name ("Apple Corps").
    complete = {
        key.casefold()
        for m, key in zip(mentions, keys, strict=True)
        if _has_legal_suffix(doc, m) or (m.label == "ORG" and len(key.split()) < len(_surface(doc, m).split()))
    }
    taken = set(by_token)
    for reference, target in _definite_references(doc, mentions, keys, taken):
        reference.start_char, reference.end_char = _char_bounds(doc, reference.start, reference.end)
        mentions.append(reference)
        keys.append(keys[target])
    clusters = _merge(doc, mentions, keys, complete)
    members: dict[int, list[int]] = {}
    for i in range(len(mentions)):
        members.setdefault(clusters.find(i), []).append(i)
    resolved: dict[int, tuple[str, str, str]] = {}
    for indices in members.values():
        group = [mentions[i] for i in indices]
        group_keys = [keys[i] for i in indices]
        label = _cluster_label(group, group_keys)
        name = _cluster_name(label, group, group_keys)
        for i in indices:
            resolved[i] = (entity_id(label, name), name, label)
    rows, spans, names = [], [], {}
    for i in sorted(range(len(mentions)), key=lambda i: (mentions[i].start_char, mentions[i].end_char)):
        mention = mentions[i]
        eid, name, label = resolved[i]
        names[eid] = name
        rows.append(
            {
                "entity_id": eid,
                "name": name,
                "label": label,
                "text": _text(doc)[mention.start_char : mention.end_char],
                "start": mention.start_char,
                "end": mention.end_char,
                "sentence": sentence_of(doc, mention.start_char),
            }
        )
        span = Span(doc, mention.start, mention.end, label=label, kb_id=eid)
        spans.append(span)
    doc.spans[MENTIONS_KEY] = spans
    if doc._.nk_facts is None:
        doc._.nk_facts = {}
    doc._.nk_facts["entity_names"] = names
    return rows


class _ReferenceIndex:
    """The Doc's mentions indexed for :func:`resolve_reference`, so each call costs a few
    bisections instead of a pass over every mention of the article (linear total cost).

    Positions are the mentions' places in ``doc.spans["nk_mentions"]`` (the order the
    resolver walks back through); ``by_word``/``by_label`` hold ascending positions.
    """

    def __init__(self, doc: Doc, group, names: dict) -> None:
        spans = list(group)
        self.key = (id(group), len(group), len(names))
        self.group = group  # keeps ``id(group)`` from being reused while this index lives
        self.ids = [span.kb_id_ for span in spans]
        self.starts = [span.start_char for span in spans]
        self.sorted = all(a <= b for a, b in zip(self.starts, self.starts[1:], strict=False))
        self.exact: dict[tuple[int, int], str] = {}
        self.by_word: dict[str, list[int]] = {}
        self.by_label: dict[str, list[int]] = {}
        text = _text(doc)
        for position, span in enumerate(spans):
            self.exact.setdefault((span.start_char, span.end_char), span.kb_id_)
            label = span.label_
            self.by_label.setdefault(label, []).append(position)
            if label in ("NORP",):
                continue
            name = names.get(span.kb_id_, text[span.start_char : span.end_char]).lower().replace("(", " ")
            for word in set(name.split()):
                self.by_word.setdefault(word, []).append(position)

    def latest_position(self, positions: list[int], before: int) -> int | None:
        """The last of ``positions`` whose mention starts before character ``before``."""
        if self.sorted:
            # Starts ascend with position, so the mentions starting before ``before`` are a prefix.
            cut = bisect.bisect_left(self.starts, before)
            i = bisect.bisect_left(positions, cut) - 1
            return positions[i] if i >= 0 else None
        for position in reversed(positions):
            if self.starts[position] < before:
                return position
        return None

    def latest(self, positions: list[int], before: int) -> str | None:
        position = self.latest_position(positions, before)
        return self.ids[position] if position is not None else None


def _reference_index(doc: Doc) -> _ReferenceIndex:
    """The Doc's :class:`_ReferenceIndex`, rebuilt when the mentions or names change."""
    group = doc.spans.get(MENTIONS_KEY, ())
    names = (doc._.nk_facts or {}).get("entity_names", {})
    index = doc.user_data.get("nk_reference_index")
    if index is None or index.group is not group or index.key != (id(group), len(group), len(names)):
        index = doc.user_data["nk_reference_index"] = _ReferenceIndex(doc, group, names)
    return index


# Generic nouns standing for the last entity of a kind ("the company" → the latest ORG).
_KIND_NOUNS = {
    "company": ("ORG",),
    "firm": ("ORG",),
    "group": ("ORG",),
    "airline": ("ORG",),
    "carrier": ("ORG",),
    "manufacturer": ("ORG",),
    "maker": ("ORG",),
    "organisation": ("ORG",),
    "organization": ("ORG",),
    "agency": ("ORG",),
    "country": ("GPE",),
    "nation": ("GPE",),
    "state": ("GPE",),
    "city": ("GPE",),
    "capital": ("GPE",),
}


def resolve_reference(doc: Doc, span_or_text: Span | str, *, before: int | None = None) -> str | None:
    """The entity a short nominal reference stands for, or None.

    Resolves ``the ministry`` (an organisation whose name has that head word, or the
    mention already linked there), ``the spokesman`` (the person holding that role, from
    the ``roles`` rows), ``the company`` (the latest organisation). Only entities mentioned
    before the reference count.

    Args:
        doc: A Doc the entities extractor (and, for roles, the roles extractor) ran on.
        span_or_text: The reference as a Span, or its text (then give ``before``).
        before: Character offset the antecedent must precede (default: the Span's start,
            or the end of the document for a string).

    Returns:
        The entity id, or None when nothing in the article fits.
    """
    index = _reference_index(doc)
    if isinstance(span_or_text, Span):
        text, position = span_or_text.text, span_or_text.start_char if before is None else before
        exact = index.exact.get((span_or_text.start_char, span_or_text.end_char))
        if exact is not None:
            return exact
    else:
        text, position = span_or_text, len(_text(doc)) if before is None else before
    words = [w for w in text.lower().split() if w not in ("the", "this", "that", "its", "their")]
    if not words:
        return None
    head = words[-1].strip(".,;:")
    if head in titles():
        facts = (doc._.nk_facts or {}).get("roles", [])
        holders = [r for r in facts if r["start"] < position and head in str(r["role"]).lower().split()]
        if holders:
            return max(holders, key=lambda r: r["start"])["entity_id"]
        return None
    # The latest earlier mention whose name holds the head word, else the latest of the kind.
    found = index.latest(index.by_word.get(head, ()), position)
    if found is not None:
        return found
    best = None
    for label in _KIND_NOUNS.get(head, ()):
        hit = index.latest_position(index.by_label.get(label, ()), position)
        if hit is not None and (best is None or hit > best):
            best = hit
    return index.ids[best] if best is not None else None
