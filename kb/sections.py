"""Finding a document's reference section: its heading line, or the start of a trailing block of entries.

A heading is a short line that is only the section name (optionally numbered: "7. References",
"VI. BIBLIOGRAPHIE"); a sentence that mentions references, or a table-of-contents line ending in a page
number, is not. When several lines qualify (a contents page, an appendix), the last one followed by
entry-like lines wins. Without a heading, a trailing run of numbered entries "[1] ... [2] ..." counts.
"""

from __future__ import annotations

import re

# "References", "7. References", "VI. BIBLIOGRAPHIE", "Références bibliographiques :", "Literature cited",
# "Notes et références", "References and notes", "Bibliographie sélective"
_HEADING = re.compile(
    r"^\s*(?:(?:\d{1,2}|[IVXLC]{1,5}|[A-Z])[.)]?\s+)?(?:"
    r"(?:notes\s+(?:et|and|&)\s+)?r[ée]f[ée]rences?(?:\s+(?:bibliographiques|cited|cit[ée]es|(?:et|and|&)\s+notes))?|"
    r"bibliograph(?:ie|y)(?:\s+(?:s[ée]lective|sommaire|choisie))?|"
    r"literature\s+cited|works\s+cited|cited\s+literature|list\s+of\s+references|reference\s+list|"
    r"liste\s+des\s+r[ée]f[ée]rences|sources\s+bibliographiques|bibliographic\s+references)\s*:?\s*$",
    re.I)
_YEAR = re.compile(r"(?<!\d)(?:1[6-9]\d\d|20[0-4]\d)[a-z]?(?!\d)")
# "[1] Hu W." / "1. Bordin ES" / "1 Bordin" — the first entry of a numbered list
_FIRST_NUMBERED = re.compile(r"^\s*(?:\[1\]|1\.|\(1\))\s+\S")
_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})\.|\((\d{1,4})\))\s+\S")


def _entry_like(lines: list[str], start: int, window: int = 12) -> bool:
    """Whether the lines after a heading read like references (years, numbering, initials)."""
    sample = [ln for ln in lines[start:start + window] if ln.strip()]
    if not sample:
        return False
    hits = sum(bool(_YEAR.search(ln) or _NUMBERED.match(ln) or re.search(r"\b[A-Z]\.\s?[A-Z]?\.?,", ln))
               for ln in sample)
    return hits >= max(1, len(sample) // 4)


def _trailing_numbered(lines: list[str]) -> int | None:
    """The first line of a run "[1]", "[2]", ... that runs to (near) the end of the document."""
    for i in range(len(lines) - 1, -1, -1):
        if not _FIRST_NUMBERED.match(lines[i]):
            continue
        expected, starts = 2, [i]
        for j in range(i + 1, len(lines)):
            m = _NUMBERED.match(lines[j])
            if m and int(next(g for g in m.groups() if g)) == expected:
                expected, starts = expected + 1, starts + [j]
        last_hit = starts[-1]
        tail = len(lines) - last_hit
        # at least 3 entries, and no long stretch of text after the last one (<= 8 lines per entry)
        if expected > 4 and tail <= 8 + 4 * 1 and (last_hit - i) <= 8 * (expected - 1) \
                and _dated(lines, starts):
            return i
    return None


_SOURCE = re.compile(r"https?://|www\.|\bdoi\b", re.I)


def _dated(lines: list[str], starts: list[int]) -> bool:
    """Whether most numbered items carry a year or a link, as cited works do (steps of a how-to, the
    points of a conclusion do not)."""
    bounds = starts + [min(len(lines), starts[-1] + 8)]
    items = [" ".join(lines[a:b]) for a, b in zip(bounds, bounds[1:])]
    return sum(bool(_YEAR.search(t) or _SOURCE.search(t)) for t in items) >= 0.5 * len(items)


# "Notes", "Endnotes", "Notes de fin": a section of notes, which holds the references only in some styles
_NOTES_HEADING = re.compile(r"^\s*(?:(?:\d{1,2}|[IVXLC]{1,5})[.)]?\s+)?(?:end\s?notes|notes(?:\s+de\s+fin)?)"
                            r"\s*:?\s*$", re.I)


def _references_in_notes(lines: list[str], start: int, window: int = 12) -> bool:
    """Whether the notes after a heading are references: numbered, and nearly each with a year."""
    sample = [ln for ln in lines[start:start + window] if ln.strip()]
    numbered = [ln for ln in sample if _NUMBERED.match(ln)]
    return len(numbered) >= 3 and sum(bool(_YEAR.search(ln)) for ln in numbered) >= 0.8 * len(numbered)


# "Sources": what health and news sites head their list with; a weaker sign (a table's or a figure's note
# prints it too), so it counts only in a document without a reference heading
_SOURCES_HEADING = re.compile(r"^\s*(?:(?:\d{1,2}|[IVXLC]{1,5})[.)]?\s+)?sources\s*:?\s*$", re.I)


def find_references(lines: list[str]) -> int | None:
    """Index of the reference section's first line (its heading, or its first entry), or None. A "Notes"
    section, or one headed "Sources", counts only in a document without a reference heading, when its lines
    are references."""
    heads = [i for i, ln in enumerate(lines) if len(ln) < 60 and _HEADING.match(ln)]
    for i in reversed(heads):
        if _entry_like(lines, i + 1):
            return i
    if not heads:
        notes = [i for i, ln in enumerate(lines) if is_notes_heading(ln)]
        if notes and _references_in_notes(lines, notes[-1] + 1):
            return notes[-1]
        sources = [i for i, ln in enumerate(lines) if _SOURCES_HEADING.match(ln) and _entry_like(lines, i + 1)]
        if sources:
            return sources[-1]
    return _trailing_numbered(lines)


def is_notes_heading(line: str) -> bool:
    """Whether a line is a notes section's heading ("Notes", "Notes de fin", "Endnotes")."""
    return len(line) < 40 and _NOTES_HEADING.match(line) is not None


def is_heading(line: str) -> bool:
    """Whether a line is a reference-section heading ("References", "7. Bibliographie", "Sources")."""
    return len(line) < 60 and (_HEADING.match(line) is not None or _SOURCES_HEADING.match(line) is not None)
