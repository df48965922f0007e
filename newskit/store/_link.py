"""Linking over a facts store: stories and figures kept beside the per-article chunks.

The link state of a store is corpus-level, so it is not part of any chunk. It lives in
``DIR/links/``, one Parquet file per table and *generation*::

    DIR/links.article_links-<gen>.parquet   article_id, story_id
    DIR/links.stories-<gen>.parquet
    DIR/links.figures-<gen>.parquet
    DIR/links.figure_reports-<gen>.parquet

and the manifest's ``"links"`` entry names the current generation. A run writes the new
generation's files (temporary name, fsync, ``os.replace``), then the manifest, then deletes
the old generation: killing it at any moment leaves the previous generation readable, and
the next run (which links every article not in the current ``article_links``) completes it.

Incremental rule (:func:`link_store`): only articles the current generation has not linked
are clustered, together with the linked articles published within the clustering window
around them (``StoryParams.window_days``, twice, each side; read by article id, so the cost
follows the new articles, not the store). A new article joins the story of the linked
articles it clusters with, or founds a new story; only the stories new articles joined or
founded are reconciled again. Stored stories keep their ids: an incremental run never merges
two of them. ``full=True`` re-links the whole store from scratch, streaming: the articles in
publication order, ``BATCH_ARTICLES`` at a time, each batch linked into the stories of the
batches before it by the incremental rule, then the figures a batch of stories at a time;
a stored story whose articles then belong to a story with another id is recorded in that
story's ``merged_from``.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..errors import StoreDamagedError
from ..schema import to_arrow, to_frame
from . import _format as fmt

__all__ = ["LINK_FILES", "attach_links", "link_store", "read_links"]

LINKS = "links"
LINK_FILES: tuple[str, ...] = ("article_links", *schema.LINK_TABLES)


def _path(directory: Path, name: str, generation: str) -> Path:
    return directory / f"{LINKS}.{name}-{generation}.parquet"


def read_links(
    directory: str | Path, manifest: dict | None = None, *, names: tuple[str, ...] = LINK_FILES, arrow: bool = False
) -> dict | None:
    """The current link tables of a store (``article_links`` and the link tables), or None if unlinked.

    Args:
        directory: The store.
        manifest: Its manifest (read from disk by default).
        names: The tables to read (all by default).
        arrow: Return the link tables as Arrow tables, as stored (``article_links`` stays a DataFrame).
    """
    import pyarrow.parquet as pq

    directory = Path(directory)
    manifest = manifest or fmt.load_manifest(directory)
    info = manifest.get("links")
    if not info:
        return None
    out = {}
    for name in names:
        path = _path(directory, name, info["generation"])
        problem = fmt.verify_file(path, info.get("files", {}).get(name))
        if problem:
            raise fmt.damaged(directory, f"{path.name} {problem}", manifest)
        data = pq.read_table(path)
        if name == "article_links":
            out[name] = data.to_pandas().astype({"article_id": "string", "story_id": "string"})
        else:
            out[name] = data if arrow else schema.conform(name, to_frame(name, data))
    return out


def attach_links(
    directory: Path, manifest: dict, frames: dict[str, pd.DataFrame], *, whole_rows: bool = True
) -> dict[str, pd.DataFrame]:
    """Frames read from a chunked store, with ``articles.story_id``, ``events.story_id`` and the
    link tables of the stories among the articles read (the hook :func:`newskit.read_facts` calls).

    When whole rows of articles, mentions and events were read, entity ids across articles and
    event ids within stories are linked too (:func:`newskit.link.link_entities`,
    :func:`newskit.link.link_events`: cheap, and they depend only on the rows read), so a full
    read equals ``newskit.extract`` of the same articles.
    """
    if not manifest.get("links") or "articles" not in frames:
        return frames
    links = read_links(directory, manifest)
    story_of = dict(zip(links["article_links"]["article_id"], links["article_links"]["story_id"], strict=True))
    articles = frames["articles"]
    if "article_id" in articles.columns:
        frames["articles"] = articles.assign(
            story_id=pd.array([story_of.get(a) for a in articles["article_id"]], dtype="string")
        )
        events = frames.get("events")
        if events is not None and "article_id" in events.columns and "story_id" in events.columns:
            frames["events"] = events.assign(
                story_id=pd.array([story_of.get(a) for a in events["article_id"]], dtype="string")
            )
        wanted = {story_of.get(a) for a in articles["article_id"]} - {None}
        for table in schema.LINK_TABLES:
            df = links[table]
            frames[table] = df[df["story_id"].isin(wanted)].reset_index(drop=True)
    if whole_rows and {"articles", "mentions", "events"} <= frames.keys():
        from ..facts import Facts
        from ..link import link_entities, link_events

        names = list(frames)
        linked = link_events(link_entities(Facts.from_frames(frames))).tables()
        frames = {name: linked[name] for name in names}
    return frames


class _Spool:
    """The link tables of a full link, written to the next generation's files a batch of stories at
    a time (kept in memory until the end, they grew with the store: 40 MB at 20,000 articles).

    The files are ``links.<table>-<generation>.parquet.tmp`` until :func:`_write_generation`
    publishes them; a killed run's are deleted with its other leftovers by the next generation.
    """

    def __init__(self, directory: Path):
        self.generation = f"{time.time_ns():x}"
        self.paths = {t: Path(f"{_path(directory, t, self.generation)}.tmp") for t in schema.LINK_TABLES}
        self.writers: dict = {}
        self.stories = 0  # stories written (set by :func:`_reconcile`)

    def add(self, table: str, data) -> None:
        import pyarrow.parquet as pq

        writer = self.writers.get(table)
        if writer is None:
            writer = self.writers[table] = pq.ParquetWriter(self.paths[table], data.schema, compression="zstd")
        elif not data.schema.equals(writer.schema):
            data = data.cast(writer.schema)
        writer.write_table(data)

    def close(self) -> dict[str, Path]:
        """The written files, every link table's (an empty one for a table no batch had rows for)."""
        for table in schema.LINK_TABLES:
            if table not in self.writers:
                self.add(table, to_arrow(table, schema.frame(table)))
            self.writers[table].close()
        return dict(self.paths)


def _write_generation(
    directory: Path, manifest: dict, tables: dict[str, pd.DataFrame], *, generation: str | None = None
) -> None:
    """Write the link ``tables`` as the next generation (a :class:`_Spool`'s files, given as paths
    with its ``generation``, are published as they are), then the manifest naming it."""
    import pyarrow as pa

    old = (manifest.get("links") or {}).get("generation")
    generation = generation or f"{time.time_ns():x}"
    files = {}
    for name in LINK_FILES:
        df = tables[name]
        if isinstance(df, Path):  # written a batch at a time (:class:`_Spool`)
            files[name] = fmt.publish(df, _path(directory, name, generation))
            continue
        if isinstance(df, pa.Table):  # rows kept as read (an incremental run's untouched stories)
            data = df
        elif name == "article_links":
            data = pa.Table.from_pandas(
                df[["article_id", "story_id"]].astype(object).where(df[["article_id", "story_id"]].notna(), None),
                schema=pa.schema([("article_id", pa.string()), ("story_id", pa.string())]),
                preserve_index=False,
            )
        else:
            data = to_arrow(name, df)
        files[name] = fmt.atomic_write(_path(directory, name, generation), fmt.parquet_bytes(data))
    manifest["links"] = {"generation": generation, "articles": len(tables["article_links"]), "files": files}
    fmt.save_manifest(directory, manifest)
    for path in directory.glob(f"{LINKS}.*"):  # the previous generation and leftovers of killed runs
        if not path.name.endswith(f"-{generation}.parquet"):
            with contextlib.suppress(OSError):
                path.unlink()
    del old


#: Articles clustered, or reconciled, per pass of a full link: its peak memory follows this,
#: not the size of the store (each pass reads only its articles' rows).
BATCH_ARTICLES = 500

_MENTIONS = ["article_id", "entity_id", "name", "label", "text", "start"]
#: What clustering reads: texts, the names (features, people) and the dates (the year an article is about).
_CLUSTER_COLUMNS = {
    "articles": ["article_id", "published", "title", "text"],
    "mentions": _MENTIONS,
    "timexes": ["article_id", "type", "value", "anchor", "date_start", "start"],
}
#: What reconciling reads: the stories table (places, actors, kind, dates from events) and the figures.
_RECONCILE_COLUMNS = {
    "articles": ["article_id", "published", "title", "source", "text"],
    "mentions": _MENTIONS,
    "events": ["article_id", "kind", "salient", "dated_by", "date_start", "date_end", "precision"],
    "casualties": None,
    "quantities": None,
}


def link_store(
    directory: str | Path, *, full: bool = False, manifest: dict | None = None, params=None, map_blocks=None
) -> dict:
    """Link a store's articles into stories and reconcile their figures (incrementally).

    Both ways stream: articles are clustered a batch of publication time at a time (with the
    stored articles of the window before it), and figures are reconciled a batch of stories at
    a time, each pass reading only its articles' rows, so memory does not grow with the store.

    Args:
        directory: A chunked facts store (``newskit extract ... --out DIR``).
        full: Re-link every article from scratch (merges of stored stories are recorded in
            ``stories.merged_from``); by default only articles not linked yet are linked.
        manifest: The store's manifest when the caller holds the store lock (the
            :func:`newskit.store.extract_to_store` hook); read from disk otherwise.
        params: :class:`newskit.link.stories.StoryParams`.
        map_blocks: Runs the clustering's time windows, e.g. on an engine's workers
            (:meth:`newskit.engines.Engine.map`; see :func:`newskit.link.stories.cluster_articles`).

    Returns:
        ``{"linked": new articles linked, "stories": stories touched}``.
    """
    with _system_pool():
        return _link_store(directory, full=full, manifest=manifest, params=params, map_blocks=map_blocks)


@contextlib.contextmanager
def _system_pool():
    """Arrow allocates from the C library's allocator while linking: its default pool (mimalloc)
    kept what every pass's reads had freed, so a link of many passes grew with the store
    (measured: 30 reads of 500 articles out of 20,000 peaked at 360 MB, 199 MB with this)."""
    import pyarrow as pa

    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _link_store(directory, *, full: bool, manifest: dict | None, params, map_blocks) -> dict:
    from ..link.stories import DEFAULT

    directory = Path(directory)
    params = params or DEFAULT
    manifest = manifest or fmt.load_manifest(directory)
    stored_ids = list(manifest["articles"])
    try:  # the other link tables only when an incremental run keeps them (a full run replaces them)
        links = read_links(directory, manifest, names=("article_links",))
    except StoreDamagedError:  # damaged link files: link everything again (this is the repair)
        links = None
    if links is not None and not set(links["article_links"]["article_id"]) <= set(stored_ids):
        # Articles were removed or replaced since the last link: their stories' figures are stale,
        # so link everything again (a store equals a clean run of its current inputs).
        full = True
    stored = None
    if links is not None and not full:
        try:
            stored = read_links(directory, manifest, names=schema.LINK_TABLES, arrow=True)
        except StoreDamagedError:  # article links readable, the rest not: link everything again
            full = True
    index = _index(directory, manifest)
    if full or links is None:
        previous = (
            {}
            if links is None
            else dict(zip(*[links["article_links"][c] for c in ("article_id", "story_id")], strict=True))
        )
        known: dict[str, str] = {}
        members: dict[str, list[str]] = {}
        for batch in _batches(index, params):
            _cluster_into(directory, manifest, index, batch, known, params, map_blocks, members=members)
            _release()
        merged = _merged_from(previous, pd.DataFrame({"article_id": list(known), "story_id": list(known.values())}))
        spool = _Spool(directory)
        tables = _reconcile(directory, manifest, index, known, set(known.values()), merged, spool=spool)
        _write_generation(directory, manifest, tables, generation=spool.generation)
        return {"linked": len(known), "stories": spool.stories}

    current = set(stored_ids)
    known = {
        a: s
        for a, s in zip(*[links["article_links"][c] for c in ("article_id", "story_id")], strict=True)
        if a in current
    }
    new_ids = [a for a in index["article_id"] if a not in known]
    if not new_ids:
        return {"linked": 0, "stories": 0}
    for batch in _batches(index[~index["article_id"].isin(list(known))], params):
        _cluster_into(directory, manifest, index, batch, known, params, map_blocks)
    touched = {known[a] for a in new_ids}
    relinked = _reconcile(directory, manifest, index, known, touched, {})
    _write_generation(directory, manifest, _replace_stories(stored, relinked, touched))
    return {"linked": len(new_ids), "stories": len(touched)}


def _replace_stories(old: dict, relinked: dict, touched: set[str]) -> dict:
    """The stored link tables with the rows of the ``touched`` stories replaced by ``relinked``'s
    (in Arrow, as stored: the untouched stories are never turned into DataFrames)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    tables = {"article_links": relinked["article_links"]}
    touched_ids = pa.array(sorted(touched), type=pa.string())
    for table in schema.LINK_TABLES:
        kept = old[table].filter(pc.invert(pc.is_in(old[table]["story_id"], value_set=touched_ids)))
        tables[table] = pa.concat_tables([kept, relinked[table]])
    return tables


def _release() -> None:
    """Hand the memory of a finished pass back before the next: without it the allocators keep
    each pass's freed blocks, and a link of many passes grew with the store all the same."""
    import ctypes
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # glibc only; elsewhere the allocator decides
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _index(directory: Path, manifest: dict) -> pd.DataFrame:
    """Every stored article's id and publication time, in publication order (undated last)."""
    from ._read import read_stored

    index = read_stored(
        directory,
        tables=["articles"],
        columns={"articles": ["article_id", "published"]},
        attach=False,
        manifest=manifest,
    ).articles
    index = index.assign(article_id=index["article_id"].astype(str), published=pd.to_datetime(index["published"]))
    return index.sort_values(["published", "article_id"], na_position="last").reset_index(drop=True)


def _batches(index: pd.DataFrame, params) -> list[list[str]]:
    """Article ids to cluster pass by pass: ``BATCH_ARTICLES`` in publication order, then the undated
    ones together (clustering compares undated articles only with each other)."""
    dated = index["published"].notna().to_numpy()
    ids = index["article_id"].to_numpy()
    batches = [ids[dated][k : k + BATCH_ARTICLES].tolist() for k in range(0, int(dated.sum()), BATCH_ARTICLES)]
    if (~dated).any():
        batches.append(ids[~dated].tolist())
    return batches


def _context(index: pd.DataFrame, ids: list[str], known: dict[str, str], params, *, after: bool) -> list[str]:
    """Linked articles a batch is clustered with: those published within two clustering windows
    before it (and after it, for an incremental run that may fill in the past); for undated
    articles, the linked undated ones."""
    published = index.set_index("article_id")["published"]
    days = published.reindex(ids)
    linked = index[index["article_id"].map(known.__contains__)]
    undated = linked[linked["published"].isna()]["article_id"].tolist() if days.isna().any() else []
    dated_days = days.dropna()
    if dated_days.empty:
        return undated
    pad = pd.Timedelta(days=2 * params.window_days)
    lo, hi = dated_days.min() - pad, (dated_days.max() + pad if after else dated_days.max())
    near = linked[(linked["published"] >= lo) & (linked["published"] <= hi)]["article_id"].tolist()
    return near + undated


def _cluster_into(directory, manifest, index, ids, known, params, map_blocks, *, members=None) -> None:
    """Cluster articles ``ids`` with the linked articles around them: each joins the story of the
    linked articles it clusters with or founds a new one (``known``, article → story, is updated).

    Incremental (``members`` None): linked stories keep their ids and never merge with each
    other. A full link's passes give ``members`` (story → its articles, founder first, updated
    too): the stories of earlier passes are not published yet, so two of them that the articles
    between them bring together merge, under the id of the one founded first (the id one pass
    over every article would give).
    """
    from ..link import link_entities
    from ..link.stories import article_days, article_features, article_people, cluster_articles, named_years
    from ._read import read_stored

    context = _context(index, ids, known, params, after=members is None)
    window = link_entities(
        read_stored(
            directory,
            tables=list(_CLUSTER_COLUMNS),
            columns=_CLUSTER_COLUMNS,
            filters={"article_id": [*ids, *context]},
            link_rows=False,
            attach=False,
            manifest=manifest,
        )
    )
    articles = window.articles
    names = articles["article_id"].astype(str).tolist()
    if len(names) == 1:
        labels = np.zeros(1, dtype=int)
    else:
        label_of: dict[str, int] = {}
        days, years, from_published = article_days(articles, window.timexes)
        labels = cluster_articles(
            article_features(window, params=params),
            np.where(from_published, days, np.nan),  # a dateline read from the text only gives the year
            years,
            params=params,
            initial=[label_of.setdefault(known[a], len(label_of)) if a in known else -1 for a in names],
            frozen=None if members is not None else {k for k, a in enumerate(names) if a in known},
            named_years=named_years(articles, window.timexes),
            people=article_people(articles, window.mentions, lead_chars=params.lead_chars),
            map_blocks=map_blocks,
        )
    _assign(articles, names, labels, set(ids), known, members, index)


def _assign(articles, names, labels, wanted, known, members, index) -> None:
    """Story ids for a pass's clusters: a cluster holding linked articles keeps their story's id
    (the earliest founded one's when it holds several, which then merge: full link only); a new
    cluster takes its founding (earliest) article's id."""
    from ..link.stories import story_id_for

    story_for_label: dict = {}
    if members is None:
        story_for_label = {labels[k]: known[a] for k, a in enumerate(names) if a in known}
    else:
        stories: dict = {}
        for k, a in enumerate(names):
            if a in known:
                stories.setdefault(labels[k], set()).add(known[a])
        published = index.set_index("article_id")["published"]
        for label, found in stories.items():
            keep = min(found, key=lambda s: (published[members[s][0]], members[s][0]))
            for other in found - {keep}:
                for article_id in members[other]:
                    known[article_id] = keep
                members[keep].extend(members.pop(other))
            story_for_label[label] = keep
    order = articles.assign(_k=range(len(names)), _p=pd.to_datetime(articles["published"]))
    order = order.sort_values(["_p", "article_id"], na_position="last")["_k"].tolist()
    for k in order:
        story_for_label.setdefault(labels[k], story_id_for(names[k]))
    for k in order:  # publication order: a story's founder comes first in ``members``
        a = names[k]
        if a in wanted and a not in known:
            known[a] = story_for_label[labels[k]]
            if members is not None:
                members.setdefault(known[a], []).append(a)


def _reconcile(
    directory, manifest, index, known, stories: set[str], merged: dict[str, list[str]], *, spool: _Spool | None = None
) -> dict:
    """``article_links`` of every linked article (a DataFrame) and the link tables of ``stories``
    (Arrow tables, or the files ``spool`` wrote them to), reconciled a batch of whole stories
    (about ``BATCH_ARTICLES`` articles) at a time, in publication order."""
    import pyarrow as pa

    from ..link import link_entities, reconcile_figures
    from ..link.stories import with_stories
    from ._read import read_stored

    members: dict[str, list[str]] = {}
    for article_id in index["article_id"]:  # publication order: stories by their founding article
        story = known.get(article_id)
        if story in stories:
            members.setdefault(story, []).append(article_id)
    groups: list[list[str]] = [[]]
    for story_members in members.values():
        if len(groups[-1]) >= BATCH_ARTICLES:
            groups.append([])
        groups[-1].extend(story_members)
    pieces: dict[str, list] = {t: [] for t in schema.LINK_TABLES}
    for group in groups:
        if not group:
            continue
        subset = link_entities(
            read_stored(
                directory,
                tables=list(_RECONCILE_COLUMNS),
                columns={t: c for t, c in _RECONCILE_COLUMNS.items() if c is not None},
                filters={"article_id": group},
                link_rows=False,
                attach=False,
                manifest=manifest,
            )
        )
        articles = subset.articles.assign(
            story_id=pd.array([known.get(a) for a in subset.articles["article_id"]], dtype="string")
        )
        relinked = reconcile_figures(with_stories(subset, articles, merged_from=merged))
        for table in schema.LINK_TABLES:  # kept in Arrow: a fraction of the DataFrames' memory
            data = to_arrow(table, getattr(relinked, table))
            if spool is None:
                pieces[table].append(data)
            else:
                spool.add(table, data)
        del subset, relinked, data
        _release()
    if spool is not None:
        spool.stories = len(members)
        tables = spool.close()
    else:
        tables = {t: pa.concat_tables(p) if p else to_arrow(t, schema.frame(t)) for t, p in pieces.items()}
    tables["article_links"] = pd.DataFrame(
        {
            "article_id": pd.array(list(known), dtype="string"),
            "story_id": pd.array(list(known.values()), dtype="string"),
        }
    )
    return tables


def _merged_from(previous: dict[str, str], articles: pd.DataFrame) -> dict[str, list[str]]:
    """New story id → earlier story ids whose articles it now holds (other than its own id)."""
    merged: dict[str, set[str]] = {}
    for article_id, story_id in zip(articles["article_id"], articles["story_id"], strict=True):
        old = previous.get(article_id)
        if old is not None and old != story_id:
            merged.setdefault(story_id, set()).add(old)
    return {k: sorted(v) for k, v in merged.items()}
