"""The open index a session of queries reads: one cached Whoosh searcher per index folder, what every
query needs again (filter doc sets, years, field lengths: kept per index generation beside the index),
exact top-N collection and facet counts.
"""

from __future__ import annotations

import heapq
import os
import pickle
from collections import Counter
from operator import itemgetter
from pathlib import Path

from whoosh.collectors import TopCollector

from kb import index as kb_index
from kb import scoring, vocabulary


class Searcher:
    """A Whoosh searcher kept open for the process, with caches of what every query needs again: filter
    doc sets (languages, concepts), years and field lengths by docnum.

    Those caches also persist in the index folder, keyed by the index generation, so a `kb search`
    process does not rebuild them from postings each time (~0.25 s at 10,000 documents)."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self.ix = kb_index.open_index(index_dir)
        self.searcher = self.ix.searcher()
        self._load_warm()

    def _warm_file(self) -> Path:
        return self.index_dir / f"search-{self.searcher.reader().generation()}.cache"

    def _load_warm(self) -> None:
        self.sets: dict[tuple[str, str], frozenset[int]] = {}
        self._lengths: dict = {}
        self._years: list[int | None] | None = None
        self._scorer: scoring.Scorer | None = None
        self._vocab: Counter | None = None
        try:
            warm = pickle.loads(self._warm_file().read_bytes())
            self.sets, self._lengths, self._years = warm["sets"], warm["lengths"], warm["years"]
        except (OSError, pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError, AttributeError):
            pass  # absent or unreadable: rebuilt from the index as queries need it
        self._saved = self._warm_size()

    def vocabulary(self) -> Counter:
        """The "did you mean" word counts (kb.vocabulary), read when a query first needs them."""
        if self._vocab is None:
            self._vocab = vocabulary.load(self.index_dir)[0]
        return self._vocab

    def _warm_size(self) -> tuple[int, int, bool]:
        return len(self.sets), len(self._lengths), self._years is not None

    def save_warm(self) -> None:
        """Writes the caches beside the index when a query added to them (best effort)."""
        if self._warm_size() == self._saved:
            return
        self._saved = self._warm_size()
        target = self._warm_file()
        try:
            for old in self.index_dir.glob("search-*.cache"):
                if old != target:
                    old.unlink(missing_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps({"sets": self.sets, "lengths": self._lengths, "years": self._years},
                                         protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only index still answers, only slower to start

    def docs(self, fieldname: str, value: str) -> frozenset[int]:
        key = (fieldname, value)
        found = self.sets.get(key)
        if found is None:
            if len(self.sets) > 20_000:  # a long-lived process: keep the cache bounded
                self.sets.clear()
            found = self.sets[key] = scoring.doc_ids(self.searcher.reader(), fieldname, value)
        return found

    def years(self) -> list[int | None]:
        """Each document's year by docnum (None when unknown)."""
        if self._years is None:
            years: list[int | None] = []
            # per segment: a multi-segment column reader mis-aligns when a segment has no year at all
            for leaf, _ in self.searcher.reader().leaf_readers():
                count = leaf.doc_count_all()
                if not leaf.has_column("year"):
                    years.extend([None] * count)
                    continue
                column = leaf.column_reader("year")
                # documents without a year read back as the column's default (0 or the largest int)
                years.extend(y if isinstance(y, int) and 1000 < y < 3000 else None
                             for y in (column[d] for d in range(count)))
            self._years = years
        return self._years

    def scorer(self) -> scoring.Scorer:
        if self._scorer is None:
            self._scorer = scoring.Scorer(self.searcher, self._lengths)
        return self._scorer

    def refresh(self) -> None:
        if not self.searcher.up_to_date():
            self.searcher = self.searcher.refresh()
            self._load_warm()


_CACHE: dict[str, Searcher] = {}


def searcher_for(index_dir: Path) -> Searcher:
    """The process's searcher for index_dir, refreshed when the index changed."""
    key = str(Path(index_dir).resolve())
    cached = _CACHE.get(key)
    if cached is None:
        cached = _CACHE[key] = Searcher(Path(index_dir))
    else:
        cached.refresh()
    return cached


def save_caches(index_dir: Path) -> None:
    """Persists what the last queries added to index_dir's searcher caches (no refresh: it just searched)."""
    cached = _CACHE.get(str(Path(index_dir).resolve()))
    if cached is not None:
        cached.save_warm()


def close_all() -> None:
    """Closes cached searchers (before the index is rebuilt, and in tests)."""
    for s in _CACHE.values():
        s.searcher.close()
    _CACHE.clear()


def facets(s: Searcher, matched: frozenset[int] | set[int]) -> dict:
    """Counts of concepts, languages and years over all matching documents."""
    reader = s.searcher.reader()
    out: dict[str, dict] = {"concepts": {}, "lang": {}, "year": {}}
    for fieldname, key in (("concepts", "concepts"), ("lang", "lang")):
        for term in reader.lexicon(fieldname):
            value = term.decode("utf-8") if isinstance(term, bytes) else term
            n = len(matched & s.docs(fieldname, value))
            if n:
                out[key][value] = n
    years = s.years()
    counts = Counter(years[d] for d in matched)
    counts.pop(None, None)
    out["year"] = {str(y): n for y, n in sorted(counts.items())}
    out["concepts"] = dict(sorted(out["concepts"].items(), key=lambda kv: (-kv[1], kv[0])))
    return out


class _Top(TopCollector):
    """Whoosh's top-N collector scoring every match, restricted to the filter's documents (a set test, not
    Whoosh's per-query bitset conversion), recording every match: one pass gives the ranking and the total.

    Whoosh's shortcuts are off: its block-quality skipping and matcher replacement dropped documents
    that belonged in the top 10 on the bench corpus (3 queries in 150), for about 20% of the time."""

    def __init__(self, limit: int, allow: frozenset[int] | None):
        super().__init__(limit=limit, usequality=False, replace=0)
        self.allow = allow

    def collect(self, sub_docnum):
        docnum = self.offset + sub_docnum
        if self.allow is not None and docnum not in self.allow:
            return 0
        self.docset.add(docnum)
        return super().collect(sub_docnum)


def ranked(s: Searcher, q, flt, limit: int) -> tuple[list[tuple[float, int]], frozenset[int]]:
    """The top `limit` (score, docnum) pairs, best first, and every matching document."""
    if flt is not None and not flt:
        return [], frozenset()
    if scoring.supports(q, s.searcher.weighting):
        scores = s.scorer().scores(q, flt)  # phrases then check positions only inside the filter
        if flt is not None:
            scores = {d: v for d, v in scores.items() if d in flt}
        # the best few by raw score, then ties (equal to 6 decimals) ordered by docnum, as below
        best = heapq.nlargest(limit + 10, scores.items(), key=itemgetter(1))
        best.sort(key=lambda kv: (-round(kv[1], 6), kv[0]))
        return [(v, d) for d, v in best[:limit]], frozenset(scores)
    top = _Top(limit, flt)
    s.searcher.search_with_collector(q, top)
    ranked = sorted(((score, -neg) for score, neg in top.items), key=lambda x: (-round(x[0], 6), x[1]))
    return ranked, frozenset(top.docset)
