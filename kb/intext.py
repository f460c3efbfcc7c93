"""In-text citation markers of the cite stage: where a passage cites, who it names and which year or number.

Forms found: parenthetical groups "(Horvath & Symonds, 1991; Martin et al., 2000)", narrative
"Flückiger, Del Re, Wampold and Horvath (2018)", "Taccolini Manzoni et al., 2018", numbers "[7,22]" with
the names before them ("Lakke et Meerman [30]"). Precision first: a capitalised word before a year is a
name only when it is not a month, a heading, a sentence word the document also writes in lowercase, an
acronym ("COVID (2020)") or a word with digits. A line break (a heading joined to its paragraph) never
joins two names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

from kb.refparse import fold as _fold_text

# Every word of a document is folded once per document, and names recur: memoised.
fold = lru_cache(maxsize=100_000)(_fold_text)

_UPC = r"A-ZÀ-ÖØ-ÞŁŒ"
_SP = r"[^\S\n]+"  # spaces, never a line break
# One surname: "Flückiger", "O'Brien", "Eubanks-Carter", "Van der Berg", "De Roten", "Del Re", "Di Nuovo"
# (lowercase only "van"/"von": "van der Kolk et al."; a lowercase "de" is French prose: "la théorie de Bordin")
_NAME = (rf"(?:(?:Van|Von|De|Del|Della|Di|Da|Dos|Ten|Ter|Mac|van|von){_SP}(?:(?:der|den|de|la|los){_SP})?)?"
         rf"[{_UPC}][\w’'-]*\w(?:(?<=-van|-von){_SP}(?:(?:der|den|de){_SP})?[{_UPC}][\w’'-]*\w)?")  # "Welmers-van de Poll"
_SURNAME = rf"{_NAME}(?:{_SP}{_NAME})?"  # "Taccolini Manzoni"
_ETAL = (rf"{_SP}(?:et{_SP}al\.?|et{_SP}coll\.?|et{_SP}(?:ses{_SP}|leurs{_SP})?collaborateurs"
         rf"|et{_SP}(?:ses|leurs){_SP}collègues|and{_SP}(?:his{_SP}|her{_SP}|their{_SP})?colleagues"
         rf"|and{_SP}co-?workers)")
# Who, as printed: "Flückiger et al.", "Horvath & Symonds", "Lakke et Meerman", "Safran, Muran and Eubanks-Carter"
# a later name of a list may open with a lowercase particle: "(Despland, de Roten, Martinez et Solai, 2000)"
_NEXT = rf"(?:(?:de|du|da|di|del|della|dos|le|la){_SP})?{_SURNAME}"
_WHO = rf"(?P<who>{_SURNAME}(?:{_ETAL}|(?:,{_SP}{_NEXT})*,?{_SP}(?:&|and|et){_SP}{_NEXT})?)"
_YEAR = r"(?:1[6-9]\d\d|20[0-4]\d)[a-z]?"
# A classic's original year before the edition read: "(Freud, 1900/1967)", "Winnicott (1971/1975)",
# "Freud ([1900] 1967)"
# A work not yet or never dated: "(Brennan, in press)", "(Okonkwo, in press-a)", "(HAS, s.d.)", "(APA, n.d.)"
_NODATE = r"(?:in\s+press|sous\s+presse|à\s+paraître|forthcoming|[ns]\.\s?d\.)(?:-[a-z])?"
# The work of this author cited before: "(Winnicott, op. cit., p. 15)", "Heimann, art. cit., p. 83"
_AGAIN = r"(?:op|art|loc|ouvr)\.\s?cit\."
_DATED = rf"(?:\[{_YEAR}\]\s?{_YEAR}|{_YEAR}(?:\s?/\s?{_YEAR})?|{_NODATE}|{_AGAIN})"
_YEARS = rf"(?P<years>{_DATED}(?:\s*[,;]\s*{_DATED})*)"  # "1979, 1994" / "1979 ; 1994"
# A pointer into the work after the year: ", p. 12", ", pp. 252-253", " : 252", ", chap. 7", ", § 3", ", p. 12 sq."
# ", Chapter 2", " : chap. 6", ", section 1.5", and Chicago's bare pages: "(Winnicott 1965, 47–49)"
_PAGES = (r"(?:\s*[,:]\s*(?:(?:p|pp|s|chap|ch|para|sect|sec)\.?|(?i:chapter|chapitre|section)|§)\s*\d+(?:\.\d+)*"
          r"(?:\s*[–-]\s*\d+)?(?:\s*(?:sq|sqq|ff?)\.?)?|\s*[,:]\s*\d{1,4}(?:\s*[–-]\s*\d{1,4})?(?![\d.,]))?")
# Lowercase words before a name in brackets: "(see also ...", "(e.g., ...", "(voir notamment ...", "(cf. ..."
_LEAD = r"(?P<lead>(?:[a-zà-ÿ][\w’'.-]*[,:]?\s+){0,5})"

# "(Bordin, 1979)" / "(Horvath & Symonds, 1991; Martin et al., 2000)" / "(voir Bordin, 1979, p. 12)"
PAREN = re.compile(rf"\((?P<body>[^()]*?(?:\b{_YEAR}|(?<![\w.]){_NODATE}|\b{_AGAIN})[^()]*)\)")
# ... and in square brackets, as some French journals print them: "[Bordin, 1979 ; Safran et Muran, 2000]"
SQUARE = re.compile(rf"\[(?P<body>[^\[\]()]*?\b{_YEAR}[^\[\]()]*)\]")
# Where a bracket's citations part: "; " and a secondary source, "(Bordin, 1979, cité par Martin, 2010)" /
# "(Bordin, 1979, as cited in Martin, 2010)" / "(Bordin, 1979, voir aussi Martin, 2010)"
_PAREN_SPLIT = re.compile(r";|,\s*(?:(?:as\s+)?cited\s+(?:in|by)|cité(?:e)?s?\s+(?:par|dans|in)|in"
                          r"|see\s+also|voir\s+aussi)\s+(?=[A-ZÀ-Þ])")
# What a bracket may say after the last year, in lowercase: "(Safran & Muran, 2000, pour une revue)" / "(see
# Horvath, 2001, for details)" / "(Bordin, 1979, in French)"
_TAIL = (r"(?:,?\s+(?:for|pour|see|voir|on|sur|about|regarding|concernant|in|dans|as|comme|among|parmi)\b"
         r"[^;()\d]{0,60})?")
# an initial may tell two authors of one surname apart (APA): "(J. Smith, 2010; K. Smith, 2012)"
_PAREN_ITEM = re.compile(rf"^{_LEAD}(?:[{_UPC}]\.(?:\s?-?[{_UPC}]\.)?\s+)?{_WHO}(?P<comma>,?)\s+{_YEARS}{_PAGES}{_TAIL}\s*$")
# A part that is only more years of the names before it: "(Bordin, 1979 ; 1994)"
_MORE_YEARS = re.compile(rf"^{_YEARS}{_PAGES}{_TAIL}$")
# "Flückiger et al. (2018)" / "Bordin (1979, p. 252)" / "Bordin's (1979)" / "Horvath et al. (2011; see also ...)" /
# "Bordin (1979, cité par Martin, 2010)"
_NARRATIVE = re.compile(rf"{_WHO}(?:['’]s)?{_SP}\({_YEARS}{_PAGES}"
                        rf"(?:\)|(?=\s*;\s|,\s+(?:as\s+)?(?:cited|cités?|citée?s?|see|voir)\b))")
# ... with the year in square brackets: "Bowlby [1969]", "Winnicott [1971, p. 12]"
_NARRATIVE_SQUARE = re.compile(rf"{_WHO}(?:['’]s)?{_SP}\[{_YEARS}{_PAGES}\]")
# "Taccolini Manzoni et al., 2018" (needs "et al." or "et coll.": a bare "Paris, 2018" is not a citation)
_ETAL_YEAR = re.compile(rf"(?P<who>{_SURNAME}{_ETAL}),?{_SP}{_YEARS}\b")
# "[20]" / "[7,22]" / "[9-11]" / "[1, 2, 5–8]" / "outcome.[2][3]" (not "state[748]" nor "a[1][2]": an index glued
# to a word is code)
NUMERIC = re.compile(r"\[(?<!\w\[)(?<!\w\[\d\]\[)(?<!\w\[\d\d\]\[)(?<!\w\[\d\d\d\]\[)"
                     r"(?P<nums>\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)"
                     # a place in the work, as IEEE prints it: "[6, p. 444]", "[4, Sec. 2]", "[3, ch. 5]"
                     r"(?:\s*,\s*(?:pp?|[Ss]ec|[Cc]h|[Cc]hap|[Tt]hm|[Ee]q)\.?\s*\d+(?:\.\d+)*(?:\s*[–-]\s*\d+)?)?\]"
                     # IEEE's range of brackets: "[2]–[4]" is 2, 3 and 4
                     r"(?:[–-]\[(?P<upto>\d{1,3})\])?")
# "Dynamo (7)" / "(10, 11)": only for documents with a numbered list and no "[n]" markers at all
PAREN_NUMERIC = re.compile(r"\((?<=[\w.,] \()(?P<nums>\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\)(?!\s*[=:])")
# "outcome ¹,²" / "studies. ³–⁵": numbers a PDF printed raised (kb.load.pdf writes them so), or a text typed
# glued to a word ("outcome¹,²", not the "x²" of a one-letter symbol); only for documents with a numbered list
# whose raised numbers follow it (kb.cite decides)
SUP_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT = re.compile(rf"(?:(?<=\S )|(?<=[^\W\d_]{{3}})|(?<=[^\W\d_][.,;:)\]’\"»]))"
                         rf"(?P<nums>[{SUP_DIGITS}]{{1,3}}(?:[,;–-][{SUP_DIGITS}]{{1,3}})*)(?![{SUP_DIGITS}\w])")
_FROM_SUPERSCRIPT = str.maketrans(SUP_DIGITS, "0123456789")
# ... and as a copy into plain text leaves them, glued to the word or its punctuation: "anticipée1.",
# "research.1 Its", "deconditioning.5,6" (not "p.12", "vol.3", "H2O", "COVID-19", "0.5"); only for documents
# whose glued numbers first appear in the list's order (kb.cite decides)
GLUED = re.compile(r"(?:(?<=[^\W\d_]{3})|(?<=[^\W\d_]{2}[.,;:)\]’\"»]))(?<!\bpp\.)(?<!\bvol\.)(?<!\bno\.)"
                   r"(?P<nums>\d{1,3}(?:[,–-]\d{1,3})*)(?=[\s.,;:)]|$)(?![.,]\d)")
_NOT_BEFORE_NUM = re.compile(r"(?:fig(?:ure)?\.?|table(?:au)?|eq(?:uation)?\.?|équation|step|étape|chapter|"
                             r"section|item|line|ligne)\s*$", re.I)
# "see (3)" points at an equation or a list item; "see [3]" cites
_SEE = re.compile(r"(?:see|voir)\s*$", re.I)
# The names just before a numeric marker: "Fluckiger et al. [20]", "Greenson [3]", "Lakke et Meerman [30]"
_WHO_BEFORE = re.compile(rf"{_WHO}[^\S\n]*$")
# Words before a bracketed name that make it a place: "(in Paris, 2018)", "(en France, 2019)"
_PLACE_LEAD = {"in", "en", "a", "au", "at", "from", "de", "du", "near", "pres"}
# ... and before a place in prose; not "de": "les travaux de Paris (2008)" may cite Joel Paris
_PLACE_PREPOSITION = {"in", "en", "a", "au", "aux", "at", "near", "pres"}
_PARTICLES = {"van", "von", "de", "del", "della", "di", "da", "dos", "ten", "ter", "mac"}

# Capitalised words that open sentences, headings or dates and are not names; nor are an organisation's words
# ("the World Health Organization (2001)": its names are known only from a reference list, kb.cite).
_NOT_NAME = set("""
selon comme dans pour according in the see voir cf par chez ainsi les des la le une un this these et and mais
but table figure fig tableau section chapter chapitre annexe appendix eq equation ref refs references
references while whereas alors cependant however pourtant enfin also aussi de du en a an on at by with from
to for of is are was were il elle ils elles nous we they as since when thus like unlike following after
before both depuis puis donc dont ou si that which who our notre leur their its then yet here ici
introduction discussion conclusion conclusions method methods methodology methode methodes methodologie
results resultats background contexte objective objectives objectif objectifs abstract resume summary
synthese limitations limites implications perspectives aims purpose keywords remerciements acknowledgements
acknowledgments case cas study etude note notes encadre box version volume vol issue numero edition
january february march april may june july august september october november december
janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
spring summer autumn fall winter printemps ete automne hiver d'apres d’apres
monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche
organization organisation association society societe institute institut collaboration council conseil agency
agence department departement ministry ministere foundation fondation university universite committee comite
federation academy academie consortium network reseau health sante excellence authority autorite
""".split())


@dataclass(frozen=True)
class Mark:
    """One citation found in a text: its span, the marker as printed, who and when, or the numbers."""

    start: int
    end: int
    marker: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    number: int | None = None
    place: bool = False  # "Au Canada (2017)": a place after a preposition, unless the reference list names it
    suffix: str = ""  # the letter of "2016b": which of an author's works of that year
    original: int | None = None  # the first year of "1900/1967": the work's first publication
    again: bool = False  # "op. cit.": the work of these authors the text cited before


# A word and its inner apostrophes and hyphens: "l’alliance", "Eubanks-Carter", "self-report".
_WORD = re.compile(r"(?<![\w’'-])\w[\w’'-]+")
# What each author-year form cannot do without, found by a cheap scan before the costly pattern runs
# (these start with a name, tried at every capital): any year; "(2018" for a narrative citation; the
# "et al." of _ETAL_YEAR.
_ANY_YEAR = re.compile(_YEAR)
NODATE = re.compile(_NODATE)  # kb.cite reads an entry's "(in press-b)" with it too
AGAIN = re.compile(_AGAIN)
_OPEN_YEAR = re.compile(rf"\(\[?{_YEAR}")
_SQUARE_YEAR = re.compile(rf"\[{_YEAR}")
_ETAL_END = re.compile(rf"{_ETAL}$")
_ANY_ETAL = re.compile(_ETAL)


def common_words(texts) -> frozenset[str]:
    """Folded words the document writes in lowercase (twice, and more often than capitalised): a capitalised
    one of them opens a sentence or a heading, it is not a name. A name typed once in lowercase stays a name."""
    seen: Counter[str] = Counter()
    for t in texts:
        seen.update(_WORD.findall(t))
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for w, n in seen.items():  # each distinct spelling folded once
        (lower if w[0].islower() else upper)[fold(w)] += n
    return frozenset(w for w, n in lower.items() if n >= 2 and n > upper[w])


def _adverb(word: str) -> bool:
    """ "Notably", "Recently", "Récemment", "Notamment" (not "Kelly", "Clément")."""
    f = fold(word)
    return (len(f) > 5 and f.endswith("ly")) or (len(f) > 7 and f.endswith("ment"))


def _sentence_word(word: str, common: frozenset[str]) -> bool:
    f = fold(word)
    return f in _NOT_NAME or f in common or _adverb(word)


def _acronym(word: str) -> bool:
    """ "WHO", "NICE", "OMS": an organisation's capitals, never the prose word they spell ("who")."""
    return len(word) >= 2 and word.isalpha() and word.isupper()


def who(text: str, common: frozenset[str] = frozenset(), strict: bool = False) -> tuple[str, ...] | None:
    """ "Horvath & Symonds" -> ("Horvath", "Symonds"); "Selon De Roten" -> ("De Roten",);
    "Introduction Bordin" -> ("Bordin",); None when no name is left, or for "Juin", "COVID-19" and,
    when strict, a lone acronym ("OMS"). The first name loses the sentence words before it."""
    stripped = _ETAL_END.sub("", text.strip())
    # co-authors make a person of a name set in capitals, as French small capitals copy: "HALL et al. (2010)"
    etal, text = stripped != text.strip(), stripped
    names = [re.sub(r"['’]s$", "", n.strip()) for n in re.split(r"\s*,\s*(?:(?:&|and|et)\s+)?|\s+(?:&|and|et)\s+", text) if n.strip()]
    while names:
        words = names[0].split()
        while len(words) > 1 and fold(words[0]) not in _PARTICLES and _sentence_word(words[0], common):
            words = words[1:]
        if len(words) == 1 and not _acronym(words[0]) and (fold(words[0]) in _NOT_NAME or _adverb(words[0])):
            names = names[1:]
            continue
        names[0] = " ".join(words)
        break
    if not names or any(fold(w) in _NOT_NAME and fold(w) not in _PARTICLES and not _acronym(w)
                        for n in names for w in n.split()):
        return None
    if any(re.search(r"\d", n) for n in names):
        return None
    if strict and len(names) == 1 and not etal and re.fullmatch(rf"[{_UPC}][{_UPC}\d-]+", names[0]):
        return None
    return tuple(names)


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    from importlib.resources import files

    text = files("kb").joinpath("data", "places.txt").read_text("utf-8")
    return frozenset(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def _place_after_preposition(text: str, start: int, printed: str, names: tuple[str, ...]) -> bool:
    """ "Au Canada (2017), une étude..." / "In France (2019)" / "et au Québec (2012)": a place and a date, not
    a citation (the preposition may be the mark's first word, or the word before it)."""
    if len(names) != 1 or fold(names[0].split()[-1]) not in _places():
        return False
    words = text[max(0, start - 12):start].split()[-1:] + printed.split()
    return len(words) >= 2 and fold(words[-2]) in _PLACE_PREPOSITION


def bracketed_place(mk: Mark) -> bool:
    """Whether an author-year mark is a lone place in brackets, "(Paris, 2018)", "(Québec, 2019)", or after a
    preposition, "Au Canada (2017)": a setting or a date line, unless the document's reference list confirms an
    author of that name (see kb.cite)."""
    return mk.place or (mk.year is not None and mk.marker.startswith("(") and len(mk.authors) == 1
                        and fold(mk.authors[0]) in _places()
                        # "(NICE, 2021)" is the institute, not Nice; "(USA, 2019)" is still a place
                        and not (_acronym(mk.authors[0]) and len(mk.authors[0]) > 3))


# "...two conditions: (1) feeling believed, and (2) receiving...": points counted from (1) after a colon or at a
# sentence's start, each opening a clause
_FIRST_POINT = re.compile(r"(?:^|[:.!?]\s+|\n)(?P<at>\(1\))\s+[a-zà-ÿ]", re.M)
_POINT = re.compile(r"\((?P<n>\d)\)\s+[a-zà-ÿ]")


def _enumerators(text: str) -> set[int]:
    """Where the "(1)", "(2)"... of enumerations start: the points of a sentence, not citations."""
    out: set[int] = set()
    for first in _FIRST_POINT.finditer(text):
        out.add(first.start("at"))
        expected, at = 2, first.end()
        while (m := _POINT.search(text, at, at + 400)) and int(m.group("n")) == expected:
            out.add(m.start())
            expected, at = expected + 1, m.end()
    return out


def numbers(spec: str) -> list[int]:
    """ "7,22" -> [7, 22]; "9-11" -> [9, 10, 11] (ranges longer than 50 are not expanded); "¹,²" -> [1, 2]."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", spec.translate(_FROM_SUPERSCRIPT)):
        a, _, b = re.sub(r"\s*[–-]\s*", "-", part).partition("-")
        if b and int(a) <= int(b) <= int(a) + 50:
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(a))
    return out


class _Dated(NamedTuple):
    year: int | None
    suffix: str = ""
    original: int | None = None
    again: bool = False


def _years(spec: str) -> list[_Dated]:
    """ "2016a, 2016b" -> [(2016, "a"), (2016, "b")]; "1900/1967" and "[1900] 1967" -> [(1967, "", 1900)]: the
    edition read, as the reference list dates it, and the original year; "in press-b" -> [(None, "b")];
    "op. cit." -> [(None, again=True)]."""
    dated = [_Dated(int(y), s, int(a or b) if a or b else None)
             for a, b, y, s in re.findall(r"(?:\[(\d{4})[a-z]?\]\s?|(\d{4})[a-z]?\s?/\s?)?(\d{4})([a-z]?)", spec)]
    return (dated + [_Dated(None, m.group(0).rpartition("-")[2] if "-" in m.group(0) else "")
                     for m in re.finditer(_NODATE, spec)]
            + [_Dated(None, again=True) for _ in re.finditer(_AGAIN, spec)])


_SMALL_WORDS = {"de", "la", "le", "les", "du", "des", "d", "l", "et", "of", "the", "for", "and", "on", "in", "en",
                "pour", "a", "au", "aux"}


def organisation_names(authors: list[str]) -> dict[str, str]:
    """How a text may print the organisations among a reference list's authors (one name without a person's
    "Surname, I." comma), each to the name as listed: "Haute Autorité de Santé (HAS)" -> "Haute Autorité de
    Santé", "HAS"; "American Psychological Association" -> the name, and "APA" (its capitals, three or more)."""
    out: dict[str, str] = {}
    for name in (a for a in authors if "," not in a and len(a.split()) >= 2):
        bare = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*", " ", name).strip()
        printed = {name, bare, *re.findall(rf"[(\[]([{_UPC}][{_UPC}&-]{{1,9}})[)\]]", name)}
        capitals = "".join(w[0] for w in bare.split() if w[0].isupper())
        # and the initials of its words but the small ones: "Organisation mondiale de la santé" -> "OMS"
        initials = "".join(w[0] for w in re.findall(r"[^\W\d_]+", bare) if fold(w) not in _SMALL_WORDS).upper()
        printed.update(a for a in (capitals, initials) if len(a) >= 3)
        out.update((p, name) for p in printed if len(p) >= 2)
    return out


@lru_cache(maxsize=64)
def _org_forms(names: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """The bracket item and the narrative form of these organisation names: acronyms as printed, names in any
    case ("Organisation mondiale de la santé")."""
    alts = "|".join(rf"(?-i:{re.escape(n)})" if n.isupper() else re.escape(n).replace(r"\ ", _SP)
                    for n in sorted(names, key=len, reverse=True))
    who = rf"(?<![\w-])(?P<who>{alts})(?![\w’'-])"  # "l'APA (2020)"
    # "(American Psychological Association [APA], 2020)": the name, then the acronym the text will use
    acronym = r"(?:\s*[\[(][A-ZÀ-Þ][A-ZÀ-Þ&-]{1,9}[\])])?"
    return (re.compile(rf"(?i)^{_LEAD}{who}{acronym}(?P<comma>,?)\s+{_YEARS}{_PAGES}{_TAIL}\s*$"),
            re.compile(rf"(?i){who}{_SP}?\({_YEARS}{_PAGES}\)"))


class _Group(NamedTuple):
    """A run of text cited as a whole: a bracket "(Bordin, 1979; Horvath, 1991)", or a note "Freud, 1910, p. 144"."""

    start: int
    end: int
    body_start: int
    body: str  # what holds the citations: the bracket's inside, the note's text
    printed: str


def notes_of(text: str) -> list[_Group]:
    """The notes of a notes section's text, numbered 1, 2, 3... in order (a note that is a reference by author
    and year, "Freud, 1910, p. 144", cites it as a bracket would)."""
    starts: list[tuple[int, int]] = []  # (where the number is, where the note's text begins)
    at = 0
    while m := re.compile(rf"(?:^|(?<=\s)){len(starts) + 1}\.\s+(?=\S)", re.M).search(text, at):
        starts.append((m.start(), m.end()))
        at = m.end()
    out = []
    for (_, a), (b, _) in zip(starts, starts[1:] + [(len(text), 0)]):
        body = text[a:b].rstrip()
        body = body.split("\n", 1)[0].rstrip(" .")  # the last note ends with its line
        out.append(_Group(a, a + len(body), a, body, body))
    return out if len(out) >= 2 else []


def marks(text: str, common: frozenset[str], numeric: re.Pattern = NUMERIC, max_n: int = 0,
          orgs: dict[str, str] | None = None, notes: bool = False) -> list[Mark]:
    """The citations of one passage's text (spaces collapsed, line breaks kept), in text order. orgs: the
    organisations the document's list names (organisation_names), whose names are no surnames. notes: the
    text is a notes section, whose notes may cite by author and year without brackets."""
    found: list[Mark] = []
    taken: list[tuple[int, int]] = []
    org_item, org_narrative = _org_forms(tuple(sorted(orgs))) if orgs else (None, None)
    listed = {fold(k): v for k, v in orgs.items()} if orgs else {}

    def names_of(it: re.Match, strict: bool) -> tuple[str, ...] | None:
        if it.re is org_item or it.re is org_narrative:
            return (listed[fold(it.group("who"))],)
        return who(it.group("who"), common, strict=strict)

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    has_year = any(rx.search(text) for rx in (_ANY_YEAR, NODATE, AGAIN))
    brackets = [_Group(m.start(), m.end(), m.start("body"), m.group("body"), m.group(0))
                for m in chain(PAREN.finditer(text), SQUARE.finditer(text) if "[" in text else ())] if has_year else []
    for start, end, body_start, body, printed in brackets + (notes_of(text) if notes and has_year else []):
        parts = [it.strip() for it in _PAREN_SPLIT.split(body)]
        # every dated part must be a citation, or more years of the one before; an undated part is a label
        # before them: "(BDI-II; Beck, 1996)"
        items: list[tuple[re.Match, str]] | None = []
        own = start  # where the bracket's own citations start
        for k, part in enumerate(parts):
            it = (org_item and org_item.match(part)) or _PAREN_ITEM.match(part)
            more = _MORE_YEARS.match(part) if it is None and items else None
            if k == 0 and it is None and parts[1:] and _MORE_YEARS.match(part):
                # "Horvath et al. (2011; see also ...)": the narrative's year, found with its names
                own = body_start + body.find(part) + len(part)
                continue
            if it or more:
                items.append((it, it.group("years")) if it else (items[-1][0], more.group("years")))
            elif _ANY_YEAR.search(part):
                items = None
                break
        if not items:
            continue
        taken.append((own, end))
        for it, years in items:
            lead = it.group("lead").split()
            names = names_of(it, strict=not it.group("comma"))
            place = bool(lead) and fold(lead[-1].rstrip(",:")) in _PLACE_LEAD
            if place and names and (len(names) > 1 or _ANY_ETAL.search(it.group("who"))):
                # "(de Roten et al., 2004)" / "(in Horvath & Bedi, 2002)": places have no co-authors
                place = False
                if lead[-1] in _PARTICLES and names[0][:1].isupper():
                    names = (f"{lead[-1]} {names[0]}",) + names[1:]
            for d in _years(years) if names else ():
                # a lone name after a preposition, "(en France, 2019)", is a place unless the list names it
                found.append(Mark(start, end, printed, names, d.year, place=place, suffix=d.suffix,
                                  original=d.original, again=d.again))
    forms = [rx for rx, hint in ((org_narrative, _OPEN_YEAR), (_NARRATIVE, _OPEN_YEAR),
                                 (_NARRATIVE_SQUARE, _SQUARE_YEAR), (_ETAL_YEAR, _ANY_ETAL))
             if rx and has_year and hint.search(text)]
    for rx in forms:
        for m in rx.finditer(text):
            names = names_of(m, strict=True)
            if names is None or not free(*m.span()):
                continue
            taken.append(m.span())
            start = m.start() + max(0, m.group("who").find(names[0]))
            place = _place_after_preposition(text, m.start(), m.group("who"), names)
            found += [Mark(start, m.end(), text[start:m.end()], names, d.year, place=place, suffix=d.suffix,
                           original=d.original, again=d.again) for d in _years(m.group("years"))]
    enumerators = _enumerators(text) if numeric is PAREN_NUMERIC else ()
    for m in numeric.finditer(text):
        if re.match(r"0\s*[–-]", m.group("nums")) or m.start() in enumerators:
            continue  # a scale, "EVA [0-10]"; the points of a sentence, "(1) ... and (2) ..."
        # numbers beyond a printed list are not this document's citations ("[7, 22]" of 11 entries)
        listed = numbers(m.group("nums"))
        if (upto := m.groupdict().get("upto")) and listed and listed[-1] < int(upto) <= listed[-1] + 50:
            listed += range(listed[-1] + 1, int(upto) + 1)
        nums = [n for n in listed if n >= 1 and (not max_n or n <= max_n)]
        ahead = text[max(0, m.start() - 12):m.start()]
        if not nums or not free(*m.span()) or _NOT_BEFORE_NUM.search(ahead) \
                or (numeric is not NUMERIC and _SEE.search(ahead)):
            continue
        before = _WHO_BEFORE.search(text[max(0, m.start() - 80):m.start()])
        names = who(before.group("who"), common, strict=True) if before else None
        # weaker evidence than a year: "Dark Matter [14]", "Virtual Machine (4)" name nobody
        if names and all(fold(w) in common for n in names for w in n.split()):
            names = None
        start = m.start()
        if before and names:
            start = m.start() - len(before.group(0)) + max(0, before.group("who").find(names[0]))
        found += [Mark(start, m.end(), text[start:m.end()], names or (), None, n) for n in nums]
    return sorted(found, key=lambda k: k.start)
