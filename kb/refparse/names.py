"""Author lists in references: name patterns, surname + initials, and the scanner that reads a list.

"Bordin, E. S., & Horvath, A. O." / "Pérez-Higueras JJ, Arias A" / "Marco Baroni, Jan van der Berg" ->
("Bordin, E. S.", "Horvath, A. O.") ... The scanner stops at the first thing that is not a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kb.analysis import fold as _fold

# --- names ---------------------------------------------------------------------------------------
_L = r"[^\W\d_]"  # any letter
_UP = r"[A-ZÀ-ÖØ-ÞŁŒŠŽА-ЯЁΑ-Ω]"  # Latin, Cyrillic and Greek capitals
# A capitalised name word: "Flückiger", "O'Brien", "Pérez-Higueras", "McCloskey", "BORDIN".
_W = rf"{_UP}(?:{_L}|[’'`¨´˜ˆ¸˛ˇ˚-](?={_L})|[¸˛](?=\s))+"
# Surname particles: "van der Berg", "de Roten", "D'Alessandro" (that one is a plain word).
_PART = r"(?:(?:van|von|der|den|de|del|della|di|da|du|des|dos|das|le|la|ter|ten|mac|st\.?)\s+){0,3}"
# Dotted initials: "E.", "E. S.", "J.-P.", "A.J.", "Ch.", "Th."
_IDOT = rf"(?:(?:{_UP}[a-z]?\.\s?-?\s?)+)"
# Undotted initials after a surname (Vancouver / French journals): "JJ", "P", "J-P"
_IBARE = rf"(?:{_UP}{{1,3}}(?:-{_UP})?)"
_SURNAME = rf"{_PART}{_W}(?:\s+{_W}){{0,2}}"
_CAP_PART = r"(?:Van\s+[Dd]e[rn]|De\s+[Ll]a|Del|Della|De|Di|Da|Du|Dos|Van|Von|Le|La)"

# A generational suffix: "Knapp FF Jr" / "Pease, M. Y., Jr." / "Gates III"; only "Jr"/"Sr" come between a
# surname and its initials ("Baes Jr., C. F." / "Simmons Jr. GM")
_JR = r"(?:Jr|Sr)"
# ("Eger EI 2nd": PubMed writes II as 2nd; not the edition of "3rd Ed.")
_SUFFIX_WORDS = r"(?:Jr|Sr|II|III|IV|(?:2nd|3rd)(?!\s+(?:[EeÉé]d|[Ee]dition)))"
_SUFFIX_IN = rf"(?:\s+{_JR}\.?)?"

# What may follow a full name in a list: a separator, "(2018)", ". Title" or the end.
# "Bergen, Doris L. Twisted Cross": a name ending in an initial is also followed by plain space.
_FOLLOW = rf"(?=\s*(?:[,;&(:]|\b(?:and|et)\s+[A-Z]|\.(?:\s|$)|$)|(?<=\.)\s|\s+{_SUFFIX_WORDS}\b)"
_UPWORD = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’]{2,}"  # a surname in capitals: "BLANC", "D'ALMEIDA" (not initials "RN")
_NAME_FORMS = [
    # French bibliographies put the particle after the surname: "MIJOLLA (de) A." / "ROTEN (de), Yves"
    ("sP", re.compile(rf"(?P<s>{_W}(?:[ -]{_W})?)\s*\((?P<p>(?i:de|du|des|van|von|van der|le|la|di|da|del|d[’']))\)"
                      rf"\s*,?\s*(?P<i>{_IDOT}|{_IBARE}\b(?!\w)|{_UP}[a-zà-ÿ]+(?:-{_UP}[a-zà-ÿ]+)?{_FOLLOW})")),
    # French "NOM Prénom": "BLANC Anne" / "DJAMENT-TRAN Géraldine" / "LE GALL Jean-Pierre" / "AYKUT Stefan C."
    # and "LARRAMÉE DE TANNENBERG Valéry", "ADIGARD DES GAUTRIES Jean" (a particle inside)
    ("sF", re.compile(rf"(?P<s>(?:(?:LE|LA|DE|DU|DI|DA|VAN)\s)?{_UPWORD}"
                      rf"(?:[ -](?:(?:DE|DES|DU|LA|LE)\s)?{_UPWORD})?)\s+"
                      rf"(?P<f>{_UP}[a-zà-ÿ]+(?:-{_UP}[a-zà-ÿ]+)?(?:\s+{_UP}\.)?){_FOLLOW}")),
    # Chicago's first name with an initial and a given name, a given-name-first name after it:
    # "Muran, J. Christopher, Jeremy D. Safran" / "Mason, R. Hal and John C. McKelvey" (not a title's word:
    # "Green, B. Renovation and Green Agenda Support...")
    ("sfull", re.compile(rf"(?P<s>{_PART}{_W}(?:\s+{_W}){{0,2}}),\s+(?P<f>{_UP}\.\s*{_W})"
                         rf"(?=(?:,\s*(?:and\s+)?|\s+and\s+)(?:{_UP}\.\s*)?{_W}(?:\s+{_UP}\.)*"
                         rf"\s+{_PART}{_W}(?:-{_W})?\s*(?:[,.(]|and\b))")),
    # "Bordin, E. S." / "van der Berg, J.-P." / "Flückiger, C"
    # and "Welmers-van de Poll, M. J." (a particle inside a compound surname)
    ("sf", re.compile(rf"(?P<s>{_PART}{_W}(?:\s+{_PART}{_W})?(?:-{_W})?){_SUFFIX_IN},\s*(?P<i>{_IDOT}|{_IBARE}\b)(?!\w)")),
    # "Collin F. Baker" / "Luke N Darlow" / "Marco Baroni" / "Ling Tony Chen" / "Ana-Maria Popescu" (not "Doe JJ")
    ("fs", re.compile(rf"(?P<f>{_W}(?:\s+{_IDOT}|\s+{_UP}(?=\s+{_W})|\s+{_W}(?=\s+{_UP}))?)\s+"
                      rf"(?![A-Z]{{1,3}}\b(?![’']))(?P<s>{_PART}{_W}(?:-{_W})?){_FOLLOW}")),
    # Chicago's names after the first, inverted one: "Safran, Jeremy D., and" + "J. Christopher Muran"
    ("ifs", re.compile(rf"(?P<f>{_UP}\.\s*{_W}(?:\s+{_UP}\.)?)\s+(?P<s>{_PART}{_W}(?:-{_W})?){_FOLLOW}")),
    # "Heidegger M." / "Pérez-Higueras JJ" / "BORDIN E.S."
    # and Portuguese / Spanish compound surnames: "Bastos de Oliveira NT", "Nunes Cabral CM"
    ("si", re.compile(rf"(?P<s>{_PART}{_W}(?:\s+(?:(?:de|da|do|dos|das|del|y)\s+)?{_W})?){_SUFFIX_IN}\s+"
                      rf"(?!{_JR}\b)(?P<i>{_IDOT}|{_IBARE}\b)(?![\w’'])")),  # not "Noel O" of "Noel O'Connor"
    # "J. Smith" / "S. E. Han" / "W.-M. Yao" / "J. van der Berg"
    # and "A. C. Del Re," / "F. De Smet and" (a capital particle, when a name's end follows its word)
    ("is", re.compile(rf"(?P<i>{_IDOT})\s*(?P<s>(?:{_CAP_PART}\s+(?={_W}\s*(?:[,;&]|and\b|\.(?:\s|$)|$)))?"
                      rf"{_PART}{_W}(?:-{_W})?)")),
    # French humanities: "Niaux (R.)" / "Kefi (N.)"
    ("sp", re.compile(rf"(?P<s>{_PART}{_W}(?:\s+{_W})?)\s*\((?P<i>{_IDOT})\)")),
    # "Gardenfors, Peter" / "Adams, Nicholson B." (never inside a first-name-first list)
    ("sfull", re.compile(rf"(?P<s>{_PART}{_W}(?:\s+{_W}){{0,2}}){_SUFFIX_IN},\s+(?P<f>{_W}(?:\s+{_IDOT}|\s+{_W})?){_FOLLOW}")),
]
# A two-letter surname closing an initials-first list, which _IDOT would read as an initial like "Ch.":
# "J. Ba. Adam: A method..." / "Y. Li. Deep learning..." (not "A. Yu. Smirnov", "Ph. Aries", "Cl. Roy")
_IS_SHORT = re.compile(rf"(?P<i>(?:{_UP}\.\s?-?\s?)+)(?P<s>[A-Z][a-z])(?=\.\s+{_UP})")
_GIVEN_ABBREVIATIONS = {"Ch", "Th", "Ph", "Sh", "Kh", "Zh", "Yu", "Ya", "Yo", "Ye", "Ts", "Wm", "Cl", "Fr", "Fl", "St",
                        "Gh", "Dj", "Jr", "Ed", "Mc"}

# French ISO 690 names, "SURNAME, Prénom": the surname in capitals, the given name written out
ISO_SURNAME = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]+(?:\s+[A-ZÀ-ÖØ-Þ'’-]+)?"
ISO_GIVEN = r"[A-ZÀ-ÖØ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-ÿ]+)?(?:\s+[A-Z]\.)?"
# The next name of a list in capitals whose names end with a full stop: ". MERKLING, Jacky."
_ISO_NEXT = re.compile(rf"\.\s+(?={ISO_SURNAME},\s*{ISO_GIVEN}[.,])")
# ", editor." / " (Eds.)" / " (dir.)": an edited volume's names end the list.
_EDITOR = re.compile(r"\s*,?\s*\(?(?:eds?|editors?|éds?|dir|coord|hrsg)\.?\)?(?=[\s.,:]|$)", re.I)
_SEP = re.compile(r"(?i:\s*(?:,\s*(?:and|&|et|und|y)\s+|;\s*(?:and|&|et)?\s*|,\s*|\s+(?:and|&|et|und|y)\s+|\s*&\s*))")
# A full name inside an initials-first list, then the list going on: "Scott Hu, and M. van der Schaar"
_IS_FOLLOWS = re.compile(rf"{_W}\s+{_PART}{_W}{_SEP.pattern}{_IDOT}\s*{_PART}{_W}")
_ETAL = re.compile(r"\s*,?\s*(?:et\s*al\.?|et\s+coll\.?|and\s+others|et\s+alii|\.\.\.|\.\s\.\s\.|…)", re.I)
_NOT_NAMES = {"in", "the", "on", "of", "pp", "vol", "and", "et", "journal", "revue", "proceedings", "proc", "university", "press", "phys", "rev"}

_CAPITAL_PARTICLES = {"DE", "DU", "DES", "DER", "DEN", "LE", "LA", "DI", "DA", "DEL", "DELLA", "VAN", "VON", "TEN",
                      "TER"}
_SUFFIX_WORD = re.compile(rf"{_SUFFIX_WORDS}\.?")
_SUFFIX = re.compile(rf"\s*,?\s*{_SUFFIX_WORDS}\b\.?(?=[\s,;:]|$)")
_BARE_INITIALS = re.compile(r"[A-Z]{1,2}(?:-[A-Z]{1,2})?")
# The asterisk an APA meta-analysis puts before each study it included: "*Horvath, A. O., & Symonds..."
INCLUDED_MARK = re.compile(r"^\*+\s*")

_SPACING_MARKS = dict.fromkeys(map(ord, "¨´`˜ˆ¸˛ˇ˚"))  # a PDF's accent printed apart: "Fl¨uckiger"


@lru_cache(maxsize=65536)  # names recur across a document's list and its citations
def fold(text: str) -> str:
    """Lowercase, accents stripped: "Flückiger" -> "fluckiger" (also repairs "Fl¨uckiger")."""
    return _fold(text.translate(_SPACING_MARKS))


@lru_cache(maxsize=65536)
def _initials(text: str) -> str:
    """ "E. S." / "ES" / "J.-P." / "Jean Pierre" -> "E. S." / "J.-P." / "J. P." """
    out = []
    # a given name in capitals is one initial ("ROBIN" -> "R."), an undotted run of up to three is several
    for part in re.findall(rf"{_UP}{{4,}}|{_UP}[a-z]*\.?|-", text):
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
        s = s.title()
    return s


def _match_name(text: str, pos: int, surname_first: bool | None, first_kind: str | None = None):
    """The first name form that matches at pos, as (kind, match), or (None, None)."""
    for kind, rx in _NAME_FORMS:
        if kind == "fs" and first_kind == "is" and not _IS_FOLLOWS.match(text, pos):
            # "J. I. Cirac, String Order and..." : an initials-first list stays initials-first, unless an
            # initials-first name follows ("J. Yoon, A. M. Alaa, Scott Hu, and M. van der Schaar")
            continue
        if kind == "ifs" and first_kind not in ("sfull", "fs"):
            # an initials-first list: "J. Smith Deep learning..." is "J. Smith" and a title; after a given name
            # written out, one may open with an initial: "Jeremy D. Safran and J. Christopher Muran"
            continue
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
        if kind == "sf" and " " in sur and _BARE_INITIALS.fullmatch(sur.split()[-1]):
            continue  # "DESPLAND J-N, DE ROTEN Y": capitals after a capitalised surname are its initials
        if kind == "fs" and (fold(m.group("f").split()[0]) in _NOT_NAMES or _SUFFIX_WORD.fullmatch(sur)):
            continue  # "Knapp FF Jr": a surname, its initials and a suffix, not a given name "Knapp FF" + "Jr"
        if sur.isupper() and (kind == "fs" and m.group("f").split()[0] in _CAPITAL_PARTICLES
                              or kind == "si" and (m.group("i") in _CAPITAL_PARTICLES or sur in _CAPITAL_PARTICLES)):
            continue  # "DE ROTEN, Yves", "VAN DER KOLK, Bessel" (ISO 690): particles in capitals open a surname
        if kind == "is" and (short := _IS_SHORT.match(text, pos)) and short.group("s") not in _GIVEN_ABBREVIATIONS \
                and len(short.group("i")) < len(m.group("i")):
            return kind, short
        return kind, m
    return None, None


def parse_authors(text: str) -> tuple[tuple[str, ...], int, bool]:
    """Scan an author list from the start of text: (["Surname, I."...], end offset, et-al seen)."""
    names: list[str] = []
    pos, end, etal = 0, 0, False
    surname_first: bool | None = None
    first_kind = None
    while True:
        kind, m = _match_name(text, pos, surname_first, first_kind)
        if not m:
            break
        first_kind = first_kind or kind
        if surname_first is None:
            # Chicago: "Green, Meredith J., Christopher C. Sonn, and Jabulane Matsebula" (only the
            # first name is inverted), so a full-given-name start leaves the order open.
            surname_first = None if kind == "sfull" else kind in ("sf", "si", "sp", "sF", "sP")
        i = m.groupdict().get("i") or m.groupdict().get("f") or ""
        ini = _initials(i)
        surname = _surname(m.group("s"))
        if particle := m.groupdict().get("p"):
            surname = particle.lower() + ("" if particle[-1] in "’'" else " ") + surname
        names.append(f"{surname}, {ini}" if ini else surname)
        pos = end = m.end()
        if suffix := _SUFFIX.match(text, pos):
            pos = end = suffix.end()  # "Knapp FF Jr," / "Pease, M. Y., Jr.,": the suffix is not the next name
        e = _ETAL.match(text, pos)
        # APA 7 elision: "Hong, J. J., ... & Lee, H. Y." goes on to the last author
        if e and re.match(r"\s*(?:&|and)\s", text[e.end():]) and "." in e.group(0):
            pos = e.end()
            s = _SEP.match(text, pos)
            pos = s.end() if s else pos
            continue
        if e and not re.search(r"[^\s,.…]", e.group(0)) and _match_name(text, nxt := e.end() + len(
                text[e.end():]) - len(text[e.end():].lstrip()), surname_first, first_kind)[1]:
            pos = nxt  # "Golic, K. G., … Rubin, G. M. (2004)": APA 7 elides the middle names without "&"
            continue
        if e:
            etal, end = True, e.end()
            break
        ed = _EDITOR.match(text, pos)
        if ed and ed.end() > pos:
            end = ed.end()
            break
        s = _SEP.match(text, pos)
        if (not s or s.end() == pos) and m.group("s").isupper() and (iso := _ISO_NEXT.match(text, pos)):
            s = iso  # French ISO 690: "LANGENFELD, Solange. MERKLING, Jacky. Psychologie..."
        if not s or s.end() == pos:
            break
        pos = s.end()
    return tuple(names), end, etal

