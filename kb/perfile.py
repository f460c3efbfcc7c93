"""One file through every stage (load -> normalize -> segment -> tag -> cite), in this process or in
worker processes: the per-file half of an ingest (kb.pipeline does the corpus half).

Each stage is a pure function of records, so a worker does everything one file needs, index fields
included, and the parent only writes what the workers return.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from kb import normalize, registry, segment
from kb import index as kb_index
from kb import load as load_stage
from kb.config import Limits
from kb.errors import KbError
from kb.lang import document_lang
from kb.models import DocRecord, Document, Failure, Meta, Passage

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


@contextmanager
def beside(task: Callable[[], object]) -> Iterator[None]:
    """Runs task in a forked child while the with-block runs here, on the other core, and waits for it
    at the block's end; runs it here after the block where it could not run there (no fork: another
    thread runs, or not Linux) or failed there. For a task whose only effect is a file it writes."""
    pid = 0
    if _forking():
        try:
            pid = os.fork()
        except OSError:
            pid = 0
        else:
            if pid == 0:  # the child: the task, then out at once (no cleanup of the parent's objects)
                code = 1
                try:
                    _die_with_parent()
                    task()
                    code = 0
                finally:
                    os._exit(code)
    try:
        yield
    finally:
        done = pid > 0 and os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    if not done:
        task()


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
class Context:
    """What every file's processing shares: given to each worker process once, not with every file."""

    taxonomy_file: str | None = None
    entries: tuple = ()  # bib entries of the corpus's metadata files


_CONTEXT = Context()


# Collections of the youngest generation: every 10,000 allocations, not 700. A file allocates a few
# hundred thousand short-lived objects (pypdf's operands, words, matches); at 700 the collector ran ~1,000
# times per file and scanned the young survivors each time: ~10 % of a worker's CPU (measured, 300 PDFs).
GC_THRESHOLD = 10_000


@contextmanager
def fewer_collections():
    """The cyclic collector tuned for a batch of files (see GC_THRESHOLD), restored after."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _init_worker(context: Context) -> None:
    global _CONTEXT
    _CONTEXT = context
    from kb import taxonomy as taxonomy_mod

    try:  # compiled before the freeze, so the collector never scans the term index again
        taxonomy_mod.load(Path(context.taxonomy_file) if context.taxonomy_file else None).index
    except KbError:
        pass  # reported by the first file, as without the warm-up
    # Imports and the taxonomy live as long as the worker: out of every collection's scan.
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def _indexed(record: DocRecord, entries) -> Indexed:
    if entries:
        from kb import bib  # (with the BibTeX parser: imported only by runs that have metadata files)

        entry = bib.match(entries, record.document)
        if entry is not None:  # a Zotero export describes this file: its metadata wins over guesses
            record = replace(record, document=replace(record.document, meta=bib.apply(entry, record.document.meta)))
    doc = record.document
    return Indexed(doc.doc_id, doc.path, doc.warnings, kb_index.fields_for(record), registry.slim(record))


def _work(job: tuple[str, str], context: Context | None = None) -> Indexed | Failure:
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


# What the fork server imports once, so that each worker forked from it starts with it: the stages, and
# kb.workerwarm (the built-in taxonomy's term index and the reference labeller, built once).
WORKER_MODULES = ["kb.perfile", "kb.tag", "kb.cite", "kb.taxonomy", "kb.workerwarm", "kb.load.pdf", "kb.load.html",
                  "kb.load.text"]
# The loader modules by file suffix, with the libraries they import on first use: the fork server imports
# only those the files need (BeautifulSoup alone is ~50 ms of a PDF-only run's start; pypdf is ~70 ms that
# every worker paid again before its first PDF).
_LOADER_MODULES = {"pdf": ("kb.load.pdf", "pypdf"), "html": ("kb.load.html",), "text": ("kb.load.text",)}


def job_count(jobs: int | None) -> int:
    """Worker processes for an ingest: jobs, else KB_JOBS, else one per core."""
    return jobs or int(os.environ.get("KB_JOBS") or 0) or os.cpu_count() or 1


@contextmanager
def _main_hidden():
    """The caller's main script hidden from multiprocessing while a worker starts: a worker needs only
    kb.perfile, yet multiprocessing re-runs the parent's script in each one (the kb CLI with typer, or a
    bench), ~40-150 ms per worker before its first file."""
    main = sys.modules.get("__main__")
    path = main.__dict__.pop("__file__", None) if main is not None else None
    try:
        yield
    finally:
        if path is not None:
            main.__file__ = path


if sys.platform != "win32":
    from multiprocessing.context import ForkServerContext, ForkServerProcess

    class _WorkerProcess(ForkServerProcess):
        @staticmethod
        def _Popen(process_obj):
            with _main_hidden():
                return ForkServerProcess._Popen(process_obj)

    class _WorkerContext(ForkServerContext):
        Process = _WorkerProcess


@lru_cache(maxsize=1)
def _prctl():
    """Linux's prctl from the C library, or None."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError, ImportError):
        return None


def _forking() -> bool:
    """Whether workers are forked from this process (Linux, no other thread running) rather than from a
    fork server. A forked worker starts at once with this process's imports and does its own in parallel
    with the other worker: its first file starts ~0.15 s sooner than from a server that must first start
    a fresh interpreter and import everything (300 PDFs, with kb.whooshfix's term-list postings: 5.19 ->
    4.86 s wall, medians of five alternating runs).
    A thread running at the fork could hold a lock the child would inherit locked; and a forked worker
    holds copies of its own queue's pipes, so it would not see its parent die: it asks the kernel to
    kill it then (_init_forked)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1 and _prctl() is not None


def _die_with_parent() -> None:
    """Asks Linux to kill this forked process when its parent dies (PR_SET_PDEATHSIG)."""
    _prctl()(1, signal.SIGKILL, 0, 0, 0)


def _init_forked(context: Context, parent: int) -> None:
    _die_with_parent()
    if os.getppid() != parent:
        os._exit(1)  # it died before that: no orphan worker
    _init_worker(context)


def _context(modules: list[str] = WORKER_MODULES):
    if sys.platform == "win32":
        return multiprocessing.get_context("spawn")
    if _forking():
        return multiprocessing.get_context("fork")
    ctx = _WorkerContext()
    ctx.set_forkserver_preload(modules)  # (no effect once the server runs)
    return ctx


def warm_up(jobs: int | None, files: list[Path] = ()) -> None:
    """Where workers come from a fork server, starts it now, without waiting for it: its imports (~0.3 s)
    then overlap this process's own set-up (taxonomy, index scan) instead of delaying the first results.
    With files, it imports only the loaders of their formats."""
    if job_count(jobs) > 1 and sys.platform != "win32" and not _forking():
        from multiprocessing import forkserver

        modules = WORKER_MODULES
        if files:
            formats = {load_stage.SUFFIXES.get(Path(f).suffix.lower()) for f in files}
            needed = {m for fmt in formats for m in _LOADER_MODULES.get(fmt, ())}
            loaders = {m for ms in _LOADER_MODULES.values() for m in ms}
            modules = [m for m in WORKER_MODULES if m not in loaders] + sorted(needed)
        _context(modules)
        forkserver.ensure_running()


class Workers:
    """Files handed to worker processes as the scan finds them (worker start-up overlaps the scan);
    results in submission order (deterministic). One file, or one job, runs in this process."""

    def __init__(self, jobs: int | None, context: Context):
        self.jobs = job_count(jobs)
        self.context = context
        self._pool: ProcessPoolExecutor | None = None
        self._queue: deque = deque()  # futures once the pool runs; jobs before (and when in process)

    def warm_up(self, files: list[Path] = ()) -> None:
        """Boots the fork server now where workers come from one (see warm_up). Forked workers are
        started by the second file to do: forking them sooner gained nothing (the caller's set-up after
        its taxonomy takes ~1 ms) and cost an unchanged re-run ~0.07 s of waiting for idle workers."""
        if self._pool is None:
            warm_up(self.jobs, files)

    def _new_pool(self) -> ProcessPoolExecutor:
        ctx = _context()
        init, args = ((_init_forked, (self.context, os.getpid())) if ctx.get_start_method() == "fork"
                      else (_init_worker, (self.context,)))
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx, initializer=init, initargs=args)

    def submit(self, job: tuple[str, str]) -> None:
        if self._pool is not None:
            self._queue.append(self._pool.submit(_work, job))
            return
        self._queue.append(job)
        if self.jobs > 1 and len(self._queue) > 1:  # a second file: worth starting the workers
            self._pool = self._new_pool()
            self._queue = deque(self._pool.submit(_work, j) for j in self._queue)

    @property
    def remaining(self) -> int:
        """Files whose results are still to come."""
        return len(self._queue)

    def results(self) -> Iterator[Indexed | Failure]:
        while self._queue:
            item = self._queue.popleft()
            if isinstance(item, tuple):
                yield _work(item, self.context)
                continue
            try:
                result = item.result()
            except BrokenProcessPool:
                raise KbError("a worker process died while reading files (killed, or out of memory); what was "
                              "indexed before is kept: run `kb ingest` again to finish, or use --jobs 1 to "
                              "find the file") from None
            yield result
        if self._pool is not None:  # every result is in: the workers and the pool's threads end now
            self._pool.shutdown(wait=True)
            self._pool = None

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=exc[0] is None, cancel_futures=True)
