"""Reference entries: splitting a reference section into entries and parsing one entry into fields.

parse_reference() reads a reference with the trained labeller (crf.py: which words are authors, date,
title, container...) and keeps the hand-written rules (rules.py) where a pattern is exact: the printed
number, DOI, URL, volume, issue, pages, and the author scanner that turns the labelled author run into
"Surname, I." names. Where the labeller runs a title over a boundary a reader never crosses ("Title. In
Book", ", ed. Name", a closing quote, an address, ". Paris :"), the title is cut there. Without the model
file the rules parse everything, as before the labeller.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kb.models import Reference
from kb.refparse import crf
from kb.refparse.features import _CLASSES
from kb.refparse.names import (_PART, _SUFFIX_WORDS, _UP, _W, INCLUDED_MARK, ISO_GIVEN, ISO_SURNAME, _initials,
                               _surname, fold, parse_authors)
from kb.refparse.rules import _DATE_AFTER_NAMES, _YEAR, _sentence_end, anchors, numbers, parse_rules
from kb.refparse.split import KEY, split_entries

__all__ = ["fold", "parse_authors", "parse_reference", "split_entries"]

# What is not part of a field at its edges: "« L'alliance »," -> "L'alliance"; "(2018)." -> "2018"
_EDGE = " \t,;:.([{“”\"'«»‘’`/-_—–"  # "———. Stephen Hero": the dash standing for the author above


# A printed number before the names: "12. " / "[3] " / "15.Vinokur" / "5,6-Ando" / "[ACL30] "
_NUMBER = re.compile(r"\W*(?:[A-Z]{0,5}\d{1,4}(?:[,-]\d{1,4})*)[.)\]:-]*\s*(?=[^\W\d_])")
# An author run the scanner cannot read: "Childs, Francis Lane" -> "Childs"; "RENAULT." -> "Renault"
_PARTICLE_FIRST = re.compile(rf"((?:van|von|de|del|della|di|da|du|des|le|la)\s+{_PART}{_W})\s+({_W}(?:[ -]{_W})?)")
_LONE_NAME = re.compile(rf"({_PART}{_W}(?:[ -]{_W}){{0,2}})\s*(?:,\s*(.*?))?[\s.,;:]*$")
# Vancouver names the labeller took for the title's start: " Martin-Leroy Q." / ", van Dijk AB,"
_VANCOUVER = re.compile(rf"(?:\s*[,;]?\s*(?:and\s+|&\s*|et\s+)?(?:{_PART}{_W}[ -])?{_PART}{_W}\s+(?:{_UP}\.?-?){{1,3}}(?!\w)"
                        rf"(?:\s+{_SUFFIX_WORDS}\b)?[.,]?)+\s*[.,]?")

# An initials-first list whose last surname the labeller gave to the title: "Z. Guo, D. J." + "Schwarz Power
# spectra from..." / "A. V. Toporensky and V. O." + "Ustiansky, nonsingular models..."
_DOTTED = rf"(?:{_UP}\.\s?-?){{1,3}}"  # "D. J." / "J.-P."
_INITIALS_FIRST = re.compile(rf"\W*{_DOTTED}\s*{_PART}{_W}")
_INITIALS_END = re.compile(rf"(?:^|,|\band|&)\s*{_DOTTED}\s*$")
_SURNAME_GAP = re.compile(rf"\s*{_PART}{_W}\s*,?\s*")
# The last name of any list, initials first: "Juiler, S. J. and J. K." + "Uhlmann Unscented filtering..."
_LAST_INITIALS = re.compile(rf"(?:\band|&)\s*{_DOTTED}\s*$")
# Full names, given name first, the labeller took for the title's start after the first: "Jeremy Safran," +
# "Christopher Muran and Lisa Eubanks. Repairing alliance ruptures." (the list closes with "and" and a full stop)
_FULL_NAME = rf"{_W}(?:\s+{_UP}\.)?\s+{_PART}{_W}"
_GIVEN_FIRST = re.compile(rf"\W*{_FULL_NAME}\s*,\s*$")
_FULL_NAMES = re.compile(rf"(?:\s*{_FULL_NAME}\s*,)*\s*{_FULL_NAME}\s*,?\s*(?:and|&)\s+{_FULL_NAME}\s*")
# French ISO 690 names the labeller took for the title's start: " MERKLING, Jacky" / " Ljiljana" (the given
# name of "JOVIC, Ljiljana")
_ISO_NAMES = re.compile(rf"(?:\s*\.?\s*{ISO_SURNAME},|(?<=[A-ZÀ-ÖØ-Þ]{{2}},))\s*{ISO_GIVEN}\.?")
# A short first sentence, then the next one: "Santé publique France. Douleur chronique"
_ORG_SENTENCE = re.compile(r"([A-ZÀ-Ý][^\s.]*(?:\s+[^\s.]+){1,5}?)\.\s+(?=[A-ZÀ-Ý])")
# A book's "Place : Publisher" after its title: ". Paris : PUF" / ". New York, NY: Guilford"
_PLACE_PUBLISHER = re.compile(r"[\s.,]*(?!(?:In|Dans|Hrsg|Hgg|Eds?|Dir)\b)[A-Z][^\W\d_]+(?:[ -][A-Z]?[^\W\d_]+){0,2}"
                              r"(?:,\s*[A-Z]{2})?\s*:\s*[A-Z]")
# A book's series in parentheses at the end of its title, before the imprint: " (Logiques sociales)" /
# " (Sociologie santé : recherche, pratiques professionnelles 2012/35)"; not an acronym "(WAI)" or "(HAq-II)"
_SERIES = re.compile(r"\s*\((?=[A-ZÀ-Ý][^()]*\s)(?![A-Z-]+\))[^()]{3,80}\)[.,]?\s*$")
# A title's first words the labeller took for a last author: ". Adam:" before "A method for..."
_TITLE_HEAD = re.compile(r"[.,]?\s+((?!(?:Jr|Sr|II|III)\b)[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,3}:)\s*")
_IN = re.compile(r"\b(?:In|in|Dans|dans)\s*:|\b(?:In|Dans)\s")
# Where a title stops though the labeller ran on into what follows it: "Magnetometry. In Remote Sensing in
# Archaeology" / "A novel approach, in New Trends in..." / "Institutions cénobitiques, ed. Jean-Claude Guy" /
# "Mein Kampf, trans. James Murphy" / "Le Haut Moyen Âge, sous la dir. de"
_TITLE_STOP = re.compile(r"[.,;]\s+(?:(?:In|in|Dans|dans)\s*:?\s+(?=[A-Z«“\"‘])|(?:[Ee]ds?\.|[Ee]dited\s+by|[Tt]rans\."
                         r"|[Tt]ranslated\s+by|[Tt]rad\.|[Tt]raduit|éds?\.|[Dd]ir\.|sous la dir)\s)"
                         # "Sur la traduction. Paris : Bayard" / ". New York, NY: Guilford"
                         r"|\.\s+(?:Paris|London|New York|Oxford|Cambridge|Boston|Berlin|Chicago|Montr[ée]al|Qu[ée]bec"
                         r"|Gen[èe]ve|Bruxelles|Lyon|Toulouse|Washington|Philadelphia|Amsterdam|San Francisco|Heidelberg"
                         r"|Lausanne|Marseille|Bordeaux|Lille|Thousand Oaks|Hillsdale|Mahwah|Hove|Stuttgart|M[üu]nchen"
                         r"|Baltimore|Hoboken|Los Angeles|Toronto|Leipzig|Wien|Vienna)(?:,\s*[A-Z][A-Za-z.]{1,5})?\s*:"
                         # a set's size or an edition after the title: "Sense and Sensibility, 2 vols." /
                         # "Printing Types. 2nd ed." / "Traité de psychologie. 3e éd."
                         r"|[.,;]\s+\d{1,2}\s+(?:vols?\.|volumes\b|tomes\b)"
                         # a French series: "L'alliance thérapeutique, coll. « Que sais-je ? »" /
                         # ". Collection Psychothérapies"
                         r"|[.,;]\s+(?:[Cc]oll\.\s*|[Cc]ollection\s+)(?=[«“\"A-Z])"
                         # the GOST separator before a journal or a book: "Title // Journal. 2016. Vol. 5"
                         r"|\s*(?<![:/])(?<!http )(?<!https )//(?!/)\s*(?=[^\W\d_])"
                         # the Russian and Bulgarian "In:" (Cyrillic В): "Заглавие. В: Сборник статей"
                         r"|[.,;]\s+В\s*:\s*(?=\w)"
                         # an institution after the title's full stop: ". Dept. of Computer Sciences, The University
                         # of Texas, TR-09-06" / ". Department of Health"
                         r"|\.\s+(?:Dept\.\s?|Department\s+|School\s+|Faculty\s+|Institute\s+)of\s"
                         # a medium, a kind of work or a language: "Chronic pain [Internet]. Geneva: WHO; 2020" /
                         # "The alliance [Motion picture]" / "Le lien [DVD vidéo]" / "[Doctoral dissertation]" /
                         # "[In French]" (the medium in any case: "[en ligne]", "[abstract]")
                         r"|\s*\[(?:(?i:Internet|En ligne|Online|Motion picture|Film|DVD|Video|Vidéo|CD-ROM|Podcast"
                         r"|Computer software|Software|Brochure|Fact sheet|Report|Special issue|Doctoral dissertation"
                         r"|Master'?s thesis|Thèse|Mémoire|Abstract|Résumé|Preprint|Prépublication|Editorial|Éditorial"
                         r"|Poster|Audio|Review of|Webinar|Blog post|Tweet|Data set|Television|Unpublished)"
                         r"|In (?:English|French|German|Spanish|Italian|Greek|Russian|Portuguese))\b[^\]]*(?:\]|$)"
                         r"|[.,;]\s+(?:\d{1,2}(?:st|nd|rd|th|e|ème|re)|[Rr]ev\.|[Rr]evised|[Nn]ew|[Nn]ouvelle)"
                         r"\s+(?:[Ee]d\.|[Ee]dn\.|[Ee]dition\b|éd\.|édition\b)"
                         # a guideline's kind after its title: ". Recommandation de bonne pratique" (HAS) /
                         # ". Consensus formalisé" / ". NICE guideline [NG59]"
                         r"|[.,;]\s+(?:Recommandations?\s+(?:de\s+bonne\s+pratique|pour\s+la\s+pratique\s+clinique)"
                         r"|Recommandations?\s+professionnelles|Expertise\s+collective"
                         r"|Consensus\s+formalisé|Fiche\s+mémo|Note\s+de\s+cadrage"
                         r"|(?:NICE|[Cc]linical)\s+guideline)\b"
                         # a report's kind or number: ". Rapport. Paris" / ". Technical report." / " (Report No. 12)"
                         r"|[.,;]\s+(?:Rapport|Technical\s+report|Research\s+report)(?=\s*[.,;])"
                         r"|\s*\((?:(?:Report|Rapport|Publication)\s+)?(?:No|N[°º]|n[°º])\.?\s*\d[^()]*\)"
                         # a French thesis or dissertation: ", Mémoire de DEA, Paris II" / ". Thèse de doctorat" /
                         # ". Mémoire de fin d'études"
                         r"|[.,;]\s+(?:[Mm]émoire\s+(?:de\s+(?:[Mm]aster|fin|DEA|DESS|[Ll]icence|[Mm]aîtrise"
                         r"|recherche)|pour\s+l)"
                         r"|[Tt]hèse\s+(?:de\s+(?:[Dd]octorat|médecine|pharmacie)|d['’]exercice))\b")
# A book's imprint in parentheses after its title: "Hydrodynamics (Cambridge Univ. Press, Cambridge, 1993)"
_IMPRINT = re.compile(r"\s*\((?=[^()]*[^\W\d_])[^()]{2,80},\s*(?:1[6-9]\d\d|20[0-4]\d)\s*\)")  # not "(1798, 1805)"
# A journal's abbreviated first word the labeller left on the title it follows, in comma styles:
# "BAFF inhibition: a new class of drugs, Exp." + "Cell. Res." / "Avoiding dark energy, Lect.NotesPhys"
_JOURNAL_HEAD = re.compile(r",\s+((?:[A-Z][a-z]{0,4}\.\s?)+\S*)$")
_ABBREVIATED = re.compile(r"\b[A-Z][a-z]{0,5}\.")
# A journal's first words after a title's full stop, up to the end of a title run: ". Infect" / ". Asia Pac" /
# ". Novosti Sist"
_JOURNAL_WORDS = re.compile(r"(?<![\s.][A-Z])\.\s+((?:[A-Z][a-z]{0,7}\s){0,2}[A-Z][a-z]{0,7})$")
_QUOTE_PAIRS = {"“": "”", "«": "»", '"': '"', "„": "“"}  # not ‘...’: ’ is also the apostrophe
# A title stops where an address begins: "NetLogo. http://ccl.northwestern.edu/netlogo/. Center for..."
_ADDRESS = re.compile(r"\s(?:https?:|www\.|doi:|Retrieved\s|Available\s|Disponible\s)")
_URLISH = re.compile(r"https?:|www\.|\.(?:org|com|net|fr|edu|gov|int)\b|/")


def _field(text: str, start: int, end: int) -> str | None:
    """A labelled run as printed, minus its edge punctuation: "« L'alliance en ligne »." -> "L'alliance en ligne"."""
    run = text[start:end].lstrip()
    s = run.strip(_EDGE).strip()
    if run[:len(run) - len(run.lstrip(_EDGE))].endswith("(") and re.match(r"[^()]*\)\W*[^\W\d_]", s):
        s = "(" + s  # "(Weltliche) Eliten" keeps the bracket its own words close
    if s.endswith(")") and "(" not in s:
        s = s[:-1].rstrip(_EDGE)
    return s if len(s) >= 2 and re.search(r"[^\W\d_]", s) else None


# What is never a work's title: an address ("http ://cern.ch/garfield", the PDF's space and all) or the day it
# was read ("Consulté le 2 janvier 2016]", "Accessed May 31, 2013")
_NOT_TITLE = re.compile(r"(?:https?\s?:|www\.|(?:Consulté|Cité|Cited|Accessed|Retrieved|Last accessed)\b)", re.I)
# ... nor a journal's short name with its volume, year and article number, as physics prints them:
# "JCAP12(2004)012" / "JHEP 0803 (2008) 049" / "Phys.Rev.D63:063506,2001"
_JOURNAL_NUMBERS = re.compile(r"(?P<name>[A-Za-z.]*[A-Za-z])\.?\s?\d+\s?(?:\((?:1[6-9]|20)\d\d\)\s?\d+|:\d+,\s?(?:1[6-9]|20)\d\d)")


# ... nor a lone lowercase word or a file's name, a labeller's stray ("ran" from a name cut "Chandrasekha- ran",
# "tutorial.html" from an address), nor a work's status ("work in preparation", "in press")
_STRAY = re.compile(r"[a-zà-ÿ][\w'’-]*|\S+\.(?:html?|php|aspx?|pdf|txt)"
                    r"|(?i:(?:work\s+)?in\s+(?:preparation|press|review)|under\s+review|submitted|forthcoming"
                    r"|to\s+appear|sous\s+presse|à\s+paraître|en\s+préparation)")


def _title_or_none(s: str | None) -> str | None:
    return None if s is None or _NOT_TITLE.match(s) or _JOURNAL_NUMBERS.fullmatch(s) or _STRAY.fullmatch(s) else s


def _journal_only(s: str | None) -> str | None:
    """A container without the numbers the PDF glued to it: "Phys.Rev.D63:063506,2001" -> "Phys.Rev.D"."""
    m = _JOURNAL_NUMBERS.fullmatch(s) if s else None
    return m.group("name") if m else s


# Words that make an author an organisation: "American Psychological Association", "Haute Autorité de
# Santé", "World Health Organization", "Institut national de santé publique du Québec" (folded)
_ORG_WORDS = frozenset("""
association organization organisation institute institut society societe agency agence autorite authority
ministry ministere department departement council conseil committee comite foundation fondation federation
university universite centre center office board commission collaboration college academy academie group
groupe network reseau bureau nations government gouvernement observatoire ordre federal national nationale
world mondiale international internationale health sante services inc ltd llc corp corporation company gmbh
""".split())
# A person as APA, Vancouver or Chicago prints one: "Smith, J.", "Smith J", "J. Smith", "Smith, John"
_PERSON = re.compile(r",\s*(?!(?:Inc|Ltd|Corp|Co)\b)[A-Z][\w-]*\.|\b[A-Z][a-z]+\s+[A-Z]{1,3}\b(?![a-z])|\b[A-Z]\.\s*(?:[A-Z]\.\s*)?[A-Z][a-z]")


# A group that signs a paper beside its people, closing a Vancouver list: "Stahl M, Arnold D; ESMO Guidelines
# Working Group. Title": the words that name a team, not any organisation (a "National Institute" here would
# more likely be an affiliation)
_GROUP_WORDS = frozenset("group groupe collaboration collaborators consortium investigators committee comite force "
                         "network reseau trialists team equipe".split())
_GROUP_AFTER_NAMES = re.compile(r"\s*;\s*((?:[Tt]he\s+)?[A-Z][^.;()]{2,80}?)\.\s+(?=\S)")


# A group that signs first, before or instead of its people: "ALICE Collaboration, J. Adam et al., Title" /
# "The Cochrane Collaboration. Title" / "GTEx Consortium. Title" / "ATLAS Collab. (G. Aad et al.), Phys. Lett."
# / "Virgo and LIGO Scientific collaborations, B.P. Abbott et al." / "R Development Core Team, 2005:"; the last
# word names a team, the words before it are capitalised
_GROUP_WORD = r"(?:[Cc]oll?ab\w*ations?|[Cc]ollab\.|Consortium|Group|Team|Investigators)"
_COLLABORATION = re.compile(rf"((?:[Tt]he\s+)?(?:[A-Z][\w.-]*\s+(?:and\s+|&\s*)?){{1,6}}{_GROUP_WORD}"
                            r"(?:\s+[IVX]+\b)?)(?:\s*[,.:;]\s+|\s+(?=\())(?=\S)")
# "(G. Aad et al.), Phys. Lett. B" after the group: its people, in brackets
_PEOPLE_IN_BRACKETS = re.compile(r"\(([^()]{3,200})\)\s*([,.:;]?)\s*")


def _collaborations(name: str) -> list[str]:
    """ "LIGO Scientific Collaboration and Virgo Collaboration" signs as two groups ("Virgo and LIGO Scientific
    collaborations" as one)."""
    parts = re.split(r"\s+(?:and|&)\s+", name)
    return parts if all(re.search(rf"{_GROUP_WORD}$", p) for p in parts) else [name]


def _group_after_names(text: str, end: int) -> tuple[str, int] | None:
    """(the group's name, where what follows it starts) when a team closes the author list at end."""
    m = _GROUP_AFTER_NAMES.match(text, end)
    if not m or not _GROUP_WORDS.intersection(fold(w) for w in m.group(1).split()):
        return None
    name = _organisation(m.group(1))
    return (name, m.end()) if name else None


def _organisation(span: str) -> str | None:
    """The author span as one corporate author when it names an organisation and no person: parsing
    "American Psychological Association." as a person gave "Association, A. P."."""
    name = re.sub(r"\s*\(?\s*(?:\d{4}[a-z]?|n\.\s?d\.|s\.\s?d\.)\s*\)?[\s.,;:]*$", "", span).strip(" .,;:")
    words = [fold(w) for w in re.findall(r"[^\W\d_]+", name)]
    if not (2 <= len(words) <= 12) or not _ORG_WORDS.intersection(words) or _PERSON.search(name):
        return None
    return name


# A date that is a status, not a year: "(in press)", "(sous presse)", "(s. d.)", "(n.d.)", "(forthcoming)".
_STATUS = re.compile(r"\(\s*(?:in\s+press|in\s+preparation|in\s+review|under\s+review|submitted|forthcoming"
                     r"|sous\s+presse|à\s+paraître|a\s+paraitre|en\s+préparation|soumis|s\.\s?d\.?|n\.\s?d\.?)\s*\)",
                     re.I)
# The date an undated work prints instead of a year: "(n.d.)", "s. d." (lowercase: "S.D." are initials)
_NO_DATE = re.compile(r"(?<![\w.])(?:n\.\s?d|s\.\s?d)\.(?=[\s,;)]|$)")
# The date in NLM/PubMed's format, after the journal and before the volume: "Phys Ther. 2013 Apr;93(4):470-8.
# ... Epub 2012 Nov 8." / "Front Psychol. 2011;2:270." / "Pain. 2019 Jan-Feb;160(1):1-9."
_PUBMED_DATE = re.compile(r"\.\s+((?:19|20)\d\d)(?:\s+[A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?(?:\s+\d{1,2})?)?"
                          r"(?:\s*\[[^\]]{0,40}\])?\s*;(?=\s*\(?\d)")  # "2018 [cited 2021 Mar 3];55(4)" / "2009;(2):CD007407"
# A connective before a book's title: "In La technique psychanalytique"
_IN_LEAD = re.compile(r"(?:(?:In|in|Dans|dans)\s*:?\s+)+(?=\S)")  # "In In Proc. of ICML'02" too
# A book's edition or volume in brackets after its title: " (3rd ed., Vol. 1, pp. 167–204)", " (2e éd.)"
_NTH_EDITION = r"\d{1,2}(?:st|nd|rd|th|e|ème|re)\s+(?:ed|éd|edn)\b"
_BOOK_PART = rf"{_NTH_EDITION}|[Rr]ev\.\s+ed|[Vv]ol\.\s*\d"
_EDITION = re.compile(rf"\s*\(\s*(?:{_BOOK_PART})")
# A translator or an edition in brackets after a book's title: " (trad. C. Monod)", " (Trans. J. Strachey)"
_TRANSLATOR = r"(?i:trad|tr|trans|transl)\.|(?i:traduit|traduction|translated)\b"
_TRANSLATED = re.compile(rf"[\s.,]*\(\s*(?:{_TRANSLATOR}|(?i:{_NTH_EDITION}))")
# ... or a bracket that names one after a name, which a book's title never holds: "(I. Meyerson, Trad.)",
# "(J.-M. Klinkenberg, Trans. 1973 ed.)", "(3e éd.)", "(Vol. 1)"; the title ends before it
_ROLE_BRACKET = re.compile(rf"\s*\((?:[^()]{{0,60}}?[\s,(])??(?:{_TRANSLATOR}|{_BOOK_PART})")
# The editors' mark closing the names an edited book opens with: "(Eds.)", "(Ed.).", "(dir.)", "(éds)"
_EDITED_BOOK = re.compile(r"(?:\((?:[Ee]ds?|[ÉéEe]ds?|[Dd]ir|[Cc]oord|[Hh]rsg|[Ee]ditors?)\.?\)|,\s*(?:eds?|éds?)\.)[.,]?\s*$")
# Where a container's name has ended: a web page's reading date or address after the site's name, or a
# book's translator or editor after its title (". Trad. fr. A. Berman", ", translated and edited by")
_CONTAINER_TAIL = re.compile(r"[.,]\s+(?:(?:Retrieved|Available|Accessed|Disponible|Consulté|Repéré|[Tt]raduit"
                             r"|[Tt]ranslated|[Ee]dited\s+by)\b|[Tt]rad\.|[Tt]rans\.(?=\s+(?:by\s+)?[A-Z][a-z]+\s+[A-Z]))")  # not "Phil. Trans. Roy. Soc."
# The mark closing a book's editors inside a chapter's container (the labeller may have cut its bracket open)
_BOOK_EDITORS = re.compile(r"(?:\(\s*|\b)(?:sous\s+)?(?:la\s+dir(?:ection|\.)?(?:\s+de)?|a\s+cura\s+di"
                           r"|(?i:eds?|éds?|dir|coord|hrsg|hg|orgs?|comps?|editors?)\.?)\s*\)[.,:]?\s*(?=\S)")
# A book's imprint after its title, ending the container: ". Milano: Raffaello Cortina" / ". Paris : PUF"
_PLACE_TAIL = re.compile(rf"[.,](?={_PLACE_PUBLISHER.pattern}[^:]*$)")
# ... and the French one: "(sous la dir. de)", "(sous la direction de)"
_DIRECTED = re.compile(r"\s*\(sous\s+la\s+dir(?:ection|\.)?(?:\s+de)?\s*\)[.,]?")
# ... when they are printed with initials, as APA and Vancouver print them ("Norcross, J. C.", "Muran JC"): in
# "Wagner, Richard, Mein Leben, Eike Middell (ed.)" a title would pass for a name
_INITIALLED = re.compile(rf"\W*(?!(?:In|Dans)\b){_PART}{_W}(?:[ -]{_W})?,?\s+(?:{_UP}\.|{_UP}{{1,3}}(?:-{_UP})?(?=,|\s+\())")
# An issue number the labeller left at a journal's end: ", n°35/36" / " no. 4" / ", Nr. 2" / ", št. 1"
_ISSUE_TAIL = re.compile(r",?\s*(?:n[°º]|[Nn]o\.|[Nn]r\.|št\.)\s*\d[\d/–-]*[.,;]?\s*$")
# When a web page was read: "[cited 2022 Jan 3]", "[cité le 3 janv 2022]", "[consulté le 12 mars 2021]"
_ACCESSED = re.compile(r"\[\s*(?:cited|cité|consulté|accessed|vu le)\b[^\]]*\]"
                       r"|\(\s*(?:cited|cité|consulté|accessed|last\s+accessed|vu le)\b[^)]*\)", re.I)


_STAND_IN = "(2000)"


def _labelled(text: str) -> list[tuple[str, int, int]]:
    """The labeller's runs; an early status ("(sous presse)", "(s.d.)"), which its training data seldom
    shows, is read as the year its place holds, then mapped back: "Dubois, A. (sous presse). Honte... :
    une étude qualitative. Psychologie française." is then cut as a dated entry is."""
    m = _STATUS.search(text)
    if not m or m.start() > 0.6 * len(text):
        return crf.spans(text)
    a, b = m.span()
    shift = (b - a) - len(_STAND_IN)

    def back(x: int) -> int:
        return x if x <= a else b if x <= a + len(_STAND_IN) else x + shift

    return [(lab, back(s), back(e)) for lab, s, e in crf.spans(text[:a] + _STAND_IN + text[b:])]


def _status_date(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The labeller's runs with a status date made one date run: it cuts "(in press)" into "(in" and
    "press)" and reads "press)." as the title's start, "(sous" as the names' end. Names before the
    status that it took for an editor are the authors (no "(Eds.)" there)."""
    m = _STATUS.search(text)
    # late in the entry the status follows the title ("Journal of X (in press)."): nothing to mend there
    if not m or not spans or m.start() > 0.6 * len(text):
        return spans
    a, b = m.start(), m.end()
    out: list[tuple[str, int, int]] = []
    for lab, s, e in spans:
        if e <= a or s >= b:
            out.append((lab, s, e))
            continue
        if s < a:
            # what runs into the status is still names: "Börzel, Tanja A., Jana Hönke and Christian
            # Thauer (forthcoming). Does it..."
            names = (lab == "editor" and s == spans[0][1]) or (lab == "title" and out and out[-1][0] == "author")
            out.append(("author" if names else lab, s, a))
        if e > b and text[b:e].strip(" .,;:"):
            out.append((lab, b + len(text[b:e]) - len(text[b:e].lstrip(" .,;:")), e))
    out.append(("date", a, b))
    merged: list[tuple[str, int, int]] = []
    for lab, s, e in sorted(out, key=lambda r: r[1]):
        if merged and merged[-1][0] == lab == "author":
            merged[-1] = (lab, merged[-1][1], e)
        else:
            merged.append((lab, s, e))
    return merged


# A run labelled volume that is only its number: "93", "12B,"
_BARE_VOLUME = re.compile(r"(\d{1,4}[A-Z]?)[,.;:]?")
# A year alone in brackets: "(2017)", "( 2017 )."
_BRACKETED_YEAR = re.compile(r"\(\s*(?:1[5-9]|20)\d\d[a-z]?\s*\)[.,;]?")


def _volume_read_as_date(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A journal's four-digit volume the labeller read as the date when the year comes later in brackets:
    "JHEP 1703, 113 (2017)" is volume 1703 of 2017."""
    out = list(spans)
    for i in range(1, len(out) - 1):
        lab, s, e = out[i]
        if lab == "date" and out[i - 1][0] == "container" and re.fullmatch(r"\d{4},?", text[s:e]) \
                and any(later == "date" and _BRACKETED_YEAR.fullmatch(text, ls, le) for later, ls, le in out[i + 1:]):
            out[i] = ("volume", s, e)
    return out


# Where a title may end inside a run that also holds its journal: a sentence end or a comma ("Title. Journal." /
# "Title, Journal,"); not after an initial or an abbreviated word ("Infect. Dis. Res.", "J. Appl. Phys.", "t. XXVI")
_TITLE_END = re.compile(r"(?<![\s.][A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})"
                        r"(?<!\b[a-z])(?<!\b[a-z]{2})(?<!\b(?!art|use|all|age|end|law|war|day|way|act|sex|web|men|one|two)[a-z]{3})"
                        r"[.?!](?=\s+\S)|,(?=\s+\S)")
# What does not start a journal's name: "Vol. 2", "No. 3", "pp. 4", "In", a number or a sign
_NOT_JOURNAL = re.compile(r"\s*(?:(?:[Vv]ol|[Nn]o|[Nn]r|pp?|[Tt]ome|[Pp]art|[Ii]n|[Dd]ans|[Ee]ds?|[Ee]dited)\b"
                          r"|[^\w\s]|\d)")
# A book's extent, not a journal's pages or volume: "240 p." / "298 pp." / "341 pages" / "100 S." / "6 Bde." / "2 vols."
_EXTENT = re.compile(r"\W*\d+\s*(?:p|pp|pages|S|s|vols?|volumes|Bde|tomes)\b")


def _journal_in_title(text: str, title: tuple[int, int], spans) -> int | None:
    """Where the journal or book starts in a title run the labeller extended over it, when the numbers of a
    part follow that run and no container was labelled: "Continental growth in Southern Africa, GSA Today,
    Vol. 10" -> "GSA Today"; "Helping and comforting in infancy. Infancy. 2011 Volume 16" -> "Infancy";
    in comma styles a book's place and year may come first: "Jean Dupont, Le serment, Mélanges offerts à
    Louis Martin, Paris, 1951, 259-270" -> "Mélanges offerts à Louis Martin"."""
    comma_style = text[:title[0]].rstrip().endswith(",")
    after = [(lab, s, e) for lab, s, e in spans if s >= title[1]][:4]
    while after and after[0][0] in (("other", "date", "publisher") if comma_style else ("other", "date")):
        after = after[1:]
    if not after or after[0][0] not in ("volume", "pages") or _EXTENT.match(text, after[0][1]):
        return None
    imprint = any(lab == "publisher" for lab, s, e in spans if title[1] <= s < after[0][1])
    if imprint and not (after[0][0] == "pages" and re.search(r"\d\s*[-–]\s*\d", text[after[0][1]:after[0][2]])):
        return None  # a book's place and year, then pages that are not a part's range
    if (text[:title[0]].rstrip()[-1:] or "x") in "«“\"‘„'" or text[title[0]] in "«“\"‘„'":
        return None  # a quoted title: the quote rule reads it
    body = text[title[0]:title[1]].rstrip(" ,.;:")
    cuts = [m for m in _TITLE_END.finditer(body) if m.start() > 3
            and body.count("(", 0, m.start()) == body.count(")", 0, m.start())]
    commas = [m for m in cuts if m.group(0) == ","]
    sentences = [m for m in cuts if m.group(0) != ","]
    asked = [m for m in commas if body[m.start() - 1] in "?!"]  # "What Can We Know?, Military Aspects..."
    pick = (asked or commas or ([] if imprint else sentences)) if comma_style else (sentences or commas)
    if not pick:
        return None
    tail = body[pick[-1].end():].lstrip()
    if len(tail.split()) > 16 or _NOT_JOURNAL.match(tail) or not tail[:1].isupper():
        return None
    return title[0] + len(body) - len(tail)


# A publisher's or a place's word: "Presses", "Éditions", "Paris" (folded); a run holding one is an imprint
_IMPRINT_WORDS = (frozenset(_CLASSES["publisherw"] | _CLASSES["placew"])
                  - {"academic", "university", "universite", "new"})
_MONTHS_TAIL = re.compile(r",?\s*(?:[A-Za-zéû]+\.?-)?(?:" + "|".join(sorted(_CLASSES["monthw"], key=len, reverse=True))
                          + r")\.?\s*,?\s*$", re.I)


# A journal's volume and issue: "22 (3)", "48(1)", "12 (3-4)", or as ISO 690 prints them: "vol. 27, n° 2"
_VOLUME_ISSUE = re.compile(r"\s*(?:\d{1,4}\s*\(\d{1,4}(?:[-–/]\d{1,4})?\)|[Vv]ol\.\s*\d{1,4},\s*(?:n[°º]|[Nn]o\.)\s*\d)")


def _journal_read_as_publisher(text: str, title: tuple[int, int], spans) -> tuple[int, int] | None:
    """A journal the labeller took for a publisher, as French comma styles print it: « Title », BCTH, 1911,
    p. 91-134 / « Title ». La Revue du Financier, mai-juin 2009. The run right after the title, then a date,
    then a part's pages or numbers; not an imprint ("Paris, Seuil") nor a book's extent ("240 p.")."""
    after = [(lab, s, e) for lab, s, e in spans if s >= title[1] and (lab != "other" or re.search(r"\w", text[s:e]))]
    if len(after) < 2 or after[0][0] != "publisher" or _IN_LEAD.match(text, after[0][1]):
        return None
    if text[title[0]] not in _QUOTE_PAIRS and not (
            len(after) >= 3 and after[1][0] == "date" and after[2][0] == "volume"
            and _VOLUME_ISSUE.match(text, after[2][1], after[2][2])):
        # a quoted title is an article's or a chapter's; a book's is not quoted, nor is a book followed by a
        # volume and its issue ("Psychothérapies, 2002, 22 (3), 147-154")
        return None
    _, s, e = after[0]
    words = {fold(w) for w in re.findall(r"[^\W\d_]+", text[s:e])}
    if words & _IMPRINT_WORDS or len(words) > 8 or re.search(r"\w", text[title[1]:s]) or re.search(r"[:(]", text[s:e]):
        return None  # "Englewood Cliffs: Prentice" / "Broadsheet (Auckland, NZ)": a place, an imprint
    months = _MONTHS_TAIL.search(text, s, e)  # "La Revue du Financier, mai-juin" + "2009": the date's month
    rest = after[1:]
    if rest[0][0] == "date":
        rest = rest[1:]
    elif not months:
        return None
    if not rest or rest[0][0] not in ("pages", "volume") or _EXTENT.match(text, rest[0][1]) \
            or not (re.search(r"\d\s*[-–]\s*\d|\b(?:vol|n[°º]|no|t)\b\.?\s*\d|p\.\s*\d", text[rest[0][1]:rest[0][2]])
                    or _VOLUME_ISSUE.match(text, rest[0][1], rest[0][2])):
        return None
    return (s, months.start() if months and months.start() > s else e)


# What follows a closing quote when the title goes on past a quoted phrase of its own: a lower-case word that
# is no "in", "by" or "presented" of a chapter or a talk
_QUOTE_GOES_ON = re.compile(r"\s*(?!(?:in|dans|en|im|a\.g|by|par|presented|published|trans|transl|ed|eds)\b)[a-zà-ÿ]")
# A year between a lower-case word and a capitalised one inside a title run: "... data structure 2006 Neural"
_YEAR_INSIDE = re.compile(r"(?<=[a-z])\s+((?:1[89]|20)\d\d)\s+(?=[A-Z][a-z])")
# A journal's abbreviated first word glued to the end of a title run: "detectorClass ." / "bladesNucl ."
_GLUED_JOURNAL = re.compile(r"(?<=[a-z]{3})([A-Z][a-z]{1,10})(?:\s\.|\.(?=[A-Z]))")
# A capitalised word after a sentence end, just before a title run that opens in lower case
_HEAD_LEFT_BEHIND = re.compile(r"(?:^|(?<!(?<![^\s.])[A-Z])[.:]\s)\s*([A-ZÀ-Ý][^\s.]*[,:]?)\s+$")  # not after "W. "


# What may follow the names in an author run without being a title: "et al.", "(eds.)", "and", a year
_NOT_A_TITLE = re.compile(r"(?i:et\s+al|eds?\b|éds?\b|dir\b|hrsg|and\b|et\b|&)|.*\d{4}")


def _title_in_names(text: str, start: int, end: int, spans) -> tuple[int, int] | None:
    """A title the labeller left in the author run after the names, when it labelled no title: "R. M. Wald,
    General Relativity, Univ. Press" / "Sakai K. Task Set and Prefrontal Cortex. Annual Review". A phrase of
    two words or more and nothing else: not a list the scanner could not read ("D. Hudson, Lewis Carroll,
    Constable,"), a name ("E. S. Weiner (Hg.)") or a journal's abbreviation ("K. Mannheim Astropart. Phys.")."""
    s = text[start:end].strip(_EDGE)
    if not s or not any(st >= end for _, st, _ in spans):
        return None
    k = text.index(s, start)
    words = s.split()
    if len(words) < 2 or re.search(r"[,;.()/]|\bet al\b", s) or not s[0].isupper() or _NOT_A_TITLE.match(s) \
            or text[k - 1:k] in "’'" or any(re.fullmatch(r"[A-Z]", w) for w in words) \
            or _VANCOUVER.fullmatch(" " + s):  # "Masiteng P L et al", "Lawrie E A and Shirinda O", "Hopla AK"
        return None
    if text[k + len(s):k + len(s) + 1] == "." and not any(len(w) > 1 and w.islower() for w in words):
        return None  # "Appl Spectrosc." / "Hum Genet.": a journal; "Task Set and Prefrontal Cortex." a title
    return k, k + len(s)


# A comma before an abbreviated journal or an acronym, the last in a run: ", Psychother. Res" / ", JINST"
_ABBREVIATED_AFTER_COMMA = re.compile(r",\s+(?=(?:[A-Z][a-z]{0,6}\.|[A-Z][a-z]+\.\s?[A-Z]|[A-Z]{3,}(?![\w-]))[^,]*$)")


def _title_like(s: str) -> bool:
    """Whether a run reads as a title rather than a name or a journal: "Review of particle physics", "La
    voie"; not "Sparnaay", "(LAT, Fermi)" or "Nucl. Instrum. Methods Phys. Res"."""
    return len(s.split()) >= 2 and s[0].isalnum() and not _ABBREVIATED.search(s) and s.count("(") == s.count(")") \
        and not _NOT_A_TITLE.match(s) and not re.search(r"\bet al\b", s)


# A series and its number, or a report's number, as the last sentence of a book's title run: ". Handbuch zum
# Neuen Testament 9" / ". PEER Report 2007/08" / ". ACI 318-02" / ". Technical Report No. 365"; not the work's own
# part or version (". Volume II", ". Part 2", ". Version 7.2") nor a year
_NUMBERED_SERIES = re.compile(r"\.\s+((?!(?:Part|Parts|Vol|Volume|Tome|Band|Teil|Partie|Livre|Book|Chapter|Section"
                              r"|Module|Version|Revision|Release|Edition|Édition)\b)[A-Z][^.:;?!,]*?(?:No\.\s*)?"
                              r"(?<![\d/.-])(?!(?:1[6-9]|20)\d\d\b)[A-Z]*[#-]?\d[\w./-]*)\.?\s*$")


def _followed_by_imprint(text: str, end: int, spans) -> bool:
    """Whether a run is followed by a book's imprint or nothing: a publisher, a place, a date, a note."""
    after = [lab for lab, s, e in spans if s >= end][:1]
    return not after or after[0] in ("publisher", "date", "note", "location", "url")


# Initials that open a name or follow an inverted surname's comma: ", R." / "and M. K."
_AFTER_INITIALS = re.compile(rf"(?:^|[,&]|\band)\s*(?:{_UP}\s?\.\s?-?)+\s*$")
# Where given names written in full end at a full stop: "Stanley Jeyaraja. Magic, science..."
_GIVEN_END = re.compile(r"(?<=[a-zà-ÿ]{2})\.\s+(?=[A-ZÀ-Ý])")


def _title_head(text: str, start: int, end: int) -> int | None:
    """Where the title starts when the labeller's author run holds its first words after the names' full
    stop: "Brundage, James A." + " Law," (then "Sex, and Christian Society..."). Not more names ("Doe, J.
    Smith, K."), an editor's mark or a year."""
    m = re.match(r"\s*\.?\s*", text[start:end])
    k = start + m.end()
    s = text[k:end].rstrip(" ,;:")
    if "." not in text[max(0, start - 2):k] or not s[:1].isupper() or len(s.split()) > 6 \
            or re.search(r"[().]|\d|\bet al\b", s) or _NOT_A_TITLE.match(s) or _VANCOUVER.fullmatch(" " + s) \
            or re.match(rf"{_W}\s*,\s*(?:{_UP}\.|{_W}\s*[,.]?$)", s) or re.fullmatch(r"\w\b.*", s) \
            or (text[k + len(s):end].lstrip()[:1] == "," and _AFTER_INITIALS.search(text, 0, start + 1)):
        return None  # "Fuller, R. Buckminster," / "M. Stanton,": a given name or a surname after initials
    return k


# A word of a name in title case: "Preventing Chronic Disease", "The Guardian", "Revue de l'infirmière"
_NAME_WORD = re.compile(r"(?:[A-ZÀ-Ý][\w’'&/-]*\.?|of|and|the|for|in|on|de|des|du|la|le|et|&|d[’']\w+)")
# A journal's first word, which no publisher's or newspaper's name starts with
_JOURNAL_FIRST_WORD = re.compile(r"(?:Journal|Transactions|Proceedings|Annals|Annales|Bulletin|Archives|Advances|Acta"
                                 r"|Cahiers|Annual Review|Review of|Revue)\b")
_PUBLISHER_WORD = re.compile(r"\b(?:Press|Presses|Publishers?|Publishing|Books|Verlag|Éditions|Editions)\b")


def _trailing_name(text: str, title: tuple[int, int], spans) -> int | None:
    """Where a journal's, newspaper's or publisher's name starts at the end of a title run that ran over it,
    when no container was labelled: "Evaluation of a program for veterans. Preventing Chronic Disease." +
    URL -> "Preventing Chronic Disease"; "Data retention. The Guardian. Retrieved from". The last sentence is
    a short name in title case (no digit, no comma) closed by a full stop, and nothing but a date, an address
    or a note follows, or a publisher's run when the name holds a publisher's word: a title-case subtitle
    before the imprint ("Peer to Peer. The Criminalization of Sharing. London: Sage") stays in the title."""
    after = [lab for lab, s, e in spans if s >= title[1]][:1]
    if after and after[0] not in ("date", "url", "note", "other", "publisher"):
        return None
    body = text[title[0]:title[1]].rstrip(" .,;:")
    ends = [m for m in _TITLE_END.finditer(body) if m.group(0) == "."]
    if not ends or not re.match(r"\s*\.(?:\s|$)", text[title[0] + len(body):]):
        return None
    head, tail = body[:ends[-1].start()], body[ends[-1].end():].strip()
    words = tail.split()
    longest = 8 if _JOURNAL_FIRST_WORD.match(tail) else 5  # "Transactions of the Association for Computational..."
    if len(head.split()) < 3 or not 1 <= len(words) <= longest or not all(_NAME_WORD.fullmatch(w) for w in words) \
            or not words[0][0].isupper() or re.search(r"[\d,]", tail):
        return None
    if after and after[0] == "publisher" and not _PUBLISHER_WORD.search(tail):
        return None
    return title[0] + len(body) - len(tail)


def _title_head_after_initials_first(text: str, names: int, start: int, end: int) -> int | None:
    """Where the title starts when the labeller's author run holds its first words after a list of names
    written initials first, whose every name opens with initials: "D. C. Roberts and Y. Pomeau," + " Casimir-Like
    Force" (then "Arising from quantum fluctuations..."); "J. Earman," + " Bangs, Crunches," (then "Whimpers and
    Shrieks..."). A phrase without initials, digits or "et al" cannot be one more such name."""
    if not _INITIALS_FIRST.match(text, names):
        return None
    m = re.match(r"\s*,\s*", text[start:end])
    if not m:
        return None
    k = start + m.end()
    s = text[k:end].rstrip(" ,;:")
    if not s[:1].isupper() or len(s.split()) > 6 or re.search(rf"\d|\bet al\b|(?<!\w){_UP}\s?\.|[()]", s) \
            or _NOT_A_TITLE.match(s):
        return None
    return k


def _mend_title_edges(text: str, title: tuple[int, int], container: tuple[int, int] | None, spans):
    """The title run's edges where the labeller or the PDF moved them: a first word left on the run before, a
    year or a journal abbreviation glued on, a bracket (a date, a role) the run opens inside or with.
    Returns (title, container)."""
    if text[title[0]].islower() and (head := _HEAD_LEFT_BEHIND.search(text, 0, title[0])) \
            and not any(s <= head.start(1) < e for lab, s, e in spans if lab == "date"):
        # "---. From" + "the Beast to the Blonde." / "COLLECTIF. L’écriture," + "un outil de...": the labeller
        # left the title's first word on the run before it; a title does not open in lower case
        title = (head.start(1), title[1])
    if (year_glued := re.match(r"(?:1[6-9]|20)\d\d(?=[A-Z][a-z])", text[title[0]:title[1]])):
        title = (title[0] + year_glued.end(), title[1])  # "... and Yamamoto H 2013Interferometer design of..."
    if container and 0 <= container[0] - title[1] <= 1 and \
            (tail := re.match(r"[a-z]{3,}(?=[A-Z][a-z]{1,10}(?:\s\.|\.(?=[A-Z])))", text[container[0]:container[1]])):
        # "...brief therapy" + "sessionsPsychother .Res": the title's last word glued to the journal it opens
        title, container = (title[0], container[0] + tail.end()), (container[0] + tail.end(), container[1])
    if (glued := _GLUED_JOURNAL.search(text, title[0], title[1] + 2)) and glued.start(1) > title[0] + 3 \
            and not re.search(r"\w", text[glued.end():title[1]]) \
            and (container is None or not text[title[1]:container[0]].strip(" .")) \
            and len(re.findall(r"[a-z]\s?\.", text[glued.start(1):(container[1] if container else title[1]) + 2])) >= 2:
        # "...gravitational wave detectorClass .Quantum Grav .32" / "...anti-spring bladesNucl .Instrum .Methods":
        # the PDF glued the journal's first abbreviation to the title's last word (two abbreviations at least:
        # not "European LeukemiaNet. J Clin Oncol")
        container = (glued.start(1), container[1] if container else title[1])
        title = (title[0], glued.start(1))
    if text.count("(", 0, title[0]) > text.count(")", 0, title[0]) \
            and (close := re.match(r"[^()]{0,40}\)[\s.,:;]*(?=\S)", text[title[0]:title[1]])):
        # "Greenberg, A. (2015, Juli 21), Hackers Remotely..." / "Philippi, D. L. (Trans.) Kojiki": the run
        # began inside a bracket opened before it (a date, a role); the title follows the bracket
        title = (title[0] + close.end(), title[1])
    if (group := re.match(r"\s*\([^()]{1,40}\)\s*[.,:;]+\s*(?=\S)", text[title[0]:title[1]])):
        title = (title[0] + group.end(), title[1])  # "(édit.), Panorama II..." / "(Herausgeberin): Integrative..."
    if text.count("(", title[0], title[1]) > text.count(")", title[0], title[1]) \
            and (close := re.match(r"[^();]{0,60}?\)", text[title[1]:])) \
            and not _YEAR.search(close.group(0)) and ";" not in text[text.rfind("(", title[0], title[1]):title[1]]:
        # "...de la grotte de la Vache (commune d'Alliat" + ", Ariège), Bulletin de la Société...": a bracket the
        # title opens, the title closes (not a series with its imprint: "(Studies, 8; Freiburg: Herder, 1999)")
        end = title[1] + close.end()
        title = (title[0], end)
        if container and container[0] < end:
            start = end + re.match(r"[\s.,:;\"”»’']*", text[end:]).end()
            container = (start, container[1]) if start < container[1] else None
    return title, container


# A space a copy lost after a full stop: "Linehan, M. M.(1993).Cognitive-behavioral", "précoces.Paris"; never
# inside a link, and only after a lowercase word ("Astropart.Phys" is a journal's abbreviation)
_LOST_SPACE = re.compile(r"(?<![\w.’'-])[a-zà-ÿ][a-zà-ÿ’'-]{2,}\.(?=[A-ZÀ-Þ][a-zà-ÿ])|\.(?=\((?:1[6-9]|20)\d\d)"
                         r"|\d\)\.(?=[A-ZÀ-Þ])")
_LINK = re.compile(r"(?:https?://|www\.|doi:)\S+", re.I)


def _spaced(text: str) -> str:
    links = [m.span() for m in _LINK.finditer(text)]
    cuts = [m.end() for m in _LOST_SPACE.finditer(text) if not any(a <= m.start() <= b for a, b in links)]
    for at in reversed(cuts):
        text = text[:at] + " " + text[at:]
    return text


# Wikipedia's links back to the citing places, copied with the entry: "^ a b", "↑ a et b", "^"
_BACKLINKS = re.compile(r"^(?:\[?\d{1,4}[.\])]?\s+)?((?:\^|↑)\s*(?:[a-z](?:\s+(?:et|and))?\s+)*)")


def _after_number(text: str, start: int, end: int) -> int:
    """Where the run text[start:end] goes on after a printed number ("12. ", "[3] ", "15.Vinokur")."""
    m = _NUMBER.match(text, start, end)
    return m.end() if m else start


def _first(spans, label):
    """(start, end) of the first run with this label, or None."""
    return next(((s, e) for lab, s, e in spans if lab == label), None)


def parse_reference(raw: str) -> Reference:
    """Parse one reference entry (any common style, French or English) into a Reference."""
    printed = " ".join(raw.split())
    text = _spaced(INCLUDED_MARK.sub("", printed))  # the entry as a reader parses it; raw keeps the mark
    if text != printed:
        return replace(parse_reference(text), raw=printed)
    if back := _BACKLINKS.match(text):  # "1. ^ a b Bordin, Edward S. (1979)": the number stays, the marks go
        return replace(parse_reference(text[:back.start(1)] + text[back.end():]), raw=printed)
    if key := KEY.match(text):  # "[Ahl78] Lars V. Ahlfors, ...": the key is no name
        return replace(parse_reference(text[key.end():]), raw=printed)
    # the group's name first: "T2K Collab." is no printed number "T2" before "K Collab."
    if group := _COLLABORATION.match(text) or _COLLABORATION.match(text, _after_number(text, 0, len(text))):
        # the names are read after the group; the fields with it, which the labeller was trained to skip,
        # unless that finds no title ("ATLAS Collaboration, JHEP 1703, 113 (2017)." is a journal and a year)
        after = text[group.end():]
        if people := _PEOPLE_IN_BRACKETS.match(after):
            after = f"{people.group(1)}, {after[people.end():]}"
        rest = parse_reference(after)
        whole = _parse(text, printed)
        fields = whole if whole.title or not (rest.title or rest.container) else replace(rest, raw=printed, n=whole.n)
        return replace(fields, authors=(*_collaborations(group.group(1)), *rest.authors))
    return _parse(text, printed)


def _parse(text: str, raw: str) -> Reference:
    """parse_reference() once the entry's mark and key are off: text as it reads, raw as printed."""
    spans = _labelled(text)
    if not spans:
        return parse_rules(raw)
    spans = _volume_read_as_date(text, _status_date(text, spans))
    n, doi, url, rest = anchors(text)
    title = _first(spans, "title")
    a = _first(spans, "author")
    if a is None and spans[0][0] == "editor" and (eds := _EDITED_BOOK.search(text, spans[0][1], spans[0][2])) \
            and _INITIALLED.match(text, spans[0][1]) \
            and spans[0][1] + parse_authors(text[spans[0][1]:eds.end()])[1] >= eds.start() - 2:
        # "Norcross, J. C., & Lambert, M. J. (Eds.). (2019). Psychotherapy relationships...": an edited book
        # opens with its editors, whom a text cites it by ("(Norcross & Lambert, 2019)")
        a = spans[0][1:]
    elif a is None and spans[0][0] == "editor" and _INITIALLED.match(text, spans[0][1]) \
            and (directed := _DIRECTED.match(text, spans[0][1] + parse_authors(text[spans[0][1]:])[1])):
        # "ANZIEU D. (sous la dir. de), Le travail psychanalytique..." (the labeller cuts the French mark)
        a = (spans[0][1], directed.end())
        if title and title[1] <= a[1]:  # "(sous" + "la direction de)" labelled as a title
            title = next(((s, e) for lab, s, e in spans if lab == "title" and s >= a[1]), None)
        if title and title[0] < a[1]:
            title = (a[1], title[1])
        elif title is None and spans[0][2] > a[1] + 3:  # the names, the mark and the title as one run
            title = (a[1], spans[0][2])
    leftover = None  # what the labeller's author run holds after the names
    authors: tuple[str, ...] = ()
    if a:
        start = _after_number(text, *a)
        authors, end, _ = parse_authors(text[start:])
        if start + end > a[1] and title and title[0] < start + end and (
                _VANCOUVER.fullmatch(text[a[1]:start + end]) or _ISO_NAMES.fullmatch(text, a[1], start + end)
                or (_GIVEN_FIRST.fullmatch(text, start, a[1]) and _FULL_NAMES.fullmatch(text, a[1], start + end)
                    and text.startswith(".", start + end) and len(text[start + end:title[1]].split()) >= 2)
                or (title[0] >= a[1] and _SURNAME_GAP.fullmatch(text, a[1], start + end) and (
                    _INITIALS_FIRST.match(text, start) and _INITIALS_END.search(text, a[0], a[1])
                    or _LAST_INITIALS.search(text, a[0], a[1])))):
            d = _DATE_AFTER_NAMES.match(text, start + end)  # "DEL RE A.C. (sous presse). Title"
            t0 = d.end() if d else start + end
            title = (t0, title[1]) if t0 < title[1] else None
        else:
            authors, end, _ = parse_authors(text[start:a[1]])
            leftover = (start + end, a[1]) if authors else None
            head = _TITLE_HEAD.fullmatch(text, start + end, a[1]) if authors else None
            if head and title and title[0] >= a[1]:
                title = (head.start(1), title[1])  # "J. Ba. Adam: A method...": the names end before "Adam:"
            lone = None if authors else _LONE_NAME.match(text, start, a[1])
            if lone:
                sur, given = lone.group(1), lone.group(2) or ""
                if (stop := _GIVEN_END.search(given)) and lone.start(2) >= 0:
                    # "Tambiah, Stanley Jeyaraja. Magic," : the given names end at their full stop
                    leftover, given = (lone.start(2) + stop.end(), a[1]), given[:stop.start()]
                if not given and " " in sur and not sur.isupper():
                    if particle := _PARTICLE_FIRST.fullmatch(sur):
                        sur, given = particle.groups()  # Cairn's "de Roten Yves": the surname, then the given name
                    else:
                        given, sur = sur.rsplit(" ", 1)  # "Adolf Hitler": given names first
                ini = _initials(given)
                authors = (f"{_surname(sur)}, {ini}" if ini else _surname(sur),)
        corporate = _organisation(text[start:a[1]])
        if corporate:
            authors, leftover = (corporate,), None
        elif authors and (group := _group_after_names(text, start + end)) and title and title[0] < group[1] <= title[1]:
            authors, leftover, title = (*authors, group[0]), None, (group[1], title[1])
        if title and leftover and not text[a[1]:title[0]].strip() and (
                (k := _title_head(text, *leftover)) or (k := _title_head_after_initials_first(text, start, *leftover))):
            title = (k, title[1])  # "Brundage, James A. Law," + "Sex, and Christian society...": "Law," opens the title
    elif title and spans[0][0] == "other" and spans[0][2] <= title[0] \
            and (corporate := _organisation(text[_after_number(text, *spans[0][1:]):spans[0][2]])):
        # "National Research Council (NRC), 2010, "New Worlds...": GROBID's training data leaves an organisation
        # (as it does a collaboration) out of its authors, so the labeller calls it "other"; a reader cites it
        authors = (corporate,)
    elif title and len(spans) > 2 and spans[0][0] == "title" and spans[1][0] == "date":
        # "Organisation mondiale de la santé (2019). Rapport ...": an organisation before the date, read
        # as a first title; the work's title is the next one
        corporate = _organisation(text[title[0]:title[1]])
        following = next(((s, e) for lab, s, e in spans[2:] if lab == "title"), None)
        if corporate and following:
            authors, title = (corporate,), following
    if not authors and title and spans[0][0] == "title" and (org := _ORG_SENTENCE.match(text, title[0], title[1])) \
            and org.group(1).split()[-1][:1].isupper() and (corporate := _organisation(org.group(1))):
        # "Santé publique France. Douleur chronique [Internet]. 2021": an organisation's name as the first
        # sentence of a run labelled title; a proper name, ending in a capital ("Mental health services. A
        # review" stays a title)
        authors, title = (corporate,), (org.end(), title[1])
    # the day a web page was read is not when it was published: "2021 [cité le 3 janv 2022]"
    accessed = [m.span() for m in _ACCESSED.finditer(text)]
    date = next(((s, e) for lab, s, e in spans if lab == "date" and not any(a <= s < b for a, b in accessed)), None)
    y = _YEAR.search(text, date[0], date[1]) if date else None
    if y is None and accessed:
        y = _YEAR.search(text, 0, accessed[0][0])
    year = int(y.group(1)) if y else None
    pubmed = _PUBMED_DATE.search(text)
    if pubmed:  # the issue's year, not an "Epub" date the labeller preferred
        year = int(pubmed.group(1))
    if any(lab == "url" and not _URLISH.search(text[s:e]) for lab, s, e in spans) or not (
            authors or title or _first(spans, "container")):
        # a "URL" with no address in it, or nothing found that names the work ("[3] SPECJVM98 -
        # http://..."): the labeller lost its way or the entry is too bare for it; the rules stand
        ref = parse_rules(raw)
        return replace(ref, authors=authors or ref.authors, year=year or ref.year, title=_title_or_none(ref.title))
    if title and date is None and (inner := _YEAR_INSIDE.search(text, title[0], title[1])) \
            and inner.start() - title[0] > 15:
        # "Spherical self-organizing map using ... structure 2006 Neural Networks 900--910": no date labelled and a
        # year inside the title run, before capitalised words: the title ends there and the year is the date
        title, year = (title[0], inner.start()), int(inner.group(1))
    if year is None:
        y = _YEAR.search(rest)
        year = int(y.group(1)) if y else None
    if year and (nodate := _NO_DATE.search(text)) and text.find(str(year)) > nodate.start():
        # "(n.d.). ... Retrieved May 3, 2022" / "s.d. ... (consulté le 2 février 2024)": the work is undated;
        # a later year is the day it was read
        year = None
    volume, issue, pages = numbers(" ".join(text[s:e] for lab, s, e in spans if lab in ("volume", "pages")), year)
    container = _first(spans, "container")
    if pubmed and container and container[0] < pubmed.start() < container[1]:
        container = (container[0], pubmed.start() + 1)  # "Phys Ther. 2013 Apr;" -> "Phys Ther."
    if container and (lead := _IN_LEAD.match(text, container[0], container[1])):
        container = (lead.end(), container[1])  # "In La technique psychanalytique" -> the book's title
    if container and (ed := _EDITION.search(text, container[0], container[1])) and ed.start() > container[0]:
        container = (container[0], ed.start())  # "Psychotherapy relationships that work (3rd ed., Vol. 1,"
    if container and (issue_tail := _ISSUE_TAIL.search(text, container[0], container[1])) \
            and issue_tail.start() > container[0] + 2:
        container = (container[0], issue_tail.start())  # "Revue Histoire de l'art, n°35/36" -> the journal
    if title and container and 0 <= container[0] - title[1] <= 1 and (
            j := _JOURNAL_HEAD.search(text, title[0], title[1])) and (
            container[0] == title[1] or _ABBREVIATED.search(text, container[0], min(container[1], container[0] + 30))):
        title, container = (title[0], j.start()), (j.start(1), container[1])
    if title and container and re.fullmatch(r"\.?\s*", text[title[1]:container[0]]) and container[1] > container[0] \
            and text[container[0]].isupper() and re.fullmatch(r".*\w\s*\.\s*", text[title[0]:container[0]]) \
            and (j := _JOURNAL_WORDS.search(text, title[0], title[1] - (text[title[1] - 1] == "."))):
        # "Antiretroviral therapy in naive patients. Infect" + "Dis. Res. Treat": the labeller cut the journal's
        # name at the dot of its first abbreviation
        title, container = (title[0], j.start()), (j.start(1), container[1])
    if title is None and leftover and (t := _title_in_names(text, *leftover, spans)):
        title = t  # "R. M. Wald, General Relativity," labelled as the author run
    if title is None and container:
        # A title in title case read as the start of the journal: "International Momentum Strategies.
        # Journal of Finance," -> title "International Momentum Strategies", container "Journal of Finance";
        # a shorter one before a journal's word: "Le Moi-peau. Nouvelle revue de psychanalyse, 9"
        cut = container[0] + _sentence_end(text[container[0]:container[1]])
        head, tail = text[container[0]:cut], text[cut + 1:container[1]].lstrip()
        journal_tail = bool({fold(w) for w in re.findall(r"[^\W\d_]+", tail)} & _CLASSES["journalw"]) \
            and not re.search(r"\b[A-Z][a-z]{0,9}\.", tail)  # not "Geochim." + "Cosmochim. Acta": one journal
        if (len(head.split()) >= 3 or journal_tail and len(head) > 6) and tail[:1].isupper() \
                and not re.search(r"\b[A-Z][a-z]{0,4}$", head) \
                and not re.match(r"[A-Z][a-z]{0,6}\.", tail):
            title, container = (container[0], cut), (cut + 1 + len(text[cut + 1:]) - len(text[cut + 1:].lstrip()), container[1])
    if title is None and container and (comma := _ABBREVIATED_AFTER_COMMA.search(text, container[0], container[1])) \
            and _title_like(text[container[0]:comma.start()]):
        # "Review of alliance research, Psychother. Res. 12" labelled as one journal: the title is before it
        title, container = (container[0], comma.start()), (comma.end(), container[1])
    if title is None and container and not (volume or issue or pages) and _PLACE_PUBLISHER.match(text, container[1]):
        # "Kohut H. (1971). Le Soi. Paris : PUF.": a book, whose title the labeller took for a journal
        title, container = container, None
    if title and text[title[0]] in _QUOTE_PAIRS:
        # A quoted title ends at its closing quote: "“Aristotle's Psychology”, The Stanford Encyclopedia"; a
        # quote after the title's own comma or full stop closes it even where the PDF glued the next word on
        # ('"No simple dual?,"JHEP 1704')
        close = _QUOTE_PAIRS[text[title[0]]]
        k = next((m.start() for m in re.finditer(re.escape(close), text[:title[1]])
                  if m.start() > title[0] + 1 and (not text[m.end():m.end() + 1].isalnum()
                                                   or text[m.start() - 1] in ",.?!")), -1)
        # a title that goes on in lower case after the quote quoted a phrase of its own: "“On the ground” with
        # antiracist pedagogy..." (not "..., ”in Book" nor "” presented at")
        goes_on = k > 0 and text[k - 1] not in ",.;?!" and _QUOTE_GOES_ON.match(text, k + 1)
        if k > 0 and re.search(r"\w", text[k + 1:title[1]]) and not re.match(r"\s*[-–—:]", text[k + 1:]) \
                and not goes_on:
            title = (title[0], k + 1)
    stop = (_TITLE_STOP.search(text, title[0], title[1]) or _ADDRESS.search(text, title[0], title[1])) if title else None
    if stop and stop.start() - title[0] >= 3:
        if container is None and stop.group(0).strip(" .,;:")[:2] in ("In", "in", "Da", "da", "//", "В"):
            container = (stop.end(), title[1])  # "Title. In Book title" / "Title // Book" labelled as one title
        title = (title[0], stop.start())
    if title and (imprint := _IMPRINT.search(text, title[0])) and title[0] + 3 <= imprint.start() < title[1]:
        title = (title[0], imprint.start())
    if title and (series := _SERIES.search(text, title[0], title[1])) and _PLACE_PUBLISHER.match(text, series.end()) \
            and series.start() > title[0] + 3:
        title = (title[0], series.start())  # "... l'épuisement professionnel (Efficacité professionnelle). Paris :"
    if title and (number := _NUMBERED_SERIES.search(text, title[0], title[1])) and " " in text[title[0]:number.start()] \
            and len(number.group(1).split()) <= 8 and _followed_by_imprint(text, title[1], spans):
        title = (title[0], number.start())  # "Assessing collapse safety. PEER Report 2007/08. Berkeley, CA"
    if container is None and title and any(lab == "title" and e == title[1] for lab, s, e in spans) \
            and (j := _journal_in_title(text, title, spans)):
        title, container = (title[0], j), (j, title[1])
    if container is None and title and (j := _trailing_name(text, title, spans)):
        # the name itself is as often a publisher's as a journal's: a container only when it reads as a journal
        title, container = (title[0], j), ((j, title[1]) if _JOURNAL_FIRST_WORD.match(text, j) else None)
    if container is None and title and (j := _journal_read_as_publisher(text, title, spans)):
        container = j
    if container is None and title:
        # "Title. In : Editors (Eds.), Book title." labelled as two titles: the second is the book
        container = next(((s, e) for lab, s, e in spans if lab == "title" and s > title[1]
                          and _IN.search(text, title[1], s)), None)
    if title and container and not (volume or issue or pages) and re.fullmatch(r"\.?\s*\.?\s*", text[title[1] - 1:container[0]]) \
            and "." in text[title[1] - 1:container[0]] and _TRANSLATED.match(text, container[1]):
        # "Jeu et réalité. L'espace potentiel (trad. C. Monod). Paris : Gallimard": a book's subtitle, which a
        # journal never is before its translator or edition
        title, container = (title[0], container[1]), None
    if title and (role := _ROLE_BRACKET.search(text, title[0], title[1] + 60)) and title[0] + 3 < role.start() < title[1]:
        title = (title[0], role.start())
        close = text.find(")", role.end())
        if container and role.start() <= container[0] < (close if close >= 0 else len(text)):
            container = None  # "(I." + "Meyerson," + "Trad.)": the translator's name is no journal
    if title:
        title, container = _mend_title_edges(text, title, container, spans)
    if container and (mark := _BOOK_EDITORS.search(text, container[0], container[1])) \
            and mark.end() < container[1] - 3 and (
                "(" not in text[container[0]:mark.start() + 1]
                or container[0] + parse_authors(text[container[0]:mark.start()])[1] >= mark.start() - 2):
        # "In : Lecomte C., Drouin M.-S. (sous" + "la dir. de). Le thérapeute..." / "In: Dazzi N., Lingiardi V.
        # (a cura di), La diagnosi...": the book's editors and their mark, run into its title
        container = (mark.end(), container[1])
        if place := _PLACE_TAIL.search(text, container[0], container[1]):
            container = (container[0], place.start())  # "La diagnosi in psicologia clinica. Milano: Cortina"
    elif container and any(lab == "editor" and re.fullmatch(r"\s*", text[e:container[0]]) for lab, s, e in spans) \
            and (place := _PLACE_TAIL.search(text, container[0], container[1])) and place.start() > container[0] + 3 \
            and text[place.start()] == ".":
        container = (container[0], place.start())  # "In : DESPLAND J.-N. (dir.)." + "Psychothérapie... Genève : M&H"
    if container and (tail := _CONTAINER_TAIL.search(text, container[0], container[1])) and tail.start() > container[0] + 3:
        container = (container[0], tail.start())  # "In APA dictionary of psychology. Retrieved May 3, 2022"
    title_text = _field(text, *title) if title else None
    container_text = _journal_only(_field(text, *container) if container else None)
    if title_text and not container_text and _JOURNAL_NUMBERS.fullmatch(title_text):
        container_text = _journal_only(title_text)  # "JCAP12(2004)012" read as a title: the journal's name
    if volume is None and (bare := next((m for lab, s, e in spans if lab == "volume"
                                         and (m := _BARE_VOLUME.fullmatch(text, s, e))), None)) \
            and bare.group(1) != str(year):
        volume = bare.group(1)  # "Phys. Ther. 93 (2013) 470–478": the volume alone before the year
    return Reference(n=n, raw=text, authors=authors, year=year, title=_title_or_none(title_text),
                     container=container_text,
                     volume=volume, issue=issue, pages=pages, doi=doi, url=url)
