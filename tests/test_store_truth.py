"""The store is the truth of the inputs as they are now (issue #10, section 1).

After any sequence of edits, insertions, reorderings, renames, deletions and killed runs,
``extract`` leaves a store equal to a clean extraction of the current inputs, every table,
after sorting. Records inside JSONL files are identified by content, not line number.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from store_helpers import assert_same_facts

from newskit.cli import main
from newskit.store import _incremental as incremental
from newskit.store import extract_to_store, read_facts

# Short news-like sentences (written for these tests): casualty counts, places, days, quotes.
SENTENCES = [
    "Two men were killed in Lorvania on Monday, police said.",
    "Three people were injured when a bus overturned near Estmark.",
    "The mayor of Fenhold said the bridge would reopen on Friday.",
    "Floods forced 400 families from their homes in the Mellin valley.",
    "A court in Calvera sentenced the former minister to six years.",
    "Rescue teams found five survivors after the landslide, officials said.",
    "Farmers blocked the main road to protest against fuel prices.",
    "The central bank raised its main rate to 4.5 percent on Thursday.",
]


def _article(rng: random.Random, serial: int) -> dict:
    text = " ".join(rng.sample(SENTENCES, 2)) + f" Report {serial} ends here."
    record = {"text": text, "title": f"Story {serial}"}
    if rng.random() < 0.7:
        record["published"] = f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    return record


class Corpus:
    """A folder of inputs: one JSONL feed and some .txt files, changed one random step at a time."""

    def __init__(self, folder: Path, rng: random.Random):
        self.folder = folder
        self.rng = rng
        self.serial = 0
        self.feed: list[dict] = []
        self.feed_name = "feed.jsonl"
        self.files: dict[str, dict] = {}
        folder.mkdir()
        for _ in range(3):
            self.feed.append(self.new())
        self.files["a.txt"] = self.new()
        self.write()

    def new(self) -> dict:
        self.serial += 1
        return _article(self.rng, self.serial)

    def write(self) -> None:
        for path in self.folder.iterdir():
            path.unlink()
        if self.feed:
            lines = [json.dumps(r) for r in self.feed]
            (self.folder / self.feed_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        for name, record in self.files.items():
            header = f"date: {record['published']}\n" if "published" in record else ""
            (self.folder / name).write_text(f"title: {record['title']}\n{header}\n{record['text']}\n", encoding="utf-8")

    def step(self, kind: str) -> None:
        rng = self.rng
        if kind == "insert":
            if rng.random() < 0.6 or len(self.files) >= 3:
                self.feed.insert(rng.randint(0, len(self.feed)), self.new())
            else:
                self.files[f"f{self.serial}.txt"] = self.new()
        elif kind == "edit":
            pool = self.feed + list(self.files.values())
            if pool:
                record = rng.choice(pool)
                if rng.random() < 0.5:
                    record["text"] = record["text"].replace("ends here", "was corrected")
                    record["text"] = record["text"].replace("Two men", "Four men")
                else:
                    record["title"] = record["title"] + " (updated)"
        elif kind == "delete":
            if self.files and rng.random() < 0.4:
                del self.files[rng.choice(sorted(self.files))]
            elif len(self.feed) > 1:
                del self.feed[rng.randrange(len(self.feed))]
        elif kind == "reorder":
            rng.shuffle(self.feed)
        elif kind == "rename":
            if self.files and rng.random() < 0.5:
                old = rng.choice(sorted(self.files))
                self.files[f"renamed{self.serial}-{old}"] = self.files.pop(old)
                self.serial += 1
            else:
                self.feed_name = f"feed{self.serial}.jsonl"
                self.serial += 1
        self.write()


def _clean(folder: Path, where: Path):
    shutil.rmtree(where, ignore_errors=True)
    extract_to_store(folder, where, chunk_size=50)  # one chunk: chunks cost more than articles here
    return read_facts(where)


def test_issue_reproduction_inserted_line_and_edited_count(tmp_path, nlp, capsys):
    """The reproduction of the issue: 3 inputs must give 3 articles, only "Four men", right paths."""
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    first = {"text": "Two men were killed in Lorvania on Monday, police said.", "published": "2024-03-04"}
    second = {"text": "Floods forced 400 families from their homes in the Mellin valley.", "published": "2024-03-05"}
    inserted = {"text": "The mayor of Fenhold said the bridge would reopen on Friday.", "published": "2024-03-06"}
    feed.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    store = tmp_path / "st"
    assert main(["extract", str(feed.parent), "--out", str(store)]) == 0
    feed.write_text("\n".join(json.dumps(r) for r in (inserted, first, second)) + "\n", encoding="utf-8")
    assert main(["extract", str(feed.parent), "--out", str(store)]) == 0
    assert "1 extracted, 2 unchanged" in capsys.readouterr().out  # moved lines are not re-extracted
    first["text"] = first["text"].replace("Two men", "Four men")
    feed.write_text("\n".join(json.dumps(r) for r in (inserted, first, second)) + "\n", encoding="utf-8")
    assert main(["extract", str(feed.parent), "--out", str(store)]) == 0
    assert "1 removed" in capsys.readouterr().out

    facts = read_facts(store)
    assert len(facts.articles) == 3
    texts = " ".join(facts.articles["text"])
    assert "Four men" in texts and "Two men" not in texts
    by_text = dict(zip(facts.articles["text"], facts.articles["path"], strict=True))
    assert by_text[inserted["text"]] == f"{feed}:1"
    assert by_text[first["text"]] == f"{feed}:2"
    assert by_text[second["text"]] == f"{feed}:3"
    assert set(facts.casualties["article_id"]) <= set(facts.articles["article_id"])
    assert_same_facts(facts, _clean(feed.parent, tmp_path / "clean"))


def test_deleted_input_is_removed_unless_keep_missing(tmp_path, nlp, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Two men were killed in Lorvania on Monday, police said.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Floods forced 400 families from their homes.\n", encoding="utf-8")
    store, archive = tmp_path / "st", tmp_path / "archive"
    assert main(["extract", str(folder), "--out", str(store)]) == 0
    assert main(["extract", str(folder), "--out", str(archive), "--keep-missing"]) == 0
    (folder / "a.txt").unlink()
    capsys.readouterr()
    assert main(["extract", str(folder), "--out", str(store)]) == 0
    assert "1 removed" in capsys.readouterr().out
    assert list(read_facts(store).articles["path"]) == [str(folder / "b.txt")]
    # the deleted article's toll (two men killed) is gone with it; b.txt's 400 families displaced stay
    assert read_facts(store).casualties[["outcome", "count"]].values.tolist() == [["displaced", 400]]
    assert main(["extract", str(folder), "--out", str(archive), "--keep-missing"]) == 0
    assert "0 removed" in capsys.readouterr().out
    assert len(read_facts(archive).articles) == 2


def test_random_edits_and_killed_runs_leave_the_store_equal_to_a_clean_run(tmp_path, nlp, monkeypatch):
    """A property-style test: fixed seed, 20 random steps, the store checked after each."""
    rng = random.Random(20241202)
    corpus = Corpus(tmp_path / "in", rng)
    store = tmp_path / "store"
    extract_to_store(corpus.folder, store, chunk_size=4)
    kinds = ["insert", "edit", "delete", "reorder", "rename", "kill"]
    done = []
    for step in range(20):
        kind = kinds[step % len(kinds)] if step < len(kinds) else rng.choice(kinds)
        done.append(kind)
        if kind == "kill":
            corpus.step(rng.choice(["insert", "edit", "delete"]))
            commit, calls = incremental._Run.commit, []

            def dying_commit(self, records, chunk_result, _commit=commit, _calls=calls):
                if _calls:
                    raise KeyboardInterrupt("killed after one chunk")
                _calls.append(1)
                _commit(self, records, chunk_result)

            monkeypatch.setattr(incremental._Run, "commit", dying_commit)
            for _ in range(5):  # more new articles than one chunk holds (chunk_size=4)
                corpus.feed.insert(rng.randint(0, len(corpus.feed)), corpus.new())
            corpus.write()
            with pytest.raises(KeyboardInterrupt):
                extract_to_store(corpus.folder, store, chunk_size=4)
            monkeypatch.setattr(incremental._Run, "commit", commit)
        else:
            corpus.step(kind)
        before = set(read_facts(store, tables=["articles"]).articles["article_id"])
        result = extract_to_store(corpus.folder, store, chunk_size=4)
        clean = _clean(corpus.folder, tmp_path / "clean")
        after = set(clean.articles["article_id"])
        assert result.articles_removed == len(before - after), (step, done)
        assert_same_facts(read_facts(store), clean, history=False)
    assert {"insert", "edit", "delete", "reorder", "rename", "kill"} <= set(done)
