"""Writing corpus documents or cited works as BibTeX, RIS or CSL-JSON, in a form Zotero imports."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from kb.analysis import fold, is_stop, tokenize
from kb.bibread import normalize_doi, squash, surname_first
from kb.errors import KbError
from kb.models import DocRecord

@dataclass(frozen=True)
class ExportItem:
    """One item to write out. kind: "article" | "book" | "chapter" | "webpage" | "document"."""

    key: str
    title: str | None
    authors: tuple[str, ...]
    year: int | None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None
    kind: str = "document"


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def cite_key(authors: tuple[str, ...], year: int | None, title: str | None) -> str:
    """ "Flückiger, C.", 2018, "The alliance in adult psychotherapy" -> "flueckiger2018alliance"."""
    sur = re.sub(r"[^a-z]", "", fold(authors[0].split(",")[0].translate(_TRANSLIT))) if authors else ""
    word = next((w for t in tokenize(title or "") if len(w := re.sub(r"[^a-z]", "", fold(t.text))) > 2
                 and not is_stop(t.folded)), "")
    return f"{sur}{year or ''}{word}" or "item"


def item_from_document(record: DocRecord) -> ExportItem:
    """A corpus document as an export item (its metadata, best source first)."""
    doc, m = record.document, record.document.meta
    authors = tuple(surname_first(a) for a in m.authors)
    kind = "webpage" if doc.format == "html" else ("article" if m.container else "document")
    return ExportItem(key=cite_key(authors, m.year, m.title), title=m.title, authors=authors, year=m.year,
                      container=m.container, doi=normalize_doi(m.doi), kind=kind)


def item_from_work(work) -> ExportItem:
    """A cited work (kb.registry.Work) as an export item."""
    return ExportItem(key=cite_key(work.authors, work.year, work.title), title=work.title, authors=work.authors,
                      year=work.year, container=work.container, volume=getattr(work, "volume", None),
                      issue=getattr(work, "issue", None), pages=getattr(work, "pages", None), doi=work.doi,
                      url=getattr(work, "url", None), kind="article" if work.container else "document")


def _unique(items) -> list[ExportItem]:
    """Keys made unique in input order: two "smith2018alliance" become "...a" and "...b"."""
    items = list(items)
    counts: dict[str, int] = {}
    for it in items:
        counts[it.key] = counts.get(it.key, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for it in items:
        if counts[it.key] > 1:
            n = seen.get(it.key, 0)
            seen[it.key] = n + 1
            it = replace(it, key=it.key + (chr(97 + n) if n < 26 else f"_{n}"))
        out.append(it)
    return out


_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
        "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex(value: str) -> str:
    """LaTeX-escape text for a BibTeX field ("Risk & {bias} 50%" -> "Risk \\& \\{bias\\} 50\\%");
    accents stay UTF-8, which Zotero and bibtexparser read."""
    return re.sub(r"[\\{}&%$#_~^]", lambda m: _TEX[m.group()], value)


_BIB_TYPES = {"article": "article", "book": "book", "chapter": "incollection", "webpage": "online",
              "document": "misc"}


def to_bibtex(items) -> str:
    """Items as a BibTeX file."""
    blocks = []
    for it in _unique(items):
        container = "booktitle" if it.kind == "chapter" else "journal"
        names = " and ".join(tex(a) if "," in a else "{" + tex(a) + "}" for a in it.authors)
        fields = [("title", it.title and tex(it.title)), ("author", names or None),
                  ("year", str(it.year) if it.year else None), (container, it.container and tex(it.container)),
                  ("volume", it.volume and tex(it.volume)), ("number", it.issue and tex(it.issue)),
                  ("pages", it.pages and tex(re.sub(r"\s*[-–—]+\s*", "--", it.pages))),
                  ("doi", it.doi), ("url", it.url)]
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
        blocks.append(f"@{_BIB_TYPES.get(it.kind, 'misc')}{{{it.key},\n{body}\n}}\n")
    return "\n".join(blocks)


_RIS_TYPES = {"article": "JOUR", "book": "BOOK", "chapter": "CHAP", "webpage": "ELEC", "document": "GEN"}


def to_ris(items) -> str:
    """Items as a RIS file."""
    out = []
    for it in _unique(items):
        lines = [("TY", _RIS_TYPES.get(it.kind, "GEN")), ("ID", it.key)]
        lines += [("AU", a) for a in it.authors]
        sp, _, ep = re.sub(r"\s*[-–—]+\s*", "-", it.pages or "").partition("-")
        lines += [("TI", it.title), ("T2", it.container), ("PY", str(it.year) if it.year else None),
                  ("VL", it.volume), ("IS", it.issue), ("SP", sp or None), ("EP", ep or None), ("DO", it.doi),
                  ("UR", it.url), ("ER", "")]
        out.append("".join(f"{tag}  - {squash(v) or ''}\n" for tag, v in lines if v is not None))
    return "\n".join(out)


_CSL_TYPES = {"article": "article-journal", "book": "book", "chapter": "chapter", "webpage": "webpage",
              "document": "document"}


def to_csljson(items) -> str:
    """Items as a CSL-JSON array."""
    data = []
    for it in _unique(items):
        d: dict = {"id": it.key, "type": _CSL_TYPES.get(it.kind, "document")}
        if it.title:
            d["title"] = it.title
        if it.authors:
            d["author"] = [{"family": a.split(",", 1)[0].strip(), "given": a.split(",", 1)[1].strip()}
                           if "," in a else {"literal": a} for a in it.authors]
        if it.year:
            d["issued"] = {"date-parts": [[it.year]]}
        for k, v in (("container-title", it.container), ("volume", it.volume), ("issue", it.issue),
                     ("page", it.pages), ("DOI", it.doi), ("URL", it.url)):
            if v:
                d[k] = v
        data.append(d)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


FORMATS = {"bibtex": to_bibtex, "ris": to_ris, "csljson": to_csljson}


def export_works(works, fmt: str) -> str:
    """Cited works (kb.registry.Work) in one of FORMATS; KbError for any other format."""
    if fmt not in FORMATS:
        raise KbError(f"unknown export format {fmt!r}: use bibtex, ris or csljson")
    if not works:
        raise KbError("no cited work matches: nothing to export")
    return FORMATS[fmt]([item_from_work(w) for w in works])
