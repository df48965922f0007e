"""A damaged store is detected on read with one clear line, and the advice given repairs it.

Damage: a truncated, bit-flipped or swapped Parquet part, a truncated or edited manifest.
The error names the damaged file and the exact ``newskit extract`` command; running that
command re-extracts only what the damage touched and leaves the store equal to a clean run.
Reads never return another table's rows.
"""

from __future__ import annotations

import json
import shlex
import shutil

import pytest
from store_helpers import assert_same_facts

from newskit import schema
from newskit.cli import main
from newskit.errors import StoreDamagedError, StoreError
from newskit.facts import Facts
from newskit.store import MANIFEST, extract_to_store, read_facts, write_facts

BODIES = [
    "Two men were killed in Lorvania on Monday, police said.",
    "Three people were injured when a bus overturned near Estmark.",
    "Floods forced 400 families from their homes in the Mellin valley.",
    "The mayor of Fenhold said on Tuesday the bridge would reopen on Friday.",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory, nlp):
    """A folder of 4 articles, a pristine 2-chunk store of it and a clean reference extraction."""
    root = tmp_path_factory.mktemp("damage")
    folder = root / "in"
    folder.mkdir()
    for i, body in enumerate(BODIES):
        (folder / f"a{i}.txt").write_text(f"date: 2024-03-0{i + 1}\n\n{body}\n", encoding="utf-8")
    pristine = root / "pristine"
    assert main(["extract", str(folder), "--out", str(pristine), "--chunk-size", "2"]) == 0
    clean = root / "clean"
    extract_to_store(folder, clean, chunk_size=10)
    return folder, pristine, read_facts(clean)


def _copy(built, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(built[1], store)
    return store


def _error_then_repair(store, built, capsys, *, names: str, extracted: int) -> None:
    with pytest.raises(StoreDamagedError) as info:
        read_facts(store)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{store}: damaged store: ")
    assert names in message
    command = message.split("repair it with `", 1)[1].split("`", 1)[0]
    assert command == f"newskit extract {built[0]} --out {store}"  # the exact command, inputs included
    capsys.readouterr()
    assert main(shlex.split(command)[1:]) == 0
    out = capsys.readouterr().out
    assert "repaired: " in out and names in out
    assert f", {extracted} extracted, {4 - extracted} unchanged" in out  # only what the damage touched
    assert_same_facts(read_facts(store), built[2])


def test_truncated_part(built, tmp_path, capsys):
    store = _copy(built, tmp_path)
    part = store / "mentions" / "part-000001.parquet"
    part.write_bytes(part.read_bytes()[:-100])
    _error_then_repair(store, built, capsys, names="mentions/part-000001.parquet", extracted=2)


def test_bit_flipped_part(built, tmp_path, capsys):
    store = _copy(built, tmp_path)
    part = store / "events" / "part-000002.parquet"
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0x01
    part.write_bytes(bytes(data))
    _error_then_repair(store, built, capsys, names="events/part-000002.parquet", extracted=2)


def test_part_swapped_from_another_table_is_never_read_as_this_one(built, tmp_path, capsys):
    store = _copy(built, tmp_path)
    shutil.copy(store / "timexes" / "part-000001.parquet", store / "mentions" / "part-000001.parquet")
    with pytest.raises(StoreError, match=r"mentions/part-000001\.parquet"):
        read_facts(store, tables=["mentions"])
    with pytest.raises(StoreError):
        read_facts(store, tables=["entities"])  # derived from mentions: refused too
    assert len(read_facts(store, tables=["timexes"]).timexes) == len(built[2].timexes)  # other tables still read
    _error_then_repair(store, built, capsys, names="mentions/part-000001.parquet", extracted=2)


def test_truncated_manifest(built, tmp_path, capsys):
    store = _copy(built, tmp_path)
    raw = (store / MANIFEST).read_bytes()
    (store / MANIFEST).write_bytes(raw[: len(raw) // 2])
    with pytest.raises(StoreDamagedError, match=rf"unreadable manifest.*newskit extract INPUT --out {store}"):
        read_facts(store)
    assert main(["extract", str(built[0]), "--out", str(store)]) == 0
    assert "4 extracted" in capsys.readouterr().out
    assert_same_facts(read_facts(store), built[2])


def test_edited_manifest(built, tmp_path, capsys):
    store = _copy(built, tmp_path)
    manifest = json.loads((store / MANIFEST).read_text(encoding="utf-8"))
    first = next(iter(manifest["articles"]))
    del manifest["articles"][first]  # an edit that would silently hide an article
    (store / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _error_then_repair(store, built, capsys, names="was edited or damaged", extracted=4)


def test_write_facts_snapshot_damage_is_detected_too(tmp_path):
    facts = Facts.from_frames(
        {"articles": schema.frame("articles", [{"article_id": "a1", "text": "Calm day.", "published": "2024-01-02"}])}
    )
    store = write_facts(facts, tmp_path / "snap")
    part = next((store / "articles").glob("part-*.parquet"))
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0x10
    part.write_bytes(bytes(data))
    with pytest.raises(StoreDamagedError, match=r"articles/part-.*checksum.*write it again"):
        read_facts(store)
    csv = write_facts(facts, tmp_path / "csv", format="csv")
    (csv / "articles.csv").write_text((csv / "articles.csv").read_text(encoding="utf-8") + "x,y\n", encoding="utf-8")
    with pytest.raises(StoreDamagedError, match=r"articles\.csv"):
        read_facts(csv)


def test_damaged_csv_export_names_the_csv_command_that_repairs_it(built, tmp_path, capsys):
    out = tmp_path / "csv"
    assert main(["extract", str(built[0]), "--out", str(out), "--format", "csv"]) == 0
    (out / "events.csv").write_text("article_id\nforged\n", encoding="utf-8")
    with pytest.raises(StoreDamagedError) as info:
        read_facts(out)
    command = str(info.value).split("repair it with `", 1)[1].split("`", 1)[0]
    assert command == f"newskit extract {built[0]} --format csv --out {out}"
    assert main(shlex.split(command)[1:]) == 0
    assert_same_facts(read_facts(out, tables=["events"]), Facts.from_frames({"events": built[2].events}))
