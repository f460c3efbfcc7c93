"""Cleans a loader's text: Unicode, odd glyphs and spaces, page chrome, line-end hyphens, lost letters.

Line breaks are kept (the segmenter unwraps lines and splits paragraphs on blank lines; the reference
finder needs lines). Every repair is decided from the document's own vocabulary, so it works the same
in French and English and cannot invent words the author did not write. One exception: in a PDF whose
text has shown kerning cuts ("mo del" beside "model"), the cut words it never writes whole are checked in
a dictionary (kb.lexicon); a dictionary may only remove a space, never change a letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace

from kb.analysis import fold
from kb.lang import passage_lang
from kb.lexicon import is_word
from kb.models import Page, RawDocument

# The loader's line between a page's body and its footnotes (kb.load.pdf.FOOTNOTE_MARKER).
FOOTNOTE_MARKER = "[[footnotes]]"

# Targeted, not NFKC (which would also rewrite superscripts, "½", "™"...): ligatures, spaces, invisibles.
_TRANSLATE = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
    "\ufb06": "st", "\u00a0": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ",
    "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2007": " ", "\u2008": " ", "\u2009": " ",
    "\u200a": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ", "\t": " ", "\u00ad": "",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u2010": "-", "\u2011": "-",
    "\r": "\n", "\x0b": "\n", "\x0c": "\n",
})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r" {2,}")
_LETTERS = re.compile(r"[^\W\d_]+")
# Compounds spelt with a hyphen somewhere in the document: "méta-analyse", "self-report".
_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
# A line ending in a hyphenated word part: "... un ou plu-" (not a dash after a space: "word -").
_HYPHEN_END = re.compile(r"([^\W\d_]+)-$")
# The first word of a line and what is glued to it: "sieurs objectifs." -> "sieurs".
_FIRST_WORD = re.compile(r"^([^\W\d_]+)")
# Page furniture that is only a page number: "12", "- 12 -", "Page 3", "3 / 12", "xiv".
_PAGE_NUMBER = re.compile(r"^(?:page\s+|p\.\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?(?:\s*(?:/|sur|of)\s*\d{1,4})?$",
                          re.I)


# Any character _TRANSLATE maps: one scan tells whether the (slow, per-character) translate is needed.
_TRANSLATED = re.compile("[%s]" % re.escape("".join(map(chr, _TRANSLATE))))


# TeX's accents as pypdf gives them: a spacing accent before its letter inside a word ("Sch¨olkopf",
# "r´esum´e", "F´ısica" with a dotless i, "tr`es"), a cedilla after its c, s or t ("Pas¸ca", "franc¸ais"),
# or before a c.
_SPACING_ACCENT = {"´": "\u0301", "`": "\u0300", "ˆ": "\u0302", "˜": "\u0303", "¨": "\u0308",
                   "ˇ": "\u030c", "˘": "\u0306", "˚": "\u030a", "˝": "\u030b", "¸": "\u0327"}
_TEX_ACCENT = re.compile(r"(?<=[^\W\d_])([´`ˆ˜¨ˇ˘˚˝])([^\W\d_])"
                         r"|(?<=[^\W\d_])([cCsStT])¸|(?<=[^\W\d_])¸([cC])")
_ANY_ACCENT = re.compile("[´`ˆ˜¨ˇ˘˚˝¸]")


def _accented(m: re.Match) -> str:
    """The letter with its accent, when Unicode has it as one character; else the text as it was
    ("˜s" in a formula, "/˜cjlin" in an address stay)."""
    if m.group(3) or m.group(4):
        base, mark = m.group(3) or m.group(4), "¸"
    else:
        mark, base = m.group(1), m.group(2).replace("ı", "i")
    one = unicodedata.normalize("NFC", base + _SPACING_ACCENT[mark])
    return one if len(one) == 1 else m.group(0)


def _clean_text(text: str) -> list[str]:
    text = text.replace("\r\n", "\n")
    if _TRANSLATED.search(text):
        text = text.translate(_TRANSLATE)
    if _ANY_ACCENT.search(text):
        text = _TEX_ACCENT.sub(_accented, text)
    # Neither pattern spans a line break, so the whole page is cleaned at once, then each line stripped.
    text = _SPACES.sub(" ", _CONTROL.sub("", unicodedata.normalize("NFC", text)))
    return [ln.strip() for ln in text.split("\n")]


def _chrome_key(line: str) -> str:
    """Running headers/footers differ only by their page number: compare them digit-normalised."""
    return re.sub(r"\d+", "#", line.lower().replace(" ", ""))


def _drop_chrome(bodies: list[list[str]]) -> int:
    """Drop, in place, running headers/footers and bare page numbers among the first/last 3 lines of
    each page; a line is running when its digit-normalised form recurs on >= 50 % of pages."""
    def edges(lines: list[str]) -> list[int]:
        idx = [i for i, ln in enumerate(lines) if ln]
        return sorted(set(idx[:3] + idx[-3:]))

    counts: Counter[str] = Counter()
    for lines in bodies:
        counts.update({_chrome_key(lines[i]) for i in edges(lines)})
    need = max(2, (len(bodies) + 1) // 2)
    dropped = 0
    for lines in bodies:
        for i in edges(lines):
            if counts[_chrome_key(lines[i])] >= need or _PAGE_NUMBER.match(lines[i]):
                lines[i] = None  # type: ignore[call-overload]
                dropped += 1
        lines[:] = [ln for ln in lines if ln is not None]
    return dropped


def _vocabulary(pages: list[list[str]]) -> tuple[Counter[str], Counter[str], set[str]]:
    """Counts of lowercased words at line starts and elsewhere, and the hyphenated compounds."""
    initial: Counter[str] = Counter()
    inner_words: list[str] = []  # counted once at the end: a Counter.update per line cost more than the words
    compounds: set[str] = set()
    for lines in pages:
        for k, line in enumerate(lines):
            words = _LETTERS.findall(line.lower())
            if not words:
                continue
            # the endswith test first: the regex would try every position of every line
            cut_end = 1 if line.endswith("-") and _HYPHEN_END.search(line) else 0  # a word part, not a word
            prev_hyphen = k > 0 and bool(lines[k - 1]) and lines[k - 1].endswith("-")
            if line[0].isalpha() and not prev_hyphen:
                initial[words[0]] += 1
                words = words[1:]
            elif prev_hyphen:
                words = words[1:]
            inner_words += words[:len(words) - cut_end] if cut_end else words
            if "-" in line:
                compounds.update(c.lower() for c in _COMPOUND.findall(line))
    return initial, Counter(inner_words), compounds


def _repair_letters(pages: list[list[str]], initial: Counter[str], inner: Counter[str]) \
        -> tuple[int, set[str], list[str]]:
    """Restore the first letter of line-initial words when the document shows that extraction lost
    it (see README): returns (words repaired, folded stubs of unrepaired ones, the letters to try
    inside hyphenated words, empty when the document is not damaged)."""
    letters = sorted({w[0] for w in inner if w[0].isalpha()})

    def repairs(word: str) -> list[str]:
        # Words seen at line starts count as known too: "ctuellement" finds "actuellement" there.
        return [c + word for c in letters if inner[c + word] or initial[c + word]]

    def damaged(word: str) -> bool:
        return len(word) >= 3 and not inner[word] and len(repairs(word)) == 1

    starts = [w for w in initial.elements() if len(w) >= 3]
    if len(starts) < 20:
        return 0, set(), []
    hit = sum(1 for w in starts if damaged(w))
    rate = hit / len(starts)
    if hit < 3 or rate < 0.05:  # decided without the control (the costly part: most documents stop here)
        return 0, set(), []
    # Control: words inside lines seen once, that one more letter in front would make known words.
    sample = [w for w in list(inner.elements())[:20000] if len(w) >= 3]
    control = sum(1 for w in sample if inner[w] == 1 and len(repairs(w)) == 1)
    if rate < 5 * control / max(len(sample), 1):
        return 0, set(), []
    fixed, stubs = 0, set()
    for lines in pages:
        for k, line in enumerate(lines):
            m = _FIRST_WORD.match(line)
            if not m or (k > 0 and lines[k - 1].endswith("-")):
                continue
            word = m.group(1).lower()
            if inner[word] or len(word) < 2:
                continue
            found = repairs(word) if len(word) >= 3 else []
            if len(found) == 1:
                lines[k] = found[0][0] + line
                fixed += 1
            elif len(word) >= 4:
                stubs.add(fold(word))
    return fixed, stubs, letters


def _join_hyphens(lines: list[str], inner: Counter[str], compounds: set[str], lost: list[str]) -> int:
    """Rejoin "plu-" + "sieurs" as "plusieurs" on the first line; keep the hyphen for compounds the
    document spells elsewhere ("méta-analyse"), capitalised continuations ("Jean-" "Paul") and pairs
    of known words whose joined form is unknown ("self-" "esteem"). Returns how many were rejoined."""
    joined, emptied = 0, set()
    for k in range(len(lines) - 1):
        m = _HYPHEN_END.search(lines[k]) if lines[k].endswith("-") else None
        nxt = _FIRST_WORD.match(lines[k + 1]) if lines[k + 1] else None
        if not m or not nxt:
            continue
        head, tail = m.group(1), nxt.group(1)
        keep = (tail[0].isupper() or f"{head}-{tail}".lower() in compounds
                or (not inner[(head + tail).lower()] and len(head) >= 3 and len(tail) >= 3
                    and inner[head.lower()] and inner[tail.lower()]))
        token, _, rest = lines[k + 1].partition(" ")
        if lost and not keep and not inner[(head + tail).lower()]:
            # Damaged text lost the continuation's first letter too: "rela-" "ion" -> "relation".
            fits = [c for c in lost if inner[(head + c + tail).lower()]]
            if len(fits) == 1:
                token = fits[0] + token
        lines[k] = lines[k] + token if keep else lines[k][:-1] + token
        lines[k + 1] = rest
        joined += not keep
        if not rest:
            emptied.add(k + 1)
    # A line whose only word moved up disappears; a real blank line (a paragraph break) stays.
    lines[:] = [ln for k, ln in enumerate(lines) if ln or k not in emptied]
    return joined


_OPENERS = "([{«“\"'‘"
_CLOSERS = ".,;:!?)]}»”\"'’"


def _join_split_words(lines: list[str], known: Counter[str], whole) -> int:
    """Rejoin words a PDF's kerning cut in two ("mo del", "p erform") where neither piece is a word the
    document uses again and whole(head, tail) (both lowercased) says the joined word is one; returns how
    many were rejoined."""
    joined = 0
    get = known.get
    for k, line in enumerate(lines):
        toks = line.split(" ")
        if len(toks) < 2:
            continue
        # a cut leaves two words the document writes once (a piece may carry punctuation, and then is
        # not a counted word): most lines have not two such, found by lookups in C
        counts = list(map(get, line.lower().split(" ")))
        once = counts.count(1)
        if once == 0 or (once == 1 and None not in counts):
            continue
        out = [toks[0]]
        for tok in toks[1:]:
            head, tail = out[-1].lstrip(_OPENERS), tok.rstrip(_CLOSERS)
            if head.isalpha() and tail.isalpha() and known[head.lower()] <= 1 and known[tail.lower()] <= 1 \
                    and whole(head.lower(), tail.lower()):
                out[-1] += tok
                joined += 1
            else:
                out.append(tok)
        if len(out) < len(toks):
            lines[k] = " ".join(out)
    return joined


def _join_by_dictionary(lines: list[str], known: Counter[str], lang: str) -> None:
    """Rejoin cut words by the language's dictionary: a run of pieces ("pro duced", "b est", "Ta b l e")
    whose middle pieces are lone letters, joined into a dictionary word of three letters or more (not "a b"
    -> "ab"), where some piece is no word (never "in to": two words already) and no piece is a word the
    document uses again. The pieces after the first are in lower case (not "New York")."""
    for k, line in enumerate(lines):
        toks = line.split(" ")
        out: list[str] = []
        i = 0
        while i < len(toks):
            head = toks[i].lstrip(_OPENERS)
            for j in range(min(i + 5, len(toks) - 1), i, -1) if head.isalpha() else ():
                rest = toks[i + 1:j] + [toks[j].rstrip(_CLOSERS)]
                if not all(len(r) == 1 for r in rest[:-1]) or not all(r.isalpha() and r.islower() for r in rest):
                    continue
                pieces = [head.lower()] + rest
                words = [is_word(w, lang) for w in pieces]
                if not all(words) and len(joined := "".join(pieces)) >= 3 and is_word(joined, lang) \
                        and all(known[w] <= 1 for w, word in zip(pieces, words) if word):
                    out.append(toks[i] + "".join(toks[i + 1:j + 1]))
                    i = j + 1
                    break
            else:
                out.append(toks[i])
                i += 1
        if len(out) < len(toks):
            lines[k] = " ".join(out)


_PROSE_WORD = re.compile(r"(?<![\w/.@:-])[^\W\d_]+(?![\w/@-]|\.\w)")


def _prose_words(pages: list[list[str]]):
    """A function giving, once computed, the lowercased words the pages write as words: not parts of a
    DOI, URL, e-mail or file name ("10.5555/kbdemo.2019" writes no word "kbdemo")."""
    found: list[set[str]] = []

    def words() -> set[str]:
        if not found:
            found.append({w.lower() for lines in pages for ln in lines for w in _PROSE_WORD.findall(ln)})
        return found[0]
    return words


def _join_unattested(bodies: list[list[str]], notes: list[list[str]], known: Counter[str]) -> None:
    """In a PDF whose text has shown kerning cuts, rejoin the cut words it never writes whole, by the
    dictionary of each page's language (the document's where a page is too short to tell)."""
    langs = [passage_lang(" ".join(body)) for body in bodies]
    fr, en = langs.count("fr"), langs.count("en")
    default = "fr" if fr > en else "en" if en > fr else None
    for body, foot, lang in zip(bodies, notes, langs):
        lang = lang or default
        if lang:
            for lines in (body, foot):
                _join_by_dictionary(lines, known, lang)


def clean(raw: RawDocument) -> RawDocument:
    """The same document with cleaned pages, plus warnings about what was repaired and the stubs."""
    bodies: list[list[str]] = []
    notes: list[list[str]] = []
    for page in raw.pages:
        lines = _clean_text(page.text)
        if FOOTNOTE_MARKER in lines:
            i = lines.index(FOOTNOTE_MARKER)
            bodies.append(lines[:i])
            notes.append(lines[i + 1:])
        else:
            bodies.append(lines)
            notes.append([])
    warnings = list(raw.warnings)
    paged = len(bodies) >= 2 and all(p.number is not None for p in raw.pages)
    if paged:
        dropped = _drop_chrome(bodies)
        if dropped:
            warnings.append(f"dropped {dropped} running header/footer and page-number lines")
    initial, inner, compounds = _vocabulary(bodies)
    fixed, stubs, lost = _repair_letters(bodies, initial, inner)
    if fixed or stubs:
        warnings.append(f"text lost first letters at line starts: restored {fixed} words, "
                        f"{len(stubs)} left as stubs")
    known = inner.copy()  # inner + initial, without Counter.__add__'s pass over every word
    known.update(initial)
    prose = _prose_words(bodies + notes)
    cut = 0

    def written_whole(head: str, tail: str) -> bool:  # the document writes the joined word in its prose
        return known[head + tail] > 0 and head + tail in prose()
    for lines in bodies + notes:
        _join_hyphens(lines, known, compounds, lost)
        if raw.format == "pdf":
            cut += _join_split_words(lines, known, written_whole)
    if cut:
        _join_unattested(bodies, notes, known)
    pages = []
    for page, body, foot in zip(raw.pages, bodies, notes):
        text = "\n".join(body + ([FOOTNOTE_MARKER] + foot if foot else []))
        pages.append(Page(page.number, re.sub(r"\n{3,}", "\n\n", text).strip("\n")))
    return replace(raw, pages=tuple(pages), warnings=tuple(warnings),
                   stubs=tuple(sorted(set(raw.stubs) | stubs)))
