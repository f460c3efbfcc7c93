"""In-text citations (numeric, author-year, names before numbers), their sentences and links; real PDFs."""

from pathlib import Path

import pytest

from kb.cite import cite
from kb.models import Document, Meta, Passage

SHARED = Path(__file__).resolve().parents[2] / "shared"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared (test data beside the repo)")


def doc(body: str, refs: str | None = None) -> Document:
    passages = [Passage(n=0, page=3, text=body)]
    if refs:
        passages.append(Passage(n=1, page=9, text=refs, kind="references"))
    return Document(doc_id="d", path="d.txt", format="text", sha256="", lang="fr", meta=Meta(), pages=None,
                    passages=tuple(passages))


def by_marker(result):
    return {(c.marker, c.year): c for c in result.citations}


def test_author_year_forms_and_sentences():
    body = ("Cet article repose sur une méta-analyse publiée par Flückiger et al. (2018), avec 300 études. "
            "L'alliance est centrale (Bordin, 1979). D'autres le confirment "
            "(Horvath & Symonds, 1991; Martin et al., 2000). Selon Taccolini Manzoni et al., 2018, "
            "la relation compte.")
    cites = by_marker(cite(doc(body)))
    c = cites[("Flückiger et al. (2018)", 2018)]
    assert c.authors == ("Flückiger",)
    assert c.sentence == "Cet article repose sur une méta-analyse publiée par Flückiger et al. (2018), avec 300 études."
    assert (c.page, c.passage, c.ref_index) == (3, 0, None)
    assert cites[("(Bordin, 1979)", 1979)].sentence == "L'alliance est centrale (Bordin, 1979)."
    group = "(Horvath & Symonds, 1991; Martin et al., 2000)"
    assert cites[(group, 1991)].authors == ("Horvath", "Symonds")
    assert cites[(group, 2000)].authors == ("Martin",)
    assert cites[("Taccolini Manzoni et al., 2018", 2018)].authors == ("Taccolini Manzoni",)
    assert len(cites) == 5


def test_names_before_numbers_without_a_list():
    body = ("La méta analyse de Fluckiger et al. [20] montre un effet. Bordin [6] met en avant trois "
            "dimensions. Lakke et Meerman [30] ont constaté un effet. Greenson [3] développa la notion.")
    cites = cite(doc(body)).citations
    assert [(c.marker, c.authors, c.year, c.ref_index) for c in cites] == [
        ("Fluckiger et al. [20]", ("Fluckiger",), None, None),
        ("Bordin [6]", ("Bordin",), None, None),
        ("Lakke et Meerman [30]", ("Lakke", "Meerman"), None, None),
        ("Greenson [3]", ("Greenson",), None, None)]
    assert cites[1].sentence == "Bordin [6] met en avant trois dimensions."


def test_numeric_markers_expand_and_link():
    refs = "\n".join(["Références"] + [f"{i}. Auteur{chr(64 + i)} P. Titre {i}. Rev Test 2010;{i}:1-9."
                                       for i in range(1, 12)])
    body = "Comme nous le développons ailleurs [1,2], et plus loin [9-11]. Voir aussi [7, 22]."
    result = cite(doc(body, refs))
    assert len(result.references) == 11
    assert result.references[0].page == 9
    linked = [(c.marker, result.references[c.ref_index].n) for c in result.citations]
    # [22] is beyond the 11-entry list: not a citation of this document
    assert linked == [("[1,2]", 1), ("[1,2]", 2), ("[9-11]", 9), ("[9-11]", 10), ("[9-11]", 11), ("[7, 22]", 7)]


def test_author_year_links_accent_folded():
    refs = ("References\nFlückiger, C., Del Re, A. C., Wampold, B. E., & Horvath, A. O. (2018). The alliance in\n"
            "adult psychotherapy: A meta-analytic synthesis. Psychotherapy, 55(4), 316-340.\n"
            "Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the working alliance.\n"
            "Psychotherapy, 16(3), 252-260.")
    result = cite(doc("As Fluckiger et al. (2018) show, and as argued before (Bordin, 1979).", refs))
    assert [r.authors[0] for r in result.references] == ["Flückiger, C.", "Bordin, E. S."]
    assert [c.ref_index for c in result.citations] == [0, 1]


@pytest.mark.parametrize("text", [
    "Il écrit [sic] que tout va bien.", "Voir le passage [...] plus haut.", "En 2018, 45 % des patients.",
    "Un échantillon (n = 30) a été suivi.", "Comme il le dit (p. 12) ici.", "Son livre (1979) fit date.",
    "Voir la Figure 3 et le Tableau 2 (2018).", "The value state[748] is loaded.", "Une hausse (35 %) nette.",
    "Paris, 2018, fut une année clé.", "The 2018 survey (N = 1,200) found this."])
def test_no_invented_citations(text):
    assert cite(doc(text)).citations == ()


PDFS = {  # numbers printed in each PDF's reference list, counted by reading it
    "grobid-tests/1001._0908.0054.pdf": 19,
    "grobid-tests/compressed.tracemonkey-pldi-09.pdf": 19,
    "science-parse-tests/P07-1088.pdf": 15,
    "science-parse-tests/P14-1059.pdf": 32,
    "science-parse-tests/bunescu-acl07.pdf": 16,
    "pdfminer-samples/naacl06-shinyama.pdf": 10,
}


@needs_shared
@pytest.mark.parametrize("name,count", sorted(PDFS.items()))
def test_real_pdfs_reference_counts_and_links(name, count):
    from kb.pipeline import prepare

    result = cite(prepare(SHARED / "data" / "pdfs" / name))
    assert len(result.references) == count
    assert all(r.authors or r.title for r in result.references)
    numbered = [r.n for r in result.references if r.n is not None]
    if numbered:
        assert numbered == list(range(1, count + 1))
        numeric = [c for c in result.citations if c.year is None]
        assert numeric and all(c.ref_index is not None for c in numeric)
    else:
        author_year = [c for c in result.citations if c.year is not None]
        assert author_year
        # most author-year citations find their entry (the rest cite works outside the list or mis-split)
        assert sum(c.ref_index is not None for c in author_year) >= 0.9 * len(author_year)
