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

from array import array
from collections import OrderedDict
from itertools import accumulate
from math import log
from pickle import loads

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.collectors import ScoredCollector
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, Not, NullQuery, Or, Phrase, Require, Term
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

_BYTE_LENGTH = [byte_to_length(b) for b in range(256)]

# Postings kept decoded and scored between queries (entries = documents over all cached terms): a common
# word's scores over 10,000 documents cost 5-10 ms to decode and compute, and common words are the ones
# queried again. About 60 MB at the bound; the scorer (and its cache) is dropped when the index changes.
TERM_CACHE_ENTRIES = 600_000


def supports(q, weighting) -> bool:
    """Whether scores(q) reproduces Whoosh exactly: BM25F weighting, and no OR with coordination
    scaling or a minimum match count (kb's any-word fallback) anywhere in q."""
    if not isinstance(weighting, BM25F) or weighting._field_B:
        return False
    return _plain(q)


def _plain(q) -> bool:
    if isinstance(q, Or) and (q.scale or q.minmatch or any(isinstance(sub, Not) for sub in q.subqueries)):
        return False
    if isinstance(q, And) and all(isinstance(sub, Not) for sub in q.subqueries):
        return False
    if isinstance(q, Not):
        return _plain(q.query)
    return all(_plain(sub) for sub in getattr(q, "subqueries", ()))


def _has_phrase(q) -> bool:
    return isinstance(q, Phrase) or any(_has_phrase(sub) for sub in getattr(q, "subqueries", ()))


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

    def __init__(self, searcher, lengths: dict | None = None):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = list(self.reader.leaf_readers())
        self.doc_count = self.reader.doc_count_all()
        w = searcher.weighting
        self.B, self.K1 = w.B, w.K1
        # decoded field lengths by (segment number, field): the caller may keep them across processes
        self._lengths: dict[tuple[int, str], array] = {} if lengths is None else lengths
        self._deleted = [frozenset(leaf.deleted_docs_set) if leaf.has_deletions() else frozenset()
                         for leaf, _ in self.leaves]
        self._norms: dict[tuple[int, str], list[float]] = {}
        self._terms: OrderedDict[object, dict[int, float]] = OrderedDict()  # by (field, term) or word query
        self._cached_entries = 0

    def scores(self, q, within: set[int] | dict | None = None) -> dict[int, float]:
        """{docnum: score} for every document q matches (deleted documents left out); with `within`,
        only those of its documents (phrases then check positions in fewer documents)."""
        if isinstance(q, Term):
            return self._term(q.fieldname, q.text, q.boost)
        if q is NullQuery:
            return {}
        if isinstance(q, Or):
            if all(type(sub) is Term for sub in q.subqueries):
                # a word over kb's six fields: its sum is kept with the terms' scores
                return self._cached(q, lambda: self._sum([self._term(t.fieldname, t.text, t.boost)
                                                          for t in q.subqueries], q.boost))
            return self._sum([self.scores(sub, within) for sub in q.subqueries], q.boost)
        if isinstance(q, And):
            # words first, phrases last: a phrase only checks the documents that have every other word
            positive = sorted((sub for sub in q.subqueries if not isinstance(sub, Not)), key=_has_phrase)
            out = None
            for sub in positive:
                part = self.scores(sub, within if out is None else out)
                out = dict(part) if out is None else {d: s + part[d] for d, s in out.items() if d in part}
            for sub in q.subqueries:
                if isinstance(sub, Not):
                    # Whoosh intersects with an inverse matcher whose score is 1.0: same order, same scores
                    excluded = self.scores(sub.query, out)
                    out = {d: s + 1.0 for d, s in out.items() if d not in excluded}
            return self._boost(out, q.boost)
        if isinstance(q, AndNot):
            kept = self.scores(q.a, within)
            excluded = self.scores(q.b, kept)
            return {d: s for d, s in kept.items() if d not in excluded}
        if isinstance(q, AndMaybe):
            kept = self.scores(q.a, within)
            maybe = self.scores(q.b, kept)
            return {d: s + maybe.get(d, 0.0) for d, s in kept.items()}
        if isinstance(q, Require):
            kept = self.scores(q.a, within)
            required = self.scores(q.b, kept)
            return {d: s for d, s in kept.items() if d in required}
        if isinstance(q, Phrase) and q.slop == 1 and len(set(q.words)) == len(q.words) > 1:
            return self._phrase(q, within)
        collector = _AllScores()  # a prefix, range...: Whoosh's own matcher, scores added in
        self.searcher.search_with_collector(q, collector)
        return collector.found

    @staticmethod
    def _sum(parts: list[dict[int, float]], boost: float) -> dict[int, float]:
        parts = sorted((p for p in parts if p), key=len, reverse=True)
        if not parts:
            return {}
        out = dict(parts[0])  # the largest copied in C, the others added to it
        get = out.get
        for part in parts[1:]:
            for d, s in part.items():
                out[d] = get(d, 0.0) + s
        return Scorer._boost(out, boost)

    @staticmethod
    def _boost(scores: dict[int, float], boost: float) -> dict[int, float]:
        return scores if boost == 1.0 else {d: s * boost for d, s in scores.items()}

    def _term(self, fieldname: str, text, boost: float) -> dict[int, float]:
        """{docnum: score} of one term; the dict may be the cached one: callers never modify it."""
        found = self._cached((fieldname, text), lambda: self._term_scores(fieldname, text))
        return found if boost == 1.0 else {d: s * boost for d, s in found.items()}

    def _cached(self, key, compute) -> dict[int, float]:
        """compute()'s scores, kept (least recently used first out) up to TERM_CACHE_ENTRIES in all."""
        found = self._terms.get(key)
        if found is not None:
            self._terms.move_to_end(key)
            return found
        found = self._terms[key] = compute()
        self._cached_entries += len(found)
        while self._cached_entries > TERM_CACHE_ENTRIES and len(self._terms) > 1:
            _, dropped = self._terms.popitem(last=False)
            self._cached_entries -= len(dropped)
        return found

    def _term_scores(self, fieldname: str, text) -> dict[int, float]:
        reader, searcher = self.reader, self.searcher
        if (fieldname, text) not in reader:
            return {}
        scorable = searcher.schema[fieldname].scorable
        idf = log(self.doc_count / (reader.doc_frequency(fieldname, text) + 1)) + 1
        # idf * w * (k1 + 1) / (w + k1 * (1 - b + b * length / avgfl)): the length part is per document
        # and per field, computed once per searcher (_norms)
        factor = idf * (self.K1 + 1)
        out: dict[int, float] = {}
        for k, (leaf, offset) in enumerate(self.leaves):
            if (fieldname, text) not in leaf:
                continue
            deleted = self._deleted[k]
            norms = self._field_norms(k, leaf, fieldname) if scorable else None
            for ids, weights in _blocks(leaf.postings(fieldname, text)):
                if norms is None:
                    scores = list(weights)
                else:
                    scores = [factor * w / (w + norms[d]) for d, w in zip(ids, weights)]
                if deleted:
                    pairs = [(offset + d, v) for d, v in zip(ids, scores) if d not in deleted]
                    out.update(pairs)
                elif offset:
                    out.update(zip([offset + d for d in ids], scores))
                else:
                    out.update(zip(ids, scores))
        return out

    def _field_norms(self, k: int, leaf, fieldname: str) -> list[float]:
        key = (k, fieldname)
        found = self._norms.get(key)
        if found is None:
            k1, b = self.K1, self.B
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            found = self._norms[key] = [k1 * ((1 - b) + b * n / avgfl)
                                        for n in self._field_lengths(k, leaf, fieldname)]
        return found

    def _phrase(self, q: Phrase, within=None) -> dict[int, float]:
        """Documents with the words next to each other in order; score as Whoosh's SpanNear2 gives it:
        the sum of the words' term scores (positions as the index stores them, stop words removed)."""
        fieldname = q.fieldname
        per_word = [self._term(fieldname, w, 1.0) for w in q.words]
        candidates = set(min(per_word, key=len))
        if within is not None:
            candidates.intersection_update(within)
        for scores in per_word:
            candidates.intersection_update(scores)
            if not candidates:
                return {}
        positions = [self._positions(fieldname, w, candidates) for w in q.words]
        out: dict[int, float] = {}
        for d in candidates:
            starts = positions[0][d]
            for i in range(1, len(q.words)):  # starts whose i-th next word is the phrase's i-th word
                starts = starts.intersection([p - i for p in positions[i][d]])
                if not starts:
                    break
            if starts:
                out[d] = sum(scores[d] for scores in per_word) * q.boost
        return out

    def _positions(self, fieldname: str, text, docs: set[int]) -> dict[int, set[int]]:
        fmt = self.searcher.schema[fieldname].format
        # whoosh.formats.Positions keeps a 4-byte weight then a pickled list of position gaps; the lists of
        # a block's wanted documents are joined into one pickled list of lists and read by one loads():
        # a phrase over thousands of documents called loads() once per document (a third of its time)
        inline = type(fmt) is Positions
        out: dict[int, set[int]] = {}
        for leaf, offset in self.leaves:
            if (fieldname, text) not in leaf:
                continue
            for ids, values in _blocks(leaf.postings(fieldname, text), values=True):
                picked = [(offset + d, v) for d, v in zip(ids, values) if offset + d in docs]
                if not picked:
                    continue
                if inline:
                    lists = loads(b"\x80\x02](" + b"".join(_pickle_body(v) for _, v in picked) + b"e.")
                    for (d, _), gaps in zip(picked, lists):
                        out[d] = set(accumulate(gaps))
                else:
                    for d, v in picked:
                        out[d] = set(fmt.decode_positions(v))
        return out

    def _field_lengths(self, k: int, leaf, fieldname: str) -> array:
        """Each document's length of the field, decoded once per searcher from the W3 codec's byte column."""
        key = (k, fieldname)
        found = self._lengths.get(key)
        if found is None:
            perdoc = getattr(leaf, "_perdoc", None)
            column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN) if perdoc is not None else None
            # an array, not a list: the search cache beside the index unpickles it as one block of bytes
            if column is not None:
                found = array("I", [_BYTE_LENGTH[x] if x else 1 for x in column.load()])
            else:
                found = array("I", [leaf.doc_field_length(d, fieldname, 1) or 1 for d in range(leaf.doc_count_all())])
            self._lengths[key] = found
        return found


def _pickle_body(value: bytes) -> bytes:
    """The opcodes that build a Positions value's list (b"]q\x00(K\x01K\x02e" for [1, 2]): its 4-byte
    weight, protocol header and stop stripped. A list's last opcode is APPEND or APPENDS, never STOP."""
    body = value[4:]
    if body.startswith(b"\x80\x02"):
        body = body[2:]
    return body[:-1] if body.endswith(b".") else body


def doc_ids(reader, fieldname: str, text) -> frozenset[int]:
    """The documents whose field holds the term (deleted ones left out), read block by block."""
    out: list[int] = []
    for leaf, offset in reader.leaf_readers():
        if (fieldname, text) not in leaf:
            continue
        deleted = leaf.deleted_docs_set if leaf.has_deletions() else ()
        for ids, _ in _blocks(leaf.postings(fieldname, text)):
            out.extend(offset + d for d in ids if d not in deleted)
    return frozenset(out)


def _blocks(matcher, values: bool = False):
    """(ids, weights) per posting block of a term, read whole; (ids, encoded values) when values=True."""
    if isinstance(matcher, FilterMatcher):  # deletions: the callers skip deleted ids themselves
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):  # the codec's block arrays, instead of one call per posting
        while True:
            if matcher._data is None:
                matcher._read_data()
            ids = matcher._data[0]
            # the codec stores gaps between ids; accumulate undoes them in C (its own decoder is a generator)
            matcher._ids = ids if matcher._byteids else list(accumulate(ids))
            if values:
                matcher._read_values()
            else:
                matcher._read_weights()
            yield matcher._ids, (matcher._values if values else matcher._weights)
            if matcher._lastblock:
                return
            matcher._next_block()
    else:
        ids, second = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            second.append(matcher.value() if values else matcher.weight())
            matcher.next()
        yield ids, second
