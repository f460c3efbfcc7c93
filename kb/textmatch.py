"""Analysed words and compiled taxonomy terms, indexed by first word (kb.termscan walks texts with them).

Text becomes Words (folded, stop flags and stems in French and English, sentence number); taxonomy
terms become word patterns indexed by their first word, so matching a passage costs one dict lookup per
word and language instead of a regex per concept. Multi-word terms skip stop words ("rupture de
l'alliance" = "ruptures d'alliance") but never cross punctuation (see _max_gap for stop words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kb.analysis import TOKEN_PATTERN, fold, is_stop, stem, tokenize

LANGS = ("fr", "en")
MAX_LENGTH_GAP = 2
# Between two words of one term: "alliance, outcome" / "rupture. Alliance" / "(TCC) thérapie" break a term;
# dashes, quotes and apostrophes do not ("alliance—résultat", «ruptures» d'alliance).
_HARD_PUNCT = re.compile(r"[,;:.!?()\[\]{}…/+=<>|*&%#@$]|\n\s*\n")
# A sentence ends at . ! ? … or a blank line: "…en ligne. Les patients" -> two sentences.
_SENTENCE_BREAK = re.compile(r"[.!?…]|\n\s*\n")
MIN_STUB = 6  # shorter line-start fragments are too often real words to repair
_fold = lru_cache(maxsize=100_000)(fold)


_TOKEN = re.compile(TOKEN_PATTERN)


@lru_cache(maxsize=100_000)
def _info(text: str, folded: str, stemmed: bool) -> tuple[dict[str, str], dict[str, bool]]:
    lower = text.lower()
    stems = {lang: stem(folded, lang) for lang in LANGS} if stemmed else {lang: folded for lang in LANGS}
    return stems, {lang: is_stop(lower, lang) for lang in LANGS}


class Word:
    """One word of a text with what matching needs; stems and stop flags are per language.

    starts: when analysed with a TermIndex, that index's plans (TermIndex.plans) of the terms whose first
    word this word matches, per language (None otherwise: raw_matches then asks the index)."""

    __slots__ = ("text", "folded", "start", "end", "stem", "stop", "sentence", "starts")

    def __init__(self, text: str, folded: str, start: int, end: int, sentence: int, stemmed: bool = True,
                 info: tuple | None = None):
        self.text, self.folded, self.start, self.end, self.sentence = text, folded, start, end, sentence
        if info is None:
            self.stem, self.stop = _info(text, folded, stemmed)
            self.starts = None
        else:
            self.stem, self.stop, self.starts = info


class _WordSet:
    """Guard context words compiled for speed: exact folded words, their stems, and "*" prefixes."""

    def __init__(self, words: Iterable[str]):
        exact, prefixes = set(), []
        for w in words:
            f = fold(w.strip())
            if f.endswith("*"):
                prefixes.append(re.escape(f[:-1]))
            else:
                exact.add(f)
        self.exact = frozenset(exact)
        self.stems = {lang: frozenset(stem(f, lang) for f in exact) for lang in LANGS}
        self.prefix = re.compile("|".join(sorted(prefixes))) if prefixes else None

    def __bool__(self) -> bool:
        return bool(self.exact) or self.prefix is not None

    def has(self, word: Word) -> bool:
        return (word.folded in self.exact or word.stem["fr"] in self.stems["fr"]
                or word.stem["en"] in self.stems["en"]
                or (self.prefix is not None and self.prefix.match(word.folded) is not None))


@dataclass(frozen=True)
class CompiledGuard:
    near: _WordSet
    not_near: _WordSet
    not_in: tuple[tuple[tuple, ...], ...]
    window: int


@dataclass(frozen=True)
class CompiledTerm:
    """A term as word patterns: ("s", stem, length) | ("p", folded prefix) | ("c", exact surface).

    A stem matches words within MAX_LENGTH_GAP letters of the term's word: "qualitative" and "qualité"
    share the French stem "qualit" but are different words.
    """

    concept: str
    lang: str
    text: str
    words: tuple[tuple, ...]
    gaps: tuple[int, ...]
    strong: bool
    is_label: bool  # a label or synonym (used for query expansion), not a weak-only term
    guards: tuple[CompiledGuard, ...] = ()


def _is_acronym(word: str) -> bool:
    """"TENS", "HAq", "iCBT" (two or more capitals, at least half the letters): matched case-exactly."""
    upper = sum(ch.isupper() for ch in word)
    return upper >= 2 and 2 * upper >= len(word)


def _term_words(text: str, lang: str) -> tuple[tuple[tuple, ...], tuple[int, ...]]:
    """The term's word patterns, and how many stop words the term has between consecutive ones."""
    out: list[tuple] = []
    gaps: list[int] = []
    stops = 0
    for tok in tokenize(text):
        if text[tok.end:tok.end + 1] == "*":
            pattern: tuple = ("p", tok.folded)
        elif _is_acronym(tok.text):
            pattern = ("c", tok.text)
        elif not is_stop(tok.text.lower(), lang):
            pattern = ("s", stem(tok.folded, lang), len(tok.folded))
        else:
            stops += 1
            continue
        if out:
            gaps.append(stops)
        out.append(pattern)
        stops = 0
    if not out:
        raise ValueError(f"term '{text}' has no word that is not a stop word")
    return tuple(out), tuple(gaps)


def _max_gap(term_gap: int) -> int:
    """Stop words allowed in the text where the term has term_gap: "rupture d'alliance" matches
    "rupture de l'alliance", but "pain patients" does not match "pain through patients"."""
    return term_gap + 2 if term_gap else 0


def _phrase(text: str) -> tuple[tuple, ...]:
    words = [("p", t.folded) if text[t.end:t.end + 1] == "*" else ("f", t.folded) for t in tokenize(text)]
    if not words:
        raise ValueError(f"guard phrase '{text}' has no word")
    return tuple(words)


def compile_concept(concept) -> list[CompiledTerm]:
    """The concept's labels, synonyms and weak terms as CompiledTerms; ValueError on a bad term or guard."""
    weak = {lang: {fold(t) for t in concept.weak.get(lang, ())} for lang in LANGS}
    entries: dict[tuple[str, str], tuple[str, str, bool]] = {}
    for lang in LANGS:
        named = [concept.labels[lang], *concept.synonyms.get(lang, ())]
        for text, is_label in [(t, True) for t in named] + [(t, False) for t in concept.weak.get(lang, ())]:
            entries.setdefault((lang, fold(text)), (lang, text, is_label))
    folded_terms = {f for _, f in entries}
    guards_for: dict[str, list[CompiledGuard]] = {}
    for g in concept.guards:
        for t in g.terms:
            if fold(t) not in folded_terms:
                raise ValueError(f"guard names '{t}', which is not one of the concept's terms")
        compiled = CompiledGuard(_WordSet(g.near), _WordSet(g.not_near),
                                 tuple(_phrase(p) for p in g.not_in), g.window)
        for f in ({fold(t) for t in g.terms} or folded_terms):
            guards_for.setdefault(f, []).append(compiled)
    return [CompiledTerm(concept.id, lang, text, *_term_words(text, lang), fold(text) not in weak[lang],
                         is_label, tuple(guards_for.get(f, ())))
            for (_, f), (lang, text, is_label) in entries.items()]


class TermIndex:
    """Compiled terms keyed by their first word pattern, plus what repairs line-start letter losses."""

    def __init__(self, terms: Iterable[CompiledTerm]):
        self.terms = list(terms)
        self.exact: dict[tuple, list[CompiledTerm]] = {}
        self.prefix: dict[tuple[str, str], list[CompiledTerm]] = {}
        self._stems = {lang: set() for lang in LANGS}
        self._prefixes: set[str] = set()
        for t in self.terms:
            kind, value = t.words[0][:2]
            if kind == "p":
                self.prefix.setdefault((t.lang, value), []).append(t)
            else:
                self.exact.setdefault((t.lang, kind, value), []).append(t)
            for kind, value, *_ in t.words:
                if kind == "s":
                    self._stems[t.lang].add(value)
                elif kind == "p":
                    self._prefixes.add(value)
        self.prefix_lengths = sorted({len(v) for _, v in self.prefix})
        # Snowball stems keep a word's first letters, so a word whose first three letters begin no term
        # or guard stem cannot match one: it is not stemmed at all (most of a text's words).
        self.stem_heads = {v[:3] for lang in LANGS for v in self._stems[lang]}
        for t in self.terms:
            for g in t.guards:
                for ws in (g.near, g.not_near):
                    self.stem_heads |= {v[:3] for lang in LANGS for v in ws.stems[lang]}
        self._cache: dict[tuple[str, str, str], list[CompiledTerm]] = {}
        # First letters seen before each 4-letter word body: "sych" -> {"p"} repairs "sychanalytique".
        self._first: dict[str, set[str]] = {}
        for t in self.terms:
            for tok in tokenize(t.text):
                if len(tok.folded) > MIN_STUB:
                    self._first.setdefault(tok.folded[1:5], set()).add(tok.folded[0])

    def _known(self, folded: str) -> bool:
        return (any(stem(folded, lang) in self._stems[lang] for lang in LANGS)
                or any(folded.startswith(p) for p in self._prefixes))

    def repair(self, folded: str) -> str | None:
        """The term word a fragment lost its first letter from ("umaniste" -> "humaniste"), if any."""
        if len(folded) < MIN_STUB or self._known(folded):
            return None
        for letter in sorted(self._first.get(folded[:4], ())):
            if self._known(letter + folded):
                return letter + folded
        return None

    def candidates(self, word: Word, lang: str) -> list[CompiledTerm]:
        key = (lang, word.text, word.folded)
        out = self._cache.get(key)
        if out is None:
            out = self.exact.get((lang, "s", word.stem[lang]), []) + self.exact.get((lang, "c", word.text), [])
            for n in self.prefix_lengths:
                if len(word.folded) >= n:
                    out = out + self.prefix.get((lang, word.folded[:n]), [])
            if len(self._cache) < 200_000:
                self._cache[key] = out
        return out

    def starting(self, word: Word, lang: str) -> list[CompiledTerm]:
        """The candidates of lang whose first word pattern matches word (memoised: most words start none)."""
        key = (lang, word.text, word.folded, word.stem[lang])
        cache = self.__dict__.setdefault("_starting", {})
        out = cache.get(key)
        if out is None:
            out = [t for t in self.candidates(word, lang) if t.lang == lang and _word_matches(t.words[0], word, lang)]
            if len(cache) < 200_000:
                cache[key] = out
        return out

    def plans(self, word: Word, lang: str) -> list[tuple[CompiledTerm, int, tuple]]:
        """starting(word, lang) as (term, word count, (stop words allowed before, kind, value, length)
        per further word: the term's patterns, flat), what raw_matches walks; memoised like starting."""
        key = (lang, word.text, word.folded, word.stem[lang])
        cache = self.__dict__.setdefault("_plans", {})
        out = cache.get(key)
        if out is None:
            out = [(t, len(t.words), tuple((_max_gap(g), w[0], w[1], w[2] if w[0] == "s" else 0)
                                           for g, w in zip(t.gaps, t.words[1:])))
                   for t in self.starting(word, lang)]
            if len(cache) < 200_000:
                cache[key] = out
        return out


def _word_matches(pattern: tuple, word: Word, lang: str) -> bool:
    kind, value = pattern[0], pattern[1]
    if kind == "s":
        return word.stem[lang] == value and abs(len(word.folded) - pattern[2]) <= MAX_LENGTH_GAP
    if kind == "p":
        return word.folded.startswith(value)
    return word.text == value
