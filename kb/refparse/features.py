"""Tokens of a reference with their character offsets, and the features the sequence labeller sees.

Tokens are whitespace-separated words ("Flückiger,", "(2018).", "55(4),"), so every field is a slice of
the raw string. Features describe a token by its form, never by rare words: the word itself only as an
attribute the model may know (the trainer keeps it only for words seen in several references), plus
shape, punctuation, case, digits, word classes (journal, publisher, French and English markers), its
relative position, and running state (after a year, after "In", inside quotes or parentheses, how many
sentence ends came before). Neighbours' forms are copied in with offsets -2..+2. Each token also sees its
sentence block as a whole (length, share of capitalised words, whether it holds a journal word, a place,
a year, page numbers...), the cue that tells a title in sentence case from a journal or publisher block.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import NamedTuple

_TOKEN = re.compile(r"\S+")
# Words a PDF glued at punctuation: "Roever.Formalising" / "editors,Proc." / "Singapore,2004)." split after
# the punctuation mark (two letters before it, so "J.Smith", "e.g." and DOIs stay whole); Vancouver
# numbers "2018;12(3):45-67." split into "2018;" "12(3):" "45-67.".
_GLUE = re.compile(r"[^\W\d_]{2}(?:[.,;:](?=[A-Z(“«\"])|[,;:](?=[^\W_]))|[\d)][;:](?=\d)")  # cut at .end()
# "(2018)." / "2018a," / "1979;" -> a year; "1998-2004" is a range, not a year
_YEARISH = re.compile(r"^\W*(1[6-9]\d\d|20[0-4]\d)[a-z]?\W*$")
_RANGE = re.compile(r"\d+\s*[-–—]+\s*\d+")
_INITIAL = re.compile(r"^(?:[A-Z][a-z]?\.-?)+,?$|^[A-Z]{1,3},?$")  # "E.", "J.-P.", "Ch.", "JJ,"
_OPEN_Q = "“«‘„\"'`"
_CLOSE_Q = "”»’\"'"

# Word classes a reader of references knows; folded (lowercase, no accents), without punctuation.
_CLASSES = {
    "journalw": {"journal", "j", "review", "rev", "revue", "proceedings", "proc", "transactions", "trans",
                 "annals", "ann", "annales", "bulletin", "bull", "letters", "lett", "quarterly", "archives",
                 "arch", "acta", "reports", "rep", "cahiers", "research", "res", "science", "sci", "nature",
                 "medicine", "med", "psychology", "psychol", "psychiatry", "psychiatr", "psychother",
                 "psychotherapy", "therapy", "ther", "clin", "clinical", "physics", "phys", "conference", "conf",
                 "symposium", "workshop", "international", "int", "studies", "stud", "american", "am",
                 "european", "eur", "british", "br", "magazine", "encephale", "evolution", "psychiatrique",
                 "medecine", "sante", "soins", "kinesitherapie", "pratiques", "annual", "advances", "adv"},
    "publisherw": {"press", "presses", "publishers", "publisher", "publishing", "publications", "verlag",
                   "editions", "edition", "editeur", "editeurs", "wiley", "springer", "elsevier", "routledge",
                   "sage", "dunod", "masson", "gallimard", "seuil", "puf", "eres", "harmattan", "guilford",
                   "norton", "books", "academic", "university", "universite", "universitaires", "inc", "ltd",
                   "co", "company", "macmillan", "blackwell", "penguin", "hogrefe", "kluwer", "pearson"},
    "placew": {"new", "york", "london", "paris", "oxford", "cambridge", "boston", "berlin", "chicago",
               "montreal", "quebec", "geneve", "geneva", "bruxelles", "lyon", "toulouse", "washington",
               "philadelphia", "amsterdam", "san", "francisco", "heidelberg", "ny", "ma", "ca", "dc", "uk",
               "usa", "lausanne", "marseille", "bordeaux", "lille", "nancy", "rennes", "grenoble"},
    "monthw": {"jan", "january", "janvier", "feb", "february", "fevrier", "mar", "march", "mars", "apr",
               "april", "avril", "may", "mai", "jun", "june", "juin", "jul", "july", "juillet", "aug",
               "august", "aout", "sep", "sept", "september", "septembre", "oct", "october", "octobre",
               "nov", "november", "novembre", "dec", "december", "decembre", "spring", "summer", "fall",
               "autumn", "winter", "printemps", "ete", "automne", "hiver"},
    "particlew": {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "des", "dos", "le",
                  "la", "ter", "ten", "mac", "st", "al", "el", "bin", "ibn"},
    "etalw": {"et", "al", "coll", "others", "alii"},
    "editorw": {"ed", "eds", "editor", "editors", "edited", "ed(s)", "dir", "dirs", "coord", "hrsg", "trad",
                "trans", "translated", "traduit", "sous", "direction"},
    "inw": {"in", "dans", "im"},
    "volw": {"vol", "volume", "v", "t", "tome", "bd", "no", "n", "nr", "num", "numero", "issue", "suppl",
             "supplement", "part", "pt"},
    "pagew": {"p", "pp", "pages", "page", "s", "pgs", "e"},
    "andw": {"and", "&", "et", "und", "y", "e"},
    "notew": {"retrieved", "available", "disponible", "accessed", "consulte", "online", "en", "ligne",
              "from", "at", "sur", "url", "internet", "unpublished", "manuscript", "thesis", "these",
              "dissertation", "memoire", "doctoral", "phd", "report", "rapport", "paper", "presented",
              "poster", "communication", "press", "presse", "submitted", "forthcoming", "isbn", "issn",
              "pmid", "arxiv"},
    "stopw": {"the", "of", "a", "an", "on", "for", "with", "to", "from", "by", "as", "is", "at", "its",
              "le", "la", "les", "l", "un", "une", "des", "du", "d", "pour", "sur", "avec", "par", "chez",
              "entre", "au", "aux", "est", "dans", "qui", "que"},
}


class Token(NamedTuple):
    """A whitespace-separated word of a reference and where it is: text[start:end] == text of the token.
    (A named tuple: a document's references make thousands of tokens, and frozen dataclasses are slow.)"""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """ "Bordin, E. S. (1979)." -> [Bordin, | E. | S. | (1979).] with offsets into text."""
    glue = sorted({g.end() for g in _GLUE.finditer(text)})
    if not glue:  # most references: whitespace alone cuts them
        return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        cuts = [start, *glue[bisect_right(glue, start):bisect_left(glue, end)], end]
        out.extend(Token(text[a:b], a, b) for a, b in zip(cuts, cuts[1:]))
    return out


@lru_cache(maxsize=65536)
def fold_word(tok: str) -> str:
    """The word under its punctuation, lowercased and unaccented: "«Thérapie»," -> "therapie"."""
    core = re.sub(r"^[^\w&]+|[^\w&]+$", "", tok).lower()
    core = unicodedata.normalize("NFKD", core)
    return "".join(c for c in core if not unicodedata.combining(c))


def _shape(core: str) -> str:
    """Character classes with runs collapsed: "Flückiger" -> "Xx", "J.-P." -> "X.-X.", "55(4)" -> "d(d)"."""
    s = "".join("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in core)
    return re.sub(r"(.)\1+", r"\1", s)[:8]


_CLASS_OF: dict[str, tuple[str, ...]] = {}
for _name, _words in _CLASSES.items():
    for _w in _words:
        _CLASS_OF[_w] = _CLASS_OF.get(_w, ()) + (_name,)


@lru_cache(maxsize=65536)
def _context(tok: str, d: int) -> tuple[str, ...]:
    """A neighbour's form as seen from d tokens away: "-1:end=,", "-1:cap"..."""
    return tuple(f"{d}:{x}" for x in _form(tok) if not x.startswith("len="))


@lru_cache(maxsize=65536)
def _form(tok: str) -> tuple[str, ...]:
    """Features of a token on its own (no position, no context)."""
    core = re.sub(r"^[^\w&]+|[^\w&]+$", "", tok)
    w = fold_word(tok)
    f = [f"shape={_shape(core)}", f"len={min(len(core), 8)}"]
    last, first = tok[-1], tok[0]
    if not last.isalnum():
        f.append(f"end={last}")
        if len(tok) > 1 and not tok[-2].isalnum():
            f.append(f"end2={tok[-2:]}")
    if not first.isalnum():
        f.append(f"beg={first}")
    if _YEARISH.match(tok):
        f.append("year")
    if _RANGE.search(tok):
        f.append("range")
    if core.isdigit():
        f.append(f"num{min(len(core), 5)}")
    elif re.search(r"\d", core):
        f.append("hasdigit")
    if _INITIAL.match(tok):
        f.append("initial")
    if core[:1].isupper():
        f.append("cap")
        if core.isupper() and len(core) > 1:
            f.append("caps")
    elif core[:1].islower():
        f.append("lower")
    if re.search(r"https?:|www\.", tok, re.I):
        f.append("url")
    if re.search(r"10\.\d{4,9}/", tok) or w.startswith("doi"):
        f.append("doi")
    if "@" in tok:
        f.append("email")
    f.extend(_CLASS_OF.get(w, ()))
    return tuple(f)


def _ends_sentence(s: str) -> bool:
    """ "words." / "words?" end a sentence; "E." (an initial), "al." and "pp." do not."""
    return s[-1] in ".?!" and not _INITIAL.match(s) and fold_word(s) not in _NOT_STOPS


_NOT_STOPS = {"al", "coll", "eds", "ed", "pp", "p", "vol", "no", "dir", "st", "dr", "jr", "n", "v", "t"}


class _Info(NamedTuple):
    """All a token's text-only facts, computed once per distinct token text (references repeat their words)."""

    form: tuple[str, ...]
    word: str
    ends: bool  # ends a sentence
    year: bool
    cap: bool
    long: bool  # a word that counts for capitalisation ratios: alphabetic, 4+ letters, not a stop word
    in_marker: bool  # "In" / "Dans" / "in:"
    ctx: tuple[tuple[str, ...], ...]  # its form as seen from offsets -2, -1, +1, +2 (index 0..3)
    seg: frozenset[str]  # its features that describe a sentence block (_SEG_CLASSES)


@lru_cache(maxsize=65536)
def _info(tok: str) -> _Info:
    form, w = _form(tok), fold_word(tok)
    return _Info(form, w, _ends_sentence(tok), "year" in form, "cap" in form,
                 len(w) > 3 and w.isalpha() and w not in _CLASSES["stopw"],
                 w in _CLASSES["inw"] and (tok[0].isupper() or tok.endswith(":")),
                 tuple(_context(tok, d) for d in (-2, -1, 1, 2)), _SEG_CLASSES.intersection(form))


def _running_state(tokens: list[Token], infos: list[_Info], rows: list[list[str]]) -> None:
    """Adds to each token's row: after a year, after "In", inside quotes or parentheses, sentence ends and
    commas before (also since the year, and still to come), whether a year is still to come."""
    n = len(tokens)
    stops_after = [0] * n
    year_after = [False] * n
    k, y = 0, False
    for i in range(n - 1, -1, -1):
        stops_after[i], year_after[i] = k, y
        k += infos[i].ends
        y = y or infos[i].year
    year_seen = in_seen = in_q = new_sent = False
    depth = stops = commas = since_year = 0
    for i, t in enumerate(tokens):
        s, inf = t.text, infos[i]
        opens_q = s[0] in _OPEN_Q and not in_q
        if opens_q:
            in_q = True
        f = rows[i]
        f += (_STOPS[min(stops, 5)], _COMMAS[min(commas, 6)], _LEFT[min(stops_after[i], 4)])
        if year_seen:
            f.append(_AFTERYEAR[min(since_year, 3)])
        if year_after[i]:
            f.append("yearahead")
        if new_sent:
            f.append("newsent")
        if in_seen:
            f.append("afterin")
        if in_q:
            f.append("inquote")
        if depth > 0 or s[0] in "([":
            f.append("inparen")
        if "(" in s or ")" in s or "[" in s or "]" in s:
            depth = max(0, depth + s.count("(") + s.count("[") - s.count(")") - s.count("]"))
        if in_q and (s[-1] in _CLOSE_Q or s[-2:-1] in tuple(_CLOSE_Q)) and not (opens_q and len(s) == 1):
            in_q = False
        if inf.year:
            year_seen, since_year = True, 0
        in_seen = in_seen or inf.in_marker
        new_sent = inf.ends
        stops += new_sent
        since_year += new_sent
        if s[-1] in ",;":
            commas += 1


_STOPS = [f"stops={k}" for k in range(6)]
_COMMAS = [f"commas={k}" for k in range(7)]
_LEFT = [f"left={k}" for k in range(5)]
_AFTERYEAR = [f"afteryear{k}" for k in range(4)]


def _segments(infos: list[_Info], out: list[list[str]]) -> None:
    """Adds to each token's row (out) what its sentence, the run between sentence ends, looks like as a
    reader sees a block: "The working alliance. | Psychotherapy, 16(3), 252-260." -> the second block is
    short, capitalised, has numbers and a journal word. Also the capitalisation of the next three words."""
    n = len(infos)
    caps = [inf.cap and inf.long for inf in infos]
    long_w = [inf.long for inf in infos]
    start = 0
    for i in range(n):
        if not (i == n - 1 or infos[i].ends):
            continue
        end = i + 1
        nlong = sum(long_w[start:end])
        ratio = sum(caps[start:end]) / nlong if nlong else -1
        size = end - start
        f = [f"sg_len={size if size < 4 else 'm' if size < 9 else 'l'}",
             f"sg_cap={'none' if ratio < 0 else 'lo' if ratio < 0.34 else 'mid' if ratio < 0.67 else 'hi'}"]
        cls = set().union(*[infos[k].seg for k in range(start, end)])
        if start > 0 and infos[start].word in _CLASSES["inw"]:
            cls.add("in")
        f.extend(f"sg_{c}" for c in sorted(cls))
        for k in range(start, end):
            out[k].extend(f)
            out[k].append(_NEXTCAP[sum(caps[k + 1:k + 4])])
        out[start].append("sg_first")
        out[end - 1].append("sg_last")
        start = end


_SEG_CLASSES = frozenset({"journalw", "publisherw", "placew", "editorw", "volw", "pagew", "notew", "year", "range",
                          "num1", "num2", "num3", "num4", "hasdigit", "url", "monthw"})
_NEXTCAP = [f"nextcap={k}" for k in range(4)]


def features(tokens: list[Token], vocab: set[str] | None = None) -> list[list[str]]:
    """The feature strings of each token. vocab, when given, limits word-identity features to its words
    (the trainer passes the words seen in enough references); at tagging time all words are offered and
    the model ignores those it never kept."""
    n = len(tokens)
    infos = [_info(t.text) for t in tokens]
    words = [inf.word if inf.word and (vocab is None or inf.word in vocab) else "" for inf in infos]
    out = [["bias", _POS[10 * i // n], _IDX[min(i, 4)], *inf.form] for i, inf in enumerate(infos)]
    _running_state(tokens, infos, out)
    _segments(infos, out)
    # the neighbours' features, unrolled (the model sums weights: the order of a token's strings is free)
    for i, f in enumerate(out):
        if i == n - 1:
            f.append("last")
        if words[i]:
            f.append("w=" + words[i])
        if i >= 2:
            f.extend(infos[i - 2].ctx[0])
        else:
            f.append(_NONE[0])
        if i >= 1:
            f.extend(infos[i - 1].ctx[1])
            if words[i - 1]:
                f.append("-1:w=" + words[i - 1])
        else:
            f.append(_NONE[1])
        if i + 1 < n:
            f.extend(infos[i + 1].ctx[2])
            if words[i + 1]:
                f.append("1:w=" + words[i + 1])
        else:
            f.append(_NONE[2])
        if i + 2 < n:
            f.extend(infos[i + 2].ctx[3])
        else:
            f.append(_NONE[3])
    return out


_IDX = [f"idx={k}" for k in range(5)]
_POS = [f"pos={k}" for k in range(10)]
_NONE = [f"{d}:none" for d in (-2, -1, 1, 2)]
