"""Cross-article canonical entities: a surname takes the full name's id when unambiguous.

Extraction merges ``Kurti`` with ``Albin Kurti`` inside one article; an article that only
says ``Trump`` (or that the model tagged ``Trump`` as an ORG) keeps an entity of its own.
:func:`link_entities` looks across the corpus, through the facts only (no text is parsed
again):

1. Full names: PERSON entities whose canonical name has two words or more, indexed by
   their last word (the surname).
2. Short forms: per article, an entity whose canonical name is one capitalised word,
   labelled PERSON, or ORG when the word is a PERSON at least as often as an ORG: the
   model's one-word PERSON mentions plus the full-name mentions with that surname in the
   window, against its one-word ORG mentions (``Ford`` the carmaker stays an ORG,
   ``Trump`` does not).
3. A short form takes the full name's id, name and label when, among the articles
   published within ``window_days`` of its own (all articles when dates are missing), one
   full name carries that surname, or one carries at least ``dominance`` of the mentions of
   all full names with it (``Clinton`` in 2016 is Hillary Clinton if Bill Clinton is rare
   there). Otherwise (``Bush`` between George W. and Jeb) it stays apart.
4. An ORG short form of a known person's surname that found no unique full name is
   still relabelled PERSON (PERSON wins over ORG for a surname).

Every fact row carrying an entity id of a remapped entity (roles, attributions, quantities,
casualties) gets the new id and name in the same article, events get the new actor names,
and the ``entities`` table is rebuilt. Running it twice changes nothing more.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import replace

import pandas as pd

from .. import schema
from ..facts import Facts, entities_table

__all__ = ["link_entities"]

#: Labels a short form may carry when it is a person's surname (the model's usual confusion).
_SHORT_LABELS = frozenset({"PERSON", "ORG"})

#: (table, id column, name column or None) of every fact table carrying entity ids.
_ID_COLUMNS = (
    ("roles", "entity_id", "person"),
    ("roles", "of_entity_id", "of"),
    ("attributions", "source_entity_id", "source"),
    ("attributions", "target_entity_id", "target"),
    ("quantities", "entity_id", None),
    ("casualties", "entity_id", None),
)

_NAME_PARTICLES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def _entity_id(label: str, name: str) -> str:
    # The extractor's id formula (newskit.extract.entities.entity_id), without importing spaCy.
    return "E" + hashlib.sha1(f"{label}\0{name}".encode()).hexdigest()[:12]


def _surname(name: str) -> str | None:
    words = [w for w in str(name).replace(",", " ").split() if w.lower() not in _NAME_PARTICLES]
    if len(words) < 2 or not words[-1][:1].isupper():
        return None
    return words[-1].lower()


def _short_form(name: str) -> str | None:
    words = str(name).split()
    if len(words) != 1 or not words[0][:1].isupper() or (not words[0].isalpha() and "-" not in words[0]):
        return None
    if words[0].isupper() and len(words[0]) > 1:
        return None  # an acronym (NATO, CNN), never a surname
    return words[0].lower()


def link_entities(facts: Facts, *, window_days: int = 365, dominance: float = 0.9) -> Facts:
    """Give a short form (``Trump``) the entity id of the full name seen elsewhere.

    Args:
        facts: Facts of any number of articles.
        window_days: Articles published within this many days of a short form's
            article are where its full name is looked for (all articles when either
            date is missing).
        dominance: Share of the full-name mentions in the window that one person
            must carry for a surname shared by several full names to go to them.

    Returns:
        New Facts (the input is not changed) with remapped ids in ``mentions``,
        ``roles``, ``attributions``, ``quantities``, ``casualties``, event actors and
        a rebuilt ``entities`` table.

    Examples:
        >>> import newskit as nk
        >>> facts = nk.extract_text("Donald Trump spoke. Trump said no.")  # doctest: +SKIP
        >>> link_entities(facts).entities.name.tolist()  # doctest: +SKIP
        ['Donald Trump']
    """
    mentions = facts.mentions
    if mentions.empty:
        return facts
    published = _published(facts.articles)

    # Full names: surname -> [(entity_id, name, article_id, n_mentions in that article)].
    full: dict[str, list[tuple[str, str, str, int]]] = defaultdict(list)
    persons = mentions[mentions["label"] == "PERSON"]
    # Group sizes, not the groups themselves (a sub-frame per group cost more than the rest).
    sizes = persons.groupby(["article_id", "entity_id", "name"], sort=False).size()
    for (article, eid, name), n in zip(sizes.index, sizes.tolist(), strict=True):
        surname = _surname(name)
        if surname:
            full[surname].append((eid, name, article, n))

    # The model's vote on each one-word form: how often a PERSON, how often an ORG.
    votes: dict[str, Counter] = defaultdict(Counter)
    for text, label in zip(mentions["text"], mentions["label"], strict=True):
        form = _short_form(text) if isinstance(text, str) else None
        if form and label in _SHORT_LABELS:
            votes[form][label] += 1

    remap: dict[tuple[str, str], tuple[str, str, str]] = {}
    keys = mentions.groupby(["article_id", "entity_id", "name", "label"], sort=False).size().index
    for article, eid, name, label in keys:
        if label not in _SHORT_LABELS:
            continue
        form = _short_form(name)
        if not form:
            continue
        candidates = _candidates(full.get(form, []), published.get(article), published, window_days)
        is_surname = bool(candidates)
        # The full names in the window vote PERSON too: "Donald Trump" x 435 outweighs "Trump"
        # tagged ORG x 60, while Ford the carmaker outweighs a passing Gerald Ford.
        person_votes = votes[form]["PERSON"] + sum(candidates.values())
        if label == "ORG" and (not is_surname or person_votes < votes[form]["ORG"]):
            continue
        chosen = _unambiguous(candidates, dominance)
        if chosen is not None:
            target = (chosen[0], chosen[1], "PERSON")
        elif label == "ORG":
            target = (_entity_id("PERSON", name), name, "PERSON")
        else:
            continue
        if target[0] != eid:
            remap[(article, eid)] = target
    if not remap:
        return facts
    return _apply(facts, remap)


def _published(articles: pd.DataFrame) -> dict[str, pd.Timestamp]:
    if articles.empty or "published" not in articles:
        return {}
    dates = pd.to_datetime(articles["published"], errors="coerce", utc=True)
    return {a: d for a, d in zip(articles["article_id"], dates, strict=True) if not pd.isna(d)}


def _candidates(entries, when, published, window_days: int) -> Counter:
    """Full names with the surname in articles near ``when``: entity (id, name) -> mentions."""
    found: Counter = Counter()
    for eid, name, article, n in entries:
        other = published.get(article)
        if when is None or other is None or abs((other - when).days) <= window_days:
            found[(eid, name)] += n
    return found


def _unambiguous(candidates: Counter, dominance: float) -> tuple[str, str] | None:
    if not candidates:
        return None
    (best, n_best), total = candidates.most_common(1)[0], sum(candidates.values())
    if len(candidates) == 1 or n_best >= dominance * total:
        return best
    return None


def _apply(facts: Facts, remap: dict[tuple[str, str], tuple[str, str, str]]) -> Facts:
    mentions = facts.mentions.copy()
    keys = list(zip(mentions["article_id"].tolist(), mentions["entity_id"].tolist(), strict=True))
    targets = [remap.get(key) for key in keys]
    hit = [t is not None for t in targets]
    if any(hit):
        mentions.loc[hit, "entity_id"] = [t[0] for t in targets if t]
        mentions.loc[hit, "name"] = [t[1] for t in targets if t]
        mentions.loc[hit, "label"] = [t[2] for t in targets if t]
    changes: dict[str, pd.DataFrame] = {"mentions": schema.conform("mentions", mentions)}
    for table, id_column, name_column in _ID_COLUMNS:
        frame = changes.get(table, getattr(facts, table))
        if frame.empty or id_column not in frame:
            continue
        found = [
            remap.get((a, e)) if isinstance(e, str) else None
            for a, e in zip(frame["article_id"].tolist(), frame[id_column].tolist(), strict=True)
        ]
        if not any(found):
            continue
        frame = frame.copy()
        mask = [t is not None for t in found]
        frame.loc[mask, id_column] = [t[0] for t in found if t]
        if name_column:
            frame.loc[mask, name_column] = [t[1] for t in found if t]
        changes[table] = schema.conform(table, frame)
    changes["events"] = _rename_actors(facts.events, remap, facts.mentions)
    changes["entities"] = entities_table(changes["mentions"])
    return replace(facts, **changes)


def _rename_actors(events: pd.DataFrame, remap, old_mentions: pd.DataFrame) -> pd.DataFrame:
    """Event actor lists hold canonical names: rename the remapped ones, per article."""
    if events.empty or "actors" not in events:
        return events
    old_names = old_mentions.drop_duplicates(["article_id", "entity_id"]).set_index(["article_id", "entity_id"])["name"]
    renames: dict[str, dict[str, str]] = defaultdict(dict)
    for (article, eid), (_, new_name, _) in remap.items():
        renames[article][old_names.get((article, eid), new_name)] = new_name
    if not renames:
        return events

    def rename(article, actors):
        table = renames.get(article)
        if not table or actors is None or isinstance(actors, str) or not hasattr(actors, "__iter__"):
            return actors
        return list(dict.fromkeys(table.get(a, a) for a in actors))

    events = events.copy()
    events["actors"] = [rename(a, x) for a, x in zip(events["article_id"].tolist(), events["actors"], strict=True)]
    return schema.conform("events", events)
