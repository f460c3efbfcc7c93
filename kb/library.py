"""Read-only views of an index: one document by id, prefix or path; corpus statistics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kb import index as kb_index
from kb.errors import KbError
from kb.models import DocRecord


@dataclass(frozen=True)
class Stats:
    """What an index holds."""

    documents: int
    passages: int
    by_format: dict[str, int]
    by_lang: dict[str, int]
    references: int
    citations: int
    concepts_tagged: int  # documents with at least one concept
    index_bytes: int
    index_dir: str


def find(index_dir: Path, ref: str) -> DocRecord:
    """The document named by a doc id, a unique id prefix, or its file path."""
    ix = kb_index.open_index(index_dir)
    ref = ref.strip()
    if not ref:
        raise KbError("give a document id, an id prefix or a path (see `kb search`)")
    with ix.searcher() as s:
        stored = s.document(doc_id=ref) or s.document(path=ref)
        if stored is None and Path(ref).exists():
            resolved = str(Path(ref).resolve())
            stored = next((f for f in s.all_stored_fields() if str(Path(f["path"]).resolve()) == resolved), None)
        if stored is None and len(ref) >= 4:
            # the id lexicon answers a prefix without reading any stored record
            ids = sorted(t.decode() if isinstance(t, bytes) else t
                         for t in s.reader().expand_prefix("doc_id", ref.lower()))
            if len(ids) > 1:
                raise KbError(f"'{ref}' matches {len(ids)} documents ({', '.join(ids[:5])}); give more of the id")
            stored = s.document(doc_id=ids[0]) if ids else None
        if stored is None:
            raise KbError(f"no document '{ref}' in {index_dir} (give a doc id, an id prefix of 4+ characters, "
                          "or a path)")
        return kb_index.load_record(stored)


def records(index_dir: Path):
    """Every document record in the index (in doc id order)."""
    yield from kb_index.all_records(kb_index.open_index(index_dir))


def stats(index_dir: Path) -> Stats:
    """Counts by format and language, passages, references and citations, and the size on disk."""
    formats: Counter = Counter()
    langs: Counter = Counter()
    passages = refs = cites = tagged = n = 0
    for rec in records(index_dir):
        n += 1
        formats[rec.document.format] += 1
        langs[rec.document.lang] += 1
        passages += len(rec.document.passages)
        refs += len(rec.citations.references)
        cites += len(rec.citations.citations)
        tagged += bool(rec.tagging.concepts)
    return Stats(documents=n, passages=passages, by_format=dict(sorted(formats.items())),
                 by_lang=dict(sorted(langs.items())), references=refs, citations=cites, concepts_tagged=tagged,
                 index_bytes=kb_index.index_size(index_dir), index_dir=str(index_dir))


@dataclass(frozen=True)
class ConceptCount:
    """A taxonomy concept and how many indexed documents are tagged with it."""

    id: str
    parent: str | None
    labels: dict[str, str]
    definition: str
    documents: int
    depth: int


def concepts(index_dir: Path, taxonomy_file: Path | None = None) -> list[ConceptCount]:
    """The concept tree in order, with document counts (0 everywhere when nothing is indexed yet)."""
    from kb import taxonomy as taxonomy_mod

    tax = taxonomy_mod.load(taxonomy_file)
    counts: dict[str, int] = {}
    if kb_index.exists(index_dir):
        ix = kb_index.open_index(index_dir)
        with ix.searcher() as s:
            counts = {cid: s.doc_frequency("concepts", cid) for cid in tax.concepts}
    return [ConceptCount(id=c.id, parent=c.parent, labels=dict(c.labels), definition=c.definition,
                         documents=counts.get(c.id, 0), depth=len(tax.ancestors(c.id)))
            for c in tax.concepts.values()]


EXPORT_FORMATS = ("bibtex", "ris", "csljson")


def export(index_dir: Path, fmt: str, *, query: str | None = None, docs: tuple[str, ...] = (),
           works: tuple[str, ...] = (), cited_query: str | None = None, limit: int = 50) -> str:
    """Documents (by id, or a search's results) and cited works, as BibTeX, RIS or CSL-JSON for Zotero."""
    from kb import bib, registry
    from kb.search import search

    if fmt not in EXPORT_FORMATS:
        raise KbError(f"unknown export format {fmt!r}: use bibtex, ris or csljson")
    items = [bib.item_from_document(find(index_dir, d)) for d in docs]
    if query:
        items += [bib.item_from_document(find(index_dir, h.doc_id))
                  for h in search(index_dir, query, limit=limit, with_facets=False).hits]
    if works or cited_query is not None:
        reg = registry.load(index_dir)
        items += [bib.item_from_work(registry.find(reg, w)) for w in works]
        if cited_query is not None:
            items += [bib.item_from_work(w) for w in registry.cited(reg, cited_query)[:limit]]
    if not items:
        raise KbError("nothing to export: give a QUERY, --doc ID or --work ID")
    return {"bibtex": bib.to_bibtex, "ris": bib.to_ris, "csljson": bib.to_csljson}[fmt](items)
