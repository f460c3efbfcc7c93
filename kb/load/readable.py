"""The article's block as Readability finds it, with what Readability leaves out put back: the lead between
the title and the first paragraph, figure captions, and the notes the text calls.
"""

from __future__ import annotations

import copy
import re
from collections import Counter

from bs4 import BeautifulSoup, Tag

from kb.load.furniture import DROP_TAGS, holds, is_furniture, title_heading


def article(page: str) -> BeautifulSoup | None:
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


def _squeeze(text: str) -> str:
    return " ".join(text.split())


# The blocks of text a lead can be: a standfirst, a subtitle, an abstract's paragraphs, a figure's caption
_LEAD_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "figcaption", "li", "blockquote", "dd", "div")
_LEAD_INNER = frozenset(("p", "div", "li", "ul", "ol", "table", "section", "figure", "blockquote", "h2", "h3", "h4",
                         "h5", "h6"))
_WORD = re.compile(r"[^\W\d_]{2,}")
# An author's numbered affiliation under a journal article's title: "1 Department of Physiotherapy, ..."
_AFFILIATION = re.compile(r"[\W\d]*\d\W*(?:\w+\s+){0,2}?(?:department|dept|division|school|faculty|institut[eo]?|"
                          r"universit[yéeà]\w*|h[oô]pital|hospital|laborato\w+|cent(?:er|re)|unit[ée]?|service)\b", re.I)


# A block named as a note: "footnote-3", "fn3", "endnotes", "notes"
_NOTE_NAME = re.compile(r"(?:^|[-_\s])(?:(?:foot|end)?notes?|fn)(?:$|[-_\s\d])", re.I)


def _called_note(el, called: set[str]) -> bool:
    """Whether the block is in a note the text calls: a block named as a note whose id a link targets
    (<a href="#footnote-3">3</a> ... <div class="footnote" id="footnote-3">)."""
    return any(a.get("id") in called and _NOTE_NAME.search(f"{a.get('id')} {' '.join(a.get('class') or [])}")
               for a in [el, *el.parents] if a.name not in ("body", "html", "[document]"))

def restore_lead(soup: BeautifulSoup, found: BeautifulSoup) -> None:
    """Puts back what Readability leaves out around the text it kept, after the page's <h1>: the standfirst,
    subtitle, key points or abstract before the first paragraph, the captions of figures, and the notes the
    text calls (it scores "footnote" blocks as furniture). Each goes before the kept block that follows it on
    the page, a note after the last one. Blocks of furniture (bylines, dates, share bars), links and short
    labels stay out, as does a lead longer than half the kept text (a wrong <h1>)."""
    h1 = title_heading(soup)
    if h1 is None:
        return
    kept: dict[str, Tag] = {}  # the blocks Readability kept, by their text
    for el in found.find_all(True):
        if not holds(el, _LEAD_INNER) and (t := _squeeze(el.get_text(" "))):
            kept.setdefault(t, el)
    body = [t for t in kept if len(t) >= 80]
    if not body:
        return
    whole = _squeeze(found.get_text(" "))
    shared = {id(a) for a in h1.parents}  # ids: bs4 hashes and compares tags by their markup
    called = {a["href"][1:] for a in soup.find_all("a", href=True) if a["href"].startswith("#")}
    # a block placed by its text must be the page's only one: an author's name is in the byline and the bio
    seen = Counter(_squeeze(el.get_text(" ")) for el in soup.find_all(True) if not holds(el, _LEAD_INNER))
    lead: list[tuple[Tag, str]] = []  # the page's blocks from the <h1> on: kept ones with their text, others ""
    started = ended = False
    for el in h1.find_all_next(True):
        text = _squeeze(el.get_text(" "))
        if text in kept and seen[text] == 1:
            started = started or len(text) >= 80  # past the lead: only captions and called notes now
            ended = ended or text == body[-1]
            lead.append((el, text))
            continue
        if el.name not in _LEAD_TAGS or holds(el, _LEAD_INNER) or len(_WORD.findall(text)) < 6 or text in whole \
                or _AFFILIATION.match(text):
            continue
        if (ended or started and el.name != "figcaption") and not _called_note(el, called):
            continue
        if any(a.name in DROP_TAGS or is_furniture(a) for a in [el, *el.parents] if id(a) not in shared) \
                or sum(len(a.get_text(" ", strip=True)) for a in el.find_all("a")) * 2 > len(text):
            continue
        lead.append((el, ""))
    added = [el for el, text in lead if not text]
    if not ended or not added or sum(len(_squeeze(el.get_text(" "))) for el in added) * 2 > len(whole):
        return  # nothing to add, or the kept text does not follow the <h1>
    last = max(i for i, (_, text) in enumerate(lead) if text)
    anchor = kept[lead[last][1]]
    for el, _ in lead[last + 1:]:
        clone = copy.copy(el)
        anchor.insert_after(clone)
        anchor = clone
    anchor = None
    for el, text in reversed(lead[:last]):
        if text:
            anchor = kept[text]
        elif anchor is not None:
            clone = copy.copy(el)
            anchor.insert_before(clone)
            anchor = clone
