"""What a hit shows: the best passage of a document for the query's words, and a snippet with the
matched words marked, including the concept labels of an expanded query.
"""

from __future__ import annotations

import re

from whoosh.query import Prefix

from kb.analysis import fold, is_stop, stem, tokenize
from kb.models import Passage

SNIPPET_WORDS = 40


def query_stems(q) -> set[str]:
    """The stems (regex-escaped) a query looks for, to find and mark them in passages."""
    stems = {re.escape(leaf.text) for leaf in q.leaves() if isinstance(leaf, Prefix)}
    for fieldname, text in q.iter_all_terms():
        if fieldname in ("concepts", "lang"):
            continue
        text = text.decode("utf-8") if isinstance(text, bytes) else str(text)
        if len(text) >= 3:
            stems.add(re.escape(text))
        elif text:
            stems.add(re.escape(text) + r"\b")  # a short stem must be the whole word
    return stems


def label_stems(labels: tuple[str, ...]) -> set[str]:
    return {re.escape(stem(t.folded, lang)) for label in labels for t in tokenize(label)
            if not is_stop(t.text.lower()) for lang in ("fr", "en")}


def stem_pattern(stems: set[str]) -> re.Pattern | None:
    """A regex matching, at a word start in folded text, any of the stems."""
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(stems, key=len, reverse=True)) + ")")


def best_passage(all_passages: tuple[Passage, ...], pattern: re.Pattern | None,
                 folded: tuple[str, ...] | None = None) -> Passage | None:
    """The passage with the most distinct query stems (then most matches, then earliest); `folded`, the
    passages' texts already folded, saves folding them again."""
    folded = folded or tuple(fold(p.text) for p in all_passages)
    pairs = [(p, f) for p, f in zip(all_passages, folded) if p.kind != "references"] or list(zip(all_passages, folded))
    if not pairs:
        return None
    if pattern is None:
        return pairs[0][0]

    def key(pair: tuple[Passage, str]):
        found = pattern.findall(pair[1])
        return (len(set(found)), len(found), -pair[0].n)

    return max(pairs, key=key)[0]


def snippet(text: str, pattern: re.Pattern | None, width: int = SNIPPET_WORDS) -> str:
    """About `width` words of text around the densest matches, matched words marked **word**."""
    tokens = tokenize(text)
    if not tokens:
        return text.strip()
    marks = [bool(pattern and pattern.match(t.folded)) for t in tokens]
    start = 0
    if any(marks) and len(tokens) > width:
        best = -1
        for i in range(len(tokens)):
            if not marks[i] and i:
                continue
            first = max(0, min(i - 5, len(tokens) - width))
            distinct = len({tokens[j].folded for j in range(first, first + width) if marks[j]})
            if distinct > best:
                best, start = distinct, first
    end = min(len(tokens), start + width)
    out, pos = [], tokens[start].start
    for t, marked in zip(tokens[start:end], marks[start:end]):
        out.append(text[pos:t.start])
        out.append(f"**{t.text}**" if marked else t.text)
        pos = t.end
    body = re.sub(r"\s+", " ", "".join(out)).strip()
    if end < len(tokens):
        body += text[pos:pos + 1] if text[pos:pos + 1] in ".!?" else " …"
    return ("… " if start > 0 else "") + body


def _term_pattern(text: str, lang: str) -> tuple[tuple[str, ...], re.Pattern] | None:
    """The term's stems (to skip texts lacking one, by a plain substring test) and the pattern of the
    whole term: its stems in order, up to two words apart."""
    words = [t.folded for t in tokenize(text) if not is_stop(t.text.lower())]
    if not words:
        return None
    stems = tuple(stem(w, lang) for w in words)
    # no leading \b: a pattern starting with a literal is searched for by its prefix, 5x faster on a long
    # text; _at_word_start checks the boundary
    return stems, re.compile(r"\w*\W+(?:\w+\W+){0,2}?".join(map(re.escape, stems)) + r"\w*")


def _at_word_start(pattern: re.Pattern, text: str) -> bool:
    """Whether pattern matches text starting at the beginning of a word."""
    m = pattern.search(text)
    while m is not None:
        if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            return True
        m = pattern.search(text, m.start() + 1)
    return False


def label_finder(tax, matches):
    """For a hit: which labels of the query's concepts its text contains (as written in the taxonomy)."""
    if not matches:
        return None
    patterns = []
    for m in matches:
        for t in tax.terms(m.concept_id):
            found = _term_pattern(t.text, t.lang)
            if found:
                patterns.append((t.text, *found))

    def find(passages: tuple[Passage, ...], folded: tuple[str, ...] | None = None) -> tuple[str, ...]:
        folded = " ".join(f for p, f in zip(passages, folded or tuple(fold(p.text) for p in passages))
                          if p.kind != "references")
        return tuple(dict.fromkeys(label for label, stems, p in patterns
                                   if all(st in folded for st in stems) and _at_word_start(p, folded)))
    return find
