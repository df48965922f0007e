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
are clustered, together with the stored articles published within the clustering window
around them (``StoryParams.window_days``, twice, each side; read with a ``published`` filter,
so the cost follows the new articles, not the store). A new article joins the story of the
stored articles it clusters with, or founds a new story. Stored stories keep their ids: an
incremental run never merges two of them. ``full=True`` re-links the whole store from
scratch; a stored story whose articles then belong to a story with another id is recorded
in that story's ``merged_from``.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace
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


def read_links(directory: str | Path, manifest: dict | None = None) -> dict[str, pd.DataFrame] | None:
    """The current link tables of a store (``article_links`` and the link tables), or None if unlinked."""
    import pyarrow.parquet as pq

    directory = Path(directory)
    manifest = manifest or fmt.load_manifest(directory)
    info = manifest.get("links")
    if not info:
        return None
    out = {}
    for name in LINK_FILES:
        path = _path(directory, name, info["generation"])
        problem = fmt.verify_file(path, info.get("files", {}).get(name))
        if problem:
            raise fmt.damaged(directory, f"{path.name} {problem}", manifest)
        data = pq.read_table(path)
        if name == "article_links":
            out[name] = data.to_pandas().astype({"article_id": "string", "story_id": "string"})
        else:
            out[name] = schema.conform(name, to_frame(name, data))
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


def _write_generation(directory: Path, manifest: dict, tables: dict[str, pd.DataFrame]) -> None:
    import pyarrow as pa

    old = (manifest.get("links") or {}).get("generation")
    generation = f"{time.time_ns():x}"
    files = {}
    for name in LINK_FILES:
        df = tables[name]
        if name == "article_links":
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


def link_store(
    directory: str | Path, *, full: bool = False, manifest: dict | None = None, params=None, map_blocks=None
) -> dict:
    """Link a store's articles into stories and reconcile their figures (incrementally).

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
    from ..link import link_entities, link_stories, reconcile_figures
    from ..link.stories import (
        DEFAULT,
        article_days,
        article_features,
        article_people,
        cluster_articles,
        named_years,
        story_id_for,
        with_stories,
    )
    from ._read import read_stored

    directory = Path(directory)
    params = params or DEFAULT
    manifest = manifest or fmt.load_manifest(directory)
    stored_ids = list(manifest["articles"])
    try:
        links = read_links(directory, manifest)
    except StoreDamagedError:  # damaged link files: link everything again (this is the repair)
        links = None
    if links is not None and not set(links["article_links"]["article_id"]) <= set(stored_ids):
        # Articles were removed or replaced since the last link: their stories' figures are stale,
        # so link everything again (a store equals a clean run of its current inputs).
        full = True
    if full or links is None:
        facts = link_entities(read_stored(directory, link_rows=False))
        facts = replace(
            facts, articles=facts.articles.assign(story_id=pd.array([None] * len(facts.articles), dtype="string"))
        )
        previous = (
            {}
            if links is None
            else dict(zip(*[links["article_links"][c] for c in ("article_id", "story_id")], strict=True))
        )
        linked = reconcile_figures(link_stories(facts, params=params, map_blocks=map_blocks))
        merged = _merged_from(previous, linked.articles)
        if merged:
            linked = replace(
                linked,
                stories=linked.stories.assign(
                    merged_from=[sorted(merged.get(s, [])) for s in linked.stories["story_id"]]
                ),
            )
        tables = {
            "article_links": linked.articles[["article_id", "story_id"]],
            **{t: getattr(linked, t) for t in schema.LINK_TABLES},
        }
        _write_generation(directory, manifest, tables)
        return {"linked": len(facts.articles), "stories": len(linked.stories)}

    known = dict(zip(links["article_links"]["article_id"], links["article_links"]["story_id"], strict=True))
    current = set(stored_ids)
    known = {a: s for a, s in known.items() if a in current}  # articles replaced or dropped since
    new_ids = [a for a in stored_ids if a not in known]
    if not new_ids:
        return {"linked": 0, "stories": 0}
    new_articles = read_stored(
        directory,
        tables=["articles"],
        columns={"articles": ["article_id", "published"]},
        filters={"article_id": new_ids},
    ).articles
    published = pd.to_datetime(new_articles["published"]).dropna()
    if len(published) == len(new_articles):
        pad = pd.Timedelta(days=2 * params.window_days)
        window = read_stored(
            directory, filters={"published": (published.min() - pad, published.max() + pad)}, link_rows=False
        )
    else:  # undated new articles are compared with everything
        window = read_stored(directory, link_rows=False)
    window = link_entities(window)
    articles = window.articles
    ids = articles["article_id"].astype(str).tolist()
    label_of: dict[str, int] = {}
    initial = [label_of.setdefault(known[a], len(label_of)) if a in known else -1 for a in ids]
    frozen = {k for k, a in enumerate(ids) if a in known}
    matrix = article_features(window, params=params)
    days, years, from_published = article_days(articles, window.timexes)
    days = np.where(from_published, days, np.nan)
    labels = cluster_articles(
        matrix,
        days,
        years,
        params=params,
        initial=initial,
        frozen=frozen,
        named_years=named_years(articles, window.timexes),
        people=article_people(articles, window.mentions, lead_chars=params.lead_chars),
        map_blocks=map_blocks,
    )
    story_for_label: dict[int, str] = {}
    for k, a in enumerate(ids):
        if a in known:
            story_for_label[labels[k]] = known[a]
    order = articles.assign(_k=range(len(ids))).sort_values(["published", "article_id"], na_position="last")["_k"]
    for k in order:
        story_for_label.setdefault(labels[k], story_id_for(ids[k]))
    for k, a in enumerate(ids):
        if a not in known:
            known[a] = story_for_label[labels[k]]
    touched = {known[a] for a in new_ids if a in known}
    members = [a for a, s in known.items() if s in touched]
    subset = link_entities(read_stored(directory, filters={"article_id": members}, link_rows=False))
    subset_articles = subset.articles.assign(
        story_id=pd.array([known.get(a) for a in subset.articles["article_id"]], dtype="string")
    )
    relinked = reconcile_figures(with_stories(subset, subset_articles))
    tables = {"article_links": pd.DataFrame({"article_id": list(known), "story_id": list(known.values())})}
    for table in schema.LINK_TABLES:
        old = links[table]
        tables[table] = pd.concat([old[~old["story_id"].isin(touched)], getattr(relinked, table)], ignore_index=True)
    _write_generation(directory, manifest, tables)
    return {"linked": len(new_ids), "stories": len(touched)}


def _merged_from(previous: dict[str, str], articles: pd.DataFrame) -> dict[str, list[str]]:
    """New story id → earlier story ids whose articles it now holds (other than its own id)."""
    merged: dict[str, set[str]] = {}
    for article_id, story_id in zip(articles["article_id"], articles["story_id"], strict=True):
        old = previous.get(article_id)
        if old is not None and old != story_id:
            merged.setdefault(story_id, set()).add(old)
    return {k: sorted(v) for k, v in merged.items()}
