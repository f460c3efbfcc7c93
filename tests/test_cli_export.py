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
