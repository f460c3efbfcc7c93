"""Answers queries: parsing, filters (language, concepts), ranking, the best passage, snippets, facets,
and the fallbacks a user expects (any-word matching, spelling correction).
"""

from __future__ import annotations

import difflib
import os
import pickle
import heapq
from operator import itemgetter
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import qparser
from whoosh.collectors import TopCollector
from whoosh.query import DefaultOr, NullQuery, Or, Phrase, Prefix, Term

from kb import index as kb_index
from kb import scoring
from kb.analysis import fold, is_stop, stem, tokenize
from kb.errors import QueryError
from kb.models import DocRecord, Passage

SEARCH_FIELDS = ("title_fr", "title_en", "body_fr", "body_en", "author", "stubs")
SNIPPET_WORDS = 40


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


class _Searcher:
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
        try:
            warm = pickle.loads(self._warm_file().read_bytes())
            self.sets, self._lengths, self._years = warm["sets"], warm["lengths"], warm["years"]
        except (OSError, pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError, AttributeError):
            pass  # absent or unreadable: rebuilt from the index as queries need it
        self._saved = self._warm_size()

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


_CACHE: dict[str, _Searcher] = {}


def searcher_for(index_dir: Path) -> _Searcher:
    """The process's searcher for index_dir, refreshed when the index changed."""
    key = str(Path(index_dir).resolve())
    cached = _CACHE.get(key)
    if cached is None:
        cached = _CACHE[key] = _Searcher(Path(index_dir))
    else:
        cached.refresh()
    return cached


def close_all() -> None:
    """Closes cached searchers (before the index is rebuilt, and in tests)."""
    for s in _CACHE.values():
        s.searcher.close()
    _CACHE.clear()


def _parser(schema, any_word: bool = False):
    group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), schema, group=group)
    parser.remove_plugin_class(qparser.FieldsPlugin)  # "cadre: neutralité" is text, not a field name
    return parser


_PREFIX = re.compile(r"(?<![\w*])(\w+)\*")  # "thérap*" -> folded "therap*": index terms are folded


def parse(schema, text: str, any_word: bool = False):
    """The Whoosh query for the user's text; raises QueryError when nothing searchable is left."""
    text = _PREFIX.sub(lambda m: fold(m.group(1)) + "*", text)
    try:
        q = _parser(schema, any_word).parse(text)
    except Exception as exc:  # Whoosh's parser is lenient; anything raised is a malformed query
        raise QueryError(f"cannot parse the query {text!r} ({exc})") from None
    return _union_trees(q)


def _union_trees(q):
    """The same query with every OR as a tree of union matchers.

    Whoosh's automatic choice pre-loads each OR (a word over six fields) into arrays as long as the
    segment for segments under 5,000 documents; the tree skips through postings instead and scores the
    same, measured 1.5-2x faster on 1,000 and 10,000-document indexes."""
    if type(q) is Or:
        # a phrase over the stubs field would join unrelated damaged words that merely sit side by side
        subs = [_union_trees(sub) for sub in q.subqueries
                if not (isinstance(sub, Phrase) and sub.fieldname == "stubs")]
        return DefaultOr(subs, boost=q.boost, minmatch=q.minmatch, scale=q.scale)
    return q.apply(_union_trees)


def _words(text: str) -> list[str]:
    """The query's plain words (no operators), as typed."""
    return [t.text for t in tokenize(text) if t.text not in ("AND", "OR", "NOT", "ANDNOT")]


def _filter_set(s: _Searcher, lang: str | None, concepts: tuple[str, ...]) -> frozenset[int] | None:
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


def _stems(q) -> set[str]:
    """The stems (regex-escaped) a query looks for, to find and mark them in passages."""
    stems = {re.escape(leaf.text) for leaf in q.leaves() if isinstance(leaf, Prefix)}
    for fieldname, text in q.iter_all_terms():
        if fieldname in ("concepts", "lang"):
            continue
        text = text.decode("utf-8") if isinstance(text, bytes) else str(text)
        if len(text) >= 3:
            stems.add(re.escape(text))
        elif text:
            stems.add(re.escape(text) + r"\b")  # a short stem must be the whole word
    return stems


def _label_stems(labels: tuple[str, ...]) -> set[str]:
    return {re.escape(stem(t.folded, lang)) for label in labels for t in tokenize(label)
            if not is_stop(t.text.lower()) for lang in ("fr", "en")}


def _compile(stems: set[str]) -> re.Pattern | None:
    """A regex matching, at a word start in folded text, any of the stems."""
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(stems, key=len, reverse=True)) + ")")


def best_passage(record: DocRecord, pattern: re.Pattern | None) -> Passage | None:
    """The passage with the most distinct query stems (then most matches, then earliest)."""
    passages = [p for p in record.document.passages if p.kind != "references"] or list(record.document.passages)
    if not passages:
        return None
    if pattern is None:
        return passages[0]

    def key(p: Passage):
        found = pattern.findall(fold(p.text))
        return (len(set(found)), len(found), -p.n)

    return max(passages, key=key)


def snippet(text: str, pattern: re.Pattern | None, width: int = SNIPPET_WORDS) -> str:
    """About `width` words of text around the densest matches, matched words marked **word**."""
    tokens = tokenize(text)
    if not tokens:
        return text.strip()
    marks = [bool(pattern and pattern.match(t.folded)) for t in tokens]
    start = 0
    if any(marks) and len(tokens) > width:
        best = -1
        for i in range(len(tokens)):
            if not marks[i] and i:
                continue
            first = max(0, min(i - 5, len(tokens) - width))
            distinct = len({tokens[j].folded for j in range(first, first + width) if marks[j]})
            if distinct > best:
                best, start = distinct, first
    end = min(len(tokens), start + width)
    out, pos = [], tokens[start].start
    for t, marked in zip(tokens[start:end], marks[start:end]):
        out.append(text[pos:t.start])
        out.append(f"**{t.text}**" if marked else t.text)
        pos = t.end
    body = re.sub(r"\s+", " ", "".join(out)).strip()
    if end < len(tokens):
        body += text[pos:pos + 1] if text[pos:pos + 1] in ".!?" else " …"
    return ("… " if start > 0 else "") + body


def _hit(stored: dict, record: DocRecord, score: float, pattern, labels: tuple[str, ...] = ()) -> Hit:
    passage = best_passage(record, pattern)
    return Hit(doc_id=stored["doc_id"], title=stored.get("title") or "", authors=tuple(stored.get("authors") or ()),
               year=stored.get("year"), lang=stored.get("lang") or "unknown", path=stored["path"],
               score=round(float(score), 4), page=passage.page if passage else None,
               snippet=snippet(passage.text, pattern) if passage else "",
               concepts=tuple(c for c in (stored.get("concepts") or "").split(",") if c),
               matched_labels=labels)


def facets(s: _Searcher, matched: frozenset[int] | set[int]) -> dict:
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


def _unknown_words(s: _Searcher, text: str) -> list[str]:
    """Query words that no indexed document contains in any form (stem, stub or author name)."""
    reader = s.searcher.reader()
    schema = s.ix.schema
    out = []
    for w in _words(text):
        f = fold(w)
        if len(f) < 3 or is_stop(w.lower()) or w.endswith("*") or f.isdigit():
            continue
        known = any(reader.doc_frequency(name, t.text) > 0
                    for name in ("body_fr", "body_en", "title_fr", "title_en", "author", "stubs")
                    for t in schema[name].analyzer(w, mode="query"))
        if not known:
            out.append(w)
    return out


def _corrected(s: _Searcher, text: str, unknown: list[str]) -> str | None:
    corrector = s.searcher.corrector("vocab")
    out = text
    changed = False
    for w in unknown:
        f = fold(w)
        suggestions = corrector.suggest(f, limit=1, maxdist=2 if len(f) > 5 else 1, prefix=1)
        if suggestions:
            out = re.sub(rf"(?<!\w){re.escape(w)}(?!\w)", suggestions[0], out, count=1)
            changed = True
    return out if changed else None


def expand_concepts(text: str, tax) -> tuple[str, list]:
    """Rewrites concept labels named in the query as an OR of all their labels, in both languages.

    Example: 'emotional bond' -> '((emotional bond) OR "emotional bond" OR "lien affectif")': the words as
    typed (all of them, anywhere, as without expansion) or either label as a phrase. Returns the new text
    and the label matches (concept id, label as typed)."""
    if tax is None or '"' in text or re.search(r"\b(?:AND|OR|NOT|ANDNOT)\b|[()*]", text):
        return text, []  # the user wrote the query's logic; kb does not rewrite it
    matches = tax.find_labels(text)
    out = text
    for m in sorted(matches, key=lambda m: m.start, reverse=True):
        # the typed words and the concept's two main labels; its other synonyms reach the query through
        # the concept tag (see _with_concepts), which the tagger set with guards: cheaper and more precise
        concept = tax.get(m.concept_id)
        labels = [concept.labels[lang].replace('"', "") for lang in ("fr", "en") if lang in concept.labels]
        alternatives = " OR ".join([f"({m.label})"] + [f'"{t}"' for t in dict.fromkeys(labels)])
        out = f"{out[:m.start]}({alternatives}){out[m.end:]}"
    return out, matches


_FIELD_LANG = {"title_fr": "fr", "body_fr": "fr", "title_en": "en", "body_en": "en"}


def _prune_label_phrases(q, schema, tax, matches):
    """The expanded query without the phrases a label cannot meet: a French label in the English-stemmed
    fields (whose text is English) and the reverse, and labels in author names.

    The words as typed keep every field. At 10,000 documents a label phrase is checked in thousands of
    documents per field, so this halves the cost of a query naming a concept."""
    if not matches:
        return q
    drop: set[tuple[str, tuple[str, ...]]] = set()
    for m in matches:
        concept = tax.get(m.concept_id)
        for lang, label in concept.labels.items():
            for fieldname in ("author", *(f for f, fl in _FIELD_LANG.items() if fl != lang)):
                words = tuple(t.text for t in schema[fieldname].analyzer(label, mode="query"))
                drop.add((fieldname, words))

    def prune(node):
        if isinstance(node, Or):
            subs = [prune(sub) for sub in node.subqueries
                    if not (isinstance(sub, Phrase) and (sub.fieldname, tuple(sub.words)) in drop)]
            return node.__class__(subs, boost=node.boost, minmatch=node.minmatch, scale=node.scale)
        return node.apply(prune)
    return prune(q)


def _with_concepts(q, matches):
    """The query, or documents tagged with a concept the query names."""
    if not matches:
        return q
    return DefaultOr([q] + [Term("concepts", m.concept_id, boost=0.5) for m in matches])


def _term_pattern(text: str, lang: str) -> re.Pattern | None:
    words = [t.folded for t in tokenize(text) if not is_stop(t.text.lower())]
    if not words:
        return None
    stems = [re.escape(stem(w, lang)) for w in words]
    return re.compile(r"\b" + r"\w*\W+(?:\w+\W+){0,2}?".join(stems) + r"\w*")


def _label_finder(tax, matches):
    """For a hit: which labels of the query's concepts its text contains (as written in the taxonomy)."""
    if not matches:
        return None
    patterns = []
    for m in matches:
        for t in tax.terms(m.concept_id):
            p = _term_pattern(t.text, t.lang)
            if p:
                patterns.append((t.text, p))

    def find(record: DocRecord) -> tuple[str, ...]:
        folded = fold(" ".join(p.text for p in record.document.passages if p.kind != "references"))
        return tuple(dict.fromkeys(label for label, p in patterns if p.search(folded)))
    return find


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


def _ranked(s: _Searcher, q, flt, limit: int) -> tuple[list[tuple[float, int]], frozenset[int]]:
    """The top `limit` (score, docnum) pairs, best first, and every matching document."""
    if flt is not None and not flt:
        return [], frozenset()
    if scoring.supports(q, s.searcher.weighting):
        scores = s.scorer().scores(q)
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


def _run(s: _Searcher, q, flt, limit: int, labels, shown=None) -> tuple[int, list[Hit], frozenset[int]]:
    """Runs q; snippets mark the words of `shown` (the query as typed) plus the concept labels each hit has."""
    ranked, matched = _ranked(s, q, flt, limit + 20)
    if not matched:
        return 0, [], matched
    base = _stems(shown if shown is not None else q)
    hits = []
    for score, docnum in ranked[:limit]:
        stored = s.searcher.stored_fields(docnum)
        record = kb_index.load_record(stored)
        found = labels(record) if labels else ()
        hits.append(_hit(stored, record, score, _compile(base | _label_stems(found)), found))
    hits.sort(key=lambda h: (-h.score, h.doc_id))
    return len(matched), hits, matched


def _check_concepts(tax, concepts: tuple[str, ...]) -> None:
    for cid in concepts:
        if tax is not None and not tax.is_known(cid):
            close = difflib.get_close_matches(cid, list(tax.concepts), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise QueryError(f"unknown concept '{cid}'{hint}; `kb concepts` lists them")


def search(index_dir: Path, text: str, *, limit: int = 10, lang: str | None = None,
           concepts: tuple[str, ...] = (), with_facets: bool = True, taxonomy_file: Path | None = None,
           expand: bool = True) -> SearchResult:
    """Searches the index; with no words but concepts, lists the documents tagged with them by support."""
    result = _search(index_dir, text, limit=limit, lang=lang, concepts=concepts, with_facets=with_facets,
                     taxonomy_file=taxonomy_file, expand=expand)
    searcher_for(index_dir).save_warm()
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
    _check_concepts(tax, concepts)
    s = searcher_for(index_dir)
    flt = _filter_set(s, lang, concepts)
    text = (text or "").strip()
    if not text:
        if not concepts:
            raise QueryError("nothing to search for: give words, or --concept ID")
        return _by_concepts(s, text, concepts, flt or frozenset(), limit, with_facets)

    notes: list[str] = []
    expanded, label_matches = expand_concepts(text, tax) if expand else (text, [])
    labels = _label_finder(tax, label_matches)
    if label_matches:
        notes.append("concept labels expanded to both languages: " +
                     ", ".join(f"{m.label!r} -> {m.concept_id}" for m in label_matches))
    q = _prune_label_phrases(parse(s.ix.schema, expanded), s.ix.schema, tax, label_matches)
    if q is NullQuery:
        raise QueryError(f"nothing to search for in {text!r}: only common words (stop words)")
    q = _with_concepts(q, label_matches)
    shown = parse(s.ix.schema, text) if label_matches else None
    total, hits, matched = _run(s, q, flt, limit, labels, shown)
    corrected = suggestion = None
    if total == 0 and len(_words(text)) > 1:
        q_any = _prune_label_phrases(parse(s.ix.schema, expanded, any_word=True), s.ix.schema, tax,
                                     label_matches)
        total, hits, matched = _run(s, q_any, flt, limit, labels, shown)
        if total:
            notes.append("no document has all the words; showing documents with some of them")
    unknown = _unknown_words(s, text)
    if unknown:
        fixed = _corrected(s, text, unknown)
        if fixed and total == 0:
            q2 = parse(s.ix.schema, fixed, any_word=len(_words(fixed)) > 1)
            total, hits, matched = _run(s, q2, flt, limit, None)
            corrected = fixed if total else None
        elif fixed:
            suggestion = fixed
    return SearchResult(query=text, total=total, hits=tuple(hits),
                        facets=facets(s, matched) if with_facets else {}, corrected=corrected,
                        suggestion=suggestion, notes=tuple(notes))


def _by_concepts(s: _Searcher, text: str, concepts: tuple[str, ...], matched: frozenset[int], limit: int,
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
        hit = _hit(stored, record, float(support), None)
        if evidence:
            hit = Hit(**{**hit.__dict__, "page": evidence.page, "snippet": evidence.text})
        hits.append(hit)
    return SearchResult(query=text, total=len(matched), hits=tuple(hits),
                        facets=facets(s, matched) if with_facets else {})


__all__ = ["Hit", "SearchResult", "search", "searcher_for", "close_all"]
