"""Answers queries: filters (language, concepts), ranking, the best passage of each hit, facets, and the
fallbacks a user expects (any-word matching, spelling correction). Query building is kb.query, the open
index and its caches kb.searcher, exact scoring kb.scoring, passages and snippets kb.snippets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from kb import index as kb_index
from kb import vocabulary
from kb.analysis import fold, is_stop
from kb.errors import QueryError
from kb.models import Passage
from kb.query import build, named_concepts, parse, plain, query_words, sense_of, with_concepts
from kb.searcher import Searcher, close_all, facets, ranked, save_caches, searcher_for
from kb.snippets import best_passage, label_finder, label_stems, query_stems, snippet, stem_pattern


@dataclass(frozen=True)
class Hit:
    """One matching document, with its best passage."""

    doc_id: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    lang: str
    path: str
    score: float
    page: int | None
    snippet: str  # the best passage's most relevant words, matches marked **like this**
    concepts: tuple[str, ...]
    matched_labels: tuple[str, ...] = ()  # concept labels of the query found in this document
    partial: bool = False  # the document has some of the query's words, not all


@dataclass(frozen=True)
class SearchResult:
    """What a search found: the top hits, how many documents match, facets and any query rewrite."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    facets: dict = field(default_factory=dict)
    corrected: str | None = None  # the query actually run, when kb corrected a misspelling
    suggestion: str | None = None  # "did you mean", when some words are unknown but results exist
    notes: tuple[str, ...] = ()  # how the query was widened or expanded, in words


def _filter_set(s: Searcher, lang: str | None, concepts: tuple[str, ...]) -> frozenset[int] | None:
    sets = []
    if lang:
        sets.append(s.docs("lang", lang) | s.docs("lang", "mixed"))
    for cid in concepts:
        sets.append(s.docs("concepts", cid))
    if not sets:
        return None
    out = sets[0]
    for other in sets[1:]:
        out = out & other
    return out


def _hit(stored: dict, passages: tuple[Passage, ...], score: float, pattern, labels: tuple[str, ...] = (),
         folded: tuple[str, ...] | None = None) -> Hit:
    passage = best_passage(passages, pattern, folded)
    return Hit(doc_id=stored["doc_id"], title=stored.get("title") or "", authors=tuple(stored.get("authors") or ()),
               year=stored.get("year"), lang=stored.get("lang") or "unknown", path=stored["path"],
               score=round(float(score), 4), page=passage.page if passage else None,
               snippet=snippet(passage.text, pattern) if passage else "",
               concepts=tuple(c for c in (stored.get("concepts") or "").split(",") if c),
               matched_labels=labels)


def _unknown_words(s: Searcher, text: str) -> list[str]:
    """Query words that no indexed document contains in any form (stem, stub or author name)."""
    reader = s.searcher.reader()
    schema = s.searcher.schema
    out = []
    for w in query_words(text):
        f = fold(w)
        if len(f) < 3 or is_stop(w.lower()) or w.endswith("*") or f.isdigit():
            continue
        known = any(reader.doc_frequency(name, t.text) > 0
                    for name in ("body_fr", "body_en", "title_fr", "title_en", "author", "stubs")
                    for t in schema[name].analyzer(w, mode="query"))
        if not known:
            out.append(w)
    return out


def _corrected(s: Searcher, text: str, unknown: list[str]) -> str | None:
    counts = s.vocabulary()
    out = text
    changed = False
    for w in unknown:
        f = fold(w)
        suggestion = vocabulary.nearest(counts, f, maxdist=2 if len(f) > 5 else 1)
        if suggestion:
            out = re.sub(rf"(?<!\w){re.escape(w)}(?!\w)", suggestion, out, count=1)
            changed = True
    return out if changed else None


def _run(s: Searcher, q, flt, limit: int, labels) -> tuple[int, list[Hit], frozenset[int]]:
    """Runs q; snippets mark the query's words plus the concept labels each hit has."""
    top, matched = ranked(s, q, flt, limit + 20)
    if not matched:
        return 0, [], matched
    base = query_stems(q)
    hits = []
    for score, docnum in top[:limit]:
        stored = s.searcher.stored_fields(docnum)
        passages = kb_index.load_passages(stored)
        folded = tuple(fold(p.text) for p in passages)  # once for the labels and the best passage
        found = labels(passages, folded) if labels else ()
        hits.append(_hit(stored, passages, score, stem_pattern(base | label_stems(found)), found, folded))
    hits.sort(key=lambda h: (-h.score, h.doc_id))
    return len(matched), hits, matched


def search(index_dir: Path, text: str, *, limit: int = 10, lang: str | None = None,
           concepts: tuple[str, ...] = (), with_facets: bool = True, taxonomy_file: Path | None = None,
           expand: bool = True) -> SearchResult:
    """Searches the index; with no words but concepts, lists the documents tagged with them by support."""
    result = _search(index_dir, text, limit=limit, lang=lang, concepts=concepts, with_facets=with_facets,
                     taxonomy_file=taxonomy_file, expand=expand)
    save_caches(index_dir)
    return result


def _search(index_dir: Path, text: str, *, limit: int, lang: str | None, concepts: tuple[str, ...],
            with_facets: bool, taxonomy_file: Path | None, expand: bool) -> SearchResult:
    from kb import taxonomy as taxonomy_mod

    if limit < 1:
        raise QueryError("--limit must be at least 1")
    if lang not in (None, "fr", "en"):
        raise QueryError(f"unknown language {lang!r}: use fr or en")
    tax = taxonomy_mod.load_compiled(taxonomy_file, index_dir) if kb_index.exists(index_dir) \
        else taxonomy_mod.load(taxonomy_file)
    tax.check_known(concepts)
    s = searcher_for(index_dir)
    flt = _filter_set(s, lang, concepts)
    text = (text or "").strip()
    if not text:
        if not concepts:
            raise QueryError("nothing to search for: give words, or --concept ID")
        return _by_concepts(s, text, concepts, flt or frozenset(), limit, with_facets)

    found = _lookup(s, text, tax if expand else None, flt, limit)
    corrected = suggestion = None
    unknown = _unknown_words(s, text)
    fixed = _corrected(s, text, unknown) if unknown else None
    if fixed and found.full == 0:
        # no document has every word, and some word is in none at all: the user meant its correction
        # ("therapist empahty"), which comes before documents with only some of the words as typed
        redo = _lookup(s, fixed, tax if expand else None, flt, limit)
        if redo.total:
            found, corrected = redo, fixed
    elif fixed:
        suggestion = fixed
    return SearchResult(query=text, total=found.total, hits=tuple(found.hits),
                        facets=facets(s, found.matched) if with_facets else {}, corrected=corrected,
                        suggestion=suggestion, notes=tuple(found.notes))


class _Found(NamedTuple):
    full: int  # documents with all the words
    total: int  # documents the hits are drawn from (those with some of the words when none has all)
    hits: list[Hit]
    matched: frozenset[int]
    notes: list[str]


def _lookup(s: Searcher, text: str, tax, flt, limit: int) -> _Found:
    """A search for text's words; with fewer than limit documents having all of them, those with some of
    them follow, marked partial. tax: the taxonomy whose concept labels the query may name (None: words
    only)."""
    notes: list[str] = []
    label_matches = named_concepts(text, tax)
    labels = label_finder(tax, label_matches)
    if label_matches:
        notes.append("concept labels expanded to both languages: " +
                     ", ".join(f"{m.label!r} -> {m.concept_id}" for m in label_matches))
    q = build(s.searcher.schema, text, label_matches, () if label_matches else tuple(sense_of(text, tax)))
    full, hits, matched = _run(s, q, flt, limit, labels)
    total = full
    if total < limit and len(query_words(text)) > 1 and (total == 0 or plain(text)):
        # fewer documents have all the words than were asked for: those with some of them follow, marked
        # ("Bordin 1979" then the documents naming Bordin without the year)
        q_any = with_concepts(parse(s.searcher.schema, text, any_word=True), label_matches)
        n_any, more, any_matched = _run(s, q_any, flt, limit + total, labels)
        have = {h.doc_id for h in hits}
        more = [replace(h, partial=True) for h in more if h.doc_id not in have][:limit - total]
        if total == 0 and more:
            total, matched = n_any, any_matched
            notes.append("no document has all the words; showing documents with some of them")
        elif more:
            notes.append(f"{len(more)} more shown with some of the words")
        hits = hits + more
    return _Found(full, total, hits, matched, notes)


def _by_concepts(s: Searcher, text: str, concepts: tuple[str, ...], matched: frozenset[int], limit: int,
                 with_facets: bool) -> SearchResult:
    rows = []
    for docnum in matched:
        stored = s.searcher.stored_fields(docnum)
        counts = stored.get("ccounts") or {}
        rows.append((sum(counts.get(c, 0) for c in concepts), stored["doc_id"], stored))
    rows.sort(key=lambda r: (-r[0], r[1]))
    hits = []
    for support, _, stored in rows[:limit]:
        record = kb_index.load_record(stored)
        evidence = next((e for c in record.tagging.concepts if c.id == concepts[0] for e in c.evidence), None)
        hit = _hit(stored, record.document.passages, float(support), None)
        if evidence:
            hit = Hit(**{**hit.__dict__, "page": evidence.page, "snippet": evidence.text})
        hits.append(hit)
    return SearchResult(query=text, total=len(matched), hits=tuple(hits),
                        facets=facets(s, matched) if with_facets else {})


__all__ = ["Hit", "SearchResult", "search", "searcher_for", "close_all"]
