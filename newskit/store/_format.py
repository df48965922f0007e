"""The on-disk format of a facts store: Arrow schemas, atomic files, the manifest, checksums.

Nothing here extracts or plans: this module only knows how bytes are laid out on disk
and how to tell that they are intact. Every part file is listed in the manifest with its
size and SHA-256, and the manifest carries a checksum of itself, so a truncated, bit-flipped,
swapped or edited file is caught before a single row of it is returned.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shlex
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa

from .. import schema
from ..errors import StoreDamagedError, StoreError

__all__ = [
    "CSV_STORE",
    "FORMATS",
    "MANIFEST",
    "STORED_TABLES",
    "arrow_schema",
    "atomic_write",
    "file_record",
    "load_manifest",
    "new_manifest",
    "repair_command",
    "save_manifest",
    "to_arrow",
    "to_frame",
    "verify_file",
]

MANIFEST = "manifest.json"
STORE_FORMAT = "newskit-facts-store"
#: 2: part checksums, a manifest checksum, article locations and the inputs of the last run.
STORE_VERSION = 2
#: Tables a chunked store keeps on disk (``entities`` is derived from ``mentions`` on read).
STORED_TABLES: tuple[str, ...] = tuple(
    name for name in schema.TABLES if name != "entities" and name not in schema.LINK_TABLES
)
FORMATS = ("parquet", "csv")
#: Where ``extract_to_store(format="csv")`` keeps the Parquet store its CSV files are exported from.
CSV_STORE = ".store"


# --------------------------------------------------------------------------- arrow schema


# The Arrow conversion lives in newskit.schema (the bottom layer); re-exported for the store's readers and writers.
from ..schema import _arrow_type, arrow_schema, to_arrow, to_frame  # noqa: E402, F401

#: Rough in-memory size of one row group: a filtered read (a window of articles, one story's rows)
#: decodes whole row groups, so their size, not the file's, bounds its memory.
ROW_GROUP_BYTES = 2 * 2**20


def parquet_bytes(data: pa.Table) -> bytes:
    """``data`` as the bytes of one Parquet file (zstd), in row groups of about ``ROW_GROUP_BYTES``."""
    import pyarrow.parquet as pq

    rows = max(1, data.num_rows * ROW_GROUP_BYTES // max(data.nbytes, 1))
    sink = io.BytesIO()
    pq.write_table(data, sink, compression="zstd", row_group_size=min(rows, 2**20))
    return sink.getvalue()


# --------------------------------------------------------------------------- atomic files


def _fsync_dir(directory: Path) -> None:
    # A directory fsync makes the rename itself durable; not possible on Windows.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes) -> dict:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of it.

    Returns:
        The file's manifest record (:func:`file_record` of ``data``).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(path.parent)
    return file_record(data)


def publish(tmp: Path, path: Path) -> dict:
    """Move ``tmp``, a file written in pieces, to ``path`` the way :func:`atomic_write` writes one.

    Returns:
        The file's manifest record (as :func:`file_record` gives for its bytes).
    """
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    record = {"bytes": tmp.stat().st_size, "sha256": _sha256(tmp)}
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    return record


def file_record(data: bytes) -> dict:
    """What the manifest keeps of a file to detect damage: its size and SHA-256."""
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


# (path, size, mtime_ns) -> sha256: a notebook reads the same store many times; hash each file once.
_DIGESTS: dict[tuple[str, int, int], str] = {}


def verify_file(path: Path, expected: dict | None) -> str | None:
    """Why ``path`` is not the file the manifest recorded, or ``None`` when it is.

    ``expected`` is the :func:`file_record` written with the file (``None`` for stores
    written before checksums existed: then only existence is checked).
    """
    try:
        stat = path.stat()
    except FileNotFoundError:
        return "is missing"
    if expected is None:
        return None
    if stat.st_size != expected["bytes"]:
        return f"has {stat.st_size} bytes, not the {expected['bytes']} written (truncated or replaced)"
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    digest = _DIGESTS.get(key)
    if digest is None:
        digest = _sha256(path)
        _DIGESTS[key] = digest
    if digest != expected["sha256"]:
        return "does not match its checksum (its bytes were changed, or it is another table's file)"
    return None


def _sha256(path: Path) -> str:
    """The file's SHA-256, read a block at a time (a table file can be larger than a window's rows)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def unlink_all(paths: Iterable[Path]) -> None:
    """Remove files, ignoring those already gone."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the store while writing (released by the OS if the process dies)."""
    try:
        import fcntl
    except ImportError:  # Windows: one writer at a time is the user's responsibility
        yield
        return
    with open(directory / ".lock", "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"{directory}: another newskit process is writing this store; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- manifest


def now() -> str:
    """The current UTC time as the manifest writes it."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_manifest(file_format: str = "parquet") -> dict:
    """The manifest of an empty store."""
    return {
        "format": STORE_FORMAT,
        "store_version": STORE_VERSION,
        "file_format": file_format,
        "newskit_version": None,
        "model_version": None,
        "updated": now(),
        "tables": list(STORED_TABLES),
        "next_chunk": 1,
        "chunks": {},
        "articles": {},
    }


def _manifest_checksum(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def repair_command(directory: Path, manifest: dict | None = None) -> str:
    """The command that rebuilds or repairs ``directory``, as exactly as the manifest allows.

    A store written by ``newskit extract`` remembers its inputs, so the command can be given
    in full; otherwise ``INPUT`` stands for the articles it was extracted from.
    """
    run = (manifest or {}).get("run") or {}
    inputs = run.get("inputs")
    words = ["newskit", "extract", *(shlex.quote(p) for p in inputs)] if inputs else ["newskit", "extract", "INPUT"]
    for source, target in (run.get("columns") or {}).items():
        words += ["--column", shlex.quote(f"{source}={target}")]
    if run.get("tables"):
        words += ["--tables", *run["tables"]]
    if run.get("keep_missing"):
        words.append("--keep-missing")
    if (manifest or {}).get("file_format") == "csv":
        words += ["--format", "csv"]
    words += ["--out", shlex.quote(str(directory))]
    return " ".join(words)


def damaged(directory: Path, what: str, manifest: dict | None = None) -> StoreDamagedError:
    """The one-line error for a damaged store: what is wrong and the command that repairs it."""
    if manifest is not None and manifest.get("snapshot") and not manifest.get("run"):
        fix = "write it again (Facts.to_parquet / newskit.store.write_facts), or re-extract it with " + repair_command(
            directory, manifest
        )
    else:
        fix = f"repair it with `{repair_command(directory, manifest)}` (re-extracts only what the damage touched)"
    return StoreDamagedError(f"{directory}: damaged store: {what}; {fix}")


def load_manifest(directory: Path) -> dict:
    """The manifest of ``directory``, checked to be whole and unedited.

    Raises:
        StoreError: no store there, or a manifest that is unreadable, edited or from a newer newskit.
    """
    if not directory.exists():
        raise StoreError(f"{directory}: no such facts store; write one with `newskit extract INPUT --out {directory}`")
    if not directory.is_dir():
        raise StoreError(f"{directory}: is a file, not a facts store directory; pass the directory `--out` wrote")
    path = directory / MANIFEST
    if not path.is_file():
        raise StoreError(
            f"{directory}: not a facts store ({MANIFEST} is missing); "
            f"re-run `newskit extract INPUT --out {directory}` to rebuild it, or choose another --out directory"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise damaged(directory, f"unreadable manifest {MANIFEST} ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != STORE_FORMAT:
        raise damaged(directory, f"{MANIFEST} is not a newskit facts store manifest")
    if manifest.get("store_version", 0) > STORE_VERSION:
        raise StoreError(
            f"{directory}: written by a newer newskit (store version {manifest['store_version']}); upgrade newskit"
        )
    if "checksum" in manifest and manifest["checksum"] != _manifest_checksum(manifest):
        raise damaged(directory, f"{MANIFEST} was edited or damaged (its checksum does not match)", manifest)
    for key, default in (("chunks", {}), ("articles", {}), ("file_format", "parquet")):
        manifest.setdefault(key, default)
    return manifest


def save_manifest(directory: Path, manifest: dict) -> None:
    """Write the manifest atomically, with the checksum that detects later edits."""
    manifest["updated"] = now()
    manifest["store_version"] = STORE_VERSION
    manifest["checksum"] = _manifest_checksum(manifest)
    atomic_write(directory / MANIFEST, json.dumps(manifest, separators=(",", ":")).encode("utf-8"))


def part_path(directory: Path, table: str, chunk: str) -> Path:
    """Where ``table``'s part of ``chunk`` lives."""
    return directory / table / f"part-{chunk}.parquet"


def chunk_tables(manifest: dict, chunk: str) -> list[str]:
    """The tables ``chunk`` has a part for."""
    return list(manifest["chunks"][chunk].get("tables", STORED_TABLES))


def chunk_files(directory: Path, manifest: dict, chunk: str) -> list[Path]:
    """Every part file of ``chunk``."""
    return [part_path(directory, table, chunk) for table in chunk_tables(manifest, chunk)]


def check_part(directory: Path, manifest: dict, table: str, chunk: str) -> str | None:
    """Why ``table``'s part of ``chunk`` cannot be trusted, or ``None``.

    With a recorded checksum the bytes are compared; an older store without checksums
    at least gets its column names compared with ``table``'s, so a swapped file is refused.
    """
    path = part_path(directory, table, chunk)
    expected = (manifest["chunks"][chunk].get("files") or {}).get(table)
    problem = verify_file(path, expected)
    if problem is None and expected is None:
        import pyarrow.parquet as pq

        try:
            names = pq.read_schema(path).names
        except (pa.ArrowInvalid, OSError) as exc:
            return f"cannot be read ({exc})"
        if names[: len(arrow_schema(table).names)] != arrow_schema(table).names:
            return f"does not hold {table} rows (its columns are {', '.join(names[:4])} ...)"
    return None if problem is None else problem


def damaged_parts(directory: Path, manifest: dict) -> dict[str, list[str]]:
    """Chunk → problems, for every chunk with a missing, truncated, changed or swapped part."""
    found: dict[str, list[str]] = {}
    for chunk in sorted(manifest["chunks"]):
        for table in chunk_tables(manifest, chunk):
            problem = check_part(directory, manifest, table, chunk)
            if problem is not None:
                found.setdefault(chunk, []).append(f"{table}/part-{chunk}.parquet {problem}")
    return found


def remove_orphans(directory: Path, manifest: dict) -> None:
    """Delete part and temporary files no manifest chunk refers to (left by a killed run)."""
    known = {p for chunk in manifest["chunks"] for p in chunk_files(directory, manifest, chunk)}
    for table in schema.TABLES:
        folder = directory / table
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.endswith(".tmp") or (path.name.startswith("part-") and path not in known):
                with contextlib.suppress(OSError):
                    path.unlink()


def live_by_chunk(manifest: dict) -> dict[str, list[str]]:
    """Chunk → ids of the articles whose current facts it holds."""
    live: dict[str, list[str]] = {chunk: [] for chunk in manifest["chunks"]}
    for article_id, (chunk, *_rest) in manifest["articles"].items():
        live.setdefault(chunk, []).append(article_id)
    return live


def drop_dead_chunks(directory: Path, manifest: dict) -> list[Path]:
    """Forget chunks none of whose articles is current; returns their files (delete after saving)."""
    live = live_by_chunk(manifest)
    files = []
    for chunk in [c for c in manifest["chunks"] if not live.get(c)]:
        files += chunk_files(directory, manifest, chunk)
        del manifest["chunks"][chunk]
    return files


def ours(path: Path) -> bool:
    """Whether ``path`` (in a directory without manifest) is what a killed first run leaves behind."""
    return (
        path.name in {".lock", CSV_STORE, MANIFEST, *schema.TABLES}
        or (path.name.startswith(".") and path.name.endswith(".tmp"))
        or path.name.startswith("links.")
    )  # link tables (see _link.py)


def describe_store(directory: str | Path) -> dict:
    """What a store holds: versions, chunks, articles and rows per table.

    Raises:
        StoreError: ``directory`` is not a readable store.
    """
    directory = Path(directory)
    manifest = load_manifest(directory)
    rows: dict[str, int] = {}
    for info in manifest["chunks"].values():
        for table, n in info.get("rows", {}).items():
            rows[table] = rows.get(table, 0) + n
    return {
        "path": str(directory),
        "file_format": manifest["file_format"],
        "newskit_version": manifest.get("newskit_version"),
        "model_version": manifest.get("model_version"),
        "updated": manifest.get("updated"),
        "chunks": len(manifest["chunks"]),
        "articles": len(manifest["articles"]),
        "rows": rows,
    }
