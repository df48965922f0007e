"""Extract `events` rows from a parsed Doc (see newskit.schema for the columns)."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["extract_events"]


def extract_events(doc: Doc) -> list[dict]:
    """Rows of the `events` table found in ``doc`` (without ``article_id``)."""
    return []
