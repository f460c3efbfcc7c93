"""The typed records the pipeline stages exchange (load -> normalize -> tag -> cite -> index -> search).

All records are frozen dataclasses; stages never pass positional tuples. Optional values are None,
never "" or 0, so a consumer can tell "unknown" from "empty".
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Meta:
    """Bibliographic facts about a document, from whatever source knew them."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    doi: str | None = None
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    container: str | None = None
    # Which source gave these facts: "pdf-info", "first-page", "html-meta", "bibtex", "ris", "csljson"...
    source: str | None = None


@dataclass(frozen=True)
class Page:
    """The text of one page as a loader read it. number is 1-based; None for formats without pages."""

    number: int | None
    text: str


@dataclass(frozen=True)
class RawDocument:
    """A loader's output: the file's text, page by page, and the metadata the file itself declares."""

    path: str
    format: str  # "pdf" | "html" | "text"
    pages: tuple[Page, ...]
    meta: Meta = Meta()
    # Non-fatal problems the loader repaired or worked around, shown in the ingest report.
    warnings: tuple[str, ...] = ()
    # Set by normalize: folded tokens that lost their first letter in extraction (see Document.stubs).
    stubs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passage:
    """About a paragraph of a document, knowing its page. kind is "body", "references" or "footnote"."""

    n: int  # position in the document, 0-based
    page: int | None
    text: str
    kind: str = "body"
    lang: str | None = None  # "fr" | "en" when the passage itself says; None when too short to tell


@dataclass(frozen=True)
class Document:
    """A cleaned document: normalised text, language, passages, and the text of its reference section."""

    doc_id: str
    path: str
    format: str
    sha256: str
    lang: str  # "fr" | "en" | "mixed" | "unknown"
    meta: Meta
    pages: int | None  # page count for paged formats
    passages: tuple[Passage, ...]
    # Tokens that lost their first letter in extraction (seen at line starts of damaged PDFs), folded;
    # indexed so that a query for the whole word still finds them.
    stubs: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """A sentence showing why a concept was tagged, with the page it is on."""

    page: int | None
    text: str


@dataclass(frozen=True)
class ConceptHit:
    """A concept a whole document speaks of: its mention count and the best evidence sentences."""

    id: str
    count: int
    evidence: tuple[Evidence, ...] = ()
    labels: tuple[str, ...] = ()  # the surface labels that matched, most frequent first


@dataclass(frozen=True)
class PassageConcepts:
    """The concepts mentioned in one passage (by passage number)."""

    n: int
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Tagging:
    """The tag stage's output for one document."""

    concepts: tuple[ConceptHit, ...]  # document-level, parents implied, sorted by id
    passages: tuple[PassageConcepts, ...] = ()  # only passages with at least one concept


@dataclass(frozen=True)
class Reference:
    """One entry of a document's reference list, parsed into fields."""

    n: int | None  # the printed number ("[12]" -> 12); None for unnumbered (author-year) lists
    raw: str
    authors: tuple[str, ...] = ()  # "Surname, I." in order
    year: int | None = None
    title: str | None = None
    container: str | None = None  # journal or book
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None
    page: int | None = None  # page of the citing document where the entry is printed


@dataclass(frozen=True)
class Citation:
    """An in-text citation: its marker, the reference it points to, and the sentence around it."""

    marker: str  # as printed: "[7,22]", "(Bordin, 1979)", "Flückiger et al. (2018)"
    sentence: str
    page: int | None
    passage: int  # Passage.n of the citing passage
    ref_index: int | None = None  # index into CitationResult.references when linked
    # For author-year markers (or a numeric marker preceded by a name): who and when, as printed.
    authors: tuple[str, ...] = ()
    year: int | None = None
    # The letter of "2013b": within one document it tells two works of an author's year apart
    suffix: str = ""


@dataclass(frozen=True)
class CitationResult:
    """The cite stage's output for one document."""

    references: tuple[Reference, ...] = ()
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class DocRecord:
    """Everything kb knows about one ingested document; what the index stores and `kb show` renders."""

    document: Document
    tagging: Tagging = Tagging(concepts=())
    citations: CitationResult = CitationResult()
    mtime: float | None = None
    size: int | None = None


@dataclass(frozen=True)
class Failure:
    """A file that could not be ingested, and why (one line)."""

    path: str
    reason: str


@dataclass
class IngestReport:
    """What an ingest did, for the summary on stderr and the exit status."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
