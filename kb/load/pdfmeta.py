"""Bibliographic facts of a PDF: its info dictionary when it looks real, else its first page.

Info titles are often junk ("Microsoft Word - x.doc", "untitled", a file name) and info authors a login
("ibm", "Proprietario"): those are ignored. The first page gives the title (largest font lines near the
top), the authors (the line under it), DOI, year, abstract and keywords, in French or English.
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
_ORG = re.compile(r"\b(?:association|society|university|université|inc|ltd|corp\w*|gmbh|press|journal"
                  r"|admin\w*|user|utilisateur|owner|proprietario|editor)\b", re.I)
# "10.1037/0033-3204.16.3.252", "doi:10.1016/j.pain.2019.01.002"
_DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+")
# Year mentions that date a publication on a first page: "© 2019", "(2019)", "Published ... 2019".
_YEAR_CUES = re.compile(r"(?:©|\(c\)|copyright|published|publié|accepted|accepté|received|reçu|vol\.?"
                        r"|volume|\b\d{1,3}\s*\(\d{1,2}\)|\bpp?\.)[^\n]{0,40}?\b((?:19|20)\d\d)\b", re.I)
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
    text = re.sub(r"[\d∗*†‡§¶$]+|\([^)]*\)", " ", text)
    parts = re.split(r"\s*(?:;|\band\b|\bet\b|&|\n)\s*", text)
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
        text = " ".join("".join(f.text for f in sorted(row, key=lambda f: f.x)).split())
        if text:
            out.append((max(f.size for f in row if f.text.strip()), text))
    return out


def _title_authors(frags) -> tuple[str | None, tuple[str, ...]]:
    """The largest-font lines in the top half of the first page's lines, and the names just below."""
    lines = _first_page_lines(frags)[:40]
    if not lines:
        return None, ()
    body = sorted(s for s, _ in lines)[len(lines) // 2]
    big = max(s for s, t in lines if sum(c.isalpha() for c in t) >= 4) if any(
        sum(c.isalpha() for c in t) >= 4 for _, t in lines) else 0
    if big < 1.15 * body:
        return None, ()
    idx = [i for i, (s, t) in enumerate(lines) if abs(s - big) < 0.5 and sum(c.isalpha() for c in t) >= 2]
    start = idx[0]
    end = start
    while end + 1 < len(lines) and abs(lines[end + 1][0] - big) < 0.5 and end - start < 4:
        end += 1
    title = " ".join(t for _, t in lines[start:end + 1])
    title = re.sub(r"(?<=\w)[\d∗*†‡]+$", "", title).strip()
    authors: tuple[str, ...] = ()
    for _, text in lines[end + 1:end + 4]:
        authors = split_authors(text)
        if authors:
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
        for nxt in lines[i + 1:]:
            if stop.match(nxt) or sum(len(x) for x in out) > limit:
                break
            if one_line and not out[-1].rstrip().endswith((",", ";", "-", "·")):
                break  # a keyword list goes on only after a separator
            out.append(nxt)
        text = " ".join(" ".join(out).split())
        text = re.sub(r"(\w)- (\w)", r"\1\2", text)  # rejoin line-end hyphenation for this short text
        return text or None
    return None


def detect(info: dict[str, str], first_frags, first_text: str) -> Meta:
    """Meta from the info dictionary where it looks real, completed from the first page."""
    title = _real_title(info.get("title"))
    authors = split_authors(info.get("author", "")) if info.get("author") else ()
    source = "pdf-info" if title else "first-page"
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
    year = None
    for m in _YEAR_CUES.finditer(first_text):
        if _year_ok(int(m.group(1))):
            year = int(m.group(1))
            break
    if year is None:
        # A journal line at the top or foot of the page: "Revue d'essai, 2021", "Pain 160 (2019) 12-20".
        for line in lines[:8] + lines[-5:]:
            years = re.findall(r"\b(?:19|20)\d\d\b", line)
            if len(years) == 1 and len(line) <= 100 and line != title and _year_ok(int(years[0])) \
                    and not re.search(r"\b(?:19|20)\d\d\s*[-–]\s*\d", line):
                year = int(years[0])
                break
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
