"""The cite stage: a document's reference list and its in-text citations, each linked to its entry.

References come from the passages of kind "references" (lines kept, the heading skipped), split and
parsed by kb.refparse. Citations come from body passages: numeric markers ("[7,22]", "[9-11]"),
parenthetical author-year groups ("(Horvath & Symonds, 1991; Martin et al., 2000)"), narrative ones
("Flückiger et al. (2018)", "Taccolini Manzoni et al., 2018") and names before a number
("Lakke et Meerman [30]"), and numbers a PDF printed raised ("outcome ¹,²") when they follow the numbered
list in Vancouver order and are no affiliations or note calls. Precision first: a year, a page or a bracket
without a name-and-year or a number shape ("(1979)", "(p. 12)", "[sic]", "(n = 30)", "en 2018") is never a
citation.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from kb import intext, refparse, sections
from kb.models import Citation, CitationResult, Document, Reference
from kb.refparse.split import KEY, SAME_AUTHOR
from kb.workmatch import surname_key

# Sentence ends: ". " before a capital, not after initials, "al.", "p.", "cf.", "coll."
_UPC = r"A-ZÀ-ÖØ-ÞŁŒ"
# (The guards look behind the mark once it is found: tried first, they ran at every character.)
# A raised number after the full stop belongs to the sentence it closes: "... the bond. ⁶ Another"
_SENT_END = re.compile(rf"[.!?…](?<!\bal.)(?<!\bcoll.)(?<!\bp.)(?<!\bpp.)(?<!\bcf.)(?<!\b[{_UPC}].)"
                       rf"(?:[^\S\n]?[{intext.SUP_DIGITS}][{intext.SUP_DIGITS},;–-]*"
                       rf"|(?:\[\d{{1,3}}(?:[,;–-]\s*\d{{1,3}})*\])+)?\s+(?=[{_UPC}«\"“(\[])")
# An entry whose year follows its authors: "3. Flückiger, C., Del Re, A. C. (2018). The alliance..."
# Runs of spaces other than line breaks, as one space; a lone plain space is left alone (most of them).
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S \n]")
# What follows the number of a list entry, not of a citation: "[1] S. Kichenassamy, Nonlinearity 10, 133 (1997)"
# / "[4] E. Parkes and B. Duffy, Computer Phys." / "[2] Tian B, Zhao K." / "[3] Bordin, E. S. (1979)" (a year
# comes soon after)
_ENTRY_AFTER = re.compile(rf"[^\S\n]*(?:(?:[{_UPC}]\.[^\S\n]?-?){{1,3}}[^\S\n]?[{_UPC}][\w'’-]+"
                          rf"|[{_UPC}][\w'’-]+,?[^\S\n](?:[{_UPC}]\.?[^\S\n]?-?){{1,3}})"
                          rf"(?:,|[^\S\n]+(?:and|et)[^\S\n]|[^\S\n]*&|[^\S\n]*(?=\())"
                          rf"[\s\S]{{0,150}}?(?<![\d/.])(?:1[6-9]|20)\d\d(?!\d)")
_APA_HEAD = re.compile(r"^\s*(?:\[?\d{1,4}[.\]]\s+)?[^()]{2,300}?\((?:1[6-9]|20)\d\d[a-z]?\)")


def _sentence(text: str, start: int, end: int, cuts: list[tuple[int, int]] | None = None) -> str:
    """The whole sentence around text[start:end], whitespace collapsed; a line break ends a sentence.

    cuts: the spans of _SENT_END over the whole text, when the caller has them (several citations in one
    passage). A match is a mark then spaces, so matches found from any position are these spans."""
    if cuts is None:
        cuts = [m.span() for m in _SENT_END.finditer(text)]
    s = text.rfind("\n", 0, start) + 1
    for a, b in cuts:
        if b > start:
            break
        if a >= s:
            s = b
    # a cut may hold the mark: a raised number after the full stop ends the sentence it closes, with the
    # marks beside it ("outcome.[2][3]" for either)
    e = next((a + 1 if a >= end else a + len(text[a:b].rstrip()) for a, b in cuts if b > end), len(text))
    nl = text.find("\n", end)
    e = min(e, nl) if nl != -1 else e
    return " ".join(text[s:e].split())


_key = surname_key  # the registry's key: "Flueckiger" in the text is the list's "Flückiger"


def _same_person(name: str, ref: Reference) -> bool:
    """Whether a printed name ("Horvath", "Carl Rogers") is one of the entry's authors."""
    keys = {_key(a.split(",")[0]) for a in ref.authors}
    return _key(name) in keys or _key(name.split()[-1]) in keys


def _first_key(ref: Reference) -> str | None:
    return _key(ref.authors[0].split(",")[0]) if ref.authors else None


def _link_by_name(refs: tuple[Reference, ...], authors: tuple[str, ...], year: int | None,
                  suffix: str = "") -> tuple[int | None, tuple[str, ...]]:
    """The entry of this first author and year, and the authors as the entry confirms them: "Carl Rogers"
    links to "Rogers, C." and becomes "Rogers". Of several such entries, the year's letter chooses."""
    if not authors or year is None:
        return None, authors
    first = authors[0].split()
    for want, names in ((_key(authors[0]), authors), (_key(first[-1]), (first[-1],) + authors[1:])):
        same = [i for i, r in enumerate(refs) if r.year == year and _first_key(r) == want]
        if len(same) > 1 and len(names) > 1 and not suffix:
            # "(Smith & Brown, 2010)" among Smith & Jones 2010 and Smith & Brown 2010 (a year's letter
            # says more: a name split in the PDF, "Neuma nn", loses a second author, never a letter)
            same = [i for i in same if _same_person(names[1], refs[i])] or same
        if same:
            return _by_letter(refs, same, year, suffix), names
        if len(first) == 1:
            break
    for i, r in enumerate(refs):
        # "van der Kolk et al. (1996)": the sentence's lowercase particles are not part of the marker
        sur = r.authors[0].split(",")[0] if r.year == year and r.authors else ""
        if " " in sur and _key(sur.split()[-1]) == _key(first[-1]):
            return i, (sur,) + authors[1:]
    # "Levy et al. (2003)" for "Levy, M. M., ... 2001 SCCM/ESICM/ACCP/ATS/SIS International Sepsis Definitions
    # Conference. Intensive Care Med, 29:530-538, 2003.": the parser took the title's year; the entry's own
    # is printed too. Only the one entry of that author printing that year (or the edition's year after the
    # original's: "Bowlby (1982)" for "Bowlby, J. (1969/1982)").
    printed = re.compile(rf"(?:(?<=\d{{4}}/)|(?<![\d/.])){year}(?!\d)")
    same = [i for i, r in enumerate(refs) if _first_key(r) == _key(first[-1]) and printed.search(r.raw)]
    if len(same) == 1:
        return same[0], ((first[-1],) + authors[1:] if len(first) > 1 else authors)
    return None, authors


def _link_undated(refs: tuple[Reference, ...], authors: tuple[str, ...], suffix: str) -> int | None:
    """The entry of this first author printed without a year ("(in press)", "(s.d.)"); of several, the one
    with the citation's letter ("in press-b")."""
    if not authors:
        return None
    want = {_key(authors[0]), _key(authors[0].split()[-1])}
    same = [i for i, r in enumerate(refs) if r.year is None and _first_key(r) in want]
    if suffix:
        lettered = [i for i in same if any(m.group(0).endswith(f"-{suffix}")
                                           for m in intext.NODATE.finditer(refs[i].raw))]
        same = lettered or same
    return same[0] if len(same) == 1 else None


def _link_again(refs: tuple[Reference, ...], authors: tuple[str, ...], before: list[Citation]) -> int | None:
    """The entry "op. cit." means: the work of this first author the text cited last, else their only entry."""
    if not authors:
        return None
    want = {_key(authors[0]), _key(authors[0].split()[-1])}
    for c in reversed(before):
        if c.ref_index is not None and _first_key(refs[c.ref_index]) in want:
            return c.ref_index
    same = [i for i, r in enumerate(refs) if _first_key(r) in want]
    return same[0] if len(same) == 1 else None


def _by_letter(refs: tuple[Reference, ...], same: list[int], year: int, suffix: str) -> int:
    """Which of one author's entries of one year "2016b" means: the entry printing "2016b"; in a list that
    prints no letters, the second of them in list order (the order the letters were given in)."""
    if len(same) == 1 or not suffix:
        return same[0]
    printed = [i for i in same if re.search(rf"(?<!\d){year}{suffix}(?![a-z])", refs[i].raw)]
    if printed:
        return printed[0]
    if not any(re.search(rf"(?<!\d){year}[a-z](?![a-z])", refs[i].raw) for i in same):
        k = ord(suffix) - ord("a")
        if k < len(same):
            return same[k]
    return same[0]


# A list bullet as loaders write it: "- Bordin, E. S. (1979)..." (HTML <ul>, Markdown "*", "•")
_BULLET = re.compile(r"^[-•*▪◦‣]\s+")
# A year as an entry prints it: "(2018).", ", 2018,", "2018;55:316" (not inside a DOI "10.1037/2018.1")
_ENTRY_YEAR = re.compile(r"(?<![\d/.])(?:1[6-9]\d\d|20[0-4]\d)[a-z]?(?![\d/])")
# A block that is only a sub-heading inside a list ("Ouvrages", "Articles", "Web sources")
_SUBHEAD = re.compile(r"^[^\d.;:()\[\]]{2,40}$")


def _blocks(doc: Document) -> list[list[tuple[int | None, str]]]:
    """The reference section's (page, line) runs between blank lines; page changes do not cut a run."""
    blocks: list[list[tuple[int | None, str]]] = [[]]
    for p in doc.passages:
        if p.kind != "references":
            continue
        for ln in p.text.split("\n"):
            if ln.strip():
                blocks[-1].append((p.page, ln.strip()))
            elif blocks[-1]:
                blocks.append([])
    blocks = [b for b in blocks if b]
    if blocks and sections.is_heading(blocks[0][0][1]):
        blocks[0] = blocks[0][1:]
    return [b for b in blocks if b]


def _entries(blocks: list[list[tuple[int | None, str]]], web: bool) -> list[str]:
    """Entries of the section: a blank line or a bullet always starts one; inside, refparse decides,
    except that a web page's lines (<br>-separated, never wrapped) that each name a year are one entry each."""
    separated = len(blocks) >= 2
    out: list[str] = []
    for block in blocks:
        lines = [ln for _, ln in block]
        if separated and len(lines) == 1 and _SUBHEAD.match(lines[0]) and len(lines[0].split()) <= 5:
            continue
        runs: list[list[str]] = []
        for ln in lines:
            if _BULLET.match(ln) or not runs:
                runs.append([])
            runs[-1].append(_BULLET.sub("", ln))
        for run in runs:
            if web and len(run) > 1 and all(_ENTRY_YEAR.search(ln) for ln in run):
                out += run
            else:
                out += refparse.split_entries(run)
    return out


def references(doc: Document) -> tuple[Reference, ...]:
    """The parsed reference list, each entry knowing the page where it starts."""
    blocks = _blocks(doc)
    entries = _entries(blocks, web=doc.format == "html")
    lines = [(pg, _BULLET.sub("", ln)) for b in blocks for pg, ln in b]
    squeezed = ["".join(ln.split()) for _, ln in lines]
    out, cursor = [], 0
    for entry in entries:
        head = "".join(entry.split())[:10]
        j = cursor
        while j < len(squeezed) and not (squeezed[j][:10] == head or head.startswith(squeezed[j][:10])):
            j += 1
        page = lines[j][0] if j < len(lines) else (lines[cursor][0] if cursor < len(lines) else None)
        cursor = j + 1 if j < len(lines) else cursor
        ref = refparse.parse_reference(entry)
        # Where blank lines separate entries (web pages, text), a paragraph with no year, DOI or URL after
        # the list is the author's note or a caption, not a work: "Nadia Harper is a psychologist..."
        if len(blocks) >= 2 and not (ref.year or ref.doi or ref.url):
            continue
        if not ref.authors and out and SAME_AUTHOR.match(entry):
            ref = replace(ref, authors=out[-1].authors)  # "———. Stephen Hero.": by the authors above
        out.append(replace(ref, page=page))
    return tuple(out)


# Where a first page's front matter ends: the raised numbers of its title and author lines are affiliations
_FRONT_END = re.compile(r"\b(?:Abstract|ABSTRACT|Résumé|RÉSUMÉ|Summary|SUMMARY|Introduction|INTRODUCTION"
                        r"|Background|BACKGROUND|Contexte|CONTEXTE|Keywords|KEYWORDS|Key words|Mots[-\s]cl[ée]s"
                        r"|MOTS[-\s]CL[ÉE]S)\b")
# A raised number between full names is an affiliation: "Jane Doe ¹,², John Roe ³" / "Ann Lee ¹ and Bo Li ²"
# (a full name, given names first: "Jane Doe", "J.-P. Martin", "Jan van der Berg"; prose prints surnames alone)
_NAME_RUN = (rf"[{_UPC}][\w.'’-]*(?:[^\S\n]+(?:(?:van|von|de|der|den|da|di|du|le|la)[^\S\n]+)*"
             rf"[{_UPC}][\w.'’-]*){{1,3}}")
_NEXT_AUTHOR = re.compile(rf"[^\S\n]*(?:[,;&]|and|et)[^\S\n]*(?:and[^\S\n]+|et[^\S\n]+)?{_NAME_RUN}[^\S\n]"
                          rf"[{intext.SUP_DIGITS}]")
_PREVIOUS_AUTHOR = re.compile(rf"[{intext.SUP_DIGITS}][{intext.SUP_DIGITS},*]*[^\S\n]*(?:[,;&]|and|et)?[^\S\n]*"
                              rf"{_NAME_RUN}[^\S\n]$")


def _front(bodies: list, texts: list[str]) -> dict[int, int]:
    """Where the front matter of the first page ends, per passage (an offset into its text as citations() reads
    it): up to its abstract or introduction; nothing when the page has neither."""
    out: dict[int, int] = {}
    for p, text in zip(bodies, texts):
        if p.page != bodies[0].page:
            return {}
        m = _FRONT_END.search(text)
        out[p.n] = m.start() if m else len(text)
        if m:
            return out
    return {}


def _affiliation(text: str, mk: intext.Mark) -> bool:
    """Whether a raised number sits in a list of names, each with its raised numbers."""
    s = text.rfind(" ", 0, mk.end) + 1
    return bool(_NEXT_AUTHOR.match(text, mk.end) or _PREVIOUS_AUTHOR.search(text, max(0, s - 80), s))


_NUMBER_MARKS = re.compile(rf"\[[\d\s,;–-]+\]|[{intext.SUP_DIGITS}][{intext.SUP_DIGITS},;–-]*|[*†‡§]")
_LINKING = {"and", "et", "&", "van", "von", "de", "der", "den", "da", "di", "du", "le", "la"}


def _names_only(sentence: str) -> bool:
    """Whether a "sentence" is only names and numbers ("J Smith [1], K Lee [2]": no word of prose). Authors
    with their affiliations when they open the document or have a number each; a table's row ("Hall AM [5]")
    cites its study."""
    words = re.findall(r"[^\W\d_][\w.'’-]*|&", _NUMBER_MARKS.sub(" ", sentence))
    return 2 <= len(words) <= 40 and all(w[0].isupper() or w in _LINKING for w in words)


def _raised_calls(doc: Document, bodies: list, texts: list[str], front: dict[int, int], max_n: int,
                  pattern: re.Pattern = intext.SUPERSCRIPT) -> bool:
    """Whether the raised numbers of the body ("outcome ¹,²") call the numbered list, as in Vancouver style: the
    document has no numbered footnotes (whose calls they would be), and the numbers first appear in rising
    order (entries are numbered as first cited), from 1 or 2, nearly all within the list."""
    if any(p.kind == "footnote" and re.match(r"\W*\d", p.text) for p in doc.passages):
        return False
    seq = [n for p, text in zip(bodies, texts) for m in pattern.finditer(text, front.get(p.n, 0))
           for n in intext.numbers(m.group("nums"))]
    firsts = list(dict.fromkeys(seq))
    if len(firsts) < 3 or sum(n <= max_n for n in seq) < 0.9 * len(seq):
        return False
    rising = sum(b > a for a, b in pairwise(firsts))
    # or a list whose numbers are not in the order of first citation, but nearly every entry is called
    in_order = firsts[0] <= 2 and rising >= 0.8 * (len(firsts) - 1)
    return in_order or len(set(firsts) & set(range(1, max_n + 1))) >= 0.8 * max_n


# A bracket of alphabetic keys, as a list keyed "[Ahl78] Lars V. Ahlfors..." is cited: "[Ahl78]", "[AH, Smi+98]",
# "[Ahl78, Thm. 3]" (a locator after the keys)
_KEYS = re.compile(r"\[((?:[A-Z][A-Za-z+\-]{0,9}\d{0,4}[a-z]?)(?:\s*[,;]\s*[A-Z][A-Za-z+\-]{0,9}\d{0,4}[a-z]?)*)"
                   r"(?:\s*,\s*[^\[\]]{1,30})?\]")


def _keyed(text: str, by_key: dict[str, int]):
    """(start, end, marker, entry index) of each alphabetic key cited in text; a bracket counts only when its
    first key is one of the list's."""
    for m in _KEYS.finditer(text):
        keys = re.split(r"\s*[,;]\s*", m.group(1))
        if keys[0] not in by_key:
            continue
        for k in keys:
            if k in by_key:
                yield m.start(), m.end(), m.group(0), by_key[k]


_NOTE_START = re.compile(r"\s*\d{1,3}\.\s")
# Entries with authors from which a list is taken to be complete: a narrative "Name (year)" it does not name
# is a capitalised word before a date, not a citation
_LIST_TRUSTED = 5


def citations(doc: Document, refs: tuple[Reference, ...] = ()) -> tuple[Citation, ...]:
    """In-text citations of the body passages, linked to refs when the document has a list."""
    by_n = {r.n: i for i, r in enumerate(refs) if r.n is not None}
    max_n = max(by_n, default=0)
    bodies = [p for p in doc.passages if p.kind == "body"]
    texts = [_SPACES.sub(" ", p.text) for p in bodies]
    numeric = intext.NUMERIC
    # "(7)" stands for entry 7 only in a numbered style: an APA list an <ol> happens to number is not one
    apa = sum(bool(_APA_HEAD.match(r.raw)) for r in refs) * 2 > len(refs)
    front: dict[int, int] = {}
    if max_n >= 3 and not apa and not any(intext.NUMERIC.search(p.text) for p in bodies):
        front = _front(bodies, texts)
        numeric = next((rx for rx in (intext.SUPERSCRIPT, intext.GLUED)
                        if _raised_calls(doc, bodies, texts, front, max_n, rx)), intext.PAREN_NUMERIC)
    common = intext.common_words(p.text for p in bodies)
    orgs = intext.organisation_names([r.authors[0] for r in refs if r.authors])  # "(HAS, 2019)"
    listed = [i for i, r in enumerate(refs) if r.authors]
    # "[Ahl78] Lars V. Ahlfors, ...": a list keyed by letters is cited by its keys
    by_key = {m.group(1): i for i, r in enumerate(refs) if (m := KEY.match(r.raw))}
    found: list[Citation] = []
    bare_numbers: set[int] = set()  # id() of the numeric citations without names
    byline: dict[int, int] | None = None  # the front matter, once a number is found
    in_notes = False
    for p, text in zip(bodies, texts):
        # a notes section, whose notes may cite by name and year without brackets ("1. Freud, 1910, p. 144."),
        # opens with its heading; its notes may run on into the next passages
        in_notes = sections.is_notes_heading(text.split("\n", 1)[0]) or (in_notes and _NOTE_START.match(text))
        cuts: list[tuple[int, int]] | None = None  # the passage's sentence ends, found with its first citation

        def sentence(start: int, end: int, text: str = text) -> str:
            nonlocal cuts
            if cuts is None:
                cuts = [m.span() for m in _SENT_END.finditer(text)]
            return _sentence(text, start, end, cuts)

        here: list[tuple[int, Citation]] = []
        if len(by_key) >= 2:
            for start, end, marker, idx in _keyed(text, by_key):
                here.append((start, Citation(marker=marker, sentence=sentence(start, end), page=p.page,
                                             passage=p.n, ref_index=idx)))
        for mk in intext.marks(text, common, numeric, max_n, orgs, notes=bool(in_notes)):
            marker = mk.marker
            if mk.number is not None:
                if numeric in (intext.SUPERSCRIPT, intext.GLUED) and (mk.start < front.get(p.n, 0)
                                                                       or _affiliation(text, mk)):
                    continue
                if not mk.authors and _ENTRY_AFTER.match(text, mk.end):
                    continue  # a list entry in a page kb found no reference section in, not a citation
                if byline is None:
                    byline = front or _front(bodies, texts)
                said = sentence(mk.start, mk.end)
                if _names_only(said) and (mk.start < byline.get(p.n, 0) or len(_NUMBER_MARKS.findall(said)) >= 2):
                    continue  # "J Smith [1], K Lee [2]": a web page's authors and their affiliations
                idx, authors = by_n.get(mk.number), mk.authors
                if authors and idx is not None and refs[idx].authors and not _same_person(authors[0], refs[idx]):
                    # "Dynamo (7)", "Rating Scale [6]": the entry says who, and it is not them
                    authors, marker = (), (re.search(r"[\[(][^\[(]*$", marker) or re.search(r"\S+$", marker)).group(0)
            elif mk.again:  # "(Winnicott, op. cit., p. 15)": the author's work cited last before it
                before = found + [c for _, c in sorted(here, key=lambda sc: sc[0])]
                idx, authors = _link_again(refs, mk.authors, before), mk.authors
            elif mk.year is None:  # "(Brennan, in press)", "(HAS, s.d.)": the undated entry of that author
                idx, authors = _link_undated(refs, mk.authors, mk.suffix), mk.authors
            else:
                idx, authors = _link_by_name(refs, mk.authors, mk.year, mk.suffix)
                if idx is None and mk.original:  # "(Freud, 1900/1967)" and a list that dates it 1900
                    idx, authors = _link_by_name(refs, mk.authors, mk.original, mk.suffix)
                if idx is None and intext.bracketed_place(mk):
                    continue  # "(Paris, 2018)": no entry by a Paris of 2018, so a place and a date
                if idx is None and not mk.marker.startswith("(") and len(listed) >= _LIST_TRUSTED \
                        and not any(_same_person(a, refs[i]) for a in mk.authors for i in listed):
                    continue  # "Le groupe Contrôle (2018)": a list this long names everyone the text cites
            c = Citation(marker=marker, sentence=sentence(mk.start, mk.end), page=p.page, passage=p.n,
                         ref_index=idx, authors=authors, year=mk.year, suffix=mk.suffix if authors else "")
            if mk.number is not None and not authors:
                bare_numbers.add(id(c))
            here.append((mk.start, c))
        found += [c for _, c in sorted(here, key=lambda sc: sc[0])]
    by_name = {c.ref_index for c in found if c.year is not None and c.ref_index is not None}
    if apa and bare_numbers and len(by_name) >= 2:
        # an author-year list the text cites by names and years: its bare numbers ("soignant¹", "[2]") call
        # the document's notes, and an <ol> numbering the list would link them to the wrong studies
        found = [c for c in found if id(c) not in bare_numbers]
    return tuple(found)


def cite(doc: Document) -> CitationResult:
    """The document's references and in-text citations, linked."""
    refs = references(doc)
    return CitationResult(references=refs, citations=citations(doc, refs))
