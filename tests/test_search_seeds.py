"""Acceptance of the foundation on the three seed documents: cleaning, ranking, accents, stems, phrases."""

from __future__ import annotations

import pytest

from kb import library
from kb.search import search
from conftest import needs_shared

pytestmark = needs_shared


def _names(result):
    return [h.path.rsplit("/", 1)[-1][:3] for h in result.hits]


def _record(index, prefix):
    return next(r for r in library.records(index) if r.document.path.rsplit("/", 1)[-1].startswith(prefix))


def test_web_page_chrome_is_dropped(seeds_index):
    text = "\n".join(p.text for p in _record(seeds_index, "000").document.passages)
    for chrome in ("top of page", "bottom of page", "Commentaires"):
        assert chrome not in text
    assert "Une recherche impressionnante" in text


def test_repeated_image_captions_are_dropped(seeds_index):
    text = "\n".join(p.text for p in _record(seeds_index, "001").document.passages)
    assert "Elisabeth Spertino thérapeute\n" not in text and text.count("Alliance Thérapeutique - Elisabeth") == 0


def test_double_spaces_are_collapsed(seeds_index):
    passages = _record(seeds_index, "003").document.passages
    assert passages and all("  " not in p.text for p in passages)


def test_hyphenation_is_rejoined(seeds_index):
    text = " ".join(p.text for p in _record(seeds_index, "003").document.passages)
    assert "plusieurs objectifs" in text and "plu- sieurs" not in text


@pytest.mark.parametrize("query, first", [
    ("thérapie en ligne", "000"),
    ("attachement désorganisé", "001"),
    ("douleur chronique hypnose", "003"),
])
def test_ranking(seeds_index, query, first):
    result = search(seeds_index, query)
    assert _names(result)[0] == first


def test_accent_folding_finds_all_three(seeds_index):
    result = search(seeds_index, "therapeutique")
    assert sorted(_names(result)) == ["000", "001", "003"]
    assert result.total == 3


def test_stemming_plural_and_singular(seeds_index):
    assert "003" in _names(search(seeds_index, "alliances thérapeutiques"))
    assert set(_names(search(seeds_index, "rupture"))) >= {"000", "003"}


def test_phrase(seeds_index):
    assert sorted(_names(search(seeds_index, '"lien affectif"', expand=False))) == ["000", "003"]
    # a quoted label also asks for its concept: the documents with the phrase come first
    result = search(seeds_index, '"lien affectif"')
    assert sorted(_names(result)[:2]) == ["000", "003"]
    assert all("bordin.bond" in h.concepts for h in result.hits[2:])


def test_lost_first_letter_still_found(seeds_index):
    # without concept expansion, only the damaged word itself can make 003 match
    result = search(seeds_index, "psychanalytique", expand=False)
    assert _names(result) == ["003"]
    assert "**sychanalytique**" in result.hits[0].snippet


def test_snippet_marks_matched_words(seeds_index):
    hit = search(seeds_index, "attachement désorganisé").hits[0]
    assert "**désorganisé**" in hit.snippet and "**attachement**" in hit.snippet


def test_misspelling_is_corrected(seeds_index):
    result = search(seeds_index, "atachement")
    assert result.corrected == "attachement"
    assert "001" in _names(result)


def test_boolean_operators(seeds_index):
    assert _names(search(seeds_index, "alliance AND NOT rupture")) == ["001"]
    assert set(_names(search(seeds_index, "hypnose OR désorganisé"))) == {"001", "003"}


def test_prefix(seeds_index):
    assert set(_names(search(seeds_index, "psychoth*"))) >= {"000", "001"}


def test_language_filter(seeds_index):
    assert search(seeds_index, "alliance", lang="en").total == 0
    assert search(seeds_index, "alliance", lang="fr").total == 3


def test_stop_words_only_is_an_error(seeds_index):
    from kb.errors import QueryError

    with pytest.raises(QueryError, match="only common words"):
        search(seeds_index, "les")
