"""Concept tagging: which taxonomy concepts a document speaks of, how often, and the sentences that show it.

How a concept is counted for a document (the rule the README states):

1. A *mention* is a match of one of the concept's terms in a body passage (reference lists are skipped:
   a cited title is not the document speaking). Matching is on analysed words: accents folded, stop words
   skipped, each term stemmed in its own language, so "alliances thérapeutiques" and "liens affectifs"
   match their labels. A multi-word term never spans punctuation. A single-word term counts only in
   passages written in its language ("pain" in a French passage is bread); every guard of the term must
   hold (words required in the same sentence, words or phrases that veto it: a tendon "rupture", a
   chemical "bond", an email "attachment", "tâches ménagères", "dans le cadre de").
2. Labels and synonyms are *strong*: one mention is enough. Terms the taxonomy lists as *weak* (ambiguous
   words such as "lien", "cadre", "rupture", "douleur", "adhésion") need at least WEAK_SUPPORT mentions.
3. A child concept supported by weak mentions only also needs its parent (or an ancestor) to be
   supported by rules 1-2 itself: "tâches" next to "objectifs" does not invent an alliance.
4. A supported concept implies its ancestors (bordin.bond => alliance). A concept's count is its own
   mentions plus those of its supported descendants; its evidence is up to three distinct sentences,
   strong and own mentions first, each with its page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import NamedTuple

from kb.analysis import fold
from kb.models import ConceptHit, Document, Evidence, PassageConcepts, Tagging
from kb.termscan import analyse, guard_failure, raw_matches, resolve
from kb.textmatch import CompiledTerm, Word

WEAK_SUPPORT = 2
MAX_EVIDENCE = 3
MAX_SENTENCE = 300  # longer "sentences" (lists, damaged PDF text) are cut around the match


class _Mention(NamedTuple):
    concept: str
    strong: bool
    passage: int
    page: int | None
    surface: str
    sentence: str
    order: int  # position in the document, to keep evidence stable
    spots: frozenset  # (passage, word, stem) of its words


def tag(doc: Document, taxonomy) -> Tagging:
    """The concepts of doc (parents implied, sorted by id) and of each of its passages."""
    index = taxonomy.index
    stubs = frozenset(doc.stubs)
    by_concept: dict[str, list[_Mention]] = defaultdict(list)
    other_sense: set[tuple[int, int, str]] = set()  # (passage, word, stem) of words a guard vetoed
    named: set[tuple[int, int, str]] = set()  # ... of words in a label or synonym written exactly
    order = 0
    for p in doc.passages:
        if p.kind == "references":
            continue
        words = analyse(p.text, stubs, index)
        found = []
        # Terms of one concept share its guards ("alliance" and "alliances" both match "alliance"):
        # each guard list is checked once per span.
        checked: dict[tuple, str | None] = {}
        for t, i, j in raw_matches(words, p.text, index):
            if not _lang_ok(t, p.lang):
                continue
            if t.guards:
                key = (*map(id, t.guards), i, j)
                failure = checked.get(key, False)
                if failure is False:
                    failure = checked[key] = guard_failure(t, words, i, j)
                if failure == "veto":
                    other_sense.update(_spots(p.n, words, i, j))
                if failure:
                    continue
            found.append((t, i, j))
        sentences: dict[tuple[int, int], str] = {}  # mentions in one short sentence share its text
        for term, i, j in resolve(found):
            surface = " ".join(p.text[words[i].start:words[j].end].split()).lower()
            sentence = _sentence(p.text, words, i, j, sentences)
            # "alliance ratings" (a measure's term) still names the alliance: an ancestor's own term inside
            # the longer match is a mention of that ancestor too
            above = taxonomy.ancestors(term.concept) if j > i else ()
            inner = {t.concept: t.strong for t, a, b in found if above and i <= a and b <= j and (a, b) != (i, j)
                     and t.concept in above}
            spots = _spots(p.n, words, i, j)
            if term.strong and fold(surface) == fold(term.text.replace("*", "")):
                named |= spots  # the term as the taxonomy writes it, not a stemmed look-alike
            for cid in (term.concept, *inner):
                by_concept[cid].append(_Mention(cid, term.strong if cid == term.concept else inner[cid], p.n,
                                                p.page, surface, sentence, order, spots))
            order += 1
    _one_sense(by_concept, other_sense, named)
    per_passage: dict[int, set[str]] = defaultdict(set)
    for cid, ms in by_concept.items():
        for m in ms:
            per_passage[m.passage].add(cid)
    supported = _supported(by_concept, taxonomy)
    mentions: dict[str, list[_Mention]] = defaultdict(list)
    for cid in supported:
        for target in [cid, *taxonomy.ancestors(cid)]:
            mentions[target].extend(by_concept[cid])
    hits = tuple(_hit(cid, ms) for cid, ms in sorted(mentions.items()))
    passages = []
    for n in sorted(per_passage):
        ids = {a for cid in per_passage[n] if cid in supported for a in [cid, *taxonomy.ancestors(cid)]}
        if ids:
            passages.append(PassageConcepts(n, tuple(sorted(ids))))
    return Tagging(concepts=hits, passages=tuple(passages))


def _spots(passage: int, words: list[Word], i: int, j: int) -> frozenset[tuple[int, int, str]]:
    """(passage, word, stem) of the match words[i..j]'s words that are no stop words."""
    return frozenset((passage, k, words[k].stem["en"]) for k in range(i, j + 1) if not any(words[k].stop.values()))


def _one_sense(by_concept: dict[str, list[_Mention]], other_sense: set[tuple[int, int, str]],
               named: set[tuple[int, int, str]]) -> None:
    """Drops the mentions whose word a document mostly uses in another sense (one sense per discourse).

    A guard sees one sentence: "Make the attachment secure." in a how-to about email attachments has no
    vetoing word of its own, but the document's other "attachments" were vetoed (email, file). When a word
    is vetoed at least twice and twice as often as it is kept, its kept mentions go too. A label or synonym
    written exactly ("observance thérapeutique" beside the ramadan that vetoes a bare "observance") is
    neither vetoed nor dropped."""
    other_sense = other_sense - named
    if not other_sense:
        return
    vetoed = Counter(stem for *_, stem in other_sense)
    kept_spots = {spot for ms in by_concept.values() for m in ms for spot in m.spots} - other_sense
    kept = Counter(stem for *_, stem in kept_spots)
    doubtful = {stem for stem, n in vetoed.items() if n >= max(2, 2 * kept[stem])}
    if not doubtful:
        return
    for cid in list(by_concept):
        by_concept[cid] = [m for m in by_concept[cid]
                           if m.spots <= named or not any(stem in doubtful for *_, stem in m.spots)]
        if not by_concept[cid]:
            del by_concept[cid]


def _lang_ok(term: CompiledTerm, passage_lang: str | None) -> bool:
    """Single words count only in their language's passages; acronyms ("TCC", "RCT") in any."""
    if len(term.words) > 1 or term.words[0][0] == "c" or passage_lang not in ("fr", "en"):
        return True
    return term.lang == passage_lang


def _supported(by_concept: dict[str, list[_Mention]], taxonomy) -> set[str]:
    """Concepts meeting rules 2-3, checked in tree order so parents are decided first."""
    direct = {cid for cid, ms in by_concept.items()
              if any(m.strong for m in ms) or len(ms) >= WEAK_SUPPORT}
    return {cid for cid in taxonomy.concepts if cid in direct
            and (any(m.strong for m in by_concept[cid]) or taxonomy.get(cid).parent is None
                 or any(a in direct for a in taxonomy.ancestors(cid)))}


def _hit(cid: str, ms: list[_Mention]) -> ConceptHit:
    ranked = sorted(ms, key=lambda m: (m.concept != cid, not m.strong, not 40 <= len(m.sentence) <= MAX_SENTENCE,
                                       m.order))
    evidence: list[Evidence] = []
    seen: set[str] = set()
    for m in ranked:
        if m.sentence not in seen:
            seen.add(m.sentence)
            evidence.append(Evidence(m.page, m.sentence))
            if len(evidence) == MAX_EVIDENCE:
                break
    counts = Counter(m.surface for m in sorted(ms, key=lambda m: m.order))
    labels = tuple(s for s, _ in sorted(counts.items(), key=lambda kv: -kv[1]))
    return ConceptHit(id=cid, count=len(ms), evidence=tuple(evidence), labels=labels)


def _sentence(text: str, words: list[Word], i: int, j: int, memo: dict | None = None) -> str:
    """The sentence around words[i..j], whitespace collapsed, cut to MAX_SENTENCE around the match.

    memo: the whole sentences already found in this text, by (first, last) sentence number."""
    key = (words[i].sentence, words[j].sentence)
    if memo is not None and key in memo:
        return memo[key]
    sent = words[i].sentence
    a = i
    while a > 0 and words[a - 1].sentence == sent:
        a -= 1
    b = j
    while b + 1 < len(words) and words[b + 1].sentence == words[j].sentence:
        b += 1
    end = words[b].end
    while end < len(text) and text[end] in ".!?…»\")]":
        end += 1
    start, stop = words[a].start, end
    if stop - start <= MAX_SENTENCE:
        whole = " ".join(text[start:stop].split())
        if memo is not None:
            memo[key] = whole
        return whole
    mid = (words[i].start + words[j].end) // 2
    lo = max(start, min(words[i].start, mid - MAX_SENTENCE // 2))
    hi = min(stop, max(words[j].end, lo + MAX_SENTENCE))
    if lo > start:
        space = text.find(" ", lo, words[i].start)
        lo = space + 1 if space >= 0 else lo
    if hi < stop:
        space = text.rfind(" ", words[j].end, hi)
        hi = space if space >= 0 else hi
    return ("…" if lo > start else "") + " ".join(text[lo:hi].split()) + ("…" if hi < stop else "")
