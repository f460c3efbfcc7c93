"""Which words French and English have: a dictionary for the one repair a document's own words cannot decide.

A PDF's letter-spaced text is sometimes cut inside words by pypdf ("that pro duced the b est
prediction"). Where the document also writes the whole word, normalize rejoins it on that evidence; where
it does not, only a dictionary can tell that "duced" is no word and "produced" is one. The dictionaries
are pyspellchecker's word-frequency lists (~0.1 s to load each), loaded on first use: normalize asks only
for documents that already showed such cuts, so most ingests never load them.
"""

from __future__ import annotations

from functools import cache

# Letters that are words on their own; every other single letter is a piece of a word ("b est").
_LETTER_WORDS = {"en": frozenset("ai"), "fr": frozenset("aày")}


@cache
def _words(lang: str) -> frozenset[str]:
    from spellchecker import SpellChecker  # imported here: most runs never need it

    return frozenset(SpellChecker(language=lang, distance=1).word_frequency.dictionary)


def is_word(word: str, lang: str) -> bool:
    """Whether the lowercased word is a word of the language ('en' or 'fr'); single letters only if they
    are words by themselves ("a", "à")."""
    if len(word) == 1:
        return word in _LETTER_WORDS[lang]
    return word in _words(lang)
