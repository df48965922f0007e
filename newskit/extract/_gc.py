"""Keeping Python's cyclic garbage collector off what was alive before an extraction."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["older_objects_frozen"]


@contextlib.contextmanager
def older_objects_frozen() -> Iterator[None]:
    """Set the objects alive now aside from the cyclic garbage collector until the block ends.

    Parsing, extracting and linking allocate many short-lived objects, so full collections run
    during a long extraction, and each walked every object in the process: the spaCy model's,
    pandas', the caller's (0.3 s of a 9.5 s extraction of 150 articles). ``gc.freeze()`` sets
    those aside (what existed before is not garbage the extraction made) and ``gc.unfreeze()``
    hands them back at the end, so nothing stays uncollectable. Nested blocks, a caller that
    froze objects itself or a disabled collector leave it alone.
    """
    if gc.get_freeze_count() or not gc.isenabled():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
