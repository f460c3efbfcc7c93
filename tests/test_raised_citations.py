"""Numbered citations a PDF prints raised (Vancouver style, "outcome¹,²"): read from generated journal PDFs.

The articles below are written for these tests (invented works); each PDF is laid out by tests/pdfgen.py,
which prints "^{...}" small and raised, moved up or with a text rise.
"""

from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

from pdfgen import Article, Section, make_article_pdf

from kb.cite import cite
from kb.load import pdf
from kb.perfile import prepare

REFERENCES = [
    "1. Arnaud L, Berthe M. The working alliance in chronic pain care. J Fict Pain. 2015;3:10-19.",
    "2. Carver J. Bond, goals and tasks revisited. J Made-up Stud. 2009;41:200-214.",
    "3. Dumas P, Evrard S. Ruptures and repairs in physiotherapy. Fict Rehabil. 2018;12:55-61.",
    "4. Faure A. Alliance and adherence to home exercise. Invented Physiother J. 2020;7:1-9.",
    "5. Garnier T, Hubert C. Empathy in the first consultation. Rev Imaginaire. 2017;22:140-149.",
    "6. Imbert R. Measuring the bond with patients in pain. Fict Meas. 2021;5:33-40.",
]


def _article(references=REFERENCES, body=None) -> Article:
    return Article(
        title="Alliance and pain in physiotherapy: a narrative review",
        authors=["Jane Doe^{1}", "Paul Roe^{2,3}", "Anne Lee^{1}"],
        abstract="The alliance between patient and physiotherapist is reviewed for chronic pain care.",
        sections=[Section("Introduction", body or [
            ("The therapeutic alliance predicts outcome^{1,2} in chronic pain care. Ruptures are frequent in "
             "the first weeks and their repair keeps patients in treatment^{3-5}."),
            ("A weak bond lowers adherence to home exercise.^{4} The explained variance reached R^{2} = 0.21 in "
             "one cohort, and questionnaires now measure the bond directly.^{6}"),
        ])],
        references=references)


@pytest.mark.parametrize("raised", ["move", "rise"])
def test_raised_numbers_become_superscripts_a_space_after_their_word(tmp_path, raised):
    path = tmp_path / "a.pdf"
    make_article_pdf(path, _article(), raised=raised)
    text = " ".join(p.text for p in pdf.load(path).pages)
    text = " ".join(text.split())
    assert "predicts outcome ¹,² in chronic" in text
    assert "in treatment ³-⁵." in text
    assert "home exercise. ⁴ The explained" in text
    assert "outcome1,2" not in text
    assert "R ²" not in text  # an exponent after a one-letter symbol stays as printed


@pytest.mark.parametrize("raised", ["move", "rise"])
def test_raised_citations_link_to_the_numbered_list(tmp_path, raised):
    path = tmp_path / "a.pdf"
    make_article_pdf(path, _article(), raised=raised)
    result = cite(prepare(path))
    assert [r.n for r in result.references] == [1, 2, 3, 4, 5, 6]
    linked = [(c.marker, result.references[c.ref_index].n) for c in result.citations]
    # the authors' affiliations (Doe¹, Roe²,³) are no citations
    assert linked == [("¹,²", 1), ("¹,²", 2), ("³-⁵", 3), ("³-⁵", 4), ("³-⁵", 5), ("⁴", 4), ("⁶", 6)]
    by_marker = {c.marker: c.sentence for c in result.citations}
    # a number after the full stop cites the sentence it closes
    assert by_marker["⁴"] == "A weak bond lowers adherence to home exercise. ⁴"
    assert by_marker["³-⁵"].startswith("Ruptures are frequent")


def test_raised_numbers_in_brackets_lose_them(tmp_path):
    path = tmp_path / "a.pdf"
    body = [("The alliance predicts outcome^{(1,2)} in chronic pain care. Ruptures are frequent^{[3]} and "
             "repairs keep patients in treatment^{(4-6)}.")]
    make_article_pdf(path, _article(body=body))
    result = cite(prepare(path))
    assert "outcome ¹,² in" in " ".join(result.citations[0].sentence.split())
    assert [(c.marker, result.references[c.ref_index].n) for c in result.citations] == [
        ("¹,²", 1), ("¹,²", 2), ("³", 3), ("⁴-⁶", 4), ("⁴-⁶", 5), ("⁴-⁶", 6)]


def test_raised_numbers_without_a_numbered_list_cite_nothing(tmp_path):
    path = tmp_path / "a.pdf"
    apa = ["Arnaud, L., & Berthe, M. (2015). The working alliance in chronic pain care. J Fict Pain, 3, 10-19.",
           "Carver, J. (2009). Bond, goals and tasks revisited. J Made-up Stud, 41, 200-214.",
           "Dumas, P. (2018). Ruptures and repairs in physiotherapy. Fict Rehabil, 12, 55-61."]
    make_article_pdf(path, _article(references=apa))
    result = cite(prepare(path))
    assert len(result.references) == 3
    assert [c.marker for c in result.citations] == []


def test_raised_numbers_out_of_first_cited_order_are_notes_not_citations(tmp_path):
    path = tmp_path / "a.pdf"
    body = [("The alliance predicts outcome^{5} in chronic pain care. Ruptures are frequent in the first weeks "
             "and their repair keeps patients in treatment^{2}."),
            "A weak bond lowers adherence to home exercise.^{6} Questionnaires now measure the bond.^{1}"]
    make_article_pdf(path, _article(body=body))
    result = cite(prepare(path))
    assert len(result.references) == 6
    assert [c.marker for c in result.citations] == []


def _doc(body: str, refs: str, notes: str | None = None):
    from kb.models import Document, Passage

    passages = [Passage(n=0, page=1, text=body), Passage(n=1, page=2, text=refs, kind="references")]
    if notes:
        passages.append(Passage(n=2, page=1, text=notes, kind="footnote"))
    return Document(doc_id="d", path="d.pdf", format="pdf", sha256="", lang="en", meta=None, pages=None,
                    passages=tuple(passages))


LIST = "References\n" + "\n".join(REFERENCES)


def test_raised_numbers_between_names_are_affiliations_even_without_a_heading():
    body = ("Jane Doe ¹, Paul Roe ²,³ and Anne Lee ¹\nThe alliance predicts outcome ¹,² in pain care. Ruptures "
            "are frequent ³. Repairs keep patients in treatment ⁴,⁵. A weak bond lowers adherence. ⁶")
    result = cite(_doc(body, LIST))
    assert [(c.marker, result.references[c.ref_index].n) for c in result.citations] == [
        ("¹,²", 1), ("¹,²", 2), ("³", 3), ("⁴,⁵", 4), ("⁴,⁵", 5), ("⁶", 6)]


def test_a_name_before_a_raised_number_is_kept_when_the_entry_is_theirs():
    body = ("The alliance predicts outcome ¹,². Carver ² revisited the bond, ruptures are frequent ³ and "
            "Imbert ⁴ measured it ⁵,⁶.")
    cites = {c.marker: c for c in cite(_doc(body, LIST)).citations}
    assert cites["Carver ²"].authors == ("Carver",)
    assert cites["⁴"].authors == ()  # entry 4 is Faure's: "Imbert" is not its author


def test_raised_numbers_with_numbered_footnotes_call_the_notes():
    body = "The alliance predicts outcome ¹,² in pain care. Ruptures are frequent ³. Repairs keep patients ⁴."
    notes = "1 The cohort was recruited in 2019.\n2 Same sample as in the pilot."
    assert cite(_doc(body, LIST, notes)).citations == ()
    assert [c.marker for c in cite(_doc(body, LIST)).citations] == ["¹,²", "¹,²", "³", "⁴"]


def test_superscript_digits_typed_in_a_text_cite_like_raised_ones():
    body = ("The alliance predicts outcome¹,² in pain care. Ruptures are frequent³. The variance reached R² = 0.2. "
            "Repairs keep patients in treatment.⁴ The bond matters.")
    result = cite(_doc(body, LIST))
    assert [(c.marker, result.references[c.ref_index].n) for c in result.citations] == [
        ("¹,²", 1), ("¹,²", 2), ("³", 3), ("⁴", 4)]
    assert result.citations[-1].sentence == "Repairs keep patients in treatment.⁴"
