"""The "did you mean" vocabulary: each folded word of the indexed documents with the number of documents
that have it, kept beside the index (vocab.json), and the known word nearest to a misspelt one.

Not a Whoosh field: as postings (one per word per document) it was half of the index and a third of the
time spent writing it, though only the counts are ever read. The file names the Whoosh generation it
matches; one left behind by a crash between the two writes is rebuilt from the stored records.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

FILE = "vocab.json"
VERSION = 1


def keep(found: set[str]) -> list[str]:
    """The vocabulary words among a document's folded words: longer than two letters, not numbers; sorted."""
    return sorted(w for w in found if len(w) > 2 and not w.isdigit())


def words(texts) -> list[str]:
    """The vocabulary words of a document's texts (folded, unstemmed: the index tokenizer's words)."""
    from kb.analysis import surface_words, terms_of

    found: set[str] = set()
    for text in texts:
        found.update(terms_of(surface_words(text), "keyword"))
    return keep(found)


def load(index_dir: Path) -> tuple[Counter, int | None]:
    """(counts, Whoosh generation they match); empty counts and None when the file is absent or unreadable."""
    try:
        data = json.loads((Path(index_dir) / FILE).read_text("utf-8"))
        if data.get("version") == VERSION:
            return Counter(data["counts"]), data["generation"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return Counter(), None


def save(index_dir: Path, counts: Counter, generation: int) -> None:
    """Writes vocab.json atomically (a reader never sees half a file)."""
    path = Path(index_dir) / FILE
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    data = {"version": VERSION, "generation": generation, "counts": {w: n for w, n in counts.items() if n > 0}}
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
    os.replace(tmp, path)


def nearest(counts: Counter, word: str, maxdist: int) -> str | None:
    """The known word within maxdist edits of word, sharing its first letter, that most documents have
    (ties: alphabetical); None when there is none. As Whoosh's corrector ranked its field's terms."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    if not word:
        return None
    candidates = [w for w in counts if w[0] == word[0] and w != word and abs(len(w) - len(word)) <= maxdist]
    close = process.extract(word, candidates, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None)
    if not close:
        return None
    return min((w for w, _, _ in close), key=lambda w: (-counts[w], w))
