"""kb's performance figures, each beside a reference measured in the same run: bare pypdf for ingest,
SQLite FTS5 (stdlib) on the same passages for the index and for search.

Run: python bench/run.py [--docs N] [--large] [--pdfs N] [--quick] [--no-shared] [--ingest-only] [--profile]
[--stages]
Prints a table (PASS/FAIL against the targets of issue 6) and writes it as JSON under bench/results/.
Corpora come from bench/gen.py (cached under bench/.cache/); indexes are built in a temporary folder
under bench/.cache/ and removed at the end. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import compileall
import json
import logging
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import gen  # noqa: E402
from kb import index as kb_index  # noqa: E402
from kb import pipeline  # noqa: E402
from kb.analysis import is_stop  # noqa: E402
from kb.search import close_all, search  # noqa: E402

SHARED_PDFS = ROOT.parent / "shared" / "data" / "pdfs"
RESULTS = HERE / "results"
JOBS = 2
# Concepts for filtered queries, the first ones present in the index are used (ids of kb/data/taxonomy.toml).
CONCEPTS = ("pain.chronic", "alliance.rupture", "attachment", "modality.online", "practice.hypnosis",
            "bordin.bond", "alliance.measure", "evidence.meta_analysis")
TARGETS = {  # (figure, limit, unit) from issue 6 (search, re-ingest, build) and issues 2 and 5
    "search_term_p95": 30.0, "search_concept_facets_p95": 60.0, "cli_wall": 400.0, "cli_wall_1k": 500.0,
    "reingest_1k": 3.0, "build_ratio": 10.0, "ingest_ratio": 1.5,
}


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))] if s else float("nan")


LOAD: list[float] = []  # 1-minute load averages sampled at each step: other work on the machine skews timings


def log(msg: str) -> None:
    LOAD.append(os.getloadavg()[0])
    print(f"[bench {time.strftime('%H:%M:%S')} load {LOAD[-1]:.1f}] {msg}", file=sys.stderr, flush=True)


# --- ingest ----------------------------------------------------------------------------------------

def bare_pypdf(paths: list[Path]) -> tuple[float, float, int, list[Path]]:
    """Single-process `PdfReader(path).pages[i].extract_text()` over every page: seconds (wall, CPU),
    pages, readable files."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    total, cpu, pages, ok = 0.0, 0.0, 0, []
    for p in paths:
        t, c = time.perf_counter(), time.process_time()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reader = PdfReader(p)
                n = len(reader.pages)
                for i in range(n):
                    reader.pages[i].extract_text()
        except Exception:  # the reference skips what it cannot read; kb gets the same readable files
            continue
        total += time.perf_counter() - t
        cpu += time.process_time() - c
        pages += n
        ok.append(p)
    return total, cpu, pages, ok


def kb_ingest(paths: list[Path], index_dir: Path, jobs: int = JOBS):
    shutil.rmtree(index_dir, ignore_errors=True)
    t = time.perf_counter()
    report = pipeline.ingest(paths, index_dir, jobs=jobs)
    return time.perf_counter() - t, report


def kb_cpu(paths: list[Path], index_dir: Path) -> float:
    """CPU seconds of a whole single-process ingest (every stage and the index writes): with the pypdf
    CPU seconds, the floor of the ratio on two idle cores is (kb / pypdf) / 2, whatever the machine load."""
    shutil.rmtree(index_dir, ignore_errors=True)
    pipeline.process(paths[0])  # imports and the taxonomy, as the workers have them before their first file
    c = time.process_time()
    pipeline.ingest(paths, index_dir, jobs=1)
    return time.process_time() - c


def stage_cpu(paths: list[Path]) -> dict[str, float]:
    """CPU seconds per 100 files of each per-file stage, one process (where the ingest's CPU goes)."""
    import gc

    from kb import taxonomy
    from kb.perfile import fewer_collections

    tax = taxonomy.load(None)
    tax.index
    gc.freeze()  # as a worker process does (kb.perfile._init_worker): the bench's own objects stay out
    try:
        with fewer_collections():
            return _stage_cpu(paths, tax)
    finally:
        gc.unfreeze()


def _stage_cpu(paths: list[Path], tax) -> dict[str, float]:
    from kb import cite, load, normalize, registry, segment, tag
    from kb.models import CitationResult, DocRecord
    from kb.perfile import prepare

    cost = dict.fromkeys(("load", "normalize", "segment", "tag", "references", "citations", "index fields"), 0.0)
    done = 0
    for p in paths:
        try:
            c = time.process_time()
            raw = load.load(p)
            c1 = time.process_time()
            pages = normalize.clean(raw).pages
            c2 = time.process_time()
            segment.segment(pages)
            c3 = time.process_time()
        except Exception:  # unreadable files cost nothing beyond their failure
            continue
        doc = prepare(p)  # the same stages again, untimed, for the Document the next ones take
        c4 = time.process_time()
        tagging = tag.tag(doc, tax)
        c5 = time.process_time()
        refs = cite.references(doc)
        c6 = time.process_time()
        cited = CitationResult(references=refs, citations=cite.citations(doc, refs))
        c7 = time.process_time()
        rec = DocRecord(document=doc, tagging=tagging, citations=cited)
        kb_index.fields_for(rec), registry.slim(rec)
        c8 = time.process_time()
        for k, v in zip(cost, (c1 - c, c2 - c1, c3 - c2, c5 - c4, c6 - c5, c7 - c6, c8 - c7)):
            cost[k] += v
        done += 1
    return {k: 100 * v / max(done, 1) for k, v in cost.items()}


def _stop_fork_server() -> None:
    """Each timed kb ingest starts its own worker server, as a `kb ingest` process does (a server left
    running by the previous repeat would spare it ~0.3 s of imports)."""
    from multiprocessing import forkserver

    forkserver._forkserver._stop()


def bench_pdf_ingest(name: str, paths: list[Path], work: Path, stages: bool = False, repeats: int = 3) -> dict:
    # Bare pypdf and kb alternate, `repeats` times: the ratio is the median of the pairs' ratios (a shared
    # 2-core VM drifts by 5-10 % between runs; each pair is timed under the same conditions).
    bares, kbs = [], []
    for r in range(repeats):
        log(f"ingest {name}: bare pypdf on {len(paths)} PDFs ({r + 1}/{repeats})")
        bare_s, bare_cpu, pages, ok = bare_pypdf(paths)
        log(f"ingest {name}: kb ingest --jobs {JOBS} on {len(ok)} readable PDFs ({r + 1}/{repeats})")
        _stop_fork_server()
        kb_s, report = kb_ingest(ok, work / f"ix-{name}")
        bares.append(bare_s)
        kbs.append(kb_s)
    ratios = sorted(k / b for k, b in zip(kbs, bares) if b)
    bare_s, kb_s = statistics.median(bares), statistics.median(kbs)
    for f in report.failed[:3]:
        log(f"kb failed: {f.path}: {f.reason}")
    log(f"ingest {name}: kb ingest --jobs 1, CPU time")
    cpu = kb_cpu(ok, work / f"ix-{name}-cpu")
    per100 = None
    if stages:
        log(f"ingest {name}: CPU per stage, one process")
        per100 = {"pypdf": 100 * bare_cpu / max(len(ok), 1), **stage_cpu(ok),
                  "whole ingest": 100 * cpu / max(len(ok), 1)}
    return {"stages_cpu_per_100": per100,
            "files": len(paths), "readable": len(ok), "pages": pages, "pypdf_s": bare_s, "kb_s": kb_s,
            "kb_failed": [f"{f.path}: {f.reason}" for f in report.failed], "docs_per_s": len(ok) / kb_s,
            "pages_per_s": pages / kb_s, "pypdf_pages_per_s": pages / bare_s if bare_s else None,
            "ratio": statistics.median(ratios) if ratios else None, "ratios": [round(x, 3) for x in ratios],
            "pypdf_cpu_s": bare_cpu, "kb_cpu_s": cpu,
            "cpu_ratio": cpu / bare_cpu if bare_cpu else None}


# --- index: kb (Whoosh) and FTS5 on the same passages ------------------------------------------------

def records(index_dir: Path) -> list:
    ix = kb_index.open_index(index_dir)
    with ix.searcher() as s:
        return [kb_index.load_record(f) for f in s.all_stored_fields()]


def kb_index_only(recs: list, index_dir: Path) -> float:
    """The Whoosh part alone: the same records written with kb's Writer, committed in kb's batches."""
    shutil.rmtree(index_dir, ignore_errors=True)
    t = time.perf_counter()
    ix = kb_index.create_index(index_dir)
    w = kb_index.Writer(ix)
    for n, rec in enumerate(recs, 1):
        w.put(rec)
        if n % pipeline.BATCH_DOCS == 0:
            w.commit()
    w.commit()
    return time.perf_counter() - t


def fts_rows(recs: list):
    """(doc number, text) per passage kb indexes (titles and body passages; not reference lists)."""
    for d, rec in enumerate(recs):
        if rec.document.meta.title:
            yield d, rec.document.meta.title
        for p in rec.document.passages:
            if p.kind != "references":
                yield d, p.text


def fts_build(recs: list, db: Path) -> tuple[float, int]:
    db.unlink(missing_ok=True)
    t = time.perf_counter()
    con = sqlite3.connect(db)
    con.executescript("""
        CREATE VIRTUAL TABLE p USING fts5(body, doc UNINDEXED, tokenize='unicode61 remove_diacritics 2');
        CREATE TABLE d(id INTEGER PRIMARY KEY, doc_id TEXT, lang TEXT);
        CREATE TABLE dc(doc INTEGER, concept TEXT);
    """)
    with con:
        con.executemany("INSERT INTO p(doc, body) VALUES (?, ?)", fts_rows(recs))
        con.executemany("INSERT INTO d VALUES (?, ?, ?)",
                        ((n, r.document.doc_id, r.document.lang) for n, r in enumerate(recs)))
        con.executemany("INSERT INTO dc VALUES (?, ?)",
                        ((n, c.id) for n, r in enumerate(recs) for c in r.tagging.concepts))
        con.execute("CREATE INDEX dc_concept ON dc(concept, doc)")
        con.execute("CREATE INDEX dc_doc ON dc(doc)")
    passages = con.execute("SELECT count(*) FROM p").fetchone()[0]
    con.close()
    return time.perf_counter() - t, passages


# --- queries ---------------------------------------------------------------------------------------

def make_queries(recs: list, n: int, seed: int = 7) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Queries drawn from the indexed text itself (so they match, as users' queries mostly do)."""
    rng = random.Random(seed)
    texts = [p.text for r in recs for p in r.document.passages if p.kind == "body"]
    present = {c.id for r in recs for c in r.tagging.concepts}
    concepts = [c for c in CONCEPTS if c in present] or sorted(present)[:5]

    def words(k: int) -> list[str]:
        while True:
            toks = [w for w in re.findall(r"[^\W\d_]{3,}", rng.choice(texts)) if not is_stop(w.lower())]
            if len(toks) >= k:
                i = rng.randrange(len(toks) - k + 1)
                return toks[i:i + k]

    def adjacent_pair() -> str:
        while True:
            toks = re.findall(r"[^\W\d_]+", rng.choice(texts))
            pairs = [(a, b) for a, b in zip(toks, toks[1:]) if len(a) > 3 and len(b) > 3
                     and not is_stop(a.lower()) and not is_stop(b.lower())]
            if pairs:
                return '"%s %s"' % rng.choice(pairs)

    def misspell(w: str) -> str:
        i = rng.randrange(1, len(w) - 2)
        return w[:i] + w[i + 1] + w[i] + w[i + 2:] if rng.random() < 0.5 else w[:i] + w[i + 1:]

    out: dict[str, list] = {"term": [], "phrase": [], "concept": [], "facets": [], "fuzzy": []}
    for _ in range(n):
        out["term"].append((" ".join(words(rng.randint(1, 3))), ()))
        out["phrase"].append((adjacent_pair(), ()))
        out["concept"].append((words(1)[0], (rng.choice(concepts),) if concepts else ()))
        out["facets"].append((" ".join(words(rng.randint(1, 2))), ()))
        long = [w for w in words(3) if len(w) >= 6] or ["alliance"]
        out["fuzzy"].append((misspell(long[0]), ()))
    return out


KINDS = {  # kind: (with_facets, what it measures)
    "term": (False, "1-3 words, no facets"),
    "phrase": (False, "a quoted two-word phrase"),
    "concept": (True, "1 word + concept filter + facets"),
    "facets": (True, "1-2 words + facets"),
    "fuzzy": (False, "one misspelled word (correction)"),
}


def kb_queries(index_dir: Path, queries: dict) -> dict:
    close_all()
    for text, _ in queries["term"][:3]:  # opening the searcher is the CLI's cost, not a query's
        search(index_dir, text, with_facets=True)
    out = {}
    for kind, qs in queries.items():
        times, errors, totals = [], [], []
        for text, concepts in qs:
            t = time.perf_counter()
            try:
                res = search(index_dir, text, limit=10, concepts=concepts, with_facets=KINDS[kind][0])
            except Exception as exc:  # a failing query is a finding, not a reason to stop the bench
                errors.append(f"{text!r}: {type(exc).__name__}: {exc}"[:200])
                continue
            times.append((time.perf_counter() - t) * 1000)
            totals.append(res.total)
        out[kind] = {"p50": pct(times, 50), "p95": pct(times, 95), "n": len(times), "errors": errors[:3],
                     "n_errors": len(errors), "zero_hits": sum(1 for x in totals if x == 0)}
    close_all()
    return out


def fts_match(text: str) -> str:
    """FTS5 syntax for the query: a quoted phrase stays one, other words are ANDed, each quoted."""
    if text.startswith('"'):
        return text
    return " ".join(f'"{w}"' for w in re.findall(r"\w+", text))


TOP = ("SELECT d.doc_id, bm25(p), snippet(p, 0, '**', '**', '…', 40) FROM p JOIN d ON d.id = p.doc "
       "WHERE p MATCH ? {extra} ORDER BY bm25(p) LIMIT 10")
TOTAL = "SELECT count(DISTINCT doc) FROM p WHERE p MATCH ? {extra}"
FACETS = ("SELECT concept, count(*) FROM dc WHERE doc IN (SELECT doc FROM p WHERE p MATCH ? {extra}) "
          "GROUP BY concept")
LANGS = "SELECT lang, count(*) FROM d WHERE id IN (SELECT doc FROM p WHERE p MATCH ? {extra}) GROUP BY lang"
CONCEPT_FILTER = "AND p.doc IN (SELECT doc FROM dc WHERE concept = ?)"


def fts_query(con, text: str, concepts: tuple[str, ...], with_facets: bool) -> int:
    extra = " ".join(CONCEPT_FILTER for _ in concepts)
    args = (fts_match(text), *concepts)
    con.execute(TOP.format(extra=extra), args).fetchall()
    total = con.execute(TOTAL.format(extra=extra), args).fetchone()[0]
    if with_facets:
        con.execute(FACETS.format(extra=extra), args).fetchall()
        con.execute(LANGS.format(extra=extra), args).fetchall()
    return total


def fts_queries(db: Path, queries: dict) -> dict:
    con = sqlite3.connect(db)
    out = {}
    for kind, qs in queries.items():
        times = []
        for text, concepts in qs:
            t = time.perf_counter()
            fts_query(con, text, concepts, KINDS[kind][0])
            times.append((time.perf_counter() - t) * 1000)
        out[kind] = {"p50": pct(times, 50), "p95": pct(times, 95), "n": len(times)}
    con.close()
    return out


FTS_CLI = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
           "print(c.execute(\"SELECT d.doc_id, snippet(p, 0, '**', '**', '…', 40) FROM p JOIN d ON d.id = p.doc "
           "WHERE p MATCH ? ORDER BY bm25(p) LIMIT 10\", (sys.argv[2],)).fetchall())")


def wall(cmd: list[str], cwd: Path) -> float:
    env = {**os.environ, "KB_HOME": str(cwd), "COLUMNS": "100"}
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return elapsed * 1000


def cli_walls(index_dir: Path, db: Path, queries: list[str], cwd: Path) -> dict:
    kb = str(Path(sys.executable).with_name("kb"))
    wall([kb, "search", queries[0], "--index", str(index_dir)], cwd)  # first run warms the OS file cache
    return {
        "kb_search": statistics.median(wall([kb, "search", q, "--index", str(index_dir)], cwd) for q in queries),
        "fts5_python": statistics.median(wall([sys.executable, "-c", FTS_CLI, str(db), fts_match(q)], cwd)
                                         for q in queries),
        "python_floor": statistics.median(wall([sys.executable, "-c", "pass"], cwd) for _ in queries),
        "kb_help": statistics.median(wall([kb, "--help"], cwd) for _ in queries[:5]),
    }


# --- one scale: ingest text corpus, re-ingest, index-only, FTS5, search, CLI --------------------------

def bench_scale(n: int, work: Path, n_queries: int, cli_repeats: int, keep_records: bool = False) -> dict:
    corpus = gen.corpus("text", n)
    ix = work / f"ix-text-{n}"
    log(f"scale {n}: kb ingest --jobs {JOBS} (text corpus {corpus.name})")
    ingest_s, report = kb_ingest([corpus], ix)
    for f in report.failed[:3]:
        log(f"kb failed: {f.path}: {f.reason}")
    log(f"scale {n}: re-ingest unchanged (in process, then `kb ingest` as a process)")
    t = time.perf_counter()
    pipeline.ingest([corpus], ix, jobs=JOBS)
    reingest_s = time.perf_counter() - t
    kb = str(Path(sys.executable).with_name("kb"))
    reingest_cli_s = wall([kb, "ingest", str(corpus), "--index", str(ix), "--jobs", str(JOBS)], work) / 1000
    log(f"scale {n}: add one document (in process): the incremental path, registry included")
    extra = work / f"extra-{n}"
    extra.mkdir(exist_ok=True)
    (extra / f"doc{n:05d}.md").write_text(gen.to_text(gen.article(1, n), True), "utf-8")
    t = time.perf_counter()
    pipeline.ingest([corpus, extra], ix, jobs=JOBS)
    add_one_s = time.perf_counter() - t
    recs = records(ix)
    registry_s = None
    try:  # the cross-document citation registry, rebuilt by every ingest that changed something
        from kb import registry
    except ImportError:
        registry = None
    if registry is not None:
        log(f"scale {n}: citation registry build alone")
        t = time.perf_counter()
        registry.build(sorted(recs, key=lambda r: r.document.doc_id))
        registry_s = time.perf_counter() - t
    log(f"scale {n}: FTS5 build on the same passages")
    db = work / f"fts-{n}.sqlite"
    fts_s, passages = fts_build(recs, db)
    log(f"scale {n}: kb index-only build (Writer, batches of {pipeline.BATCH_DOCS})")
    ix2 = work / f"ix-only-{n}"
    only_s = kb_index_only(recs, ix2)
    only_size = kb_index.index_size(ix2)
    shutil.rmtree(ix2, ignore_errors=True)
    queries = make_queries(recs, n_queries)
    del recs
    log(f"scale {n}: {n_queries} queries x {len(queries)} kinds, kb then FTS5")
    kbq = kb_queries(ix, queries)
    ftsq = fts_queries(db, queries)
    log(f"scale {n}: CLI wall time, median of {cli_repeats}")
    cli = cli_walls(ix, db, [q for q, _ in queries["term"][:cli_repeats]], work)
    out = {"docs": n, "passages": passages, "failed": len(report.failed), "ingest_s": ingest_s,
           "ingest_docs_per_s": n / ingest_s, "reingest_s": reingest_s, "add_one_s": add_one_s,
           "registry_s": registry_s, "reingest_cli_s": reingest_cli_s,
           "kb_index_only_s": only_s, "kb_index_mb": kb_index.index_size(ix) / 1e6,
           "kb_index_only_mb": only_size / 1e6, "fts_build_s": fts_s, "fts_mb": db.stat().st_size / 1e6,
           "search": {"kb": kbq, "fts5": ftsq}, "cli_ms": cli,
           "queries_sample": {k: [q for q, _ in v[:3]] for k, v in queries.items()}}
    return out


def profile_search(index_dir: Path, queries: dict, dest: Path) -> None:
    import cProfile

    close_all()
    search(index_dir, "alliance")
    prof = cProfile.Profile()
    prof.enable()
    for kind, qs in queries.items():
        for text, concepts in qs:
            search(index_dir, text, concepts=concepts, with_facets=KINDS[kind][0])
    prof.disable()
    prof.dump_stats(dest)


# --- report ----------------------------------------------------------------------------------------

def verdict(value: float | None, limit: float) -> str:
    if value is None or value != value:
        return "n/a"
    return "PASS" if value <= limit else "FAIL"


def table(res: dict) -> str:
    rows = [("figure", "kb", "reference", "ratio", "target")]
    f1 = lambda x: "n/a" if x is None else f"{x:.1f}"  # noqa: E731
    f2 = lambda x: "n/a" if x is None else f"{x:.2f}"  # noqa: E731
    for name, ing in res["ingest"].items():
        failed = f" ({len(ing['kb_failed'])} failed)" if ing["kb_failed"] else ""
        rows.append((f"ingest {name}: {ing['readable']} PDFs, {ing['pages']} pages (s)", f2(ing["kb_s"]) + failed,
                     f"pypdf {f2(ing['pypdf_s'])}", f2(ing["ratio"]),
                     f"<= {TARGETS['ingest_ratio']}x {verdict(ing['ratio'], TARGETS['ingest_ratio'])}"))
        rows.append((f"  docs/s, pages/s (kb --jobs {JOBS})", f"{f1(ing['docs_per_s'])}, {f1(ing['pages_per_s'])}",
                     f"pypdf {f1(ing['pypdf_pages_per_s'])} pages/s", "", ""))
        if len(ing.get("ratios") or ()) > 1:
            rows.append(("  ratio of each alternating pair (median above)", ", ".join(f2(x) for x in ing["ratios"]),
                         "", "", ""))
        if ing.get("cpu_ratio"):
            rows.append(("  CPU s, one process (floor on 2 idle cores = ratio / 2)", f2(ing["kb_cpu_s"]),
                         f"pypdf {f2(ing['pypdf_cpu_s'])}", f2(ing["cpu_ratio"]), f"floor {ing['cpu_ratio'] / 2:.2f}x"))
        for stage, v in (ing.get("stages_cpu_per_100") or {}).items():
            rows.append((f"    CPU s per 100 files: {stage}", f2(v), "", "", ""))
    # the search targets are set at 10,000 documents (else at the largest scale run)
    judged = next((s for s in res["scales"] if s["docs"] == 10_000), None) or (
        max(res["scales"], key=lambda s: s["docs"]) if res["scales"] else None)
    for s in res["scales"]:
        n = s["docs"]
        tag = f"{n} docs"
        failed = f" ({s['failed']} failed)" if s["failed"] else ""
        rows.append((f"[{tag}, {s['passages']} passages] kb ingest --jobs {JOBS} (s)", f2(s["ingest_s"]) + failed, "", "",
                     f"{f1(s['ingest_docs_per_s'])} docs/s"))
        re_target = f"<= 3 s {verdict(s['reingest_cli_s'], TARGETS['reingest_1k'])}" if n == 1000 else ""
        if s.get("registry_s") is not None:
            rows.append(("  of which citation registry build (s)", f2(s["registry_s"]), "", "", ""))
        rows.append(("  re-ingest unchanged: in process / `kb ingest` (s)",
                     f"{f2(s['reingest_s'])} / {f2(s['reingest_cli_s'])}", "", "", re_target))
        if s.get("add_one_s") is not None:
            rows.append(("  ingest of one added document, in process (s)", f2(s["add_one_s"]), "", "", ""))
        ratio = s["kb_index_only_s"] / s["fts_build_s"]
        rows.append(("  index build, index only (s)", f2(s["kb_index_only_s"]), f"FTS5 {f2(s['fts_build_s'])}",
                     f1(ratio), f"<= 10x {verdict(ratio, TARGETS['build_ratio'])}"))
        rows.append(("  index size (MB): ingest / index only", f"{f1(s['kb_index_mb'])} / {f1(s['kb_index_only_mb'])}",
                     f"FTS5 {f1(s['fts_mb'])}", f1(s["kb_index_only_mb"] / s["fts_mb"]), ""))
        for kind, (_, what) in KINDS.items():
            k, r = s["search"]["kb"][kind], s["search"]["fts5"][kind]
            limit = {"term": TARGETS["search_term_p95"], "phrase": TARGETS["search_term_p95"],
                     "concept": TARGETS["search_concept_facets_p95"],
                     "facets": TARGETS["search_concept_facets_p95"]}.get(kind)
            target = f"p95 <= {limit:.0f} ms {verdict(k['p95'], limit)}" if limit and s is judged else ""
            err = f" ({k['n_errors']} errors)" if k["n_errors"] else ""
            rows.append((f"  search {kind}: {what}, p50/p95 ms", f"{f1(k['p50'])} / {f1(k['p95'])}{err}",
                         f"FTS5 {f1(r['p50'])} / {f1(r['p95'])}", f1(k["p95"] / r["p95"]) if r["p95"] and kind != "fuzzy" else "",
                         target))
        c = s["cli_ms"]
        limit = TARGETS["cli_wall_1k"] if n == 1000 else TARGETS["cli_wall"]
        rows.append(("  `kb search` wall per process, median ms", f1(c["kb_search"]),
                     f"FTS5 python {f1(c['fts5_python'])}", f1(c["kb_search"] / c["fts5_python"]),
                     f"<= {limit:.0f} ms {verdict(c['kb_search'], limit)}" if n == 1000 or s is judged else ""))
        rows.append(("  `kb --help` / `python -c pass`, median ms", f"{f1(c['kb_help'])}", f"{f1(c['python_floor'])}",
                     "", ""))
    if res.get("load"):
        load = sorted(res["load"])
        rows.append((f"1-min load average at each step ({res['machine']['cpus']} cores): min / median / max",
                     f"{load[0]:.1f} / {statistics.median(load):.1f} / {load[-1]:.1f}", "", "", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip() or None
    except OSError:
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000, help="largest text corpus (1,000 is also run when smaller)")
    ap.add_argument("--large", action="store_true", help="also 50,000 text documents")
    ap.add_argument("--pdfs", type=int, default=300, help="generated PDFs for the ingest figures")
    ap.add_argument("--queries", type=int, default=100, help="queries per kind")
    ap.add_argument("--quick", action="store_true", help="200 documents, 30 PDFs, 30 queries (about 1-2 minutes)")
    ap.add_argument("--no-shared", action="store_true", help="skip ../shared/data/pdfs")
    ap.add_argument("--ingest-only", action="store_true", help="only the PDF ingest figures (no text corpora)")
    ap.add_argument("--profile", action="store_true", help="also write a cProfile of the search queries")
    ap.add_argument("--stages", action="store_true", help="also CPU per ingest stage (one more pass over the PDFs)")
    args = ap.parse_args()
    if args.quick:
        args.docs, args.pdfs, args.queries = min(args.docs, 200), min(args.pdfs, 30), min(args.queries, 30)
    scales = sorted({args.docs} | ({1000} if args.docs > 1000 else set()) | ({50_000} if args.large else set()))
    cli_repeats = 5 if args.quick else 10

    # An installed kb runs from bytecode (pip compiles it at install). From an editable checkout under
    # PYTHONDONTWRITEBYTECODE (set on this machine), every `kb` process and ingest worker server would
    # compile kb's source again.
    compileall.compile_dir(str(ROOT / "kb"), quiet=1)
    gen.CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=gen.CACHE))
    started = time.time()
    res: dict = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "commit": git_commit(), "args": vars(args),
                 "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                             "platform": platform.platform()},
                 "sqlite": sqlite3.sqlite_version, "targets": TARGETS, "ingest": {}, "scales": []}
    try:
        if args.pdfs:
            log(f"generated PDF corpus: {args.pdfs} documents")
            pdfs = sorted(gen.corpus("pdf", args.pdfs).rglob("*.pdf"))
            res["ingest"]["generated"] = bench_pdf_ingest("generated", pdfs, work, args.stages)
        if SHARED_PDFS.exists() and not args.no_shared:
            res["ingest"]["shared"] = bench_pdf_ingest("shared", sorted(SHARED_PDFS.rglob("*.pdf")), work)
        for n in [] if args.ingest_only else scales:
            res["scales"].append(bench_scale(n, work, args.queries, cli_repeats))
        if args.profile and res["scales"]:
            ix = work / f"ix-text-{scales[-1]}"
            dest = RESULTS / f"search-{scales[-1]}.prof"
            RESULTS.mkdir(exist_ok=True)
            profile_search(ix, make_queries(records(ix), args.queries), dest)
            res["profile"] = str(dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res["elapsed_s"] = time.time() - started
    res["load"] = LOAD
    text = table(res)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}{'-quick' if args.quick else ''}.json"
    res["table"] = text.split("\n")
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False), "utf-8")
    print(f"\nwritten {out} ({res['elapsed_s']:.0f} s)")


if __name__ == "__main__":
    main()
