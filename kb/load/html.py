"""Loads saved HTML article pages: the main text without site furniture, the title, and citation meta tags.

Parsing uses BeautifulSoup over the standard library's html.parser, which never fetches anything and
never expands entities declared in a DOCTYPE (no XXE, no "billion laughs").
"""

from __future__ import annotations

import re
import warnings as _warnings
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.dammit import EncodingDetector

from kb.config import Limits
from kb.errors import LoadError
from kb.load.text import clean_lines, decode
from kb.models import Meta, Page, RawDocument

# Never text: dropped with everything inside.
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
              "form", "button", "select", "input", "nav", "aside", "footer", "dialog", "menu", "head")
# class/id words that mark furniture: "main-nav", "cookie_banner", "share-buttons", "site-footer"...
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(nav|navbar|menu|menubar|breadcrumbs?|footer|sidebar|cookies?|consent|banner|share|sharing|"
    r"social|comments?|related|recommended|advert|ads|advertisement|promo|subscribe|newsletter|popup|modal|"
    r"skip|toolbar|masthead|pagination|widget|signup|login|paywall|ad|dfp|sponsored|signature|copyright|"
    r"licen[cs]e|author-bio|about-author|byline)(?:$|[-_\s])", re.I)
_BLOCKS = ("p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
           "blockquote", "pre", "table", "tr", "td", "th", "dd", "dt", "dl", "figcaption", "figure",
           "header", "address", "caption", "hr")
_BREAK = "\u2029"  # paragraph separator: survives whitespace collapsing, becomes a blank line


def _meta_values(soup: BeautifulSoup, *names: str) -> list[str]:
    wanted = {n.lower() for n in names}
    out = []
    for tag in soup.find_all("meta"):
        key = (tag.get("name") or tag.get("property") or "").strip().lower()
        value = (tag.get("content") or "").strip()
        if key in wanted and value:
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
    title = (_meta_values(soup, "citation_title") or _meta_values(soup, "dc.title", "dcterms.title")
             or _meta_values(soup, "og:title"))
    h1 = soup.find("h1")
    heading = h1.get_text(" ", strip=True) if h1 else ""
    if not title and soup.title and soup.title.string:
        title = [_without_site(soup.title.string.strip(), heading)]
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


def _is_furniture(tag) -> bool:
    if tag.get("role") in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return True
    if tag.get("aria-hidden") == "true" or tag.has_attr("hidden"):
        return True
    names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(_FURNITURE.search(names))


def _link_heavy(tag) -> bool:
    """A block whose text is mostly links (an unmarked menu or tag cloud)."""
    text = tag.get_text(" ", strip=True)
    links = tag.find_all("a")
    if len(links) < 3 or not text:
        return False
    linked = sum(len(a.get_text(" ", strip=True)) for a in links)
    return linked / len(text) > 0.7 and len(text) < 2000


# "10.1037/pst0000172" aside, an entry of a reference list names a year: "(2018).", ", 2018,", "2018;55:316"
_ENTRY_YEAR = re.compile(r"(?<![\d/.])(?:1[6-9]\d\d|20[0-4]\d)[a-z]?(?![\d/])")
# Zotero/citeproc markup: <div class="csl-entry"><div class="csl-left-margin">[1]</div>
# <div class="csl-right-inline">Bordin ES...</div></div>
_ENTRY_CLASS = re.compile(r"(?:^|\s)csl-entry(?:\s|$)")


def _reference_like(tag) -> bool:
    """A list or block of bibliography entries (long items naming a year), which links never make furniture."""
    items = tag.find_all(["li", "p"]) or tag.find_all(class_=_ENTRY_CLASS)
    texts = [i.get_text(" ", strip=True) for i in items]
    good = [t for t in texts if len(t) >= 50 and _ENTRY_YEAR.search(t)]
    return len(items) >= 2 and len(good) * 3 >= len(items) * 2


_BIB_CLASS = re.compile(r"(?:^|\s)csl-bib-body(?:\s|$)")
# The short line a bibliography's own heading would be: "References", "Bibliographie", "Works cited"
_REF_HEADING_WORDS = re.compile(r"r[ée]f[ée]rences|bibliograph|works\s+cited|literature\s+cited|sources", re.I)


def _headed_bibliographies(root) -> None:
    """A citeproc bibliography (Zotero, WordPress plugins) printed without a heading gets one, so the
    reference list is found like any other: "References" goes before a csl-bib-body of two entries or more
    whose preceding text is not already such a heading."""
    for bib in root.find_all(class_=_BIB_CLASS):
        if len(bib.find_all(class_=_ENTRY_CLASS)) < 2:
            continue
        before = next((t.strip() for t in bib.find_all_previous(string=True) if t.strip()), "")
        if not (len(before) < 60 and _REF_HEADING_WORDS.search(before)):
            bib.insert_before(f"{_BREAK}{_BREAK}References{_BREAK}{_BREAK}")


def _one_line_entries(root) -> None:
    """Blocks nested in a list item or a csl-entry run inline: "1." and the entry stay one line."""
    for entry in root.find_all(["li"]) + root.find_all(class_=_ENTRY_CLASS):
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


def _readable(page: str) -> BeautifulSoup | None:
    """The page's main content as Mozilla's Readability finds it (readability-lxml): the block whose
    paragraphs score best on text length, commas and link density, with its siblings of the same article;
    None when it finds too little text to trust."""
    try:
        from readability import Document

        summary = Document(page).summary(html_partial=True)
    except Exception:  # readability gives up on pages with no body or no paragraph; ours then chooses
        return None
    soup = BeautifulSoup(summary, "html.parser")
    return soup if len(soup.get_text(" ", strip=True)) >= 200 else None


def main_text(soup: BeautifulSoup, page: str | None = None) -> str:
    """The article's text with blank lines between blocks; furniture removed."""
    if page is not None and (readable := _readable(page)) is not None:
        soup = readable
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Doctype))):
        node.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    candidates = soup.find_all(["article", "main"]) + soup.find_all(attrs={"role": "main"})
    root = max(candidates, key=lambda t: len(t.get_text(" ", strip=True)), default=None)
    if root is None or len(root.get_text(" ", strip=True)) < 200:
        root = soup.body or soup
    whole = len(root.get_text(" ", strip=True))
    for tag in root.find_all(True):
        if tag.decomposed:
            continue
        if tag.name in ("div", "section") and len(tag.get_text(" ", strip=True)) * 2 > whole:
            continue  # Blogger's "widget Blog" holds the post: a block with most of the text is no furniture
        if tag.name not in ("body", "html") and (_is_furniture(tag) or (
                tag.name in ("ul", "ol", "div", "p", "table") and _link_heavy(tag) and not _reference_like(tag))):
            tag.decompose()
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
