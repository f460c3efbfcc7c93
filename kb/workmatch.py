"""Which reference entries name the same study: surname keys, title agreement, and the clustering of
entries by DOI and by first author + year + title (rules 1 and 2 of kb.registry).

Linear in the number of entries: each cluster keeps its DOIs and the distinct folded forms of its
titles, so a study cited by thousands of documents costs one comparison per new spelling of its
title, not one per entry already in the cluster (complete linkage over distinct spellings is the same
test as over entries, since agreement depends on the folded words alone).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from kb.analysis import fold as _fold_text, is_stop, tokenize
from kb.models import Reference

TITLE_MATCH = 90  # token_set_ratio of folded content words; different titles of one author-year score < 70

fold = lru_cache(maxsize=200_000)(_fold_text)  # the same names and titles come back thousands of times

Entry = tuple[str, int, Reference]  # (doc_id, index in the document's reference list, the entry)


_WRITTEN_UMLAUT = re.compile(r"(?<=[^aeiouy])([aou])e(?=[^aeiouy])")


@lru_cache(maxsize=200_000)
def surname_key(name: str) -> str:
    """ "Flückiger, C." / "Fluckiger" / "Flueckiger" / "van der Berg, J." -> "fluckiger" (three times),
    "vanderberg": an umlaut written out ("ue", "oe", "ae" between consonants) is the bare vowel, as folding
    makes "ü"."""
    return _WRITTEN_UMLAUT.sub(r"\1", re.sub(r"[^a-z]", "", fold(name.split(",")[0])))


def meta_surname(name: str) -> str:
    """A metadata author ("Bordin, Edward S." or "Edward S. Bordin") as a surname key."""
    return surname_key(name) if "," in name else surname_key(name.split()[-1] if name.split() else "")


@lru_cache(maxsize=200_000)
def title_words(title: str | None) -> str:
    """A title's folded content words: "The Working Alliance" -> "working alliance"."""
    return " ".join(t.folded for t in tokenize(title or "") if not is_stop(t.folded))


@lru_cache(maxsize=200_000)
def _words_agree(wa: str, wb: str) -> bool:
    if not wa or not wb:
        return False
    score = fuzz.token_set_ratio(wa, wb)
    if min(len(wa.split()), len(wb.split())) < 3:  # a subset of two words proves nothing
        score = min(score, fuzz.ratio(wa, wb))
    return score >= TITLE_MATCH


def titles_agree(a: str | None, b: str | None) -> bool:
    """Whether two printed titles name the same study (one may be truncated or carry a subtitle)."""
    return _words_agree(title_words(a), title_words(b))


@lru_cache(maxsize=200_000)
def accented(s: str) -> int:
    """How many non-ASCII characters s has (the better-spelled of two equal folded forms has more)."""
    return sum(1 for c in s if ord(c) > 127)


def entry_key(ref: Reference) -> tuple[str, int | None]:
    """(first-author surname key, year) of an entry; "" when it names no author."""
    return (surname_key(ref.authors[0]) if ref.authors else "", ref.year)


def majority(keys: Counter) -> tuple[str, int | None]:
    """The most frequent (surname, year) of a group, preferring keys with a name, then with a year
    (a DOI group may hold a garbled entry); on a full tie the first seen."""
    return max(keys, key=lambda k: (keys[k], bool(k[0]), k[1] is not None))


@dataclass
class _Cluster:
    """Entries being merged, with what the merge tests read kept up to date."""

    entries: list[Entry]
    dois: set[str] = field(default_factory=set)
    titled: bool = False  # an entry carrying the bucket's name and year has a title
    words: set[str] = field(default_factory=set)  # title_words of those titles

    def add(self, other: "_Cluster") -> None:
        self.entries.extend(other.entries)
        self.dois |= other.dois
        self.titled = self.titled or other.titled
        self.words |= other.words

    def agrees(self, other: "_Cluster") -> bool:
        if self.dois and other.dois and not self.dois & other.dois:
            return False
        return self.titled and other.titled and all(_words_agree(a, b) for a in self.words for b in other.words)


def _seed(entries: list[Entry], key: tuple[str, int | None]) -> _Cluster:
    """A cluster of entries whose majority key is key; only titles of entries with that key count."""
    titles = [e[2].title for e in entries if e[2].title and entry_key(e[2]) == key]
    return _Cluster(list(entries), {e[2].doi.lower() for e in entries if e[2].doi}, bool(titles),
                    {title_words(t) for t in titles})


def cluster(entries: list[Entry]) -> list[list[Entry]]:
    """Reference entries grouped by rules 1 and 2 (complete linkage: no chaining through a third entry)."""
    by_doi: dict[str, list[Entry]] = {}
    singles: list[list[Entry]] = []
    for e in entries:
        if e[2].doi:
            by_doi.setdefault(e[2].doi.lower(), []).append(e)
        else:
            singles.append([e])
    buckets: dict[tuple, list[_Cluster]] = {}
    for g in list(by_doi.values()) + singles:
        key = majority(Counter(entry_key(e[2]) for e in g))
        buckets.setdefault(key, []).append(_seed(g, key))
    # Merging two groups whose majority key is K keeps K the majority, so a bucket's key stays every
    # member's key and the titles each cluster counts never need recomputing.
    out: list[list[Entry]] = []
    for (sur, year), gs in buckets.items():
        merged: list[_Cluster] = []
        for g in (g for g in gs if g.titled):
            home = next((m for m in merged if m.agrees(g)), None) if sur or year else None
            if home is not None:
                home.add(g)
            else:
                merged.append(g)
        titled = list(merged)
        for g in (g for g in gs if not g.titled):
            if sur and year and len(titled) == 1 and not (titled[0].dois and g.dois):
                titled[0].add(g)  # an entry without a title joins the only titled work of its name and year
                continue
            home = None
            if sur and year and not titled:
                home = next((m for m in merged if not (m.dois and g.dois)), None)
            if home is not None:
                home.add(g)
            else:
                merged.append(g)  # ambiguous, or no name and year to go by: a work of its own
        out.extend(m.entries for m in merged)
    return out
