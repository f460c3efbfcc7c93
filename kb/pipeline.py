"""The order of the stages: load -> normalize -> segment -> tag -> cite, for one file or a whole corpus.

This is the only module that knows the order. Each stage is a pure function of records, so one file's
processing can run in a worker process and the index writer stays in the parent.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kb import load as load_stage
from kb import normalize, segment
from kb.config import Limits
from kb.lang import document_lang
from kb.models import DocRecord, Document, Meta, Passage

ID_LENGTH = 16


def file_sha256(path: Path) -> str:
    """The content hash of a file: documents are identified by what they contain, not where they are."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def doc_id_for(sha256: str) -> str:
    """The document id: a prefix of the content hash (stable across renames, moves and re-runs)."""
    return sha256[:ID_LENGTH]


def _fill_langs(passages: tuple[Passage, ...], doc_lang: str) -> tuple[Passage, ...]:
    fallback = doc_lang if doc_lang in ("fr", "en") else None
    return tuple(p if p.lang or not fallback else Passage(p.n, p.page, p.text, p.kind, fallback)
                 for p in passages)


def prepare(path: Path, limits: Limits | None = None, sha256: str | None = None) -> Document:
    """Loads, cleans and segments one file into a Document (no tagging, no citations)."""
    path = Path(path)
    raw = normalize.clean(load_stage.load(path, limits))
    passages = segment.segment(raw.pages)
    body = [(p.lang, len(p.text.split())) for p in passages if p.kind == "body"]
    lang = document_lang(body)
    sha = sha256 or file_sha256(path)
    pages = len(raw.pages) if raw.format == "pdf" else None
    meta = raw.meta
    if not meta.title:
        meta = Meta(**{**meta.__dict__, "title": path.stem.replace("_", " ").replace("-", " ")})
    return Document(doc_id=doc_id_for(sha), path=str(path), format=raw.format, sha256=sha, lang=lang,
                    meta=meta, pages=pages, passages=_fill_langs(passages, lang), stubs=raw.stubs,
                    warnings=raw.warnings)


def process(path: Path, taxonomy_file: Path | None = None, limits: Limits | None = None,
            sha256: str | None = None) -> DocRecord:
    """Every per-file stage: the DocRecord the index stores. Raises LoadError for unreadable files."""
    from kb import cite as cite_stage, tag as tag_stage, taxonomy as taxonomy_mod

    doc = prepare(path, limits, sha256)
    tax = taxonomy_mod.load(taxonomy_file)
    tagging = tag_stage.tag(doc, tax)
    citations = cite_stage.cite(doc)
    st = os.stat(path)
    return DocRecord(document=doc, tagging=tagging, citations=citations, mtime=st.st_mtime, size=st.st_size)
