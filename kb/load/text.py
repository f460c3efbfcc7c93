"""Loads plain text and Markdown files, including web pages saved as text, dropping page chrome.

Saved pages carry site furniture ("top of page", "Commentaires", share buttons) and image captions
that the site repeats verbatim; neither is the author's text.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from kb.analysis import fold
from kb.config import Limits
from kb.errors import LoadError
from kb.models import Meta, Page, RawDocument

# Whole lines that are website furniture, compared case-insensitively after stripping punctuation.
CHROME_LINES = frozenset("""
top of page|bottom of page|back to top|skip to content|skip to main content|retour en haut|haut de page
commentaires|commentaire|comments|comment|leave a comment|laisser un commentaire|ecrire un commentaire
écrire un commentaire|share|partager|partagez|tweet|like|j'aime|menu|search|rechercher|log in|login
se connecter|connexion|sign up|subscribe|s'abonner|abonnez-vous|newsletter|cookies|accept|accepter
read more|lire la suite|en savoir plus|previous|next|précédent|suivant|article précédent|article suivant
related posts|articles similaires|posts récents|recent posts|tags|catégories|categories|home|accueil
facebook|twitter|linkedin|instagram|pinterest|whatsapp|email|imprimer|print|ree|all posts|tous les articles
""".strip().replace("\n", "|").split("|"))

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")  # ![alt](src)
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")  # [text](url) -> text
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")  # "## Heading"
# **bold**, *it*, _it_: an opening mark before a word, a closing one after it ("*Psychotherapy, 55*(4)");
# not "snake_case" or a "* item" bullet
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)\*(?!\s)|(?<=\S)\*(?!\w)|(?<!\w)_(?!\s)|(?<=[^\s_])_(?![^\W_]))")
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣∙*+-])\s+")  # "  • item", "- item"


def decode(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or plausible Windows-1252 French/English text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ()
        except UnicodeDecodeError:
            raise LoadError(path, "not valid UTF-16 text") from None
    if b"\x00" in data:
        raise LoadError(path, "binary content (NUL bytes): not a text file")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = data.decode("cp1252", errors="replace")
    odd = sum(1 for c in text if c == "\ufffd" or (ord(c) < 32 and c not in "\t\n\r\f")
              or (ord(c) > 127 and not c.isalpha() and c not in "«»‘’“”–—…°€·•œŒ\u00a0"))
    if odd > max(2, len(text) // 500):
        raise LoadError(path, f"not UTF-8 text (invalid byte at offset {utf8_error.start}) and not "
                              "readable as Windows-1252 either; save it as UTF-8")
    return text, ("not UTF-8: read as Windows-1252",)


def _is_chrome(line: str) -> bool:
    key = re.sub(r"[\W_]+$|^[\W_]+", "", line.strip().lower())
    return key in CHROME_LINES


def clean_lines(lines: list[str], markdown: bool) -> list[str]:
    """Drops chrome lines and verbatim-repeated captions; strips Markdown syntax to plain text."""
    stripped = [line.strip() for line in lines]
    # A short line repeated verbatim is an image caption or a banner, not the author's prose.
    counts = Counter(s for s in stripped if s and len(s.split()) <= 15 and not s.endswith((".", ":", "?", "!")))
    out: list[str] = []
    for raw, s in zip(lines, stripped):
        if s and (_is_chrome(s) or counts.get(s, 0) >= 2):
            continue
        line = raw.rstrip()
        if markdown:
            line = _MD_IMAGE.sub("", line)
            line = _MD_LINK.sub(r"\1", line)
            line = _MD_HEADING.sub("", line)
            line = _MD_EMPHASIS.sub("", line)
        line = _BULLET.sub("- ", line)
        out.append(line)
    return out


# Separators between a page title and its site name: "Title | Site", "Site – Title", "Title :: Site".
_SITE_SEP = re.compile(r"\s+(?:\||·|•|»|::|-|–|—)\s+")
# A byline or dateline under a headline: "Publié par J. Mercier · 12 janvier 2022", "By Jane Doe",
# "Posted on March 3, 2021", "5 min read", "2022-01-12".
_MONTHS = (r"(?:janv|févr|fevr|mars|avr|mai|juin|juil|août|aout|sept?|oct|nov|déc|dec|jan|feb|mar|apr|may"
           r"|jun|jul|aug|sep)[a-zéû]*\.?")
_DATED = re.compile(r"(?i)^(?:publié|publie|posté|poste|posted|published|written|écrit|rédigé|mis à jour"
                     r"|updated)\b|\b\d{1,2}(?:er)?\s+" + _MONTHS + r"\s+\d{4}\b|\b" + _MONTHS
                     + r"\s+\d{1,2},?\s+\d{4}\b|\b\d{4}-\d\d-\d\d\b|\bmin(?:utes?)?\s+(?:de\s+lecture|read)\b")
# "Publié par Julie Mercier, psychologue" / "By Jane Doe": the name after the verb.
_BY_NAME = re.compile(r"(?i)^(?:(?:publié|publie|posté|poste|posted|published|written|écrit|rédigé)\s+)?"
                      r"(?:par|by)\s+([^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){1,3})")
# Years a line cites rather than is dated by: "Bordin (1979)", "(Bordin, 1979)", "(Hall et al., 2010; ...)".
_CITED_YEAR = re.compile(r"\([^()]*[A-Z][^()]*\b(?:19|20)\d\d[a-z]?\b[^()]*\)|[A-Z][\w'’-]+(?:\s+et\s+al\.?)?"
                         r"\s*\((?:19|20)\d\d[a-z]?\)")
# A year closing a short line, after a comma, bracket, dash or month: "An essay ..., 2020.",
# "... relational skills (2022).", "..., March 2023." (not "proposed in 1979.", which is prose).
_DATELINE_YEAR = re.compile(r"(?:[,(·—–|]\s*|\b" + _MONTHS + r"\s+(?:\d{1,2},?\s+)?)((?:19|20)\d\d)\W*$", re.I)
_YEAR = re.compile(r"(?<![\d/.-])(?:19|20)\d\d(?![\d/-])")


def _is_byline(s: str) -> bool:
    """"Publié le 3 mars 2021", "By Jane Doe", "5 min read"; not "Par-delà le cadre" nor "By design"."""
    m = _BY_NAME.match(s)
    return bool(_DATED.search(s) or m and all(w[:1].isupper() for w in m.group(1).split()))


def _words(s: str) -> int:
    return len(re.findall(r"\w+", s))


def _is_prose(s: str) -> bool:
    """A paragraph of running text, not a heading, menu item or byline."""
    n = _words(s)
    return n >= 20 or (n >= 12 and s.rstrip().endswith((".", "!", "?", "…", ":")))


def _key(s: str) -> str:
    """Comparable form of a line: folded, punctuation as single spaces ("L’Alliance !" -> "l alliance")."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(s)).split())


def _heading_like(lines: list[str], i: int) -> bool:
    s = lines[i].strip()
    first = next((c for c in s if c.isalnum()), "")
    if not 4 <= _words(s) <= 25 or s.endswith((".", ",", ";")) or not first.isupper():
        return False
    if re.match(r"(?i)(résumé|abstract|summary)\b", s) or s.startswith("[") or _is_byline(s):
        return False
    following = next((x.strip() for x in lines[i + 1:] if x.strip()), "")
    # The line wraps into a sentence: prose, not a title.
    return not (i + 1 < len(lines) and lines[i + 1].strip() and following[:1].islower())


def _before_menu(lines: list[str], i: int) -> bool:
    """A site name sits above a menu: four or more short lines ("Le cabinet", "Tarifs", "Blog", "Contact").
    An author block ("Anne Morel", "Université Lyon 2", "Lyon, France") is shorter or has digits and commas."""
    run = 0
    for x in lines[i + 1:i + 16]:
        s = x.strip()
        if not s:
            continue
        if _words(s) > 3 or s.endswith((".", ":", "?", "!")) or re.search(r"[\d,@]", s):
            break
        run += 1
    return run >= 4


def _site_parts(raw: list[str]) -> tuple[dict[str, str], set[str]]:
    """({page title: as printed}, site names) from "Title | Site" lines that are confirmed: the whole line
    recurs ("Alliance Thérapeutique - E. Spertino thérapeute" under each photo) or a part stands alone
    elsewhere. The part seen more often is the site; on a tie the second ("Title – Site" is the custom)."""
    lines = [x.strip() for x in raw if x.strip()]
    whole = Counter(_key(x) for x in lines)
    split = [(x, _SITE_SEP.split(x, maxsplit=1)) for x in dict.fromkeys(lines) if _SITE_SEP.search(x)]
    parts = Counter(_key(p) for x, pair in split for p in pair for _ in range(whole[_key(x)]))
    titles: dict[str, str] = {}
    sites: set[str] = set()
    for x, (a, b) in split:
        ka, kb = _key(a), _key(b)
        if not (ka and kb) or whole[_key(x)] < 2 and not (whole[ka] or whole[kb]):
            continue  # a dash inside a title: "Alliance thérapeutique - une revue"
        na, nb = parts[ka] + whole[ka], parts[kb] + whole[kb]
        site, title = (ka, b) if na > nb else (kb, a)
        sites.add(site)
        titles.setdefault(_key(title), title)
    return {k: v for k, v in titles.items() if k not in sites}, sites


def guess_title(lines: list[str], raw: list[str] | None = None) -> str | None:
    """The page's headline among the lines before its first paragraph of prose.

    A saved web page opens with the site's name, a menu and buttons before the headline. A heading-like
    line (4-25 words, capitalised, no final period) is skipped when a menu follows it or when it is the
    site part of a "Title | Site" line; a line followed by a byline ("Publié par ...", a date) wins.
    """
    head = lines[:60]
    end = next((i for i, x in enumerate(head) if _is_prose(x.strip())), len(head))
    titles, sites = _site_parts(raw if raw is not None else lines)
    found: list[str] = []
    for i in range(end):
        if not _heading_like(head, i):
            continue
        s = head[i].strip()
        parts = _SITE_SEP.split(s, maxsplit=1)
        if len(parts) == 2 and {_key(parts[0]), _key(parts[1])} <= sites | set(titles):
            s = parts[0] if _key(parts[0]) in titles else parts[1]  # "Title | Site" line: the title part
        if _key(s) in sites or _before_menu(head, i):
            continue
        nxt = next((x.strip() for x in head[i + 1:end + 1] if x.strip()), "")
        if _is_byline(nxt) and not _is_prose(nxt):
            return s
        found.append(s)
    if found:
        return found[0]
    # Only a "Title | Site" line (dropped from the text as a repeated banner) names the page.
    if titles:
        return next(iter(titles.values()))
    return _short_first_line(lines, raw if raw is not None else lines)


def _short_first_line(lines: list[str], raw: list[str]) -> str | None:
    """A note's own short title ("Empathie", "Le lien affectif"): the file's first line, set apart by a blank
    line before its prose. Never a line under page chrome ("top of page" + "Fleurs en papier" is a site)."""
    at = next((i for i, x in enumerate(raw) if x.strip()), None)
    if at is None or not lines or lines[0].strip() != (first := raw[at].strip()):
        return None
    if at + 1 < len(raw) and raw[at + 1].strip():
        return None  # it runs on into the next line
    alnum = next((c for c in first if c.isalnum()), "")
    if _words(first) <= 3 and alnum.isupper() and not first.endswith((".", ",", ";", ":")) \
            and not _is_byline(first) and not re.search(r"\d", first):
        return first
    return None


def byline(lines: list[str], title: str | None) -> tuple[int | None, tuple[str, ...]]:
    """(year, authors) from the lines right under the title, before the prose: "Publié par Julie
    Mercier · 12 janvier 2022", "An essay for the kb demo corpus, 2020.", "*Workshop handout (2022).*"."""
    if not title:
        return None, ()
    key = _key(title)
    at = next((i for i, x in enumerate(lines[:60]) if x.strip() and key in _key(x)), None)
    if at is None:
        return None, ()
    year, authors = None, ()
    for x in [x.strip() for x in lines[at + 1:at + 12] if x.strip()][:3]:
        dated = _is_byline(x) and not _is_prose(x)
        if _words(x) > 40 or not dated and _words(x) >= 20:
            break
        if year is None:
            m = _DATELINE_YEAR.search(_CITED_YEAR.sub(" ", x)) if not dated else None
            found = {int(y) for y in _YEAR.findall(_CITED_YEAR.sub(" ", x))} if dated else \
                ({int(m.group(1))} if m else set())
            found = {y for y in found if 1900 <= y <= date.today().year + 1}
            year = found.pop() if len(found) == 1 else None
        m = _BY_NAME.match(x)
        if not authors and m and all(w[:1].isupper() for w in m.group(1).split()):
            authors = (m.group(1).rstrip(".,"),)
    return year, authors


def load(path: Path, limits: Limits) -> RawDocument:
    """Reads a .txt or .md file as one page (number None), chrome dropped, Markdown flattened."""
    data = path.read_bytes()
    text, warnings = decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError(path, "empty file (no text)")
    markdown = path.suffix.lower() in (".md", ".markdown")
    lines = clean_lines(text.split("\n"), markdown)
    title = None
    if markdown:
        title = next((_MD_HEADING.sub("", x).strip() for x in text.split("\n") if _MD_HEADING.match(x)), None)
    title = title or guess_title(lines, text.split("\n"))
    year, authors = byline(lines, title)
    return RawDocument(path=str(path), format="text", pages=(Page(None, "\n".join(lines)),),
                       meta=Meta(title=title, authors=authors, year=year, source="text" if title else None),
                       warnings=warnings)
