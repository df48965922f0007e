"""Helpers shared by the store and engine tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from newskit import schema
from newskit.facts import Facts

REPO = Path(__file__).resolve().parents[1]


def load_synth():
    """``benchmarks/synth.py`` (the fictional-article generator), imported by path."""
    spec = importlib.util.spec_from_file_location("nk_bench_synth", REPO / "benchmarks" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sorted_table(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in a canonical order (chunks may finish in any order)."""
    keys = [c for c in df.columns if df[c].dtype != object]
    return df.sort_values(keys, na_position="first", kind="stable").reset_index(drop=True) if len(df) else df


def assert_same_facts(left: Facts, right: Facts, *, history: bool = True) -> None:
    """Every table equal up to row order, dtypes included.

    ``history=False`` compares what a store holds with a clean run of the same inputs: a store
    keeps the story ids earlier runs gave (ids stay stable as stories grow) and records merges in
    ``stories.merged_from``, which a clean run cannot know. Story, event and figure ids are then
    compared by what they group (their articles, mentions, story and measure), not by name.
    """
    if not history:
        left, right = _canonical_ids(left), _canonical_ids(right)
    for table in schema.TABLES:
        a, b = getattr(left, table), getattr(right, table)
        if table == "stories" and not history:
            a, b = a.drop(columns="merged_from"), b.drop(columns="merged_from")
        pd.testing.assert_frame_equal(sorted_table(a), sorted_table(b))


def _canonical_ids(facts: Facts) -> Facts:
    """Story ids renamed after their first article, event ids after their first mention."""
    import dataclasses

    articles = facts.articles
    story = articles.groupby("story_id")["article_id"].min().astype(str).map(lambda a: f"S:{a}").to_dict()

    def rename(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        if "story_id" in df.columns:
            df["story_id"] = pd.array([story.get(s, s) for s in df["story_id"]], dtype="string")
        return df

    events = rename(facts.events)
    if len(events):
        first = events.assign(key=events["article_id"].astype(str) + ":" + events["trigger_start"].astype(str))
        event = first.groupby("event_id")["key"].min().to_dict()
        events["event_id"] = pd.array([event.get(e, e) for e in events["event_id"]], dtype="string")
    figures, reports = rename(facts.figures), rename(facts.figure_reports)
    if len(figures):
        key = figures["story_id"].astype(str) + "|" + figures["measure"].astype(str) + "|"
        key = key + figures["group"].astype(str) + "|" + figures["unit"].astype(str)
        figure = dict(zip(figures["figure_id"], key, strict=True))
        figures["figure_id"] = pd.array(list(key), dtype="string")
        reports["figure_id"] = pd.array([figure.get(f, f) for f in reports["figure_id"]], dtype="string")
    return dataclasses.replace(
        facts,
        articles=rename(articles),
        stories=rename(facts.stories),
        events=events,
        figures=figures,
        figure_reports=reports,
    )
