"""Facts stores: exact round trips, atomic chunked writes, incremental runs, filters, crash recovery."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from store_helpers import assert_same_facts, load_synth

import newskit
from newskit import schema
from newskit.errors import ParameterError, StoreError
from newskit.facts import Facts
from newskit.store import MANIFEST, describe_store, extract_to_store, read_facts, write_facts

REPO = Path(__file__).resolve().parents[1]


synth = load_synth()


@pytest.fixture(scope="module")
def small_articles() -> list[dict]:
    return [
        dict(record, path=f"synthetic:{i}", paths=[f"synthetic:{i}"])
        for i, record in enumerate(synth.iter_articles(12))
    ]


@pytest.fixture(scope="module")
def small_facts(small_articles, nlp) -> Facts:
    from newskit.extract import article_id_for

    rows = []
    for record in small_articles:
        published = pd.Timestamp(record["published"])
        rows.append(
            dict(
                record,
                published=published,
                article_id=article_id_for(record["text"], published),
                n_words=len(record["text"].split()),
            )
        )
    return newskit.extract(pd.DataFrame(rows), nlp=nlp)


# --------------------------------------------------------------------------- write_facts / read_facts


def handmade_facts() -> Facts:
    """Every dtype with values, <NA>s, and empty and non-empty lists."""
    articles = schema.frame(
        "articles",
        [
            {
                "article_id": "a1",
                "published": "2024-03-06 14:30",
                "title": "Storm hits Lorvania",
                "paths": ["x.txt", "y.txt"],
                "text": "Two people died.",
                "n_words": 3,
                "tone": -0.4,
                "tone_label": "negative",
            },
            {"article_id": "a2", "published": None, "title": None, "paths": [], "text": "Calm day.", "n_words": 2},
        ],
    )
    events = schema.frame(
        "events",
        [
            {
                "article_id": "a1",
                "date_start": "2024-03-05",
                "date_end": "2024-03-05",
                "actors": ["Storm"],
                "places": [],
                "description": "storm hit",
                "start": 0,
                "end": 16,
                "sentence": 0,
            },
            {"article_id": "a2", "date_start": None, "date_end": None, "actors": [], "places": ["Lorvania", "Estmark"]},
        ],
    )
    entities = schema.frame(
        "entities", [{"entity_id": "E1", "name": "Lorvania", "label": "GPE", "aliases": ["Lorvania"], "n_mentions": 1}]
    )
    casualties = schema.frame(
        "casualties", [{"article_id": "a1", "count": 2, "low": 2, "high": None, "outcome": "killed"}]
    )
    return Facts.from_frames({"articles": articles, "events": events, "entities": entities, "casualties": casualties})


def test_parquet_round_trip_is_exact_for_every_dtype(tmp_path):
    facts = handmade_facts()
    facts.to_parquet(tmp_path / "store")
    back = newskit.store.read_facts(tmp_path / "store")
    for table in schema.TABLES:
        pd.testing.assert_frame_equal(getattr(back, table), getattr(facts, table), check_exact=True)
    # Lists come back as Python lists, empty lists stay empty lists (not None, not arrays).
    assert back.articles.loc[0, "paths"] == ["x.txt", "y.txt"]
    assert back.articles.loc[1, "paths"] == []
    assert type(back.events.loc[0, "places"]) is list
    assert back.events.loc[1, "places"] == ["Lorvania", "Estmark"]
    assert back.articles.loc[0, "published"] == pd.Timestamp("2024-03-06 14:30")
    assert back.articles["published"].dtype == "datetime64[ns]"
    assert pd.isna(back.casualties.loc[0, "high"])


def test_round_trip_of_extracted_facts(tmp_path, small_facts):
    write_facts(small_facts, tmp_path / "store")
    back = read_facts(tmp_path / "store")
    for table in schema.TABLES:
        pd.testing.assert_frame_equal(getattr(back, table), getattr(small_facts, table))


def test_write_leaves_no_temporary_files_and_replaces_previous_store(tmp_path):
    store = tmp_path / "store"
    write_facts(handmade_facts(), store)
    write_facts(Facts.empty(), store)
    parts = sorted(p.relative_to(store).as_posix() for p in store.rglob("*") if p.is_file())
    assert not [p for p in parts if p.endswith(".tmp")]
    # One file per table, the first store's files gone.
    assert len([p for p in parts if p.endswith(".parquet")]) == len(schema.TABLES)
    assert len(read_facts(store).articles) == 0


def test_csv_export_writes_one_file_per_chosen_table(tmp_path):
    out = write_facts(handmade_facts(), tmp_path / "csv", format="csv", tables=["articles", "events"])
    assert sorted(p.name for p in out.glob("*.csv")) == ["articles.csv", "events.csv"]
    with open(out / "events.csv", encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
    assert header == [c.name for c in schema.TABLES["events"]]
    back = read_facts(out)
    assert back.events.loc[1, "places"] == ["Lorvania", "Estmark"]
    assert back.events.loc[0, "actors"] == ["Storm"]
    assert back.articles.loc[0, "published"] == pd.Timestamp("2024-03-06 14:30")
    assert len(back.casualties) == 0  # not exported


def test_write_facts_rejects_unknown_format_and_table(tmp_path):
    with pytest.raises(ParameterError, match="format"):
        write_facts(Facts.empty(), tmp_path, format="xlsx")
    with pytest.raises(ParameterError, match="casualty"):
        write_facts(Facts.empty(), tmp_path, tables=["casualty"])


def test_read_facts_columns_tables_and_filters(tmp_path):
    store = write_facts(handmade_facts(), tmp_path / "store")
    only = read_facts(store, tables=["events"], columns=["article_id", "places"])
    assert list(only.events.columns) == ["article_id", "places"]
    assert len(only.articles) == 0
    by_id = read_facts(store, filters={"article_id": ["a2"]})
    assert list(by_id.articles["article_id"]) == ["a2"]
    assert list(by_id.events["article_id"]) == ["a2"]
    # A date-only end covers the whole day (the article was published at 14:30); the filter
    # on articles.published carries over to events by article_id; undated articles drop out.
    march = read_facts(store, filters={"published": ("2024-03-01", "2024-03-06")})
    assert list(march.articles["article_id"]) == ["a1"]
    assert list(march.events["article_id"]) == ["a1"]
    assert list(march.casualties["count"]) == [2]
    assert len(read_facts(store, filters={"published": (None, "2024-03-05")}).articles) == 0


def test_read_facts_errors_name_the_directory_and_the_fix(tmp_path):
    with pytest.raises(StoreError, match=r"no such facts store.*newskit extract"):
        read_facts(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError, match=r"empty.*manifest\.json is missing.*re-run"):
        read_facts(tmp_path / "empty")
    store = write_facts(handmade_facts(), tmp_path / "store")
    (store / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="unreadable manifest"):
        read_facts(store)
    store = write_facts(handmade_facts(), tmp_path / "store2")
    next((store / "events").glob("part-*.parquet")).unlink()
    with pytest.raises(StoreError, match=r"damaged store.*events"):
        read_facts(store)
    with pytest.raises(ParameterError, match="filters"):
        read_facts(store, filters={"sentence": 1})
    store = write_facts(handmade_facts(), tmp_path / "store3")
    next((store / "articles").glob("part-*.parquet")).write_bytes(b"not parquet")
    with pytest.raises(StoreError, match=r"store3: damaged store.*(write it again|newskit extract)"):
        read_facts(store)


# --------------------------------------------------------------------------- extract_to_store


def test_chunked_store_holds_the_same_facts_as_one_extraction(tmp_path, small_articles, small_facts):
    result = extract_to_store(small_articles, tmp_path / "store", chunk_size=5)
    assert (result.articles_seen, result.articles_extracted, result.chunks) == (12, 12, 3)
    assert result.facts["mentions"] == len(small_facts.mentions) > 0
    assert_same_facts(read_facts(tmp_path / "store"), small_facts)
    info = describe_store(tmp_path / "store")
    assert info["newskit_version"] == newskit.__version__
    assert info["articles"] == 12


def test_rerun_skips_unchanged_and_redoes_changed_articles(tmp_path, small_articles):
    store = tmp_path / "store"
    extract_to_store(small_articles, store, chunk_size=5)
    again = extract_to_store(small_articles, store, chunk_size=5)
    assert (again.articles_unchanged, again.articles_extracted) == (12, 0)

    changed = [dict(r) for r in small_articles]
    changed[3]["title"] = "A corrected headline"  # same text and day: same article_id, new metadata
    changed[5]["text"] = changed[5]["text"].replace("Report 5", "Report five")  # the file was edited
    third = extract_to_store(changed, store, chunk_size=5)
    assert (third.articles_unchanged, third.articles_extracted) == (10, 2)
    facts = read_facts(store)
    assert len(facts.articles) == 12 and facts.articles["article_id"].is_unique
    assert "A corrected headline" in set(facts.articles["title"])
    assert not facts.articles["text"].str.contains("Report 5 from").any()
    assert set(facts.mentions["article_id"]) <= set(facts.articles["article_id"])
    assert not facts.mentions.duplicated(["article_id", "start", "end"]).any()


def test_new_newskit_version_reextracts_everything(tmp_path, small_articles, monkeypatch):
    store = tmp_path / "store"
    extract_to_store(small_articles[:8], store, chunk_size=4)
    monkeypatch.setattr(newskit._version, "__version__", "99.0")  # the store reads the version module
    # Only 4 of the 8 stored articles are given again; an archive (keep_missing) keeps the
    # other 4, re-extracted from the text the store keeps.
    result = extract_to_store(small_articles[4:8], store, chunk_size=4, keep_missing=True)
    assert result.articles_extracted == 8 and result.articles_unchanged == 0
    manifest = json.loads((store / MANIFEST).read_text())
    assert {c["newskit_version"] for c in manifest["chunks"].values()} == {"99.0"}
    assert len(read_facts(store).articles) == 8
    # Old chunk files were removed once nothing pointed to them.
    assert len(list((store / "articles").glob("part-*.parquet"))) == len(manifest["chunks"])


def test_csv_output_and_table_subsets(tmp_path, small_articles):
    out = tmp_path / "csv"
    result = extract_to_store(small_articles[:4], out, format="csv", tables=["events", "mentions", "entities"])
    assert result.articles_extracted == 4 and result.path == out
    assert sorted(p.name for p in out.glob("*.csv")) == ["entities.csv", "events.csv", "mentions.csv"]
    back = read_facts(out)
    assert len(back.mentions) == result.facts["mentions"] > 0
    assert back.entities["n_mentions"].sum() == len(back.mentions)
    again = extract_to_store(small_articles[:6], out, format="csv", tables=["events", "mentions", "entities"])
    assert (again.articles_unchanged, again.articles_extracted) == (4, 2)

    # A Parquet store of some tables keeps articles too; asking for more tables later re-extracts.
    store = tmp_path / "parquet"
    extract_to_store(small_articles[:4], store, tables=["timexes"])
    assert sorted(p.name for p in store.iterdir() if p.is_dir()) == ["articles", "timexes"]
    partial = read_facts(store)
    assert len(partial.articles) == 4 and len(partial.timexes) > 0 and len(partial.mentions) == 0
    assert extract_to_store(small_articles[:4], store, tables=["timexes"]).articles_unchanged == 4
    assert extract_to_store(small_articles[:4], store).articles_extracted == 4
    assert len(read_facts(store).mentions) > 0


def test_store_filters_push_down_by_article_and_date(tmp_path, small_articles):
    store = tmp_path / "store"
    extract_to_store(small_articles, store, chunk_size=5)
    everything = read_facts(store)
    dates = everything.articles["published"].sort_values()
    lo, hi = dates.iloc[3], dates.iloc[8]
    subset = read_facts(store, filters={"published": (lo.date().isoformat(), hi.date().isoformat())})
    expected_ids = set(everything.articles.loc[everything.articles["published"].between(lo, hi), "article_id"])
    assert set(subset.articles["article_id"]) == expected_ids
    assert set(subset.mentions["article_id"]) <= expected_ids
    expected_mentions = everything.mentions[everything.mentions["article_id"].isin(expected_ids)]
    assert len(subset.mentions) == len(expected_mentions)
    assert subset.entities["n_mentions"].sum() == len(subset.mentions)
    one = everything.articles["article_id"].iloc[0]
    assert set(read_facts(store, filters={"article_id": one}).quantities["article_id"]) <= {one}


def test_extract_to_store_refuses_a_foreign_directory(tmp_path, small_articles):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not empty and not a facts store"):
        extract_to_store(small_articles[:1], tmp_path)
    with pytest.raises(ParameterError, match="chunk_size"):
        extract_to_store(small_articles[:1], tmp_path / "s", chunk_size=0)


def test_extract_to_store_reads_a_folder_with_newskit_readers(tmp_path):
    readers = pytest.importorskip("newskit.readers")
    if not hasattr(readers, "iter_articles"):
        pytest.skip("newskit.readers.iter_articles is not there yet")
    folder = synth.write_corpus(tmp_path / "in", 6, per_file=3)
    result = extract_to_store(folder, tmp_path / "store", chunk_size=4)
    assert result.articles_extracted == 6
    assert extract_to_store(folder, tmp_path / "store").articles_unchanged == 6


KILLED_RUN = textwrap.dedent(
    """
    import importlib.util, sys, time
    spec = importlib.util.spec_from_file_location("synth", sys.argv[1])
    synth = importlib.util.module_from_spec(spec); spec.loader.exec_module(synth)
    from newskit.store import extract_to_store

    def slowly():
        for record in synth.read_jsonl_folder(sys.argv[2]):
            time.sleep(0.1)  # a slow disk: leaves time to kill the run between chunks
            yield record

    extract_to_store(slowly(), sys.argv[3], chunk_size=4)
    """
)


def test_killed_run_leaves_a_readable_store_that_the_next_run_completes(tmp_path):
    folder = synth.write_corpus(tmp_path / "in", 40, per_file=10)
    store = tmp_path / "store"
    script = tmp_path / "run.py"
    script.write_text(KILLED_RUN, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(REPO / "benchmarks" / "synth.py"), str(folder), str(store)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if (store / MANIFEST).exists() and json.loads((store / MANIFEST).read_text())["chunks"]:
                break
            time.sleep(0.02)
        assert process.poll() is None, process.stderr.read().decode()
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    partial = read_facts(store)
    kept = len(partial.articles)
    assert 4 <= kept < 40 and kept % 4 == 0
    assert partial.articles["article_id"].is_unique

    result = extract_to_store(synth.read_jsonl_folder(folder), store, chunk_size=4)
    assert result.articles_unchanged == kept
    assert result.articles_extracted == 40 - kept
    resumed = read_facts(store)
    assert len(resumed.articles) == 40 and resumed.articles["article_id"].is_unique
    for table in ("mentions", "timexes", "quantities", "attributions"):
        df = getattr(resumed, table)
        assert not df.duplicated([c for c in df.columns if df[c].dtype != object]).any(), table
    assert not [p for p in store.rglob("*") if p.name.endswith(".tmp")]

    clean = tmp_path / "clean"
    extract_to_store(synth.read_jsonl_folder(folder), clean, chunk_size=40)
    assert_same_facts(resumed, read_facts(clean))


def test_reading_a_store_loads_no_spacy_pipeline(tmp_path):
    store = write_facts(handmade_facts(), tmp_path / "store")
    code = (
        "from newskit.nlp import load_pipeline; from newskit.store import read_facts; "
        f"facts = read_facts({str(store)!r}, filters={{'article_id': ['a1']}}); "
        "assert len(facts.articles) == 1; assert load_pipeline.cache_info().currsize == 0, 'pipeline loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_model_version_read_from_the_package_matches_the_loaded_pipeline(nlp):
    from newskit.nlp import model_version
    from newskit.store import _package_model_version

    found = _package_model_version()
    if found is None:
        pytest.skip("the pipeline is not an installed package with a meta.json")
    assert found == model_version(nlp)


def test_csv_export_neutralises_formula_cells_and_parquet_is_unchanged(tmp_path):
    """OWASP CSV injection: text cells starting =, +, -, @, tab or CR get a leading ' in CSV only."""
    risky = ['=HYPERLINK("http://x","y")', "+1 555", "-2 dead", "@SUM(A1)", "\tTabbed", "\rReturn", "'=quoted"]
    titles = [*risky, "Plain title", "It's fine"]
    articles = schema.frame(
        "articles",
        [
            {"article_id": f"a{i}", "title": t, "text": "Calm day.", "n_words": -1 if i == 0 else 2}
            for i, t in enumerate(titles)
        ],
    )
    facts = Facts.from_frames({"articles": articles})
    out = write_facts(facts, tmp_path / "csv", format="csv", tables=["articles"])
    raw = pd.read_csv(out / "articles.csv", dtype=str, keep_default_na=False)
    expected = [f"'{t}" for t in risky] + ["Plain title", "It's fine"]
    assert list(raw["title"]) == expected
    assert raw.loc[0, "n_words"] == "-1"  # numbers are not text: never prefixed
    assert list(read_facts(out).articles["title"]) == titles  # read back exactly
    store = write_facts(facts, tmp_path / "parquet")
    assert list(read_facts(store).articles["title"]) == titles  # Parquet unchanged
