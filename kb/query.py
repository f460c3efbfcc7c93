"""Turns what a user types into a Whoosh query: the multi-field parser, prefixes, OR as union trees, and
the bilingual expansion of concept labels named in the query.
"""

from __future__ import annotations

import re

from whoosh import qparser
from whoosh.query import DefaultOr, Or, Phrase, Term

from kb.analysis import fold, tokenize
from kb.errors import QueryError

SEARCH_FIELDS = ("title_fr", "title_en", "body_fr", "body_en", "author", "stubs")


def _parser(schema, any_word: bool = False):
    group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), schema, group=group)
    parser.remove_plugin_class(qparser.FieldsPlugin)  # "cadre: neutralité" is text, not a field name
    return parser


_PREFIX = re.compile(r"(?<![\w*])(\w+)\*")  # "thérap*" -> folded "therap*": index terms are folded


def parse(schema, text: str, any_word: bool = False):
    """The Whoosh query for the user's text; raises QueryError when nothing searchable is left."""
    text = _PREFIX.sub(lambda m: fold(m.group(1)) + "*", text)
    try:
        q = _parser(schema, any_word).parse(text)
    except Exception as exc:  # Whoosh's parser is lenient; anything raised is a malformed query
        raise QueryError(f"cannot parse the query {text!r} ({exc})") from None
    return _union_trees(q)


def _union_trees(q):
    """The same query with every OR as a tree of union matchers.

    Whoosh's automatic choice pre-loads each OR (a word over six fields) into arrays as long as the
    segment for segments under 5,000 documents; the tree skips through postings instead and scores the
    same, measured 1.5-2x faster on 1,000 and 10,000-document indexes."""
    if type(q) is Or:
        # a phrase over the stubs field would join unrelated damaged words that merely sit side by side
        subs = [_union_trees(sub) for sub in q.subqueries
                if not (isinstance(sub, Phrase) and sub.fieldname == "stubs")]
        return DefaultOr(subs, boost=q.boost, minmatch=q.minmatch, scale=q.scale)
    return q.apply(_union_trees)


def query_words(text: str) -> list[str]:
    """The query's plain words (no operators), as typed."""
    return [t.text for t in tokenize(text) if t.text not in ("AND", "OR", "NOT", "ANDNOT")]


def expand_concepts(text: str, tax) -> tuple[str, list]:
    """Rewrites concept labels named in the query as an OR of all their labels, in both languages.

    Example: 'emotional bond' -> '((emotional bond) OR "emotional bond" OR "lien affectif")': the words as
    typed (all of them, anywhere, as without expansion) or either label as a phrase. Returns the new text
    and the label matches (concept id, label as typed)."""
    if tax is None or '"' in text or re.search(r"\b(?:AND|OR|NOT|ANDNOT)\b|[()*]", text):
        return text, []  # the user wrote the query's logic; kb does not rewrite it
    matches = tax.find_labels(text)
    out = text
    for m in sorted(matches, key=lambda m: m.start, reverse=True):
        # the typed words and the concept's two main labels; its other synonyms reach the query through
        # the concept tag (see with_concepts), which the tagger set with guards: cheaper and more precise
        concept = tax.get(m.concept_id)
        labels = [concept.labels[lang].replace('"', "") for lang in ("fr", "en") if lang in concept.labels]
        alternatives = " OR ".join([f"({m.label})"] + [f'"{t}"' for t in dict.fromkeys(labels)])
        out = f"{out[:m.start]}({alternatives}){out[m.end:]}"
    return out, matches


_FIELD_LANG = {"title_fr": "fr", "body_fr": "fr", "title_en": "en", "body_en": "en"}


def prune_label_phrases(q, schema, tax, matches):
    """The expanded query without the phrases a label cannot meet: a French label in the English-stemmed
    fields (whose text is English) and the reverse, and labels in author names.

    The words as typed keep every field. At 10,000 documents a label phrase is checked in thousands of
    documents per field, so this halves the cost of a query naming a concept."""
    if not matches:
        return q
    drop: set[tuple[str, tuple[str, ...]]] = set()
    for m in matches:
        concept = tax.get(m.concept_id)
        for lang, label in concept.labels.items():
            for fieldname in ("author", *(f for f, fl in _FIELD_LANG.items() if fl != lang)):
                words = tuple(t.text for t in schema[fieldname].analyzer(label, mode="query"))
                drop.add((fieldname, words))

    def prune(node):
        if isinstance(node, Or):
            subs = [prune(sub) for sub in node.subqueries
                    if not (isinstance(sub, Phrase) and (sub.fieldname, tuple(sub.words)) in drop)]
            return node.__class__(subs, boost=node.boost, minmatch=node.minmatch, scale=node.scale)
        return node.apply(prune)
    return prune(q)


def with_concepts(q, matches):
    """The query, or documents tagged with a concept the query names."""
    if not matches:
        return q
    return DefaultOr([q] + [Term("concepts", m.concept_id, boost=0.5) for m in matches])
