"""Text analysis shared by the index and the tagger: tokens, accent folding, stop words, stems.

The Whoosh analyzers built here are pickled into the index, so they are made only of Whoosh's own
classes (stable import paths). The plain functions give the tagger the same folding and stemming
without touching an index.

Order matters (measured, see README): stop words are matched before folding (the lists carry
accents), and accents are folded BEFORE stemming, because the French Snowball stemmer is
accent-sensitive ("efficacité" -> "efficac" but "efficacite" -> "efficacit").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    SubstitutionFilter,
)
from whoosh.lang.snowball import FrenchStemmer, EnglishStemmer  # noqa: F401  (stable import paths)
from whoosh.lang.stopwords import stoplists
from whoosh.support.charset import accent_map

# Words joined by dots or digits stay one token ("e.g", "3.5"); apostrophes split ("l'alliance").
TOKEN_PATTERN = r"\w+(?:\.?\w+)*"
_TOKEN_RE = re.compile(TOKEN_PATTERN)

# Whoosh's French list lacks these common words; elided articles are single letters.
_EXTRA_FR = {"les", "cette", "dont", "ils", "entre", "elles", "ces", "leurs", "aux", "plus", "ainsi",
             "qu", "c", "d", "j", "l", "m", "n", "s", "t", "y", "a", "à", "où", "comme", "être", "fait"}
_EXTRA_EN = {"also", "however", "may", "can", "were", "been", "has", "have", "had", "their", "its"}

STOP_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(stoplists["fr"]) | _EXTRA_FR,
    "en": frozenset(stoplists["en"]) | _EXTRA_EN,
}
# Stop words of either language, for fields and queries that are not language-specific.
ALL_STOP_WORDS = STOP_WORDS["fr"] | STOP_WORDS["en"]

# French plural/feminine past participles: "associées" -> "associe" so they meet "associé".
_FR_EES = r"(?<=\w\w)ées?$"


def analyzer(lang: str):
    """The Whoosh analyzer for a body field: 'fr' or 'en' stem; anything else folds without stemming.

    Both languages drop the stop words of both: queries are bilingual, and a French "en" must not
    become a required English word."""
    chain = (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | StopFilter(stoplist=ALL_STOP_WORDS, minsize=1)
             | CharsetFilter(accent_map))
    if lang == "fr":
        chain = chain | SubstitutionFilter(r"(?<=\w\w)ees?$", "e") | StemFilter(lang="fr")
    elif lang == "en":
        chain = chain | StemFilter(lang="en")
    return chain


def keyword_analyzer():
    """Folded, unstemmed single words with no stop list: for the vocabulary used by "did you mean"."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def name_analyzer():
    """Folded, unstemmed words minus stop words: for author names."""
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | StopFilter(stoplist=ALL_STOP_WORDS, minsize=1)
            | CharsetFilter(accent_map))


class _StripMarks(dict):
    """A str.translate table that deletes combining marks, filled as characters are met (a table of the
    whole of Unicode would cost every process start; texts use a few hundred characters)."""

    def __missing__(self, code: int):
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_STRIP_MARKS = _StripMarks()


def fold(text: str) -> str:
    """Lowercase and strip accents: "Thérapeutique" -> "therapeutique"; "œ" -> "oe"."""
    text = text.lower()
    if text.isascii():  # most English text, and every query word typed without accents
        return text
    text = text.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return unicodedata.normalize("NFKD", text).translate(_STRIP_MARKS)


@lru_cache(maxsize=2)
def _stemmer(lang: str):
    return FrenchStemmer() if lang == "fr" else EnglishStemmer()


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """The stem of a folded word, as the index computes it for that language."""
    if lang == "fr":
        word = re.sub(r"(?<=\w\w)ees?$", "e", word)
        return _stemmer("fr").stem(word)
    if lang == "en":
        return _stemmer("en").stem(word)
    return word


@dataclass(frozen=True)
class Token:
    """A word of a text: as written, folded, and where it stands (character offsets)."""

    text: str
    folded: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Every word of text with its offsets (stop words included: callers decide)."""
    return [Token(m.group(), fold(m.group()), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def is_stop(word: str, lang: str | None = None) -> bool:
    """Whether a lowercased word is a stop word of lang (either language when lang is None)."""
    return word in (STOP_WORDS.get(lang, ALL_STOP_WORDS) if lang else ALL_STOP_WORDS)
