"""Finding taxonomy terms in a text: its analysed Words, every raw match, overlaps resolved, guards checked.

The compiled side (terms as word patterns, the index by first word, Word itself) is kb.textmatch; this
module walks a text with it, for the concept tagger (kb.tag) and for query label lookup (kb.taxonomy).
"""

from __future__ import annotations

from kb.textmatch import (
    _HARD_PUNCT, _SENTENCE_BREAK, _TOKEN, LANGS, MAX_LENGTH_GAP, MIN_STUB, CompiledGuard, CompiledTerm, TermIndex,
    Word, _fold,
)


def analyse(text: str, stubs: frozenset[str] = frozenset(), index: TermIndex | None = None) -> list[Word]:
    """The words of text; with an index, fragments that lost their first letter at a line start
    (or listed in stubs) are repaired when they complete a taxonomy word."""
    words: list[Word] = []
    append = words.append
    sentence = 0
    # One scan finds every break; a break between two words starts a sentence (a dot inside a word,
    # "e.g" or "3.5", does not).
    breaks = [m.start() for m in _SENTENCE_BREAK.finditer(text)]
    nb, b, prev_end = len(breaks), 0, 0
    # What a word's spelling alone decides (folding, stems, stop flags, starting terms), once per index.
    memo = index.__dict__.setdefault("_spellings", {}) if index is not None else None
    repairs = index.__dict__.setdefault("_repairs", {}) if index is not None else None
    new = object.__new__
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        if b < nb and breaks[b] < start:
            between = False
            while b < nb and breaks[b] < start:
                between = between or breaks[b] >= prev_end
                b += 1
            if between and words:
                sentence += 1
        surface = m.group()
        if memo is None:
            append(Word(surface, _fold(surface), start, end, sentence))
            prev_end = end
            continue
        entry = memo.get(surface)
        if entry is None:
            entry = _spelling(surface, _fold(surface), index)
            if len(memo) < 200_000:
                memo[surface] = entry
        folded = entry[0]
        if len(folded) >= MIN_STUB and (folded in stubs or start == 0 or text[start - 1] == "\n"):
            repaired = repairs.get(folded, False)
            if repaired is False:
                repaired = index.repair(folded)
                if len(repairs) < 200_000:
                    repairs[folded] = repaired
            if repaired:
                entry = _spelling(surface, repaired, index)
        # Built slot by slot: the constructor's keyword call cost as much as the rest of the loop.
        w = new(Word)
        w.text, w.folded, w.start, w.end, w.sentence = surface, entry[0], start, end, sentence
        w.stem, w.stop, w.starts = entry[1]
        append(w)
        prev_end = end
    return words


def _spelling(surface: str, folded: str, index: TermIndex) -> tuple[str, tuple]:
    """(folded, Word info) of a spelling for analyse with index: stems only where a term could start."""
    stemmed = len(folded) < 3 or folded[:3] in index.stem_heads
    word = Word(surface, folded, 0, 0, 0, stemmed)
    return folded, (word.stem, word.stop, {lang: index.plans(word, lang) for lang in LANGS})


def raw_matches(words: list[Word], text: str, index: TermIndex,
                labels_only: bool = False) -> list[tuple[CompiledTerm, int, int]]:
    """Every (term, first word, last word) occurrence, overlapping ones included, guards not checked."""
    out = []
    search_punct = _HARD_PUNCT.search
    memo = index.__dict__.setdefault("_plans", {})  # index.plans's memo, read inline (hot loop)
    for lang in LANGS:
        content = [k for k, w in enumerate(words) if not w.stop[lang]]
        nc = len(content)
        for ci, k in enumerate(content):
            word = words[k]
            if word.starts is not None:
                plans = word.starts[lang]
            else:
                plans = memo.get((lang, word.text, word.folded, word.stem[lang]))
                if plans is None:
                    plans = index.plans(word, lang)
            for term, n, rest in plans:
                if labels_only and not term.is_label:
                    continue
                if n == 1:
                    out.append((term, k, k))
                    continue
                if ci + n > nc:
                    continue
                prev = k
                for m, (gap, kind, value, length) in enumerate(rest, ci + 1):
                    cur = content[m]
                    if cur - prev - 1 > gap:
                        break
                    w = words[cur]
                    if kind == "s":
                        if w.stem[lang] != value or abs(len(w.folded) - length) > MAX_LENGTH_GAP:
                            break
                    elif not (w.folded.startswith(value) if kind == "p" else w.text == value):
                        break
                    # the punctuation test last: a regex search, for the few words that match
                    if search_punct(text, words[prev].end, w.start):
                        break
                    prev = cur
                else:
                    out.append((term, k, prev))
    return out


def resolve(matches: list[tuple[CompiledTerm, int, int]]) -> list[tuple[CompiledTerm, int, int]]:
    """Drops matches inside a stronger or longer one, and overlaps within one concept; in text order.

    Different concepts may share words ("style d'attachement sécure": attachment and attachment.secure).
    """
    kept: list[tuple[CompiledTerm, int, int]] = []
    for term, i, j in sorted(matches, key=lambda m: (not m[0].strong, m[1] - m[2], m[1])):
        if any((a <= i and j <= b and ((a, b) != (i, j) or t.concept == term.concept))
               or (t.concept == term.concept and i <= b and a <= j) for t, a, b in kept):
            continue
        kept.append((term, i, j))
    return sorted(kept, key=lambda m: (m[1], m[2], m[0].concept))


def find_spans(words: list[Word], text: str, index: TermIndex,
               labels_only: bool = False) -> list[tuple[CompiledTerm, int, int]]:
    return resolve(raw_matches(words, text, index, labels_only))


def _singular(folded: str) -> str:
    """A veto phrase holds in the plural too: "strategic alliance" vetoes "strategic alliances"."""
    return folded[:-1] if len(folded) > 3 and folded[-1] in "sx" else folded


def _phrase_at(phrase: tuple, words: list[Word], start: int) -> bool:
    if start < 0 or start + len(phrase) > len(words):
        return False
    for k, (kind, value) in enumerate(phrase, start):
        folded = words[k].folded
        if not (folded.startswith(value) if kind == "p" else _singular(folded) == _singular(value)):
            return False
    return True


def _vetoes(g: CompiledGuard) -> tuple[dict[str, list[tuple[tuple, int]]], list[tuple[str, tuple, int]]]:
    """The guard's not_in phrases by the word a match's first word would be in them: exact folded words,
    then "*" prefixes; computed on first use (a compiled taxonomy may come from a cache)."""
    found = g.__dict__.get("_vetoes")
    if found is None:
        exact: dict[str, list[tuple[tuple, int]]] = {}
        prefix: list[tuple[str, tuple, int]] = []
        for ph in g.not_in:
            for off, (kind, value) in enumerate(ph):
                if kind == "p":
                    prefix.append((value, ph, off))
                else:
                    exact.setdefault(_singular(value), []).append((ph, off))
        found = (exact, prefix)
        object.__setattr__(g, "_vetoes", found)
    return found


def guard_failure(term: CompiledTerm, words: list[Word], i: int, j: int) -> str | None:
    """Why the match words[i..j] fails a guard of its term (same sentence, within window): "veto" (a word or
    phrase of another sense is there), "need" (no word its sense needs is); None when every guard holds."""
    if not term.guards:
        return None
    first, last = words[i].sentence, words[j].sentence
    head = words[i].folded
    need = False
    for g in term.guards:
        if g.near or g.not_near:
            # Sentence numbers never decrease: words before the match are at most in its first
            # sentence, words after it at least in its last one.
            lo, hi = max(0, i - g.window), min(len(words), j + g.window + 1)
            context = ([w for w in words[lo:i] if w.sentence >= first]
                       + [w for w in words[j + 1:hi] if w.sentence <= last])
            if g.not_near and any(g.not_near.has(w) for w in context):
                return "veto"
            need = need or bool(g.near and not any(g.near.has(w) for w in context))
        if g.not_in:
            exact, prefix = _vetoes(g)
            if any(_phrase_at(ph, words, i - off) for ph, off in exact.get(_singular(head), ())):
                return "veto"
            if any(head.startswith(value) and _phrase_at(ph, words, i - off) for value, ph, off in prefix):
                return "veto"
    return "need" if need else None
