"""The taxonomy: the built-in tree and its contract ids, label lookup for queries, user files and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import taxonomy
from kb.errors import TaxonomyError
from kb.models import Document, Meta, Passage
from kb.tag import tag

CONTRACT = """alliance bordin.goals bordin.tasks bordin.bond alliance.rupture alliance.measure alliance.outcome
attachment attachment.secure attachment.anxious attachment.avoidant attachment.disorganized pain pain.chronic
pain.catastrophizing therapist.empathy therapist.frame transference adherence modality.online practice.body
practice.hypnosis practice.mindfulness practice.relaxation practice.manual setting.physiotherapy approach.cbt
approach.psychodynamic approach.humanistic approach.systemic evidence.meta_analysis evidence.review
evidence.rct evidence.case_study evidence.qualitative""".split()


def _doc(text: str, lang: str = "en") -> Document:
    return Document(doc_id="t", path="t.txt", format="text", sha256="0", lang=lang, meta=Meta(), pages=None,
                    passages=(Passage(0, None, text, "body", lang),))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "taxonomy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_has_every_contract_id_with_both_labels_and_a_definition():
    tax = taxonomy.load()
    assert set(CONTRACT) <= set(tax.concepts)
    for c in tax.concepts.values():
        assert c.labels["fr"] and c.labels["en"], c.id
        assert c.definition and "\n" not in c.definition, c.id


def test_parents_follow_the_issue():
    tax = taxonomy.load()
    for cid in ("bordin.goals", "bordin.tasks", "bordin.bond", "alliance.rupture", "alliance.measure",
                "alliance.outcome"):
        assert tax.get(cid).parent == "alliance"
    for cid in ("attachment.secure", "attachment.anxious", "attachment.avoidant", "attachment.disorganized"):
        assert tax.ancestors(cid) == ["attachment"]
    assert tax.ancestors("pain.chronic") == ["pain"]
    # No invented group nodes: every other contract id is a root.
    assert set(tax.roots()) == {"alliance", "attachment", "pain", "therapist.empathy", "therapist.frame",
                                "transference", "adherence", "modality.online", "practice.body",
                                "practice.hypnosis", "practice.mindfulness", "practice.relaxation",
                                "practice.manual", "setting.physiotherapy", "approach.cbt",
                                "approach.psychodynamic", "approach.humanistic", "approach.systemic",
                                "evidence.meta_analysis", "evidence.review", "evidence.rct",
                                "evidence.case_study", "evidence.qualitative"}
    assert tax.children("attachment") == ["attachment.secure", "attachment.anxious", "attachment.avoidant",
                                          "attachment.disorganized"]
    assert tax.is_known("bordin.bond") and not tax.is_known("bordin")
    assert tax.get("nope") is None


def test_concepts_are_in_tree_order():
    ids = list(taxonomy.load().concepts)
    for cid, c in taxonomy.load().concepts.items():
        if c.parent:
            assert ids.index(c.parent) < ids.index(cid)
    assert ids[:4] == ["alliance", "bordin.goals", "bordin.tasks", "bordin.bond"]


def test_builtin_parse_is_cached():
    assert taxonomy.load() is taxonomy.load()


@pytest.mark.parametrize("query, concept, lang", [
    ("emotional bond", "bordin.bond", "en"),
    ("lien affectif", "bordin.bond", "fr"),
    ("liens affectifs", "bordin.bond", "fr"),
    ("rupture d'alliance", "alliance.rupture", "fr"),
    ("alliance ruptures", "alliance.rupture", "en"),
    ("alliances thérapeutiques", "alliance", "fr"),
    ("attachement désorganisé", "attachment.disorganized", "fr"),
    ("Working Alliance Inventory", "alliance.measure", "en"),
    ("therapie en ligne", "modality.online", "fr"),
])
def test_find_labels_names_the_concept_of_a_query(query, concept, lang):
    matches = taxonomy.load().find_labels(query)
    assert [(m.concept_id, m.lang, m.label) for m in matches] == [(concept, lang, query)]
    assert (matches[0].start, matches[0].end) == (0, len(query))


def test_find_labels_several_concepts_and_plain_words():
    matches = taxonomy.load().find_labels("douleur chronique et hypnose chez l'enfant")
    assert [(m.concept_id, m.label) for m in matches] == [("pain.chronic", "douleur chronique"),
                                                          ("practice.hypnosis", "hypnose")]
    # Weak-only words ("lien", "cadre") are not labels: they must not expand a query.
    assert taxonomy.load().find_labels("le lien et le cadre") == []


def test_terms_give_both_languages_for_expansion():
    terms = taxonomy.load().terms("bordin.bond")
    assert terms[:2] == [("fr", "lien affectif"), ("en", "emotional bond")]
    assert ("en", "affective bond") in terms
    assert all(t.text != "lien" for t in terms)  # weak-only terms are left out
    assert ("fr", "systémique") in taxonomy.load().terms("approach.systemic")  # no "*" in what users see
    assert not any("*" in t.text for cid in taxonomy.load().concepts for t in taxonomy.load().terms(cid))


def test_user_file_adds_a_concept_and_a_synonym(tmp_path):
    path = _write(tmp_path, """
[[concept]]
id = "practice.emdr"
label = { fr = "EMDR", en = "EMDR" }
definition = "Eye movement desensitisation and reprocessing."
synonyms.en = ["eye movement desensitization"]

[[concept]]
id = "bordin.bond"
synonyms.en = ["therapeutic rapport"]
""")
    tax = taxonomy.load(path)
    assert tax.get("practice.emdr").parent is None
    assert tax.get("bordin.bond").synonyms["en"][-1] == "therapeutic rapport"
    assert tax.get("bordin.bond").labels == {"fr": "lien affectif", "en": "emotional bond"}
    tagged = {h.id for h in tag(_doc("We used EMDR and built a therapeutic rapport."), tax).concepts}
    assert tagged == {"practice.emdr", "bordin.bond", "alliance"}
    # The built-in taxonomy is untouched.
    assert not taxonomy.load().is_known("practice.emdr")
    assert {h.id for h in tag(_doc("We used EMDR and built a therapeutic rapport."), taxonomy.load()).concepts} == set()


def test_user_file_guard_and_override(tmp_path):
    path = _write(tmp_path, """
[[concept]]
id = "practice.hypnosis"
definition = "Hypnosis in all its clinical forms."
[[concept.guard]]
terms = ["hypnosis"]
not_near = ["stage"]
""")
    tax = taxonomy.load(path)
    assert tax.get("practice.hypnosis").definition == "Hypnosis in all its clinical forms."
    assert tag(_doc("A stage hypnosis show in Las Vegas."), tax).concepts == ()
    assert [h.id for h in tag(_doc("Hypnosis reduced anxiety before surgery."), tax).concepts] == [
        "practice.hypnosis"]


def test_user_file_changes_are_seen_on_next_load(tmp_path):
    path = _write(tmp_path, '[[concept]]\nid = "bordin.bond"\nsynonyms.en = ["rapport one"]\n')
    assert "rapport one" in taxonomy.load(path).get("bordin.bond").synonyms["en"]
    path.write_text('[[concept]]\nid = "bordin.bond"\nsynonyms.en = ["rapport number two"]\n', encoding="utf-8")
    assert "rapport number two" in taxonomy.load(path).get("bordin.bond").synonyms["en"]


@pytest.mark.parametrize("body, line, message", [
    ('[[concept]]\nid = "a.b"\nlabel = { fr = "x", en = "y" \n', 3, "invalid TOML"),
    ('\n[[concept]]\nid = "pain.x"\nparent = "pian"\nlabel = {fr = "alpha", en = "beta"}\ndefinition = "d"\n', 2,
     "concept 'pain.x': unknown parent 'pian'"),
    ('[[concept]]\nid = "x"\nlabel = {fr = "alpha", en = "beta"}\ndefinition = "d"\ncolour = "red"\n', 1,
     "concept 'x': unknown key 'colour'"),
    ('[[concept]]\nid = "x"\nlabel = {fr = "alpha"}\ndefinition = "d"\n', 1, "concept 'x': missing label.en"),
    ('[[concept]]\nid = "x"\nlabel = {fr = "alpha", en = "beta"}\n', 1, "concept 'x': missing definition"),
    ('[[concept]]\nid = "x"\nlabel = {fr = "alpha", en = "beta"}\ndefinition = "d"\n\n'
     '[[concept]]\nid = "x"\nlabel = {fr = "alpha", en = "beta"}\ndefinition = "d"\n', 6,
     "concept 'x': duplicate id (first at line 1)"),
    ('[[concept]]\nid = "x"\nparent = "y"\nlabel = {fr = "alpha", en = "beta"}\ndefinition = "d"\n'
     '[[concept]]\nid = "y"\nparent = "x"\nlabel = {fr = "gamma", en = "delta"}\ndefinition = "d"\n', 1,
     "concept 'x': parent cycle"),
    ('[[concept]]\nid = "x"\nlabel = {fr = "alpha", en = "beta"}\ndefinition = "d"\nsynonyms.en = "one"\n', 1,
     "concept 'x': synonyms.en must be a list"),
    ('[[concept]]\nid = "x"\nlabel = {fr = "alpha", en = "beta"}\ndefinition = "d"\nsynonyms.de = ["eins"]\n', 1,
     "unknown language 'de'"),
    ('[[concept]]\nid = "x"\nlabel = {fr = "alpha", en = "beta"}\ndefinition = "d"\n[[concept.guard]]\n'
     'terms = ["zzz"]\nnear = ["therapy"]\n', 1, "guard names 'zzz'"),
    ('[[concept]]\nid = "bordin.bond"\nparent = 3\n', 1, "concept 'bordin.bond': parent must be a string"),
    ('[[concept]]\nid = "Bad Id"\n', 1, "without a valid id"),
    ('title = "mine"\n', 1, "unknown top-level key 'title'"),
])
def test_broken_user_file_gives_one_line_with_file_and_line(tmp_path, body, line, message):
    path = _write(tmp_path, body)
    with pytest.raises(TaxonomyError) as err:
        taxonomy.load(path)
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith(f"{path}:{line}: "), text
    assert message in text


def test_unquoted_dotted_table_is_explained(tmp_path):
    path = _write(tmp_path, '[[concept]]\nid = "x"\nlabel = {fr = "alpha", en = "beta"}\ndefinition = "d"\n'
                            '[concept.bordin]\nbond = 1\n')
    with pytest.raises(TaxonomyError, match=r"taxonomy.toml:\d+: "):
        taxonomy.load(path)


def test_missing_user_file(tmp_path):
    with pytest.raises(TaxonomyError, match="nope.toml: cannot read taxonomy"):
        taxonomy.load(tmp_path / "nope.toml")


def test_the_compiled_taxonomy_is_kept_in_the_cache_folder_and_rebuilt_when_damaged(tmp_path, monkeypatch):
    from kb import taxonomy

    monkeypatch.setenv("KB_CACHE", str(tmp_path / "cache"))
    taxonomy._load_cached.cache_clear()
    first = taxonomy.load(None)
    [pickled] = (tmp_path / "cache").glob("taxonomy-*.pickle")
    taxonomy._load_cached.cache_clear()
    assert taxonomy.load(None).find_labels("alliance thérapeutique")[0].concept_id == \
        first.find_labels("alliance thérapeutique")[0].concept_id == "alliance"
    pickled.write_bytes(b"not a pickle")
    taxonomy._load_cached.cache_clear()
    assert taxonomy.load(None).is_known("bordin.bond")  # recompiled, and the cache rewritten
    assert pickled.read_bytes()[:1] == b"\x80"  # a pickle again
    taxonomy._load_cached.cache_clear()
