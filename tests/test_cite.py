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


def test_a_citation_links_to_the_one_entry_of_its_author_printing_its_year_elsewhere():
    # a title opening on a year: the parser takes it for the entry's; the citation's year is printed last
    refs = ("References\n"
            "M. M. Levy, M. P. Fink, J. C. Marshall, and et al. 2001 SCCM/ESICM/ACCP/ATS/SIS international sepsis\n"
            "definitions conference. Intensive Care Med, 29:530-538, 2003.\n"
            "S. Freud. (1957). Instincts and their vicissitudes. Hogarth Press. (Original work published 1915)\n"
            "S. Freud. (1961). The ego and the id. Hogarth Press. (Original work published 1923)")
    body = "Sepsis-2 (Levy et al., 2003) differs. Instincts (Freud, 1915) vary, not in (Freud, 1920) nor (Fink, 2003)."
    result = cite(doc(body, refs))
    assert result.references[0].year == 2001
    assert [(c.marker, c.ref_index) for c in result.citations] == [
        ("(Levy et al., 2003)", 0), ("(Freud, 1915)", 1), ("(Freud, 1920)", None), ("(Fink, 2003)", None)]


def test_organisations_a_list_names_are_cited_by_name_or_acronym():
    refs = ("Références\n"
            "Haute Autorité de Santé (HAS). (2019). Prise en charge de la lombalgie commune. Saint-Denis : HAS.\n"
            "Organisation mondiale de la Santé. (2021). Rapport sur la douleur. Genève : OMS.\n"
            "American Psychological Association. (2020). Publication manual (7th ed.). Washington, DC: APA.")
    body = ("Les recommandations (HAS, 2019) le disent. Selon l'Organisation mondiale de la santé (2021), la douleur "
            "est fréquente. Le style suit l'APA (2020). Ce que le texte a (has, 2019) n'est pas une citation.")
    result = cite(doc(body, refs))
    assert [r.authors for r in result.references] == [
        ("Haute Autorité de Santé (HAS)",), ("Organisation mondiale de la Santé",), ("American Psychological Association",)]
    assert [(c.marker, c.ref_index) for c in result.citations] == [
        ("(HAS, 2019)", 0), ("Organisation mondiale de la santé (2021)", 1), ("APA (2020)", 2)]


def test_a_collaboration_in_the_list_is_cited_by_its_name():
    refs = ("References\n"
            "Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the working alliance. "
            "Psychotherapy, 16(3), 252-260.\n"
            "Open Science Collaboration. (2015). Estimating the reproducibility of psychological science. Science, "
            "349(6251), aac4716.")
    body = "Few findings replicate (Open Science Collaboration, 2015). The Open Science Collaboration (2015) said so."
    result = cite(doc(body, refs))
    assert result.references[1].authors == ("Open Science Collaboration",)
    assert [(c.marker, c.ref_index) for c in result.citations] == [
        ("(Open Science Collaboration, 2015)", 1), ("Open Science Collaboration (2015)", 1)]


def test_a_year_letter_is_kept_on_a_citation_without_a_list():
    body = "Word vectors (Mikolov et al., 2013a) and phrases (Mikolov et al., 2013b) differ; see Bordin (1979)."
    assert [(c.authors, c.year, c.suffix) for c in cite(doc(body)).citations] == [
        (("Mikolov",), 2013, "a"), (("Mikolov",), 2013, "b"), (("Bordin",), 1979, "")]


def test_alphabetic_keys_link_to_the_entries_they_key():
    refs = ("References\n"
            "[Ahl78] Lars V. Ahlfors. Complex Analysis. McGraw-Hill, New York, 1978.\n"
            "[AH] M. Atiyah and F. Hirzebruch. Vector bundles and homogeneous spaces. Proc. Sympos. Pure Math. 3 "
            "(1961) 7-38.\n"
            "[Smi+98] J. Smith, A. Jones, and B. Brown. A theory of everything. J. Theory 12 (1998) 1-20.")
    body = ("The residue theorem [Ahl78, Thm. 3] gives this. K-theory [AH, Smi+98] extends it. "
            "An array [A], a note [N] and [Foo12] cite nothing.")
    result = cite(doc(body, refs))
    assert [(c.marker, c.ref_index) for c in result.citations] == [
        ("[Ahl78, Thm. 3]", 0), ("[AH, Smi+98]", 1), ("[AH, Smi+98]", 2)]
    assert result.citations[1].sentence == "K-theory [AH, Smi+98] extends it."


def test_an_edited_book_is_cited_by_its_editors_names():
    refs = ("Références\n"
            "Muran, J. C., & Barber, J. P. (Eds.) (2010). The therapeutic alliance: An evidence-based guide to "
            "practice. New York, NY: Guilford Press.\n"
            "Safran, J. D., & Muran, J. C. (2000). Negotiating the therapeutic alliance. New York, NY: Guilford Press.")
    body = "Les ruptures se réparent (Muran & Barber, 2010 ; Safran & Muran, 2000)."
    assert [(c.authors, c.ref_index) for c in cite(doc(body, refs)).citations] == [
        (("Muran", "Barber"), 0), (("Safran", "Muran"), 1)]


def test_years_after_a_semicolon_belong_to_the_names_before_them():
    body = "Voir (Bordin, 1979 ; 1994 ; Horvath, 2001) et Bordin (1979 ; 1994). Mais (BDI-II ; 2019) non."
    cites = cite(doc(body)).citations
    assert [(c.authors, c.year) for c in cites] == [
        (("Bordin",), 1979), (("Bordin",), 1994), (("Horvath",), 2001), (("Bordin",), 1979), (("Bordin",), 1994)]


@pytest.mark.parametrize("letters", [True, False])
def test_a_years_letter_chooses_among_one_authors_works_of_that_year(letters):
    a, b = ("a", "b") if letters else ("", "")
    refs = ("References\n"
            f"Lipton, Z. C., Kale, D. C., Elkan, C., & Wetzel, R. (2016{a}). Learning to diagnose with LSTM\n"
            "recurrent neural networks. ICLR.\n"
            f"Lipton, Z. C., Kale, D. C., & Wetzel, R. (2016{b}). Modeling missing data in clinical time series\n"
            "with RNNs. MLHC.\n"
            "Smith, J., & Jones, K. (2010). Alliance at intake. Psychotherapy, 4, 1-9.\n"
            "Smith, J., & Brown, L. (2010). Alliance at the end. Psychotherapy, 4, 10-19.\n"
            f"Wang, R., & Neumann, G. (2007{a}). Entailment by kernels. AAAI.\n"
            f"Wang, R. (2007{b}). Entailment by trees. ACL.")  # "Neumann" lost, as a PDF may split it
    body = ("Lipton et al. (2016b) model missing data. Their earlier model (Lipton et al., 2016a) diagnoses. "
            "Ruptures come late (Smith & Brown, 2010). Trees help (Wang & Neumann, 2007b).")
    result = cite(doc(body, refs))
    titles = [result.references[c.ref_index].title for c in result.citations]
    assert titles == ["Modeling missing data in clinical time series with RNNs",
                      "Learning to diagnose with LSTM recurrent neural networks", "Alliance at the end",
                      "Entailment by trees"]


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


HTML_REFS = [  # project-written entries (invented works), one per list item / paragraph / csl-entry
    "Arnaud, L., & Berthe, M. (2015). Le lien thérapeutique en pratique libérale. Revue fictive, 3(2), 10-19.",
    "Carver, J. (2009). Bond, goals and tasks revisited. Journal of Made-up Studies, 41, 200-214.",
    "Durand, P., Van der Berg, K., & Del Re, S. (2020). Ruptures in online therapy. Imaginary Review, 7, 1-12.",
    "Evrard, C. (2011). Alliance et douleur chronique. Dans M. Faure (Éd.), Soigner ensemble (p. 33-51). Éditions X.",
]


@pytest.mark.parametrize("heading,markup", [
    ("References", "<ul>{}</ul>".format("".join(f"<li>{r}</li>" for r in HTML_REFS))),
    ("Références", "<ol>{}</ol>".format("".join(f"<li><p>{r}</p></li>" for r in HTML_REFS))),
    ("Bibliographie", "".join(f"<p>{r}</p>" for r in HTML_REFS)),
    ("References", '<div class="csl-bib-body">{}</div>'.format(
        "".join(f'<div class="csl-entry">{r}</div>' for r in HTML_REFS))),
    ("Références", "<p>{}</p>".format("<br>".join(HTML_REFS))),
    (None, '<div class="csl-bib-body">{}</div>'.format(  # citeproc output pasted without a heading
        "".join(f'<div class="csl-entry">{r}</div>' for r in HTML_REFS))),
])
def test_html_reference_lists_one_entry_per_item(tmp_path, heading, markup):
    from kb.pipeline import prepare

    prose = ("<p>Le lien entre patient et thérapeute a été décrit par Carver (2009) puis par Durand, Van der Berg "
             "et Del Re (2020). " + "Cette relation compte pour le résultat des soins. " * 5 + "</p>")
    path = tmp_path / "page.html"
    head = f"<h2>{heading}</h2>" if heading else ""
    path.write_text(f"<html><body><main><h1>Le lien</h1>{prose}{head}{markup}</main>"
                    "<footer>© 2021 Site</footer></body></html>", encoding="utf-8")
    result = cite(prepare(path))
    assert [(r.authors[0], r.year) for r in result.references] == [
        ("Arnaud, L.", 2015), ("Carver, J.", 2009), ("Durand, P.", 2020), ("Evrard, C.", 2011)]
    linked = {c.marker: result.references[c.ref_index].year for c in result.citations if c.ref_index is not None}
    assert linked == {"Carver (2009)": 2009, "Durand, Van der Berg et Del Re (2020)": 2020}


@pytest.mark.parametrize("text,marker,authors,year", [
    ("Introduction\nBordin (1979) a proposé trois dimensions de l'alliance.", "Bordin (1979)", ("Bordin",), 1979),
    ("1. Introduction Bordin (1979) proposed three dimensions.", "Bordin (1979)", ("Bordin",), 1979),
    ("This was shown by Flückiger, Del Re, Wampold and Horvath (2018) in adults.",
     "Flückiger, Del Re, Wampold and Horvath (2018)", ("Flückiger", "Del Re", "Wampold", "Horvath"), 2018),
    ("Selon De Roten et al. (2004), l'alliance précoce compte.", "De Roten et al. (2004)", ("De Roten",), 2004),
    ("As Van der Berg (2010, p. 12) notes, ruptures are common.", "Van der Berg (2010, p. 12)", ("Van der Berg",),
     2010),
    ("Les patients en parlent (Martin et coll., 2000, p. 45).", "(Martin et coll., 2000, p. 45)", ("Martin",), 2000),
    ("L'alliance compte (Horvath et Symonds, 1991).", "(Horvath et Symonds, 1991)", ("Horvath", "Symonds"), 1991),
    ("Ce lien est établi (voir notamment Del Re et al., 2012).", "(voir notamment Del Re et al., 2012)",
     ("Del Re",), 2012),
    ("Récemment Taccolini Manzoni et al., 2018, ont montré un effet.", "Taccolini Manzoni et al., 2018",
     ("Taccolini Manzoni",), 2018),
    ("Notably, Safran and Muran (2000) describe two kinds of rupture.", "Safran and Muran (2000)",
     ("Safran", "Muran"), 2000),
    ("Bordin's (1979) model has three parts.", "Bordin's (1979)", ("Bordin",), 1979),
    ("Les recommandations (OMS, 2019) le rappellent.", "(OMS, 2019)", ("OMS",), 2019),
    ("En Suisse (Despland, de Roten, Martinez et Solai, 2000) aussi.", "(Despland, de Roten, Martinez et Solai, 2000)",
     ("Despland", "de Roten", "Martinez", "Solai"), 2000),
    ("D'après Norcross et Wampold (2011, p. 98), la relation compte.", "Norcross et Wampold (2011, p. 98)",
     ("Norcross", "Wampold"), 2011),
])
def test_author_year_markers_names_and_years(text, marker, authors, year):
    (c,) = cite(doc(text)).citations
    assert (c.marker, c.authors, c.year) == (marker, authors, year)


def test_heading_line_is_not_part_of_the_sentence():
    (c,) = cite(doc("Discussion\nComme le montre Greenson (1967), le lien réel compte.")).citations
    assert c.sentence == "Comme le montre Greenson (1967), le lien réel compte."


def test_sentence_word_the_document_writes_in_lowercase_is_not_a_name():
    body = ("Classiquement Bordin (1979) distingue trois dimensions. Cette lecture classiquement admise reste "
            "discutée.")
    (c,) = cite(doc(body)).citations
    assert (c.marker, c.authors) == ("Bordin (1979)", ("Bordin",))


def test_given_name_dropped_when_the_list_confirms_the_surname():
    refs = "References\nRogers, C. R. (1957). The necessary and sufficient conditions. J Consult Psychol, 21, 95-103."
    (c,) = cite(doc("As Carl Rogers (1957) argued, empathy matters.", refs)).citations
    assert (c.authors, c.ref_index) == (("Rogers",), 0)


@pytest.mark.parametrize("text", [
    "Le congrès a eu lieu en Juin 2018 à Lyon.", "La pandémie de COVID (2020) a changé les soins.",
    "During COVID-19 (2020) sessions moved online.", "See Table 2019 for the raw data.",
    "Les séances ont repris (Juin 2018).", "The trial ran (Spring 2019) in two sites.",
    "Il a été présenté (en France, 2018) puis publié.", "Le rapport (COVID 2020) est paru.",
    "Introduction (2018) du protocole.", "The WHO (2019) guidance was cited."])
def test_capitalised_word_before_a_year_is_not_a_citation(text):
    assert cite(doc(text)).citations == ()


def test_name_before_a_number_kept_only_when_the_entry_agrees():
    refs = ("References\n[1] Horvath AO, Greenberg LS. Development of the Working Alliance Inventory. J Couns "
            "Psychol. 1989;36:223-33.\n[2] Tracey TJ, Kokotovic AM. Factor structure of the WAI. Psychol Assess. "
            "1989;1:207-10.\n[3] Hatcher RL. A short form. Psychother Res. 2006;16:12-25.")
    body = "The Rating Scale [2] differs from what Horvath and Greenberg [1] built. Later work [3] agreed."
    got = [(c.marker, c.authors, c.ref_index) for c in cite(doc(body, refs)).citations]
    assert got == [("[2]", (), 1), ("Horvath and Greenberg [1]", ("Horvath", "Greenberg"), 0), ("[3]", (), 2)]


def test_markdown_bullets_and_wrapped_entries(tmp_path):
    from kb.pipeline import prepare

    path = tmp_path / "notes.md"
    path.write_text(
        "# Notes\n\n" + "Le lien thérapeutique compte (Carver, 2009) et plus encore en ligne (Durand et al., 2020). " * 3
        + "\n\n## Bibliographie\n\n"
        "* Carver, J. (2009). Bond, goals and tasks revisited. Journal of\n  Made-up Studies, 41, 200-214.\n"
        "* Durand, P., Van der Berg, K., & Del Re, S. (2020). Ruptures in online\n  therapy. Imaginary Review, 7.\n"
        "* Evrard, C. (2011). Alliance et douleur chronique. Éditions X.\n", encoding="utf-8")
    result = cite(prepare(path))
    assert [(r.authors[0], r.year) for r in result.references] == [
        ("Carver, J.", 2009), ("Durand, P.", 2020), ("Evrard, C.", 2011)]
    assert "Made-up Studies" in result.references[0].raw
    assert {result.references[c.ref_index].year for c in result.citations} == {2009, 2020}


def test_numbered_apa_list_does_not_turn_bracketed_numbers_into_citations():
    refs = "Références\n" + "\n".join(f"{i}. {r}" for i, r in enumerate(HTML_REFS, 1))
    body = "Deux formes (2) de rupture sont décrites par Carver (2009), puis trois (3) autres."
    result = cite(doc(body, refs))
    assert [r.n for r in result.references] == [1, 2, 3, 4]
    assert [(c.marker, c.ref_index) for c in result.citations] == [("Carver (2009)", 1)]


def test_a_bracketed_place_and_year_is_not_a_citation():
    body = ("Le colloque s'est tenu à Montréal (Québec, 2019), puis en Europe (Paris, 2018). "
            "L'alliance y fut centrale (Bordin, 1979). Un rapport récent (New York, 2021) le confirme.")
    cites = cite(doc(body)).citations
    assert [(c.marker, c.authors, c.year) for c in cites] == [("(Bordin, 1979)", ("Bordin",), 1979)]


def test_an_author_named_like_a_place_stays_when_the_list_has_the_entry():
    body = "La supervision aide (Paris, 2018). Le cadre compte aussi (Bordin, 1979)."
    refs = ("Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the working alliance. "
            "Psychotherapy: Theory, Research & Practice, 16(3), 252-260.\n\n"
            "Paris, J. (2018). Supervision et alliance. Revue de psychothérapie, 12, 33-41.")
    result = cite(doc(body, refs))
    linked = {c.marker: (c.authors, c.ref_index) for c in result.citations}
    assert linked["(Paris, 2018)"] == (("Paris",), 1)
    assert linked["(Bordin, 1979)"] == (("Bordin",), 0)


def test_a_place_after_a_preposition_and_a_year_is_not_a_citation():
    body = ("Au Canada (2017), une étude a suivi 300 patients. En Belgique (2010) et au Québec (2012), les "
            "résultats divergent. Selon Bordin (1979), l'alliance a trois dimensions.")
    cites = cite(doc(body)).citations
    assert [(c.marker, c.authors, c.year) for c in cites] == [("Bordin (1979)", ("Bordin",), 1979)]
    # a reference list naming such an author keeps the citation
    refs = "Québec, M. (2012). L'alliance au long cours. Revue de psychothérapie, 12, 33-41."
    cites = cite(doc(body, refs)).citations
    assert [(c.marker, c.ref_index) for c in cites] == [("Québec (2012)", 0), ("Bordin (1979)", None)]


_FIVE_ENTRIES = "\n\n".join(
    f"{name}, {ini} ({year}). {title}. Psychotherapy, {vol}, 1-9." for name, ini, year, title, vol in [
        ("Bordin", "E. S.", 1979, "The working alliance", 16), ("Horvath", "A. O.", 1991, "Alliance and outcome", 38),
        ("Martin", "D. J.", 2000, "Relation of the alliance with outcome", 68),
        ("Safran", "J. D.", 2011, "Repairing alliance ruptures", 48), ("Paris", "J.", 2008, "Alliance in borderline "
                                                                        "personality disorder", 22)])


def test_a_narrative_name_a_long_list_does_not_hold_is_not_a_citation():
    body = ("Le groupe Contrôle (2018) a moins progressé. Selon Bordin (1979), l'alliance compte. "
            "Les travaux de Paris (2008) le confirment, comme Safran (2012) et (Durand, 2015).")
    cites = cite(doc(body, _FIVE_ENTRIES)).citations
    # Safran's year differs from the entry's: a name the list holds stays, unlinked; a bracketed citation stays
    assert [(c.marker, c.ref_index) for c in cites] == [
        ("Bordin (1979)", 0), ("Paris (2008)", 4), ("Safran (2012)", None), ("(Durand, 2015)", None)]
    # without a list, nothing says who is cited: the narrative form stays
    assert "Contrôle (2018)" in [c.marker for c in cite(doc(body)).citations]


def test_meta_analysis_asterisks_mark_included_studies_not_names():
    # APA meta-analyses put "*" before each included study; each is still an entry, with its authors
    refs = ("*Horvath, A. O., & Symonds, B. D. (1991). Relation between working alliance and outcome in\n"
            "psychotherapy: A meta-analysis. Journal of Counseling Psychology, 38(2), 139–149.\n"
            "*Martin, D. J., Garske, J. P., & Davis, M. K. (2000). Relation of the therapeutic alliance with\n"
            "outcome and other variables: A meta-analytic review. Journal of Consulting and Clinical\n"
            "Psychology, 68(3), 438–450.\n"
            "Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the working alliance.\n"
            "Psychotherapy: Theory, Research & Practice, 16(3), 252–260.")
    result = cite(doc("The alliance predicts outcome (Horvath & Symonds, 1991; Martin et al., 2000).", refs))
    assert [(r.authors[0], r.year) for r in result.references] == [
        ("Horvath, A. O.", 1991), ("Martin, D. J.", 2000), ("Bordin, E. S.", 1979)]
    assert result.references[0].raw.startswith("*Horvath")
    assert [c.ref_index for c in result.citations] == [0, 1]


def test_label_before_citations_and_serial_comma():
    # "(BDI-II; Beck, Steer, & Brown, 1996)": an undated label before the citation; APA 7's comma before "&"
    result = cite(doc("La dépression a été mesurée (BDI-II; Beck, Steer, & Brown, 1996). "
                      "La relation compte (voir Safran, Muran, & Eubanks-Carter, 2011)."))
    assert [(c.authors, c.year) for c in result.citations] == [
        (("Beck", "Steer", "Brown"), 1996), (("Safran", "Muran", "Eubanks-Carter"), 2011)]


def test_a_dash_for_the_same_author_takes_the_authors_of_the_entry_above():
    refs = ("Bibliographie\n"
            "Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the working alliance. "
            "Psychotherapy, 16(3), 252-260.\n"
            "———. (1994). Theory and research on the therapeutic working alliance. In A. O. Horvath & L. S. "
            "Greenberg (Eds.), The working alliance (pp. 13-37). New York: Wiley.\n"
            "Lamb, H. (1993). Hydrodynamics (Cambridge Univ. Press, Cambridge, 1993).\n")
    result = cite(doc("L'alliance selon Bordin (1979) et Bordin (1994) reste centrale dans la relation.", refs))
    assert [(r.authors, r.year) for r in result.references] == [
        (("Bordin, E. S.",), 1979), (("Bordin, E. S.",), 1994), (("Lamb, H.",), 1993)]
    assert result.references[1].title == "Theory and research on the therapeutic working alliance"
    assert result.references[2].title == "Hydrodynamics"  # the imprint in parentheses is not the title's
    assert {result.references[c.ref_index].year for c in result.citations} == {1979, 1994}


def test_narrative_citations_with_lowercase_particles_link_to_the_entry():
    refs = ("Références\nVan der Kolk, B. A., Van der Hart, O., & Marmar, C. R. (1996). Dissociation and information "
            "processing. In Traumatic stress (pp. 303-327). Guilford.\n"
            "Van der Kolk, B. (2014). The body keeps the score. Viking.\n"
            "De Roten, Y., & Despland, J.-N. (2005). L'alliance thérapeutique. Psychothérapies, 25, 3-12.\n")
    result = cite(doc("Selon van der Kolk et al. (1996), la dissociation protège. Le corps garde la trace "
                      "(Van der Kolk, 2014). Pour de Roten et Despland (2005), le lien se construit.", refs))
    assert [(c.marker, c.ref_index) for c in result.citations] == [
        ("van der Kolk et al. (1996)", 0), ("(Van der Kolk, 2014)", 1), ("Roten et Despland (2005)", 2)]
    # a lowercase "de" is French prose ("la théorie de Bordin"), so it stays outside the marker; the
    # entry still names the author whole
    assert result.citations[2].authors[0] == "De Roten"
    marks = cite(doc("The meta-analysis by Friedlander, Escudero, Welmers-van de Poll and Heatherington (2018) "
                     "found it.")).citations
    assert marks[0].authors == ("Friedlander", "Escudero", "Welmers-van de Poll", "Heatherington")


def test_a_title_the_labeller_left_in_the_author_run():
    from kb.refparse import _title_in_names

    text = "[15] R. T. Vance, Therapeutic Alliance, University of Leeds Press (1994)."
    spans = [("author", 5, 40), ("publisher", 41, 67), ("date", 68, 75)]
    assert text[slice(*_title_in_names(text, 18, 40, spans))] == "Therapeutic Alliance"
    text = "K. Dorn Psychother. Res. 3 (1995) 295."  # a journal's abbreviation, not a title
    assert _title_in_names(text, 7, 18, [("author", 0, 18), ("container", 19, 24)]) is None
    text = "Olsen P L et al 2013 Psychother. Res. 23 83"  # initials after a surname, not a title
    assert _title_in_names(text, 5, 15, [("author", 0, 15), ("date", 16, 20)]) is None


def test_superscript_citations_of_a_web_page_link_to_its_numbered_list(tmp_path):
    from kb.pipeline import prepare

    path = tmp_path / "page.html"
    prose = "<p>" + "Le lien thérapeutique compte dans la rééducation des patients lombalgiques. " * 4 + "</p>"
    path.write_text(
        f"<html lang='fr'><body><article><h1>Alliance et lombalgie</h1>{prose}"
        "<p>L'alliance prédit la douleur<sup>1,2</sup>. Ferreira et al.<sup>3</sup> le confirment "
        "pour un IMC de 27 kg/m<sup>2</sup>.</p><h2>Références</h2><ol>"
        "<li>Hall AM, Ferreira PH. The therapist-patient relationship in rehabilitation. Phys Ther. 2010;90:1099-110.</li>"
        "<li>Bordin ES. The working alliance. Psychother Theory Res Pract. 1979;16(3):252-260.</li>"
        "<li>Ferreira PH, Maher CG. The alliance predicts outcome in low back pain. Phys Ther. 2013;93:470-8.</li>"
        "</ol></article></body></html>", encoding="utf-8")
    result = cite(prepare(path))
    assert [(c.marker, result.references[c.ref_index].year) for c in result.citations] == [
        ("[1,2]", 2010), ("[1,2]", 1979), ("Ferreira et al.[3]", 2013)]


@pytest.mark.parametrize("text", [
    "La notion (Bordin, 1979, cité par Martin, 2010) est ancienne.",
    "The notion (Bordin, 1979, as cited in Martin, 2010) is old.",
])
def test_a_secondary_source_in_brackets_is_a_second_citation(text):
    assert [(c.authors, c.year) for c in cite(doc(text)).citations] == [(("Bordin",), 1979), (("Martin",), 2010)]


def test_list_entries_in_a_page_without_a_found_list_are_not_citations():
    # an OCR'd page whose list, printed in two interleaved columns, has no heading: its "[n]" lines are entries
    body = ("We apply the tanh method [2-4] to the model of shallow waves.\n"
            "(18) [1] S. Roussel, Nonlinearity 10, 133 (1997). [3] Y. T. Gao and B. Tian, Acta Mech. 128, 137 (1998).\n"
            "[2] B. Tian, K. Zhao, and Y. T. Gao, Int. J. Eng. Sci. [4] E. Parkes and B. Duffy, Comput. Phys.\n"
            "35, 1081 (1997). Comm. 98, 288 (1996).")
    cites = cite(doc(body)).citations
    assert [(c.marker, c.sentence) for c in cites] == [
        ("[2-4]", "We apply the tanh method [2-4] to the model of shallow waves.")] * 3


def test_a_bracket_may_comment_after_its_year():
    body = ("L'alliance se rompt souvent (voir Safran & Muran, 2000, pour une revue). Elle se répare "
            "(see Horvath, 2001, for details). Le lien compte (Bordin, 1979 ; 1994, pour la définition).")
    cites = {(c.authors, c.year) for c in cite(doc(body)).citations}
    assert cites == {(("Safran", "Muran"), 2000), (("Horvath",), 2001), (("Bordin",), 1979), (("Bordin",), 1994)}


def test_a_chapter_or_paragraph_pointer_after_the_year_keeps_the_citation():
    body = ("See Wampold & Imel (2015, chap. 7) for a review. Freud (1900, chapitre 7) décrit le rêve. "
            "Le lien compte (Bordin, 1979, § 3 ; Winnicott, 1971, p. 12 sq.).")
    assert [(c.authors, c.year) for c in cite(doc(body)).citations] == [
        (("Wampold", "Imel"), 2015), (("Freud",), 1900), (("Bordin",), 1979), (("Winnicott",), 1971)]


NUMBERED_APA = ("Références\n1. Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the "
                "working alliance. Psychotherapy, 16(3), 252-260.\n"
                "2. Ferreira, P. H., & Adams, R. D. (2013). The therapeutic alliance predicts outcome in chronic "
                "low back pain. Physical Therapy, 93(4), 470-478.\n"
                "3. Safran, J. D., & Muran, J. C. (2000). Negotiating the therapeutic alliance. Guilford Press.")


def test_bare_numbers_in_a_text_citing_its_author_year_list_by_names_are_note_calls():
    # a web page's footnote calls ("soignant<sup>1</sup>") beside an APA list an <ol> numbered: linking
    # "[2]" to entry 2 would name Ferreira for a sentence about Bordin
    body = ("L'alliance désigne la collaboration entre le patient et le soignant [1]. Bordin en a proposé trois "
            "dimensions [2]. Une bonne alliance réduit la douleur (Ferreira & Adams, 2013). Les ruptures se "
            "réparent (Safran et Muran, 2000).")
    result = cite(doc(body, NUMBERED_APA))
    assert [(c.marker, c.ref_index) for c in result.citations] == [
        ("(Ferreira & Adams, 2013)", 1), ("(Safran et Muran, 2000)", 2)]
    # the same list cited by its numbers alone: those are the citations
    numbered = cite(doc("L'alliance prédit l'issue [1]. La douleur baisse [2, 3].", NUMBERED_APA))
    assert [(c.marker, c.ref_index) for c in numbered.citations] == [("[1]", 0), ("[2, 3]", 1), ("[2, 3]", 2)]


THREE_NUMBERED = "References\n" + "\n".join(f"[{k}] Author{k} A. Title {k}. Journal. 2001;{k}:1-2." for k in (1, 2, 3))


def test_numbers_after_a_full_stop_close_its_sentence_and_may_follow_each_other():
    # Wikipedia prints "outcome.[2][3] In physical therapy...": each number cites the sentence it closes
    body = ("The alliance is the relationship between therapist and client.[1] Bordin described goals, tasks and "
            "bond.[1] Meta-analyses found a moderate effect.[2][3] An array index a[1][2] is code.")
    assert [(c.marker, c.ref_index, c.sentence) for c in cite(doc(body, THREE_NUMBERED)).citations] == [
        ("[1]", 0, "The alliance is the relationship between therapist and client.[1]"),
        ("[1]", 0, "Bordin described goals, tasks and bond.[1]"),
        ("[2]", 1, "Meta-analyses found a moderate effect.[2][3]"),
        ("[3]", 2, "Meta-analyses found a moderate effect.[2][3]")]


def test_a_byline_of_authors_with_affiliation_numbers_cites_nothing_but_a_table_row_does():
    body = ("J Smith [1], K Lee [2]\nAbstract\nThe alliance predicts outcome [3].\n"
            "Hall AM [2] RCT Australia")
    assert [(c.marker, c.ref_index) for c in cite(doc(body, THREE_NUMBERED)).citations] == [
        ("[3]", 2), ("Hall AM [2]", 1)]


def test_classics_square_brackets_and_a_narrative_bracket_that_goes_on():
    refs = ("Références\nFreud, S. (1900). L'interprétation des rêves. Paris : PUF.\n"
            "Winnicott, D. W. (1975). Jeu et réalité. Paris : Gallimard.\n"
            "Horvath, A. O., Del Re, A. C., Flückiger, C., & Symonds, D. (2011). Alliance in individual "
            "psychotherapy. Psychotherapy, 48(1), 9-16.\n"
            "Safran, J. D., & Muran, J. C. (2000). Negotiating the therapeutic alliance. Guilford Press.")
    body = ("Le rêve réalise un désir (Freud, 1900/1967). Comme l'a montré Winnicott (1971/1975), le jeu soigne. "
            "Les ruptures se réparent [Safran et Muran, 2000]. Horvath et al. (2011; voir aussi Safran & Muran, "
            "2000) le confirment. Le rêve (Freud, 1900, cité par Winnicott, 1975) guérit. Le jeu (Winnicott, "
            "1975, voir aussi Freud, 1900) aussi.")
    found = [(c.marker, c.year, c.ref_index) for c in cite(doc(body, refs)).citations]
    assert found == [("(Freud, 1900/1967)", 1967, 0), ("Winnicott (1971/1975)", 1975, 1),
                     ("[Safran et Muran, 2000]", 2000, 3), ("Horvath et al. (2011", 2011, 2),
                     ("(2011; voir aussi Safran & Muran, 2000)", 2000, 3), ("(Freud, 1900, cité par Winnicott, 1975)",
                     1900, 0), ("(Freud, 1900, cité par Winnicott, 1975)", 1975, 1),
                     ("(Winnicott, 1975, voir aussi Freud, 1900)", 1975, 1),
                     ("(Winnicott, 1975, voir aussi Freud, 1900)", 1900, 0)]


ORGS = ("Références\nAmerican Psychological Association. (2020). Publication manual (7th ed.). APA.\n"
        "Organisation mondiale de la santé. (2019). Classification internationale des maladies. OMS.\n"
        "Haute Autorité de Santé. (2019). Prise en charge de la lombalgie commune. HAS.\n"
        "World Health Organization (WHO). (2001). International classification of functioning. WHO.")


def test_organisations_cited_by_name_acronym_or_both():
    body = ("Les normes (American Psychological Association [APA], 2020) s'appliquent. La CIM-11 (Organisation "
            "mondiale de la santé [OMS], 2019) classe la douleur. Ensuite (OMS, 2019) le confirme. La HAS (2019) "
            "recommande l'exercice. The ICF (WHO, 2001) frames disability. Plus tard (APA, 2020).")
    result = cite(doc(body, ORGS))
    assert len(result.references) == 4  # "World Health Organization (WHO). (2001)." opens an entry
    assert [(c.authors[0], c.ref_index) for c in result.citations] == [
        ("American Psychological Association", 0), ("Organisation mondiale de la santé", 1),
        ("Organisation mondiale de la santé", 1), ("Haute Autorité de Santé", 2),
        ("World Health Organization (WHO)", 3), ("American Psychological Association", 0)]
    # without a list, an organisation's words name no person: "Health Organization" is no surname
    alone = cite(doc("According to the World Health Organization (2001), function matters. La Haute Autorité "
                     "de Santé (2019) recommande l'exercice. Horvath (2001) agrees."))
    assert [c.authors for c in alone.citations] == [("Horvath",)]


def test_an_organisation_entry_with_its_acronym_in_square_brackets_opens_an_entry():
    refs = ("Références\nHall, A. M., Ferreira, P. H., & Maher, C. G. (2010). The influence of the therapist-patient "
            "relationship. Physical Therapy, 90(8), 1099-1110.\n"
            "Haute Autorité de Santé [HAS]. (2018). Démarche centrée sur le patient. Saint-Denis : HAS.\n"
            "Organisation mondiale de la santé [OMS]. (2019). Classification internationale des maladies. OMS.")
    body = "Le lien soigne (Hall et al., 2010). La HAS (2018) le recommande, et la CIM-11 (OMS, 2019) classe la douleur."
    result = cite(doc(body, refs))
    assert [r.year for r in result.references] == [2010, 2018, 2019]
    assert [c.ref_index for c in result.citations] == [0, 1, 2]


def test_a_preposition_before_co_authors_is_no_place():
    refs = ("Références\nde Roten, Y., Fischer, M., & Despland, J.-N. (2004). Is one assessment enough? "
            "Clinical Psychology & Psychotherapy, 11(5), 324-331.\n"
            "Horvath, A. O., & Bedi, R. P. (2002). The alliance. In J. C. Norcross (Ed.), Psychotherapy "
            "relationships that work (pp. 37-69). Oxford University Press.")
    body = ("Une mesure suffit (de Roten et al., 2004). Le lien prédit l'issue (in Horvath & Bedi, 2002). "
            "L'étude a lieu en Suisse (en France, 2019).")
    result = cite(doc(body, refs))
    assert [(c.authors, c.ref_index) for c in result.citations] == [(("de Roten",), 0), (("Horvath", "Bedi"), 1)]
    # without a list, the co-authors still make a citation and the lone place still does not
    assert [c.authors for c in cite(doc(body)).citations] == [("de Roten",), ("Horvath", "Bedi")]


def test_an_umlaut_written_out_in_the_text_links_to_the_list():
    refs = ("References\nFlückiger, C., Del Re, A. C., Wampold, B. E., & Horvath, A. O. (2018). The alliance in adult "
            "psychotherapy. Psychotherapy, 55(4), 316-340.")
    (c,) = cite(doc("Flueckiger et al. (2018) pooled 295 studies.", refs)).citations
    assert (c.authors, c.ref_index) == (("Flueckiger",), 0)


def test_a_capital_particle_surname_links_in_an_initials_first_list():
    refs = ("References\n1. A. Horvath, A. C. Del Re, C. Flückiger, D. Symonds, Alliance in individual psychotherapy, "
            "Psychotherapy 48 (2011) 9-16.\n2. U. Van Kolck, F. De Smet, Alliance and outcome, Psychother. Res. 12 "
            "(2002) 1-9.")
    body = "As Del Re showed (Horvath, Del Re, Flückiger & Symonds, 2011), and later (Van Kolck & De Smet, 2002)."
    result = cite(doc(body, refs))
    assert [(c.authors, c.ref_index) for c in result.citations] == [
        (("Horvath", "Del Re", "Flückiger", "Symonds"), 0), (("Van Kolck", "De Smet"), 1)]


def test_a_classics_original_year_in_square_brackets():
    refs = ("Références\nBowlby, J. (1969/1982). Attachment and loss: Vol. 1. Attachment (2nd ed.). New York: Basic "
            "Books.\nFreud, S. ([1900] 1967). L'interprétation des rêves. Paris : PUF.\nWinnicott, D. W. [1971] "
            "(1975). Jeu et réalité. Paris : Gallimard.")
    body = ("Bowlby [1969] décrit l'attachement, que Bowlby (1982) révise. Le rêve (Freud, [1900] 1967) et le jeu "
            "selon Winnicott [1971, p. 12].")
    result = cite(doc(body, refs))
    # each entry is its own: "Freud, S. ([1900] 1967)." opens an entry as "Freud, S. (1967)." does
    assert [r.authors[0] for r in result.references] == ["Bowlby, J.", "Freud, S.", "Winnicott, D. W."]
    assert [(c.marker, c.year, c.ref_index) for c in result.citations] == [
        ("Bowlby [1969]", 1969, 0), ("Bowlby (1982)", 1982, 0), ("(Freud, [1900] 1967)", 1967, 1),
        ("Winnicott [1971, p. 12]", 1971, 2)]


def test_an_organisations_capitals_cite_even_when_they_spell_a_word_or_a_town():
    body = "Chronic pain is common (WHO, 2001; NICE, 2021). It was studied in the USA (USA, 2019)."
    assert [(c.authors, c.year) for c in cite(doc(body)).citations] == [(("WHO",), 2001), (("NICE",), 2021)]
    refs = ("References\nNational Institute for Health and Care Excellence (NICE). (2021). Chronic pain (primary and "
            "secondary) in over 16s. NICE guideline NG193.\nWorld Health Organization. (2001). International "
            "classification of functioning, disability and health. Geneva: WHO.")
    assert [c.ref_index for c in cite(doc(body, refs)).citations] == [1, 0]


def test_undated_and_forthcoming_works_are_cited_and_linked():
    refs = ("References\nBrennan, T. (in press). Self-compassion at university. Journal of College Counseling.\n"
            "Okonkwo, A. (in press-a). Common factors revisited. Psychotherapy Research.\n"
            "Okonkwo, A. (in press-b). The alliance in groups. Group Dynamics.\n"
            "Santé publique France. (s.d.). Dépression : en savoir plus pour en sortir [brochure].\n"
            "Smith, K. (2012). Kindness toward the self. Emerging Adulthood, 7(2), 112–126.")
    body = ("Self-kindness helps (Brennan, in press). Common factors matter (Okonkwo, in press-b; Smith, 2012). "
            "La brochure le rappelle (Santé publique France, s.d.).")
    result = cite(doc(body, refs))
    assert [(c.authors, c.year, c.ref_index) for c in result.citations] == [
        (("Brennan",), None, 0), (("Okonkwo",), None, 2), (("Smith",), 2012, 4), (("Santé publique France",), None, 3)]


@pytest.mark.parametrize("body", [
    "The frame holds the work (Winnicott 1965, 47–49).",
    "The frame holds the work (Winnicott, 1965, Chapter 2).",
    "Le cadre tient le travail (Winnicott, 1965 : chap. 6).",
    "The frame holds the work (Winnicott, 1965, section 1.5).",
    "The frame holds the work (W. Winnicott, 1965).",
    "Winnicott et ses collaborateurs (1965) le montrent.",
])
def test_a_place_in_the_work_an_initial_or_colleagues_keep_the_citation(body):
    refs = "References\nWinnicott, D. W. (1965). The maturational processes. London: Hogarth Press."
    assert [(c.authors, c.year, c.ref_index) for c in cite(doc(body, refs)).citations] == [(("Winnicott",), 1965, 0)]


def test_ieee_numbers_with_a_place_in_the_work():
    refs = "References\n[1] A. Smith, \"Coding alliance,\" Psychother. Res., 2019.\n[2] B. Jones, \"Ruptures,\" 2020."
    result = cite(doc("Rules were explicit [1, Sec. 2], and scores modest [2, p. 444].", refs))
    assert [(c.marker, c.ref_index) for c in result.citations] == [("[1, Sec. 2]", 0), ("[2, p. 444]", 1)]


_VANCOUVER = ("References\n" + "\n".join(f"{i}. Author{chr(64 + i)} A, Other B. Study number {i} of the alliance. "
                                          f"J Psychother. 20{10 + i};{i}:1-9." for i in range(1, 7)))


def test_numbers_glued_to_words_call_a_numbered_list():
    # superscripts copied into plain text: the numbers stay, glued to the word or its full stop
    body = ("La dramatisation est une orientation négative face à la douleur1. Elle comporte trois dimensions2. "
            "Le modèle de peur et d'évitement la place au début de la chaîne.3,4 Les kinésithérapeutes la "
            "mesurent peu5 et l'alliance la modère6.")
    result = cite(doc(body, _VANCOUVER))
    assert [(c.marker, c.ref_index) for c in result.citations] == [
        ("1", 0), ("2", 1), ("3,4", 2), ("3,4", 3), ("5", 4), ("6", 5)]


def test_glued_numbers_that_follow_no_list_order_are_no_citations():
    body = ("Water is H2O, and the dose fell on day3. The scale (p.12) has 13 items; a covid19 ward opened. "
            "Salle 4 au niveau2.")
    assert cite(doc(body, _VANCOUVER)).citations == ()


def test_glued_numbers_out_of_citation_order_call_the_list_when_they_cover_it():
    body = ("Catastrophizing predicts disability.1 It was measured early.5 Fear follows it.2,6 "
            "Physiotherapists rarely assess it.3 The alliance moderates it.4")
    result = cite(doc(body, _VANCOUVER))
    assert [(c.marker, c.ref_index) for c in result.citations] == [
        ("1", 0), ("5", 4), ("2,6", 1), ("2,6", 5), ("3", 2), ("4", 3)]


def _numbered(n: int) -> str:
    return "\n".join(["References"] + [f"[{i}] Author{chr(64 + i)} P. Title {i}. J Test 2010;{i}:1-9."
                                       for i in range(1, n + 1)])


def test_ieee_ranges_of_brackets_and_see_before_a_bracket():
    body = "Coding works best where the construct is anchored [2]–[4]. Second, see [6] and [7]-[8]."
    result = cite(doc(body, _numbered(9)))
    assert [result.references[c.ref_index].n for c in result.citations] == [2, 3, 4, 6, 7, 8]
    assert result.citations[0].marker == "[2]–[4]"


def test_a_scale_from_zero_is_no_citation():
    body = "Intensité : EVA ou EN [0-10] ; une douleur modérée commence à 4 [3]."
    result = cite(doc(body, _numbered(9)))
    assert [(c.marker, result.references[c.ref_index].n) for c in result.citations] == [("[3]", 3)]


def test_the_points_of_an_enumeration_are_no_citations():
    refs = "\n".join(["References"] + [f"{i}. Author{chr(64 + i)} P. Title {i}. J Test. 2010;{i}:1-9."
                                       for i in range(1, 7)])
    body = ("Pain affects one adult in five (2) and lasts (3). Patients described two conditions for a helpful "
            "encounter: (1) feeling that their pain was believed, and (2) receiving an explanation (4).")
    result = cite(doc(body, refs))
    assert [(c.marker, result.references[c.ref_index].n) for c in result.citations] == [
        ("(2)", 2), ("(3)", 3), ("(4)", 4)]


def test_names_in_capitals_with_co_authors_are_people():
    refs = ("Références\nHALL, Amanda M., FERREIRA, Paulo H., MAHER, Chris G., et al. The influence of the "
            "therapist-patient relationship on treatment outcome. Physical Therapy. 2010, vol. 90, n° 8, p. 1099-1110.")
    result = cite(doc("Dans leur revue, HALL et al. (2010) ont montré un lien. La COVID (2020) a tout changé.", refs))
    assert [(c.marker, c.ref_index) for c in result.citations] == [("HALL et al. (2010)", 0)]


def test_notes_citing_by_name_and_year_and_op_cit():
    refs = ("References\nFreud, S. (1957). The future prospects of psycho-analytic therapy. Hogarth Press. "
            "(Original work published 1910)\nHeimann, P. (1950). On counter-transference. International Journal "
            "of Psycho-Analysis, 31, 81-84.\nRacker, H. (1957). The meanings and uses of countertransference. "
            "Psychoanalytic Quarterly, 26, 303-357.\nWinnicott, D. W. (1949). Hate in the counter-transference. "
            "International Journal of Psycho-Analysis, 30, 69-74.")
    notes = ("Notes\n1. Freud, 1910, p. 144. 2. Ibid., pp. 144-145. 3. Winnicott, 1949, p. 70. "
             "4. Heimann, 1950, p. 81; see also Racker, 1957. 5. Heimann, op. cit., p. 83.")
    d = Document(doc_id="d", path="d.txt", format="text", sha256="", lang="en", meta=Meta(), pages=None,
                 passages=(Passage(0, None, "The analyst's feelings became a tool.1 Not all agreed.2"),
                           Passage(1, None, notes), Passage(2, None, refs, kind="references")))
    result = cite(d)
    got = [(c.marker, result.references[c.ref_index].authors[0].split(",")[0]) for c in result.citations
           if c.ref_index is not None]
    assert got == [("Freud, 1910, p. 144", "Freud"), ("Winnicott, 1949, p. 70", "Winnicott"),
                   ("Heimann, 1950, p. 81; see also Racker, 1957", "Heimann"),
                   ("Heimann, 1950, p. 81; see also Racker, 1957", "Racker"),
                   ("Heimann, op. cit., p. 83", "Heimann")]
    # outside a notes section, a numbered line of names and years is not taken for a citation
    plain = cite(doc("Steps: 1. Freud, 1910, p. 144. 2. Heimann, 1950, p. 81.", refs))
    assert plain.citations == ()


def test_op_cit_in_brackets_cites_the_author_s_work_cited_last():
    refs = ("Références\nWinnicott, D. W. (1965). The maturational processes. Hogarth Press.\n"
            "Winnicott, D. W. (1971). Playing and reality. Tavistock.")
    body = "Le jeu est central (Winnicott, 1971, p. 38). L'espace transitionnel (Winnicott, op. cit., p. 15) aussi."
    result = cite(doc(body, refs))
    assert [(c.marker, result.references[c.ref_index].year) for c in result.citations] == [
        ("(Winnicott, 1971, p. 38)", 1971), ("(Winnicott, op. cit., p. 15)", 1971)]
