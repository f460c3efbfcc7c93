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

_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss"}
# Whoosh's accent map keeps the ligatures French writes: "cœur" must meet "coeur" and "Œdipe" "Oedipe", as
# fold() spells them
CHARSET = {**accent_map, **{ord(k): v for k, v in _LIGATURES.items()}}

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
             | CharsetFilter(CHARSET))
    if lang == "fr":
        chain = chain | SubstitutionFilter(r"(?<=\w\w)ees?$", "e") | StemFilter(lang="fr")
    elif lang == "en":
        chain = chain | StemFilter(lang="en")
    return chain


def _index_term(word: str, kind: str) -> str | None:
    """What the analyzer of `kind` makes of one token (None: dropped), as its Whoosh chain does."""
    low = word.lower()
    if kind == "keyword":
        return low.translate(CHARSET)
    if kind == "stub":
        term = re.sub(r"^\w", "", low.translate(CHARSET))
        return term if len(term) >= 4 else None
    if low in ALL_STOP_WORDS:
        return None
    term = low.translate(CHARSET)
    if kind in ("fr", "en"):
        term = stem(term, kind)  # the stemmer StemFilter(lang=kind) runs, after the chain's "ées" rewrite
    return term


def index_terms(text: str, kind: str) -> list[str]:
    """The terms a field's analyzer indexes for text, in order: kind "fr"/"en" (analyzer(lang)), "name"
    (name_analyzer), "stub" (kb.index.stub_analyzer), "keyword" (keyword_analyzer).

    Whoosh indexes such a list as given, so fields are analysed in the worker that read the file, each
    distinct word once (Whoosh's chain runs five generators per token). Positions count the kept
    terms, as the chain renumbers them past stop words; tests/test_analysis_terms.py checks both agree."""
    return terms_of(_TOKEN_RE.findall(text), kind)


_TERMS: dict[str, dict[str, str | None]] = {}  # per kind: each spelling's term, as _index_term gives it
_MAX_TERMS = 400_000


def terms_of(words: list[str], kind: str) -> list[str]:
    """index_terms for words already cut out of a text (one tokenisation serving several fields)."""
    memo = _TERMS.setdefault(kind, {})
    try:  # most words were met before: a dict lookup each, no call
        terms = [memo[w] for w in words]
    except KeyError:
        if len(memo) > _MAX_TERMS:
            memo.clear()
        for w in words:
            if w not in memo:
                memo[w] = _index_term(w, kind)
        terms = [memo[w] for w in words]
    return [t for t in terms if t is not None]


def surface_words(text: str) -> list[str]:
    """The text's words as the index tokenizer cuts them (TOKEN_PATTERN), as written."""
    return _TOKEN_RE.findall(text)


def keyword_analyzer():
    """Folded, unstemmed single words with no stop list: for the vocabulary used by "did you mean"."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(CHARSET)


def name_analyzer():
    """Folded, unstemmed words minus stop words: for author names."""
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | StopFilter(stoplist=ALL_STOP_WORDS, minsize=1)
            | CharsetFilter(CHARSET))


class _FoldTable(dict):
    """A str.translate table from each character to its folded form (compatibility decomposition, combining
    marks dropped, ligatures spelt out), filled as characters are met: a table of the whole of Unicode
    would cost every process start, and texts use a few hundred characters. One translate() per text
    replaces a normalisation of the whole text then a translate (3x faster on French passages)."""

    def __missing__(self, code: int):
        char = chr(code)
        folded = _LIGATURES.get(char) or "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        value = code if folded == char else (folded or None)
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lowercase and strip accents: "Thérapeutique" -> "therapeutique"; "œ" -> "oe"."""
    text = text.lower()
    if text.isascii():  # most English text, and every query word typed without accents
        return text
    return text.translate(_FOLD_TABLE)


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
