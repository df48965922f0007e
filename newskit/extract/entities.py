"""Extract `mentions` rows from a parsed Doc (see newskit.schema for the columns)."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["extract_mentions"]


def extract_mentions(doc: Doc) -> list[dict]:
    """Rows of the `mentions` table found in ``doc`` (without ``article_id``)."""
    return []
