"""The order of the stages: load -> normalize -> segment -> tag -> cite, for one file or a whole corpus.

This is the only module that knows the order. Each stage is a pure function of records, so one file's
processing can run in a worker process and the index writer stays in the parent.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from kb import load as load_stage
from kb import index as kb_index
from kb import bib, normalize, registry, segment
from kb.config import Limits
from kb.errors import KbError
from kb.lang import document_lang
from kb.lock import IndexLock
from kb.models import DocRecord, Document, Failure, IngestReport, Meta, Passage

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


# ---------------------------------------------------------------------------------------------------
# A whole corpus: incremental, parallel, committed in batches under the index lock.

# A commit per batch: what a crash can lose, and Whoosh's cost per commit (a segment, then merges).
# Measured on 1,000 records: batches of 50 cost 6.4 s of CPU and left 10 segments; of 200, 4.4 s and 5.
BATCH_DOCS = 250
BATCH_SECONDS = 10.0


@dataclass(frozen=True)
class Progress:
    """One step of an ingest, for a progress display: `done` of `total` files, the file just handled."""

    done: int
    total: int
    path: str
    status: str  # "added" | "updated" | "failed" | ...


def collect(paths: list[Path], index_dir: Path | None = None) -> tuple[list[Path], list[Failure]]:
    """The document files under paths (folders walked recursively, sorted), and paths that do not exist."""
    files: list[Path] = []
    missing: list[Failure] = []
    skip = Path(index_dir).resolve() if index_dir else None
    for root in paths:
        root = Path(root)
        if not root.exists():
            missing.append(Failure(str(root), "no such file or folder"))
        elif root.is_file():
            files.append(root)
        else:
            for f in sorted(root.rglob("*")):
                rel = f.relative_to(root).parts
                if any(part.startswith(".") for part in rel) or (skip and skip in f.resolve().parents):
                    continue
                if f.is_file() and load_stage.is_document(f):
                    files.append(f)
    return list(dict.fromkeys(files)), missing


def metadata_files(paths: list[Path]) -> list[Path]:
    """BibTeX, RIS and CSL-JSON files under paths (Zotero exports describing the documents)."""
    out: list[Path] = []
    for root in map(Path, paths):
        candidates = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        out += [f for f in candidates if f.is_file() and f.suffix.lower() in load_stage.METADATA_SUFFIXES
                and not any(part.startswith(".") for part in f.parts[len(root.parts):])]
    return out


def _read_entries(files: list[Path], report: IngestReport) -> list:
    entries = []
    for f in files:
        try:
            entries += bib.read_metadata(f)
        except KbError as exc:
            report.failed.append(Failure(str(f), getattr(exc, "reason", None) or str(exc)))
    return entries


@dataclass(frozen=True)
class Indexed:
    """A worker's result: one document's index fields, computed beside its extraction so the parent
    only writes, and the little the parent still needs (the report, the registry's input)."""

    doc_id: str
    path: str
    warnings: tuple[str, ...]
    fields: dict  # kb.index.fields_for(record)
    cited: DocRecord  # registry.slim(record)


@dataclass(frozen=True)
class _Context:
    """What every file's processing shares: given to each worker process once, not with every file."""

    taxonomy_file: str | None = None
    entries: tuple = ()  # bib entries of the corpus's metadata files


_CONTEXT = _Context()


def _init_worker(context: _Context) -> None:
    global _CONTEXT
    _CONTEXT = context


def _indexed(record: DocRecord, entries) -> Indexed:
    entry = bib.match(entries, record.document) if entries else None
    if entry is not None:  # a Zotero export describes this file: its metadata wins over guesses
        record = replace(record, document=replace(record.document, meta=bib.apply(entry, record.document.meta)))
    doc = record.document
    return Indexed(doc.doc_id, doc.path, doc.warnings, kb_index.fields_for(record), registry.slim(record))


def _work(job: tuple[str, str], context: _Context | None = None) -> Indexed | Failure:
    """Worker entry point: one file through every stage; failures come back as values, never raised."""
    path, sha = job
    context = context or _CONTEXT
    try:
        tax = Path(context.taxonomy_file) if context.taxonomy_file else None
        return _indexed(process(Path(path), tax, sha256=sha), context.entries)
    except KbError as exc:
        return Failure(path, getattr(exc, "reason", None) or str(exc))
    except Exception as exc:  # a bug on one odd file must not stop the other files
        return Failure(path, f"internal error ({type(exc).__name__}: {exc})"[:300])


def _fingerprint(taxonomy_file: Path | None, extra: list[Path] = ()) -> str:
    """What every record depends on besides its own file: the taxonomy and the metadata files."""
    from importlib.resources import files

    h = hashlib.sha256(files("kb").joinpath("data/taxonomy.toml").read_bytes())
    for f in ([Path(taxonomy_file)] if taxonomy_file else []) + list(extra):
        h.update(str(f).encode() + Path(f).read_bytes())
    return h.hexdigest()[:16]


def _relocated(record: DocRecord, path: Path) -> DocRecord:
    st = path.stat()
    doc = replace(record.document, path=str(path))
    return replace(record, document=doc, mtime=st.st_mtime, size=st.st_size)


def ingest(paths: list[Path], index_dir: Path, *, taxonomy_file: Path | None = None, jobs: int | None = None,
           prune: bool = False, on_progress: Callable[[Progress], None] | None = None,
           lock_wait: float = 0.0, on_wait: Callable[[str], None] | None = None) -> IngestReport:
    """Brings the index up to date with the files under paths; returns what was done and what failed."""
    from kb import taxonomy as taxonomy_mod
    from kb.search import close_all

    taxonomy_mod.load(taxonomy_file)  # a broken user taxonomy stops the run before any work
    report = IngestReport()
    files, missing = collect(paths, index_dir)
    report.failed.extend(missing)
    index_dir = Path(index_dir)
    with ExitStack() as stack:
        stack.enter_context(IndexLock(index_dir, wait=lock_wait, on_wait=on_wait))
        ix = kb_index.open_or_create(index_dir)
        stored = list(kb_index.stored_docs(ix))
        by_id = {d.doc_id: d for d in stored}
        by_path = {d.path: d for d in stored}
        meta_files = metadata_files([Path(p) for p in paths])
        entries = _read_entries(meta_files, report)
        fingerprint = _fingerprint(taxonomy_file, meta_files)
        retag = kb_index.read_meta(index_dir).get("taxonomy") != fingerprint
        writer = kb_index.Writer(ix)
        workers = stack.enter_context(_Workers(jobs, _Context(str(taxonomy_file) if taxonomy_file else None,
                                                              tuple(entries))))
        seen_ids: dict[str, str] = {}
        ids = set(by_id)  # the index's documents once this run is committed
        cited: dict[str, DocRecord] = {}  # registry inputs of the documents (re)written by this run
        done = 0

        def step(path: str, status: str) -> None:
            nonlocal done
            done += 1
            if on_progress:
                on_progress(Progress(done, len(files), path, status))

        for f in files:
            path = str(f)
            known = by_path.get(path)
            st = f.stat()
            if known and known.size == st.st_size and known.mtime == st.st_mtime and not retag:
                seen_ids[known.doc_id] = path
                report.unchanged.append(path)
                step(path, "unchanged")
                continue
            sha = file_sha256(f)
            doc_id = doc_id_for(sha)
            if doc_id in seen_ids:
                report.warnings.append(f"{path}: same content as {seen_ids[doc_id]}; indexed once")
                step(path, "duplicate")
                continue
            seen_ids[doc_id] = path
            old = by_id.get(doc_id)
            if old and not retag:
                if old.path != path and Path(old.path).exists():
                    report.warnings.append(f"{path}: same content as {old.path}; indexed once")
                    step(path, "duplicate")
                    continue
                if old.path != path or old.mtime != st.st_mtime:
                    # moved, renamed or touched: same content, same id; only the path and stat change
                    rec = _relocated(kb_index.load_record(_stored_fields(ix, doc_id)), f)
                    writer.put(rec)
                    cited[doc_id] = registry.slim(rec)
                (report.moved if old.path != path else report.unchanged).append(path)
                step(path, "moved" if old.path != path else "unchanged")
                continue
            workers.submit((path, sha))

        last_commit = time.monotonic()
        pending = 0
        for result in workers.results():
            if isinstance(result, Failure):
                report.failed.append(result)
                step(result.path, "failed")
                continue
            previous = by_path.get(result.path)
            writer.put_fields(result.fields)
            cited[result.doc_id] = result.cited
            ids.add(result.doc_id)
            if previous and previous.doc_id != result.doc_id:
                writer.delete(previous.doc_id)
                ids.discard(previous.doc_id)
                report.updated.append(result.path)
            elif result.doc_id in by_id:
                report.updated.append(result.path)
            else:
                report.added.append(result.path)
            report.warnings.extend(f"{result.path}: {w}" for w in result.warnings)
            step(result.path, "indexed")
            pending += 1
            if pending >= BATCH_DOCS or time.monotonic() - last_commit > BATCH_SECONDS:
                writer.commit()
                pending, last_commit = 0, time.monotonic()

        present = set(seen_ids)
        roots = [Path(p).resolve() for p in paths]
        for d in stored:
            if d.doc_id in present or Path(d.path).exists():
                continue
            under = any(r == Path(d.path).resolve() or r in Path(d.path).resolve().parents for r in roots)
            if prune and under:
                writer.delete(d.doc_id)
                ids.discard(d.doc_id)
                report.removed.append(d.path)
            elif under:
                report.warnings.append(f"{d.path}: file is gone but still indexed (kb ingest --prune drops it)")
        writer.commit()
        kb_index.write_meta(index_dir, taxonomy=fingerprint)
        _update_registry(ix, index_dir, ids, cited, fingerprint)
        close_all()
    return report


def _update_registry(ix, index_dir: Path, ids: set[str], cited: dict[str, DocRecord], fingerprint: str) -> None:
    """Rebuilds works.json when the index's documents differ from those it was built from.

    kb.json's "registry" stamp names the documents (and taxonomy and metadata files) of the last build;
    it is written last, so a run killed before it leaves a stamp that no longer matches and the next
    run rebuilds. The inputs come from this run's workers and, for the other documents, from the
    sources file the last build saved; only documents missing from both are read from the index."""
    stamp = hashlib.sha256("\n".join([fingerprint, *sorted(ids)]).encode()).hexdigest()[:16]
    if not cited and kb_index.read_meta(index_dir).get("registry") == stamp and (index_dir / registry.FILE).exists():
        return
    inputs = {i: r for i, r in (registry.load_sources(index_dir, fingerprint) or {}).items() if i in ids}
    inputs.update({i: r for i, r in cited.items() if i in ids})
    missing = ids - inputs.keys()
    if missing:
        with ix.searcher() as s:
            for doc_id in sorted(missing):
                inputs[doc_id] = registry.slim(kb_index.load_record(s.document(doc_id=doc_id)))
    records = [inputs[i] for i in sorted(inputs)]
    registry.save(registry.build(records), index_dir)
    registry.save_sources(records, index_dir, fingerprint)
    kb_index.write_meta(index_dir, registry=stamp)


def _stored_fields(ix, doc_id: str) -> dict:
    with ix.searcher() as s:
        return s.document(doc_id=doc_id)


# Imported once by the forkserver, so each worker starts with them loaded (about 0.3 s less per ingest).
WORKER_MODULES = ["__main__", "kb.pipeline", "kb.tag", "kb.cite", "kb.taxonomy", "kb.load.pdf", "kb.load.html",
                  "kb.load.text"]


class _Workers:
    """Files handed to worker processes as the scan finds them (worker start-up overlaps the scan);
    results in submission order (deterministic). One file, or one job, runs in this process."""

    def __init__(self, jobs: int | None, context: _Context):
        self.jobs = jobs or int(os.environ.get("KB_JOBS") or 0) or os.cpu_count() or 1
        self.context = context
        self._pool: ProcessPoolExecutor | None = None
        self._queue: deque = deque()  # futures once the pool runs; jobs before (and when in process)

    def submit(self, job: tuple[str, str]) -> None:
        if self._pool is not None:
            self._queue.append(self._pool.submit(_work, job))
            return
        self._queue.append(job)
        if self.jobs > 1 and len(self._queue) > 1:  # a second file: worth starting the workers
            ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
            if sys.platform != "win32":
                ctx.set_forkserver_preload(WORKER_MODULES)
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx, initializer=_init_worker,
                                             initargs=(self.context,))
            self._queue = deque(self._pool.submit(_work, j) for j in self._queue)

    def results(self) -> Iterator[Indexed | Failure]:
        while self._queue:
            item = self._queue.popleft()
            yield _work(item, self.context) if isinstance(item, tuple) else item.result()

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=exc[0] is None, cancel_futures=True)


def reindex(paths: list[Path], index_dir: Path, **options) -> IngestReport:
    """Rebuilds the index from scratch beside the old one, then swaps it in: a failed rebuild loses nothing."""
    index_dir = Path(index_dir)
    tmp = index_dir.parent / f".{index_dir.name}.rebuild"
    old = index_dir.parent / f".{index_dir.name}.old"
    shutil.rmtree(tmp, ignore_errors=True)
    report = ingest(paths, tmp, **options)
    from kb.search import close_all

    close_all()
    with IndexLock(index_dir, wait=options.get("lock_wait", 0.0)):
        shutil.rmtree(old, ignore_errors=True)
        if index_dir.exists():
            os.replace(index_dir, old)
        os.replace(tmp, index_dir)
    shutil.rmtree(old, ignore_errors=True)
    return report


def ensure_index(corpus: Path, index_dir: Path, **options) -> IngestReport | None:
    """Builds the index from the corpus when there is none yet (the first search); None when it exists."""
    if kb_index.exists(index_dir):
        return None
    if not Path(corpus).exists():
        raise KbError(f"no index at {index_dir} and no corpus folder at {corpus}: run `kb ingest PATH`")
    return ingest([Path(corpus)], index_dir, **options)
