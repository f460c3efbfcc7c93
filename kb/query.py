"""Turns what a user types into a Whoosh query: the multi-field parser, prefixes, OR as union trees, and
the concepts whose labels the query names (matched through their tags, in both languages).
"""

from __future__ import annotations

import re

from whoosh import qparser
from whoosh.query import And, AndMaybe, DefaultOr, NullQuery, Or, Phrase, Term

from kb.analysis import fold, tokenize
from kb.errors import QueryError

SENSE_WEIGHT = 5
SEARCH_FIELDS = ("title_fr", "title_en", "body_fr", "body_en", "author", "stubs")


def _parser(schema, any_word: bool = False):
    group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), schema, group=group)
    parser.remove_plugin_class(qparser.FieldsPlugin)  # "cadre: neutralité" is text, not a field name
    return parser


_PREFIX = re.compile(r"(?<![\w*])(\w+)\*")  # "thérap*" -> folded "therap*": index terms are folded


# Medical words end in "-ie" in French and "-ia" in English ("kinésiophobie", "kinesiophobia"; "fibromyalgie"),
# which neither language's stemmer brings together ("-thérapie"/"-therapy" both stem to "therapi")
_COGNATE = re.compile(r"(?<![\w\"*-])(\w{5,})(i[ea])(?![\w*-])")


def _cognates(text: str) -> str:
    if '"' in text:
        return text
    return _COGNATE.sub(lambda m: f"({m.group(0)} OR {m.group(1)}{'ia' if m.group(2) == 'ie' else 'ie'})", text)


def parse(schema, text: str, any_word: bool = False):
    """The Whoosh query for the user's text; raises QueryError when nothing searchable is left."""
    text = _cognates(_PREFIX.sub(lambda m: fold(m.group(1)) + "*", text))
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
    A query with its own logic (quotes, AND/OR/NOT, parentheses, prefixes) is taken as written, except a
    quoted phrase that is itself a concept's label: '"therapeutic frame"' asks for that concept, which a
    French article names "cadre thérapeutique"."""
    if tax is None:
        return []
    if quoted := re.fullmatch(r'\s*"([^"]+)"\s*', text):
        phrase = quoted.group(1).strip()
        return [m for m in tax.find_labels(phrase) if m.start == 0 and m.end == len(phrase)]
    return tax.find_labels(text) if plain(text) else []


def sense_of(text: str, tax) -> list[str]:
    """The concepts a plain query that is only ambiguous words of theirs names ("rupture", "cadre", "transfert"):
    in this field a user typing them means those senses, which the tagger told apart at ingest."""
    if tax is None or not plain(text):
        return []
    matches = tax.find_labels(text, weak=True)
    if not matches or without_labels(text, matches):
        return []
    return list(dict.fromkeys(m.concept_id for m in matches))


def plain(text: str) -> bool:
    """Whether the query is plain words, with no logic of its own (quotes, AND/OR/NOT, brackets, prefixes)."""
    return '"' not in text and not re.search(r"\b(?:AND|OR|NOT|ANDNOT)\b|[()*]", text)


def with_concepts(q, matches, rest=None):
    """The query, or documents tagged with a concept the query names; a document with both the words
    and the tag scores both. rest: the query's other words (any of them), which rank the documents that
    have the tag without the label's words: "kinésithérapie relation patient" puts an English
    physiotherapy article about the patient relationship above one that names physiotherapy in passing."""
    if not matches:
        return q
    ids = dict.fromkeys(m.concept_id for m in matches)
    tags = [Term("concepts", cid) for cid in ids]
    return DefaultOr([q] + [AndMaybe(t, rest) if rest is not None else t for t in tags])


def without_labels(text: str, matches) -> str:
    """The query's text once the concept labels it names are cut out: what else it asks for."""
    for m in sorted(matches, key=lambda m: m.start, reverse=True):
        text = text[:m.start] + " " + text[m.end:]
    return " ".join(text.split())


def build(schema, text: str, matches, senses: tuple[str, ...] = ()) -> object:
    """The query search() runs for the user's text and the concept labels it names (named_concepts):
    the words, or the tags of those concepts, ranked by the query's other words. senses: the concepts its
    ambiguous words name (sense_of), whose documents rank first among those with the words."""
    q = parse(schema, text)
    if q is NullQuery:
        raise QueryError(f"nothing to search for in {text!r}: only common words (stop words)")
    if senses and not matches:
        # a word's other senses are common ("rupture" of a tendon, "cadre" of a company): in a document tagged
        # with the field's sense the words count five times
        return AndMaybe(q, DefaultOr([And([Term("concepts", cid), q.with_boost(SENSE_WEIGHT - 1)]) for cid in senses]))
    if matches and plain(text) and not (others := without_labels(text, matches)):
        # The query is only concept names ("attachement", "pain"): the documents the tagger judged to be
        # about them, whose guards set aside an email attachment or French bread, come before documents
        # that merely contain the words; among themselves, the words rank them.
        return with_concepts(q, matches, q)
    rest = None
    if matches and plain(text):
        rest = parse(schema, others, any_word=True)
        if isinstance(rest, Or):  # each word adds its score, unscaled: kb.scoring computes it exactly
            rest = Or(rest.subqueries)
    return with_concepts(q, matches, None if rest is NullQuery else rest)
