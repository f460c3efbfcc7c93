"""Titles, years and authors a user sees: saved web pages as text, and PDF first pages."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from kb.config import Limits
from kb.load import pdf, pdfmeta, text

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
CORPUS = HERE.parent / "corpus"
SHARED = Path(__file__).resolve().parents[2] / "shared"
PDFS = SHARED / "data" / "pdfs"
SEEDS = SHARED / "fixtures" / "seeds"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared (test data beside the repo)")

PROSE = ("La relation entre le patient et son thérapeute compte davantage que la méthode choisie, et les "
         "études le confirment depuis plusieurs décennies dans tous les contextes de soin.")


def _load_text(tmp_path, body: str, name: str = "page.txt"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return text.load(path, Limits()).meta


# ---- saved web pages as text -------------------------------------------------------------------

def test_site_name_above_a_menu_is_not_the_title(tmp_path):
    meta = _load_text(tmp_path, "top of page\n\nAtelier de thérapie du Parc Fleuri\n\nAccueil\nÉquipe\nTarifs\n"
                                "Blog\nContact\n\nRéparer une rupture d'alliance en séance\n\n" + PROSE + "\n")
    assert meta.title == "Réparer une rupture d'alliance en séance"


def test_title_above_an_author_block_is_kept(tmp_path):
    meta = _load_text(tmp_path, "Alliance et douleur chronique en rééducation\n\nAnne Morel\nUniversité Lyon 2\n"
                                "Lyon, France\n\n" + PROSE + "\n")
    assert meta.title == "Alliance et douleur chronique en rééducation"


def test_line_over_a_byline_wins_and_gives_year_and_author(tmp_path):
    meta = _load_text(tmp_path, "Le blog clinique de la rue Verte\n\nPourquoi parler de la relation en séance\n"
                                "Publié par Anne Morel · 3 mars 2021 · 4 min de lecture\n\n" + PROSE + "\n")
    assert (meta.title, meta.year, meta.authors) == ("Pourquoi parler de la relation en séance", 2021,
                                                     ("Anne Morel",))


def test_title_site_line_names_the_site(tmp_path):
    # The page's <title> saved as its first line, the site name again as a banner further down.
    body = ("Le cadre thérapeutique en pratique | Cabinet Rivière et associés\n\n"
            "Cabinet Rivière et associés\n\nLe cadre thérapeutique en pratique\n\n" + PROSE + "\n")
    assert _load_text(tmp_path, body).title == "Le cadre thérapeutique en pratique"


def test_title_site_line_alone_gives_its_title_part(tmp_path):
    body = ("Cabinet Rivière et associés – Quand le patient annule ses séances\n\n" + PROSE + "\n\n"
            "Cabinet Rivière et associés – Quand le patient annule ses séances\n"
            "Cabinet Rivière et associés\n")
    assert _load_text(tmp_path, body).title == "Quand le patient annule ses séances"


def test_dash_inside_a_title_is_kept(tmp_path):
    body = "Alliance thérapeutique - une revue des mesures\n\n" + PROSE + "\n"
    assert _load_text(tmp_path, body).title == "Alliance thérapeutique - une revue des mesures"


@pytest.mark.parametrize("title", ["Par-delà le cadre : ce que la relation soigne",
                                   "By design or by chance: alliance in group therapy"])
def test_titles_starting_like_a_byline_are_titles(tmp_path, title):
    assert _load_text(tmp_path, title + "\n\n" + PROSE + "\n").title == title


@pytest.mark.parametrize("line, year", [
    ("An essay written for a training day, 2020.", 2020),
    ("Notes de lecture du groupe de kinésithérapie (mars 2023)", 2023),
    ("Posted on March 3, 2019 by the editors", 2019),
    ("Bordin proposed his model in 1979.", None),          # a year in prose dates nothing
    ("Notes on Bordin (1979) and Horvath (1989)", None),   # cited years
])
def test_year_from_the_line_under_the_title(tmp_path, line, year):
    meta = _load_text(tmp_path, "The working alliance in daily practice\n\n" + line + "\n\n" + PROSE + "\n")
    assert meta.title == "The working alliance in daily practice"
    assert meta.year == year


def test_demo_blog_page_title_year_author():
    meta = text.load(CORPUS / "fr-blog-lien-affectif.txt", Limits()).meta
    assert meta.title.startswith("Le lien affectif avec son psy")
    assert (meta.year, meta.authors) == (2022, ("Julie Mercier",))


def _key(s: str) -> str:
    return " ".join(re.sub(r"\W+", " ", s.lower()).split())


@needs_shared
@pytest.mark.parametrize("name", ["000_1e418215791842ff.txt", "001_fede0bb883ea2c8f.txt"])
def test_seed_web_pages_get_their_headline(name):
    """The headline is a line of the page above its first paragraph, not the site name (a part of the
    "Title - Site" captions the page repeats, or the short line opening the page)."""
    path = SEEDS / name
    title = text.load(path, Limits()).meta.title
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
    assert title in lines
    first_prose = next(i for i, ln in enumerate(lines) if len(ln.split()) >= 20)
    assert lines.index(title) < first_prose
    sites = {_key(part) for ln in lines if " - " in ln and lines.count(ln) >= 2 for part in ln.split(" - ")}
    assert _key(title) not in sites and len(title.split()) >= 4


@needs_shared
def test_seed_pdf_text_without_a_title_gets_none():
    # Text copied out of a PDF that starts at its abstract: nothing there is a title.
    assert text.load(SEEDS / "003_7b913f1790838dcf.txt", Limits()).meta.title is None


# ---- PDF first pages -------------------------------------------------------------------------

@pytest.mark.parametrize("lines, year", [
    (["Psychotherapy 2018; 55(4): 316-340", "The alliance in adult psychotherapy", "Abstract"], 2018),
    (["Pain 160 (2019) 12-20", "Title of a pain article", "Abstract"], 2019),
    (["Z. Naturforsch. 54 a, 272-273 (1999); received December 15, 1998", "Abstract"], 1999),
    (["Revue de psychologie clinique appliquée, 2020", "Un titre", "Résumé", "Selon Bordin (1979), ..."], 2020),
    (["A title", "Abstract", "Text (Bordin, 1979; Horvath et al., 1991).", "© 2017 Elsevier Masson SAS."], 2017),
    (["A title", "Received 12 May 2017; accepted 3 January 2018", "Abstract"], 2018),
    (["A title", "Received 12 May 2017", "Abstract", "Bordin (1979) said so."], None),
    (["A title", "Published online: 12 March 2021", "Abstract"], 2021),
    (["Un titre", "Résumé", "Texte.", "Disponible en ligne sur ScienceDirect le 3 mars 2019"], 2019),
    (["Psycho-Oncologie (2019) 13:12-20", "Un titre", "Résumé", "Selon Bordin (1979), ..."], 2019),
    (["Psychotherapy Research, 2019, Vol. 29, No. 3, 275-289", "A title", "Abstract"], 2019),
    (["A title", "Received: 5 May 2018 / Accepted: 3 Jan 2019 / Published online: 26 Feb 2019"], 2019),
    (["A title", "© The Author(s) 2020", "Abstract"], 2020),
    (["Four decades of alliance research, 1979-2019", "Abstract"], None),  # a range is not a date
    (["A title", "https://doi.org/10.1037/pst0000172.2019", "Abstract"], None),
    (["A title", "Abstract", "Since 2010 we have studied this."], None),
])
def test_publication_year_from_first_page_lines(lines, year):
    assert pdfmeta.publication_year(lines, lines[0], {}, has_title=False) == year


def test_creation_date_is_a_weak_fallback():
    lines = ["A title", "Abstract", "Body (Bordin, 1979)."]
    assert pdfmeta.publication_year(lines, "A title", {"creationdate": "D:20150604133406-06'00'"},
                                    has_title=True) == 2015
    assert pdfmeta.publication_year(lines, "A title", {"creationdate": "D:20150604133406-06'00'"},
                                    has_title=False) is None
    # reportlab's invariant date, Jan 1st at midnight: a placeholder, not a date
    assert pdfmeta.publication_year(lines, "A title", {"creationdate": "D:20000101000000+00'00'"},
                                    has_title=True) is None
    # a year the page shows wins over the file's date
    assert pdfmeta.publication_year(["A title", "© 2009 ACM"] + lines[1:], "A title",
                                    {"creationdate": "D:20150604133406-06'00'"}, has_title=True) == 2009


def test_side_by_side_authors_and_long_author_lists():
    Frag = pdf.Frag
    frags = [Frag(100, 700, 16, "A study of the working alliance"),
             Frag(100, 670, 11, "Anne Morel"), Frag(350, 670, 11, "Paul Girard"),
             Frag(100, 655, 11, "Lise Caron, Marc Petit"),
             Frag(100, 640, 9, "Institut de psychologie, Lyon"),
             Frag(100, 600, 10, "Body text " * 8)]
    title, authors = pdfmeta._title_authors(frags)
    assert title == "A study of the working alliance"
    assert authors == ("Anne Morel", "Paul Girard", "Lise Caron", "Marc Petit")


@pytest.mark.parametrize("line, names", [
    ("Joseph Futoma, Sanjay Hariharan JDF38,SH360@DUKE.EDU", ("Joseph Futoma", "Sanjay Hariharan")),
    ("Andreas Gal∗+, Mason Chang+#", ("Andreas Gal", "Mason Chang")),
    ("Microsoft Research, Redmond", ()),
])
def test_split_authors(line, names):
    assert pdfmeta.split_authors(line) == names


def _generated(tmp_path, abstract: str, header: str | None):
    """A two-column French article without PDF metadata: what kb knows comes from its first page."""
    pytest.importorskip("reportlab")
    from pdfgen import Article, Section, make_article_pdf

    article = Article(title="Alliance et douleur chronique : une revue narrative",
                      authors=["Anne Morel", "Paul Girard"],
                      abstract=abstract, sections=[Section("Introduction", [PROSE * 3, PROSE * 2])],
                      references=["Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of "
                                  "the working alliance. Psychotherapy, 16(3), 252-260."],
                      lang="fr")
    path = tmp_path / "a.pdf"
    make_article_pdf(path, article, columns=2, running_header=header, set_info=False)
    return pdf.load(path, Limits()).meta


def test_generated_pdf_year_from_running_header_not_citations(tmp_path):
    meta = _generated(tmp_path, "Selon Bordin (1979) et (Horvath, 1991), l'alliance compte.",
                      "Revue X · 2021 · vol. 3")
    assert (meta.title, meta.year) == ("Alliance et douleur chronique : une revue narrative", 2021)
    assert meta.authors == ("Anne Morel", "Paul Girard")


def test_generated_pdf_copyright_beats_received(tmp_path):
    meta = _generated(tmp_path, "Reçu le 2 mai 2016 ; accepté le 4 janvier 2017. © 2017 Éditions Test. "
                                "Tous droits réservés. Selon Bordin (1979), l'alliance compte.", None)
    assert meta.year == 2017


def test_generated_pdf_without_a_visible_year_has_none(tmp_path):
    meta = _generated(tmp_path, "Selon Bordin (1979), l'alliance compte.", None)
    assert meta.title.startswith("Alliance et douleur chronique") and meta.year is None


def _demo_truth() -> dict[str, tuple[str, int]]:
    """Title and year of each demo PDF, from the article sources they are built from."""
    out = {}
    for src in sorted((HERE / "demo_sources").glob("*.txt")):
        head = src.read_text(encoding="utf-8").split("\n==\n", 1)[0]
        fields = dict(ln.split(":", 1) for ln in head.splitlines() if ":" in ln)
        out[src.stem + ".pdf"] = (fields["title"].strip(), int(fields["year"]))
    return out


@pytest.mark.parametrize("name, expected", sorted(_demo_truth().items()))
def test_demo_pdfs_title_and_year(name, expected):
    meta = pdf.load(CORPUS / name, Limits()).meta
    assert (meta.title, meta.year) == expected


@needs_shared
@pytest.mark.parametrize("path, year", [
    ("grobid-tests/ZFN-A-054-0304-0272.pdf", 1999),          # journal line, not "received ... 1998"
    ("science-parse-tests/P07-1088.pdf", 2007),              # c©2007 ACL
    ("grobid-tests/compressed.tracemonkey-pldi-09.pdf", 2009),
    ("unstructured-example-docs/multi-column-2p.pdf", 2020),  # no year on the page: creation date
    ("pdfminer-samples/naacl06-shinyama.pdf", 2006),         # only cited years on the page
])
def test_shared_pdf_years(path, year):
    assert pdf.load(PDFS / path, Limits()).meta.year == year


@needs_shared
def test_shared_pdf_authors_side_by_side():
    meta = pdf.load(PDFS / "science-parse-tests" / "bunescu-acl07.pdf", Limits()).meta
    assert len(meta.authors) == 2 and all(len(a.split()) == 3 for a in meta.authors)

