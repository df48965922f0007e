"""Session-scoped fixtures shared by every test module."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
SEED_FILE = SHARED / "seed" / "kosovo-kremlin-2023-11-06.txt"


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline newskit loads, once per test session."""
    from newskit.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests using it skip on a fresh clone without it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (a fresh clone has no ../shared); corpus and seed checks skipped")
    return SHARED


@pytest.fixture(scope="session")
def corpora_dir(shared_dir) -> Path:
    """``../shared/corpora`` (skips when absent)."""
    path = shared_dir / "corpora"
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="session")
def seed_path(shared_dir) -> Path:
    """The seed article file, byte for byte as the project was started from."""
    return shared_dir / "seed" / "kosovo-kremlin-2023-11-06.txt"


@pytest.fixture(scope="session")
def seed_text(seed_path) -> str:
    """Body text of the seed article (the ` date 2023-11-06 ` prefix removed)."""
    raw = seed_path.read_text(encoding="utf-8")
    prefix = " date 2023-11-06 "
    assert raw.startswith(prefix)
    return raw[len(prefix) :]


@pytest.fixture(scope="session")
def seed_facts(seed_text, nlp):
    """Facts extracted from the seed article, once per session."""
    import newskit as nk

    return nk.extract_text(seed_text, published="2023-11-06", nlp=nlp)
