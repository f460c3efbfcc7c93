"""What counts as site furniture on a saved web page: the tags, class/id words and headings that mark it,
the publication details and label links around an article, and the <h1> that is only the site's name.
The HTML loader drops what these find; none of them decides where the article is.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

# Never text: dropped with everything inside.
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
             "form", "fieldset", "button", "select", "input", "nav", "aside", "footer", "dialog", "menu", "head",
             # AMP's components for ads, consent, menus and share bars
             "amp-ad", "amp-embed", "amp-sticky-ad", "amp-consent", "amp-sidebar", "amp-analytics",
             "amp-social-share", "amp-user-notification")
# class/id words that mark furniture: "main-nav", "cookie_banner", "share-buttons", "site-footer"...
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(nav|navbar|menu|menubar|breadcrumbs?|footer|sidebar|cookies?|consent|banner|share|sharing|"
    r"social|comments?|related|recommended|advert|ads|advertisement|promo|subscribe|newsletter|popup|modal|"
    r"skip|toolbar|masthead|pagination|widget|signup|login|paywall|ad|dfp|sponsored|signature|copyright|"
    r"licen[cs]e|rights|permissions|author-bio|about-author|byline|feedback|btn|button|cta|noprint|no-print|hidden-print|"
    r"ambox|mbox|navbox|hatnote|disclaimer|rules|backlinks?|backref|reversefootnote)(?:$|[-_\s])", re.I)
# Words that mark furniture in a short block only: the dates, kicker and reading time around a title, a photo's
# credit, a video player's title ("meta__date", "article__kicker", "entry-meta", "article__credit")
_SMALL_FURNITURE = re.compile(
    r"(?:^|[-_\s])(dates?|dateline|timestamp|time|posted-on|published|updated|modified|meta|kicker|premium|"
    r"reading-time|readtime|credits?|player|video)(?:$|[-_\s])", re.I)
_SMALL = 200
# A site's rights notice: "© 2024 ...", "All rights reserved", "Toute reproduction, même partielle, est interdite"
_RIGHTS = re.compile(r"(?:©|(?:\(c\)|copyright)\s*(?:©|\d{4}))|"
                     r".*(?:all\s+rights\s+reserved|tous\s+droits\s+r[ée]serv[ée]s|"
                     r"(?:toute|any)\s+reproduction\b.{0,60}\b(?:interdite|prohibited|forbidden))", re.I)
# A line that only dates the page: "Publié le 3 mai 2023 à 10h00", "Updated on 12/01/2024", "Posted March 2"
_DATE_LINE = re.compile(
    r"(?:publi[ée]|post[ée]|modifi[ée]|mis\s+[àa]\s+jour|mise\s+[àa]\s+jour|derni[èe]re\s+mise\s+[àa]\s+jour|"
    r"(?:last\s+)?updated|published|posted|modified)(?:\s+(?:le|on|at))?\s*:?\s*"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun|lun|mar|mer|jeu|ven|sam|dim)[a-z]*\.?,?\s+)?"
    r"(?:\d|(?:jan|feb|f[ée]v|mar|apr|avr|may|mai|jun|jui|jul|aug|ao[uû]|sep|oct|nov|dec|d[ée]c)[a-zéû]*\.?\s+\d)",
    re.I)


# A publisher's boilerplate paragraph, long or short: the open-access licence, the neutrality note
_BOILERPLATE = re.compile(
    r"(?:open\s+access\s+)?this\s+(?:article|chapter|work)\s+is\s+(?:licensed|distributed|published)\s+under\s+"
    r"(?:a|the)\s+creative\s+commons|"
    r"(?:cet\s+article|ce\s+document|cette\s+œuvre)\s+est\s+(?:mis\s+[àa]\s+disposition|distribu[ée]|publi[ée])\s+"
    r"(?:selon\s+les\s+termes\s+de\s+|sous\s+)?(?:la\s+)?licence\s+creative\s+commons|"
    r".{0,40}\bremains\s+neutral\s+with\s+regard\s+to\s+jurisdictional\s+claims", re.I)


def is_furniture(tag) -> bool:
    """Whether a tag is site furniture by its role, its class/id words, or (a short block) its dating or
    rights line."""
    if tag.get("role") in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return True
    if tag.get("aria-hidden") == "true" or tag.has_attr("hidden"):
        return True
    names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    if _FURNITURE.search(names):
        return True
    if tag.name in ("p", "div", "span", "li", "time", "small", "section", "figcaption", "font"):
        text = tag.get_text(" ", strip=True)
        if tag.name == "p" and _BOILERPLATE.match(text):
            return True
        return len(text) < _SMALL and bool(_SMALL_FURNITURE.search(names) or _DATE_LINE.match(text)
                                           or _RIGHTS.match(text))
    return False


def link_heavy(tag) -> bool:
    """A block whose text is mostly links (an unmarked menu or tag cloud)."""
    text = tag.get_text(" ", strip=True)
    links = tag.find_all("a")
    if len(links) < 3 or not text:
        return False
    linked = sum(len(a.get_text(" ", strip=True)) for a in links)
    return linked / len(text) > 0.7 and len(text) < 2000


# "10.1037/pst0000172" aside, an entry of a reference list names a year: "(2018).", ", 2018,", "2018;55:316"
ENTRY_YEAR = re.compile(r"(?<![\d/.])(?:1[6-9]\d\d|20[0-4]\d)[a-z]?(?![\d/])")
# Zotero/citeproc markup: <div class="csl-entry"><div class="csl-left-margin">[1]</div>
# <div class="csl-right-inline">Bordin ES...</div></div>
ENTRY_CLASS = re.compile(r"(?:^|\s)csl-entry(?:\s|$)")


def reference_like(tag) -> bool:
    """A list or block of bibliography entries (long items naming a year), which links never make furniture."""
    items = tag.find_all(["li", "p"]) or tag.find_all(class_=ENTRY_CLASS)
    texts = [i.get_text(" ", strip=True) for i in items]
    good = [t for t in texts if len(t) >= 50 and ENTRY_YEAR.search(t)]
    return len(items) >= 2 and len(good) * 3 >= len(items) * 2


# The heading of a block of site furniture inside the article's column: how to cite the page, teasers of
# other pages, share and comment boxes; in the languages of the corpus. The whole section goes with it.
_FURNITURE_HEADING = re.compile(
    r"(?:pour\s+|comment\s+)?citer\s+(?:cet\s+article|ce\s+document|cette\s+page)|"
    r"(?:how\s+to\s+)?cite\s+(?:this|the)\s+(?:article|page|paper|chapter|post)|how\s+to\s+cite|"
    r"r[ée]f[ée]rence\s+(?:[ée]lectronique|papier)|"
    r"(?:[àa]\s+)?lire\s+(?:aussi|[ée]galement|la\s+suite)|(?:[àa]\s+)?d[ée]couvrir\s+(?:aussi|[ée]galement)|"
    r"sur\s+(?:le\s+m[êe]me\s+(?:sujet|th[èe]me)|un\s+(?:sujet|th[èe]me)\s+proche)|dans\s+la\s+m[êe]me\s+rubrique|"
    r"(?:nos\s+)?articles?\s+(?:similaires|li[ée]s|associ[ée]s|connexes|recommand[ée]s|du\s+m[êe]me\s+auteur)|"
    r"du\s+m[êe]me\s+auteur|les\s+plus\s+(?:lus|partag[ée]s|comment[ée]s)|"
    r"(?:cet\s+article\s+est\s+)?cit[ée]\s+par|cited\s+by|"
    r"related(?:\s+(?:articles?|posts?|stories|content|reading|topics|links))?|"
    r"(?:similar|recommended|suggested|popular|trending)\s+(?:articles?|posts?|stories|reading|content)|"
    r"you\s+(?:may|might)\s+also\s+(?:like|enjoy|be\s+interested\s+in)|read\s+(?:more|next|also)|"
    r"most\s+(?:read|popular|viewed|shared)|more\s+(?:articles|posts|stories)(?:\s+(?:by|from)\b.{0,40})?|"
    r"share(?:\s+(?:this|the)\s+(?:article|post|page|story))?|partager(?:\s+(?:cet\s+article|cette\s+page))?|"
    r"(?:\d+\s+)?(?:comments?|commentaires?|replies)|leave\s+a\s+(?:reply|comment)|"
    r"(?:laisser|[ée]crire|ajouter)\s+un\s+commentaire|r[ée]agir(?:\s+[àa]\s+cet\s+article)?|"
    r"(?:(?:our|the|notre|la)\s+)?newsletter|(?:sign\s+up|subscribe)(?:\s+(?:to|for)\s+(?:our|the|my)\b.{0,30})?|"
    r"(?:abonnez|inscrivez)-vous(?:\s+[àa]\s+(?:notre|la)\b.{0,30})?|"
    r"who\s+is\s+online|qui\s+est\s+en\s+ligne|"
    r"(?:rights|reprints)\s+and\s+permissions|droits\s+et\s+(?:permissions|autorisations)|"
    r"(?:cet\s+article|cette\s+page)\s+vous\s+a-t-(?:il|elle)\s+[ée]t[ée]\s+utile|"
    r"was\s+this\s+(?:article|page|information)\s+(?:helpful|useful)|"
    r"(?:about\s+the\s+)?authors?|author\s+information|(?:les\s+)?auteure?s?|[àa]\s+propos\s+de\s+l['’]auteure?",
    re.I)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def headed_furniture(root, whole: int) -> None:
    """A section headed "Pour citer cet article", "Related posts", "3 comments"... is dropped whole: the
    block the heading opens (when the heading comes first in it), else the heading and what follows it up to
    the next heading of its rank or above."""
    for h in root.find_all(HEADINGS):
        if h.decomposed or not _FURNITURE_HEADING.fullmatch(h.get_text(" ", strip=True).rstrip(" :?!.")):
            continue
        section = section_of(h, root)
        if sum(len(el.get_text(" ", strip=True)) for el in section) * 2 < whole:
            for el in section:
                el.decompose()


def section_of(h, root) -> list:
    """The elements of the section a heading opens: its own block when the heading comes first in a block
    holding no other heading of its rank or above, else the heading and its next siblings up to such a heading."""
    rank, size = int(h.name[1]), len(h.get_text(" ", strip=True))
    while h.parent is not None and h.parent is not root and len(h.parent.get_text(" ", strip=True)) < size + 20:
        h = h.parent  # MediaWiki's <div class="mw-heading"><h2>References</h2>[edit]</div>
    box = h.parent
    first = next((c for c in box.children if not (isinstance(c, str) and not c.strip())), None) if box else None
    own = [h, *h.find_all(HEADINGS)]
    if box is not None and box is not root and first is h \
            and not any(int(o.name[1]) <= rank for o in box.find_all(HEADINGS) if not any(o is x for x in own)):
        return [box]
    out = [h]
    for sib in h.find_next_siblings():
        if sib.name in HEADINGS and int(sib.name[1]) <= rank or sib.find(HEADINGS[:rank]):
            break
        out.append(sib)
    return out


# Publication details a journal page prints in label-value lines, not the article: "Citation: Doe J (2023)
# ...", "Received: 2 May 2022", "Edited by: ...", "Copyright © 2023 ...", "*Correspondence: ..."
_META_LABEL = re.compile(
    r"\W{0,2}(?:citation|cite\s+(?:this\s+article|as)|how\s+to\s+cite|received|accepted|revised|published(?:\s+online)?|"
    r"edited\s+by|reviewed\s+by|copyright|correspondence|re[çc]u\s+le|accept[ée]\s+le|publi[ée]\s+le|"
    r"pour\s+citer(?:\s+cet\s+article)?)\s*:|\W{0,2}copyright(?:\s*©)?", re.I)


def labelled_details(root) -> None:
    """Drops the paragraphs that open with a bold publication-detail label ("<strong>Received:</strong>")."""
    for p in root.find_all(["p", "li", "div"]):
        if p.decomposed:
            continue
        first = next((c for c in p.children if not (isinstance(c, str) and not c.strip())), None)
        if first is not None and not isinstance(first, str) and first.name in ("strong", "b") \
                and _META_LABEL.fullmatch(first.get_text(" ", strip=True)):
            p.decompose()


# The links a journal prints after each entry of its list: "DOI | Google Scholar", "PubMed Abstract |
# CrossRef Full Text", "[PMC free article]"; labels, not parts of the work's reference
_LINK_LABEL = re.compile(
    r"\[?\s*(?:doi|crossref(?:\s+full\s+text)?|google\s+scholar|pubmed(?:\s+(?:abstract|central))?|"
    r"pmc(?:\s+free\s+article)?|(?:free\s+)?full[\s-]+text|abstract|pdf|web\s+of\s+science|scopus|worldcat|"
    r"medline|openurl|ref\s+list|isi|cas|publisher(?:\s+site)?|view\s+(?:article|record|at\s+publisher))\s*\]?",
    re.I)
_LABEL_GAP = re.compile(r"[\s|,;·•/\[\]()]*")
_LEAF_INNER = frozenset(("p", "div", "li", "ul", "ol", "table", "section"))


def holds(tag, names: frozenset[str]) -> bool:
    """Whether a tag holds an element of these names; a plain walk, much cheaper than bs4's find() per tag."""
    return any(getattr(d, "name", None) in names for d in tag.descendants)


def entry_link_labels(root) -> int:
    """Drops the run of label links ending a block: the block itself when it holds nothing else, the labels
    after an entry's text when they are two or more or follow its final "." (not "we searched <a>PubMed</a>").
    Returns how many blocks lost labels."""
    done = 0
    for block in root.find_all(["li", "p", "div", "dd", "td"]):
        if block.decomposed or holds(block, _LEAF_INNER):
            continue
        strings = block.find_all(string=True)
        links, gaps, k = [], [], len(strings)
        while k > 0:
            t = strings[k - 1]
            a = t.find_parent("a")
            if a is not None and block in a.parents and _LINK_LABEL.fullmatch(a.get_text(" ", strip=True)):
                if not any(a is x for x in links):  # bs4 compares tags by markup: two "Google Scholar" are equal
                    links.append(a)
            elif _LABEL_GAP.fullmatch(t):
                gaps.append(t)
            else:
                break
            k -= 1
        if not links:
            continue
        before = "".join(strings[:k]).rstrip()
        if not before:
            block.decompose()
            done += 1
        elif len(links) >= 2 or before[-1:] in ".)]":
            for a in links:
                a.decompose()
            for t in gaps:
                t.replace_with(" ")
            done += 1
    return done


def site_name(h1, soup: BeautifulSoup) -> bool:
    """Whether the <h1> is the site's name (a blog's header): og:site_name, or only a link to the home page."""
    text = h1.get_text(" ", strip=True).casefold()
    if text in {(m.get("content") or "").strip().casefold() for m in soup.find_all("meta", property="og:site_name")}:
        return True
    link = h1.find("a", href=True)
    return link is not None and link.get_text(" ", strip=True).casefold() == text and \
        urlsplit(link["href"]).path in ("", "/")


def title_heading(soup: BeautifulSoup):
    """The page's first <h1> that is not the site's name, or None."""
    return next((h for h in soup.find_all("h1") if not site_name(h, soup)), None)
