"""The "did you mean" vocabulary beside the index: counted per document, kept in step with the index
through updates, deletions and crashes, and the nearest word chosen as Whoosh's corrector chose it."""

from __future__ import annotations

import json
from collections import Counter

from kb import pipeline, vocabulary
from kb.search import search


def _write(folder, name, text):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def _counts(ix):
    return json.loads((ix / vocabulary.FILE).read_text("utf-8"))["counts"]


def test_counts_follow_adds_changes_and_prunes(tmp_path):
    corpus, ix = tmp_path / "c", tmp_path / "ix"
    _write(corpus, "a.txt", "Thérapeutique alliance and kinésithérapie.")
    _write(corpus, "b.txt", "Alliance thérapeutique en physiothérapie.")
    pipeline.ingest([corpus], ix, jobs=1)
    counts = _counts(ix)
    assert counts["alliance"] == 2 and counts["therapeutique"] == 2
    assert counts["kinesitherapie"] == 1 and counts["physiotherapie"] == 1
    assert "en" not in counts and counts["and"] == 1  # two letters or fewer: not words to suggest

    _write(corpus, "b.txt", "Alliance thérapeutique et ergothérapie.")  # changed: a new id, the old one goes
    pipeline.ingest([corpus], ix, jobs=1)
    counts = _counts(ix)
    assert "physiotherapie" not in counts and counts["ergotherapie"] == 1 and counts["alliance"] == 2

    (corpus / "a.txt").unlink()
    pipeline.ingest([corpus], ix, jobs=1, prune=True)
    counts = _counts(ix)
    assert "kinesitherapie" not in counts and counts["alliance"] == 1


def test_a_vocabulary_left_behind_by_a_crash_is_rebuilt(tmp_path):
    corpus, ix = tmp_path / "c", tmp_path / "ix"
    _write(corpus, "a.txt", "Rupture et réparation de l'alliance.")
    pipeline.ingest([corpus], ix, jobs=1)
    # as if killed between the index's commit and the vocabulary's: an older generation, wrong counts
    data = json.loads((ix / vocabulary.FILE).read_text("utf-8"))
    (ix / vocabulary.FILE).write_text(json.dumps({**data, "generation": data["generation"] - 1,
                                                  "counts": {"bogus": 7}}), "utf-8")
    _write(corpus, "b.txt", "Empathie du thérapeute.")
    pipeline.ingest([corpus], ix, jobs=1)
    counts = _counts(ix)
    assert "bogus" not in counts
    assert counts["reparation"] == 1 and counts["empathie"] == 1


def test_search_suggests_from_the_vocabulary(tmp_path):
    corpus, ix = tmp_path / "c", tmp_path / "ix"
    _write(corpus, "a.txt", "L'attachement sécure du patient.")
    pipeline.ingest([corpus], ix, jobs=1)
    result = search(ix, "atachement")
    assert result.corrected == "attachement"


def test_nearest_prefers_the_word_more_documents_have():
    counts = Counter({"alliance": 5, "allianz": 1, "balliance": 9, "alliancf": 5})
    assert vocabulary.nearest(counts, "aliance", maxdist=1) == "alliance"  # "balliance": another first letter
    assert vocabulary.nearest(counts, "alliancx", maxdist=1) == "alliance"  # tied with "alliancf": alphabetical
    assert vocabulary.nearest(counts, "alliang", maxdist=1) == "allianz"  # the only one within one edit
    assert vocabulary.nearest(counts, "zzz", maxdist=2) is None
    assert vocabulary.nearest(Counter({"rupture": 3}), "rapturous", maxdist=2) is None  # three edits away


def test_a_new_index_starts_without_the_old_words(tmp_path):
    from kb import index as kb_index

    corpus, ix = tmp_path / "c", tmp_path / "ix"
    _write(corpus, "a.txt", "Douleur chronique et alliance.")
    pipeline.ingest([corpus], ix, jobs=1)
    assert "douleur" in _counts(ix)
    kb_index.create_index(ix)  # as `kb reindex` does before ingesting again
    assert not (ix / vocabulary.FILE).exists()
