"""The cited-works records and their files: works.json (the registry kb cited reads) and works.src (what
kb.registry.build read, kept so the next ingest rebuilds without re-reading every indexed record).
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from kb.errors import KbError
from kb.models import Citation, DocRecord, Meta, Reference, Tagging

@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector off while millions of small acyclic objects are made (a registry, its JSON,
    its pickled inputs): its repeated passes over them doubled these steps' time (measured at 1,000 and
    10,000 documents)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


FILE = "works.json"
VERSION = 1


@dataclass(frozen=True)
class Context:
    """One citing sentence: which document, which page, and the concepts of the citing passage."""

    doc_id: str
    page: int | None
    sentence: str
    concepts: tuple[str, ...]


@dataclass(frozen=True)
class Work:
    """A cited study as the corpus knows it, with the documents and sentences that cite it."""

    work_id: str
    authors: tuple[str, ...]
    year: int | None
    title: str | None
    container: str | None
    doi: str | None
    cited_by: tuple[str, ...]
    contexts: tuple[Context, ...]
    corpus_doc: str | None = None  # a corpus document that IS this work
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Registry:
    """Every cited work, and which work each reference entry and each in-text citation belongs to."""

    works: tuple[Work, ...]
    refs: dict[str, str]  # "doc_id:ref_index" -> work_id
    cites: dict[str, str]  # "doc_id:citation_index" -> work_id



# --- JSON ----------------------------------------------------------------------------------------
def work_json(work: Work) -> dict:
    """The issue's JSON shape of a work (extra keys after the required ones)."""
    return {"work_id": work.work_id, "authors": list(work.authors), "year": work.year, "title": work.title,
            "container": work.container, "doi": work.doi, "cited_by": list(work.cited_by),
            "contexts": [{"doc_id": c.doc_id, "page": c.page, "sentence": c.sentence, "concepts": list(c.concepts)}
                         for c in work.contexts],
            "corpus_doc": work.corpus_doc, "volume": work.volume, "issue": work.issue, "pages": work.pages,
            "url": work.url}


def _work_from_json(d: dict) -> Work:
    return Work(work_id=d["work_id"], authors=tuple(d["authors"]), year=d["year"], title=d["title"],
                container=d["container"], doi=d["doi"], cited_by=tuple(d["cited_by"]),
                contexts=tuple(Context(c["doc_id"], c["page"], c["sentence"], tuple(c["concepts"]))
                               for c in d["contexts"]),
                corpus_doc=d.get("corpus_doc"), volume=d.get("volume"), issue=d.get("issue"),
                pages=d.get("pages"), url=d.get("url"))


def _write_atomic(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save(registry: Registry, index_dir: Path) -> Path:
    """Writes index_dir/works.json atomically (a reader never sees half a file)."""
    with gc_paused():
        data = {"version": VERSION, "works": [work_json(w) for w in registry.works],
                "refs": registry.refs, "cites": registry.cites}
        # Compact: json.dumps with an indent runs its pure-Python encoder, 6x slower (12 s at 10,000 documents).
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _write_atomic(Path(index_dir) / FILE, text.encode("utf-8"))


def load(index_dir: Path) -> Registry:
    """The registry saved in index_dir; an empty one when none was built yet."""
    path = Path(index_dir) / FILE
    if not path.exists():
        return Registry(works=(), refs={}, cites={})
    try:
        with gc_paused():
            data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            raise KbError(f"{path}: made by another kb version; run `kb reindex`")
        return Registry(works=tuple(_work_from_json(w) for w in data["works"]), refs=dict(data["refs"]),
                        cites=dict(data["cites"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise KbError(f"{path}: unreadable cited-works file ({type(exc).__name__}); run `kb reindex`") from None


# --- what build() reads, kept between ingests -----------------------------------------------------
SOURCES = "works.src"  # build()'s input from every indexed document, so an ingest never re-reads the index


def slim(record: DocRecord) -> DocRecord:
    """The part of a record build() reads: id, metadata, references, citations, concepts of citing
    passages (passage text, stubs and document-level concepts dropped: a few percent of the record)."""
    doc = record.document
    citing = {c.passage for c in record.citations.citations}
    return DocRecord(document=replace(doc, passages=(), stubs=(), warnings=()),
                     tagging=Tagging(concepts=(), passages=tuple(p for p in record.tagging.passages if p.n in citing)),
                     citations=record.citations)


def _shape() -> str:
    """The field names of the records a sources file pickles: another shape means another kb."""
    import dataclasses
    from kb import models

    return repr([(c.__name__, [f.name for f in dataclasses.fields(c)]) for c in
                 (DocRecord, models.Document, Meta, Tagging, models.PassageConcepts, models.CitationResult,
                  Reference, Citation)])


def save_sources(records: Iterable[DocRecord], index_dir: Path, stamp: str) -> Path:
    """Writes build()'s inputs (slim records) atomically, marked with stamp (what else they depend on:
    the taxonomy and metadata files) and the records' shape, so a stale file is never taken as current.

    Pickled: 20x faster than the JSON of kb.serial both ways, and the file is as trusted as the index
    beside it (whose table of contents Whoosh pickles too)."""
    with gc_paused():
        data = {"version": VERSION, "stamp": stamp, "shape": _shape(), "docs": [slim(r) for r in records]}
        blob = zlib.compress(pickle.dumps(data, pickle.HIGHEST_PROTOCOL), 1)
    return _write_atomic(Path(index_dir) / SOURCES, blob)


def load_sources(index_dir: Path, stamp: str) -> dict[str, DocRecord] | None:
    """The slim records save_sources wrote, by doc id; None when absent, unreadable or stale."""
    try:
        with gc_paused():
            data = pickle.loads(zlib.decompress((Path(index_dir) / SOURCES).read_bytes()))
        if data.get("version") != VERSION or data.get("stamp") != stamp or data.get("shape") != _shape():
            return None
        return {r.document.doc_id: r for r in data["docs"]}
    except Exception:  # a cache: rebuilt from the index when it cannot be trusted, whatever went wrong
        return None
