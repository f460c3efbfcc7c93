"""The Whoosh index: its schema (declared once, versioned), opening it, and writing document records.

One Whoosh document per corpus document. Ranking is BM25F over the document's text, split by
passage language into a French-stemmed and an English-stemmed field (one analyzer per field, fixed at
schema time), with the title boosted. The whole DocRecord (passages, concepts, references) is stored
compressed beside it, so one commit holds everything about a document: a crash can never leave the
text indexed without its record, or the reverse.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StopFilter, SubstitutionFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from kb import __version__, vocabulary, whooshfix
from kb.analysis import CHARSET, TOKEN_PATTERN, analyzer, index_terms, name_analyzer, surface_words, terms_of
from kb.errors import KbIndexError
from kb.models import DocRecord, Passage
from kb.serial import from_dict, pack, unpack, unpack_json

whooshfix.apply()

SCHEMA_VERSION = 3  # 2: the "did you mean" vocabulary moved out of the index (kb.vocabulary); 3: "œ" is "oe"
META_FILE = "kb.json"
INDEX_NAME = "kb"


def stub_analyzer():
    """Folds a word and drops its first letter: "psychanalytique" -> "sychanalytique".

    Stubs are indexed with a placeholder first letter, so a whole word in a query meets the stub a
    damaged PDF extraction left (see Document.stubs)."""
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(CHARSET)
            | SubstitutionFilter(r"^\w", "") | StopFilter(stoplist=[], minsize=4))


def schema() -> Schema:
    """The one declaration of what the index holds (bump SCHEMA_VERSION on any change an index built before
    cannot serve: an index keeps the schema it was built with)."""
    return Schema(
        doc_id=ID(unique=True, stored=True, sortable=True),
        path=ID(stored=True),
        sha=ID(stored=True),
        format=ID(stored=True),
        lang=ID(stored=True),
        year=NUMERIC(stored=True, sortable=True),
        title=STORED,
        authors=STORED,
        concepts=KEYWORD(commas=True, stored=True, scorable=True),
        ccounts=STORED,  # {concept id: mention count}, to rank by support
        title_fr=TEXT(analyzer=analyzer("fr"), field_boost=2.0, phrase=True),
        title_en=TEXT(analyzer=analyzer("en"), field_boost=2.0, phrase=True),
        body_fr=TEXT(analyzer=analyzer("fr"), phrase=True),
        body_en=TEXT(analyzer=analyzer("en"), phrase=True),
        author=TEXT(analyzer=name_analyzer(), field_boost=1.5, phrase=True),
        stubs=TEXT(analyzer=stub_analyzer(), field_boost=0.5, phrase=True),
        mtime=STORED,
        size=STORED,
        record=STORED,
    )


@dataclass(frozen=True)
class StoredDoc:
    """The light part of an indexed document: enough to decide whether a file changed."""

    doc_id: str
    path: str
    sha: str
    mtime: float | None
    size: int | None


def exists(index_dir: Path) -> bool:
    """Whether index_dir holds a kb index (of any schema version)."""
    return (Path(index_dir) / META_FILE).exists() and whoosh_index.exists_in(str(index_dir), INDEX_NAME)


def _check_version(index_dir: Path) -> None:
    try:
        meta = json.loads((Path(index_dir) / META_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        raise KbIndexError(f"{index_dir}: not a kb index (no readable {META_FILE}); run `kb reindex`") from None
    version = meta.get("schema")
    if version != SCHEMA_VERSION:
        raise KbIndexError(f"{index_dir}: index built with schema v{version}, this kb {__version__} needs "
                           f"v{SCHEMA_VERSION}; run `kb reindex` to rebuild it from the corpus")


def open_index(index_dir: Path):
    """The Whoosh index at index_dir, after checking it was built with this schema version."""
    index_dir = Path(index_dir)
    if not exists(index_dir):
        raise KbIndexError(f"no index at {index_dir}: run `kb ingest` first")
    _check_version(index_dir)
    try:
        return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    except Exception as exc:  # a damaged TOC or segment: tell the user how to recover
        raise KbIndexError(f"{index_dir}: cannot open the index ({type(exc).__name__}); "
                           "run `kb reindex`") from None


def recorded_docs(index_dir: Path) -> dict[str, str]:
    """{doc id: path} of an index of any schema version, read without its analyzers: what a rebuild must
    keep. {} when there is no index or it cannot be read (a damaged one is rebuilt from the corpus)."""
    if not exists(index_dir):
        return {}
    try:
        ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
        with ix.searcher() as s:
            return {f["doc_id"]: f["path"] for f in s.all_stored_fields()}
    except Exception:  # any damage: nothing can be kept from it
        return {}


def create_index(index_dir: Path):
    """A new, empty index at index_dir (an existing one there is replaced)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), schema(), indexname=INDEX_NAME)
    (index_dir / META_FILE).unlink(missing_ok=True)
    (index_dir / vocabulary.FILE).unlink(missing_ok=True)  # the replaced index's words
    write_meta(index_dir)
    return ix


def read_meta(index_dir: Path) -> dict:
    """The index's own facts (schema version, taxonomy fingerprint...) from kb.json; {} when absent."""
    try:
        return json.loads((Path(index_dir) / META_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def write_meta(index_dir: Path, **updates) -> None:
    """Updates kb.json atomically (write a temporary file, then rename over)."""
    meta = {**read_meta(index_dir), **updates, "schema": SCHEMA_VERSION, "kb": __version__}
    tmp = Path(index_dir) / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, indent=1, sort_keys=True), "utf-8")
    os.replace(tmp, Path(index_dir) / META_FILE)


def open_or_create(index_dir: Path):
    """The index at index_dir, created when absent."""
    return open_index(index_dir) if exists(index_dir) else create_index(index_dir)


def fields_for(record: DocRecord) -> dict:
    """The Whoosh fields of one document record."""
    doc = record.document
    by_lang: dict[str, list[str]] = {"fr": [], "en": []}
    for p in doc.passages:
        if p.kind == "references":
            continue  # cited titles are not what the document is about
        langs = [p.lang] if p.lang in by_lang else (["fr", "en"] if doc.lang in ("mixed", "unknown")
                                                    else [doc.lang])
        for lang in langs:
            by_lang[lang].append(p.text)
    # the analysed terms, not the texts: Whoosh indexes a list as given (see kb.analysis.index_terms)
    body: dict[str, list[str]] = {"fr": [], "en": []}
    vocab: set[str] = set()
    for lang, texts in by_lang.items():
        for text in texts:
            words = surface_words(text)  # cut once for the stemmed field and the vocabulary
            body[lang] += terms_of(words, lang)
            vocab.update(terms_of(words, "keyword"))
    title = doc.meta.title or ""
    title_lang = doc.lang if doc.lang in ("fr", "en") else None
    concepts = [c.id for c in record.tagging.concepts]
    return {
        "doc_id": doc.doc_id, "path": doc.path, "sha": doc.sha256, "format": doc.format, "lang": doc.lang,
        "year": doc.meta.year, "title": title, "authors": list(doc.meta.authors),
        "concepts": ",".join(concepts), "ccounts": {c.id: c.count for c in record.tagging.concepts},
        "title_fr": index_terms(title, "fr") if title_lang in (None, "fr") else [],
        "title_en": index_terms(title, "en") if title_lang in (None, "en") else [],
        "body_fr": body["fr"], "body_en": body["en"],
        "author": index_terms(" ; ".join(doc.meta.authors), "name"),
        "stubs": index_terms(" ".join("x" + s for s in doc.stubs), "stub"),
        "vocab": vocabulary.keep(vocab),  # not a Whoosh field: Writer counts it into kb.vocabulary
        "mtime": record.mtime, "size": record.size, "record": pack(record),
    }


def vocab_of(record: DocRecord) -> list[str]:
    """fields_for(record)["vocab"] without the rest: the words of the passages that are not references."""
    return vocabulary.words(p.text for p in record.document.passages if p.kind != "references")


class Writer:
    """Adds, replaces and deletes document records; commit() makes a batch durable at once, and the
    "did you mean" vocabulary (kb.vocabulary) with it."""

    def __init__(self, ix):
        self._ix = ix
        self._w = None
        self._vocab: Counter | None = None  # word -> documents, loaded at the first change
        self._counted: set[str] = set()  # the documents whose words it counts

    def _vocabulary(self) -> Counter:
        if self._vocab is None:
            counts, generation = vocabulary.load(self._ix.storage.folder)
            with self._ix.searcher() as s:
                if generation != self._ix.latest_generation():  # absent, or left behind by a crash
                    counts = Counter()
                    for stored in s.all_stored_fields():
                        counts.update(vocab_of(load_record(stored)))
                ids = s.reader().lexicon("doc_id")
                self._counted = {t.decode() if isinstance(t, bytes) else t for t in ids}
            self._vocab = counts
        return self._vocab

    def _writer(self):
        if self._w is None:
            self._w = self._ix.writer(limitmb=128)
        return self._w

    def put(self, record: DocRecord) -> None:
        self.put_fields(fields_for(record))

    def put_fields(self, fields: dict) -> None:
        """Adds or replaces a document from fields_for()'s output (computed in a worker process)."""
        counts = self._vocabulary()
        if fields["doc_id"] not in self._counted:  # an id is a content: put again, it has the same words
            counts.update(fields.get("vocab") or ())
            self._counted.add(fields["doc_id"])
        self._writer().update_document(**{k: v for k, v in fields.items() if v is not None and k != "vocab"})

    def delete(self, doc_id: str) -> None:
        counts = self._vocabulary()
        if doc_id in self._counted:
            with self._ix.searcher() as s:
                stored = s.document(doc_id=doc_id)
            if stored:
                counts.subtract(vocab_of(load_record(stored)))
            self._counted.discard(doc_id)
        self._writer().delete_by_term("doc_id", doc_id)

    def commit(self) -> None:
        if self._w is not None:
            self._w.commit()
            self._w = None
        if self._vocab is not None:
            vocabulary.save(self._ix.storage.folder, self._vocab, self._ix.latest_generation())

    def cancel(self) -> None:
        if self._w is not None:
            self._w.cancel()
            self._w = None
        self._vocab = None  # what this batch counted is dropped with it


def stored_docs(ix) -> Iterator[StoredDoc]:
    """Every indexed document's id, path, hash, mtime and size, without unpacking records."""
    with ix.searcher() as s:
        for fields in s.all_stored_fields():
            yield StoredDoc(fields["doc_id"], fields["path"], fields["sha"], fields.get("mtime"),
                            fields.get("size"))


def all_records(ix) -> Iterator[DocRecord]:
    """Every document record in the index, in doc id order."""
    with ix.searcher() as s:
        for fields in sorted(s.all_stored_fields(), key=lambda f: f["doc_id"]):
            yield load_record(fields)


def load_record(stored: dict) -> DocRecord:
    """The DocRecord kept in a document's stored fields."""
    return unpack(DocRecord, stored["record"])


def load_passages(stored: dict) -> tuple[Passage, ...]:
    """Only the passages of the stored DocRecord: what a search hit shows (building the references,
    citations and tags too took most of a hit's time, 0.7 ms a document)."""
    return tuple(from_dict(Passage, p) for p in unpack_json(stored["record"])["document"]["passages"])


def index_size(index_dir: Path) -> int:
    """Bytes the index takes on disk."""
    return sum(f.stat().st_size for f in Path(index_dir).rglob("*") if f.is_file())
