"""Ranking on a multi-segment index equals exhaustive BM25F scoring, and totals count every match."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb import pipeline
from kb import query as kb_query
from kb import search as kb_search
from kb.taxonomy import load

REPO = Path(__file__).resolve().parents[1]
QUERIES = ["alliance", "alliance thérapeutique", "douleur patient", "rupture repair", "lien affectif",
           '"alliance thérapeutique"', "therap*", "empathy OR empathie", "alliance NOT douleur",
           "bond goals tasks", "kinésithérapeute lombalgie", "attachment style therapist"]


@pytest.fixture(scope="module")
def split_index(tmp_path_factory):
    """The demo corpus ingested in three runs, so the index has several segments."""
    root = tmp_path_factory.mktemp("ranking")
    files = sorted(p for p in (REPO / "corpus").iterdir() if p.suffix in (".pdf", ".html", ".txt", ".md"))
    corpus = root / "corpus"
    corpus.mkdir()
    for k in range(3):
        for f in files[k::3]:
            shutil.copy(f, corpus / f.name)
        pipeline.ingest([corpus], root / "index", jobs=1)
    return root / "index"


def test_index_has_several_segments(split_index):
    s = kb_search.searcher_for(split_index)
    assert len(s.searcher.reader().leaf_readers()) > 1


@pytest.mark.parametrize("text", QUERIES)
def test_top_hits_and_total_equal_exhaustive_scoring(split_index, text):
    s = kb_search.searcher_for(split_index)
    matches = kb_query.named_concepts(text, load(None))  # the query exactly as search() builds it
    q = kb_query.build(s.ix.schema, text, matches, () if matches else tuple(kb_query.sense_of(text, load(None))))
    every = s.searcher.search(q, limit=None)  # Whoosh scores every match, no shortcuts
    exhaustive = {s.searcher.stored_fields(h.docnum)["doc_id"]: round(h.score, 4) for h in every}
    best = sorted(exhaustive.values(), reverse=True)[:5]
    result = kb_search.search(split_index, text, limit=5, with_facets=False)
    assert result.total == len(every) > 0
    # the five best scores, each hit with its true score (ties may come in either order); documents with
    # only some of the words follow when fewer than five have them all
    full = [h for h in result.hits if not h.partial]
    assert [h.score for h in full] == pytest.approx(best, abs=1e-3)
    assert all(exhaustive[h.doc_id] == pytest.approx(h.score, abs=1e-3) for h in full)
    assert all(h.doc_id not in exhaustive for h in result.hits[len(full):])


def test_language_filter_counts_only_that_language(split_index):
    everything = kb_search.search(split_index, "alliance", limit=50, with_facets=True)
    french = kb_search.search(split_index, "alliance", limit=50, lang="fr", with_facets=False)
    assert french.total == everything.facets["lang"].get("fr", 0) + everything.facets["lang"].get("mixed", 0)
    assert {h.lang for h in french.hits} <= {"fr", "mixed"}


def test_compiled_taxonomy_cached_per_index_and_rebuilt_when_stale(tmp_path):
    from kb import taxonomy

    user = tmp_path / "taxonomy.toml"
    user.write_text('[[concept]]\nid = "practice.sandplay"\nparent = "practice.body"\n'
                    'label = { fr = "jeu de sable", en = "sandplay therapy" }\n'
                    'definition = "Therapy through figures arranged in a tray of sand."\n', encoding="utf-8")
    first = taxonomy.load_compiled(user, tmp_path)
    cached = list(tmp_path.glob("taxonomy-*.pickle"))
    assert len(cached) == 1 and first.is_known("practice.sandplay")
    assert taxonomy.load_compiled(user, tmp_path).find_labels("sandplay therapy")[0].concept_id == "practice.sandplay"
    cached[0].write_bytes(b"not a pickle")  # damaged: rebuilt, not an error
    assert taxonomy.load_compiled(user, tmp_path).is_known("practice.sandplay")
    user.write_text(user.read_text(encoding="utf-8").replace("sandplay therapy", "sand tray therapy"), encoding="utf-8")
    edited = taxonomy.load_compiled(user, tmp_path)
    assert [m.concept_id for m in edited.find_labels("sand tray therapy")] == ["practice.sandplay"]
    assert edited.find_labels("sandplay therapy") == []
    assert len(list(tmp_path.glob("taxonomy-*.pickle"))) == 1


def test_search_caches_persist_beside_the_index_and_a_damaged_one_is_ignored(split_index):
    first = kb_search.search(split_index, "alliance", limit=3, lang="fr")
    caches = list(split_index.glob("search-*.cache"))
    assert len(caches) == 1
    kb_search.close_all()
    caches[0].write_bytes(b"\x80garbage")
    again = kb_search.search(split_index, "alliance", limit=3, lang="fr")
    assert (again.total, [h.doc_id for h in again.hits], again.facets) == \
        (first.total, [h.doc_id for h in first.hits], first.facets)
    kb_search.close_all()
    warm = kb_search.search(split_index, "alliance", limit=3, lang="fr")  # read back from the rewritten cache
    assert (warm.total, [h.doc_id for h in warm.hits], warm.facets) == \
        (first.total, [h.doc_id for h in first.hits], first.facets)


def test_named_concept_adds_its_tag_not_label_phrases(split_index):
    s = kb_search.searcher_for(split_index)
    matches = kb_query.named_concepts("therapeutic alliance", load(None))
    assert [m.concept_id for m in matches] == ["alliance"]
    q = kb_query.with_concepts(kb_query.parse(s.ix.schema, "therapeutic alliance"), matches)
    assert not [p for p in q.leaves() if hasattr(p, "words")]  # no phrase to check positions of
    words = {(t.fieldname, t.text) for t in q.leaves()}
    assert ("concepts", "alliance") in words
    assert {("body_fr", "therapeutic"), ("body_en", "therapeut"), ("author", "alliance")} <= words  # as typed
    # the user's own logic is taken as written, except a quoted phrase that is a label itself
    assert kb_query.named_concepts('"alliance in physiotherapy"', load(None)) == []
    assert kb_query.named_concepts("alliance AND douleur", load(None)) == []
    assert [m.concept_id for m in kb_query.named_concepts('"therapeutic frame"', load(None))] == ["therapist.frame"]


def test_a_quoted_label_finds_the_concept_in_the_other_language(split_index):
    result = kb_search.search(split_index, '"therapeutic frame"', limit=10, with_facets=False)
    assert any(h.lang == "fr" and "therapist.frame" in h.concepts for h in result.hits)


def test_documents_with_some_of_the_words_follow_those_with_all(split_index):
    result = kb_search.search(split_index, "Bordin zzyzx", limit=10, with_facets=False)
    assert result.hits and all(h.partial for h in result.hits)  # no document has both: all are partial
    assert "no document has all the words; showing documents with some of them" in result.notes
    result = kb_search.search(split_index, "Bordin attachment", limit=10, with_facets=False)
    full = [h for h in result.hits if not h.partial]
    partial = [h for h in result.hits if h.partial]
    assert len(full) == result.total < 10 and partial
    assert result.hits == tuple(full + partial)  # never mixed: all the words first
    assert any("some of the words" in n for n in result.notes)


def test_english_concept_words_find_the_french_document(split_index):
    result = kb_search.search(split_index, "emotional bond", limit=20, with_facets=False)
    french = [h for h in result.hits if h.lang == "fr" and "bordin.bond" in h.concepts]
    assert french, [(h.doc_id, h.lang, h.concepts) for h in result.hits]
    assert any("lien affectif" in label.lower() for h in french for label in h.matched_labels)


def test_cached_term_scores_are_dropped_when_the_index_changes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Sandplay and the working alliance.\n\nThe sandplay tray helps.\n", "utf-8")
    index = tmp_path / "index"
    pipeline.ingest([corpus], index, jobs=1)
    first = kb_search.search(index, "sandplay", with_facets=False)
    assert first.total == 1
    (corpus / "b.txt").write_text("Sandplay therapy with children: a case study.\n", "utf-8")
    pipeline.ingest([corpus], index, jobs=1)
    again = kb_search.search(index, "sandplay", with_facets=False)  # same process, same cached searcher
    assert again.total == 2
    assert {h.path.rsplit("/", 1)[-1] for h in again.hits} == {"a.txt", "b.txt"}
    kb_search.close_all()


def _corpus(tmp_path, texts: dict[str, str]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in texts.items():
        (corpus / name).write_text(text, "utf-8")
    pipeline.ingest([corpus], tmp_path / "index", jobs=1)
    return tmp_path / "index"


def test_a_query_that_is_only_a_concept_name_puts_that_concept_s_documents_first(tmp_path):
    index = _corpus(tmp_path, {
        "email.txt": "Email attachments\n\nEmail attachments above 25 MB bounce: zip the file first, or send "
                     "a link to it. Attachments from strangers carry viruses.",
        "theory.txt": "Notes on psychotherapy\n\nThe patient's attachment style colours the alliance with the "
                      "therapist. An anxious attachment shows in the fear that the therapist will leave, and in "
                      "what the patient expects of each session.",
    })
    result = kb_search.search(index, "attachement", limit=5, with_facets=False)
    # the email page has the word three times, once in its title; the tagger set it aside (email, file)
    assert [Path(h.path).name for h in result.hits] == ["theory.txt", "email.txt"]
    assert "attachment" in result.hits[0].concepts and "attachment" not in result.hits[1].concepts


def test_a_misspelt_word_is_corrected_before_documents_with_some_of_the_words(tmp_path):
    index = _corpus(tmp_path, {
        "rogers.txt": "Rogers on empathy\n\nThe therapist's empathy, accurate and communicated, helps the client.",
        "frame.txt": "The setting\n\nThe therapist keeps the time and place of sessions stable.",
    })
    result = kb_search.search(index, "therapist empahty", limit=5, with_facets=False)
    assert result.corrected == "therapist empathy"
    assert Path(result.hits[0].path).name == "rogers.txt" and not result.hits[0].partial


def test_an_ambiguous_word_alone_ranks_the_documents_in_the_field_s_sense_first(tmp_path):
    index = _corpus(tmp_path, {
        "tendon.txt": "Tendon rupture\n\nAn Achilles tendon rupture needs surgery or a boot; after the rupture, "
                      "rehabilitation restores strength. A second rupture is rare.",
        "alliance.txt": "Une séance difficile\n\nLa patiente se tait, puis annule : une rupture d'alliance que la "
                        "thérapeute reconnaît et répare à la séance suivante.",
    })
    result = kb_search.search(index, "rupture", limit=5, with_facets=False)
    assert [Path(h.path).name for h in result.hits] == ["alliance.txt", "tendon.txt"]
    assert not result.notes  # no label was named: nothing expanded to the other language


def test_a_medical_word_finds_its_cognate_in_the_other_language(tmp_path):
    index = _corpus(tmp_path, {
        "en.txt": "Fear of movement\n\nKinesiophobia, the fear of moving after an injury, predicts disability in "
                  "people with back pain.",
        "fr.txt": "Peur du mouvement\n\nLa kinésiophobie prédit l'incapacité des patients lombalgiques.",
    })
    for text in ("kinésiophobie", "kinesiophobia"):
        assert {Path(h.path).name for h in kb_search.search(index, text, limit=5, with_facets=False).hits} == {
            "en.txt", "fr.txt"}
    # a quoted phrase is taken as written
    assert [Path(h.path).name for h in kb_search.search(index, '"la kinésiophobie"', with_facets=False).hits] == [
        "fr.txt"]
