"""Reference entries: splitting a reference section into entries and parsing one entry into fields.

Rule-based, in the order a reader uses: strip the printed number, take out the anchors that are
unambiguous anywhere (DOI, URL), scan the author list from the start, find the year (right after the
authors in author-year styles, else the likeliest year token), then cut title and container at the
sentence boundaries that follow. French and English conventions ("et coll.", "In :", "n°", "p.").
"""

from __future__ import annotations

import re
import unicodedata

from kb.models import Reference

# --- names ---------------------------------------------------------------------------------------
_L = r"[^\W\d_]"  # any letter
_UP = r"[A-ZÀ-ÖØ-ÞŁŒŠŽ]"
# A capitalised name word: "Flückiger", "O'Brien", "Pérez-Higueras", "McCloskey", "BORDIN".
_W = rf"{_UP}(?:{_L}|[’'`¨´˜ˆ¸˛ˇ˚-](?={_L})|[¸˛](?=\s))+"
# Surname particles: "van der Berg", "de Roten", "D'Alessandro" (that one is a plain word).
_PART = r"(?:(?:van|von|der|den|de|del|della|di|da|du|des|dos|das|le|la|ter|ten|mac|st\.?)\s+){0,3}"
# Dotted initials: "E.", "E. S.", "J.-P.", "A.J.", "Ch.", "Th."
_IDOT = rf"(?:(?:{_UP}[a-z]?\.\s?-?\s?)+)"
# Undotted initials after a surname (Vancouver / French journals): "JJ", "P", "J-P"
_IBARE = rf"(?:{_UP}{{1,3}}(?:-{_UP})?)"
_SURNAME = rf"{_PART}{_W}(?:\s+{_W}){{0,2}}"

# What may follow a full name in a list: a separator, "(2018)", ". Title" or the end.
_FOLLOW = r"(?=\s*(?:[,;&(:]|\b(?:and|et)\s+[A-Z]|\.(?:\s|$)|$))"
_NAME_FORMS = [
    # "Bordin, E. S." / "van der Berg, J.-P." / "Flückiger, C"
    ("sf", re.compile(rf"(?P<s>{_PART}{_W}(?:\s+{_W})?(?:-{_W})?),\s*(?P<i>{_IDOT}|{_IBARE}\b)(?!\w)")),
    # "Collin F. Baker" / "Marco Baroni" / "Ling Tony Chen" / "Ana-Maria Popescu" (not "Doe JJ")
    ("fs", re.compile(rf"(?P<f>{_W}(?:\s+{_IDOT}|\s+{_W}(?=\s+{_UP}))?)\s+(?![A-Z]{{1,3}}\b)"
                      rf"(?P<s>{_PART}{_W}(?:-{_W})?){_FOLLOW}")),
    # "Heidegger M." / "Pérez-Higueras JJ" / "BORDIN E.S."
    ("si", re.compile(rf"(?P<s>{_PART}{_W}(?:\s+{_W})?)\s+(?P<i>{_IDOT}|{_IBARE}\b)(?!\w)")),
    # "J. Smith" / "S. E. Han" / "W.-M. Yao" / "J. van der Berg"
    ("is", re.compile(rf"(?P<i>{_IDOT})\s*(?P<s>{_PART}{_W}(?:-{_W})?)")),
    # "Gardenfors, Peter" / "Adams, Nicholson B." (never inside a first-name-first list)
    ("sfull", re.compile(rf"(?P<s>{_PART}{_W}(?:\s+{_W})?),\s+(?P<f>{_W}(?:\s+{_IDOT})?){_FOLLOW}")),
]
# ", editor." / " (Eds.)" / " (dir.)": an edited volume's names end the list.
_EDITOR = re.compile(r"\s*,?\s*\(?(?:eds?|editors?|éds?|dir|coord|hrsg)\.?\)?(?=[\s.,:]|$)", re.I)
_SEP = re.compile(r"\s*(?:,\s*(?:and|&|et|und|y)\s+|;\s*(?:and|&|et)?\s*|,\s*|\s+(?:and|&|et|und|y)\s+|\s*&\s*)")
_ETAL = re.compile(r"\s*,?\s*(?:et\s*al\.?|et\s+coll\.?|and\s+others|et\s+alii|\.\.\.|…)", re.I)
_NOT_NAMES = {"in", "the", "on", "of", "pp", "vol", "and", "et", "journal", "revue", "proceedings", "proc", "university", "press", "phys", "rev"}

# --- anchors -------------------------------------------------------------------------------------
_NUMBER = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)](?=\s)|(\d{1,4})\s+(?=\D))\s*")
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi\s*:?\s*)?(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.I)
_YEAR = re.compile(r"(?<![\d/.-])(1[6-9]\d\d|20[0-4]\d)(?:[a-z](?![a-z]))?(?![\d])")
_PRESS = re.compile(r"\b(?:in press|sous presse|forthcoming|under review|submitted|n\.\s?d\.|s\.\s?d\.)", re.I)
_DATE_AFTER_NAMES = re.compile(
    rf"[\s.,:]*\(?\s*(?:(?:[A-Z][a-z]+\.?\s+)?(?:\d{{1,2}}\s+)?)?({_YEAR.pattern}|{_PRESS.pattern})"
    r"(?:[,\s]+[A-Za-zéû]+\.?(?:\s+\d{1,2})?)?\s*\)?\s*[.,:;]?\s*")

# "Journal 2018;12(3):45-67" / ", 12(3), 45-67" / "vol. 9, n° 3, p. 12-15" / "pp. 1761–1800"
_VOLUME = re.compile(r"(?:\bvol(?:ume)?\.?\s*|\bt\.\s*|\bbd\.?\s*)(\d+[A-Z]?)|(?<![\w.])(\d{1,4})\s*(?=\(\s*[\w/–-]+\s*\)|,\s*\d|:\s*\d|\s*;)",
                     re.I)
_ISSUE = re.compile(r"(?:\bn°\s*|\bno\.\s*|\bnum(?:éro)?\.?\s*|\bissue\s*)(\d+[\w/-]*)|\(\s*(\d{1,4}(?:[/–-]\d{1,4})?)\s*\)", re.I)
_PAGES = re.compile(r"(?:\bpp?\.\s*|\bpages?\s+|:\s*)(\d+\s*[-–—]+\s*\d+|\d+)|(?<![\d(])(\d+\s*[-–—]\s*\d+)(?![\d)])")


# "Phys. Rev. Lett. 85, 1158" / "Nucl. Phys. (Proc. Suppl.) B143" / "JCAP06(2007)025"
_JOURNAL_ONLY = re.compile(r"((?:[A-Z][A-Za-z]*\.?\s*(?:\([^)]*\)\s*)?){1,6}?)\s*,?\s*(?:[A-Z]?\d+|Vol\b)")


def fold(text: str) -> str:
    """Lowercase, accents stripped: "Flückiger" -> "fluckiger" (also repairs "Fl¨uckiger")."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c) and c not in "¨´`˜ˆ¸˛ˇ˚")


def _initials(text: str) -> str:
    """ "E. S." / "ES" / "J.-P." / "Jean Pierre" -> "E. S." / "J.-P." / "J. P." """
    out = []
    for part in re.findall(rf"{_UP}[a-z]*\.?|-", text):
        if part == "-":
            out.append("-")
        else:
            letters = part.rstrip(".")
            # "JJ" (undotted, all caps) is two initials; "Ch." one; "Jean" one.
            chunks = list(letters) if letters.isupper() and len(letters) <= 3 else [letters[0]]
            out.extend(c + "." for c in chunks)
    s = " ".join(out).replace(" - ", "-").replace(" -", "-")
    return s.strip("- ")


def _surname(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip(" ,.")
    if s.isupper() and len(s) > 3:  # "BORDIN" -> "Bordin", "DE ROTEN" -> "De Roten"
        s = "-".join(w.capitalize() for w in s.title().split("-"))
    return s


def _match_name(text: str, pos: int, surname_first: bool | None):
    for kind, rx in _NAME_FORMS:
        if kind == "sfull" and surname_first is False:
            continue
        if kind == "fs" and surname_first is True:
            continue
        m = rx.match(text, pos)
        if not m:
            continue
        sur = m.group("s")
        if fold(sur.split()[-1]) in _NOT_NAMES or fold(sur.split()[0]) in _NOT_NAMES:
            continue
        if kind == "fs" and fold(m.group("f").split()[0]) in _NOT_NAMES:
            continue
        return kind, m
    return None, None


def parse_authors(text: str) -> tuple[tuple[str, ...], int, bool]:
    """Scan an author list from the start of text: (["Surname, I."...], end offset, et-al seen)."""
    names: list[str] = []
    pos, end, etal = 0, 0, False
    surname_first: bool | None = None
    while True:
        kind, m = _match_name(text, pos, surname_first)
        if not m:
            break
        if surname_first is None:
            surname_first = kind in ("sf", "si", "sfull")
        i = m.groupdict().get("i") or m.groupdict().get("f") or ""
        ini = _initials(i)
        names.append(f"{_surname(m.group('s'))}, {ini}" if ini else _surname(m.group("s")))
        pos = end = m.end()
        e = _ETAL.match(text, pos)
        if e:
            etal, end = True, e.end()
            break
        ed = _EDITOR.match(text, pos)
        if ed and ed.end() > pos:
            end = ed.end()
            break
        s = _SEP.match(text, pos)
        if not s or s.end() == pos:
            break
        pos = s.end()
    return tuple(names), end, etal


# --- fields --------------------------------------------------------------------------------------
def _clean(s: str | None) -> str | None:
    if s is None:
        return None
    s = s.strip(" \t,;:.([{“”\"'«»‘’").strip()
    s = re.sub(r"\s+", " ", s)
    return s if len(s) >= 2 and re.search(_L, s) else None


def _sentence_end(text: str, start: int = 0) -> int:
    """Offset of the first '.', '?' or '!' that ends a sentence (not an initial, abbreviation or 'et al.')."""
    for m in re.finditer(r"[.?!](?=\s|$)|\s(?=In\s*:|In\s+[A-Z]|Dans\s*:)", text[start:]):
        i = start + m.start()
        before = text[max(0, i - 6):i]
        if text[i] == "." and re.search(r"(?:\b[A-Z]|\bet al|\bvs|\bSt|\bno|\bVol|\bpp?|\bed|\bEds?|\bJr|\bcf)$", before):
            continue
        return i
    return len(text)


def _container_end(text: str) -> int:
    """The container ('Phys. Rev. Lett.', 'Psychotherapy', 'J Endod') stops at its numbers or at
    a place of publication ("The working alliance. New York : Wiley")."""
    m = re.search(r"[,;]?\s*(?:\b(?:vol|n°|no|pp?|pages?|t)\.?\s*\d|\(\d{4}|\d|\(\s*(?:Eds?|éds?|dir)\.?\)|"
                  r"[.,]\s+(?:[A-Z][a-z]+,\s+[A-Z]{2}\b|[A-Z][\w .-]{1,30}?\s?:\s)|[.]\s+(?=[A-Z][a-z]+\s+[a-z]{3,}))|\.\s*$",
                  text)
    return m.start() if m else len(text)


def _find_year(text: str, after: int) -> tuple[int | None, int, int]:
    """The publication year (value, start, end): the first plausible year token after the authors."""
    for m in _YEAR.finditer(text, after):
        # "pp. 1998-2004" or a volume "2011(3)" are not years; a year in a title is rarer than at the end.
        tail = text[m.end():m.end() + 2]
        if re.match(r"\s*[-–]\s*\d", tail) and not re.match(r"[-–]\d{2}\b", text[m.end():m.end() + 4]):
            continue
        return int(m.group(1)), m.start(), m.end()
    return None, -1, -1


def parse_reference(raw: str) -> Reference:
    """Parse one reference entry (any common style, French or English) into a Reference."""
    text = re.sub(r"\s+", " ", raw).strip()
    n = None
    m = _NUMBER.match(text)
    if m and not re.match(r"\d{4}\b", text):
        n = int(next(g for g in m.groups() if g))
        text = text[m.end():]
    doi = url = None
    d = _DOI.search(text)
    if d:
        doi = d.group(1).rstrip(".,;)]").lower()
        text = (text[:d.start()] + text[d.end():]).strip()
    u = _URL.search(text)
    if u:
        url = u.group(0).rstrip(".,;)]")
        text = re.sub(r"(?:Retrieved from|Available (?:at|from)|Disponible sur|URL)\s*:?\s*$", "",
                      text[:u.start()], flags=re.I) + text[u.end():]
    text = re.sub(r"\[(?:Internet|online|en ligne)\]|\((?:Accessed|Consulté)[^)]*\)", " ", text, flags=re.I)
    text = re.sub(r"\s+", " ", text).strip()

    authors, a_end, _etal = parse_authors(text)
    rest_start = a_end
    year = None
    ym = _DATE_AFTER_NAMES.match(text, a_end) if authors else _DATE_AFTER_NAMES.match(text)
    if ym:
        year = int(ym.group(2)) if ym.group(2) else None
        rest_start = ym.end()
    rest = text[rest_start:].lstrip(" .,:;)")
    # Physics style has no title: "Phys. Rev. D 53, 2236" / "Astropart. Phys. 22 (2005) 127"
    jo = _JOURNAL_ONLY.match(rest)
    if jo and authors and re.search(r"[A-Z][a-z]*\.", jo.group(1)) and not re.search(r"\b[a-z]{4,}", jo.group(1)):
        rest = "\u2029" + rest
    # Quoted titles: “Competition in Two-Sided Markets,” The RAND Journal
    # Physics style has no title: "Phys. Rev. D 53, 2236" / "Astropart. Phys. 22 (2005) 127"
    jo = _JOURNAL_ONLY.match(rest)
    if jo and authors and re.search(r"[A-Z][a-z]*\.", jo.group(1)) and not re.search(r"\b[a-z]{4,}", jo.group(1)):
        rest = "\u2029" + rest
    # Quoted titles: “Competition in Two-Sided Markets,” / ``Monotone data flow,'' / « Titre »
    q = re.match(r"(?:[“\"«‘]|``)\s*(.+?)\s*(?:[”\"»’]|'')", rest)
    comma_style = bool(re.search(r",\s*$", text[:rest_start + (len(text) - rest_start - len(text[rest_start:].lstrip(" .,:;)")))]))
    if q:
        title, after = q.group(1), rest[q.end():]
    else:
        cut = _sentence_end(rest)
        title, after = rest[:cut], rest[cut + 1:]
        # "Feferman, S., Title, J. Symbolic Logic, 27, 259-316": commas separate the fields.
        comma = title.find(", ")
        if comma > 0 and (comma_style or re.search(r"\d{2,}|\b(?:pp?|vol|Proc|In)\b\.?", title[comma:])):
            title, after = rest[:comma], rest[comma + 1:]
    if rest.startswith("\u2029"):
        title, after = None, rest[1:]
    after = after.strip(" .,;")
    inbook = re.match(r"(?:In|Dans)\s*:?\s+", after)
    if inbook:
        after = after[inbook.end():]
        ed, e_end, _ = parse_authors(after)
        if ed:
            tail = re.match(r"\s*[,(]?\s*(?:\(?(?:eds?|éds?|dir|editors?|coord)\.?\)?,?)\s*", after[e_end:], re.I)
            if tail:
                after = after[e_end + tail.end():]
            elif re.search(r"\b(?:eds?|editors?|éds?|dir|coord)\b", after[:e_end], re.I):
                after = after[e_end:]
    after = after.lstrip(" .,:;")
    cend = _container_end(after)
    container = _clean(after[:cend])
    if container and (re.fullmatch(r"(?:pp?|vol|in|pages)\.?", container, re.I) or len(container) > 200):
        container = None
    nums = after[cend:] if container else after
    if year is None:
        y, ys, ye = _find_year(text, rest_start)
        if y is None and not ym:
            y, ys, ye = _find_year(text, 0)
        year = y
        if ys >= 0 and title and text.find(title) > ys and not authors:
            pass
    vol = next((v for v in _VOLUME.finditer(nums) if (v.group(1) or v.group(2)) != str(year)), None)
    iss = _ISSUE.search(nums)
    pg = _PAGES.search(nums)
    volume = (vol.group(1) or vol.group(2)) if vol else None
    issue = (iss.group(1) or iss.group(2)) if iss else None
    pages = re.sub(r"\s*[-–—]+\s*", "-", pg.group(1) or pg.group(2)) if pg else None
    if volume and year and volume == str(year):
        volume = None
    return Reference(n=n, raw=re.sub(r"\s+", " ", raw).strip(), authors=authors, year=year,
                     title=_clean(title), container=container, volume=volume, issue=issue,
                     pages=pages, doi=doi, url=url)


# --- splitting -----------------------------------------------------------------------------------
# "[12] Bordin..." / "12. Bordin..." / "12 Bordin..." / "(12) Bordin..."
_NUM_STYLES = [re.compile(r"^\[(\d{1,4})\]\s*"), re.compile(r"^(\d{1,4})\.\s+(?=\S)"),
               re.compile(r"^\((\d{1,4})\)\s*"), re.compile(r"^(\d{1,4})\s+(?=[^\d\s])")]
# Page furniture that slips into a section: "632", "- 12 -", "Page 3 of 9", "p. 4"
_FOOTER = re.compile(r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|page\s+\d+(?:\s*(?:/|of|sur)\s*\d+)?|p\.\s*\d+)$", re.I)
_TERMINAL = re.compile(r"(?:[.)\]»”\"!?]|\d|\b10\.\d{4,9}/\S+|https?://\S+|\bpp?\.?\s*\d+[-–]\d+)$")
_OPEN_END = re.compile(r"(?:,|;|:|&|\band|\bet|\bIn|\bde|\bvan|\bthe|\bof|-)$")


def _numbering(lines: list[str]):
    """The numbering style of a list when its first lines are numbered 1, 2, 3 (or n, n+1...)."""
    for rx in _NUM_STYLES:
        nums = [int(m.group(1)) for ln in lines if (m := rx.match(ln))]
        first = rx.match(lines[0]) if lines else None
        if first and nums and sum(1 for a, b in zip(nums, nums[1:]) if b == a + 1) >= min(2, len(nums) - 1):
            return rx
    return None


def _is_start(line: str, prev: str, current: str) -> bool:
    """Whether an unnumbered line opens a new hanging entry (author list, then year or title)."""
    if not current or _OPEN_END.search(prev) or not re.match(rf"{_UP}|{_PART}{_W}", line):
        return False
    if re.match(r"(?:In|Dans|Proc|Retrieved|Available|Disponible|doi|https?)\b", line):
        return False
    names, end, etal = parse_authors(line)
    if not names:
        return False
    after = line[end:]
    year_next = bool(_DATE_AFTER_NAMES.match(after)) or (not after.strip() and False)
    complete = bool(_YEAR.search(current) or _PRESS.search(current)) or len(current) > 80
    terminal = bool(_TERMINAL.search(prev))
    if year_next:
        return terminal or complete
    # No year right after the names: Vancouver-like ("Smith J, Doe K. Title") or names that wrap.
    ends_well = bool(re.match(r"\s*(?:[.,]\s|[.,]?$|\(|:)", after))
    return terminal and complete and ends_well and (len(names) > 1 or etal or re.match(r"\.\s", after) is not None)


def _join(left: str, right: str, compounds: set[str]) -> str:
    """Join a line to the entry so far, undoing line-end hyphenation unless the doc spells the compound."""
    m = re.search(rf"({_L}+)-$", left)
    if m and right[:1].islower():
        word = m.group(1) + "-" + re.match(rf"{_L}*", right).group(0)
        if fold(word) not in compounds:
            return left[:-1] + right
        return left + right
    if left.endswith(("-", "/")) and not left.endswith(" -"):
        return left + right  # URLs, DOIs, page ranges and names ("Lozano-\nPerez") keep the hyphen
    return left + " " + right


def split_entries(lines: list[str]) -> list[str]:
    """A reference section's lines (after its heading) as one string per entry, lines and hyphens joined."""
    clean = [re.sub(r"\s+", " ", ln).strip() for ln in lines]
    blank_before = set()
    kept: list[str] = []
    for ln in clean:
        if not ln:
            blank_before.add(len(kept))
        elif not _FOOTER.match(ln):
            kept.append(ln)
    if not kept:
        return []
    compounds = {fold(w) for ln in kept for w in re.findall(rf"{_L}+-{_L}+", ln)}
    entries: list[str] = []
    numbered = _numbering(kept)
    last = None
    for i, ln in enumerate(kept):
        new = not entries
        if numbered and not new:
            m = numbered.match(ln)
            new = bool(m) and last is not None and last < int(m.group(1)) <= last + 2
        elif not new:
            new = _is_start(ln, kept[i - 1], entries[-1]) or (
                i in blank_before and len(blank_before) >= 2 and re.match(rf"{_UP}", ln) is not None
                and bool(_TERMINAL.search(kept[i - 1])))
        if new:
            if numbered and (m := numbered.match(ln)):
                last = int(m.group(1))
            entries.append(ln)
        else:
            entries[-1] = _join(entries[-1], ln, compounds)
    return entries
