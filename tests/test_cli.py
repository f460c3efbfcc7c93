"""End-to-end CLI: the first search builds the index, JSON contracts, show, stats, incremental ingest,
the lock, schema versions and one-line errors."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from kb.cli import app

runner = CliRunner()

FR = ("L'alliance thérapeutique repose sur le lien affectif entre le patient et le thérapeute, "
      "sur l'accord quant aux objectifs et sur les tâches de la thérapie. ") * 4
EN = ("The working alliance combines an emotional bond between client and therapist with agreement on "
      "goals and tasks. Alliance ruptures can be repaired when the therapist invites exploration. ") * 4


def kb(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def corpus(kb_home):
    folder = kb_home / "corpus"
    folder.mkdir()
    (folder / "fr-lien.txt").write_text("Le lien affectif en thérapie\n\n" + FR, encoding="utf-8")
    (folder / "en-ruptures.md").write_text("# Repairing alliance ruptures\n\n" + EN, encoding="utf-8")
    return folder


def test_first_search_builds_the_index(corpus, kb_home):
    result = kb("search", "lien affectif")
    assert result.exit_code == 0, result.output
    assert "Built the index" in result.stderr
    assert "fr-lien.txt" in result.stdout
    assert (kb_home / "index" / "kb.json").exists()


def test_search_json_contract(corpus):
    result = kb("search", "alliance", "--json")
    data = json.loads(result.stdout)
    assert data["query"] == "alliance" and data["total"] == 2
    keys = {"doc_id", "title", "authors", "year", "lang", "path", "score", "page", "snippet", "concepts"}
    assert keys <= set(data["results"][0])
    assert {r["lang"] for r in data["results"]} == {"fr", "en"}
    assert "facets" in data


def test_documents_with_some_of_the_words_are_marked(corpus):
    result = kb("search", "alliance exploration")  # only the English file has both words
    assert result.exit_code == 0, result.output
    assert "1 document matches all the words; showing it, then 1 with some of the words." in result.stdout
    assert result.stdout.index("en-ruptures.md") < result.stdout.index("-- with some of the words --") \
        < result.stdout.index("fr-lien.txt")
    data = json.loads(kb("search", "alliance exploration", "--json").stdout)
    assert [(r["path"].rsplit("/", 1)[-1], r["partial"]) for r in data["results"]] == [
        ("en-ruptures.md", False), ("fr-lien.txt", True)]
    assert data["total"] == 1


def test_limit_and_lang(corpus):
    data = json.loads(kb("search", "alliance", "--json", "--limit", "1").stdout)
    assert len(data["results"]) == 1 and data["total"] == 2
    result = kb("search", "alliance", "--json", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["path"].rsplit("/", 1)[-1] for r in data["results"]] == ["en-ruptures.md"]


def test_show_json_contract(corpus):
    hit = json.loads(kb("search", "ruptures", "--json").stdout)["results"][0]
    result = kb("show", hit["doc_id"][:8], "--json")
    data = json.loads(result.stdout)
    for key in ("doc_id", "title", "authors", "year", "lang", "path", "format", "pages", "passages",
                "concepts", "references", "citations"):
        assert key in data
    assert data["title"] == "Repairing alliance ruptures"
    assert data["format"] == "text" and data["pages"] is None
    assert data["passages"][0]["page"] is None and "emotional bond" in data["passages"][0]["text"]
    by_path = json.loads(kb("show", str(corpus / "en-ruptures.md"), "--json").stdout)
    assert by_path["doc_id"] == hit["doc_id"]


def test_stats(corpus):
    kb("ingest")
    data = json.loads(kb("stats", "--json").stdout)
    assert data["documents"] == 2 and data["by_format"] == {"text": 2}
    assert data["by_lang"] == {"en": 1, "fr": 1} and data["index_bytes"] > 0


def test_reingest_skips_unchanged_and_tracks_changes(corpus):
    first = kb("ingest")
    assert "2 added" in first.stderr and first.exit_code == 0
    again = kb("ingest")
    assert "0 added, 0 updated, 2 unchanged" in again.stderr
    (corpus / "fr-lien.txt").write_text("Le cadre thérapeutique\n\n" + FR + " Le cadre protège.", encoding="utf-8")
    changed = kb("ingest")
    assert "1 updated" in changed.stderr
    assert json.loads(kb("stats", "--json").stdout)["documents"] == 2


def test_an_index_built_by_another_kb_is_reprocessed_by_the_next_ingest(corpus, monkeypatch):
    # an upgraded kb (a fixed reference parser, a new model) must not keep the old kb's citations
    from kb import pipeline

    kb("ingest")
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda: "another-kb")
    again = kb("ingest")
    assert "0 added, 2 updated, 0 unchanged" in again.stderr
    assert "0 added, 0 updated, 2 unchanged" in kb("ingest").stderr


def test_the_code_fingerprint_follows_sources_and_data_not_caches(tmp_path):
    from kb.pipeline import code_fingerprint

    pkg = tmp_path / "pkg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__pycache__").mkdir()
    (pkg / "cite.py").write_text("X = 1\n")
    (pkg / "data" / "model.bin").write_bytes(b"v1")
    first = code_fingerprint.__wrapped__(pkg)
    (pkg / "__pycache__" / "cite.cpython-311.pyc").write_bytes(b"compiled")
    assert code_fingerprint.__wrapped__(pkg) == first
    (pkg / "data" / "model.bin").write_bytes(b"v2")
    second = code_fingerprint.__wrapped__(pkg)
    (pkg / "cite.py").write_text("X = 2\n")
    assert len({first, second, code_fingerprint.__wrapped__(pkg)}) == 3


def test_moved_file_keeps_its_id_and_prune_drops_gone_files(corpus):
    kb("ingest")
    before = json.loads(kb("search", "ruptures", "--json").stdout)["results"][0]
    (corpus / "sub").mkdir()
    shutil.move(corpus / "en-ruptures.md", corpus / "sub" / "renamed.md")
    moved = kb("ingest")
    assert "1 moved" in moved.stderr
    after = json.loads(kb("search", "ruptures", "--json").stdout)["results"][0]
    assert after["doc_id"] == before["doc_id"] and after["path"].endswith("sub/renamed.md")
    (corpus / "fr-lien.txt").unlink()
    kept = kb("ingest")
    assert "--prune" in kept.stderr
    assert json.loads(kb("stats", "--json").stdout)["documents"] == 2
    pruned = kb("ingest", "--prune")
    assert "1 removed" in pruned.stderr
    assert json.loads(kb("stats", "--json").stdout)["documents"] == 1


def test_bad_files_are_reported_and_the_run_goes_on(corpus):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "junk.pdf").write_bytes(os.urandom(2048))
    result = kb("ingest")
    assert result.exit_code == 1
    assert "failed: " in result.stderr and "empty.txt: empty file" in result.stderr
    assert "junk.pdf" in result.stderr and "Traceback" not in result.output
    assert "2 added" in result.stderr


def test_second_ingest_is_refused_while_locked(corpus, kb_home):
    from kb.lock import IndexLock

    kb("ingest")
    with IndexLock(kb_home / "index"):
        result = kb("ingest", "--wait", "0")
    assert result.exit_code == 1
    assert f"index is locked by PID {os.getpid()}" in result.stderr


def test_old_schema_asks_for_reindex(corpus, kb_home):
    kb("ingest")
    meta = kb_home / "index" / "kb.json"
    meta.write_text(json.dumps({"schema": 0}), encoding="utf-8")
    result = kb("search", "alliance")
    assert result.exit_code == 1 and "kb reindex" in result.stderr
    rebuilt = kb("reindex")
    assert rebuilt.exit_code == 0
    assert kb("search", "alliance").exit_code == 0


def test_reindex_keeps_documents_ingested_from_outside_the_corpus_and_names_the_gone(corpus, kb_home, tmp_path):
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    (elsewhere / "empathie.txt").write_text("Empathie du thérapeute\n\n" + FR, encoding="utf-8")
    (elsewhere / "ancien.txt").write_text("Une note ancienne\n\n" + EN.replace("ruptures", "tensions"),
                                          encoding="utf-8")
    assert kb("ingest").exit_code == 0
    assert kb("ingest", elsewhere).exit_code == 0
    (elsewhere / "ancien.txt").unlink()
    result = kb("reindex")
    assert result.exit_code == 0, result.output
    assert f"warning: {elsewhere / 'ancien.txt'}: no longer found; left out of the rebuilt index" in result.stderr
    assert "ingest: 3 added, 0 updated, 0 unchanged, 1 removed, 0 failed" in result.stderr
    paths = {h["path"] for h in json.loads(kb("search", "*", "--json").stdout)["results"]}
    assert str(elsewhere / "empathie.txt") in paths and len(paths) == 3


@pytest.mark.parametrize("args, message", [
    (("search", "alliance", "--lang", "de"), "unknown language"),
    (("show", "zzzz"), "no document 'zzzz'"),
    (("search", "les"), "only common words"),
])
def test_errors_are_one_line(corpus, args, message):
    kb("ingest")
    result = kb(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_no_index_and_no_corpus(kb_home):
    result = kb("search", "alliance")
    assert result.exit_code == 1 and "no corpus folder" in result.stderr


def test_every_command_is_documented():
    for name in ("ingest", "reindex", "search", "show", "stats", "concepts", "cited", "export"):
        result = kb(name, "--help")
        assert result.exit_code == 0 and "Example:" in result.stdout


@pytest.mark.skipif(not (__import__("conftest").SHARED / "data" / "pdfs").exists(), reason="needs ../shared")
def test_every_shared_pdf_is_indexed_or_named_with_a_reason(kb_home):
    from conftest import SHARED

    pdfs = SHARED / "data" / "pdfs"
    result = kb("ingest", pdfs, "--jobs", "2")
    assert "Traceback" not in result.output + result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    from kb.load import is_document

    total = len([f for f in pdfs.rglob("*") if is_document(f)])  # the PDFs and their known-text files
    stats = json.loads(kb("stats", "--json").stdout)
    assert stats["documents"] + len(failed) == total
    reasons = "\n".join(failed)
    assert "password" in reasons and "no text layer" in reasons
    assert all(": " in line.removeprefix("failed: ") for line in failed)
    hit = json.loads(kb("search", "tracing JIT", "--json").stdout)["results"][0]
    assert hit["path"].endswith("tracemonkey-pldi-09.pdf") and isinstance(hit["page"], int)


def test_facets_over_several_segments_with_and_without_years(corpus, monkeypatch):
    from kb import pipeline

    monkeypatch.setattr(pipeline, "BATCH_DOCS", 1)  # one segment per document
    (corpus / "dated.html").write_text('<html><head><meta name="citation_publication_date" content="2019">'
                                       "<title>Alliance en ligne</title></head><body><p>" + FR + "</p></body></html>",
                                       encoding="utf-8")
    kb("ingest")
    data = json.loads(kb("search", "alliance", "--json").stdout)
    assert data["total"] == 3
    assert data["facets"]["year"] == {"2019": 1}


def test_a_pasted_page_that_matches_nothing_is_echoed_short(corpus):
    kb("ingest")
    result = kb("search", "zzqx " * 200)
    assert result.exit_code == 0
    assert result.stdout.strip() == 'No document matches "zzqx zzqx zzqx zzqx zzqx zzqx zzqx zzqx zzqx zzqx zzqx zzqx ' \
                                    'zzqx zzqx zzqx ...".'
