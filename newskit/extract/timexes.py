"""Extract `timexes` rows from a parsed Doc (see newskit.schema for the columns)."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["extract_timexes"]


def extract_timexes(doc: Doc) -> list[dict]:
    """Rows of the `timexes` table found in ``doc`` (without ``article_id``)."""
    return []
