"""kb export round trip, and a Zotero BibTeX export in the corpus setting its documents' metadata."""

from __future__ import annotations

import json

import bibtexparser
from typer.testing import CliRunner

from kb.cli import app

runner = CliRunner()


def kb(*args):
    return runner.invoke(app, [str(a) for a in args])


def _corpus(kb_home):
    corpus = kb_home / "corpus"
    corpus.mkdir()
    (corpus / "note-alliance.txt").write_text(
        "Notes de lecture sur l'alliance\n\n" + "L'alliance thérapeutique et le lien affectif entre patient et "
        "thérapeute prédisent le résultat de la thérapie. " * 4, encoding="utf-8")
    (corpus / "zotero.bib").write_text(
        "@article{dupont2021,\n  title = {L'alliance th{\\'e}rapeutique \\& le lien: une revue},\n"
        "  author = {Dupont, Marie and Lef{\\`e}vre, Anne},\n  year = {2021},\n  doi = {10.5555/KB.2021.7},\n"
        "  journal = {Revue de d{\\'e}monstration},\n"
        "  file = {Full Text:files/3/note-alliance.txt:text/plain}\n}\n", encoding="utf-8")
    return corpus


def test_zotero_bibtex_sets_metadata_and_export_round_trips(kb_home):
    _corpus(kb_home)
    assert kb("ingest").exit_code == 0
    hit = json.loads(kb("search", "lien affectif", "--json").stdout)["results"][0]
    assert hit["title"] == "L'alliance thérapeutique & le lien: une revue"
    assert hit["year"] == 2021 and hit["authors"][0].startswith("Dupont")
    exported = kb("export", "lien affectif", "--format", "bibtex")
    assert exported.exit_code == 0
    entries = bibtexparser.loads(exported.stdout).entries
    assert len(entries) == 1 and entries[0]["year"] == "2021"
    assert "alliance" in entries[0]["title"] and "revue" in entries[0]["title"]


def test_malformed_bibtex_is_named_and_the_rest_goes_on(kb_home):
    corpus = _corpus(kb_home)
    (corpus / "zotero.bib").write_text("@article{x, title = {unclosed\n", encoding="utf-8")
    result = kb("ingest")
    assert result.exit_code == 1 and "zotero.bib" in result.stderr
    assert "1 added" in result.stderr


def test_export_ris_and_csljson(kb_home):
    _corpus(kb_home)
    kb("ingest")
    ris = kb("export", "alliance", "--format", "ris").stdout
    assert "TY  - " in ris and "PY  - 2021" in ris
    csl = json.loads(kb("export", "alliance", "--format", "csljson").stdout)
    assert csl[0]["title"].startswith("L'alliance")
    bad = kb("export", "alliance", "--format", "xml")
    assert bad.exit_code == 1 and "unknown export format" in bad.stderr


def _cited_corpus(kb_home):
    corpus = kb_home / "corpus"
    corpus.mkdir()
    (corpus / "revue.txt").write_text(
        "Revue de lecture sur l'alliance\n\n"
        "L'alliance de travail a été définie par Moreau (1981) puis mesurée par Lambert et Zhou (2004). "
        "Ces deux travaux restent cités dans les formations de thérapeutes depuis des années.\n\n"
        "Références\n\n"
        "Lambert, P., & Zhou, L. (2004). Measuring the working bond: a {short} scale & its limits. "
        "Journal of Invented Studies, 12(3), 45-67. https://doi.org/10.5555/kb.2004.3\n\n"
        "Moreau, A. (1981). L'alliance de travail en thérapie, une définition. Revue imaginaire, 4, 1-20.\n",
        encoding="utf-8")


def test_cited_export_round_trips_the_listed_works(kb_home):
    _cited_corpus(kb_home)
    assert kb("ingest").exit_code == 0
    listed = json.loads(kb("cited", "--json").stdout)["works"]
    assert sorted((w["title"], w["year"]) for w in listed) == [
        ("L'alliance de travail en thérapie, une définition", 1981),
        ("Measuring the working bond: a {short} scale & its limits", 2004)]
    exported = kb("cited", "--export", "bibtex")
    assert exported.exit_code == 0, exported.output
    entries = bibtexparser.loads(exported.stdout).entries
    from kb.bib import delatex

    assert sorted((delatex(e["title"]), int(e["year"])) for e in entries) == sorted(
        (w["title"], w["year"]) for w in listed)
    assert [e.get("doi") for e in entries if e["year"] == "2004"] == ["10.5555/kb.2004.3"]
    # QUERY filters the export exactly as it filters the listing
    one = bibtexparser.loads(kb("cited", "moreau", "--export", "bibtex").stdout).entries
    assert [(e["year"], e["author"]) for e in one] == [("1981", "Moreau, A.")]


def test_cited_export_ris_csljson_and_errors(kb_home):
    _cited_corpus(kb_home)
    kb("ingest")
    ris = kb("cited", "lambert", "--export", "ris").stdout
    assert "PY  - 2004" in ris and "AU  - Lambert, P." in ris and "1981" not in ris
    csl = json.loads(kb("cited", "--export", "csljson").stdout)
    assert sorted(d["issued"]["date-parts"][0][0] for d in csl) == [1981, 2004]
    bad = kb("cited", "--export", "endnote")
    assert bad.exit_code == 1 and "unknown export format 'endnote'" in bad.stderr
    none = kb("cited", "nobody", "--export", "bibtex")
    assert none.exit_code == 1 and "nothing to export" in none.stderr
