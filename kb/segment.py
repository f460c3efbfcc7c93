"""Splits cleaned pages into passages of about a paragraph, each knowing its page and language.

Blank lines are paragraph breaks where the source has them (web pages, text); PDF text has none, so
long runs are cut at sentence ends into passages of about TARGET_WORDS words. A passage never spans
two pages, so its page number is exact. The reference section (found by kb.sections) becomes passages of
kind "references" that keep their line breaks and blank lines, one per page, for the citation stage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb import sections
from kb.lang import passage_lang
from kb.models import Page, Passage

TARGET_WORDS = 120
MAX_WORDS = 220
MIN_WORDS = 25  # shorter paragraphs (headings, list items) join the next one
# The PDF loader puts a page's footnotes after this line (kb.load.pdf.FOOTNOTE_MARKER).
FOOTNOTE_MARKER = "[[footnotes]]"

# A sentence end: ". " / "? " / "! " / "… " before a capital, a quote or a bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?…»\"”])\s+(?=[«\"“(\[]?[A-ZÀ-ÖØ-Þ0-9])")
# Tokens whose final dot does not end a sentence: "et al.", "p.", "Dr.", initials "J."
_ABBREV = re.compile(r"(?:\b(?:al|p|pp|vol|no|n°|cf|e\.g|i\.e|etc|dr|mr|mrs|ms|m|mme|fig|eq|éd|ed|eds|coll|"
                     r"chap|vs|resp|approx|ca)\.|\b[A-ZÀ-Þ]\.)$", re.I)


def sentences(text: str) -> list[str]:
    """Splits running text into sentences, keeping "et al." and initials inside their sentence."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        head = text[start:m.start()]
        if _ABBREV.search(head[-8:]):
            continue
        out.append(head.strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


# A section heading alone on its line: "Résumé", "2. Methods", "Matériel et méthodes :"; its paragraph
# follows on the next line, with no blank line between
_SECTION_LINE = re.compile(
    r"(?:\d{1,2}\.?\s+)?(?:abstract|r[ée]sum[ée]|summary|introduction|background|contexte|objectifs?|objectives?"
    r"|methods?|m[ée]thodes?|m[ée]thodologie|materials? and methods|mat[ée]riels? et m[ée]thodes|results"
    r"|r[ée]sultats|discussion|conclusions?|limit(?:ations|es)|keywords|key words|mots[- ]cl[ée]s)\s*:?", re.I)


def unwrap(lines: Sequence[str]) -> str:
    """Joins a paragraph's lines; a line ending in a kept hyphen ("méta-") joins without a space, and a
    section heading keeps its line break (so no sentence of the paragraph starts with "Introduction")."""
    text, previous = "", ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if text.endswith("-") and line[:1].isalpha() and not text.endswith(" -"):
            text += line
        elif text and _SECTION_LINE.fullmatch(previous):
            text = f"{text}\n{line}"
        else:
            text = f"{text} {line}" if text else line
        previous = line
    return re.sub(r"[^\S\n]{2,}", " ", text)


def _chunks(paragraph: str) -> list[str]:
    """A long paragraph cut at sentence ends into pieces of about TARGET_WORDS words."""
    if len(paragraph.split()) <= MAX_WORDS:
        return [paragraph]
    out, current, count = [], [], 0
    for sentence in sentences(paragraph):
        n = len(sentence.split())
        if current and count + n > TARGET_WORDS:
            out.append(" ".join(current))
            current, count = [], 0
        current.append(sentence)
        count += n
    if current:
        out.append(" ".join(current))
    return out


def _paragraphs(lines: Sequence[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    """(page, unwrapped paragraph) runs: broken at blank lines and page changes."""
    out: list[tuple[int | None, str]] = []
    run: list[str] = []
    page: int | None = None
    for number, line in list(lines) + [(None, "")]:
        if run and (not line.strip() or number != page):
            out.append((page, unwrap(run)))
            run = []
        if line.strip():
            if not run:
                page = number
            run.append(line)
    return [(p, t) for p, t in out if t]


def _split_footnotes(pages: Sequence[Page]) -> tuple[list[tuple[int | None, str]], list[tuple[int | None, str]]]:
    """Body lines and footnote lines (those after the marker on their page), each with its page."""
    body, notes = [], []
    for page in pages:
        text, _, foot = page.text.partition(FOOTNOTE_MARKER)
        body += [(page.number, line) for line in text.split("\n")]
        notes += [(page.number, line) for line in foot.split("\n") if line.strip()]
    return body, notes


def segment(pages: Sequence[Page]) -> tuple[Passage, ...]:
    """The passages of a document, in reading order: body, footnotes, then the reference section."""
    lines, notes = _split_footnotes(pages)
    ref_start = sections.find_references([line for _, line in lines])
    body = lines if ref_start is None else lines[:ref_start]
    refs = [] if ref_start is None else lines[ref_start:]

    pieces: list[tuple[int | None, str]] = []
    pending: tuple[int | None, str] | None = None
    for page, paragraph in _paragraphs(body):
        if pending and pending[0] == page and len(pending[1].split()) + len(paragraph.split()) <= MAX_WORDS:
            paragraph = f"{pending[1]}\n{paragraph}"
        elif pending:
            pieces.append(pending)
        pending = None
        for chunk in _chunks(paragraph):
            pieces.append((page, chunk))
        if len(pieces[-1][1].split()) < MIN_WORDS:
            pending = pieces.pop()
    if pending:
        pieces.append(pending)

    passages = [Passage(n=i, page=page, text=text, kind="body", lang=passage_lang(text))
                for i, (page, text) in enumerate(pieces)]
    for page, text in _paragraphs(notes):
        passages.append(Passage(n=len(passages), page=page, text=text, kind="footnote", lang=passage_lang(text)))
    # Blank lines stay (one at most): where the source separates entries (web lists, text files) they are
    # the surest entry boundaries kb has.
    by_page: dict[int | None, list[str]] = {}
    for page, line in refs:
        kept = by_page.setdefault(page, [])
        if line.strip():
            kept.append(line.strip())
        elif kept and kept[-1]:
            kept.append("")
    for page, ref_lines in by_page.items():
        text = "\n".join(ref_lines).strip()
        if not text:
            continue
        passages.append(Passage(n=len(passages), page=page, text=text, kind="references",
                                lang=passage_lang(text)))
    return tuple(passages)
