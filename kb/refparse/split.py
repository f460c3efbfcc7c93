"""Splitting a reference section's lines into entries: numbered lists, hanging APA entries, hyphenation.

"[1] Bordin ES. The generalizability of the working" + "alliance. Psychotherapy 1979;16:252-60." -> one entry.
"""

from __future__ import annotations

import re

from kb.refparse.names import _L, _PART, _UP, _W, INCLUDED_MARK, fold, parse_authors
from kb.refparse.rules import _DATE_AFTER_NAMES, _PRESS, _YEAR

# --- splitting -----------------------------------------------------------------------------------
# "[12] Bordin..." / "12. Bordin..." / "12 Bordin..." / "(12) Bordin..." / "12) Bordin..."
_NUM_STYLES = [re.compile(r"^\[(\d{1,4})\]\s*"), re.compile(r"^(\d{1,4})\.\s+(?=\S)"),
               re.compile(r"^\((\d{1,4})\)\s*"), re.compile(r"^(\d{1,4})\)\s+(?=\S)"),
               re.compile(r"^(\d{1,4})\s+(?=[^\d\s])")]
# Page furniture that slips into a section: "632", "- 12 -", "Page 3 of 9", "p. 4"
_FOOTER = re.compile(r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|page\s+\d+(?:\s*(?:/|of|sur)\s*\d+)?|p\.\s*\d+)$", re.I)
_TERMINAL = re.compile(r"(?:[.)\]»”\"!?]|\d|\b10\.\d{4,9}/\S+|https?://\S+|\bpp?\.?\s*\d+[-–]\d+)$")
_OPEN_END = re.compile(r"(?:,|;|:|&|\band|\bet|\bIn|\bde|\bvan|\bthe|\bof|-)$")


# A key in brackets, as alphabetic styles print them (mathematics, computer science): "[AH] M. Atiyah" /
# "[Ahl78] Lars V. Ahlfors" / "[BDGHK]" / "[Smi+98]"
KEY = re.compile(r"^\[([A-Z][A-Za-z+\-]{0,9}\d{0,4}[a-z]?)\]\s*(?=\S)")


def _numbering(lines: list[str]):
    """The numbering style of a list when its first lines are numbered 1, 2, 3 (or n, n+1...), or bracketed
    keys when the first line and at least two more open with one. A list whose first entry alone kept its
    number ("1. Jay-Gerin..." then unnumbered lines, the rest lost in extraction) is not numbered."""
    for rx in _NUM_STYLES:
        nums = [int(m.group(1)) for ln in lines if (m := rx.match(ln))]
        first = rx.match(lines[0]) if lines else None
        steps, seen = 0, set()  # numbers that go on from one before (a stray "1998. p. 39." line is skipped)
        for k in nums:
            steps += k - 1 in seen or k - 2 in seen
            seen.add(k)
        if (first and len(nums) > 1 and steps >= min(2, len(nums) - 1)) or (steps >= 4 and steps >= 0.8 * len(nums)):
            return rx  # (a list may open on entries whose numbers were lost: "Gololobov..., 14. Aubert...")
    if lines and KEY.match(lines[0]) and sum(1 for ln in lines if KEY.match(ln)) >= 3:
        return KEY
    return None


# The dash a bibliography prints for "the same author(s) as the entry above": "———." / "______." / "—,"
# and as a scan prints it: "-, R. Colacito, and T. J. Sargent," / "--& L W. Kannenberg. 1968." / "--. 1970."
SAME_AUTHOR = re.compile(r"\s*(?:\d{1,4}[.)\]]\s*)?(?:(?:[—–]{1,3}|-{3,}|_{3,})\s*[.,:&]|-{1,2}\s*[.,&]\s*\S)")


# One inverted name, a comma and the title, the year at the end (economics, Chicago notes): "Feller, W, An
# Introduction to Probability Theory..." / "Evans, G. W., Learning and Expectations..."
# (initials dotted or one bare capital: not "Cambridge, UK,")
_INVERTED_THEN_COMMA = re.compile(rf"{_PART}{_W}(?:-{_W})?,\s+(?:(?:{_UP}\.\s?-?){{1,3}}|{_UP}),\s+\S")


# One name then a colon (Springer, some medical journals): "Davies, P.C.W.: J. Phys. A 8" / "Ansorge WJ: Next-
# generation". The initials dotted after a comma, or bare after the surname, so that an imprint ("New York, NY:
# Wiley", "Cambridge, MA: MIT Press") is no name.
_ONE_NAME_COLON = re.compile(rf"{_PART}{_W}(?:-{_W})?(?:,\s*(?:{_UP}\.\s?-?){{1,3}}|\s+{_UP}{{1,3}}):\s")


# An organisation as an APA entry opens on it: "Organisation mondiale de la Santé. (2021)." / "Haute Autorité
# de santé [HAS]. (2018)." / "Inserm. (2004)." / "Santé publique France. (s.d.)." (undated or forthcoming)
_ORG_HEAD = re.compile(rf"{_UP}[^\W\d_]+(?:[ '’-][^\W\d_]+){{0,12}}(?:\s+[(\[][A-ZÀ-Þ][A-ZÀ-Þ&-]{{1,9}}[)\]])?\.?\s+"
                       r"\((?:(?:1[6-9]|20)\d\d[a-z]?|[ns]\.\s?d\.|in\s+press|sous\s+presse|à\s+paraître)\)\.")


def _is_start(line: str, prev: str, current: str) -> bool:
    """Whether an unnumbered line opens a new hanging entry (author list, then year or title)."""
    if current and SAME_AUTHOR.match(line) and _TERMINAL.search(prev):
        return True
    if not current or _OPEN_END.search(prev) or not re.match(rf"{_UP}|{_PART}{_W}", line):
        return False
    if re.match(r"(?:In|Dans|Proc|Retrieved|Available|Disponible|doi|https?)\b", line):
        return False
    # an organisation as author, APA style: "Organisation mondiale de la Santé. (2021). Rapport..." / "World
    # Health Organization (WHO). (2001)." (whose words read as a person's names too)
    if _ORG_HEAD.match(line) and _TERMINAL.search(prev) and (_YEAR.search(current) or _PRESS.search(current)):
        return True
    names, end, etal = parse_authors(line)
    if not names:
        return False
    after = line[end:]
    year_next = bool(_DATE_AFTER_NAMES.match(after)) or (not after.strip() and False)
    complete = bool(_YEAR.search(current) or _PRESS.search(current)) or len(current) > 80
    terminal = bool(_TERMINAL.search(prev))
    if year_next:
        return terminal or complete
    # No year right after the names: Vancouver-like ("Smith J, Doe K. Title") or names that wrap.
    # (or "et al." took the full stop before the title: "Evan Kovac, Geoffrey Hale, et al. Learning...")
    # (or the last initial's full stop closed the names: "Bender, E. M., and Shmitchell, S. On the dangers...")
    closed = bool(re.search(rf"\b{_UP}\.$", line[:end].rstrip())) and bool(re.match(rf"\s+[\"“'‘«]?{_UP}", after))
    ends_well = bool(re.match(r"\s*(?:[.,]\s|[.,]?$|\(|:)", after)) or (etal and line[:end].endswith(".")) or closed
    return terminal and complete and ends_well and (len(names) > 1 or etal or re.match(r"\.\s", after) is not None
                                                    or _INVERTED_THEN_COMMA.match(line) is not None
                                                    or _ONE_NAME_COLON.match(line[:end] + after[:2]) is not None)


def _join(left: str, right: str, compounds: set[str]) -> str:
    """Join a line to the entry so far, undoing line-end hyphenation unless the list spells the compound, or
    another with its first part ("meta-" + "analysis" beside "meta-analytic")."""
    m = re.search(rf"({_L}+)-$", left)
    if m and right[:1].islower():
        word = m.group(1) + "-" + re.match(rf"{_L}*", right).group(0)
        if fold(word) not in compounds and fold(m.group(1)) + "-" not in compounds:
            return left[:-1] + right
        return left + right
    if left.endswith(("-", "/")) and not left.endswith(" -"):
        return left + right  # URLs, DOIs, page ranges and names ("Lozano-\nPerez") keep the hyphen
    return left + " " + right


def split_entries(lines: list[str]) -> list[str]:
    """A reference section's lines (after its heading) as one string per entry, lines and hyphens joined."""
    clean = [" ".join(ln.split()) for ln in lines]
    blank_before = set()
    kept: list[str] = []
    for ln in clean:
        if not ln:
            blank_before.add(len(kept))
        elif not _FOOTER.match(ln):
            kept.append(ln)
    if not kept:
        return []
    compounds = {fold(w) for ln in kept for w in re.findall(rf"{_L}+-{_L}+", ln)}
    compounds |= {w.split("-", 1)[0] + "-" for w in compounds}  # their first parts, "meta-"
    entries: list[str] = []
    numbered = _numbering(kept)
    counted = numbered is not None and numbered is not KEY
    nums = [int(m.group(1)) if counted and (m := numbered.match(ln)) else None for ln in kept]
    ahead: list[int | None] = [None] * len(kept)  # the number of the next numbered line
    for i in range(len(kept) - 2, -1, -1):
        ahead[i] = nums[i + 1] if nums[i + 1] is not None else ahead[i + 1]

    def opens(i: int) -> bool:  # the line's names (or a same-author dash) open a hanging entry
        return _is_start(INCLUDED_MARK.sub("", kept[i]), kept[i - 1], entries[-1])

    last = None
    for i, ln in enumerate(kept):
        new = not entries
        if numbered is KEY and not new:
            new = bool(KEY.match(ln))
        elif counted and not new and (last is not None or nums[i] is not None):
            if (num := nums[i]) is not None:  # the next number, or one the numbers after it go on from
                new = last is None or last < num and (num <= last + 2 or ahead[i] in (num + 1, num + 2))
            else:  # numbers lost in extraction ("1." ... "21.", unnumbered entries between): where one is missing,
                # an entry opens on the number due in another style ("5 Honka" for "5.") or on names
                new = ahead[i] is not None and ahead[i] - last > 1 and (
                    any((m := rx.match(ln)) and int(m.group(1)) == last + 1 for rx in _NUM_STYLES)
                    or opens(i))
        elif not new:
            new = opens(i) or (
                i in blank_before and len(blank_before) >= 2 and re.match(rf"{_UP}", ln) is not None
                and bool(_TERMINAL.search(kept[i - 1])))
        if new:
            if counted:
                last = nums[i] if nums[i] is not None else last + 1 if last is not None else None
            entries.append(ln)
        else:
            entries[-1] = _join(entries[-1], ln, compounds)
    return entries
