"""The `kb` command line: parse options, call one library function, render; the only module that prints.

Data goes to stdout, progress and errors to stderr. Every KbError becomes `Error: ...` with exit 1;
usage errors exit 2.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer

from kb import __version__, config
from kb.errors import KbError

app = typer.Typer(
    help="kb: search French and English literature on the therapeutic alliance, by words, concepts and "
         "cited studies.\n\nStart with `kb search \"lien affectif\"` (the first search indexes ./corpus).",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

IndexOpt = Annotated[Optional[Path], typer.Option("--index", help="Index folder (default ./index, or $KB_INDEX; "
                                                                 "$KB_HOME moves corpus and index together).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (a stable shape other tools can read).")]
PathsArg = Annotated[Optional[list[Path]], typer.Argument(help="Files or folders (default: the corpus folder).")]
JobsOpt = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: cores).")]
TaxOpt = Annotated[Optional[Path], typer.Option("--taxonomy", help="A TOML file extending the built-in "
                                                                 "taxonomy (default: corpus/taxonomy.toml).")]


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _say_waiting(pid: str) -> None:
    typer.echo(f"waiting: index is locked by PID {pid}", err=True)


def _emit_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _bold(text: str) -> str:
    """Renders **marks** in bold on a terminal; keeps them as they are in pipes and files."""
    if not sys.stdout.isatty():
        return text
    return re.sub(r"\*\*(.+?)\*\*", lambda m: typer.style(m.group(1), bold=True, fg="yellow"), text)


def _progress_printer():
    """Progress on stderr: a bar on a terminal, one plain line per file otherwise (logs stay readable)."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # Refreshed here, not by rich's timer thread: with no thread running, ingest workers can be forked
        # (kb.perfile._forking).
        bar = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       TextColumn("{task.description}"), console=Console(stderr=True), transient=True,
                       auto_refresh=False)
        task, shown = None, 0.0

        def show(p):
            nonlocal task, shown
            if task is None:
                bar.start()
                task = bar.add_task("", total=p.total)
            now = time.monotonic()
            refresh = now - shown > 0.1
            bar.update(task, completed=p.done, description=Path(p.path).name[:40], refresh=refresh)
            if refresh:
                shown = now
            if p.done >= p.total:
                bar.stop()
        return show

    def plain(p):
        if p.status not in ("unchanged",):
            typer.echo(f"[{p.done}/{p.total}] {p.status} {p.path}", err=True)
    return plain


def _report(report) -> int:
    for w in report.warnings:
        typer.echo(f"warning: {w}", err=True)
    for f in report.failed:
        typer.echo(f"failed: {f.path}: {f.reason}", err=True)
    parts = [f"{len(report.added)} added", f"{len(report.updated)} updated", f"{len(report.unchanged)} unchanged"]
    if report.moved:
        parts.append(f"{len(report.moved)} moved")
    if report.removed:
        parts.append(f"{len(report.removed)} removed")
    parts.append(f"{len(report.failed)} failed")
    typer.echo("ingest: " + ", ".join(parts), err=True)
    return 1 if report.failed else 0


@app.command()
def ingest(
    paths: PathsArg = None,
    index: IndexOpt = None,
    taxonomy: TaxOpt = None,
    jobs: JobsOpt = None,
    prune: Annotated[bool, typer.Option("--prune", help="Drop indexed documents whose files are gone.")] = False,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for another ingest's lock.")] = 30.0,
):
    """Add new and changed documents to the index; skip unchanged ones (content-hash ids).

    Reads .pdf, .html/.htm, .txt and .md files, recursively. A summary goes to stderr; the exit status is
    1 when some files failed (each named with its reason), 0 otherwise.

    Example: kb ingest corpus/ ~/Zotero/storage --prune
    """
    from kb import pipeline

    paths_cfg = config.resolve(index=index, taxonomy=taxonomy)
    try:
        report = pipeline.ingest(paths or [paths_cfg.corpus], paths_cfg.index, taxonomy_file=paths_cfg.taxonomy,
                                 jobs=jobs, prune=prune, on_progress=_progress_printer(), lock_wait=wait,
                                 on_wait=_say_waiting)
    except KbError as exc:
        _fail(str(exc))
    raise typer.Exit(_report(report))


@app.command()
def reindex(
    paths: PathsArg = None,
    index: IndexOpt = None,
    taxonomy: TaxOpt = None,
    jobs: JobsOpt = None,
):
    """Rebuild the index from scratch (after an upgrade changed the index schema).

    Without PATHS: the corpus, and the files the index holds from elsewhere (any no longer found are named).
    The new index is built beside the old one and swapped in at the end, so a failed rebuild loses nothing.

    Example: kb reindex
    """
    from kb import pipeline

    paths_cfg = config.resolve(index=index, taxonomy=taxonomy)
    try:
        report = pipeline.reindex(paths or [paths_cfg.corpus], paths_cfg.index, keep_indexed=not paths,
                                  taxonomy_file=paths_cfg.taxonomy, jobs=jobs, on_progress=_progress_printer())
    except KbError as exc:
        _fail(str(exc))
    raise typer.Exit(_report(report))


def _hit_json(hit) -> dict:
    d = asdict(hit)
    d["authors"] = list(hit.authors)
    d["concepts"] = list(hit.concepts)
    d["matched_labels"] = list(hit.matched_labels)
    return d


@app.command()
def search(
    query: Annotated[Optional[str], typer.Argument(help='Words, "a phrase", AND / OR / NOT, prefix*.')] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many documents to show.")] = 10,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Only documents in this language: fr or en.")] = None,
    concept: Annotated[Optional[list[str]], typer.Option("--concept", "-c", help="Only documents tagged with this "
                                                         "concept id (repeatable: all must hold; see `kb concepts`).")] = None,
    index: IndexOpt = None,
    taxonomy: TaxOpt = None,
    as_json: JsonOpt = False,
):
    """Find the documents, and the passage in each, that best match a query, in French or English.

    Accents and word endings do not matter ("therapeutique" finds "thérapeutiques"); a misspelled word is
    corrected when nothing matches. The first search with no index builds it from the corpus folder.

    Example: kb search "lien affectif" --lang fr --limit 5
    """
    from kb import index as kb_index
    from kb.search import search as run_search

    paths_cfg = config.resolve(index=index, taxonomy=taxonomy)
    try:
        if not (query or "").strip() and not concept:
            _fail("nothing to search for: give words, or --concept ID", 2)
        built = None
        if not kb_index.exists(paths_cfg.index):  # the ingest machinery loads only when it is needed
            from kb import pipeline

            built = pipeline.ensure_index(paths_cfg.corpus, paths_cfg.index, taxonomy_file=paths_cfg.taxonomy,
                                          on_progress=_progress_printer(),
                                          on_wait=_say_waiting,
                                          lock_wait=60.0)
        if built is not None:
            typer.echo(f"Built the index at {paths_cfg.index} from {paths_cfg.corpus}", err=True)
            _report(built)
        result = run_search(paths_cfg.index, query or "", limit=limit, lang=lang, concepts=tuple(concept or ()),
                            taxonomy_file=paths_cfg.taxonomy)
    except KbError as exc:
        _fail(str(exc))
    if as_json:
        _emit_json({"query": result.query, "total": result.total,
                    "results": [_hit_json(h) for h in result.hits], "facets": result.facets,
                    "corrected_query": result.corrected, "suggestion": result.suggestion,
                    "notes": list(result.notes)})
        return
    _render_search(result)


def _render_search(result) -> None:
    if result.corrected:
        typer.echo(f"No results for \"{result.query}\"; showing results for \"{result.corrected}\".")
    for note in result.notes:
        typer.echo(f"({note})")
    if not result.hits:
        # a pasted page is no query to echo whole
        typer.echo(f"No document matches \"{textwrap.shorten(result.query, 80, placeholder=' ...')}\".")
        return
    shown = len(result.hits)
    partial = sum(h.partial for h in result.hits)
    matches = "1 document matches" if result.total == 1 else f"{result.total} documents match"
    if partial and partial < shown:
        typer.echo(f"{matches} all the words; showing {'it' if result.total == 1 else 'them'}, then {partial} "
                   "with some of the words.\n")
    else:
        typer.echo(f"{matches}; showing {shown}.\n")
    for i, h in enumerate(result.hits, 1):
        if h.partial and partial < shown and not result.hits[i - 2].partial:
            typer.echo("-- with some of the words --\n")
        head = f"{i}. {h.title or Path(h.path).name}"
        if h.year:
            head += f" ({h.year})"
        typer.echo(typer.style(head, bold=True) if sys.stdout.isatty() else head)
        if h.authors:
            more = " et al." if len(h.authors) > 3 else ""
            typer.echo("   " + "; ".join(h.authors[:3]) + more)
        where = h.path + (f", p. {h.page}" if h.page else "")
        typer.echo(f"   {where}  [{h.doc_id[:8]}, {h.lang}, score {h.score:.2f}]")
        if h.snippet:
            typer.echo("   " + _bold(h.snippet))
        if h.matched_labels:
            typer.echo("   matched labels: " + ", ".join(h.matched_labels))
        if h.concepts:
            typer.echo("   concepts: " + ", ".join(h.concepts))
        typer.echo("")
    if result.suggestion:
        typer.echo(f"Did you mean: {result.suggestion}")
    top = list((result.facets or {}).get("concepts", {}).items())[:8]
    if top:
        typer.echo("Concepts among the matches: " + ", ".join(f"{c} ({n})" for c, n in top))


@app.command()
def show(
    doc: Annotated[str, typer.Argument(help="A doc id, an id prefix (4+ characters) or a file path.")],
    index: IndexOpt = None,
    as_json: JsonOpt = False,
    full: Annotated[bool, typer.Option("--full", help="Print every passage in full.")] = False,
):
    """Show one document: metadata, language, pages, concepts, references and its passages.

    Example: kb show 8a246e92
    """
    from kb import library, registry, render

    paths_cfg = config.resolve(index=index)
    try:
        record = library.find(paths_cfg.index, doc)
        works = registry.load(paths_cfg.index)
    except KbError as exc:
        _fail(str(exc))
    data = render.document_json(record, works)
    if as_json:
        _emit_json(data)
        return
    for line in render.document_text(data, full=full):
        typer.echo(line)


@app.command()
def stats(index: IndexOpt = None, as_json: JsonOpt = False):
    """Count documents by format and language, passages, references, and the index size on disk.

    Example: kb stats --json
    """
    from kb import library

    paths_cfg = config.resolve(index=index)
    try:
        st = library.stats(paths_cfg.index)
    except KbError as exc:
        _fail(str(exc))
    if as_json:
        _emit_json(asdict(st))
        return
    typer.echo(f"index: {st.index_dir} ({st.index_bytes / 1048576:.1f} MB)")
    typer.echo(f"documents: {st.documents}  passages: {st.passages}")
    typer.echo("by format: " + ", ".join(f"{k} {v}" for k, v in st.by_format.items()))
    typer.echo("by language: " + ", ".join(f"{k} {v}" for k, v in st.by_lang.items()))
    typer.echo(f"references: {st.references}  in-text citations: {st.citations}  "
               f"documents with concepts: {st.concepts_tagged}")


@app.command()
def cited(
    query: Annotated[Optional[str], typer.Argument(help='Author, year or title words: "flückiger 2018".')] = None,
    about: Annotated[Optional[str], typer.Option("--about", help="Only works cited in sentences with these "
                                                 "words, or in passages tagged with the concept they name "
                                                 "(\"douleur\": pain).")] = None,
    concept: Annotated[Optional[list[str]], typer.Option("--concept", "-c", help="Only works cited in passages "
                                                         "tagged with this concept id (repeatable).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many works to show.")] = 20,
    export: Annotated[Optional[str], typer.Option("--export", help="Write the listed works as bibtex, ris or "
                                                  "csljson (for Zotero) instead of listing them.")] = None,
    index: IndexOpt = None,
    as_json: JsonOpt = False,
):
    """List the studies the corpus cites, most-cited first, with the sentences that cite them.

    The same study cited in different styles and languages by several documents is one work.

    Example: kb cited bordin --about "douleur" --concept pain
    """
    from kb import bib, registry

    paths_cfg = config.resolve(index=index)
    try:
        from kb import index as kb_index

        if not kb_index.exists(paths_cfg.index):
            _fail(f"no index at {paths_cfg.index}: run `kb ingest` first")
        works = registry.cited_in_index(paths_cfg.index, query or "", about or "", tuple(concept or ()),
                                        paths_cfg.taxonomy)
    except KbError as exc:
        _fail(str(exc))
    works = works[:limit]
    if export is not None:
        try:
            typer.echo(bib.export_works(works, export), nl=False)
        except KbError as exc:
            _fail(str(exc))
        return
    if as_json:
        _emit_json({"works": [registry.work_json(w) for w in works]})
        return
    if not works:
        typer.echo("No cited work matches.")
        return
    for w in works:
        authors = "; ".join(w.authors[:3]) + (" et al." if len(w.authors) > 3 else "")
        head = f"{authors or '?'} ({w.year or 'n.d.'})"
        if w.title:
            head += f". {w.title}"
        if w.container:
            head += f". {w.container}"
        typer.echo(head)
        typer.echo(f"   work {w.work_id}; cited by {len(w.cited_by)} document(s)" + (f"; doi {w.doi}" if w.doi else ""))
        for ctx in w.contexts[:3]:
            page = f", p. {ctx.page}" if ctx.page else ""
            typer.echo(f"   [{ctx.doc_id[:8]}{page}] {ctx.sentence[:300]}")
        typer.echo("")


@app.command()
def export(
    query: Annotated[Optional[str], typer.Argument(help="Export the documents this search finds.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="bibtex, ris or csljson.")] = "bibtex",
    doc: Annotated[Optional[list[str]], typer.Option("--doc", help="A document id (repeatable).")] = None,
    work: Annotated[Optional[list[str]], typer.Option("--work", help="A cited work id (repeatable).")] = None,
    cited: Annotated[Optional[str], typer.Option("--cited", help="Export the cited works matching these words "
                                                 "(as `kb cited WORDS`; \"\" for all).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many from a query.")] = 50,
    index: IndexOpt = None,
):
    """Export documents or cited works as BibTeX, RIS or CSL-JSON, for Zotero.

    Example: kb export "lien affectif" --format ris > alliance.ris
    """
    from kb import library

    paths_cfg = config.resolve(index=index)
    try:
        text = library.export(paths_cfg.index, fmt, query=query, docs=tuple(doc or ()), works=tuple(work or ()),
                              cited_query=cited, limit=limit)
    except KbError as exc:
        _fail(str(exc))
    typer.echo(text)


@app.command()
def concepts(index: IndexOpt = None, taxonomy: TaxOpt = None, as_json: JsonOpt = False):
    """List the concept tree with French and English labels and how many documents each tags.

    Use an id with `kb search --concept ID`. Extend the tree with corpus/taxonomy.toml or --taxonomy FILE.

    Example: kb concepts --json
    """
    from kb import library

    paths_cfg = config.resolve(index=index, taxonomy=taxonomy)
    try:
        rows = library.concepts(paths_cfg.index, paths_cfg.taxonomy)
    except KbError as exc:
        _fail(str(exc))
    if as_json:
        _emit_json({"concepts": [{"id": c.id, "parent": c.parent, "labels": {"fr": c.labels.get("fr", ""),
                                                                             "en": c.labels.get("en", "")},
                                  "documents": c.documents, "definition": c.definition} for c in rows]})
        return
    width = max(len("  " * c.depth + c.id) for c in rows)
    for c in rows:
        name = ("  " * c.depth + c.id).ljust(width)
        typer.echo(f"{name}  {c.documents:>4}  {c.labels.get('fr', '')} / {c.labels.get('en', '')}")


def _version(value: bool):
    if value:
        typer.echo(f"kb {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
):
    """kb: a bilingual literature knowledge base for the therapeutic alliance."""


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("Interrupted: everything committed so far is kept; run the same command again to finish.",
                   err=True)
        sys.exit(130)
    except Exception as exc:  # a bug, not a user error: one line unless KB_DEBUG asks for the traceback
        if os.environ.get("KB_DEBUG"):
            raise
        typer.echo(f"Error: internal error ({type(exc).__name__}: {exc}); set KB_DEBUG=1 for details", err=True)
        sys.exit(1)
