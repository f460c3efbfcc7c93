"""Turns what a user types into a Whoosh query: the multi-field parser, prefixes, OR as union trees, and
the concepts whose labels the query names (matched through their tags, in both languages).
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


def named_concepts(text: str, tax) -> list:
    """The concept labels the query names (concept id, label as typed), in either language.

    Example: 'emotional bond' names bordin.bond. The query then also matches the documents tagged with
    that concept (with_concepts), so a French article about the "lien affectif" answers the English
    words. The tag was set at ingest by matching every label and synonym with the tagger's guards; it
    replaces phrase alternatives of the labels, which cost a position check in thousands of documents
    per label at 10,000 documents and ranked worse (bench/relevance.py: nDCG@10 0.900 -> 0.926).
    A query with its own logic (quotes, AND/OR/NOT, parentheses, prefixes) is taken as written."""
    if tax is None or '"' in text or re.search(r"\b(?:AND|OR|NOT|ANDNOT)\b|[()*]", text):
        return []
    return tax.find_labels(text)


def with_concepts(q, matches):
    """The query, or documents tagged with a concept the query names; a document with both the words
    and the tag scores both."""
    if not matches:
        return q
    ids = dict.fromkeys(m.concept_id for m in matches)
    return DefaultOr([q] + [Term("concepts", cid) for cid in ids])
