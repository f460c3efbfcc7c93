"""A whole corpus into the index: incremental (content-hash ids), parallel, committed in batches under
the index lock, then the cited-works registry.

The order of the stages for one file lives in kb.perfile (re-exported here: prepare, process); workers
return each file's index fields, and this process only writes them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from kb import bib, registry
from kb import index as kb_index
from kb import load as load_stage
from kb.errors import KbError
from kb.lock import IndexLock
from kb.models import DocRecord, Failure, IngestReport
from kb.perfile import Context, Workers, beside, doc_id_for, fewer_collections, file_sha256, prepare, process

__all__ = ["BATCH_DOCS", "BATCH_SECONDS", "Progress", "collect", "doc_id_for", "ensure_index", "file_sha256",
           "ingest", "metadata_files", "prepare", "process", "reindex"]

# A commit per batch: what a crash can lose, and Whoosh's cost per commit (a segment, then merges).
# Measured on 1,000 records: batches of 50 cost 6.4 s of CPU and left 10 segments; of 200, 4.4 s and 5.
BATCH_DOCS = 250
BATCH_SECONDS = 10.0
TAIL_FILES = 3  # per worker: the files still to come when the last batch but a few files is committed


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


def _fingerprint(taxonomy_file: Path | None, extra: list[Path] = ()) -> str:
    """What every record depends on besides its own file: kb's own code and data (the shipped taxonomy,
    the reference model), the user's taxonomy and the metadata files."""
    h = hashlib.sha256(code_fingerprint().encode())
    for f in ([Path(taxonomy_file)] if taxonomy_file else []) + list(extra):
        h.update(str(f).encode() + Path(f).read_bytes())
    return h.hexdigest()[:16]


_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_fingerprint(package: Path = _PACKAGE) -> str:
    """A hash of the package's sources and data files: an index built by another kb (an upgrade, a fix to
    the reference parser) is re-processed by the next ingest instead of keeping that kb's citations."""
    h = hashlib.sha256()
    for f in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                    and p.suffix not in (".pyc", ".pyo")):
        h.update(f.relative_to(package).as_posix().encode() + b"\0" + f.read_bytes())
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

    files, missing = collect(paths, index_dir)
    report = IngestReport()
    report.failed.extend(missing)
    meta_files = metadata_files([Path(p) for p in paths])
    entries = _read_entries(meta_files, report)  # (before the workers start: they get the entries then)
    index_dir = Path(index_dir)
    with ExitStack() as stack:
        workers = stack.enter_context(Workers(jobs, Context(str(taxonomy_file) if taxonomy_file else None,
                                                              tuple(entries))))
        if len(files) >= 2:
            workers.warm_up(files)
        taxonomy_mod.load(taxonomy_file)  # a broken user taxonomy stops the run before any work
        stack.enter_context(IndexLock(index_dir, wait=lock_wait, on_wait=on_wait))
        stack.enter_context(fewer_collections())  # files done in this process, and the index writes
        ix = kb_index.open_or_create(index_dir)
        stored = list(kb_index.stored_docs(ix))
        by_id = {d.doc_id: d for d in stored}
        by_path = {d.path: d for d in stored}
        fingerprint = _fingerprint(taxonomy_file, meta_files)
        retag = kb_index.read_meta(index_dir).get("taxonomy") != fingerprint
        writer = kb_index.Writer(ix)
        stack.callback(writer.cancel)  # an ingest stopped midway drops its uncommitted batch and its temporary files
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
            # and once more while the workers do their last files, so that little is left to commit after
            # them: the commit after the last file is time when one core has nothing to do
            if (pending >= BATCH_DOCS or time.monotonic() - last_commit > BATCH_SECONDS
                    or (workers.jobs > 1 and workers.remaining == TAIL_FILES * workers.jobs)):
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
        _close_searchers()
    return report


def _close_searchers() -> None:
    """Closes the searchers this process keeps open on the index, if it ever searched (a `kb ingest`
    never imports the search modules: ~25 ms before its workers could start)."""
    searcher = sys.modules.get("kb.searcher")
    if searcher is not None:
        searcher.close_all()


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
    # the sources file (a cache for the next run) is written beside the build, on the other core
    with beside(lambda: registry.save_sources(records, index_dir, fingerprint)):
        registry.save(registry.build(records), index_dir)
    kb_index.write_meta(index_dir, registry=stamp)


def _stored_fields(ix, doc_id: str) -> dict:
    with ix.searcher() as s:
        return s.document(doc_id=doc_id)


def reindex(paths: list[Path], index_dir: Path, *, keep_indexed: bool = False, **options) -> IngestReport:
    """Rebuilds the index from scratch beside the old one, then swaps it in: a failed rebuild loses nothing.
    keep_indexed: also re-read the files the old index holds from outside paths ("kb ingest ~/article.pdf"
    once), and name those no longer found, which the rebuilt index leaves out."""
    index_dir = Path(index_dir)
    tmp = index_dir.parent / f".{index_dir.name}.rebuild"
    old = index_dir.parent / f".{index_dir.name}.old"
    shutil.rmtree(tmp, ignore_errors=True)
    recorded = kb_index.recorded_docs(index_dir) if keep_indexed else {}
    covered = {f.resolve() for f in collect(paths, index_dir)[0]} if recorded else set()
    outside = sorted({Path(p) for p in recorded.values() if Path(p).is_file() and Path(p).resolve() not in covered})
    report = ingest(list(paths) + outside, tmp, **options)
    if recorded:
        rebuilt = set(kb_index.recorded_docs(tmp))
        gone = sorted(path for doc_id, path in recorded.items() if doc_id not in rebuilt and not Path(path).is_file())
        report.removed += gone
        report.warnings += [f"{path}: no longer found; left out of the rebuilt index" for path in gone]
    _close_searchers()
    with IndexLock(index_dir, wait=options.get("lock_wait", 0.0)):
        shutil.rmtree(old, ignore_errors=True)
        if index_dir.exists():
            os.replace(index_dir, old)
        os.replace(tmp, index_dir)
    shutil.rmtree(old, ignore_errors=True)
    return report


def ensure_index(corpus: Path, index_dir: Path, **options) -> IngestReport | None:
    """Builds the index from the corpus when there is none yet (the first search), or finishes a first
    build that was interrupted (its kb.json has no taxonomy stamp yet); None when it exists."""
    if kb_index.exists(index_dir) and "taxonomy" in kb_index.read_meta(index_dir):
        return None
    if not Path(corpus).exists():
        raise KbError(f"no index at {index_dir} and no corpus folder at {corpus}: run `kb ingest PATH`")
    return ingest([Path(corpus)], index_dir, **options)
