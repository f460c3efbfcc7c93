"""Journal-style article PDFs with a fully controlled layout, for tests, bench and the demo corpus.

Canvas-level on purpose: every line is placed by this module, so callers know exactly what a reader
should get back (one or two columns, column-major or row-major content streams, line-end hyphenation,
running headers, page numbers, PDF metadata). Only reportlab's built-in fonts are used (WinAnsi /
cp1252: accents, œ, typographic quotes and dashes); characters outside it are mapped or refused.
The same input gives the same bytes (reportlab's invariant mode).

Example:
    make_article_pdf(tmp_path / "a.pdf", Article(title="...", authors=["A. B"], abstract="...",
                     sections=[Section("Introduction", ["..."])], references=["Bordin, E. S. (1979)..."]),
                     columns=2, order="row", hyphenate=True, running_header="Revue X, 2021")
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

__all__ = ["Article", "Section", "make_article_pdf", "hyphen_split"]


@dataclass
class Section:
    heading: str
    paragraphs: list[str]


@dataclass
class Article:
    title: str
    authors: list[str]
    abstract: str
    sections: list[Section]
    references: list[str]
    keywords: list[str] = field(default_factory=list)
    lang: str = "en"
    year: int | None = None
    journal: str | None = None
    doi: str | None = None


LABELS = {
    "en": {"abstract": "Abstract", "keywords": "Keywords:", "references": "References"},
    "fr": {"abstract": "Résumé", "keywords": "Mots clés :", "references": "Références"},
}

# Characters outside cp1252 that writers commonly type, mapped to what the built-in fonts can draw.
_CHAR_MAP = str.maketrans({
    "\u2009": " ", "\u202f": "\u00a0", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2264": "<=", "\u2265": ">=", "\u2248": "~", "\u00d7": "x",
    "\u03b1": "alpha", "\u03b2": "beta", "\u03ba": "kappa", "\u03c1": "rho",
})

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 56.0, 64.0, 60.0
GUTTER = 18.0
BODY_FONT, BODY_SIZE, LEADING = "Times-Roman", 10.0, 12.5
BOLD_FONT = "Times-Bold"
TITLE_FONT, TITLE_SIZE = "Helvetica-Bold", 16.0
SMALL_FONT, SMALL_SIZE = "Helvetica", 8.0
HANG = 14.0  # hanging indent of reference continuation lines
VOWELS = set("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÉÈÊËÎÏÔÙÛÜ")


def _clean(text: str) -> str:
    out = " ".join(text.translate(_CHAR_MAP).split())
    try:
        out.encode("cp1252")
    except UnicodeEncodeError as exc:
        raise ValueError(f"pdfgen: character {out[exc.start]!r} is not in the built-in fonts: {out!r}") from exc
    return out


def hyphen_split(word: str, fits) -> tuple[str, str] | None:
    """Split word as "prefix-" + "rest" at a syllable-like point (vowel then consonant, >= 3 letters
    each side) where fits(prefix + "-") holds; the longest such prefix wins. None if there is none.

    Example: hyphen_split("thérapeutique", lambda s: len(s) <= 8) -> ("théra-", "peutique").
    Words already holding a hyphen break after it ("méta-analyse" -> "méta-", "analyse"), as typesetters do.
    """
    if "-" in word.strip("-"):
        cut = word.index("-", 1) + 1
        # Only between letters ("méta-analyse"); DOIs and page ranges are not broken.
        if word[cut - 2].isalpha() and word[cut:cut + 1].isalpha() and fits(word[:cut]) and len(word) - cut >= 2:
            return word[:cut], word[cut:]
        return None
    core = word.rstrip(".,;:!?)»\"'’")
    if not core.isalpha() or len(core) < 6:
        return None
    low = core.lower()
    best = None
    for i in range(3, len(core) - 2):
        if _syllable_break(low, i) and fits(word[:i] + "-"):
            best = i
    if best is None:
        return None
    return word[:best] + "-", word[best:]


# Consonant pairs that open a syllable together and are never split ("ta-bleau", "pro-phète").
CLUSTERS = {"bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "gn", "ph", "pl", "pr", "th", "tr",
            "qu", "sh", "wh", "ps"}


def _syllable_break(low: str, i: int) -> bool:
    """True when low[:i] / low[i:] is a plausible syllable boundary: V-CV ("thé-ra"), VC-CV ("par-tir"),
    V-CCV for an opening cluster ("ta-bleau"), never inside a cluster or before a lone consonant."""
    a, b, c = low[i - 1], low[i], low[i + 1]
    if b in VOWELS or not b.isalpha():
        return False
    if c in VOWELS:
        return a in VOWELS or (a.isalpha() and a + b not in CLUSTERS)
    return a in VOWELS and b + c in CLUSTERS and i + 2 < len(low) and low[i + 2] in VOWELS


@dataclass
class _Line:
    text: str
    font: str
    size: float
    indent: float = 0.0
    space_before: float = 0.0
    keep_with_next: bool = False


def _wrap(text: str, width: float, font: str, size: float, *, hyphenate: bool,
          first_indent: float = 0.0, rest_indent: float = 0.0) -> list[tuple[str, float]]:
    """Greedy line filling; returns (line text, indent) pairs."""
    words = _clean(text).split(" ")
    lines: list[tuple[str, float]] = []
    cur: list[str] = []
    indent = first_indent

    def w(s: str) -> float:
        return stringWidth(s, font, size)

    i = 0
    while i < len(words):
        word = words[i]
        avail = width - indent
        candidate = " ".join(cur + [word])
        if w(candidate) <= avail:
            cur.append(word)
            i += 1
            continue
        if hyphenate:
            prefix_room = " ".join(cur + [""]) if cur else ""
            split = hyphen_split(word, lambda p: w(prefix_room + p) <= avail)
            if split is not None:
                cur.append(split[0])
                words[i] = split[1]
                lines.append((" ".join(cur), indent))
                cur, indent = [], rest_indent
                continue
        if not cur:  # a single word wider than the line: let it overflow rather than loop
            cur.append(word)
            i += 1
        lines.append((" ".join(cur), indent))
        cur, indent = [], rest_indent
    if cur:
        lines.append((" ".join(cur), indent))
    return lines


def _block(text, width, font, size, *, hyphenate=False, space_before=0.0, keep=False,
           first_indent=0.0, rest_indent=0.0) -> list[_Line]:
    out = []
    for k, (t, ind) in enumerate(_wrap(text, width, font, size, hyphenate=hyphenate,
                                       first_indent=first_indent, rest_indent=rest_indent)):
        out.append(_Line(t, font, size, ind, space_before if k == 0 else 0.0, keep))
    return out


# A raised number in an Article's text: "outcome^{1,2}" prints "1,2" small and raised after "outcome"
_RAISED = re.compile(r"\^\{([^}]*)\}")
RAISED_SIZE, RAISED_BY = 6.0, 3.5


def _draw(c: Canvas, x: float, y: float, font: str, size: float, text: str, raised: str) -> None:
    """One line; its "^{...}" parts small and raised: moved up and drawn on their own (raised="move", as Word
    and LaTeX place them) or with a text rise inside one text object (raised="rise", which pypdf does not
    report)."""
    parts = _RAISED.split(text)
    if len(parts) == 1:
        c.setFont(font, size)
        c.drawString(x, y, text)
        return
    if raised == "rise":
        t = c.beginText(x, y)
        for k, part in enumerate(parts):
            if k % 2:
                t.setFont(font, RAISED_SIZE)
                t.setRise(RAISED_BY)
                t.textOut(part)
                t.setRise(0)
            else:
                t.setFont(font, size)
                t.textOut(part)
        c.drawText(t)
        return
    for k, part in enumerate(parts):
        small = k % 2 == 1
        c.setFont(font, RAISED_SIZE if small else size)
        c.drawString(x, y + (RAISED_BY if small else 0.0), part)
        x += stringWidth(part, font, RAISED_SIZE if small else size)


class _Writer:
    """Places lines into columns and pages; emits them in column or row order per page."""

    def __init__(self, canvas: Canvas, columns: int, order: str, header: str | None, numbers: bool,
                 raised: str = "move"):
        self.c, self.columns, self.order, self.raised = canvas, columns, order, raised
        self.header, self.numbers = header, numbers
        self.col_w = (PAGE_W - 2 * MARGIN_X - GUTTER * (columns - 1)) / columns
        self.page = 1
        self.ops: list[tuple[float, float, str, float, str]] = []
        self.top = PAGE_H - MARGIN_TOP
        self.col = 0
        self.y = self.top

    def full_width(self, lines: list[_Line]) -> None:
        """Lines across the whole text width (title block on page 1), before the columns start."""
        for ln in lines:
            self.y -= ln.space_before + ln.size * 1.25
            self.ops.append((MARGIN_X + ln.indent, self.y, ln.font, ln.size, ln.text))
        self.y -= LEADING
        self.top = self.y

    def flow(self, lines: list[_Line]) -> None:
        for k, ln in enumerate(lines):
            need = ln.space_before + ln.size * 1.25
            if ln.keep_with_next:  # a heading must not end a column
                need += 2 * LEADING
            if self.y - need < MARGIN_BOTTOM:
                self._next_column()
                ln = _Line(ln.text, ln.font, ln.size, ln.indent, 0.0, ln.keep_with_next)
            self.y -= ln.space_before + ln.size * 1.25
            x = MARGIN_X + self.col * (self.col_w + GUTTER) + ln.indent
            self.ops.append((x, self.y, ln.font, ln.size, ln.text))

    def _next_column(self) -> None:
        if self.col + 1 < self.columns:
            self.col += 1
        else:
            self.finish_page()
            self.c.showPage()
            self.page += 1
            self.col, self.top = 0, PAGE_H - MARGIN_TOP
        self.y = self.top

    def finish_page(self) -> None:
        c = self.c
        if self.header:
            c.setFont("Helvetica-Oblique", SMALL_SIZE)
            c.drawString(MARGIN_X, PAGE_H - 36, _clean(self.header))
        ops = self.ops
        if self.order == "row":
            # Word-style streams: line by line across both columns, by baseline then left to right.
            ops = sorted(ops, key=lambda o: (-round(o[1], 1), o[0]))
        for x, y, font, size, text in ops:
            _draw(c, x, y, font, size, text, self.raised)
        if self.numbers:
            c.setFont(SMALL_FONT, SMALL_SIZE)
            c.drawCentredString(PAGE_W / 2, 30, str(self.page))
        self.ops = []


def make_article_pdf(path: Path, article: Article, *, columns: int = 1, order: str = "column",
                     hyphenate: bool = False, running_header: str | None = None,
                     page_numbers: bool = True, set_info: bool = True, raised: str = "move") -> None:
    """Write article to path as a PDF laid out in 1 or 2 columns (see the module docstring).

    set_info=False leaves reportlab's placeholder metadata (Title "untitled", Author "anonymous"), as
    many real PDFs carry junk metadata that a reader must not take for the title. raised: how "^{...}" parts
    are raised ("move" or "rise", see _draw).
    """
    if columns not in (1, 2):
        raise ValueError(f"pdfgen: columns must be 1 or 2, not {columns}")
    if order not in ("column", "row"):
        raise ValueError(f"pdfgen: order must be 'column' or 'row', not {order!r}")
    labels = LABELS.get(article.lang, LABELS["en"])
    c = Canvas(str(path), pagesize=A4, invariant=1)
    if set_info:
        c.setTitle(_clean(article.title))
        c.setAuthor(_RAISED.sub("", _clean(", ".join(article.authors))))
        subject = ", ".join(str(p) for p in (article.journal, article.year) if p)
        if article.doi:
            subject = f"{subject}. doi:{article.doi}" if subject else f"doi:{article.doi}"
        if subject:
            c.setSubject(_clean(subject))
        if article.keywords:
            c.setKeywords(_clean(", ".join(article.keywords)))
    wr = _Writer(c, columns, order, running_header, page_numbers, raised)
    full = PAGE_W - 2 * MARGIN_X

    head: list[_Line] = _block(article.title, full, TITLE_FONT, TITLE_SIZE)
    head += _block(", ".join(article.authors), full, "Helvetica", 10.5, space_before=6)
    source = ", ".join(str(p) for p in (article.journal, article.year) if p)
    if article.doi:
        source = f"{source}. https://doi.org/{article.doi}" if source else f"https://doi.org/{article.doi}"
    if source:
        head += _block(source, full, SMALL_FONT, SMALL_SIZE + 1, space_before=2)
    head += _block(labels["abstract"], full, BOLD_FONT, BODY_SIZE + 1, space_before=12)
    head += _block(article.abstract, full, BODY_FONT, BODY_SIZE - 0.5, space_before=2)
    if article.keywords:
        head += _block(f"{labels['keywords']} {'; '.join(article.keywords)}", full, "Times-Italic",
                       BODY_SIZE - 0.5, space_before=4)
    if columns == 1:
        wr.flow(head)
        wr.y -= LEADING
    else:
        wr.full_width(head)

    cw = wr.col_w
    for sec in article.sections:
        wr.flow(_block(sec.heading, cw, BOLD_FONT, BODY_SIZE + 1, space_before=LEADING * 0.8, keep=True))
        for k, para in enumerate(sec.paragraphs):
            wr.flow(_block(para, cw, BODY_FONT, BODY_SIZE, hyphenate=hyphenate,
                           space_before=3 if k else 2, first_indent=0.0 if k == 0 else 10.0))
    if article.references:
        wr.flow(_block(labels["references"], cw, BOLD_FONT, BODY_SIZE + 1, space_before=LEADING, keep=True))
        for ref in article.references:
            wr.flow(_block(ref, cw, BODY_FONT, BODY_SIZE - 1, hyphenate=hyphenate, space_before=2,
                           rest_indent=HANG))
    wr.finish_page()
    c.showPage()
    c.save()
