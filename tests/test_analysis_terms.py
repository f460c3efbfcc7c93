"""The worker-side analysis (kb.analysis.index_terms) indexes exactly the terms of the Whoosh chains."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import index as kb_index
from kb.analysis import analyzer, index_terms, keyword_analyzer, name_analyzer

REPO = Path(__file__).resolve().parents[1]
SAMPLES = [
    "L'alliance thérapeutique prédit 8 % de la variance; les relations associées aux tâches.",
    "The therapeutic alliance predicted outcome (r = .28) in randomized trials, e.g. CBT 3.5 sessions.",
    "Œdipe, cœur et Straße: Çà et là, naïveté — ÉMOTIONS partagées ; sychanalytique",
    "Flückiger, C., Del Re, A. C., Wampold, B. E. & Horvath, A. O.",
    "", "   ", "the of and le la les",
]
CHAINS = {"fr": lambda: analyzer("fr"), "en": lambda: analyzer("en"), "name": name_analyzer,
          "stub": kb_index.stub_analyzer, "keyword": keyword_analyzer}


def _chain(kind: str, text: str) -> list[str]:
    return [t.text for t in CHAINS[kind]()(text, positions=True, mode="index")]


def _corpus_texts() -> list[str]:
    texts = []
    for f in sorted((REPO / "corpus").iterdir()):
        if f.suffix in (".txt", ".md", ".html"):
            texts.append(f.read_text("utf-8", errors="replace")[:20000])
    return texts


@pytest.mark.parametrize("kind", sorted(CHAINS))
def test_same_terms_as_the_whoosh_chain(kind):
    for text in SAMPLES + _corpus_texts():
        assert index_terms(text, kind) == _chain(kind, text), text[:60]


def test_phrase_positions_are_consecutive_past_stop_words():
    chain = [(t.text, t.pos) for t in analyzer("fr")("alliance et de la thérapie", positions=True, mode="index")]
    assert [p for _, p in chain] == [0, 1]  # Whoosh renumbers past stop words, as a list of terms counts
    assert index_terms("alliance et de la thérapie", "fr") == ["allianc", "therap"]


@pytest.mark.parametrize("kind", ["fr", "en", "name", "keyword"])
def test_ligatures_are_spelt_out_as_french_keyboards_type_them(kind):
    # "coeur" must find "cœur", "Oedipe" "Œdipe" (and "Grießhammer" is "Griesshammer", as names fold)
    assert index_terms("cœur Œdipe Grießhammer", kind) == index_terms("coeur Oedipe Griesshammer", kind)
    assert index_terms("Œdipe", kind)[0].startswith("oedip")
