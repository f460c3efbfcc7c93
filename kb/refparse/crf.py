"""The trained reference labeller: loads the CRF model once per process and labels a reference's tokens.

The model (kb/data/refs.crfsuite) is a linear-chain CRF trained by bench/train_refs.py with
python-crfsuite on labelled references: AnyStyle's parser data (BSD-2-Clause, (c) Sylvester Keil) and
GROBID's citation training data (Apache-2.0, (c) GROBID contributors). The model holds feature weights
only: shapes, word classes, and words seen in at least five distinct training references; no reference
text. Without the model file (or without python-crfsuite) spans() returns None and the caller falls back
to the hand-written rules.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kb.refparse.features import features, tokenize

MODEL = Path(__file__).resolve().parents[1] / "data" / "refs.crfsuite"
_path = [MODEL]


def use_model(path: str | Path | None) -> None:
    """Label with another model file (the bench's cross-dataset check); None restores the shipped one."""
    _path[0] = Path(path) if path else MODEL
    _tagger.cache_clear()


@lru_cache(maxsize=2)
def _tagger_for(path: Path):
    try:
        import pycrfsuite
    except ImportError:
        return None
    if not path.exists():
        return None
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


@lru_cache(maxsize=1)
def _tagger():
    return _tagger_for(_path[0])


def available() -> bool:
    """Whether a model is there to label with."""
    return _tagger() is not None


def spans(text: str) -> list[tuple[str, int, int]] | None:
    """Labelled runs of text as (label, start, end), in order; text[start:end] is the run as printed.
    "Bordin, E. S. (1979). The generalizability..." -> [("author", 0, 13), ("date", 14, 21), ...]."""
    tagger = _tagger()
    if tagger is None:
        return None
    toks = tokenize(text)
    if not toks:
        return []
    labels = tagger.tag(features(toks))
    out: list[tuple[str, int, int]] = []
    for t, lab in zip(toks, labels):
        if out and out[-1][0] == lab:
            out[-1] = (lab, out[-1][1], t.end)
        else:
            out.append((lab, t.start, t.end))
    return out
