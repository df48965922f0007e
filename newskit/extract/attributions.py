"""Extract `attributions` rows from a parsed Doc (see newskit.schema for the columns)."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["extract_attributions"]


def extract_attributions(doc: Doc) -> list[dict]:
    """Rows of the `attributions` table found in ``doc`` (without ``article_id``)."""
    return []
