"""The bilingual concept taxonomy: reading and validating its TOML files, and the compiled term index.

The built-in kb/data/taxonomy.toml is read once per process (lru_cache); a user file (corpus/taxonomy.toml
or --taxonomy) adds concepts and, for existing ids, extra synonyms, weak terms and guards, or replaces a
label, the definition or the parent. Every problem is one line: `FILE:LINE: concept 'ID': problem`.

A file is a list of `[[concept]]` tables (dotted ids need no quoting):

    [[concept]]
    id = "bordin.bond"
    parent = "alliance"
    label = { fr = "lien affectif", en = "emotional bond" }
    definition = "The affective bond of trust and attachment between patient and therapist."
    synonyms.en = ["affective bond", "therapeutic bond"]
    weak.fr = ["lien"]              # ambiguous terms: they count only with support (see kb.tag)
    [[concept.guard]]               # applies to the concept's terms listed in `terms` (all when absent)
    terms = ["lien"]
    near = ["affect*", "therap*"]   # at least one of these in the same sentence ("*" = any ending)
    not_near = ["hypertext*"]       # none of these in the same sentence
    not_in = ["en lien avec"]       # phrases that, written around the term, veto it

Terms are matched on analysed words (kb.analysis: folded, stop words skipped, stemmed in the term's
language); a word ending in "*" matches by folded prefix ("humanist*"), a word written in capitals
("TENS", "HAq") matches only that exact spelling.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from kb.config import cache_dir
from kb.errors import TaxonomyError
from kb.termscan import analyse, find_spans
from kb.textmatch import TermIndex, compile_concept

LANGS = ("fr", "en")
BUILTIN = "kb/data/taxonomy.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$")
_CONCEPT_KEYS = {"id", "parent", "label", "definition", "synonyms", "weak", "guard"}
_GUARD_KEYS = {"terms", "near", "not_near", "not_in", "window"}
# A concept table header: `[[concept]]`
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*concept[ \t]*\]\]", re.M)


@dataclass(frozen=True)
class Guard:
    """Context conditions on ambiguous terms, checked within the sentence and `window` words of a match."""

    terms: tuple[str, ...] = ()  # the concept's terms it applies to; empty = all of them
    near: tuple[str, ...] = ()  # at least one of these words must be near
    not_near: tuple[str, ...] = ()  # none of these words may be near
    not_in: tuple[str, ...] = ()  # phrases around the term that veto it ("dans le cadre de")
    window: int = 20


@dataclass(frozen=True)
class Concept:
    """One node of the taxonomy, with its French and English vocabulary."""

    id: str
    parent: str | None
    labels: dict[str, str]  # {"fr": ..., "en": ...}
    synonyms: dict[str, tuple[str, ...]]  # strong terms besides the label, per language
    definition: str
    weak: dict[str, tuple[str, ...]] = field(default_factory=dict)  # terms needing support, per language
    guards: tuple[Guard, ...] = ()


class Term(NamedTuple):
    """A label or synonym of a concept, in one language (for query expansion)."""

    lang: str
    text: str


@dataclass(frozen=True)
class LabelMatch:
    """A concept label or synonym found in a query: which concept, the words as written, where."""

    concept_id: str
    label: str
    lang: str
    start: int
    end: int


class Taxonomy:
    """The concept tree (dict order = depth-first tree order) and the compiled index of its terms."""

    def __init__(self, concepts: dict[str, Concept], sources: tuple[str, ...] = (BUILTIN,)):
        self.concepts = concepts
        self.sources = sources
        self._children: dict[str | None, list[str]] = {}
        for c in concepts.values():
            self._children.setdefault(c.parent, []).append(c.id)

    def get(self, concept_id: str) -> Concept | None:
        return self.concepts.get(concept_id)

    def is_known(self, concept_id: str) -> bool:
        return concept_id in self.concepts

    def check_known(self, concept_ids) -> None:
        """Raises QueryError naming the first unknown concept id, with the closest known ones."""
        import difflib

        from kb.errors import QueryError

        for cid in concept_ids:
            if not self.is_known(cid):
                close = difflib.get_close_matches(cid, list(self.concepts), n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                raise QueryError(f"unknown concept '{cid}'{hint}; `kb concepts` lists them")

    def ancestors(self, concept_id: str) -> list[str]:
        """The parent, grandparent... up to the root."""
        out = []
        parent = self.concepts[concept_id].parent
        while parent is not None:
            out.append(parent)
            parent = self.concepts[parent].parent
        return out

    def children(self, concept_id: str) -> list[str]:
        return list(self._children.get(concept_id, ()))

    def roots(self) -> list[str]:
        return list(self._children.get(None, ()))

    def terms(self, concept_id: str) -> list[Term]:
        """The labels then synonyms of a concept in both languages (weak-only terms left out), as words:
        the "any ending" stars of the file are dropped ("systémique*" -> "systémique")."""
        c = self.concepts[concept_id]
        out = [Term(lang, c.labels[lang]) for lang in LANGS if lang in c.labels]
        out += [Term(lang, s.replace("*", "")) for lang in LANGS for s in c.synonyms.get(lang, ())]
        return list(dict.fromkeys(out))

    @cached_property
    def index(self) -> TermIndex:
        """Every term, analysed once, keyed by its first word (used by kb.tag and find_labels)."""
        return TermIndex([t for c in self.concepts.values() for t in compile_concept(c)])

    def find_labels(self, text: str, weak: bool = False) -> list[LabelMatch]:
        """Labels and synonyms named in a short query, longest first, not overlapping, in text order; with
        weak, the concepts' ambiguous terms too ("rupture", "cadre").

        Example: "emotional bond" -> [LabelMatch("bordin.bond", "emotional bond", "en", 0, 14)].
        """
        words = analyse(text)
        spans = find_spans(words, text, self.index, labels_only=not weak)
        return [LabelMatch(t.concept, text[words[i].start:words[j].end], t.lang, words[i].start, words[j].end)
                for t, i, j in spans]


def load(user_file: Path | None = None) -> Taxonomy:
    """The built-in taxonomy, extended by user_file when given; raises TaxonomyError on any problem."""
    if user_file is None:
        return _load_cached(None, None)
    path = Path(user_file)
    try:
        st = path.stat()
    except OSError as e:
        raise TaxonomyError(f"{path}: cannot read taxonomy: {e.strerror or e}") from None
    return _load_cached(str(path), (st.st_mtime_ns, st.st_size))


_COMPILED: dict[tuple, Taxonomy] = {}


def load_compiled(user_file: Path | None, cache_dir: Path) -> Taxonomy:
    """load_cached() memoised in the process by the user file's stamp (a session of queries reads the
    taxonomy files once, not per query)."""
    try:
        st = Path(user_file).stat() if user_file is not None else None
    except OSError:
        return load(user_file)  # load() names the file and the reason
    key = (str(user_file), st and (st.st_mtime_ns, st.st_size), str(cache_dir))
    if key not in _COMPILED:
        _COMPILED.clear()
        _COMPILED[key] = load_cached(user_file, cache_dir)
    return _COMPILED[key]


def load_cached(user_file: Path | None, cache_dir: Path) -> Taxonomy:
    """load(), with the compiled term index kept in cache_dir between processes (compiled here on a miss,
    not through load(), which would also write it to the user's cache folder)."""
    if user_file is not None and not Path(user_file).is_file():
        return load(user_file)  # which names the file and the reason
    return _through_disk(user_file, Path(cache_dir), lambda: _compile(str(user_file) if user_file else None))


def _through_disk(user_file: Path | str | None, cache_dir: Path, make) -> Taxonomy:
    """The taxonomy make() compiles, kept as a pickle in cache_dir between processes.

    Compiling stems every term of every concept (~0.07 s; 0.007 s to unpickle): a `kb search` or
    `kb ingest` process would pay it each time, and an ingest pays it before its workers can start.
    The pickle is keyed by the taxonomy files' bytes and kb's version and code, so an edit to either
    recompiles; a missing, stale or unreadable cache is rebuilt, and an unwritable folder only costs time."""
    import hashlib
    import os
    import pickle

    from kb import __version__, analysis, textmatch

    key = hashlib.sha256(__version__.encode())
    key.update(resources.files("kb").joinpath("data/taxonomy.toml").read_bytes())
    if user_file is not None:
        try:
            key.update(Path(user_file).read_bytes())
        except OSError:
            return make()  # which names the file and the reason
    for source in (analysis.__file__, textmatch.__file__, __file__):
        st = os.stat(source)
        key.update(f"{st.st_mtime_ns}:{st.st_size}".encode())
    path = cache_dir / f"taxonomy-{key.hexdigest()[:16]}.pickle"
    try:
        tax = pickle.loads(path.read_bytes())
        if isinstance(tax, Taxonomy):
            return tax
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    tax = make()
    tax.index  # compile now, so the pickle holds it
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob("taxonomy-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(tax, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError:
        pass
    return tax


@lru_cache(maxsize=8)
def _load_cached(user_file: str | None, stamp: tuple[int, int] | None) -> Taxonomy:
    folder = cache_dir()
    if folder is None:
        return _compile(user_file)
    return _through_disk(user_file, folder, lambda: _compile(user_file))


def _compile(user_file: str | None) -> Taxonomy:
    entries = _builtin_entries()
    if user_file is None:
        return _build(dict(entries), {}, (BUILTIN,))
    text = Path(user_file).read_text(encoding="utf-8")
    return _build(dict(entries), _parse(text, user_file), (BUILTIN, user_file))


@lru_cache(maxsize=1)
def _builtin_entries() -> dict[str, tuple[dict, str, int]]:
    text = resources.files("kb").joinpath("data/taxonomy.toml").read_text(encoding="utf-8")
    return _parse(text, BUILTIN)


def _parse(text: str, name: str) -> dict[str, tuple[dict, str, int]]:
    """Syntax and shape checks of one file: {id: (raw table, file name, header line)}."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"at line (\d+)", str(e))
        raise TaxonomyError(f"{name}:{m.group(1) if m else 1}: invalid TOML: {e}") from None
    for key in data:
        if key != "concept":
            raise TaxonomyError(f"{name}:{_key_line(text, key)}: unknown top-level key '{key}' "
                                f"(a taxonomy is a list of [[concept]] tables)")
    tables = data.get("concept", [])
    if not isinstance(tables, list):
        raise TaxonomyError(f"{name}:{_key_line(text, 'concept')}: 'concept' must be written [[concept]]")
    lines = [text.count("\n", 0, m.start()) + 1 for m in _HEADER.finditer(text)]
    out: dict[str, tuple[dict, str, int]] = {}
    for k, raw in enumerate(tables):
        line = lines[k] if k < len(lines) else 1
        cid = raw.get("id")
        where = f"{name}:{line}: concept '{cid}'"
        if not isinstance(cid, str) or not _ID.match(cid):
            raise TaxonomyError(f"{name}:{line}: concept without a valid id (lowercase words joined by "
                                f"dots, e.g. \"pain.chronic\"): {cid!r}")
        if cid in out:
            raise TaxonomyError(f"{where}: duplicate id (first at line {out[cid][2]})")
        _check_shape(raw, where)
        out[cid] = (raw, name, line)
    return out


def _check_shape(raw: dict, where: str) -> None:
    for key in raw:
        if key not in _CONCEPT_KEYS:
            hint = " (quote nothing: write id = \"a.b\" inside [[concept]])" if isinstance(raw[key], dict) else ""
            raise TaxonomyError(f"{where}: unknown key '{key}'{hint}")
    if "parent" in raw and not isinstance(raw["parent"], str):
        raise TaxonomyError(f"{where}: parent must be a string")
    if "definition" in raw and (not isinstance(raw["definition"], str) or not raw["definition"].strip()
                                or "\n" in raw["definition"].strip()):
        raise TaxonomyError(f"{where}: definition must be one non-empty line")
    if "label" in raw:
        _check_lang_table(raw["label"], where, "label", str)
    for key in ("synonyms", "weak"):
        if key in raw:
            _check_lang_table(raw[key], where, key, list)
    guards = raw.get("guard", [])
    if not isinstance(guards, list):
        raise TaxonomyError(f"{where}: guards must be written [[concept.guard]]")
    for g in guards:
        for key, value in g.items():
            if key not in _GUARD_KEYS:
                raise TaxonomyError(f"{where}: unknown guard key '{key}'")
            if key == "window":
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    raise TaxonomyError(f"{where}: guard window must be a positive integer")
            elif not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise TaxonomyError(f"{where}: guard '{key}' must be a list of non-empty strings")


def _check_lang_table(value, where: str, key: str, kind: type) -> None:
    if not isinstance(value, dict):
        raise TaxonomyError(f"{where}: {key} must be a table of languages ({key}.fr, {key}.en)")
    for lang, v in value.items():
        if lang not in LANGS:
            raise TaxonomyError(f"{where}: {key}: unknown language '{lang}' (fr or en)")
        if kind is str and not (isinstance(v, str) and v.strip()):
            raise TaxonomyError(f"{where}: {key}.{lang} must be a non-empty string")
        if kind is list and not (isinstance(v, list) and all(isinstance(s, str) and s.strip() for s in v)):
            raise TaxonomyError(f"{where}: {key}.{lang} must be a list of non-empty strings")


def _build(base: dict, user: dict, sources: tuple[str, ...]) -> Taxonomy:
    """Merges user entries over the built-in ones, checks the tree and compiles every concept."""
    merged: dict[str, tuple[dict, str, int]] = {}
    for cid, (raw, name, line) in base.items():
        merged[cid] = (dict(raw), name, line)
    for cid, (raw, name, line) in user.items():
        if cid in merged:
            old = merged[cid][0]
            new = dict(old)
            for key in ("parent", "definition"):
                if key in raw:
                    new[key] = raw[key]
            new["label"] = {**old.get("label", {}), **raw.get("label", {})}
            for key in ("synonyms", "weak"):
                table = {lang: list(v) for lang, v in old.get(key, {}).items()}
                for lang, v in raw.get(key, {}).items():
                    table[lang] = table.get(lang, []) + list(v)
                new[key] = table
            new["guard"] = list(old.get("guard", [])) + list(raw.get("guard", []))
            merged[cid] = (new, name, line)
        else:
            merged[cid] = (raw, name, line)
    concepts: dict[str, Concept] = {}
    for cid, (raw, name, line) in merged.items():
        where = f"{name}:{line}: concept '{cid}'"
        labels = raw.get("label", {})
        for lang in LANGS:
            if lang not in labels:
                raise TaxonomyError(f"{where}: missing label.{lang}")
        if "definition" not in raw:
            raise TaxonomyError(f"{where}: missing definition")
        parent = raw.get("parent")
        if parent is not None and parent not in merged:
            raise TaxonomyError(f"{where}: unknown parent '{parent}'")
        guards = tuple(Guard(terms=tuple(g.get("terms", ())), near=tuple(g.get("near", ())),
                             not_near=tuple(g.get("not_near", ())), not_in=tuple(g.get("not_in", ())),
                             window=g.get("window", 20)) for g in raw.get("guard", ()))
        concept = Concept(id=cid, parent=parent, labels={lang: labels[lang].strip() for lang in LANGS},
                          synonyms={lang: tuple(s.strip() for s in v) for lang, v in raw.get("synonyms", {}).items()},
                          definition=raw["definition"].strip(),
                          weak={lang: tuple(s.strip() for s in v) for lang, v in raw.get("weak", {}).items()},
                          guards=guards)
        try:
            compile_concept(concept)
        except ValueError as e:
            raise TaxonomyError(f"{where}: {e}") from None
        concepts[cid] = concept
    for cid, (_, name, line) in merged.items():
        seen = {cid}
        parent = concepts[cid].parent
        while parent is not None:
            if parent in seen:
                raise TaxonomyError(f"{name}:{line}: concept '{cid}': parent cycle through '{parent}'")
            seen.add(parent)
            parent = concepts[parent].parent
    return Taxonomy(_tree_order(concepts), sources)


def _tree_order(concepts: dict[str, Concept]) -> dict[str, Concept]:
    kids: dict[str | None, list[str]] = {}
    for c in concepts.values():
        kids.setdefault(c.parent, []).append(c.id)
    out: dict[str, Concept] = {}
    stack = list(reversed(kids.get(None, [])))
    while stack:
        cid = stack.pop()
        out[cid] = concepts[cid]
        stack.extend(reversed(kids.get(cid, [])))
    return out


def _key_line(text: str, key: str) -> int:
    m = re.search(rf"^[ \t]*\[*[ \t]*{re.escape(key)}\b", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1
