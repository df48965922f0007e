"""Faster drop-in versions of two spaCy components, giving bit-identical annotations.

spaCy's ``attribute_ruler`` runs a :class:`~spacy.matcher.Matcher` over ~180 patterns (the tag
map: ``{"TAG": "NNS"}`` → POS and MORPH, and word exceptions) and then sets each match's
attributes through a Span and a Token object per token; its ``lemmatizer`` builds a Token per
token and calls the rules, caching only part of its work. Together they took a fifth of the
parse time of ``en_core_web_sm``.

* :class:`TableAttributeRuler` is spaCy's :class:`~spacy.pipeline.AttributeRuler` (same
  patterns, same serialisation) that evaluates token tests (``TAG``, ``LOWER``, ``ORTH``,
  ``DEP``, ``IS_SPACE`` by equality, ``IN``, ``NOT_IN`` or ``REGEX``, as the Matcher reads
  them) once per distinct combination of those values, follows the few multi-token patterns
  from their first token, and reads and writes the Doc with ``to_array``/``from_array``. A
  pattern with anything else (an ``OP``, another attribute) still goes through a Matcher, and
  a rule setting more than token fields makes the whole component run spaCy's code. Rules
  apply in spaCy's order (by rule number: a later rule overrides an earlier one on the same
  token), so the result is the same.
* :class:`CachedLemmatizer` is spaCy's English rule lemmatizer whose answer is cached by
  everything the rules read: the token's text, coarse tag and morphology.

:func:`speed_up` swaps them in for a loaded pipeline's components of exactly spaCy's classes
(a subclass may read more, so it is left alone). ``tests/test_nlp.py`` compares every token
attribute of both pipelines on corpus text.
"""

from __future__ import annotations

import re

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.pipeline.attributeruler import attribute_ruler_score
from spacy.strings import get_string_id

__all__ = ["CachedLemmatizer", "TableAttributeRuler", "speed_up"]

ATTRIBUTE_RULER = "newskit_attribute_ruler"
LEMMATIZER = "newskit_lemmatizer"

#: Token attributes a "table" rule may test, as the Matcher reads them.
_KEY_ATTRS = {"TAG": TAG, "LOWER": LOWER, "ORTH": ORTH, "DEP": DEP, "IS_SPACE": IS_SPACE}
#: Attributes a rule may set that are plain token fields (``Token.set_struct_attr``), so writing
#: them with ``Doc.from_array`` is what spaCy's ``set_token_attrs`` does.
_SET_ATTRS = {TAG: "TAG", POS: "POS", MORPH: "MORPH", LEMMA: "LEMMA", DEP: "DEP"}
#: Cache entries (distinct tokens: text, tags, morphology) kept before a cache is emptied.
_MAX_CACHED = 500_000


class TableAttributeRuler(AttributeRuler):
    """spaCy's attribute ruler, its rules applied from a table of token tests (see the module)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._plan = None

    def clear(self) -> None:
        super().clear()
        self._plan = None

    def add(self, patterns, attrs, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._plan = None

    def __call__(self, doc):
        error_handler = self.get_error_handler()
        try:
            plan = _RulePlan.of(self)
            if not plan.exact:  # a rule sets something other than token fields: spaCy's own way
                return super().__call__(doc)
            if len(doc):
                plan.apply(doc)
            return doc
        except Exception as e:  # as spaCy's component: the pipeline's error handler decides
            return error_handler(self.name, self, [doc], e)


class _RulePlan:
    """The ruler's rules as token tests read from a per-token key, with Matcher rules apart.

    A "table" rule is one whose patterns are sequences of token specs without operators
    (``OP``) that test ``_KEY_ATTRS`` by equality, ``IN``, ``NOT_IN`` or ``REGEX``, exactly as
    the Matcher tests them. Its tests are evaluated once per distinct key (the token's values
    of the tested attributes); multi-token patterns are followed from their first token.
    """

    def __init__(self, ruler: TableAttributeRuler) -> None:
        self.vocab = ruler.vocab
        self.attrs = ruler.attrs
        self.indices = ruler.indices
        self.matcher = Matcher(ruler.vocab, validate=False)
        self.matched_rules = 0
        single: list[tuple[int, list]] = []  # rules whose every pattern is one token
        multi: list[tuple[int, list]] = []  # (rule, one multi-token pattern's tests)
        for rule in range(len(ruler.attrs)):
            patterns = ruler.matcher.get(str(rule))[1]
            tests = [_token_tests(pattern, self.vocab) for pattern in patterns]
            if any(test is None for test in tests):
                self.matcher.add(str(rule), patterns)
                self.matched_rules += 1
            elif all(len(test) == 1 for test in tests) and ruler.indices[rule] in (0, -1):
                single.append((rule, [test[0] for test in tests]))
            else:
                multi += [(rule, test) for test in tests]
        used = {attr for _, specs in single + multi for spec in specs for attr, _, _ in spec}
        self.key_attrs = sorted(used) or [ORTH]
        self.column = {attr: i for i, attr in enumerate(self.key_attrs)}
        self.single, self.multi = single, multi
        # Each single-token spec filed under one of its equality tests, so a new key checks
        # only the specs that can match it (the others fail that test).
        self.anchored: dict[tuple[int, int], list[tuple[int, tuple]]] = {}
        self.unanchored: list[tuple[int, tuple]] = []
        for rule, specs in single:
            for spec in specs:
                anchor = next(((attr, value) for attr, op, value in spec if op == "=="), None)
                if anchor is None:
                    self.unanchored.append((rule, spec))
                else:
                    self.anchored.setdefault(anchor, []).append((rule, spec))
        #: Whether every rule sets only plain token fields (else spaCy's own code runs).
        self.exact = all(set(attrs) <= set(_SET_ATTRS) for attrs in ruler.attrs)
        self.out_attrs = sorted({attr for attrs in ruler.attrs for attr in attrs if attr in _SET_ATTRS})
        self.where = {attr: i for i, attr in enumerate(self.out_attrs)}
        self.cache: dict[tuple, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self.changes: dict[tuple[int, ...], tuple[tuple[int, int], ...]] = {}

    @classmethod
    def of(cls, ruler: TableAttributeRuler) -> _RulePlan:
        if ruler._plan is None:
            ruler._plan = cls(ruler)
        return ruler._plan

    def passes(self, spec, key: tuple) -> bool:
        """Whether a token with these key values passes one token spec (all its predicates)."""
        for attr, op, value in spec:
            got = key[self.column[attr]]
            if op == "==":
                ok = got == value
            elif op == "IN":
                ok = got in value
            elif op == "NOT_IN":
                ok = got not in value
            else:  # REGEX, on the attribute's string as the Matcher reads it
                ok = bool(value.search(self.vocab.strings[got]))
            if not ok:
                return False
        return True

    def lookup(self, key: tuple) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(single-token rules this token matches, multi-token patterns that can start here)."""
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) > _MAX_CACHED:
                self.cache.clear()
            candidates = list(self.unanchored)
            for attr, column in self.column.items():
                candidates += self.anchored.get((attr, key[column]), ())
            rules = sorted({rule for rule, spec in candidates if self.passes(spec, key)})
            starts = tuple(n for n, (_, tests) in enumerate(self.multi) if self.passes(tests[0], key))
            found = self.cache[key] = (tuple(rules), starts)
        return found

    def apply(self, doc) -> None:
        if not self.out_attrs:
            return
        keys = list(map(tuple, doc.to_array(self.key_attrs).tolist()))
        found = [self.lookup(key) for key in keys]
        extra = self._matched(doc) if self.matched_rules else {}
        if self.multi:
            self._follow(keys, found, extra)
        values = doc.to_array(self.out_attrs)
        known = self.changes
        for i, (rules, _) in enumerate(found):
            if i in extra:
                changes = self._changes(sorted(rules + tuple(extra[i])))
            else:
                changes = known.get(rules)
                if changes is None:
                    changes = known[rules] = self._changes(rules)
            for column, value in changes:
                values[i, column] = value
        doc.from_array(self.out_attrs, values)

    def _follow(self, keys, found, extra) -> None:
        """Add the multi-token patterns that match to ``extra`` (token index → rules)."""
        for start, (_, starts) in enumerate(found):
            for n in starts:
                rule, tests = self.multi[n]
                end = start + len(tests)
                if end <= len(keys) and all(self.passes(tests[k], keys[start + k]) for k in range(1, len(tests))):
                    extra.setdefault(self._target(rule, start, end, None), []).append(rule)

    def _target(self, rule: int, start: int, end: int, doc) -> int:
        """The token a match sets: spaCy's ``span[index]`` (negative from the end)."""
        index = self.indices[rule]
        target = start + index if index >= 0 else end + index
        if not start <= target < end:
            words = [t.text for t in doc[start:end]] if doc is not None else []
            raise ValueError(Errors.E1001.format(patterns=self.attrs[rule], span=words, index=index))
        return target

    def _changes(self, rules) -> tuple[tuple[int, int], ...]:
        """(column, value) pairs the rules set, applied in order (a later rule wins)."""
        settings: dict[int, int] = {}
        for rule in rules:
            for attr, value in self.attrs[rule].items():
                settings[self.where[attr]] = value
        return tuple(settings.items())

    def _matched(self, doc) -> dict[int, list[int]]:
        """Token index → numbers of the Matcher rules that set it."""
        extra: dict[int, list[int]] = {}
        strings = self.vocab.strings
        for match_id, start, end in self.matcher(doc, allow_missing=True):
            rule = int(strings[match_id])
            extra.setdefault(self._target(rule, start, end, doc), []).append(rule)
        return extra


def _token_tests(pattern, vocab) -> list[tuple[tuple, ...]] | None:
    """A pattern as one tuple of ``(attr, op, value)`` predicates per token, as the Matcher
    reads them; None if it uses anything else (operators, other attributes, extensions)."""
    if not isinstance(pattern, list) or not pattern:
        return None
    specs = []
    for spec in pattern:
        if not isinstance(spec, dict):
            return None
        preds = []
        for name, value in spec.items():
            attr = _KEY_ATTRS.get(name)
            if attr is None:
                return None
            found = _predicates(attr, value, vocab)
            if found is None:
                return None
            preds += found
        specs.append(tuple(preds))
    return specs


def _predicates(attr: int, value, vocab) -> list[tuple] | None:
    """One attribute's value in a token spec as predicates (Matcher semantics), or None."""
    if attr == IS_SPACE:
        return [(attr, "==", int(value))] if isinstance(value, bool) else None
    if isinstance(value, str):
        return [(attr, "==", vocab.strings.add(value))]
    if not isinstance(value, dict) or not value:
        return None
    preds = []
    for op, arg in value.items():
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
            preds.append((attr, op, frozenset(get_string_id(v) for v in arg)))
        elif op == "REGEX" and isinstance(arg, str):
            preds.append((attr, op, re.compile(arg)))
        else:
            return None
    return preds


class CachedLemmatizer(EnglishLemmatizer):
    """spaCy's English rule lemmatizer with every answer cached by (text, POS, morphology).

    The rules read nothing else (``rule_lemmatize`` and ``is_base_form`` look at the token's
    text, ``pos`` and ``morph`` only), so a cached answer is the one they would give.
    """

    def __call__(self, doc):
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            if len(doc):
                self._lemmatize_doc(doc)
            return doc
        except Exception as e:
            error_handler(self.name, self, [doc], e)

    def _lemmatize_doc(self, doc) -> None:
        cache = self.__dict__.setdefault("_nk_lemmas", {})
        if len(cache) > _MAX_CACHED:
            cache.clear()
        strings = self.vocab.strings
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3:4].copy()
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma != 0 and not self.overwrite:
                continue
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                value = cache[key] = strings.add(self.lemmatize(doc[i])[0])
            lemmas[i, 0] = value
        doc.from_array([LEMMA], lemmas)


@Language.factory(
    ATTRIBUTE_RULER,
    assigns=["token.tag", "token.pos", "token.morph", "token.lemma", "token.dep"],
    default_config={"validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}},
    default_score_weights={"tag_acc": None, "pos_acc": None, "morph_acc": None, "lemma_acc": None},
)
def make_table_attribute_ruler(nlp, name, validate: bool, scorer=attribute_ruler_score):
    """The factory spaCy calls for :class:`TableAttributeRuler`."""
    return TableAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


@Language.factory(
    LEMMATIZER,
    assigns=["token.lemma"],
    default_config={
        "model": None,
        "mode": "rule",
        "overwrite": False,
        "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"},
    },
    default_score_weights={"lemma_acc": 1.0},
)
def make_cached_lemmatizer(nlp, model, name, mode: str, overwrite: bool, scorer):
    """The factory spaCy calls for :class:`CachedLemmatizer`."""
    return CachedLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


def speed_up(nlp):
    """Swap ``nlp``'s attribute ruler and English rule lemmatizer for the faster equivalents.

    Only components of exactly spaCy's classes are swapped (a subclass may read more than the
    cache keys), keeping their names, places, patterns and tables. Returns ``nlp``.
    """
    for name, component in list(nlp.pipeline):
        if type(component) is AttributeRuler:
            patterns = component.patterns
            ruler = nlp.replace_pipe(name, ATTRIBUTE_RULER, config={"validate": component.validate})
            ruler.add_patterns(patterns)
        elif type(component) is EnglishLemmatizer and component.mode == "rule":
            lemmatizer = nlp.replace_pipe(name, LEMMATIZER, config={"overwrite": component.overwrite})
            lemmatizer.lookups = component.lookups
    return nlp
