"""Stories: cluster articles about one real-world happening, across outlets.

A *story* is the set of articles reporting one happening or a closely bound sequence (an
attack and its aftermath, a trial), not a topic. Two similar happenings (two earthquakes,
two shootings in one country a week apart) are two stories.

How articles are clustered (:func:`link_stories`):

1. **Features** (scikit-learn ``TfidfVectorizer``, one block each, L2-normalised, weighted
   and stacked): the words of the title and lead (counted twice) and of the body; the
   canonical entities of ``mentions`` (people, organisations, groups); the places of
   ``mentions`` (GPE/LOC/FAC); the entities and places of the headline and lead (who and
   where the happening is); the figures the text names (tolls, magnitudes, ages), which
   differ between two similar happenings. A leading URL line (ECB+ style) is ignored.
2. **Time**: articles are compared only within a sliding window of publication days
   (``window_days``); articles without a publication date form one block of their own.
   The year an article is about (its publication year, else the dateline under its
   headline, else the absolute year its text names most) is evidence, see 4.
3. **Candidates** are each article's nearest neighbours in that block
   (``sklearn.neighbors.NearestNeighbors``, cosine), so the cost grows with the number of
   articles times the window, not with all pairs.
4. **Merging**: candidate pairs are merged best first, average linkage (the cosine
   similarity averaged over every pair of articles of the two clusters, computed from the
   clusters' summed vectors), while it stays above ``threshold``. Evidence against one
   happening lowers it: the share of each cluster's articles about a year the other
   cluster's articles are not about, half of it counted only when the other cluster never
   names that year at all (``year_penalty`` times it), publication days further apart
   than the window, and clusters about different people (the people each cluster's
   headlines and leads name are never named by the other: two arrests of two players, two
   killings of two deputies; ``people_penalty``). Two clusters whose publication days together
   would span more than ``max_span_days`` never merge: a story is a happening, not a topic.
5. **Fragments**: a cluster then joins the nearest cluster at least ``attach_ratio`` times
   its size when their similarity without the year evidence reaches ``attach_threshold``
   (a report that named an old year in passing, kept out of its story by step 4).

Story ids are stable: ``S`` + 12 hex digits of sha1 of the founding article's id (the
earliest-published member, then the smallest ``article_id``), so the same articles give the
same ids in every run, and a story that only grows keeps its id.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .. import schema
from ..facts import Facts

__all__ = [
    "StoryParams",
    "article_features",
    "article_people",
    "cluster_articles",
    "link_stories",
    "stories_table",
    "story_id_for",
]

_URL_LINE = re.compile(r"\A\s*(?:https?://|www\.)\S*\s*\n")
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_ACTOR_LABELS = {"PERSON", "ORG", "NORP"}
_YEAR = re.compile(r"^(\d{4})")
_KIND_WORDS = {
    "violence": "attack",
    "arrest": "arrests",
    "agreement": "agreement",
    "election": "election",
    "protest": "protest",
    "declaration": "declaration",
    "statement": "statements",
    "other": "events",
}


@dataclass(frozen=True)
class StoryParams:
    """Knobs of the clustering (defaults tuned on ECB+ dev, both topic halves alike).

    Attributes:
        threshold: Minimum average-linkage similarity for two clusters to merge.
        neighbours: Candidate neighbours per article.
        window_days: Articles further apart than this (by their day) are not compared.
        w_words: Weight of the word block.
        w_entities: Weight of the entity block.
        w_places: Weight of the place block.
        year_penalty: Subtracted from the similarity of clusters that name different years.
        w_numbers: Weight of the figures block (numbers the title and text name).
        w_lead: Weight of the lead-entity block (names in the title and first ``lead_chars``).
        lead_chars: How far into the text (after a URL line) the lead reaches.
        year_soft: Share of the year conflict measured against every year the other cluster
            names (the rest against the years its articles are about); see :func:`cluster_articles`.
        people_penalty: Subtracted from the similarity of clusters about different people
            (each cluster's key people are never named by the other); see :func:`cluster_articles`.
        attach_threshold: After merging, a cluster joins its nearest cluster at least
            ``attach_ratio`` times its size when their similarity, without the year evidence,
            reaches this (0 or more than 1 turns the step off).
        attach_ratio: How much larger than a cluster its nearest cluster must be for it to attach.
        max_span_days: Longest span of publication days one story may cover (0 turns the cap off);
            see :func:`cluster_articles`.
    """

    threshold: float = 0.12
    neighbours: int = 15
    window_days: int = 10
    w_words: float = 1.0
    w_entities: float = 0.3
    w_places: float = 0.4
    year_penalty: float = 0.15
    w_numbers: float = 0.45
    w_lead: float = 0.2
    lead_chars: int = 800
    year_soft: float = 0.5
    people_penalty: float = 0.05
    attach_threshold: float = 0.15
    attach_ratio: float = 3.0
    # A story is one happening or a closely bound sequence, not a topic. Its reports (the event,
    # then the toll rising, funerals, arrests, an inquiry opened) come within days to a couple of
    # weeks; what is reported a month or more later (a verdict, an anniversary, a similar attack)
    # is a new happening that may cite the first. 30 days leaves that tail whole (three windows of
    # ``window_days``) and stops a run of similar reports from chaining into one cluster spanning
    # months, which also bounds the cost of merging (a story never outgrows a month of news).
    max_span_days: int = 30


DEFAULT = StoryParams()


def story_id_for(article_id: str) -> str:
    """The story id founded by ``article_id``: ``S`` + 12 hex digits of its sha1."""
    return "S" + hashlib.sha1(str(article_id).encode("utf-8")).hexdigest()[:12]


def _clean_text(text) -> str:
    text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    return _URL_LINE.sub("", text, count=1)


def _document(title, text) -> str:
    body = _clean_text(text)
    title = "" if title is None or (not isinstance(title, str) and pd.isna(title)) else str(title)
    lead = body[:400]
    # The headline and lead name the happening; the body adds its details. Counting them twice weights them.
    return f"{title} {title} {lead} {body}"


def _lead_end(text: str) -> tuple[int, int]:
    """Where an article's head (after a leading URL line) starts and ends: its first three lines,
    at most 400 characters, where a dateline sits."""
    text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    match = _URL_LINE.match(text)
    start = match.end() if match else 0
    end = start
    for _ in range(3):
        nxt = text.find("\n", end + 1)
        end = len(text) if nxt < 0 else nxt
    return start, min(end, start + 400)


def article_days(articles: pd.DataFrame, timexes: pd.DataFrame) -> tuple[np.ndarray, list[str | None], np.ndarray]:
    """When each article was written: its ``published`` date, else the dateline in its head.

    An article without a publication date (ECB+ has none) often carries one under its
    headline ("Published: July 29, 2004", "9 September 2013"): the first absolute calendar
    date (a DATE time expression with a day or month, not resolved against anything) in
    its first three lines. Years named elsewhere in the text are background ("since 1972")
    and are not used.

    Returns:
        Days since 1970-01-01 (NaN when unknown), the year (None when unknown), and whether
        the day comes from ``published`` (True) or from the text (False).
    """
    published = pd.to_datetime(articles["published"])
    days = ((published - pd.Timestamp("1970-01-01")).dt.days).to_numpy(dtype="float64", na_value=np.nan).copy()
    from_published = ~np.isnan(days)
    ids = articles["article_id"].astype(str).tolist()
    missing = [k for k in range(len(ids)) if np.isnan(days[k])]
    if missing and not timexes.empty:
        absolute = timexes[
            timexes["type"].eq("DATE").fillna(False)
            & timexes["anchor"].isna()
            & timexes["value"].fillna("").str.match(r"^\d{4}-\d{2}")
            & timexes["date_start"].notna()
        ]
        by_article = {str(a): rows.sort_values("start") for a, rows in absolute.groupby("article_id")}
        texts = articles["text"].tolist()
        for k in missing:
            rows = by_article.get(ids[k])
            if rows is None:
                continue
            lo, hi = _lead_end(texts[k])
            head = rows[(rows["start"] >= lo) & (rows["start"] < hi)]
            if len(head):
                days[k] = float((pd.Timestamp(head["date_start"].iloc[0]) - pd.Timestamp("1970-01-01")).days)
    years = [None if np.isnan(d) else str((pd.Timestamp("1970-01-01") + pd.Timedelta(days=d)).year) for d in days]
    if any(y is None for y in years) and not timexes.empty:
        # No date at all: the year the text names most often, absolute years only.
        absolute = timexes[
            timexes["type"].eq("DATE").fillna(False)
            & timexes["anchor"].isna()
            & timexes["value"].fillna("").str.match(r"^\d{4}")
        ]
        named = absolute.groupby("article_id")["value"].agg(lambda v: Counter(x[:4] for x in v).most_common(1)[0][0])
        years = [y if y is not None else named.get(ids[k]) for k, y in enumerate(years)]
    return days, years, from_published


def named_years(articles: pd.DataFrame, timexes: pd.DataFrame) -> list[set[str]]:
    """Every absolute year each article's text names (DATE time expressions not resolved against anything)."""
    ids = articles["article_id"].astype(str).tolist()
    if timexes.empty:
        return [set() for _ in ids]
    absolute = timexes[
        timexes["type"].eq("DATE").fillna(False)
        & timexes["anchor"].isna()
        & timexes["value"].fillna("").str.match(r"^\d{4}")
    ]
    grouped = absolute.groupby(absolute["article_id"].astype(str))["value"].agg(lambda v: {str(x)[:4] for x in v})
    return [set(grouped.get(i, set())) for i in ids]


def _surname(name: str) -> str:
    words = re.findall(r"[^\W\d_][\w'-]*", str(name).lower())
    return words[-1] if words else ""


def article_people(articles: pd.DataFrame, mentions: pd.DataFrame, *, lead_chars: int = 800):
    """Who each article is about and whom it names: surnames of its PERSON mentions.

    Surnames, not canonical names, so "Jackson" and "Vincent Jackson" are one person across
    outlets whatever each article's entity linking made of them.

    Returns:
        Two lists of sets, one per article: the people named in its head (the first
        ``lead_chars`` characters after a URL line), and every person it names.
    """
    ids = articles["article_id"].astype(str).tolist()
    if mentions.empty or "start" not in mentions:
        return [set() for _ in ids], [set() for _ in ids]
    ends = {}
    for i, text in zip(ids, articles["text"], strict=True):
        text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
        match = _URL_LINE.match(text)
        ends[i] = (match.end() if match else 0) + lead_chars
    rows = mentions[mentions["label"].eq("PERSON").fillna(False)]
    aid = rows["article_id"].astype(str)
    surnames = rows["name"].fillna(rows["text"]).astype(str).map(_surname)
    head_mask = rows["start"].to_numpy(dtype="float64", na_value=np.inf) < aid.map(ends).to_numpy(dtype="float64")
    named: dict[str, set] = {}
    head: dict[str, set] = {}
    for a, name, in_head in zip(aid, surnames, head_mask, strict=True):
        if not name:
            continue
        named.setdefault(a, set()).add(name)
        if in_head:
            head.setdefault(a, set()).add(name)
    return [head.get(i, set()) for i in ids], [named.get(i, set()) for i in ids]


def _bag(mentions: pd.DataFrame, ids: list[str], labels: set[str], negate: bool = False) -> list[str]:
    if mentions.empty:
        return [""] * len(ids)
    keep = mentions["label"].isin(labels)
    rows = mentions[~keep if negate else keep]
    names = rows["name"].fillna(rows["text"]).astype(str).str.lower().str.replace(r"\W+", "_", regex=True)
    grouped = names.groupby(rows["article_id"].astype(str)).agg(" ".join)
    return [grouped.get(i, "") for i in ids]


def article_features(facts: Facts, *, params: StoryParams = DEFAULT):
    """The stacked, L2-normalised feature matrix of ``facts.articles`` (rows in article order).

    Returns:
        A scipy CSR matrix, one row per article.
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    articles = facts.articles
    ids = articles["article_id"].astype(str).tolist()
    docs = [_document(t, x) for t, x in zip(articles["title"], articles["text"], strict=True)]
    blocks = []
    words = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",
        max_df=0.5 if len(docs) > 20 else 1.0,
        dtype=np.float32,
    )
    blocks.append((params.w_words, _fit(words, docs)))
    for weight, bag in (
        (params.w_entities, _bag(facts.mentions, ids, _PLACE_LABELS, negate=True)),
        (params.w_places, _bag(facts.mentions, ids, _PLACE_LABELS)),
        (params.w_lead, _lead_bag(facts.mentions, articles, ids, params.lead_chars)),
        (params.w_numbers, [_numbers(t, x) for t, x in zip(articles["title"], articles["text"], strict=True)]),
    ):
        if weight > 0 and any(bag):
            vec = TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+", lowercase=False, dtype=np.float32)
            blocks.append((weight, _fit(vec, bag)))
    matrix = sparse.hstack([weight * normalize(block) for weight, block in blocks if block is not None]).tocsr()
    return normalize(matrix)


def _lead_bag(mentions: pd.DataFrame, articles: pd.DataFrame, ids: list[str], chars: int) -> list[str]:
    """The people, organisations and places named in the headline and lead: who and where the
    happening is; two similar happenings differ in them even when their bodies read alike."""
    if mentions.empty or "start" not in mentions:
        return [""] * len(ids)
    starts = {}
    for i, text in zip(ids, articles["text"], strict=True):
        text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
        match = _URL_LINE.match(text)
        starts[i] = (match.end() if match else 0) + chars
    aid = mentions["article_id"].astype(str)
    rows = mentions[
        mentions["start"].to_numpy(dtype="float64", na_value=np.inf) < aid.map(starts).to_numpy(dtype="float64")
    ]
    names = rows["name"].fillna(rows["text"]).astype(str).str.lower().str.replace(r"\W+", "_", regex=True)
    grouped = names.groupby(rows["article_id"].astype(str)).agg(" ".join)
    return [grouped.get(i, "") for i in ids]


_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_NUMBER_WORDS = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(title, text) -> str:
    """The figures an article names (tolls, magnitudes, ages, scores, sums): two reports of one
    happening repeat them; two similar happenings differ in them."""
    body = _clean_text(text)
    title = "" if title is None or (not isinstance(title, str) and pd.isna(title)) else str(title)
    return " ".join(m.group(0).replace(",", "") for m in _NUMBER.finditer(f"{title} {body}"))


def _fit(vectorizer, docs: list[str]):
    from scipy import sparse

    try:
        return vectorizer.fit_transform(docs)
    except ValueError:  # no token at all (empty texts)
        return sparse.csr_matrix((len(docs), 1), dtype=np.float32)


def _blocks(days: np.ndarray, window: int) -> list[np.ndarray]:
    """Index blocks to compare: overlapping windows of ``2 * window`` days, and the undated articles."""
    order = np.argsort(days, kind="stable")
    dated = order[~np.isnan(days[order])]
    undated = order[np.isnan(days[order])]
    blocks = [undated] if len(undated) else []
    if len(dated):
        first, last = days[dated[0]], days[dated[-1]]
        start = first
        sorted_days = days[dated]
        while start <= last:
            lo = np.searchsorted(sorted_days, start, side="left")
            hi = np.searchsorted(sorted_days, start + 2 * window, side="right")
            if hi > lo:
                blocks.append(dated[lo:hi])
            start += window
    return blocks


def _candidates(matrix, days: np.ndarray, params: StoryParams, map_blocks=None) -> dict[tuple[int, int], float]:
    """Pairs worth scoring: each article's nearest neighbours within each time window."""
    blocks = [block for block in _blocks(days, params.window_days) if len(block) >= 2]
    k = params.neighbours + 1
    tasks = [(matrix[block], min(k, len(block))) for block in blocks]
    found = (map_blocks or map)(block_neighbours, tasks)
    pairs: dict[tuple[int, int], float] = {}
    floor = params.threshold * 0.5
    for block, (distances, neighbours) in zip(blocks, found, strict=True):
        for row, (dist, nbrs) in enumerate(zip(distances, neighbours, strict=True)):
            a = int(block[row])
            for d, j in zip(dist, nbrs, strict=True):
                b = int(block[j])
                sim = 1.0 - float(d)
                if a == b or sim < floor:
                    continue
                key = (a, b) if a < b else (b, a)
                pairs[key] = sim
    return pairs


def block_neighbours(task) -> tuple[np.ndarray, np.ndarray]:
    """Cosine distances and indices of each row's ``k`` nearest rows in one window's matrix.

    A top-level function of one picklable argument, so an engine's workers can run the
    windows (:func:`cluster_articles`'s ``map_blocks``).
    """
    from sklearn.neighbors import NearestNeighbors

    sub, k = task
    nn = NearestNeighbors(n_neighbors=k, metric="cosine", algorithm="brute").fit(sub)
    return nn.kneighbors(sub)


class _SparseSum:
    """The summed feature vector of a cluster (sorted indices and values): average linkage needs
    only the dot product of two clusters' sums, far cheaper this way than scipy's 1-row matrices."""

    __slots__ = ("indices", "values")

    def __init__(self, indices: np.ndarray, values: np.ndarray):
        self.indices = indices
        self.values = values.astype(np.float64)

    def dot(self, other: _SparseSum) -> float:
        _, i, j = np.intersect1d(self.indices, other.indices, assume_unique=True, return_indices=True)
        return float(np.dot(self.values[i], other.values[j]))

    def plus(self, other: _SparseSum) -> _SparseSum:
        indices, inverse = np.unique(np.concatenate([self.indices, other.indices]), return_inverse=True)
        values = np.bincount(inverse, weights=np.concatenate([self.values, other.values]), minlength=len(indices))
        return _SparseSum(indices, values)


def cluster_articles(
    matrix,
    days: np.ndarray,
    years: list[str | None],
    *,
    params: StoryParams = DEFAULT,
    initial: list[int] | None = None,
    frozen: set[int] | None = None,
    block_days: np.ndarray | None = None,
    named_years: list[set[str]] | None = None,
    people: tuple[list[set[str]], list[set[str]]] | None = None,
    map_blocks=None,
) -> np.ndarray:
    """Cluster rows of ``matrix`` (see the module docstring); returns a cluster label per row.

    Args:
        matrix: L2-normalised feature rows.
        days: Day of each row (NaN when unknown).
        years: Year each row is about (None when unknown).
        params: Clustering knobs.
        initial: Starting cluster label per row (rows already linked into stories), or None.
        frozen: Starting clusters that must not merge with each other (only with new rows).
        block_days: Which ``days`` are publication dates, the only ones that block candidates
            (a date read from the text is evidence, not a reason to skip a comparison); all by default.
        named_years: Every absolute year each row's text names, or None. A cluster's year then
            conflicts with the other cluster only when none of the other's articles names it at
            all (a year named in passing is not evidence of another happening).
        people: From :func:`article_people`: the people each row's head names and every
            person it names, or None. A cluster's key people are those named in the heads of
            at least half of its rows that name anyone there; two clusters whose key people
            are never named by the other cluster are about different people (two arrests of
            two players, two killings of two deputies), and ``people_penalty`` is subtracted.
        map_blocks: ``map``-like callable that runs the per-window neighbour searches
            (:func:`block_neighbours`), e.g. an engine's workers (:meth:`newskit.engines.Engine.map`);
            the built-in ``map`` by default. The result does not depend on it.
    """
    n = matrix.shape[0]
    parent = list(range(n))
    if initial is not None:
        first: dict[int, int] = {}
        for i, label in enumerate(initial):
            if label is not None and label >= 0:
                parent[i] = first.setdefault(label, i)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    roots = {find(i) for i in range(n)}
    matrix = matrix.tocsr()
    matrix.sort_indices()
    sums: dict[int, _SparseSum] = {}
    size: dict[int, int] = dict.fromkeys(roots, 0)
    year_counts: dict[int, Counter] = {r: Counter() for r in roots}
    named: dict[int, set[str]] = {r: set() for r in roots}
    day_range: dict[int, tuple[float, float]] = {}
    head_people: dict[int, Counter] = {r: Counter() for r in roots}
    n_heads: dict[int, int] = dict.fromkeys(roots, 0)
    all_people: dict[int, set[str]] = {r: set() for r in roots}
    for i in range(n):
        r = find(i)
        row = _SparseSum(
            matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]],
            matrix.data[matrix.indptr[i] : matrix.indptr[i + 1]],
        )
        sums[r] = row if r not in sums else sums[r].plus(row)
        size[r] += 1
        if years[i]:
            year_counts[r][years[i]] += 1
            named[r].add(years[i])
        if named_years is not None:
            named[r].update(named_years[i])
        if not np.isnan(days[i]):
            lo, hi = day_range.get(r, (days[i], days[i]))
            day_range[r] = (min(lo, days[i]), max(hi, days[i]))
        if people is not None:
            head_people[r].update(people[0][i])
            n_heads[r] += bool(people[0][i])
            all_people[r] |= people[1][i]
    frozen_roots = {find(i) for i in frozen} if frozen else set()
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(find(i), []).append(i)

    def too_long(ra: int, rb: int) -> bool:
        """Whether the two clusters together would span more than ``max_span_days`` of publication."""
        if not params.max_span_days or ra not in day_range or rb not in day_range:
            return False
        (alo, ahi), (blo, bhi) = day_range[ra], day_range[rb]
        return max(ahi, bhi) - min(alo, blo) > params.max_span_days

    def score(ra: int, rb: int) -> float:
        if too_long(ra, rb):  # checked first: it costs nothing, and spares scoring large clusters
            return -np.inf
        sim = sums[ra].dot(sums[rb]) / (size[ra] * size[rb])
        ya, yb = year_counts[ra], year_counts[rb]
        if ya and yb:
            # Share of each cluster's dated members naming a year the other cluster never names.
            na, nb = named[ra], named[rb]
            soft = min(
                sum(n for y, n in ya.items() if y not in nb) / sum(ya.values()),
                sum(n for y, n in yb.items() if y not in na) / sum(yb.values()),
            )
            strict = min(
                sum(n for y, n in ya.items() if y not in yb) / sum(ya.values()),
                sum(n for y, n in yb.items() if y not in ya) / sum(yb.values()),
            )
            apart = params.year_soft * soft + (1 - params.year_soft) * strict
            sim -= params.year_penalty * apart
        if ra in day_range and rb in day_range:
            (alo, ahi), (blo, bhi) = day_range[ra], day_range[rb]
            gap = max(blo - ahi, alo - bhi, 0.0)
            if gap > params.window_days:
                sim -= params.year_penalty * min(1.0, gap / (4 * params.window_days))
        if people is not None and n_heads[ra] and n_heads[rb]:
            # Key people: named in the heads of at least half of the cluster's articles naming anyone there.
            key_a = {p for p, k in head_people[ra].items() if 2 * k >= n_heads[ra]}
            key_b = {p for p, k in head_people[rb].items() if 2 * k >= n_heads[rb]}
            if key_a and key_b and not key_a & all_people[rb] and not key_b & all_people[ra]:
                sim -= params.people_penalty
        return sim

    def merge(ra: int, rb: int) -> None:
        """Merge the smaller root into the larger."""
        if size[ra] < size[rb]:
            ra, rb = rb, ra
        parent[rb] = ra
        sums[ra] = sums[ra].plus(sums.pop(rb))
        size[ra] += size.pop(rb)
        year_counts[ra].update(year_counts.pop(rb))
        named[ra] |= named.pop(rb)
        head_people[ra].update(head_people.pop(rb))
        n_heads[ra] += n_heads.pop(rb)
        all_people[ra] |= all_people.pop(rb)
        members[ra].extend(members.pop(rb))
        if rb in day_range:
            lo, hi = day_range.pop(rb)
            alo, ahi = day_range.get(ra, (lo, hi))
            day_range[ra] = (min(lo, alo), max(hi, ahi))
        if rb in frozen_roots:
            frozen_roots.discard(rb)
            frozen_roots.add(ra)

    blocking = days if block_days is None else np.where(block_days, days, np.nan)
    candidates = _candidates(matrix, blocking, params, map_blocks)
    heap = [(-sim, a, b) for (a, b), sim in candidates.items()]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        ra, rb = find(a), find(b)
        if ra == rb or (ra in frozen_roots and rb in frozen_roots):
            continue
        current = score(ra, rb)
        if current < params.threshold:
            continue
        if current < -neg - 1e-9:  # clusters changed since this pair was queued: re-queue at its true value
            heapq.heappush(heap, (-current, a, b))
            continue
        merge(ra, rb)
    if 0 < params.attach_threshold <= 1:
        _attach_small(candidates, find, members, size, sums, too_long, day_range, frozen_roots, merge, params)
    return np.array([find(i) for i in range(n)])


def _attach_small(candidates, find, members, size, sums, too_long, day_range, frozen_roots, merge, params) -> None:
    """Attach fragments to the story they are nearest to.

    Smallest first, a cluster joins the cluster it is most similar to (average linkage over
    features alone: publication days further apart than the window still count against,
    the years the texts name do not) when that similarity reaches ``attach_threshold`` and
    that cluster has at least ``attach_ratio`` times its articles: a report or two whose
    nearest story is a much larger one are part of it, even when a year named in passing
    ("since 1994") kept them out of the first pass. Two similar happenings reported about
    equally often are left apart, and so are clusters whose nearest neighbour is no larger.
    """
    adjacent: dict[int, set[int]] = {}
    for a, b in candidates:
        adjacent.setdefault(a, set()).add(b)
        adjacent.setdefault(b, set()).add(a)

    def raw(ra: int, rb: int) -> float:
        if too_long(ra, rb):
            return -np.inf
        sim = sums[ra].dot(sums[rb]) / (size[ra] * size[rb])
        if ra in day_range and rb in day_range:
            (alo, ahi), (blo, bhi) = day_range[ra], day_range[rb]
            gap = max(blo - ahi, alo - bhi, 0.0)
            if gap > params.window_days:
                sim -= params.year_penalty * min(1.0, gap / (4 * params.window_days))
        return sim

    for root in sorted({find(i) for i in adjacent}, key=lambda r: (size.get(r, 0), r)):
        if find(root) != root:
            continue
        near = {find(j) for i in members[root] for j in adjacent.get(i, ())} - {root}
        if root in frozen_roots:
            near -= frozen_roots
        if not near:
            continue
        best, other = max((raw(root, other), other) for other in near)
        if best >= params.attach_threshold and size[other] >= params.attach_ratio * size[root]:
            merge(root, other)


def assign_story_ids(articles: pd.DataFrame, labels) -> pd.Series:
    """A story id per article from cluster labels: each cluster takes its founding article's id."""
    frame = pd.DataFrame(
        {
            "label": list(labels),
            "published": pd.to_datetime(articles["published"]).to_numpy(),
            "article_id": articles["article_id"].astype(str).to_numpy(),
        }
    )
    founders = (
        frame.sort_values(["published", "article_id"], na_position="last").groupby("label", sort=False)["article_id"]
    ).first()
    return pd.Series([story_id_for(founders[label]) for label in frame["label"]], index=articles.index, dtype="string")


def link_stories(facts: Facts, *, params: StoryParams | None = None, map_blocks=None) -> Facts:
    """Cluster articles into stories: set ``articles.story_id`` and build the ``stories`` table.

    Args:
        facts: Facts of any number of articles.
        params: Clustering knobs (default :class:`StoryParams`).
        map_blocks: Runs the time windows' neighbour searches (see :func:`cluster_articles`).

    Returns:
        New Facts (the input is not changed) with ``articles.story_id`` filled, ``stories``
        rebuilt and ``events.story_id`` set from its article.
    """
    params = params or DEFAULT
    articles = facts.articles.copy()
    if articles.empty:
        return replace(facts, articles=articles, stories=schema.frame("stories"))
    if len(articles) == 1:
        labels = np.zeros(1, dtype=int)
    else:
        matrix = article_features(facts, params=params)
        days, years, from_published = article_days(articles, facts.timexes)
        days = np.where(from_published, days, np.nan)  # a dateline read from the text only gives the year
        labels = cluster_articles(
            matrix,
            days,
            years,
            params=params,
            named_years=named_years(articles, facts.timexes),
            people=article_people(articles, facts.mentions, lead_chars=params.lead_chars),
            map_blocks=map_blocks,
        )
    articles["story_id"] = assign_story_ids(articles, labels)
    return with_stories(facts, articles)


def with_stories(facts: Facts, articles: pd.DataFrame, *, merged_from: dict[str, list[str]] | None = None) -> Facts:
    """Facts with ``articles`` (story ids set), the ``stories`` table and ``events.story_id``."""
    story_of = dict(zip(articles["article_id"].astype(str), articles["story_id"], strict=True))
    events = facts.events.copy()
    if not events.empty:
        events["story_id"] = pd.array([story_of.get(str(a)) for a in events["article_id"].tolist()], dtype="string")
    stories = stories_table(replace(facts, articles=articles, events=events), merged_from=merged_from)
    return replace(facts, articles=schema.conform("articles", articles), events=events, stories=stories)


def _salient(events: pd.DataFrame) -> pd.Series:
    """Salient rows; until the events extractor marks them, every non-statement counts."""
    if events.empty:
        return pd.Series([], dtype=bool)
    salient = events["salient"].astype("boolean")
    fallback = events["kind"].fillna("statement").ne("statement")
    return salient.fillna(fallback).astype(bool)


def stories_table(facts: Facts, *, merged_from: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The ``stories`` table of facts whose ``articles.story_id`` is set (unlinked articles are skipped)."""
    articles = facts.articles[facts.articles["story_id"].notna()]
    if articles.empty:
        return schema.frame("stories")
    story_of = dict(zip(articles["article_id"].astype(str), articles["story_id"].astype(str), strict=True))
    published = pd.to_datetime(articles["published"])
    grouped = articles.assign(published=published, source=articles["source"].fillna("\0unknown")).groupby(
        "story_id", sort=True
    )
    table = pd.DataFrame(
        {
            "first_published": grouped["published"].min(),
            "last_published": grouped["published"].max(),
            "n_articles": grouped.size(),
            "n_sources": grouped["source"].nunique(),
        }
    )
    places, actors = _top_names(facts.mentions, story_of)
    kinds: dict[str, str] = {}
    spans: dict[str, tuple] = {}
    if not facts.events.empty:
        kinds, spans = _kinds_and_spans(facts.events, story_of, table["first_published"].to_dict())
    table["kind"] = [kinds.get(s) for s in table.index]
    table["date_start"] = [spans.get(s, (None, None))[0] for s in table.index]
    table["date_end"] = [spans.get(s, (None, None))[1] for s in table.index]
    table["places"] = [places.get(s, []) for s in table.index]
    table["actors"] = [actors.get(s, []) for s in table.index]
    table["merged_from"] = [sorted((merged_from or {}).get(s, [])) for s in table.index]
    # Titles joined in article order per story (a dict pass: a groupby lambda costs a call per story).
    titles: dict[str, list[str]] = {}
    for story_id, title in zip(articles["story_id"].tolist(), articles["title"].tolist(), strict=True):
        parts = titles.setdefault(story_id, [])
        if isinstance(title, str):
            parts.append(title)
    table["label"] = [_label(places.get(s, []), kinds.get(s), " ".join(titles.get(s, []))) for s in table.index]
    table = table.reset_index().sort_values(["first_published", "story_id"], na_position="last")
    return schema.conform("stories", table)


def _top_names(mentions: pd.DataFrame, story_of: dict[str, str]) -> tuple[dict, dict]:
    """story id → its five most mentioned place names, and its five most mentioned actors."""
    places: dict[str, list[str]] = {}
    actors: dict[str, list[str]] = {}
    if mentions.empty:
        return places, actors
    m = mentions.assign(story_id=mentions["article_id"].astype(str).map(story_of)).dropna(subset=["story_id"])
    m = m.assign(name=m["name"].fillna(m["text"]))
    for target, labels in ((places, _PLACE_LABELS), (actors, _ACTOR_LABELS)):
        sub = m[m["label"].isin(labels)]
        counts = sub.groupby(["story_id", "name"]).size().reset_index(name="n")
        counts = counts.sort_values(["story_id", "n", "name"], ascending=[True, False, True])
        for story_id, name in zip(counts["story_id"].tolist(), counts["name"].tolist(), strict=True):
            names = target.setdefault(story_id, [])
            if len(names) < 5:
                names.append(name)
    return places, actors


#: Precisions finest first; a story is dated by its finest-dated salient events.
_PRECISIONS = ("day", "week", "month", "season", "quarter", "year")
_RANK = {precision: rank for rank, precision in enumerate(_PRECISIONS)}
#: How an event must be dated to date its story: events dated by a bound from publication
#: say nothing about the day.
_DATING = frozenset({"timex", "story", "relative-to-event"})
_BACKGROUND = pd.Timedelta(days=31)


def _kinds_and_spans(events: pd.DataFrame, story_of: dict[str, str], first_published: dict) -> tuple[dict, dict]:
    """story id → its kind of event, and → when it happened, from its salient events.

    The kind is the most frequent kind other than ``other`` (ties: ``EVENT_KINDS`` order), else
    ``other``. When it happened is the span of its finest-dated salient events that are not
    background: events dated more than a month before the first report ("since 2019") are
    not the happening. One pass over plain lists (filtering a frame per story cost a tenth of
    a second per hundred stories).
    """
    ev = events[_salient(events).to_numpy()]
    counts: dict[str, dict[str, int]] = {}
    finest: dict[str, list] = {}  # story id → [rank, earliest start, latest end or None]
    columns = (ev[c].tolist() for c in ("article_id", "kind", "dated_by", "date_start", "date_end", "precision"))
    for article_id, kind, dated_by, start, end, precision in zip(*columns, strict=True):
        story_id = story_of.get(str(article_id))
        if story_id is None:
            continue
        kinds = counts.setdefault(story_id, {})
        if isinstance(kind, str) and kind != "other":
            kinds[kind] = kinds.get(kind, 0) + 1
        rank = _RANK.get(precision) if isinstance(precision, str) else None
        if rank is None or not isinstance(dated_by, str) or dated_by not in _DATING or pd.isna(start):
            continue
        published = first_published.get(story_id)
        if pd.notna(end) and pd.notna(published) and end < published - _BACKGROUND:
            continue
        best = finest.get(story_id)
        end = None if pd.isna(end) else end
        if best is None or rank < best[0]:
            finest[story_id] = [rank, start, end]
        elif rank == best[0]:
            best[1] = min(best[1], start)
            best[2] = end if best[2] is None else (best[2] if end is None else max(best[2], end))
    # A tie goes to the kind named first in EVENT_KINDS, not to row order (an incrementally
    # updated store and a clean run hold the same events in another order).
    rank = {kind: i for i, kind in enumerate(schema.EVENT_KINDS)}
    kind_of = {
        story_id: min(kinds, key=lambda k, n=kinds: (-n[k], rank.get(k, len(rank)), k)) if kinds else "other"
        for story_id, kinds in counts.items()
    }
    spans = {story_id: (start, pd.NaT if end is None else end) for story_id, (_, start, end) in finest.items()}
    return kind_of, spans


def _label(places: list[str], kind: str | None, titles: str = "") -> str:
    """A readable headline from facts (the key figure is added by :mod:`newskit.link.figures`).

    The place is the most mentioned one that the headlines name (headlines name where it
    happened; bodies also name capitals and neighbours), else the most mentioned one.
    """
    where = next((p for p in places if p in titles), places[0] if places else None)
    what = _KIND_WORDS.get(kind or "", "story")
    if where:
        return f"{where} {what}"
    return what[:1].upper() + what[1:]
