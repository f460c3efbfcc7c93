"""Tells French from English by a vote of function words, for passages and whole documents.

A vote of the commonest function words is deterministic, needs no model, and is reliable from about
ten words on: enough for this two-language field. Words shared by both languages do not vote.
"""

from __future__ import annotations

import re
from collections import Counter

_FR = frozenset("""le la les des du de un une et est sont dans pour par sur avec qui que qu ce cette ces
au aux ne pas plus ou mais nous vous ils elles leur leurs son sa ses été être entre dont comme aussi très
il elle on se sont était ont peut chez lors ainsi afin selon""".split())
_EN = frozenset("""the of and to in is are was were for with that this these those by from on at as be
been has have had not or but which who their its it an we they can may also than more such between into
our should would there when where""".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def votes(text: str) -> tuple[int, int]:
    """(French votes, English votes) among the text's words."""
    fr = en = 0
    for w, n in Counter(_WORD.findall(text.lower())).items():  # each distinct word looked at once
        w = w.split("'")[0].split("’")[0] if ("'" in w or "’" in w) and len(w) > 2 and w[1] in "'’" else w
        if w in _FR:
            fr += n
        elif w in _EN:
            en += n
    return fr, en


def passage_lang(text: str) -> str | None:
    """'fr' or 'en' when the passage has enough function words to tell; None otherwise."""
    fr, en = votes(text)
    if fr + en < 4:
        return None
    if fr >= 2 * en:
        return "fr"
    if en >= 2 * fr:
        return "en"
    return None


def document_lang(passages: list[tuple[str | None, int]]) -> str:
    """From (passage language, word count) pairs: 'fr', 'en', 'mixed' (each >= 25 % of words) or 'unknown'."""
    fr = sum(n for lang, n in passages if lang == "fr")
    en = sum(n for lang, n in passages if lang == "en")
    if fr + en == 0:
        return "unknown"
    if min(fr, en) >= 0.25 * (fr + en):
        return "mixed"
    return "fr" if fr > en else "en"
