"""The objects alive before an extraction are kept out of the garbage collector's walks, and handed back."""

from __future__ import annotations

import gc

import pytest

from newskit.extract._gc import older_objects_frozen


@pytest.fixture(autouse=True)
def _collector_as_found():
    enabled = gc.isenabled()
    gc.enable()
    gc.unfreeze()
    yield
    gc.unfreeze()
    if not enabled:
        gc.disable()


def test_objects_are_frozen_inside_and_handed_back_after():
    alive = [object() for _ in range(10)]
    with older_objects_frozen():
        assert gc.get_freeze_count() >= len(alive)
        with older_objects_frozen():  # nested: the outer block stays in charge
            assert gc.get_freeze_count() >= len(alive)
        assert gc.get_freeze_count() >= len(alive)
    assert gc.get_freeze_count() == 0


def test_objects_are_handed_back_when_the_block_fails():
    with pytest.raises(ValueError), older_objects_frozen():
        raise ValueError("an extractor failed")
    assert gc.get_freeze_count() == 0


def test_a_callers_own_freeze_and_a_disabled_collector_are_left_alone():
    gc.freeze()
    frozen = gc.get_freeze_count()
    with older_objects_frozen():
        pass
    assert gc.get_freeze_count() == frozen  # not unfrozen behind the caller's back
    gc.unfreeze()
    gc.disable()
    with older_objects_frozen():
        assert gc.get_freeze_count() == 0
    assert not gc.isenabled()


def test_extraction_leaves_nothing_frozen(nlp):
    import newskit as nk

    nk.extract_text("Two people were killed in Leeds on Monday, police said.", published="2024-03-06", nlp=nlp)
    assert gc.get_freeze_count() == 0
