"""Shared test fixtures: a private KB home per test, the ../shared data location, a seeds index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "fixtures" / "seeds"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared (test data beside the repo)")


@pytest.fixture(scope="session")
def kb_cache(tmp_path_factory):
    """One cache folder for the session's tests (the compiled built-in taxonomy, compiled once), never the
    user's own."""
    return tmp_path_factory.mktemp("kbcache")


@pytest.fixture(autouse=True)
def kb_home(tmp_path, monkeypatch, kb_cache):
    """Every test gets its own KB_HOME; nothing reads or writes the user's real corpus or index."""
    home = tmp_path / "kbhome"
    home.mkdir()
    monkeypatch.setenv("KB_HOME", str(home))
    monkeypatch.delenv("KB_INDEX", raising=False)
    monkeypatch.delenv("KB_TAXONOMY", raising=False)
    monkeypatch.setenv("KB_JOBS", "1")
    monkeypatch.setenv("KB_CACHE", str(kb_cache))
    monkeypatch.chdir(tmp_path)
    yield home
    from kb.search import close_all

    close_all()


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory):
    """An index of the three seed documents (built once per session), and its corpus folder."""
    if not SEEDS.exists():
        pytest.skip("needs ../shared (test data beside the repo)")
    from kb import pipeline

    root = tmp_path_factory.mktemp("seeds")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    report = pipeline.ingest([corpus], root / "index", jobs=1)
    assert not report.failed, report.failed
    return root / "index"
