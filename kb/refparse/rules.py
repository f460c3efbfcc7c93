"""Hand-written reference parsing: the rules for the fields a regex reads reliably, and the fallback parser.

Rule-based, in the order a reader uses: strip the printed number, take out the anchors that are
unambiguous anywhere (DOI, URL), scan the author list from the start, find the year (right after the
authors in author-year styles, else the likeliest year token), then cut title and container at the
sentence boundaries that follow. French and English conventions ("et coll.", "In :", "n°", "p.").
"""

from __future__ import annotations

import re

from kb.models import Reference
from kb.refparse.names import _L, _UP, _W, parse_authors

# --- anchors -------------------------------------------------------------------------------------
_NUMBER = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)](?=\s)|(\d{1,4})\s+(?=\D))\s*")
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi\s*:?\s*)?(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.I)
_YEAR = re.compile(r"(?<![\d/.:-])(1[6-9]\d\d|20[0-4]\d)(?:[a-z](?![a-z]))?(?![\d]|\.\d)")
_PRESS = re.compile(r"\b(?:in press|sous presse|forthcoming|under review|submitted|n\.\s?d\.|s\.\s?d\.)", re.I)
# A classic's original year before the edition's: "Freud, S. ([1900] 1967)." / "Winnicott, D. W. [1971] (1975)."
_ORIGINAL = r"\[\s*(?:1[6-9]\d\d|20[0-4]\d)[a-z]?\s*\]\s*"
_DATE_AFTER_NAMES = re.compile(
    rf"[\s.,:]*(?:{_ORIGINAL})?\(?\s*(?:{_ORIGINAL})?(?:(?:[A-Z][a-z]+\.?\s+)?(?:\d{{1,2}}\s+)?)?({_YEAR.pattern}|{_PRESS.pattern})"
    r"(?:[,\s]+[A-Za-zéû]+\.?(?:\s+\d{1,2})?)?\s*\)?\s*[.,:;]?\s*")

# "Journal 2018;12(3):45-67" / ", 12(3), 45-67" / "vol. 9, n° 3, p. 12-15" / "pp. 1761–1800"
_VOLUME = re.compile(r"(?:\bvol(?:ume)?\.?\s*|\bt\.\s*|\bbd\.?\s*)(\d+[A-Z]?)|(?<![\w./])(\d{1,4})\s*(?=\(\s*[\w/–-]+\s*\)|,\s*\d|:\s*\d|\s*;|,\s*(?:no\.?|n°|num|issue|pp?\.)\s*\d)",
                     re.I)
# (ISO 690 prints "vol. 49, no 4": a "no" after a comma and before a number)
_ISSUE = re.compile(r"(?:\bn°\s*|\bno\.\s*|(?<=,)\s*no\s+(?=\d)|\bnum(?:éro)?\.?\s*|\bissue\s*)(\d+[\w/-]*)"
                    r"|\(\s*(\d{1,4}(?:[/–-]\d{1,4})?)\s*\)", re.I)
# French journals without labels: "Psychothérapies, 2004, 24, 3, 145-152" (volume, issue, pages)
_BARE_ISSUE = re.compile(r"(?<![\w.])(\d{1,4}),\s*(\d{1,3}),\s*(?:pp?\.\s*)?\d+\s*[-–—]\s*\d+")
_PAGES = re.compile(r"(?:\bpp?\.\s*|\bpages?\s+|:\s*)(\d+\s*[-–—]+\s*\d+|\d+)|(?<![\d(])(\d+\s*[-–—]\s*\d+)(?![\d)])")


# "Phys. Rev. Lett. 85, 1158" / "Nucl. Phys. (Proc. Suppl.) B143" / "JCAP06(2007)025"
_JOURNAL_ONLY = re.compile(r"((?:[A-Z][A-Za-z]*\.?\s*(?:\([^)]*\)\s*)?){1,6}?)\s*,?\s*(?:[A-Z]?\d+|Vol\b)")

# --- fields --------------------------------------------------------------------------------------
def _clean(s: str | None) -> str | None:
    if s is None:
        return None
    s = s.strip(" \t,;:.([{“”\"'«»‘’").strip()
    s = re.sub(r"\s+", " ", s)
    return s if len(s) >= 2 and re.search(_L, s) else None


_ABBREV_END = re.compile(r"(?:\bet al|\bvs|\bSt|\bno|\bVol|\bpp?|\bed|\bEds?|\bJr|\bcf|\bDr|\bMr|\bMrs|\be\.g|\bi\.e)$")


def _is_initial(text: str, i: int) -> bool:
    """Whether the '.' at i closes a name initial ("J. Smith", "Wild, C. J.") rather than a sentence
    ("pyrophosphatase at 2.7 A. Protein Eng", "vitamin D. Nutrients")."""
    if not re.search(r"(?:^|[\s(.,-])[A-Z]$", text[max(0, i - 3):i]):
        return False
    if re.search(r"[A-Z]\.\s?-?[A-Z]$", text[max(0, i - 5):i]) or re.search(r"(?:^|,)\s*[A-Z]$", text[:i]):
        return True
    return bool(re.match(rf"\s*(?:{_UP}\.|{_W}\s*(?:,|\(|\band\b|&|\bet\b))", text[i + 1:]))


def _sentence_end(text: str, start: int = 0) -> int:
    """Offset of the first '.', '?' or '!' that ends a sentence (not an initial, abbreviation or 'et al.')."""
    for m in re.finditer(r"[.?!](?=\s|$)|\s(?=In\s*:|In\s+[A-Z]|Dans\s*:)", text[start:]):
        i = start + m.start()
        if text[i] == "." and (_ABBREV_END.search(text[max(0, i - 6):i]) or _is_initial(text, i)):
            continue
        return i
    return len(text)


# Where a journal name begins after a title: an abbreviated word ("J.", "Phys.", "Proc.") or a cue word.
_JOURNAL_CUE = re.compile(
    r"\s*(?:(?:The\s+)?(?:[A-Z][a-z]{0,8}\.\s*){1,}|(?:[A-Z]\w*\s+){0,3}(?:Journal|Review|Revue|Proceedings|"
    r"Transactions|Annals?|Annales|Bulletin|Letters|Quarterly|Archives?|Acta|Reports?|Cahiers|Psycholog\w*|"
    r"Research|Science|Nature|Physical|Medicine|Conference|Symposium|Workshop)\b)")
# A publisher or place of publication: "New York: Wiley", "Paris, PUF", "MIT Press", "Springer-Verlag".
_PUBLISHER = re.compile(
    r"\b(?:Press|Presses|Publishers?|Publishing|Publications|Verlag|Éditions?|Editions?|Editeurs?|Éditeur|"
    r"Wiley|Springer|Elsevier|Routledge|Sage|Dunod|Masson|Gallimard|Seuil|Odile Jacob|PUF|Erès|Érès|De Boeck|"
    r"L'Harmattan|Harmattan|Armand Colin|Guilford|Norton|Basic Books|Academic|Pergamon|Macmillan|McGraw|"
    r"Blackwell|Penguin|Karnac|Hogrefe|Lippincott|Saunders|Mosby|Pearson|Prentice|Addison|Kluwer|Wolters|"
    r"Taylor & Francis|Cambridge University|Oxford University|University of [A-Z]\w+ Press)\b")
_PLACE_PUB = re.compile(r"^\s*[A-Z][\w.'’ -]{1,40}?(?:,\s*[A-Z][\w.]{1,15})?\s?:\s*[A-Z]")
# The numbers that follow a container: "38(2), 139", "2018;12(3):45", "vol. 9", "n° 3", "p. 12", "16, 252"
_NUMBERS = re.compile(r"[,.;]?\s*(?:\b(?:vol|n°|no|nr|num|pp?|pages?|t|v|tome|bd)\.?\s*\d|\d+\s*(?:\(|:|;|,\s*\d|\s+\d)|"
                      r"\(\d{4}\)|\d{4}\s*[;,.]|\d+\s*$|[A-Z]?\d+[A-Z]?\s*\(\d{4}\))", re.I)


def _container_end(text: str) -> int:
    """The container ('Phys. Rev. Lett.', 'Psychotherapy', 'J Endod') stops at its numbers or at
    a place of publication ("The working alliance. New York : Wiley")."""
    m = re.search(r"[,;]?\s*(?:\b(?:vol|n°|no|pp?|pages?|t)\.?\s*\d|\(\d{4}|\d|\(\s*(?:Eds?|éds?|dir)\.?\)|"
                  r"[.,]\s+(?:[A-Z][a-z]+,\s+[A-Z]{2}\b|[A-Z][\w .-]{1,30}?\s?:\s)|[.]\s+(?=[A-Z][a-z]+\s+[a-z]{3,}))|\.\s*$",
                  text)
    v = re.search(r"[,;.]?\s*\b(?:vol|n°|no|pp?|pages?|t|v)\.?\s*\d", text, re.I)
    cut = min(m.start() if m else len(text), v.start() if v else len(text))
    return cut


def _journal_tail(title: str) -> int:
    """Where a journal name starts in a title segment that ran into it without a full stop:
    "...regulates its interaction with utrophin J Cell Sci 2000; 113" -> offset of "J Cell Sci"."""
    num = re.search(r"\s(?:\d{4}\s*[;:]|\d+\s*[(:,]\s*\d|\d+\s*$)", title)
    if not num:
        return -1
    words = list(re.finditer(r"\S+", title[:num.start()]))
    k = len(words)
    # walk back over capitalised or abbreviated words ("J", "Cell", "Sci", "Phys.", "of", "&")
    while k > 0 and re.fullmatch(r"[A-Z][\w.'’-]*|&|of|and|de|la|des|du|der|für|[a-z]{1,2}\.", words[k - 1].group(0)):
        k -= 1
    if k == len(words) or k == 0:
        return -1
    # keep at most the journal-like run; a lowercase word must come just before it
    if not re.search(r"[a-z\d)]$", words[k - 1].group(0)):
        return -1
    return words[k].start()


def _comma_title_end(rest: str) -> int:
    """Title end in comma-separated styles ("Feferman, S., Title words, J. Symbolic Logic, 27, 259"):
    the first comma followed by a journal cue or by a name and its numbers; else the first comma."""
    commas = [m.start() for m in re.finditer(r",\s", rest)]
    for c in commas:
        seg = rest[c + 1:]
        if _JOURNAL_CUE.match(seg) or re.match(r"\s*[A-Z][\w&' -]{1,60}?\s+[A-Z]?\d+\b", seg) or \
                re.match(r"\s*(?:in|dans)\b|\s*(?:Ph\.?D|PhD|Master|M\.?Sc|Thèse|These|Mémoire|Doctoral)", seg, re.I) \
                or _PUBLISHER.match(seg.lstrip()) or re.match(r"\s*\d", seg):
            return c
    return commas[0] if commas else -1


def _early_year(text: str, after: int):
    """ "Council of Economic Advisers. 2015. Title" / "Smith JA (2009).[Title]": a year standing alone
    right after an author block the name scanner did not read to its end."""
    for m in re.finditer(rf"(?:^|[\s.,;])\(?({_YEAR.pattern}|{_PRESS.pattern})\)?\s*[.,:]?\s*(?=\S)", text[:220]):
        if m.start() < after or not re.match(r"\s*\(?\S+\)?\s*[.,:]|\s*\(", text[m.start():]):
            continue
        head = text[:m.start()]
        gap = re.findall(rf"{_L}+", text[after:m.start()])
        if len(gap) > 8 or sum(len(w) > 3 and w[0].islower() for w in gap) > 1:
            return None  # prose before the year: a title, not an author block
        if not head.strip() or _sentence_end(head) < len(head.rstrip(" .")) or re.search(r"[“\"«]", head):
            return None
        if not re.match(r"\s*[.,:;]?\s*\(?\d{4}[a-z]?\)?\s*[.,:]", text[m.start():]) and \
                not re.match(rf"[\s.,;]*\(?{_PRESS.pattern}", text[m.start():]):
            return None
        return m
    return None


def _normalise(text: str) -> str:
    """Repairs PDF spacing: "Phys .Rev .Lett ,57 ( 1998)" -> "Phys. Rev. Lett, 57 (1998)"."""
    text = re.sub(r"\s+([.,;:)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    text = re.sub(r"(?<=[^\W\d_]{2})([.,;])(?=[A-Z][a-z])|(?<=\b[A-Z])\.(?=[A-Z][a-z])|,(?=[^\W\d_])", r"\g<0> ", text)
    return " ".join(text.split())


def _find_year(text: str, after: int) -> tuple[int | None, int, int]:
    """The publication year (value, start, end): the first plausible year token after the authors."""
    for m in _YEAR.finditer(text, after):
        # "pp. 1998-2004" or a volume "2011(3)" are not years; a year in a title is rarer than at the end.
        tail = text[m.end():m.end() + 2]
        if re.match(r"\s*[-–]\s*\d", tail) and not re.match(r"[-–]\d{2}\b", text[m.end():m.end() + 4]):
            continue
        return int(m.group(1)), m.start(), m.end()
    return None, -1, -1


_CORPORATE = re.compile(
    r"(?:The\s+)?(?:[A-Z][\w&'’-]*\s+|of\s+|for\s+|and\s+|on\s+|de\s+|des\s+|du\s+){0,7}(?:Group|Collaboration|Consortium|"
    r"Committee|Association|Organi[sz]ation|Agency|Society|Institute|Council|Department|Ministry|Minist[eè]re|"
    r"Office|Bureau|Commission|Board|Foundation|Centre|Center|Team|Network|Federation|Union|Service|Authority|"
    r"Administration|Collab)\b(?:\s*\([^)]{1,30}\))?(?=\s*[.,:])|[A-Z]{2,}(?:\s+[A-Z]{2,}){0,3}(?=\.\s)")
_QUOTED = re.compile(r"(?:[“\"«‘„]|``|(?<![\w])')\s*(.+?)\s*(?:[”\"»’“]|''|'(?![\w]))")


def _split_title(rest: str, comma_style: bool) -> tuple[str | None, str]:
    """(title, what follows it) from the text after authors and year."""
    q = _QUOTED.search(rest[:160])
    if q and len(q.group(1)) > 3 and (q.start() == 0 or (
            len(rest[:q.start()]) < 120 and _sentence_end(rest[:q.start()]) >= len(rest[:q.start()].rstrip(" .,")))):
        q = _QUOTED.search(rest, q.start())
        return q.group(1), rest[q.end():]
    cut = _sentence_end(rest)
    title, after = rest[:cut], rest[cut + 1:]
    if comma_style or re.search(r",\s*(?:\d{2,}|(?:pp?|vol|Proc|In)\b\.?)", title):
        c = _comma_title_end(title)
        if c > 0 and (comma_style or re.search(r"\d{2,}|\b(?:pp?|vol|Proc|In)\b\.?", title[c:])):
            return rest[:c], rest[c + 1:]
    j = _journal_tail(title)
    if j > 0:
        return rest[:j], rest[j:]
    # A book's subtitle: "The authentic heart. An eightfold path to midlife love. New York: Wiley."
    nxt = _sentence_end(after.lstrip())
    sub = after.lstrip()[:nxt]
    if sub and nxt < len(after.lstrip()) and _PLACE_PUB.match(after.lstrip()[nxt + 1:]) and not \
            re.search(r"\d|\b(?:ed|éd|eds|vol|In|Dans|Thesis|Thèse|Report|Rapport)\b|^[A-Z][\w-]+,", sub) and \
            not _JOURNAL_CUE.match(sub) and not _PUBLISHER.search(sub) and not _PLACE_PUB.match(sub):
        return rest[:cut] + ". " + sub, after.lstrip()[nxt + 1:]
    if sub and nxt < len(after.lstrip()) and _sentence_like(sub) and not _JOURNAL_CUE.match(sub):
        rest2 = after.lstrip()[nxt + 1:]
        if re.search(r"\d", rest2) or _PLACE_PUB.match(rest2) or re.match(r"\s*\(", rest2):
            return rest[:cut] + ". " + sub, rest2
    return title, after


def _sentence_like(seg: str) -> bool:
    """A subtitle reads like prose ("An eightfold path to midlife love"); a journal name does not."""
    words = re.findall(rf"{_L}+", seg)
    long = [w for w in words if len(w) > 3]
    if len(words) < 5 or re.search(r"\d|\b(?:dissertation|thesis|thèse|mémoire|memoire|report|rapport|manuscript|"
                                   r"paper presented|communication|poster|unpublished|non publié|ed|eds|éd|vol)\b", seg, re.I):
        return False
    return sum(w[0].islower() for w in long) >= max(2, 0.6 * len(long))


def anchors(raw: str) -> tuple[int | None, str | None, str | None, str]:
    """(printed number, DOI, URL, the text without them, PDF spacing repaired), from a raw entry:
    "[12] Smith J. ... doi: 10.1097/J.PAIN.123" -> (12, "10.1097/j.pain.123", None, "Smith J. ...")."""
    text = " ".join(raw.split())
    n = None
    m = _NUMBER.match(text)
    if m and not re.match(r"\d{4}\b", text):
        n = int(next(g for g in m.groups() if g))
        text = text[m.end():]
    doi = url = None
    d = _DOI.search(re.sub(r"(doi\.)\s+(org/)", r"\1\2", text))
    if d:
        text = re.sub(r"(doi\.)\s+(org/)", r"\1\2", text)
        doi = d.group(1).rstrip(".,;)]").lower()
        text = (text[:d.start()] + text[d.end():]).strip()
    u = _URL.search(text)
    if u:
        url = u.group(0).rstrip(".,;)]")
        text = re.sub(r"(?:Retrieved from|Available (?:at|from)|Disponible sur|URL)\s*:?\s*$", "",
                      text[:u.start()], flags=re.I) + text[u.end():]
    text = re.sub(r"\[(?:Internet|online|en ligne)\]|\((?:Accessed|Consulté)[^)]*\)", " ", text, flags=re.I)
    return n, doi, url, re.sub(r"^[-–—•*·]+\s*", "", _normalise(text))  # list bullets: "- V. PEIGNÉ, ..."


def numbers(nums: str, year: int | None) -> tuple[str | None, str | None, str | None]:
    """(volume, issue, pages) from the numbers after a container: "38(2), 139-149" -> ("38", "2", "139-149");
    "vol. 65, n° 4, p. 210-218" -> ("65", "4", "210-218")."""
    vol = next((v for v in _VOLUME.finditer(nums) if (v.group(1) or v.group(2)) != str(year)), None)
    iss = _ISSUE.search(nums)
    pg = _PAGES.search(nums)
    volume = (vol.group(1) or vol.group(2)) if vol else None
    issue = (iss.group(1) or iss.group(2)) if iss else None
    pages = re.sub(r"\s*[-–—]+\s*", "-", pg.group(1) or pg.group(2)) if pg else None
    if volume and year and volume == str(year):
        volume = None
    if vol and iss and vol.group(2) and iss.start() <= vol.start(2) < iss.end():
        volume = None  # "n° 63, pp. 33-62": the issue's number, not a volume
    if volume and not issue and (bare := _BARE_ISSUE.search(nums)) and bare.group(1) == volume:
        issue = bare.group(2)
    return volume, issue, pages


def parse_rules(raw: str) -> Reference:
    """Parse one reference entry (any common style, French or English) into a Reference."""
    n, doi, url, text = anchors(raw)

    authors, a_end, _etal = parse_authors(text)
    rest_start = a_end
    year = None
    ym = _DATE_AFTER_NAMES.match(text, a_end) if authors else _DATE_AFTER_NAMES.match(text)
    if ym:
        year = int(ym.group(2)) if ym.group(2) else None
        rest_start = ym.end()
    else:
        ey = _early_year(text, a_end)
        if ey:
            year = int(ey.group(1)) if ey.group(1) and ey.group(1).isdigit() else None
            ym, rest_start = ey, ey.end()
    rest = text[rest_start:].lstrip(" .,:;)]")
    if not authors and not ym:
        corp = _CORPORATE.match(rest)
        if corp:
            rest = rest[corp.end():].lstrip(" .,:;")
            ey = _early_year(rest, 0) if rest else None
            if ey:
                year = int(ey.group(1)) if ey.group(1) and ey.group(1).isdigit() else None
                ym, rest = ey, rest[ey.end():]
    # Physics style has no title: "Phys. Rev. D 53, 2236" / "Astropart. Phys. 22 (2005) 127"
    jo = _JOURNAL_ONLY.match(rest)
    title_less = bool(jo and authors and re.search(r"[A-Z][a-z]*\.", jo.group(1))
                      and not re.search(r"\b[a-z]{4,}", jo.group(1)))
    comma_style = bool(re.search(r",\s*$", text[:rest_start]) or re.match(r"\s*,", text[rest_start:]))
    if title_less:
        title, after = None, rest
    else:
        title, after = _split_title(rest, comma_style)
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
    if container and (re.fullmatch(r"(?:pp?|vol|in|pages)\.?", container, re.I) or len(container) > 200
                      or (not inbook and (_PUBLISHER.search(container) or _PLACE_PUB.match(after))
                          and not _JOURNAL_CUE.match(container))):
        container = None
    nums = after[cend:] if container else after
    if year is None:
        y, ys, ye = _find_year(text, rest_start)
        if y is None and not ym:
            y, ys, ye = _find_year(text, 0)
        year = y
    volume, issue, pages = numbers(nums, year)
    return Reference(n=n, raw=" ".join(raw.split()), authors=authors, year=year,
                     title=_clean(title), container=container, volume=volume, issue=issue,
                     pages=pages, doi=doi, url=url)

