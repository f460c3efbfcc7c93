"""Loads saved HTML article pages: the main text without site furniture, the title, and citation meta tags.

Parsing uses BeautifulSoup over the standard library's html.parser, which never fetches anything and
never expands entities declared in a DOCTYPE (no XXE, no "billion laughs").
"""

from __future__ import annotations

import copy
import re
import warnings as _warnings
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.dammit import EncodingDetector

from kb.config import Limits
from kb.errors import LoadError
from kb.load import readable
from kb.load.furniture import (DROP_TAGS, ENTRY_CLASS, ENTRY_YEAR, HEADINGS, entry_link_labels, headed_furniture,
                               is_furniture, labelled_details, link_heavy, reference_like, section_of, title_heading)
from kb.load.text import clean_lines, decode
from kb.models import Meta, Page, RawDocument

_BLOCKS = ("p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
           "blockquote", "pre", "table", "tr", "td", "th", "dd", "dt", "dl", "figcaption", "figure",
           "header", "address", "caption", "hr")
_BREAK = "\u2029"  # paragraph separator: survives whitespace collapsing, becomes a blank line


def _meta_values(soup: BeautifulSoup, *names: str) -> list[str]:
    wanted = {n.lower() for n in names}
    out = []
    for tag in soup.find_all("meta"):
        # one tag may carry both: <meta name="twitter:title" property="og:title" content="...">
        keys = {(tag.get(a) or "").strip().lower() for a in ("name", "property")}
        value = (tag.get("content") or "").strip()
        if keys & wanted and value:
            out.append(value)
    return out


def _year(values: list[str]) -> int | None:
    for v in values:
        m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", v)
        if m:
            return int(m.group(1))
    return None


def _doi(values: list[str]) -> str | None:
    for v in values:
        m = re.search(r"10\.\d{4,9}/\S+", v)
        if m:
            return m.group().rstrip(".,;").lower()
    return None


def _author(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    return name


# The site's name a page's <title> adds to the article's: "Title - PMC", "Title | Psychology Today",
# "Title – Wikipedia"
_SITE_SUFFIX = re.compile(r"^(?P<title>.{12,}?)\s+[-|–—·]\s+(?P<site>[A-Z0-9][^-|–—·:]{1,39})$")


def _without_site(title: str, heading: str) -> str:
    """The article's title from a page's <title>: its <h1> when the <title> holds it, else without a short
    site name after a separator."""
    h, t = " ".join(heading.split()).casefold(), " ".join(title.split()).casefold()
    # "Title - Site" or "Site | Title" (a short site name); not a site's name in its logo's <h1>
    site_first = t.endswith(h) and len(t) - len(h) < len(h) and len(t[:-len(h)].split()) <= 4
    if len(h) >= 12 and (t.startswith(h) or site_first):
        return heading
    for _ in range(2):  # "Title | Forum Psychologie - EspaceSanté": a section, then the site
        m = _SITE_SUFFIX.match(title)
        if not (m and len(m.group("site").split()) <= 3):
            break
        title = m.group("title")
    return title


def read_meta(soup: BeautifulSoup) -> Meta:
    """Highwire citation_* tags first (what journal sites publish), then Dublin Core, then <title>."""
    title = _meta_values(soup, "citation_title") or _meta_values(soup, "dc.title", "dcterms.title")
    h1 = title_heading(soup)
    heading = h1.get_text(" ", strip=True) if h1 else ""
    # og:title is the share card's title: often shortened ("... au CETD") or with the site's name, as <title>
    # is; the <h1> either of them holds is the article's own title
    shown = _meta_values(soup, "og:title")[:1] + ([soup.title.string.strip()] if soup.title and soup.title.string
                                                  else [])
    if not title and shown:
        choices = [_without_site(t, heading) for t in shown]
        # ... or a title that holds it between a category and the site ("psychotherapy - <h1> - Site")
        title = [heading if h1 is not None and (heading in choices or len(heading.split()) >= 4
                                                and any(heading in t for t in shown)) else choices[0]]
    if not title and heading:
        title = [heading]
    authors = _meta_values(soup, "citation_author") or _meta_values(soup, "dc.creator", "dcterms.creator")
    if not authors:
        authors = _meta_values(soup, "author")
    year = _year(_meta_values(soup, "citation_publication_date", "citation_date", "citation_online_date",
                              "citation_year", "dc.date", "dcterms.date", "dcterms.issued",
                              "article:published_time"))
    doi = _doi(_meta_values(soup, "citation_doi", "dc.identifier", "dcterms.identifier", "prism.doi"))
    abstract = _meta_values(soup, "citation_abstract", "dc.description", "description")
    keywords = _meta_values(soup, "citation_keywords", "keywords")
    container = _meta_values(soup, "citation_journal_title", "prism.publicationname", "dc.source")
    return Meta(
        title=re.sub(r"\s+", " ", title[0]).strip() if title else None,
        authors=tuple(dict.fromkeys(_author(a) for a in authors)),
        year=year, doi=doi, abstract=abstract[0] if abstract else None,
        keywords=tuple(k.strip() for kw in keywords for k in re.split(r"[;,]", kw) if k.strip()),
        container=container[0] if container else None, source="html-meta")


# A bibliography's heading: "References", "Bibliographie", "Références bibliographiques", "Works cited"
_BIB_HEADING = re.compile(r"(?:\d{1,2}\.?\s+)?(?:notes\s+(?:et|and|&)\s+)?(?:r[ée]f[ée]rences?(?:\s+bibliographiques)?|"
                          r"bibliograph(?:ie|y)|works\s+cited|literature\s+cited)", re.I)


def _bibliography(root) -> tuple[list, list[str]] | None:
    """The page's one section under a reference heading, and its entries (items of 50 characters or more
    naming a year, spaces collapsed); None without a single such heading."""
    heads = [h for h in root.find_all(HEADINGS) if _BIB_HEADING.fullmatch(h.get_text(" ", strip=True).rstrip(" :"))]
    if len(heads) != 1:
        return None
    section = section_of(heads[0], root)
    items = [i for el in section for i in (el.find_all(["li", "p"]) or [el])]
    return section, [t for i in items if len(t := " ".join(i.get_text(" ").split())) >= 50 and ENTRY_YEAR.search(t)]


def _main_block(soup):
    """The largest <article>, <main> or role=main element, or None."""
    candidates = soup.find_all(["article", "main"]) + soup.find_all(attrs={"role": "main"})
    return max(candidates, key=lambda t: len(t.get_text(" ", strip=True)), default=None)


def _restore_bibliography(page, found) -> None:
    """Puts back, at the end, the page's bibliography when Readability left it out (a journal page's list, its
    entries dense with links, in a block of its own): the section under the reference heading, when it holds
    entries naming years and Readability kept none of them."""
    bib = _bibliography(page.body or page)
    if bib is None:
        return
    section, entries = bib
    kept = " ".join(found.get_text(" ").split())
    if len(entries) < 2 or any(t in kept for t in entries):
        return
    into = _main_block(found) or found.find("div") or found  # the text is read from the article's own element
    for el in section:
        into.append(copy.copy(el))


def _bibliography_last(root) -> None:
    """A bibliography followed by other sections (OpenEdition prints its notes, the authors and the licence
    after it) goes to the end of the text: everything after a reference heading is read as the list."""
    bib = _bibliography(root)
    if bib is None or len(bib[1]) < 2:
        return  # a heading apart from its list: moving it alone would leave the entries in the body
    section = bib[0]
    after = section[-1].find_all_next(string=True)
    inside = {id(t) for t in root.find_all(string=True)}
    if any(t.strip() for t in after if id(t) in inside):
        for el in section:
            root.append(el.extract())


_BIB_CLASS = re.compile(r"(?:^|\s)csl-bib-body(?:\s|$)")
# The short line a bibliography's own heading would be: "References", "Bibliographie", "Works cited"
_REF_HEADING_WORDS = re.compile(r"r[ée]f[ée]rences|bibliograph|works\s+cited|literature\s+cited|sources", re.I)


def _headed_bibliographies(root) -> None:
    """A citeproc bibliography (Zotero, WordPress plugins) printed without a heading gets one, so the
    reference list is found like any other: "References" goes before a csl-bib-body of two entries or more
    whose preceding text is not already such a heading."""
    for bib in root.find_all(class_=_BIB_CLASS):
        if len(bib.find_all(class_=ENTRY_CLASS)) < 2:
            continue
        before = next((t.strip() for t in bib.find_all_previous(string=True) if t.strip()), "")
        if not (len(before) < 60 and _REF_HEADING_WORDS.search(before)):
            bib.insert_before(f"{_BREAK}{_BREAK}References{_BREAK}{_BREAK}")


def _one_line_entries(root) -> None:
    """Blocks nested in a list item or a csl-entry run inline: "1." and the entry stay one line."""
    for entry in root.find_all(["li"]) + root.find_all(class_=ENTRY_CLASS):
        for inner in entry.find_all(["p", "div", "span", "section", "blockquote"]):
            if not inner.find(["ul", "ol", "li", "table"]):
                inner.insert_after(" ")
                inner.unwrap()


def _number_ordered(root) -> None:
    """Items of an <ol> get their printed number ("3. "), the others a bullet ("- "), as a browser shows them."""
    for li in root.find_all("li"):
        parent = li.find_parent(["ol", "ul"])
        if parent is not None and parent.name == "ol":
            try:
                start = int(parent.get("start", 1))
            except ValueError:
                start = 1
            n = start + sum(1 for sib in li.find_previous_siblings("li"))
            li.insert(0, f"{n}. ")
        else:
            li.insert(0, "- ")


# A superscript that is a numbered citation: "al.<sup>4</sup>", "<sup>[2,5-7]</sup>", "<sup>(3)</sup>"
_SUP_NUMBERS = re.compile(r"[\[(]?\s*(\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\s*[\])]?")
# A superscript that calls a footnote, not a reference: <sup><a href="#fn1">1</a></sup> (WordPress, Pandoc...)
_FOOTNOTE = re.compile(r"#(?:fn|footnote|note|ftn|_ftn|endnote)|\b(?:fnref|footnote-ref|noteref)", re.I)
# What an exponent follows: a digit ("10<sup>3</sup>") or a unit ("kg/m<sup>2</sup>", "cm<sup>3</sup>")
_EXPONENT_BASE = re.compile(r"(?:\d|\b(?:[kcmµμnd]?m|s|ft|[a-zµμ]+/[a-zµμ]+)|[×^])\s*$")


def _calls_footnote(sup) -> bool:
    """Whether the superscript or a link in it points at a footnote ("#fn4", id="fnref4")."""
    return any(_FOOTNOTE.search(f"{tag.get('href', '')} {tag.get('id', '')}") for tag in [sup, *sup.find_all("a")])


def _superscript_citations(root) -> None:
    """Numbered citations a page prints as superscripts ("Ferreira et al.<sup>4</sup>") become "[4]", as
    PDFs and text print them, so kb.cite reads them; exponents ("kg/m<sup>2</sup>", "10<sup>3</sup>") stay."""
    for sup in root.find_all("sup"):
        m = _SUP_NUMBERS.fullmatch(sup.get_text(strip=True))
        before = sup.previous_sibling
        prev = before if isinstance(before, str) else (before.get_text() if before is not None else "")
        if not m or not prev.strip() or _EXPONENT_BASE.search(prev) or _calls_footnote(sup):
            continue
        sup.replace_with((" " if prev[-1:].isalnum() else "") + f"[{m.group(1)}]")


def main_text(soup: BeautifulSoup, page: str | None = None) -> str:
    """The article's text with blank lines between blocks; furniture removed."""
    if entry_link_labels(soup) and page is not None:
        page = str(soup)  # Readability drops a short entry whose label links outweigh its text
    if page is not None and (found := readable.article(page)) is not None:
        readable.restore_lead(soup, found)
        _restore_bibliography(soup, found)
        soup = found
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Doctype))):
        node.extract()
    for button in soup.select(":is(h1, h2, h3, h4, h5, h6, dt, summary) button"):
        button.unwrap()  # an accordion's heading is its toggle button: the text is the section's title
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    root = _main_block(soup)
    if root is None or len(root.get_text(" ", strip=True)) < 200:
        root = soup.body or soup
    whole = len(root.get_text(" ", strip=True))
    for tag in root.find_all(True):
        if tag.decomposed:
            continue
        if tag.name in ("div", "section") and len(tag.get_text(" ", strip=True)) * 2 > whole:
            continue  # Blogger's "widget Blog" holds the post: a block with most of the text is no furniture
        if tag.name not in ("body", "html") and (is_furniture(tag) or (
                tag.name in ("ul", "ol", "div", "p", "table") and link_heavy(tag) and not reference_like(tag))):
            tag.decompose()
    headed_furniture(root, whole)
    labelled_details(root)
    _bibliography_last(root)
    _superscript_citations(root)
    _headed_bibliographies(root)
    _one_line_entries(root)
    _number_ordered(root)
    for br in root.find_all("br"):
        br.replace_with(_BREAK)
    for tag in root.find_all(_BLOCKS):
        tag.insert_before(_BREAK + _BREAK)
        tag.insert_after(_BREAK + _BREAK)
    text = root.get_text()
    text = re.sub(r"[ \t\r\n\f\v]+", " ", text)
    text = re.sub(rf" *{_BREAK} *", _BREAK, text)
    text = re.sub(rf"{_BREAK}{{3,}}", _BREAK * 2, text)
    return text.replace(_BREAK, "\n").strip()


# Pages that declare Latin-1 (or ASCII) are Windows-1252, as browsers read them: "’" and "œ" live there
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252"}


def _decode_page(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """The page's text: in the charset its <meta> declares when the bytes are valid in it, else UTF-8, else
    Windows-1252. Decided here rather than by BeautifulSoup's guess, which depends on what else is installed
    (charset-normalizer read a French Windows-1252 page as Central European) and so is neither right nor
    reproducible."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = EncodingDetector.find_declared_encoding(data, is_html=True)
        if declared:
            charset = "cp1252" if declared.lower() in _AS_CP1252 else declared
            try:
                return data.decode(charset), ()
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong or unknown declaration: read the bytes as they are
    return decode(data, path)


def load(path: Path, limits: Limits) -> RawDocument:
    """Reads an .html/.htm file as one page (number None): main text, title and citation metadata."""
    data = path.read_bytes()
    if not data.strip():
        raise LoadError(path, "empty file (no text)")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(path, "binary content (NUL bytes): not an HTML file")
    text, notes = _decode_page(data, path)
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        _warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        try:
            soup = BeautifulSoup(text, "html.parser")
        except Exception as exc:  # html.parser is lenient; anything raised here is a broken file
            raise LoadError(path, f"unreadable HTML ({type(exc).__name__})") from None
    meta = read_meta(soup)
    text = main_text(soup, text)
    lines = clean_lines(text.split("\n"), markdown=False)
    body = "\n".join(lines).strip()
    if not body:
        raise LoadError(path, "no text in the HTML page")
    return RawDocument(path=str(path), format="html", pages=(Page(None, body),), meta=meta, warnings=notes)
