"""Exact BM25F scores for word queries (terms joined by AND, OR, NOT), computed from the postings in bulk.

Whoosh evaluates a query by walking a tree of matchers one document at a time in Python: a word is an
OR over six fields, and at 10,000 documents a common word visits thousands of documents through that
tree. Here each term's posting blocks are read whole and the same BM25F formula, with the same
statistics (whoosh.scoring.BM25F: idf and average field length from the whole index, lengths as the
index stores them, weights with the field boost folded in), is summed in dicts. Queries with phrases,
prefixes or ranges inside are scored by Whoosh alone and added in (scores add up through AND and OR,
so the total is the same); only OR with coordination scaling is left wholly to Whoosh (`supports`).
tests/test_search_ranking.py checks the scores equal Whoosh's exhaustive scoring.
"""

from __future__ import annotations

from math import log

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.collectors import ScoredCollector
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, Not, NullQuery, Or, Require, Term
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

_BYTE_LENGTH = [byte_to_length(b) for b in range(256)]


def supports(q, weighting) -> bool:
    """Whether scores(q) reproduces Whoosh exactly: BM25F weighting, and no OR with coordination
    scaling or a minimum match count (kb's any-word fallback) anywhere in q."""
    if not isinstance(weighting, BM25F) or weighting._field_B:
        return False
    return _plain(q)


def _plain(q) -> bool:
    if isinstance(q, Or) and (q.scale or q.minmatch):
        return False
    if isinstance(q, Not):
        return _plain(q.query)
    return all(_plain(sub) for sub in getattr(q, "subqueries", ()))


class _AllScores(ScoredCollector):
    """Every match of a query with its score, nothing skipped."""

    def __init__(self):
        super().__init__(replace=0)
        self.found: dict[int, float] = {}

    def _collect(self, global_docnum, score):
        self.found[global_docnum] = score
        return 0 - score


class Scorer:
    """Scores queries against one open Whoosh searcher; keeps decoded field lengths between queries."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = list(self.reader.leaf_readers())
        self.doc_count = self.reader.doc_count_all()
        w = searcher.weighting
        self.B, self.K1 = w.B, w.K1
        self._lengths: dict[tuple[int, str], list[int]] = {}
        self._deleted = [frozenset(leaf.deleted_docs_set) if leaf.has_deletions() else frozenset()
                         for leaf, _ in self.leaves]

    def scores(self, q) -> dict[int, float]:
        """{docnum: score} for every document q matches (deleted documents left out)."""
        if isinstance(q, Term):
            return self._term(q.fieldname, q.text, q.boost)
        if q is NullQuery:
            return {}
        if isinstance(q, Or):
            out: dict[int, float] = {}
            for sub in q.subqueries:
                if isinstance(sub, Not):  # Whoosh's union with an inverse matcher: rare, keep it exact
                    raise ValueError("NOT inside OR")
                for d, s in self.scores(sub).items():
                    out[d] = out.get(d, 0.0) + s
            return self._boost(out, q.boost)
        if isinstance(q, And):
            positive = [sub for sub in q.subqueries if not isinstance(sub, Not)]
            negative = [sub.query for sub in q.subqueries if isinstance(sub, Not)]
            if not positive:
                raise ValueError("only NOT")
            parts = sorted((self.scores(sub) for sub in positive), key=len)
            out = dict(parts[0])
            for part in parts[1:]:
                out = {d: s + part[d] for d, s in out.items() if d in part}
            for sub in negative:
                # Whoosh intersects with an inverse matcher whose score is 1.0: same order, same scores
                excluded = self.scores(sub)
                out = {d: s + 1.0 for d, s in out.items() if d not in excluded}
            return self._boost(out, q.boost)
        if isinstance(q, AndNot):
            excluded = self.scores(q.b)
            return {d: s for d, s in self.scores(q.a).items() if d not in excluded}
        if isinstance(q, AndMaybe):
            maybe = self.scores(q.b)
            return {d: s + maybe.get(d, 0.0) for d, s in self.scores(q.a).items()}
        if isinstance(q, Require):
            required = self.scores(q.b)
            return {d: s for d, s in self.scores(q.a).items() if d in required}
        collector = _AllScores()  # a phrase, prefix, range...: Whoosh's own matcher, scores added in
        self.searcher.search_with_collector(q, collector)
        return collector.found

    @staticmethod
    def _boost(scores: dict[int, float], boost: float) -> dict[int, float]:
        return scores if boost == 1.0 else {d: s * boost for d, s in scores.items()}

    def _term(self, fieldname: str, text, boost: float) -> dict[int, float]:
        reader, searcher = self.reader, self.searcher
        if (fieldname, text) not in reader:
            return {}
        scorable = searcher.schema[fieldname].scorable
        idf = log(self.doc_count / (reader.doc_frequency(fieldname, text) + 1)) + 1
        avgfl = searcher.avg_field_length(fieldname) or 1
        k1, b = self.K1, self.B
        out: dict[int, float] = {}
        for k, (leaf, offset) in enumerate(self.leaves):
            if (fieldname, text) not in leaf:
                continue
            deleted = self._deleted[k]
            lengths = self._field_lengths(k, leaf, fieldname) if scorable else None
            for ids, weights in _blocks(leaf.postings(fieldname, text)):
                for d, w in zip(ids, weights):
                    if d in deleted:
                        continue
                    if lengths is None:
                        s = w
                    else:
                        s = idf * ((w * (k1 + 1)) / (w + k1 * ((1 - b) + b * lengths[d] / avgfl)))
                    out[offset + d] = s * boost if boost != 1.0 else s
        return out

    def _field_lengths(self, k: int, leaf, fieldname: str) -> list[int]:
        """Each document's length of the field, decoded once per searcher from the W3 codec's byte column."""
        key = (k, fieldname)
        found = self._lengths.get(key)
        if found is None:
            perdoc = getattr(leaf, "_perdoc", None)
            column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN) if perdoc is not None else None
            if column is not None:
                found = [_BYTE_LENGTH[x] if x else 1 for x in column.load()]
            else:
                found = [leaf.doc_field_length(d, fieldname, 1) or 1 for d in range(leaf.doc_count_all())]
            self._lengths[key] = found
        return found


def _blocks(matcher):
    """(ids, weights) per posting block of a term, read whole."""
    if isinstance(matcher, FilterMatcher):  # deletions: the caller skips deleted ids itself
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        while True:
            matcher._read_ids()
            matcher._read_weights()
            yield matcher._ids, matcher._weights
            if matcher._lastblock:
                return
            matcher._next_block()
    else:
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        yield ids, weights
