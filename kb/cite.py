"""The cite stage: a document's reference list and its in-text citations, each linked to its entry.

References come from the passages of kind "references" (lines kept, the heading skipped), split and
parsed by kb.refparse. Citations come from body passages: numeric markers ("[7,22]", "[9-11]"),
parenthetical author-year groups ("(Horvath & Symonds, 1991; Martin et al., 2000)"), narrative ones
("Flückiger et al. (2018)", "Taccolini Manzoni et al., 2018") and names before a number
("Lakke et Meerman [30]"). Precision first: a year, a page or a bracket without a name-and-year or a
number shape ("(1979)", "(p. 12)", "[sic]", "(n = 30)", "en 2018") is never a citation.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kb import refparse, sections
from kb.models import Citation, CitationResult, Document, Reference

_UPC = r"A-ZÀ-ÖØ-ÞŁŒ"
# One surname as cited: "Flückiger", "O'Brien", "Lozano-Perez", "Van der Berg", "De Roten"
# (lowercase "de", "van" are left out: in running French "de Fluckiger" is a preposition)
_NAME = rf"(?:(?:Van|Von|De|Di|Da|Le|La)\s+(?:(?:der|den|la)\s+)?)?[{_UPC}][\w’'-]*\w"
# Who, as printed: "Flückiger et al.", "Horvath & Symonds", "Lakke et Meerman", "Taccolini Manzoni et al."
_WHO = (rf"(?P<who>{_NAME}(?:\s+{_NAME})?(?:\s+et\s+al\.?|\s+et\s+coll\.?|\s+and\s+colleagues"
        rf"|(?:,\s*{_NAME})*,?\s+(?:&|and|et)\s+{_NAME})?)")
_YEAR = r"(?:1[6-9]\d\d|20[0-4]\d)[a-z]?"

# "(Bordin, 1979)" / "(Horvath & Symonds, 1991; Martin et al., 2000)" / "(voir Bordin, 1979, 1994)"
_PAREN = re.compile(rf"\((?P<body>[^()]*?\b{_YEAR}[^()]*)\)")
_PAREN_ITEM = re.compile(rf"^(?:(?:see|voir|e\.g\.|cf\.|i\.e\.|also|aussi|notamment)[,:]?\s+)*{_WHO},?\s+"
                         rf"(?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*)(?:\s*,\s*(?:p|pp)\.?\s*[\d–-]+)?\s*$")
# "Flückiger et al. (2018)" / "Bordin (1979, p. 252)"
_NARRATIVE = re.compile(rf"{_WHO}\s+\((?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*)(?:\s*,\s*(?:p|pp)\.?\s*[\d–-]+)?\)")
# "Taccolini Manzoni et al., 2018" (needs "et al." or a pair: a bare "Paris, 2018" is not a citation)
_ETAL_YEAR = re.compile(rf"(?P<who>{_NAME}(?:\s+{_NAME})?\s+(?:et\s+al\.?|et\s+coll\.?)),?\s+(?P<years>{_YEAR})\b")
# "[20]" / "[7,22]" / "[9-11]" / "[1, 2, 5–8]"
# (not "state[748]": an index glued to a word is code, not a citation)
_NUMERIC = re.compile(r"(?<![\w\]])\[(?P<nums>\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\]")
# "Dynamo (7)" / "(10, 11)": only for documents with a numbered list and no "[n]" markers at all
_PAREN_NUMERIC = re.compile(r"(?<=[\w.,] )\((?P<nums>\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\)(?!\s*[=:])")
_NOT_BEFORE_NUM = re.compile(r"(?:fig(?:ure)?\.?|table(?:au)?|eq(?:uation)?\.?|équation|step|étape|chapter|"
                             r"section|item|line|ligne|see|voir)\s*$", re.I)
# The name just before a numeric marker: "Fluckiger et al. [20]", "Greenson [3]", "Lakke et Meerman [30]"
_WHO_BEFORE = re.compile(rf"{_WHO}\s*$")
# Capitalised words that open sentences and are not names.
_NOT_NAME = {"selon", "comme", "dans", "pour", "according", "in", "the", "see", "voir", "cf", "par", "chez",
             "ainsi", "les", "des", "la", "le", "une", "un", "this", "these", "et", "and", "mais", "but", "table",
             "figure", "fig", "tableau", "section", "chapter", "chapitre", "annexe", "appendix", "eq", "equation",
             "ref", "refs", "references", "références", "while", "whereas", "alors", "cependant", "however",
             "pourtant", "enfin", "also", "aussi", "de", "du", "en", "a", "an", "on", "at", "by", "with", "from",
             "to", "for", "of", "is", "are", "was", "were", "il", "elle", "ils", "elles", "nous", "we", "they",
             "as", "since", "when", "thus", "like", "unlike", "following", "after", "before", "both", "depuis",
             "puis", "donc", "dont", "où", "si", "that", "which", "who", "our", "notre", "leur", "their", "its"}
# Sentence ends: ". " before a capital, not after initials, "al.", "p.", "cf.", "coll."
_SENT_END = re.compile(rf"(?<!\bal)(?<!\bcoll)(?<!\bp)(?<!\bpp)(?<!\bcf)(?<!\b[{_UPC}])[.!?…]\s+(?=[{_UPC}«\"“(\[])")


def _who(who: str) -> tuple[str, ...] | None:
    """ "Horvath & Symonds" -> ("Horvath", "Symonds"); None when the first word is not a name."""
    who = re.sub(r"\s+(?:et\s+al\.?|et\s+coll\.?|and\s+colleagues)$", "", who.strip())
    names = tuple(n.strip() for n in re.split(r"\s*,\s*|\s+(?:&|and|et)\s+", who) if n.strip())
    if not names or any(refparse.fold(n.split()[0]) in _NOT_NAME for n in names):
        # "Selon Bordin" -> "Bordin": drop one leading sentence word
        first = names[0].split() if names else []
        if len(first) == 2 and refparse.fold(first[0]) in _NOT_NAME and refparse.fold(first[1]) not in _NOT_NAME:
            return (first[1],) + names[1:]
        return None
    return names


def _sentence(text: str, start: int, end: int) -> str:
    """The whole sentence around text[start:end], whitespace collapsed."""
    s = 0
    for m in _SENT_END.finditer(text):
        if m.end() > start:
            break
        s = m.end()
    m = _SENT_END.search(text, end)
    e = m.start() + 1 if m else len(text)
    return re.sub(r"\s+", " ", text[s:e]).strip()


def _numbers(spec: str) -> list[int]:
    """ "7,22" -> [7, 22]; "9-11" -> [9, 10, 11] (ranges longer than 50 are not expanded)."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", spec):
        a, _, b = re.sub(r"\s*[–-]\s*", "-", part).partition("-")
        if b and int(a) <= int(b) <= int(a) + 50:
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(a))
    return out


def _key(surname: str) -> str:
    return re.sub(r"[^a-z]", "", refparse.fold(surname))


def _link_by_name(refs: tuple[Reference, ...], authors: tuple[str, ...], year: int | None) -> int | None:
    if not authors or year is None:
        return None
    want = _key(authors[0])
    for i, r in enumerate(refs):
        if r.year == year and r.authors and _key(r.authors[0].split(",")[0]) == want:
            return i
    return None


def references(doc: Document) -> tuple[Reference, ...]:
    """The parsed reference list, each entry knowing the page where it starts."""
    lines = [(p.page, ln) for p in doc.passages if p.kind == "references" for ln in p.text.split("\n")]
    lines = [(pg, ln.strip()) for pg, ln in lines if ln.strip()]
    if lines and sections.is_heading(lines[0][1]):
        lines = lines[1:]
    entries = refparse.split_entries([ln for _, ln in lines])
    squeezed = [re.sub(r"\s+", "", ln) for _, ln in lines]
    out, cursor = [], 0
    for entry in entries:
        head = re.sub(r"\s+", "", entry)[:10]
        j = cursor
        while j < len(squeezed) and not (squeezed[j][:10] == head or head.startswith(squeezed[j][:10])):
            j += 1
        page = lines[j][0] if j < len(lines) else (lines[cursor][0] if cursor < len(lines) else None)
        cursor = j + 1 if j < len(lines) else cursor
        out.append(replace(refparse.parse_reference(entry), page=page))
    return tuple(out)


def citations(doc: Document, refs: tuple[Reference, ...] = ()) -> tuple[Citation, ...]:
    """In-text citations of the body passages, linked to refs when the document has a list."""
    by_n = {r.n: i for i, r in enumerate(refs) if r.n is not None}
    max_n = max(by_n, default=0)
    bodies = [p for p in doc.passages if p.kind == "body"]
    numeric = _NUMERIC
    if max_n >= 3 and not any(_NUMERIC.search(p.text) for p in bodies):
        numeric = _PAREN_NUMERIC
    found: list[Citation] = []
    for p in doc.passages:
        if p.kind != "body":
            continue
        text = re.sub(r"\s+", " ", p.text)
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in taken)

        def add(a, b, marker, authors, year, ref_index):
            found.append(Citation(marker=marker, sentence=_sentence(text, a, b), page=p.page, passage=p.n,
                                  ref_index=ref_index, authors=authors, year=year))

        hits: list[tuple[int, int, str, tuple[str, ...], int | None, int | None]] = []
        for m in _PAREN.finditer(text):
            items = [_PAREN_ITEM.match(it.strip()) for it in m.group("body").split(";")]
            if not items or not all(items):
                continue
            taken.append(m.span())
            for it in items:
                who = _who(it.group("who"))
                if who is None:
                    continue
                for y in re.findall(r"\d{4}", it.group("years")):
                    hits.append((m.start(), m.end(), m.group(0), who, int(y), _link_by_name(refs, who, int(y))))
        for rx in (_NARRATIVE, _ETAL_YEAR):
            for m in rx.finditer(text):
                who = _who(m.group("who"))
                if who is None or not free(*m.span()):
                    continue
                taken.append(m.span())
                for y in re.findall(r"\d{4}", m.group("years")):
                    hits.append((m.start(), m.end(), m.group(0), who, int(y), _link_by_name(refs, who, int(y))))
        for m in numeric.finditer(text):
            # numbers beyond a printed list are not this document's citations ("[7, 22]" of 11 entries)
            nums = [n for n in _numbers(m.group("nums")) if n >= 1 and (not max_n or n <= max_n)]
            if not nums or not free(*m.span()) or _NOT_BEFORE_NUM.search(text[max(0, m.start() - 12):m.start()]):
                continue
            before = _WHO_BEFORE.search(text[max(0, m.start() - 80):m.start()])
            who = _who(before.group("who")) if before else None
            start = m.start() - (len(before.group(0)) if before and who else 0)
            marker = text[start:m.end()]
            for n in nums:
                hits.append((start, m.end(), marker, who or (), None, by_n.get(n)))
        for a, b, marker, who, year, idx in sorted(hits, key=lambda h: h[0]):
            add(a, b, marker, who, year, idx)
    return tuple(found)


def cite(doc: Document) -> CitationResult:
    """The document's references and in-text citations, linked."""
    refs = references(doc)
    return CitationResult(references=refs, citations=citations(doc, refs))
