"""Bibliographic facts of a PDF: its info dictionary when it looks real, else its first page.

Info titles are often junk ("Microsoft Word - x.doc", "untitled", a file name) and info authors a login
("ibm", "Proprietario"): those are ignored. The first page gives the title (largest font lines near the
top), the authors (the lines under it), DOI, year, abstract and keywords, in French or English.
The year is the one the page says the document was published (see publication_year), never a cited one.
"""

from __future__ import annotations

import re
from datetime import date

from kb.models import Meta

# Info titles that name a file, a program or nothing: "Microsoft Word - AVE2008 Report.doc", "acl07.dvi",
# "Binder1.pdf", "untitled", "Adobe Photoshop PDF", "Proceedings of the 45th Annual Meeting ...".
_JUNK_TITLE = re.compile(
    r"^(?:untitled|sans titre|document\d*|microsoft (?:word|powerpoint)\b.*|adobe .*|proceedings of\b.*"
    r"|.*\.(?:docx?|pdf|dvi|tex|txt|rtf|odt|ps|indd|qxd)\s*$|[\w-]+_[\w-]+|\W*)$", re.I)
# Words that make an info "author" an organisation or a program, not a person.
_ORG = re.compile(r"\b(?:association|society|university|université|universit\w+|inc|ltd|corp\w*|gmbh|press"
                  r"|journal|admin\w*|user|utilisateur|owner|proprietario|editor|research|institut\w*|department"
                  r"|département|laborator\w+|lab|labs|cent(?:er|re)|school|[ée]cole|college|hospital|h[ôo]pital"
                  r"|clini[cq]\w*|facult\w+|service|unit|unité|group|groupe|team|équipe|foundation|fondation"
                  r"|ministry|ministère|agency|agence|council|conseil)\b", re.I)
# "10.1037/0033-3204.16.3.252", "doi:10.1016/j.pain.2019.01.002"
_DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+")
# A publication year, never part of a range ("1990-2010") nor of a longer number ("DM-2023-001").
_Y = r"(?<![\w/.–-])((?:19|20)\d\d)(?!\w|\s*[-–]\s*(?:19|20)\d\d)"
_MONTH = r"(?:\d{1,2}(?:er)?\s+)?[^\W\d_]{3,10}\.?\s+(?:\d{1,2},?\s+)?"  # "12 March ", "mars ", "June 3, "
# Dating cues, best first. Journal lines only count at the top or foot of the page (a reference list
# repeats their shape); the others anywhere on the page.
_JOURNAL = re.compile(
    r"\b" + _Y + r"(?:\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{1,2})?)?\s*;\s*\d+\s*[(:]"  # "Psychotherapy 2018; 55(4)"
    r"|\b\d{1,4}\s*\(" + _Y + r"\)\s*\d"                       # "Pain 160 (2019) 12-20"
    r"|\d\s*[-–]\s*\d+\s*\(" + _Y + r"\)"                      # "54 a, 272-273 (1999)"
    r"|\(" + _Y + r"\)\s*\d+\s*:\s*\d"                            # "Psycho-Oncol. (2019) 13:12-20"
    r"|" + _Y + r"\W{1,4}vol(?:ume)?\b\.?\s*\d"                # "2018, Vol. 55", "2022 · vol. 4"
    r"|\bvol(?:ume)?\b\.?\s*\d+[^\n]{0,30}?" + _Y + r"(?!\s*\))", re.I)  # "Vol. 55, No. 4, 2018"
_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b)[^\d\n]{0,30}?(?:(?:19|20)\d\d\s*[-–]\s*)?" + _Y, re.I)
# "Published online: 12 March 2019", "Disponible en ligne sur ScienceDirect le 3 mars 2019".
_PUBLISHED = re.compile(r"\b(?:(?:first\s+)?published|available|disponible|publié\w*|mis\w*\s+en\s+ligne"
                        r"|date\s+of\s+publication|epub)\b(?:\s+(?:online|en\s+ligne|on|le|sur\s+[\w.-]+))*"
                        r"\s*:?\s*(?:" + _MONTH + ")?" + _Y, re.I)
_ACCEPTED = re.compile(r"\baccept(?:ed|ée?)\b(?:\s+(?:for\s+publication|on|le))*\s*:?\s*(?:" + _MONTH + ")?"
                       + _Y, re.I)
# Lines that date something else: "Received 12 May 2018", "reçu le ...", "Submitted ...".
_OTHER_DATE = re.compile(r"\b(?:received|reçu|soumis|submitted|revised|révisé|et al)\b", re.I)
# Years a line cites: "(Bordin, 1979)", "(Hall et al., 2010; Ferreira, 2013)", "Bordin (1979)".
_CITED = re.compile(r"\([^()]*[A-Z][^()]*\b(?:19|20)\d\d[a-z]?\b[^()]*\)|[A-Z][\w'’-]+(?:\s+et\s+al\.?)?"
                    r"\s*\((?:19|20)\d\d[a-z]?\)")
_YEARISH = re.compile(r"(?:19|20)\d\d")
# Body text that ran into the top or foot of the page: two sentences on a line, a line running on
# ("... in the lower part of"), a year after a preposition ("In 1979, Bordin ...").
_PROSE_YEAR = re.compile(r"\w[.!?]\s+[A-Z]|(?:\s\w+){7,}\s[a-zé]+-?$|\b(?:in|en|since|depuis|until|from|to|after|"
                         r"après|before|avant|by|par)\s+(?:19|20)\d\d\b", re.I)
# Numbers that only look like years: DOIs, URLs, e-mails, arXiv ids ("arXiv:2003.01234").
_NOT_DATES = re.compile(r"\b10\.\d{4,9}/\S+|https?://\S+|www\.\S+|[^\s@]+@\S+|arXiv:\s*\d{4}\.\d+\S*", re.I)
# Words without which the patterns above cannot match, lowercase: a page that lacks them skips the
# pattern (substring tests on the lowercased page instead of a regex scan of every line).
_HINTS = {_NOT_DATES: ("10.", "http", "www.", "@", "arxiv"), _COPYRIGHT: ("©", "(c)", "copyright"),
          _PUBLISHED: ("publi", "available", "disponible", "mis", "date", "epub"), _ACCEPTED: ("accept",)}


def _hinted(pattern: re.Pattern, lowered: str) -> bool:
    hints = _HINTS.get(pattern)
    return hints is None or any(h in lowered for h in hints)


_ABSTRACT_HEAD = re.compile(r"^\s*(?:abstract|summary|résumé|resume)\b[\s.:—–-]*", re.I)
_KEYWORDS_HEAD = re.compile(r"^\s*(?:key\s*-?\s*words|index terms|mots[\s-]*cl[ée]s)\s*[:.—–-]?\s*", re.I)
# Where an abstract stops: keywords, the first section heading, or the next language's abstract.
_ABSTRACT_END = re.compile(r"^\s*(?:key\s*-?\s*words|index terms|mots[\s-]*cl[ée]s|(?:1\.?|I\.)?\s*"
                           r"(?:introduction|background|contexte)\b|abstract\b|résumé\b|summary\b)", re.I)


def info_of(reader) -> dict[str, str]:
    """The info dictionary's title, author, subject, keywords and creation date, as clean strings."""
    try:
        info = reader.metadata or {}
        out = {}
        for key in ("/Title", "/Author", "/Subject", "/Keywords", "/CreationDate"):
            value = info.get(key)
            if value is not None:
                value = " ".join(str(value).replace("\x00", " ").split())
                if value:
                    out[key[1:].lower()] = value
        return out
    except Exception:  # an unreadable info dictionary is not a reason to refuse the text
        return {}


def _real_title(title: str | None) -> str | None:
    if not title or len(title) < 6 or _JUNK_TITLE.match(title) or " " not in title.strip():
        return None
    return title


def split_authors(text: str) -> tuple[str, ...]:
    """Person names from "A. Smith, B. Jones and C. Li" or "Dinu ; Baroni"; () if they do not look like
    names. "Dubois, Claire; Léger, Marc" keeps "Surname, First" pairs together."""
    # E-mails and affiliation marks are not names: "{a,b}@x.org", "Gal∗+", "Chang+#", "Jung''".
    text = re.sub(r"\{[^}]*\}\S*|\S*@\S+|[\d∗*†‡§¶$#+]+|(?<=\w)['’]+(?=[\s,;]|$)|\([^)]*\)", " ", text)
    parts = re.split(r"\s*(?:;|\band\b|\bet\b|&|\n|\t)\s*", text)
    names: list[str] = []
    for part in parts:
        bits = [b.strip() for b in part.split(",") if b.strip()]
        if ";" in text and len(bits) == 2 and len(bits[0].split()) == 1 and len(bits[1].split()) <= 2:
            names.append(f"{bits[0]}, {bits[1]}")
        else:
            names += bits
    names = [" ".join(n.split()) for n in names if n.strip()]
    ok = [n for n in names if 2 <= len(n.replace(",", " ").split()) <= 5 and not _ORG.search(n)
          and all(w[:1].isupper() or w.lower() in {"de", "da", "van", "von", "der", "del", "di", "du", "le", "la"}
                  for w in n.replace(",", " ").split()) and not any(ch.isdigit() or ch == "@" for ch in n)]
    return tuple(ok) if ok and len(ok) == len(names) else ()


def _year_ok(year: int) -> bool:
    return 1900 <= year <= date.today().year + 1


def _first_page_lines(frags) -> list[tuple[float, str]]:
    """(font size, text) per visual line of the first page, top to bottom."""
    rows: list[list] = []
    for f in sorted(frags, key=lambda f: (-f.y, f.x)):
        if rows and abs(rows[-1][0].y - f.y) <= 0.4 * max(f.size, 1.0):
            rows[-1].append(f)
        else:
            rows.append([f])
    out = []
    for row in rows:
        row = sorted(row, key=lambda f: f.x)
        text = row[0].text
        for prev, f in zip(row, row[1:]):
            # Two blocks side by side ("Razvan C. Bunescu      Raymond J. Mooney"): the gap after the
            # previous fragment's estimated end (0.5 em a character) is over 2 em.
            gap = f.x - (prev.x + 0.5 * prev.size * len(prev.text))
            text += ("\t" if gap > 2 * max(f.size, 1.0) else "") + f.text
        text = "\t".join(" ".join(part.split()) for part in text.split("\t") if part.strip())
        if text:
            out.append((max(f.size for f in row if f.text.strip()), text))
    return out


def _title_authors(frags) -> tuple[str | None, tuple[str, ...]]:
    """The largest-font lines in the top half of the first page's lines, and the names just below."""
    lines = _first_page_lines(frags)[:40]
    if not lines:
        return None, ()
    body = sorted(s for s, _ in lines)[len(lines) // 2]
    letters = [sum(map(str.isalpha, t)) for _, t in lines]
    big = max((s for (s, _), n in zip(lines, letters) if n >= 4), default=0)
    if big < 1.15 * body:
        return None, ()
    idx = [i for i, ((s, _), n) in enumerate(zip(lines, letters)) if abs(s - big) < 0.5 and n >= 2]
    start = idx[0]
    end = start
    while end + 1 < len(lines) and abs(lines[end + 1][0] - big) < 0.5 and end - start < 4:
        end += 1
    title = " ".join(t.replace("\t", " ") for _, t in lines[start:end + 1])
    title = re.sub(r"(?<=\w)[\d∗*†‡]+$", "", title).strip()
    authors: tuple[str, ...] = ()
    for k, (size, text) in enumerate(lines[end + 1:end + 4], end + 1):
        authors = split_authors(text)
        if authors:
            # Long author lists run over several lines of names only, in the same font (affiliations
            # under them are usually smaller, and named as organisations).
            for more_size, more in lines[k + 1:k + 6]:
                extra = split_authors(more) if abs(more_size - size) < 0.3 else ()
                if not extra:
                    break
                authors += extra
            break
    if len(title) < 6 or len(title.split()) > 40:
        return None, authors
    return title, authors


def _section(lines: list[str], head: re.Pattern, stop: re.Pattern, limit: int,
             one_line: bool = False) -> str | None:
    for i, line in enumerate(lines):
        m = head.match(line)
        if not m:
            continue
        out = [line[m.end():]]
        size = len(out[0])
        for nxt in lines[i + 1:]:
            if stop.match(nxt) or size > limit:
                break
            if one_line and not out[-1].rstrip().endswith((",", ";", "-", "·")):
                break  # a keyword list goes on only after a separator
            out.append(nxt)
            size += len(nxt)
        text = " ".join(" ".join(out).split())
        text = re.sub(r"(\w)- (\w)", r"\1\2", text)  # rejoin line-end hyphenation for this short text
        return text or None
    return None


def _zones(lines: list[str]) -> tuple[list[str], list[str]]:
    """(top, foot) of a first page: the lines above the abstract or first heading (at most 15), and the
    footnotes and last 6 lines, where journals print their name, volume and date."""
    top_end = next((i for i, ln in enumerate(lines[:15]) if _ABSTRACT_END.match(ln)), 15)
    foot = lines[-6:]
    if "[[footnotes]]" in lines:
        foot = lines[lines.index("[[footnotes]]") + 1:] + foot
    return lines[:top_end], foot


def _creation_year(value: str | None) -> int | None:
    """The year of a PDF date "D:20190312...", unless it is a placeholder (1 January, midnight)."""
    m = re.match(r"D:((?:19|20)\d\d)(\d{4})?(\d{6})?", value or "")
    if not m or m.group(2) == "0101" and m.group(3) in (None, "000000"):
        return None
    return int(m.group(1)) if 1993 <= int(m.group(1)) <= date.today().year else None


def publication_year(lines: list[str], title: str | None, info: dict[str, str], has_title: bool) -> int | None:
    """The year the first page says the document was published, by the most telling cue on it.

    Best first: a journal line at the top or foot ("Psychotherapy 2018; 55(4)", "Pain 160 (2019) 12-20"),
    a copyright ("© 2019 Elsevier"), "Published online: 3 May 2019", a lone year in a top or foot line
    ("Revue X, 2021", "January 3, 2024"), "Accepted 2019", the info subject, then the PDF's creation
    date when the page has a title. Cited years ("(Bordin, 1979)"), received dates, DOIs never count.
    """
    # Journal lines are matched before cited years are blanked: "Psycho-Oncologie (2019) 13:12-20"
    # has the shape of "Bordin (1979)".
    page = "\n".join(lines)
    low = page.lower()
    no_dates = [_NOT_DATES.sub(" ", ln) if _hinted(_NOT_DATES, ln.lower()) else ln for ln in lines] \
        if _hinted(_NOT_DATES, low) else list(lines)
    journal_lines = sum(_zones(no_dates), [])
    # a cited year is in brackets
    clean = [_CITED.sub(" ", ln) if "(" in ln and _YEARISH.search(ln) else ln for ln in no_dates]
    top, foot = _zones(clean)
    title_key = " ".join(re.sub(r"\W+", " ", title or "").lower().split())

    def first(pattern: re.Pattern, where: list[str]) -> int | None:
        if not _hinted(pattern, low):  # (where holds the page's lines, some parts blanked)
            return None
        for ln in where:
            for m in pattern.finditer(ln):
                year = int(next(g for g in m.groups() if g))
                if _year_ok(year):
                    return year
        return None

    def lone(ln: str) -> int | None:
        key = " ".join(re.sub(r"\W+", " ", ln).lower().split())
        if len(ln) > 100 or _OTHER_DATE.search(ln) or ln[:1].islower() or key and key in title_key \
                or ln.count("(") != ln.count(")") or _PROSE_YEAR.search(ln):
            return None
        years = {int(y) for y in re.findall(_Y, ln)}
        return years.pop() if len(years) == 1 and _year_ok(min(years)) else None

    year = first(_JOURNAL, journal_lines) or first(_COPYRIGHT, clean) or first(_PUBLISHED, clean)
    year = year or next((y for y in map(lone, top + foot) if y), None)
    year = year or first(_ACCEPTED, [ln for ln in clean if len(ln) <= 120])
    subject = {int(y) for y in re.findall(_Y, _NOT_DATES.sub(" ", info.get("subject", "")))}
    if not year and len(subject) == 1 and _year_ok(min(subject)):
        year = subject.pop()
    title_years = {int(y) for y in re.findall(_Y, title or "")}
    if not year and len(title_years) == 1 and _year_ok(min(title_years)):
        year = title_years.pop()  # "Overview of the CLEF 2008 ... Track", "Rapport annuel 2019"
    if not year and has_title:
        year = _creation_year(info.get("creationdate"))
    return year


def detect(info: dict[str, str], first_frags, first_text: str) -> Meta:
    """Meta from the info dictionary where it looks real, completed from the first page."""
    title = _real_title(info.get("title"))
    authors = split_authors(info.get("author", "")) if info.get("author") else ()
    source = "pdf-info" if title else "first-page"
    if not (title and authors):  # the first page's lines are read only for what the info lacks
        page_title, page_authors = _title_authors(first_frags)
        title = title or page_title
        authors = authors or page_authors
    lines = [ln.strip() for ln in first_text.split("\n") if ln.strip()]
    doi = None
    for blob in (first_text, info.get("subject", ""), info.get("keywords", "")):
        m = _DOI.search(blob)
        if m:
            doi = m.group().rstrip(".,;)]}")
            break
    year = publication_year(lines, title, info, has_title=bool(title))
    abstract = _section(lines, _ABSTRACT_HEAD, _ABSTRACT_END, 3000)
    kw_text = _section(lines, _KEYWORDS_HEAD, re.compile(r"^\s*$|^.*\b(?:introduction|abstract|résumé)\b",
                                                         re.I), 300, one_line=True)
    keywords: tuple[str, ...] = ()
    if kw_text:
        keywords = tuple(k.strip(" .") for k in re.split(r"[;,·•]|\s[—–-]\s", kw_text) if k.strip(" ."))[:12]
    elif info.get("keywords"):
        keywords = tuple(k.strip() for k in re.split(r"[;,]", info["keywords"]) if k.strip())[:12]
    if not (title or authors or year or doi or abstract or keywords):
        return Meta()
    return Meta(title=title, authors=authors, year=year, doi=doi, abstract=abstract, keywords=keywords,
                source=source)
