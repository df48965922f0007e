"""Synthetic news articles for benchmarks: fictional places, people and events from templates.

Nothing here is copied from real articles: every name is invented and every sentence
is filled in from the small templates below, so the output can be generated at any
size, streamed, and shared freely. Article ``i`` of a given ``seed`` is always the same.

Usage:
    python benchmarks/synth.py OUT_DIR --n 20000 [--format jsonl|txt] [--per-file 500] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path

PLACES = [
    "Lorvania",
    "Estmark",
    "Valdoria",
    "Kessarine",
    "Brontvale",
    "Ostrava Minor",
    "Pellucia",
    "Dravenmoor",
    "Sarnith",
    "Quelland",
    "Marrowfield",
    "Tarsis Bay",
    "Northhollow",
    "Vintara",
    "Corvel",
]
CITIES = [
    "Port Alder",
    "Kemberg",
    "Lysmouth",
    "Orvane",
    "Halcrest",
    "Duvin",
    "Saltmere",
    "Greywick",
    "Tollin",
    "Ambria Falls",
    "Ressing",
    "Marlow Cross",
    "Fenhold",
    "Ivory Quay",
]
FIRST = [
    "Anya",
    "Boris",
    "Carmen",
    "Dario",
    "Elin",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Katya",
    "Lucian",
    "Mira",
    "Nils",
    "Odette",
    "Pavel",
    "Rhea",
    "Soren",
    "Talia",
    "Viktor",
]
LAST = [
    "Arlov",
    "Brennik",
    "Castellan",
    "Dorsey",
    "Evander",
    "Falkner",
    "Grenholm",
    "Haskell",
    "Ivers",
    "Janssen",
    "Korvath",
    "Lindqvist",
    "Morrow",
    "Novak",
    "Orsini",
    "Petrakis",
    "Quint",
    "Rasmund",
    "Sallow",
    "Tervo",
]
ROLES = ["Prime Minister", "Foreign Minister", "spokesman", "mayor", "police chief", "president", "defence minister"]
ORGS = [
    "the Ministry of Interior",
    "the Northern Alliance",
    "the Harbour Workers Union",
    "Valtek Industries",
    "the National Assembly",
    "the Red Lantern Society",
    "Meridian Bank",
    "the Coastal Guard",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OUTLETS = ["The Lorvania Herald", "Estmark Daily", "Valdoria Wire", "Coastal Courier"]

TITLES = [
    "{n_killed} killed in {city} clashes",
    "{org_cap} accuses {place} of provocation",
    "{person} vows response after {city} attack",
    "Talks between {place} and {place2} stall",
    "{place} budget rises by {percent} percent",
]
OPENINGS = [
    "{n_killed_word} people were killed and {n_injured} injured on {weekday} when gunmen attacked a police "
    "station in {city}, officials in {place} said.",
    "{role_cap} {person} of {place} accused {org} of stoking unrest in {city} on {weekday}.",
    "Fighting broke out in the northern town of {city} on {weekday}, leaving at least {n_killed} dead, "
    "according to {org}.",
    "{place} and {place2} agreed on {weekday} to resume talks over the disputed border near {city}.",
    "Protesters gathered in central {city} on {weekday} to demand the resignation of {role} {person}.",
]
BODY = [
    "\u201cThis was a deliberate and cowardly act,\u201d {person2} told reporters in {city2}.",
    "{person2}, the {role2} of {place2}, said the government would not be intimidated.",
    "Police arrested {n_arrested} suspects after the incident, a spokesman for {org} said.",
    "The region has seen repeated violence since {year}, when around {big} people fled their homes.",
    "Officials estimated the damage at {money} million dollars, roughly {percent} percent of the local budget.",
    "{org_cap} denied any involvement and called for an independent investigation.",
    "Last {month}, a similar attack in {city2} killed {n_small} police officers.",
    "{person} is expected to travel to {place2} next week for talks with {person2}.",
    "According to {org}, more than {big} residents have been displaced over the past {years} years.",
    "Analysts said the violence could delay elections planned for {month} {year2}.",
    "The {role2} described the situation as \u201ctense but under control\u201d.",
    "Witnesses said the gunmen arrived in {n_small} vehicles shortly before midnight.",
    "{place} has blamed {place2} for arming the group, a charge {place2} rejects.",
    "Schools and shops in {city} remained closed on {weekday2}, residents said.",
    "Hospital staff in {city2} said {n_injured} of the wounded were in a serious condition.",
]
# Real news over months names a hundred countries and thousands of towns, groups and people,
# and two happenings a week apart seldom share their town, group and people; with only the
# short lists above, every story would share them with dozens of others in the same month and
# linking would chain them into topics. Invented syllables multiply the lists (none of these
# is meant to be a real name).
_TOWN_HEADS = ["Brel", "Cav", "Dolm", "Esk", "Gorv", "Hask", "Istr", "Jorv", "Kell", "Lisk", "Morv"]
_TOWN_HEADS += ["Nesk", "Orl", "Pask", "Quor", "Rask", "Sorv", "Tesk", "Ulm", "Vask", "Wyr", "Zand"]
_TOWN_TAILS = ["ane", "avik", "borg", "dun", "esse", "gard", "holm", "ith", "kirk", "mont", "ora", "stad"]
TOWNS = CITIES + [h + t for h in _TOWN_HEADS for t in _TOWN_TAILS]
COUNTRIES = PLACES + [h + t for h in _TOWN_HEADS for t in ("ania", "aria", "stan", "onia", "eth")]
_GROUP_WORDS = ["Crimson", "Silver", "Eastern", "Free", "United", "Iron", "Western", "Patriotic", "Green"]
_GROUP_KINDS = ["Front", "Brotherhood", "Movement", "Council", "Guard", "Party", "League", "Union"]
GROUPS = ORGS + [f"the {w} {k}" for w in _GROUP_WORDS for k in _GROUP_KINDS]
SURNAMES = LAST + [h + t for h in _TOWN_HEADS for t in ("ek", "ova", "sen", "ani", "ard", "ich")]

NUMBER_WORDS = ["Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Twelve"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"


STORY_SIZE = 4


def article(i: int, *, seed: int = 7, sentences: tuple[int, int] = (8, 14)) -> dict:
    """Synthetic article number ``i``: a dict with title, published, source, url and text.

    Articles come in stories of :data:`STORY_SIZE` (``i // STORY_SIZE``): one happening (its
    places, people, organisation, toll and day) reported by several outlets over three days,
    each article with its own sentences, title and injured count (outlets disagree), as real
    news is; linking benchmarks need stories, not a corpus of unrelated one-article stories.
    """
    story = random.Random(seed * 7_000_003 + i // STORY_SIZE)
    rng = random.Random(seed * 1_000_003 + i)
    place, place2 = story.sample(COUNTRIES, 2)
    city, city2 = story.sample(TOWNS, 2)
    org = story.choice(GROUPS)
    published = dt.date(2023, 1, 1) + dt.timedelta(days=story.randrange(730) + rng.randrange(3))
    n_killed = story.randrange(2, 12)
    people = [_person(story) for _ in range(2)]
    roles = [story.choice(ROLES) for _ in range(2)]
    slots = {
        "place": place,
        "place2": place2,
        "city": city,
        "city2": city2,
        "org": org,
        "org_cap": org[0].upper() + org[1:],
        "person": people[0],
        "person2": people[1],
        "role": roles[0],
        "role2": roles[1],
        "weekday": rng.choice(WEEKDAYS),
        "weekday2": rng.choice(WEEKDAYS),
        "n_killed": n_killed,
        "n_killed_word": rng.choice(NUMBER_WORDS),
        "n_injured": rng.randrange(3, 40),
        "n_arrested": rng.randrange(2, 9),
        "n_small": rng.randrange(2, 6),
        "big": f"{rng.randrange(2, 90) * 1000:,}",
        "money": rng.randrange(2, 400),
        "percent": rng.randrange(2, 30),
        "year": rng.randrange(1995, 2020),
        "year2": published.year + 1,
        "years": rng.randrange(2, 15),
        "month": rng.choice(MONTHS),
    }
    slots["role_cap"] = slots["role"][0].upper() + slots["role"][1:]
    n_body = rng.randrange(*sentences)
    lines = [rng.choice(OPENINGS), *rng.sample(BODY, n_body)]
    paragraphs, paragraph = [], []
    for line in lines:
        paragraph.append(line.format(**slots))
        if len(paragraph) >= rng.randrange(1, 4):
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    # The index makes every text unique, so article ids never collide.
    paragraphs.append(f"(Report {i} from the {place} desk.)")
    return {
        "title": rng.choice(TITLES).format(**slots),
        "published": published.isoformat(),
        "source": rng.choice(OUTLETS),
        "url": f"https://news.example/{seed}/{i}",
        "text": "\n\n".join(paragraphs),
    }


def iter_articles(n: int, *, seed: int = 7, start: int = 0) -> Iterator[dict]:
    """Articles ``start`` .. ``start + n - 1`` (streamed, constant memory)."""
    for i in range(start, start + n):
        yield article(i, seed=seed)


def write_corpus(out: str | Path, n: int, *, seed: int = 7, format: str = "jsonl", per_file: int = 500) -> Path:
    """Write ``n`` synthetic articles to ``out``: JSONL shards of ``per_file`` records, or one .txt per article.

    A ``.txt`` file holds the title, a blank line, then the text; the publication date is
    in its name (``2024-03-06-000123.txt``).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if format == "jsonl":
        for shard_start in range(0, n, per_file):
            path = out / f"articles-{shard_start // per_file:05d}.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for record in iter_articles(min(per_file, n - shard_start), seed=seed, start=shard_start):
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif format == "txt":
        for i, record in enumerate(iter_articles(n, seed=seed)):
            (out / f"{record['published']}-{i:06d}.txt").write_text(
                f"{record['title']}\n\n{record['text']}\n", encoding="utf-8"
            )
    else:
        raise ValueError(f"format must be jsonl or txt, not {format!r}")
    return out


def read_jsonl_folder(folder: str | Path) -> Iterator[dict]:
    """Articles from the JSONL shards :func:`write_corpus` wrote (a stand-in when newskit.readers is absent)."""
    for path in sorted(Path(folder).glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, 1):
                record = json.loads(line)
                record["path"] = f"{path}:{line_no}"
                record["format"] = "jsonl"
                yield record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--format", choices=["jsonl", "txt"], default="jsonl")
    parser.add_argument("--per-file", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_corpus(args.out, args.n, seed=args.seed, format=args.format, per_file=args.per_file)
    print(f"wrote {args.n} articles to {args.out}")


if __name__ == "__main__":
    main()
