"""bench/gen.py: the bench corpus is deterministic and its documents are what they claim to be."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import gen  # noqa: E402


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_and_document_i_independent_of_size(tmp_path):
    a = gen.write_corpus(tmp_path / "a", "text", 6, seed=3)
    gen.write_corpus(tmp_path / "b", "text", 6, seed=3)
    gen.write_corpus(tmp_path / "c", "text", 3, seed=3)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    small = _tree(tmp_path / "c")
    assert small == {k: v for k, v in _tree(tmp_path / "a").items() if k in small}
    assert len(a) == 6
    gen.write_corpus(tmp_path / "d", "text", 6, seed=4)
    assert _tree(tmp_path / "d") != _tree(tmp_path / "a")


def test_text_documents_are_bilingual_articles_with_citations_and_references(tmp_path):
    paths = gen.write_corpus(tmp_path, "text", 12, seed=1)
    suffixes = {p.suffix for p in paths}
    assert suffixes == {".md", ".txt"}
    langs = {p.stem.rsplit("-", 1)[1] for p in paths}
    assert langs == {"fr", "en"}
    texts = {p: p.read_text("utf-8") for p in paths}
    fr = next(t for p, t in texts.items() if p.stem.endswith("-fr"))
    assert "Références" in fr and re.search(r"[éèàç]", fr)
    en = next(t for p, t in texts.items() if p.stem.endswith("-en"))
    assert "References" in en
    md = next(t for p, t in texts.items() if p.suffix == ".md")
    assert md.startswith("# ")
    every = "\n".join(texts.values())
    # author-year and numbered in-text citations, and the reference entries they point to
    assert re.search(r"\([A-ZÀ-Þ][\w-]+(?: (?:&|et) [A-ZÀ-Þ][\w-]+| et al\.)?, (19|20)\d\d\)", every)
    assert re.search(r"\[\d+\]", every)
    assert re.search(r"^[A-ZÀ-Þ][\w -]+, [A-Z]\..*\((19|20)\d\d\)\. ", every, re.M)
    for t in texts.values():
        words = len(t.split())
        assert 600 < words < 3000, words


def test_pdfs_are_valid_and_carry_the_article_text(tmp_path):
    from pypdf import PdfReader

    paths = gen.write_corpus(tmp_path, "pdf", 4, seed=1)
    assert [p.suffix for p in paths] == [".pdf"] * 4
    for i, p in enumerate(paths):
        reader = PdfReader(p)
        assert len(reader.pages) >= 1
        text = " ".join(page.extract_text() for page in reader.pages)
        article = gen.article(1, i)
        title_words = article.title.split()[:3]
        assert " ".join(title_words) in " ".join(text.split())
        assert ("Références" if article.lang == "fr" else "References") in text
    again = gen.write_corpus(tmp_path / "again", "pdf", 4, seed=1)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]


def test_cached_corpus_is_reused_and_keyed_by_parameters(tmp_path):
    first = gen.corpus("text", 3, seed=2, cache=tmp_path)
    mtime = next(first.rglob("*.md")).stat().st_mtime_ns
    assert gen.corpus("text", 3, seed=2, cache=tmp_path) == first
    assert next(first.rglob("*.md")).stat().st_mtime_ns == mtime
    assert gen.corpus("text", 4, seed=2, cache=tmp_path) != first
    assert not list(tmp_path.glob(".tmp-*"))
    with pytest.raises(ValueError):
        gen.corpus("html", 3, cache=tmp_path)
