"""Loads PDF files with pypdf: page text in reading order, footnotes set apart, failures as LoadError.

Numbers printed small and raised after a word (Vancouver citations, note calls) are written as superscript
digits a space after it ("outcome ¹,²"), where pypdf glued them on ("outcome1,2").

One extraction pass per page, with a cheap position visitor (about 6 % over bare extract_text): the
positions tell row-major streams (columns interleaved line by line) from column-major ones, give the
font sizes that set footnotes apart, and feed the first-page metadata detector (kb.load.pdfmeta).
pypdf's logging and warnings are captured per file into RawDocument.warnings, never the terminal.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from kb.config import Limits
from kb.errors import LoadError
from kb.load import pdfmeta
from kb.models import Page, RawDocument

# A line the loader puts between a page's body text and its footnotes; the segmenter turns what
# follows into kind="footnote" passages, and normalize never treats it as a running footer.
FOOTNOTE_MARKER = "[[footnotes]]"

# A number set small and raised after a word: a reference's call in Vancouver style ("outcome¹,²"), a note's, an
# affiliation's. pypdf glues it to the word ("outcome1,2"), or puts it on a line of its own when the PDF moves
# up to print it; it becomes superscript digits a space after the word ("outcome ¹,²"), so the word stays
# searchable and kb.cite can tell a raised number from a printed one.
_NUMBERS = r"\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*"
_RAISED = re.compile(rf"\(({_NUMBERS})\)|\[({_NUMBERS})\]|({_NUMBERS})")  # "(3)" / "[4-6]" / "1,2"
# What a raised reference number follows: a word of three letters or more ("outcome¹", not the exponents of
# "R²", "χ²", "cm²", "10³"), or a word's closing punctuation ("et al.¹", "studies,²", "(2019)³")
_RAISED_AFTER = re.compile(r"(?:[^\W\d_]{3,}|[^\W\d_][.,;:)\]’'\"»])$")
_TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

NO_TEXT = "no text layer (scanned or image-only PDF; OCR is not supported)"
_MAX_WARNINGS = 8


class Frag(NamedTuple):
    """A piece of text as pypdf's visitor reports it: start position in user space and font size.

    A named tuple, not a frozen dataclass: a page makes hundreds, and this builds 3x faster."""

    x: float
    y: float
    size: float
    text: str


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _quiet_pypdf():
    """Keep pypdf's repairs off the terminal (and out of pytest's warnings-as-errors) while a file loads."""
    log = logging.getLogger("pypdf")
    handler, propagate = _Collect(), log.propagate
    log.addHandler(handler)
    log.propagate = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield handler.messages, caught
        finally:
            log.removeHandler(handler)
            log.propagate = propagate


def _reason(exc: Exception) -> str:
    """A one-line reason for a pypdf failure."""
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    msg = " ".join(str(exc).split())[:160] or type(exc).__name__
    if isinstance(exc, LimitReachedError):
        return f"decompression or size limit reached, refusing to read further (possible PDF bomb: {msg})"
    if isinstance(exc, FileNotDecryptedError):
        return "encrypted with a password (password-protected PDFs are not supported)"
    if isinstance(exc, DependencyError):
        return f"cannot be decoded without an optional package ({msg})"
    if isinstance(exc, MemoryError):
        return "too large to read in memory"
    return f"broken or truncated PDF ({msg})"


def _short(message: str) -> str:
    """A pypdf message cut before any dumped dictionary: "... in font dictionary {'/BaseFont': ..."."""
    return " ".join(message.split("{", 1)[0].split())[:140]


def _open(path: Path, limits: Limits):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise LoadError(path, f"cannot read file ({exc.strerror or exc})") from None
    if size == 0:
        raise LoadError(path, "empty file (0 bytes)")
    if size > limits.max_file_mb * 1_000_000:
        raise LoadError(path, f"file is {size / 1e6:.1f} MB, over the {limits.max_file_mb:g} MB limit "
                              "(KB_MAX_FILE_MB)")
    if b"%PDF-" not in head:
        raise LoadError(path, "not a PDF (no %PDF header)")
    try:
        reader = PdfReader(path, strict=False)
    except Exception as exc:  # pypdf raises many types on bad input; each becomes a reason
        raise LoadError(path, _reason(exc)) from None
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except DependencyError:
            raise LoadError(path, "encrypted (AES); reading it needs the 'cryptography' package") from None
        except Exception as exc:
            raise LoadError(path, _reason(exc)) from None
        if not ok:
            raise LoadError(path, "encrypted with a password (password-protected PDFs are not supported)")
    try:
        n = len(reader.pages)
    except Exception as exc:
        raise LoadError(path, _reason(exc)) from None
    if n > limits.max_pages:
        raise LoadError(path, f"{n} pages, over the {limits.max_pages} page limit (KB_MAX_PAGES)")
    return reader


def _extract(page) -> tuple[str, list[Frag]]:
    """The page's plain text and its positioned fragments, from one extraction pass."""
    frags: list[Frag] = []
    append = frags.append

    def visit(text, cm, tm, _font, size):
        if text and not text.isspace():
            # Rotated text (an arXiv stamp in the margin) is not part of the page's reading layout.
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            if a <= 0 or abs(b) > 0.1 * a:
                return
            # Position and size in user space: the text matrix composed with the graphics matrix.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = ((tm[2] * cm[0] + tm[3] * cm[2]) ** 2 + (tm[2] * cm[1] + tm[3] * cm[3]) ** 2) ** 0.5
            append(Frag(x, y, (size or 0) * scale, text))

    return page.extract_text(visitor_text=visit), frags


def _row_major(frags: list[Frag], mid: float) -> tuple[float, float] | None:
    """(left edge, right column edge) when the stream runs row by row across two columns, else None.

    Lines of a column start at one x. In a column-major stream the fragments at the left and right
    column edges come as LLL...RRR (1-3 switches per page); in a row-major one as LRLR... (about two
    switches per line). Measured: generated row-major pages 72-84 switches for ~90 edge fragments (28
    for a last page whose right column has 15); the real PDFs of ../shared at most 12, with 6 or fewer
    fragments on the shorter side (tables), most pages 1-2.
    """
    left = Counter(round(f.x) for f in frags if f.x < mid)
    right = Counter(round(f.x) for f in frags if f.x >= mid)
    if not left or not right:
        return None
    xl, xr = left.most_common(1)[0][0], right.most_common(1)[0][0]
    seq = [f.x >= mid for f in frags if abs(f.x - xl) <= 1.5 or abs(f.x - xr) <= 1.5]
    shorter = min(sum(seq), len(seq) - sum(seq))  # edge fragments of the shorter column
    # A right column starts most right-half fragments at its edge; formulas and tables in a single
    # column scatter them (GeoTopo's math pages: 6 of ~30 at the most common x).
    if shorter < 8 or sum(seq) < 0.5 * sum(right.values()):
        return None
    switches = sum(1 for a, b in zip(seq, seq[1:]) if a != b)
    # Row-major: about two switches per line of the shorter column (a last page's short column too).
    return (xl, xr) if switches >= shorter else None


def _lines(frags: list[Frag]) -> list[list[Frag]]:
    """Fragments grouped by baseline, top to bottom, each line left to right."""
    out: list[list[Frag]] = []
    for f in sorted(frags, key=lambda f: (-f.y, f.x)):
        if out and abs(out[-1][0].y - f.y) <= 0.4 * max(f.size, 1.0):
            out[-1].append(f)
        else:
            out.append([f])
    return [sorted(line, key=lambda f: f.x) for line in out]


def _join(frags: list[Frag]) -> str:
    return " ".join("".join(f.text for f in frags).replace("\n", " ").split())


def _by_columns(frags: list[Frag], xr: float) -> str:
    """Row-major page text rebuilt column by column. Lines crossing the gutter (title, full-width
    figure captions) close a band: each band gives its left column, then its right one."""
    out: list[str] = []
    band_l: list[str] = []
    band_r: list[str] = []
    for line in _lines(frags):
        lpart = [f for f in line if f.x < xr - 2]
        rpart = [f for f in line if f.x >= xr - 2]
        # A line with nothing right of the gutter whose text would run well past it is full-width
        # (title, wide caption). Estimated width: 0.45 em per character, about Times/Helvetica's.
        last = lpart[-1] if lpart else None
        crosses = not rpart and last is not None and \
            last.x + 0.45 * last.size * len(last.text.strip()) > xr + 0.3 * (xr - lpart[0].x)
        if crosses:
            out += band_l + band_r
            band_l, band_r = [], []
            out.append(_join(line))
            continue
        if lpart:
            band_l.append(_join(lpart))
        if rpart:
            band_r.append(_join(rpart))
    out += band_l + band_r
    return "\n".join(s for s in out if s)


def _raised(frags: list[Frag], body_size: float) -> list[int]:
    """Indices of the fragments that are a raised number after a word of the body: smaller than the body's
    font, on the word's baseline or above it (pypdf does not report a text rise), never below it (a subscript,
    "CO₂")."""
    out = []
    for k in range(1, len(frags)):
        f, prev = frags[k], frags[k - 1]
        if 0 < f.size <= 0.8 * body_size < prev.size and -0.5 <= f.y - prev.y <= 0.6 * prev.size \
                and _RAISED.fullmatch(f.text.strip()) and _RAISED_AFTER.search(prev.text.rstrip()):
            out.append(k)
    return out


def _superscripts(text: str, frags: list[Frag], raised: list[int]) -> tuple[str, list[Frag]]:
    """The page's text and fragments with each raised number in superscript digits, a space after its word:
    "outcome1,2 in" / "bond.\\n6\\n  Another" -> "outcome ¹,² in" / "bond. ⁶ Another". Fragments are found
    in the text in the order pypdf emitted both; a number whose word is not found just before it is left as
    printed."""
    todo = set(raised)
    out: list[str] = []
    done = 0  # text[:done] is in out
    cursor, prev_end = 0, None
    frags = list(frags)
    for k, f in enumerate(frags):
        s = f.text.strip()
        pos = text.find(s, cursor) if s else -1
        if pos < 0:
            prev_end = None
            continue
        end = pos + len(s)
        if k in todo and prev_end is not None and not text[prev_end:pos].strip():
            after = re.match(r"[^\S\n]*\n\s*", text[end:])
            nxt = frags[k + 1] if k + 1 < len(frags) else None
            if after and nxt is not None and abs(nxt.y - frags[k - 1].y) <= 1.0:
                end += after.end()  # the line break pypdf put after a number printed higher: same line
            numbers = next(g for g in _RAISED.fullmatch(s).groups() if g)  # without its brackets
            sup = " " + numbers.translate(_TO_SUPERSCRIPT).replace(" ", "")
            joined = after is not None and end > pos + len(s) and text[end:end + 1] not in ".,;:)]"
            out += [text[done:prev_end], sup + (" " if joined else "")]
            done = end
            frags[k] = f._replace(y=frags[k - 1].y, text=sup)
        cursor, prev_end = end, end
    out.append(text[done:])
    return "".join(out), frags


def _footnotes(text: str, frags: list[Frag], body_size: float, page_bottom: float) -> str:
    """Move the footnote lines of a page after FOOTNOTE_MARKER: the block of lines in a font at most
    0.85 of the body size, contiguous from the bottom of the page (a page number below it is skipped)
    and in its lower third. Needs at least one line starting with a note mark ("1 ", "*", "†")."""
    lines = _lines(frags)
    block: list[list[Frag]] = []
    for line in reversed(lines):
        words = _join(line)
        if not block and words.isdigit() and len(words) <= 4:
            continue  # page number under the notes
        size = max(f.size for f in line)
        if size <= 0.85 * body_size and line[0].y < page_bottom + 0.33 * (lines[0][0].y - page_bottom):
            block.append(line)
        else:
            break
    if not block or len(block) > 25:
        return text
    notes = [_join(line) for line in reversed(block)]
    if not any(n[:1] in "*†‡§¹²³⁴⁵⁶⁷⁸⁹" or n.split(" ", 1)[0].isdigit() for n in notes):
        return text
    # Match the plain text's lines against the notes ignoring spaces: a raised note number may be a
    # line of its own in positions but share the note's line in the plain text ("1 http://...").
    blob = "".join(n.replace(" ", "") for n in notes)
    lines_in = text.split("\n")
    tail = len(lines_in)
    while tail > 0 and lines_in[tail - 1].replace(" ", "") in blob:
        tail -= 1
    body, moved = [], []
    for k, line in enumerate(lines_in):
        key = line.replace(" ", "")
        is_note = bool(key) and key in blob and (k >= tail or len(key) >= 12)
        (moved if is_note else body).append(line)
    if sum(len(m.replace(" ", "")) for m in moved) < 0.6 * len(blob):
        return text  # the plain text splits lines differently: leave the page as it is
    return "\n".join(body + [FOOTNOTE_MARKER] + moved)


def load(path: Path, limits: Limits | None = None) -> RawDocument:
    """Read a PDF into one Page per PDF page (1-based numbers), text one visual line per line."""
    path = Path(path)
    limits = limits or Limits()
    notes: list[str] = []
    with _quiet_pypdf() as (logged, caught):
        reader = _open(path, limits)
        raw: list[tuple[str, list[Frag], object]] = []
        for i, page in enumerate(reader.pages, 1):
            try:
                text, frags = _extract(page)
            except Exception as exc:  # one bad page must not lose the others
                notes.append(f"page {i}: text not extracted ({_reason(exc)})")
                text, frags = "", []
            raw.append((text, frags, page))
        info = pdfmeta.info_of(reader)
    if not any(ch.isalnum() for text, _, _ in raw for ch in text):
        raise LoadError(path, NO_TEXT)

    sizes = Counter()
    for _, frags, _ in raw:
        for f in frags:
            sizes[round(f.size, 1)] += len(f.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    pages: list[Page] = []
    reordered = 0
    for i, (text, frags, page) in enumerate(raw, 1):
        try:
            box = page.cropbox
            left, right, bottom = float(box.left), float(box.right), float(box.bottom)
            rotated = bool(page.get("/Rotate", 0) % 360)
        except Exception:
            left, right, bottom, rotated = 0.0, 0.0, 0.0, True
        if frags and not rotated:
            raised = _raised(frags, body_size) if body_size else []
            if raised:
                text, frags = _superscripts(text, frags, raised)
            edges = _row_major(frags, (left + right) / 2)
            if edges:
                text, reordered = _by_columns(frags, edges[1]), reordered + 1
            if body_size:
                text = _footnotes(text, frags, body_size, bottom)
        pages.append(Page(i, text))
    if reordered:
        notes.append(f"{reordered} page(s) stored row by row across columns: re-ordered by position")
    seen = dict.fromkeys(notes + [_short(f"pdf: {m}") for m in logged]
                         + [_short(f"pdf: {w.message}") for w in caught])
    first = raw[0][1] if raw else []
    meta = pdfmeta.detect(info, first, pages[0].text if pages else "")
    return RawDocument(path=str(path), format="pdf", pages=tuple(pages), meta=meta,
                       warnings=tuple(list(seen)[:_MAX_WARNINGS]))
