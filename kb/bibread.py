"""Reading Zotero-style BibTeX, RIS and CSL-JSON metadata files, and matching their entries to documents.

Reading is strict where it matters: an entry the BibTeX or RIS library silently skipped makes the whole
file a MetadataError naming the file and line, so a typo never quietly drops a document's metadata.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import bibtexparser
import rispy
from bibtexparser.bparser import BibTexParser
from bibtexparser.latexenc import latex_to_unicode
from rapidfuzz import fuzz

from kb.analysis import tokenize
from kb.errors import MetadataError
from kb.models import Document, Meta

TITLE_MATCH = 93  # fuzz.ratio of folded titles: one changed word in a ten-word title still matches


@dataclass(frozen=True)
class BibEntry:
    """One item of a metadata file: what it says about a document, and which files it describes."""

    title: str | None = None
    authors: tuple[str, ...] = ()  # "Surname, Given"
    year: int | None = None
    doi: str | None = None  # lowercase, no resolver prefix
    container: str | None = None
    files: tuple[str, ...] = ()  # attachment basenames: "Bordin 1979.pdf"
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    source: str = "bibtex"  # "bibtex" | "ris" | "csljson"
    key: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    url: str | None = None


def normalize_doi(value: str | None) -> str | None:
    """ "https://doi.org/10.1037/PST0000172" / "doi:10.1037/..." -> "10.1037/pst0000172"."""
    m = re.search(r"10\.\d{4,9}/\S+", value or "")
    return m.group(0).rstrip(".,;").lower() if m else None


def _year(value) -> int | None:
    m = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", str(value or ""))
    return int(m.group(1)) if m else None


def squash(value) -> str | None:
    """Any value as one line of text, runs of whitespace as one space; None when empty."""
    value = re.sub(r"\s+", " ", str(value or "")).strip()
    return value or None


def surname_first(name: str) -> str:
    """ "Edward S. Bordin" -> "Bordin, Edward S."; "Jan van der Berg" -> "van der Berg, Jan"; commas kept."""
    name = squash(name) or ""
    if "," in name or " " not in name:
        return name
    words = name.split()
    cut = next((i for i, w in enumerate(words[1:-1], 1) if w[:1].islower()), len(words) - 1)
    return f"{' '.join(words[cut:])}, {' '.join(words[:cut])}"


def _attachment(spec: str) -> str | None:
    """A Zotero file spec to its basename:
    "Full Text PDF:files/12/Bordin 1979.pdf:application/pdf" -> "Bordin 1979.pdf";
    "C\\:\\\\Users\\\\me\\\\a.pdf:application/pdf" -> "a.pdf"; "internal-pdf://123/a.pdf" -> "a.pdf"."""
    spec = re.sub(r":[a-z]+/[\w.+-]+\s*$", "", spec.strip())  # the MIME type
    base = re.split(r"[/\\]", spec)[-1]
    base = base.rsplit(":", 1)[-1] if ":" in base else base  # "description:file.pdf"
    return base.strip() or None


# --- BibTeX --------------------------------------------------------------------------------------
_ESCAPED = {r"\{": "\x01", r"\}": "\x02", r"\&": "&", r"\%": "%", r"\$": "$", r"\#": "#", r"\_": "_",
            r"\textbackslash{}": "\x03", r"\textasciitilde{}": "~", r"\textasciicircum{}": "^"}
# Ligatures bibtexparser's decoder gets wrong ("\oe{}uvre" -> "øeuvre").
_LIGATURES = {"oe": "œ", "OE": "Œ", "ae": "æ", "AE": "Æ", "ss": "ß"}


def delatex(value: str) -> str:
    """BibTeX field text to Unicode: accents decoded, escapes undone, grouping braces dropped."""
    for k, v in _ESCAPED.items():
        value = value.replace(k, v)
    value = re.sub(r"\\(oe|OE|ae|AE|ss)(?:\{\}|\b)\s?", lambda m: _LIGATURES[m.group(1)], value)
    value = latex_to_unicode(value).replace("{", "").replace("}", "")
    return value.replace("\x01", "{").replace("\x02", "}").replace("\x03", "\\")


def _split_top(value: str, sep: str) -> list[str]:
    """Split on a regex separator outside braces: authors "A and {B and C}" -> ["A", "{B and C}"]."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and (m := re.compile(sep).match(value, i)) and i >= start:
            parts.append(value[start:i])
            start = m.end()
    parts.append(value[start:])
    return [p for p in (s.strip() for s in parts) if p]


def _read_bibtex(path: Path, text: str) -> list[BibEntry]:
    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False, interpolate_strings=True)
    try:
        parsed = bibtexparser.loads(text, parser=parser).entries
    except Exception as exc:  # the library raises pyparsing and plain errors alike
        raise MetadataError(f"{path}: not valid BibTeX ({type(exc).__name__}: {exc})"[:300]) from None
    ids = {e.get("ID") for e in parsed}
    # "@article{bordin_generalizability_1979," at a line start; @comment/@string/@preamble are not entries
    for m in re.finditer(r"^[ \t]*@(\w+)\s*[{(]\s*([^,\s]*)", text, re.M):
        if m.group(1).lower() not in ("comment", "string", "preamble") and m.group(2) not in ids:
            line = text.count("\n", 0, m.start()) + 1
            raise MetadataError(f"{path}: line {line}: entry '{m.group(2)}' could not be read "
                                "(unbalanced braces or a missing comma?)")
    if not parsed and text.strip() and "@" not in text:
        raise MetadataError(f"{path}: no BibTeX entries found")
    out = []
    for e in parsed:
        f = {k.lower(): delatex(v) for k, v in e.items() if k not in ("ID", "ENTRYTYPE")}
        authors = tuple(surname_first(delatex(a)) for a in _split_top(e.get("author", ""), r"\s+and\s+"))
        out.append(BibEntry(
            title=squash(f.get("title")), authors=authors, year=_year(f.get("year") or f.get("date")),
            doi=normalize_doi(f.get("doi")),
            container=squash(f.get("journal") or f.get("journaltitle") or f.get("booktitle")),
            files=tuple(b for s in _split_top(e.get("file", ""), r"(?<!\\);") if (b := _attachment(delatex(s)))),
            abstract=squash(f.get("abstract")),
            keywords=tuple(k for k in (squash(x) for x in re.split(r"[,;]", f.get("keywords", ""))) if k),
            source="bibtex", key=e.get("ID"), volume=squash(f.get("volume")), issue=squash(f.get("number")),
            pages=squash((f.get("pages") or "").replace("--", "-")), url=squash(f.get("url"))))
    return out


# --- RIS -----------------------------------------------------------------------------------------
def _listed(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _read_ris(path: Path, text: str) -> list[BibEntry]:
    starts = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"^TY  - ", text, re.M)]
    if not starts:
        raise MetadataError(f"{path}: no RIS records found (each starts with 'TY  - ')")
    try:
        parsed = rispy.loads(text, skip_unknown_tags=True)
    except Exception as exc:
        raise MetadataError(f"{path}: not valid RIS ({type(exc).__name__}: {exc})"[:300]) from None
    if len(parsed) != len(starts):
        line = starts[len(parsed)] if len(parsed) < len(starts) else starts[-1]
        raise MetadataError(f"{path}: line {line}: record could not be read (missing 'ER  - '?)")
    out = []
    for r in parsed:
        files = [b for k in ("file_attachments1", "file_attachments2") for v in _listed(r.get(k))
                 if (b := _attachment(v))]
        sp, ep = squash(r.get("start_page")), squash(r.get("end_page"))
        out.append(BibEntry(
            title=squash(r.get("title") or r.get("primary_title")),
            authors=tuple(surname_first(a) for a in _listed(r.get("authors")) + _listed(r.get("first_authors"))),
            year=_year(r.get("year") or r.get("publication_year") or r.get("date")),
            doi=normalize_doi(r.get("doi")),
            container=squash(r.get("secondary_title") or r.get("journal_name") or r.get("alternate_title3")
                            or r.get("alternate_title1")),
            files=tuple(files), abstract=squash(r.get("abstract") or r.get("notes_abstract")),
            keywords=tuple(k for k in (squash(x) for x in _listed(r.get("keywords"))) if k), source="ris",
            key=squash(r.get("id")), volume=squash(r.get("volume")), issue=squash(r.get("number")),
            pages=f"{sp}-{ep}" if sp and ep else sp, url=(_listed(r.get("urls")) or [None])[0]))
    return out


# --- CSL-JSON ------------------------------------------------------------------------------------
def _is_csl(data) -> bool:
    return (isinstance(data, list) and bool(data) and all(isinstance(d, dict) for d in data)
            and all(isinstance(d.get("type"), str) and ("title" in d or "author" in d) for d in data))


def _read_csljson(path: Path, text: str) -> list[BibEntry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MetadataError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if not _is_csl(data):
        return []  # some other JSON file: not ours to judge
    out = []
    for d in data:
        names = [(squash(a.get("literal")) or ", ".join(x for x in (squash(a.get("family")), squash(a.get("given")))
                                                       if x)) for a in d.get("author") or [] if isinstance(a, dict)]
        issued = d.get("issued") or {}
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        year = _year(parts[0][0]) if parts and parts[0] else _year(issued.get("raw") or issued.get("literal")
                                                                   if isinstance(issued, dict) else issued)
        kw = d.get("keyword") or ""
        out.append(BibEntry(
            title=squash(d.get("title")), authors=tuple(n for n in names if n), year=year,
            doi=normalize_doi(d.get("DOI")), container=squash(d.get("container-title")),
            abstract=squash(d.get("abstract")),
            keywords=tuple(k for k in (squash(x) for x in re.split(r"[,;]", kw if isinstance(kw, str) else "")) if k),
            source="csljson", key=squash(d.get("id")), volume=squash(d.get("volume")), issue=squash(d.get("issue")),
            pages=squash(d.get("page")), url=squash(d.get("URL"))))
    return out


def read_metadata(path: Path) -> list[BibEntry]:
    """The entries of a .bib, .ris or CSL-JSON .json file ([] for a .json that is not CSL-JSON)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MetadataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # old BibTeX files; every byte decodes
    suffix = path.suffix.lower()
    if suffix == ".bib":
        return _read_bibtex(path, text)
    if suffix == ".ris":
        return _read_ris(path, text)
    if suffix == ".json":
        return _read_csljson(path, text)
    raise MetadataError(f"{path}: not a metadata file (kb reads .bib, .ris and CSL-JSON .json)")


# --- matching ------------------------------------------------------------------------------------
def _title_key(title: str | None) -> str:
    return " ".join(t.folded for t in tokenize(title or ""))


def _by_title(entries: list[BibEntry], doc: Document) -> BibEntry | None:
    want = _title_key(doc.meta.title)
    if len(want) < 10:
        return None
    doi = normalize_doi(doc.meta.doi)
    scored = [(fuzz.ratio(want, _title_key(e.title)), e) for e in entries if e.title
              and not (doi and e.doi and e.doi != doi)
              and not (doc.meta.year and e.year and abs(doc.meta.year - e.year) > 1)]
    good = [e for s, e in scored if s >= TITLE_MATCH]
    return good[0] if len(good) == 1 else None


def match(entries: list[BibEntry], doc: Document) -> BibEntry | None:
    """The entry describing doc: by attached file name, then DOI, then title; None when unsure."""
    base = Path(doc.path).name.casefold()
    by_file = [e for e in entries if base in {f.casefold() for f in e.files}]
    if len(by_file) == 1:
        return by_file[0]
    pool = by_file or entries  # two entries attach a file of that name: let DOI or title decide
    doi = normalize_doi(doc.meta.doi)
    by_doi = [e for e in pool if doi and e.doi == doi]
    if len(by_doi) == 1:
        return by_doi[0]
    return _by_title(pool, doc)


def apply(entry: BibEntry, meta: Meta) -> Meta:
    """meta with every fact the entry knows taking precedence over the loader's guesses."""
    return replace(meta, title=entry.title or meta.title, authors=entry.authors or meta.authors,
                   year=entry.year or meta.year, doi=entry.doi or meta.doi, abstract=entry.abstract or meta.abstract,
                   keywords=entry.keywords or meta.keywords, container=entry.container or meta.container,
                   source=entry.source)
