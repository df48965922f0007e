"""Facts stores: extraction results on disk, written atomically and incrementally.

A store is a directory holding one Parquet dataset per table and a ``manifest.json``::

    DIR/manifest.json
    DIR/articles/part-000001.parquet
    DIR/mentions/part-000001.parquet
    ...

Each *chunk* (a few hundred articles extracted together) adds one file per table.
The manifest is the single source of truth: it lists the finished chunks with the size
and checksum of each file, the newskit and spaCy model versions each was extracted with,
and an index of every article (``article_id`` → chunk, fingerprint of its metadata,
where it was read from). Files not listed in the manifest (a chunk that was being
written when the process died) are ignored on read and removed by the next run, so
killing a run at any moment leaves a readable store that keeps every finished chunk.

The package is split by concern:

========================  ==============================================================
``store._format``         on-disk format: Arrow schemas, atomic writes, manifest, checksums
``store._params``         checking ``tables``/``columns``/``filters`` options
``store._read``           :func:`read_facts` (files verified before their rows are used)
``store._write``          :func:`write_facts` (a whole :class:`~newskit.Facts`)
``store._csv``            CSV files (formula-safe cells) and :func:`export_csv`
``store._incremental``    :func:`extract_to_store`: plan (new/changed/gone) → commit → finish
========================  ==============================================================

The ``entities`` table aggregates mentions across articles, so a chunked store does
not keep it: :func:`read_facts` derives it from the ``mentions`` it reads (the same
aggregation as :func:`newskit.facts.entities_table`), which makes its counts
cover exactly the articles read. A store written from a :class:`~newskit.Facts` by :func:`write_facts`
keeps the given ``entities`` table and returns it unchanged when read without filters.

Examples:
    >>> import newskit as nk
    >>> from newskit.store import extract_to_store
    >>> result = extract_to_store("data/articles", "facts")  # doctest: +SKIP
    >>> facts = nk.read_facts("facts", filters={"published": ("2024-01-01", "2024-03-31")})  # doctest: +SKIP
"""

from __future__ import annotations

from ._csv import export_csv
from ._format import (
    CSV_STORE,
    FORMATS,
    MANIFEST,
    STORE_VERSION,
    STORED_TABLES,
    arrow_schema,
    describe_store,
    to_arrow,
    to_frame,
)
from ._incremental import (
    FINGERPRINT_COLUMNS,
    StoreResult,
    extract_to_store,
    fingerprint,
)
from ._incremental import (
    _package_model_version as _package_model_version,  # tests and benchmarks reach it here
)
from ._link import link_store, read_links
from ._params import ERROR_MODES, FILTER_KEYS
from ._read import read_facts
from ._write import write_facts

__all__ = [
    "CSV_STORE",
    "ERROR_MODES",
    "FILTER_KEYS",
    "FINGERPRINT_COLUMNS",
    "FORMATS",
    "MANIFEST",
    "STORED_TABLES",
    "STORE_VERSION",
    "StoreResult",
    "arrow_schema",
    "describe_store",
    "export_csv",
    "extract_to_store",
    "fingerprint",
    "link_store",
    "read_facts",
    "read_links",
    "to_arrow",
    "to_frame",
    "write_facts",
]
