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

    ``history=False`` leaves out ``stories.merged_from``: the record of earlier runs' story ids,
    which a store has and a clean run of the same inputs cannot have.
    """
    for table in schema.TABLES:
        a, b = getattr(left, table), getattr(right, table)
        if table == "stories" and not history:
            a, b = a.drop(columns="merged_from"), b.drop(columns="merged_from")
        pd.testing.assert_frame_equal(sorted_table(a), sorted_table(b))
