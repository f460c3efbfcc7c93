"""The test PDF generator: what it writes is what pypdf reads back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from pdfgen import Article, Section, hyphen_split, make_article_pdf  # noqa: E402

SENTENCE = "Le lien affectif entre le patient et le kinésithérapeute prédit l’adhésion au traitement."


def _article(n_sections: int = 8) -> Article:
    filler = ("Les participants décrivent une collaboration régulière avec leur thérapeute, "
              "des objectifs partagés et des tâches négociées au fil des séances. ") * 4
    sections = [Section(f"{i}. Partie {i}", [filler, filler]) for i in range(1, n_sections + 1)]
    sections[0].paragraphs.insert(1, SENTENCE)
    return Article(title="Alliance thérapeutique et douleur chronique", authors=["Claire Dubois", "Marc Léger"],
                   abstract="Une étude d’essai sur l’alliance. " * 5, sections=sections,
                   references=["Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of "
                               "the working alliance. Psychotherapy: Theory, Research & Practice, 16(3), 252–260."],
                   keywords=["alliance", "douleur"], lang="fr", year=2021, journal="Revue d’essai")


def _text(path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)


def test_two_column_pdf_reads_back(tmp_path):
    path = tmp_path / "a.pdf"
    make_article_pdf(path, _article(), columns=2, running_header="Revue d’essai, 2021")
    reader = pypdf.PdfReader(path)
    text = _text(path)
    assert len(reader.pages) > 1
    assert "Alliance thérapeutique et douleur chronique" in text
    assert " ".join(SENTENCE.split()) in " ".join(text.split())
    assert "Références" in text and "Mots clés" in text
    assert text.count("Revue d’essai, 2021") >= len(reader.pages)
    assert reader.metadata.title == "Alliance thérapeutique et douleur chronique"
    assert reader.metadata.author == "Claire Dubois, Marc Léger"


def test_same_input_same_bytes(tmp_path):
    make_article_pdf(tmp_path / "a.pdf", _article(2), columns=2, hyphenate=True)
    make_article_pdf(tmp_path / "b.pdf", _article(2), columns=2, hyphenate=True)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_hyphenation_breaks_words_at_line_ends(tmp_path):
    path = tmp_path / "h.pdf"
    make_article_pdf(path, _article(3), columns=2, hyphenate=True)
    breaks = re.findall(r"(\w+)-\n(\w+)", _text(path))
    assert breaks, "expected line-end hyphens"
    assert all(len(a) >= 3 and len(b) >= 2 for a, b in breaks)
    make_article_pdf(path, _article(3), columns=2, hyphenate=False)
    assert not re.findall(r"[a-zé]-\n", _text(path))


def test_hyphen_split_points():
    assert hyphen_split("thérapeutique", lambda s: len(s) <= 7) == ("théra-", "peutique")
    assert hyphen_split("affectif", lambda s: len(s) <= 7) == ("affec-", "tif")
    assert hyphen_split("méta-analyse", lambda s: len(s) <= 7) == ("méta-", "analyse")
    assert hyphen_split("alliance", lambda s: len(s) <= 2) is None


def _x_jumps(path) -> int:
    """How often consecutive text fragments switch page halves (2-3 when column-major)."""
    jumps = 0
    for page in pypdf.PdfReader(path).pages:
        xs: list[float] = []
        page.extract_text(visitor_text=lambda t, cm, tm, fd, fs: xs.append(tm[4]) if t.strip() else None)
        half = float(page.mediabox.width) / 2
        sides = [x > half for x in xs]
        jumps += sum(1 for a, b in zip(sides, sides[1:]) if a != b)
    return jumps


def test_row_order_interleaves_columns(tmp_path):
    make_article_pdf(tmp_path / "c.pdf", _article(), columns=2, order="column")
    make_article_pdf(tmp_path / "r.pdf", _article(), columns=2, order="row")
    pages = len(pypdf.PdfReader(tmp_path / "c.pdf").pages)
    assert _x_jumps(tmp_path / "c.pdf") <= 3 * pages
    assert _x_jumps(tmp_path / "r.pdf") > 30 * pages


def test_unknown_character_is_refused(tmp_path):
    art = _article(1)
    art.title = "Alliance 测试"
    with pytest.raises(ValueError, match="not in the built-in fonts"):
        make_article_pdf(tmp_path / "x.pdf", art)


CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_corpus_pdfs_are_up_to_date(tmp_path):
    """corpus/*.pdf are exactly what tests/make_demo_pdfs.py builds from tests/demo_sources/."""
    from make_demo_pdfs import build

    built = build(tmp_path)
    assert len(built) >= 4
    for path in built:
        committed = CORPUS / path.name
        assert committed.exists(), f"{path.name} missing from corpus/: run python tests/make_demo_pdfs.py"
        assert committed.read_bytes() == path.read_bytes(), f"{path.name} is stale: run tests/make_demo_pdfs.py"


def test_demo_truth_names_every_corpus_document():
    truth = json.loads((Path(__file__).with_name("demo_truth.json")).read_text(encoding="utf-8"))
    documents = {p.name for p in CORPUS.iterdir() if p.suffix in {".pdf", ".html", ".htm", ".md", ".txt"}}
    assert set(truth["docs"]) == documents
    for query, relevant in truth["queries"].items():
        assert relevant and set(relevant) <= documents, query
