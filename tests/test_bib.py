"""Metadata files (Zotero-style BibTeX, RIS, CSL-JSON): reading, matching to documents, exporting."""

import json

import bibtexparser
import pytest
import rispy
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import convert_to_unicode

from kb import bib
from kb.errors import MetadataError
from kb.models import DocRecord, Document, Meta

BIB = r"""% Zotero export
@article{bordin_generalizability_1979,
	title = {The generalizability of the psychoanalytic concept of the working alliance},
	volume = {16},
	doi = {10.1037/H0085885},
	journal = {Psychotherapy: Theory, Research \& Practice},
	author = {Bordin, Edward S.},
	year = {1979},
	pages = {252--260},
	keywords = {alliance, bond},
	file = {Full Text PDF:files/12/Bordin 1979.pdf:application/pdf;Snapshot:files/13/snapshot.html:text/html},
}

@article{fluckiger_alliance_2018,
	title = {The alliance in adult psychotherapy: {A} meta-analytic synthesis},
	author = {Fl{\"u}ckiger, Christoph and Del Re, A. C. and Wampold, Bruce E. and Horvath, Adam O.},
	year = {2018},
	doi = {https://doi.org/10.1037/pst0000172},
	file = {Fl{\"u}ckiger et al. - 2018.pdf:/home/me/Zotero/storage/AB12CD34/meta.pdf:application/pdf},
}

@book{leger_oeuvre_2020,
	title = {L'{\oe}uvre de la relation th{\'e}rapeutique},
	author = {Marc L{\'e}ger},
	date = {2020-05-01},
}
"""

RIS = """TY  - JOUR
TI  - The generalizability of the psychoanalytic concept of the working alliance
AU  - Bordin, Edward S.
T2  - Psychotherapy: Theory, Research & Practice
PY  - 1979
VL  - 16
SP  - 252
EP  - 260
DO  - 10.1037/h0085885
KW  - alliance
L1  - files/12/Bordin 1979.pdf
ER  - 

TY  - JOUR
TI  - Styles d'attachement du patient et construction de l'alliance
AU  - Marchand, Hélène
DA  - 2020///
ER  - 
"""

CSL = [{"id": "http://zotero.org/users/1/items/ABC", "type": "article-journal",
        "title": "The alliance in adult psychotherapy: A meta-analytic synthesis",
        "container-title": "Psychotherapy", "DOI": "10.1037/PST0000172",
        "author": [{"family": "Flückiger", "given": "Christoph"}, {"family": "Del Re", "given": "A. C."}],
        "issued": {"date-parts": [[2018, 12]]}, "page": "316-340"},
       {"id": "who", "type": "report", "title": "Pain report", "author": [{"literal": "World Health Organization"}],
        "issued": {"raw": "2019"}}]


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def document(path="corpus/x.pdf", title=None, doi=None, year=None) -> Document:
    return Document(doc_id="d1", path=path, format="pdf", sha256="", lang="en",
                    meta=Meta(title=title, doi=doi, year=year, source="first-page"), pages=1, passages=())


def test_bibtex_zotero_export_is_read(tmp_path):
    entries = bib.read_metadata(write(tmp_path, "library.bib", BIB))
    assert [e.key for e in entries] == ["bordin_generalizability_1979", "fluckiger_alliance_2018", "leger_oeuvre_2020"]
    bordin, fluck, leger = entries
    assert bordin.title == "The generalizability of the psychoanalytic concept of the working alliance"
    assert bordin.authors == ("Bordin, Edward S.",)
    assert (bordin.year, bordin.doi, bordin.pages) == (1979, "10.1037/h0085885", "252-260")
    assert bordin.container == "Psychotherapy: Theory, Research & Practice"
    assert bordin.files == ("Bordin 1979.pdf", "snapshot.html")
    assert bordin.keywords == ("alliance", "bond")
    assert fluck.title == "The alliance in adult psychotherapy: A meta-analytic synthesis"
    assert fluck.authors[0] == "Flückiger, Christoph" and fluck.authors[1] == "Del Re, A. C."
    assert fluck.doi == "10.1037/pst0000172" and fluck.files == ("meta.pdf",)
    assert (leger.title, leger.authors, leger.year) == ("L'œuvre de la relation thérapeutique", ("Léger, Marc",), 2020)


def test_ris_and_csljson_are_read(tmp_path):
    bordin, marchand = bib.read_metadata(write(tmp_path, "export.ris", RIS))
    assert (bordin.source, bordin.year, bordin.doi, bordin.pages) == ("ris", 1979, "10.1037/h0085885", "252-260")
    assert bordin.files == ("Bordin 1979.pdf",) and bordin.container == "Psychotherapy: Theory, Research & Practice"
    assert (marchand.authors, marchand.year) == (("Marchand, Hélène",), 2020)
    fluck, who = bib.read_metadata(write(tmp_path, "export.json", json.dumps(CSL)))
    assert (fluck.source, fluck.year, fluck.doi, fluck.container) == ("csljson", 2018, "10.1037/pst0000172", "Psychotherapy")
    assert fluck.authors == ("Flückiger, Christoph", "Del Re, A. C.")
    assert (who.authors, who.year) == (("World Health Organization",), 2019)


@pytest.mark.parametrize("text", ['{"name": "kb", "version": 1}', "[]", '[{"query": "x"}]'])
def test_json_that_is_not_csl_is_skipped(tmp_path, text):
    assert bib.read_metadata(write(tmp_path, "other.json", text)) == []


@pytest.mark.parametrize("name,text,where", [
    ("broken.bib", "@article{ok, title={Fine}, year={2001}}\n\n@article{bad,\n  title = {Unbalanced {brace,\n"
                   "  year = 2018\n}\n", "line 3: entry 'bad'"),
    ("broken.ris", "TY  - JOUR\nTI  - First\nER  - \n\nTY  - JOUR\nTI  - No end\n", "line 5"),
    ("notris.ris", "just some notes\n", "no RIS records"),
    ("broken.json", '[{"type": "book",\n "title": }]', "line 2"),
])
def test_malformed_files_name_the_file(tmp_path, name, text, where):
    with pytest.raises(MetadataError) as err:
        bib.read_metadata(write(tmp_path, name, text))
    message = str(err.value)
    assert name in message and where in message and "\n" not in message


def test_match_by_file_doi_and_title(tmp_path):
    entries = bib.read_metadata(write(tmp_path, "library.bib", BIB))
    by_file = bib.match(entries, document(path="/corpus/sub/Bordin 1979.pdf"))
    assert by_file.key == "bordin_generalizability_1979"
    by_doi = bib.match(entries, document(path="/corpus/fluck.pdf", doi="10.1037/PST0000172"))
    assert by_doi.key == "fluckiger_alliance_2018"
    by_title = bib.match(entries, document(path="/c/a.pdf", title="L’oeuvre de la relation thérapeutique"))
    assert by_title.key == "leger_oeuvre_2020"
    assert bib.match(entries, document(path="/c/b.pdf", title="The working alliance in couple therapy")) is None
    # a wrong year is a different work even with the same title
    assert bib.match(entries, document(path="/c/a.pdf", title="L'oeuvre de la relation thérapeutique",
                                       year=2011)) is None


def test_apply_overrides_guesses():
    entry = bib.BibEntry(title="Real title", authors=("Bordin, Edward S.",), year=1979, doi="10.1037/h0085885",
                         source="ris")
    meta = bib.apply(entry, Meta(title="guessed", year=1980, abstract="kept", source="first-page"))
    assert (meta.title, meta.authors, meta.year, meta.doi, meta.abstract, meta.source) == (
        "Real title", ("Bordin, Edward S.",), 1979, "10.1037/h0085885", "kept", "ris")


TRICKY = ["Risk & bias {in} 50% of cases: l'étude de Flückiger", "C++ _under_ #1 ~ $x^2$ \\ back",
          "Œuvre, cœur et âme : la thérapie"]


def test_bibtex_export_round_trips_through_bibtexparser(tmp_path):
    items = [bib.ExportItem(key=bib.cite_key(("Flückiger, C.",), 2018, t), title=t, authors=("Flückiger, C.",),
                            year=2018 + i, container="J. A&B", pages="316–340", kind="article")
             for i, t in enumerate(TRICKY)]
    text = bib.to_bibtex(items)
    raw = bibtexparser.loads(text, parser=BibTexParser(common_strings=True)).entries
    assert [e["ID"] for e in raw] == ["flueckiger2018risk", "flueckiger2018under", "flueckiger2018oeuvre"]
    assert [bib.delatex(e["title"]) for e in raw] == TRICKY
    assert [int(e["year"]) for e in raw] == [2018, 2019, 2020]
    # the stock unicode customization (what most tools use) reads accents and ampersands back unchanged
    parser = BibTexParser(common_strings=True)
    parser.customization = convert_to_unicode
    plain = bib.to_bibtex([bib.ExportItem(key="k", title="Risk & bias: l'étude de Flückiger, 50%", authors=(),
                                          year=2018)])
    assert bibtexparser.loads(plain, parser=parser).entries[0]["title"] == "Risk & bias: l'étude de Flückiger, 50%"
    # and kb reads its own export back
    again = bib.read_metadata(write(tmp_path, "out.bib", text))
    assert [(e.title, e.year, e.pages, e.container) for e in again] == [(t, 2018 + i, "316-340", "J. A&B")
                                                                        for i, t in enumerate(TRICKY)]


def test_keys_are_ascii_and_deduplicated():
    a = bib.ExportItem(key=bib.cite_key(("Léger, M.",), 2020, "L'alliance thérapeutique"), title="x",
                       authors=(), year=2020)
    assert a.key == "leger2020alliance"
    text = bib.to_csljson([a, a, bib.ExportItem(key="other", title=None, authors=(), year=None)])
    assert [d["id"] for d in json.loads(text)] == ["leger2020alliancea", "leger2020allianceb", "other"]
    assert bib.cite_key((), None, None) == "item"


def test_ris_and_csljson_exports_reimport(tmp_path):
    rec = DocRecord(document=Document(
        doc_id="d", path="a.pdf", format="pdf", sha256="", lang="fr", pages=1, passages=(),
        meta=Meta(title="Styles d'attachement & alliance", authors=("Hélène Marchand", "Roy, Julien"), year=2020,
                  doi="10.5555/X", container="Revue")))
    item = bib.item_from_document(rec)
    assert item.authors == ("Marchand, Hélène", "Roy, Julien") and item.kind == "article"
    (r,) = rispy.loads(bib.to_ris([item]))
    assert (r["title"], r["authors"], r["year"], r["doi"]) == (
        "Styles d'attachement & alliance", ["Marchand, Hélène", "Roy, Julien"], "2020", "10.5555/x")
    back = bib.read_metadata(write(tmp_path, "x.json", bib.to_csljson([item])))
    assert [(e.title, e.authors, e.year, e.doi) for e in back] == [
        ("Styles d'attachement & alliance", ("Marchand, Hélène", "Roy, Julien"), 2020, "10.5555/x")]
