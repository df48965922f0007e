"""Local and Dask engines: the same facts whichever runs the extraction."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from store_helpers import assert_same_facts, load_synth

from newskit.engines import ChunkResult, LocalEngine, extract_chunk, get_engine
from newskit.errors import ParameterError
from newskit.store import extract_to_store, read_facts

synth = load_synth()


def assert_same_store(left: Path, right: Path) -> None:
    assert_same_facts(read_facts(left), read_facts(right))


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return [dict(r, path=f"synthetic:{i}") for i, r in enumerate(synth.iter_articles(6, seed=11))]


@pytest.fixture(scope="module")
def local_store(tmp_path_factory, articles, nlp) -> Path:
    out = tmp_path_factory.mktemp("engines") / "local"
    extract_to_store(articles, out, chunk_size=2)
    return out


def test_extract_chunk_returns_every_stored_table_with_the_schema(articles, nlp):
    from newskit.store import STORED_TABLES, arrow_schema

    records = [dict(a, article_id=f"id{i}") for i, a in enumerate(articles[:2])]
    result = extract_chunk(records, batch_size=2)
    assert isinstance(result, ChunkResult)
    assert set(result.tables) == set(STORED_TABLES)
    for table, data in result.tables.items():
        assert data.schema.equals(arrow_schema(table)), table
    assert result.tables["articles"].column("article_id").to_pylist() == ["id0", "id1"]
    tone = result.tables["articles"].column("tone").to_pylist()
    assert all(t is not None for t in tone)  # every synthetic article has sentences to score
    assert result.model_version.startswith("en_")


def test_failed_article_is_reported_and_left_out_when_skipping(articles, nlp, monkeypatch):
    from newskit.extract import pipeline

    real = pipeline.run_extractors

    def flaky(doc, **kwargs):
        if "Report 1 " in doc.text:
            raise RuntimeError("boom")
        return real(doc, **kwargs)

    monkeypatch.setattr(pipeline, "run_extractors", flaky)
    records = [dict(a, article_id=f"id{i}") for i, a in enumerate(articles[:3])]
    result = extract_chunk(records, errors="skip")
    assert [f["article_id"] for f in result.failures] == ["id1"]
    assert "boom" in result.failures[0]["problem"]
    assert result.tables["articles"].column("article_id").to_pylist() == ["id0", "id2"]
    assert "id1" not in set(result.tables["mentions"].column("article_id").to_pylist())
    with pytest.raises(RuntimeError, match="boom") as info:
        extract_chunk(records, errors="raise")
    assert any("id1" in note for note in info.value.__notes__)


def test_rows_that_do_not_fit_the_schema_fail_only_their_article(articles, nlp, monkeypatch):
    from newskit.extract import pipeline

    def far_past(doc):
        if "Report 2 " not in doc.text:
            return []
        # Before 1677: outside what datetime64[ns] can hold.
        return [{"text": "1300", "start": 0, "end": 4, "type": "DATE", "value": "1300", "date_start": "1300-01-01"}]

    monkeypatch.setattr(pipeline, "STEPS", tuple((t, far_past if t == "timexes" else f) for t, f in pipeline.STEPS))
    records = [dict(a, article_id=f"id{i}") for i, a in enumerate(articles[:4])]
    result = extract_chunk(records, errors="warn")
    assert [f["article_id"] for f in result.failures] == ["id2"]
    assert "1300" in result.failures[0]["problem"]
    assert result.tables["articles"].column("article_id").to_pylist() == ["id0", "id1", "id3"]
    with pytest.raises(Exception, match="1300"):
        extract_chunk(records, errors="raise")


def test_get_engine_validates_its_options():
    assert isinstance(get_engine("local", n_process=2), LocalEngine)
    with pytest.raises(ParameterError, match="engine"):
        get_engine("spark")
    with pytest.raises(ParameterError, match="scheduler"):
        get_engine("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ParameterError, match="--processes"):
        get_engine("local", workers=2)
    with pytest.raises(ParameterError, match="--workers"):
        get_engine("dask", n_process=2)


@pytest.mark.slow
def test_two_local_processes_give_the_same_facts(tmp_path, articles, local_store):
    result = extract_to_store(articles, tmp_path / "two", chunk_size=2, n_process=2)
    assert result.articles_extracted == len(articles) and result.chunks == 3
    assert_same_store(tmp_path / "two", local_store)


def test_dask_engine_gives_the_same_facts(tmp_path, articles, local_store):
    distributed = pytest.importorskip("distributed")
    # An in-process cluster keeps the test fast; workers share this process's cached pipeline.
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        result = extract_to_store(
            articles, tmp_path / "dask", chunk_size=2, engine="dask", scheduler=cluster.scheduler_address
        )
    assert result.engine == "dask" and result.articles_extracted == len(articles)
    assert_same_store(tmp_path / "dask", local_store)
    # The Dask-written store is an ordinary store: a local re-run finds nothing to do.
    assert extract_to_store(articles, tmp_path / "dask", chunk_size=2).articles_unchanged == len(articles)


@pytest.mark.slow
def test_dask_local_cluster_of_worker_processes(tmp_path, articles, local_store):
    pytest.importorskip("distributed")
    result = extract_to_store(articles, tmp_path / "cluster", chunk_size=3, engine="dask", workers=1)
    assert result.articles_extracted == len(articles)
    assert_same_store(tmp_path / "cluster", local_store)


# --------------------------------------------------------------------------- issue #10 (reliability)

REPO = Path(__file__).resolve().parents[1]


def test_text_longer_than_max_length_is_split_and_spans_index_the_whole_text(nlp, monkeypatch):
    import newskit as nk

    seed = nk.read_articles(REPO / "data" / "seed").loc[0, "text"]
    copies = [seed, seed, seed]
    text = "\n\n".join(copies)
    stride = len(seed) + 2
    # Each copy fits, the whole does not: the text is parsed in three parts joined back.
    monkeypatch.setattr(nlp, "max_length", len(seed) + 10)
    article = {"text": text, "published": "2023-11-06", "path": "long.txt"}
    facts = nk.extract(pd.DataFrame([article]), nlp=nlp)
    assert facts.articles.loc[0, "text"] == text
    for name in ("mentions", "casualties", "attributions", "quantities", "timexes"):
        table = getattr(facts, name)
        assert len(table), name
        spans = [p for p in ("", "source_", "cue_", "content_") if {f"{p}start", f"{p}text"} <= set(table.columns)]
        assert spans, name
        for row in table.to_dict("records"):
            for p in spans:
                if not pd.isna(row[f"{p}start"]):
                    assert text[row[f"{p}start"] : row[f"{p}end"]] == row[f"{p}text"], (name, p, row)
    # The seed reports 3 attackers and 1 police officer killed: found in every copy, at that copy's offset.
    killed = facts.casualties[facts.casualties["outcome"] == "killed"]
    by_copy = [
        sorted(
            (int(r.start) - k * stride, int(r.count))
            for r in killed.itertuples()
            if k * stride <= r.start < (k + 1) * stride
        )
        for k in range(len(copies))
    ]
    assert by_copy[0] and by_copy[0] == by_copy[1] == by_copy[2]
    assert sorted(count for _, count in by_copy[0]) == [1, 3]


def test_split_text_cuts_after_paragraphs_and_covers_the_text():
    from newskit.extract.pipeline import split_text

    text = "First paragraph here.\n\nSecond one, a bit longer.\n\nThird.\n" + "x" * 30
    bounds = split_text(text, 30)
    assert "".join(text[a:b] for a, b in bounds) == text
    assert all(b - a <= 30 for a, b in bounds)
    assert text[bounds[0][0] : bounds[0][1]] == "First paragraph here.\n\n"


@pytest.mark.slow
def test_killing_the_parent_of_worker_processes_leaves_no_worker(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import time\n"
        "from newskit.engines import LocalEngine\n"
        "engine = LocalEngine(n_process=2)\n"
        "engine.start()\n"
        "print(' '.join(str(p) for p in engine._pool._processes), flush=True)\n"
        "time.sleep(600)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in workers if _alive(p)], "orphaned workers"
    finally:
        parent.kill()
        for pid in [p for p in locals().get("workers", []) if _alive(p)]:
            os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """True for a running process (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _square(x: int) -> int:
    return x * x


def test_engine_map_runs_in_input_order_on_the_workers():
    from newskit.engines import LocalEngine

    assert LocalEngine().map(_square, range(5)) == [0, 1, 4, 9, 16]
    with LocalEngine(n_process=2) as engine:
        assert engine.map(_square, range(7)) == [x * x for x in range(7)]
        assert engine._pool is not None  # the work went to the worker processes


def test_dask_engine_maps_and_links_on_its_workers(tmp_path, articles, local_store, monkeypatch):
    distributed = pytest.importorskip("distributed")
    from newskit.engines import DaskEngine

    calls = []
    original = DaskEngine.map

    def recording_map(self, function, items):
        items = list(items)
        calls.append((function.__name__, len(items)))
        return original(self, function, items)

    monkeypatch.setattr(DaskEngine, "map", recording_map)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        engine = DaskEngine(scheduler=cluster.scheduler_address)
        assert engine.map(_square, [3, 4]) == [9, 16]
        calls.clear()
        extract_to_store(articles, tmp_path / "dask", chunk_size=2, engine=engine)
        engine.close()
    # The story clustering's time windows ran through the engine, and the stories are the local run's.
    assert calls and {name for name, _ in calls} == {"block_neighbours"}
    assert_same_store(tmp_path / "dask", local_store)
