"""Linking over a facts store: incremental, stable story ids, survives a kill mid-link."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import newskit as nk
from newskit.store import _link as store_link
from newskit.store import extract_to_store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "articles.jsonl"


@pytest.fixture(scope="module")
def articles():
    return nk.read_articles(FIXTURE).sort_values("published").reset_index(drop=True)


def _story_by_key(facts) -> dict[str, str]:
    return dict(zip(facts.articles["url"].str.rsplit("/", n=1).str[-1], facts.articles["story_id"], strict=True))


def test_new_articles_join_stored_stories_and_earlier_ids_stay(articles, tmp_path, nlp):
    out = tmp_path / "store"
    first = articles[articles["published"] < pd.Timestamp("2025-04-15")]  # a1..a5, b1, b2
    extract_to_store(first, out)
    before = _story_by_key(nk.read_facts(out))
    assert len(set(before.values())) == 2
    extract_to_store(articles, out)
    facts = nk.read_facts(out)
    after = _story_by_key(facts)
    assert {k: after[k] for k in before} == before
    assert after["b3"] == after["b4"] == before["b1"]
    assert len(facts.stories) == 5 and facts.stories["n_articles"].sum() == 20
    assert facts.figures["story_id"].isin(facts.stories["story_id"]).all()
    harnow = nk.casualty_summary(facts, by="story").set_index("story_id").loc[after["a1"]]
    assert harnow["killed"] == 14


def test_a_kill_mid_link_leaves_a_readable_store_the_next_run_completes(articles, tmp_path, monkeypatch):
    out = tmp_path / "store"
    extract_to_store(articles.head(10), out)
    linked = _story_by_key(nk.read_facts(out))

    def killed(*_args, **_kwargs):
        # A run dies while writing the next generation: one stray file, no manifest update.
        (out / "links.stories-dead.parquet").write_bytes(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(store_link, "_write_generation", killed)
    with pytest.raises(KeyboardInterrupt):
        extract_to_store(articles, out)
    facts = nk.read_facts(out)  # readable: the previous generation
    partial = _story_by_key(facts)
    assert {k: partial[k] for k in linked} == linked
    assert sum(pd.isna(v) for v in partial.values()) == 10
    monkeypatch.undo()
    extract_to_store(articles, out)  # nothing to extract: the hook links what is missing
    done = _story_by_key(nk.read_facts(out))
    assert all(pd.notna(v) for v in done.values())
    assert {k: done[k] for k in linked} == linked
    assert not (out / "links.stories-dead.parquet").exists()


def test_a_full_link_killed_while_writing_its_figures_leaves_the_last_generation(articles, tmp_path, monkeypatch):
    """A full link writes its figures to the next generation's files a batch of stories at a time:
    killed half way, the store still reads the previous generation, and the next run replaces the
    half-written files."""
    out = tmp_path / "store"
    extract_to_store(articles, out)
    linked = _story_by_key(nk.read_facts(out))
    figures = nk.read_facts(out).figures
    monkeypatch.setattr(store_link, "BATCH_ARTICLES", 3)
    written = []
    original = store_link._Spool.add

    def dies(self, table, data):
        original(self, table, data)
        written.append(table)
        if len(written) == 4:  # the stories and figures of a first batch are on disk
            raise KeyboardInterrupt

    monkeypatch.setattr(store_link._Spool, "add", dies)
    with pytest.raises(KeyboardInterrupt):
        store_link.link_store(out, full=True)
    assert sorted(p.name.split("-")[0] for p in out.glob("links.*.tmp")) == [
        "links.figure_reports",
        "links.figures",
        "links.stories",
    ]
    facts = nk.read_facts(out)
    assert _story_by_key(facts) == linked
    pd.testing.assert_frame_equal(facts.figures, figures)
    monkeypatch.undo()
    store_link.link_store(out, full=True)
    assert _story_by_key(nk.read_facts(out)) == linked
    assert not list(out.glob("links.*.tmp"))


def test_full_relink_records_merged_stories(articles, tmp_path):
    out = tmp_path / "store"
    extract_to_store(articles[articles["url"].str.contains("/a")], out)
    # Pretend an earlier run had split the Harnow story in two.
    links = store_link.read_links(out)
    split = links["article_links"].copy()
    late = split["article_id"].isin(nk.read_facts(out).articles.query("published >= '2025-04-09'")["article_id"])
    split.loc[late, "story_id"] = "Searlier000001"
    from newskit.store._format import load_manifest as _load_manifest

    manifest = _load_manifest(out)
    store_link._write_generation(out, manifest, {**links, "article_links": split})
    store_link.link_store(out, full=True)
    stories = nk.read_facts(out).stories
    assert len(stories) == 1
    assert stories.iloc[0]["merged_from"] == ["Searlier000001"]


def _truth(facts) -> list[set[str]]:
    """The fixture's five stories are the letters of its article keys (a1..a5, b1..b4, ...)."""
    by_story: dict[str, set[str]] = {}
    for key, story in _story_by_key(facts).items():
        by_story.setdefault(story, set()).add(key)
    return sorted(by_story.values(), key=min)


def test_a_full_link_in_small_batches_finds_the_five_stories(articles, tmp_path, monkeypatch):
    """Streaming: three articles per pass, so every story but one is split across passes and each
    pass must join the stories of the passes before it."""
    out = tmp_path / "store"
    monkeypatch.setattr(store_link, "BATCH_ARTICLES", 3)
    extract_to_store(articles, out)
    store_link.link_store(out, full=True)
    facts = nk.read_facts(out)
    expected = [{f"{letter}{k}" for k in range(1, n + 1)} for letter, n in zip("abcde", (5, 4, 4, 3, 4), strict=True)]
    assert _truth(facts) == expected
    assert len(facts.stories) == 5 and facts.stories["n_articles"].tolist() == [5, 4, 4, 3, 4]
    assert facts.figures["story_id"].isin(facts.stories["story_id"]).all()


def test_an_incremental_link_reads_only_the_window_and_the_stories_it_joins(articles, tmp_path, monkeypatch):
    """Adding the June raid reports (e1..e4) to a store linked through May: the clustering reads
    them and the articles published within 20 days before (the May 20-21 budget reports d1..d3),
    figures are reconciled for the raid story only; April and early May (a, b, c) are never read."""
    from newskit.store import _read

    out = tmp_path / "store"
    extract_to_store(articles[~articles["url"].str.contains("/e")], out)
    before = _story_by_key(nk.read_facts(out))
    read_ids: list[str] = []
    original = _read.read_stored

    def recording(directory, **kwargs):
        read_ids.extend((kwargs.get("filters") or {}).get("article_id", []))
        return original(directory, **kwargs)

    monkeypatch.setattr(_read, "read_stored", recording)
    extract_to_store(articles, out)
    monkeypatch.undo()
    facts = nk.read_facts(out)
    key_of = dict(zip(facts.articles["article_id"], facts.articles["url"].str.rsplit("/", n=1).str[-1], strict=True))
    read_keys = {key_of[a] for a in read_ids}
    assert {"e1", "e2", "e3", "e4", "d1", "d2", "d3"} <= read_keys
    assert not {k for k in read_keys if k[0] in "abc"}
    after = _story_by_key(facts)
    assert {k: after[k] for k in before} == before
    assert after["e1"] == after["e2"] == after["e3"] == after["e4"] not in before.values()
    assert len(facts.stories) == 5
