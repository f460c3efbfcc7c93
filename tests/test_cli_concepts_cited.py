"""CLI for concepts and cited works, on the seeds and on small texts written here."""

from __future__ import annotations

import json
import shutil

from conftest import SEEDS, needs_shared
from typer.testing import CliRunner

from kb.cli import app

runner = CliRunner()


def kb(*args):
    return runner.invoke(app, [str(a) for a in args])


@needs_shared
def test_cited_flueckiger_is_one_work_cited_by_000_and_003(kb_home):
    shutil.copytree(SEEDS, kb_home / "corpus")
    assert kb("ingest").exit_code == 0
    data = json.loads(kb("cited", "flückiger", "--json").stdout)
    assert len(data["works"]) == 1
    work = data["works"][0]
    assert work["year"] == 2018 and work["authors"][0].startswith("Fl")
    assert {d[:3] for d in work["cited_by"]} == {"8a2", "0ec"}  # 000 and 003 by content hash
    sentences = " ".join(c["sentence"] for c in work["contexts"])
    assert "publiée dans Psychotherapy par Flückiger et al. (2018)" in sentences
    assert "Fluckiger et al. [20]" in sentences
    bordin = json.loads(kb("cited", "bordin", "--json").stdout)["works"]
    assert any("trois dimensions" in c["sentence"] for w in bordin for c in w["contexts"])


@needs_shared
def test_search_by_concept_only_and_facets(kb_home):
    shutil.copytree(SEEDS, kb_home / "corpus")
    data = json.loads(kb("search", "--concept", "pain.chronic", "--json").stdout)
    assert [r["path"].rsplit("/", 1)[-1][:3] for r in data["results"]] == ["003"]
    assert "pain.chronic" in data["results"][0]["concepts"]
    faceted = json.loads(kb("search", "alliance", "--json").stdout)
    assert faceted["facets"]["concepts"]["alliance"] == 3
    assert faceted["facets"]["lang"] == {"fr": 3}


def test_bilingual_expansion_names_the_label(kb_home):
    corpus = kb_home / "corpus"
    corpus.mkdir()
    (corpus / "fr.txt").write_text("Le lien affectif\n\n" + "Le lien affectif entre le patient et le thérapeute "
                                   "soutient la thérapie et la confiance du patient. " * 3, encoding="utf-8")
    (corpus / "en.txt").write_text("Budgets\n\n" + "The hospital budget grew again this year for the wards. " * 3,
                                   encoding="utf-8")
    data = json.loads(kb("search", "emotional bond", "--json").stdout)
    assert [r["path"].rsplit("/", 1)[-1] for r in data["results"]] == ["fr.txt"]
    assert "lien affectif" in data["results"][0]["matched_labels"]


def test_unknown_concept_is_a_clear_error(kb_home):
    corpus = kb_home / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Alliance\n\n" + "La relation thérapeutique compte. " * 5, encoding="utf-8")
    result = kb("search", "--concept", "bordin.bnd")
    assert result.exit_code == 1 and "unknown concept 'bordin.bnd'" in result.stderr
    assert "bordin.bond" in result.stderr
    cited = kb("cited", "--concept", "bordin.bnd")
    assert cited.exit_code == 1 and "unknown concept 'bordin.bnd' (did you mean bordin.bond" in cited.stderr


def test_concepts_json_tree(kb_home):
    data = json.loads(kb("concepts", "--json").stdout)["concepts"]
    by_id = {c["id"]: c for c in data}
    assert by_id["bordin.bond"]["parent"] == "alliance"
    assert by_id["attachment.avoidant"]["labels"]["fr"] and by_id["attachment.avoidant"]["labels"]["en"]
    assert by_id["pain.chronic"]["documents"] == 0


def test_user_taxonomy_takes_effect_on_next_ingest(kb_home):
    corpus = kb_home / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Le jeu de sable\n\n" + "Le jeu de sable aide l'enfant en thérapie. " * 4,
                                  encoding="utf-8")
    kb("ingest")
    assert "play.sandtray" not in json.loads(kb("search", "sable", "--json").stdout)["results"][0]["concepts"]
    (corpus / "taxonomy.toml").write_text(
        '[[concept]]\nid = "play.sandtray"\nlabel = { fr = "jeu de sable", en = "sandtray therapy" }\n'
        'definition = "Therapy with a sand tray and figurines."\n', encoding="utf-8")
    assert kb("ingest").exit_code == 0
    assert "play.sandtray" in json.loads(kb("search", "sable", "--json").stdout)["results"][0]["concepts"]
    (corpus / "taxonomy.toml").write_text('[[concept]]\nid = "x"\nlabel = { fr = "a" \n', encoding="utf-8")
    broken = kb("ingest")
    assert broken.exit_code == 1 and "taxonomy.toml" in broken.stderr and "line" in broken.stderr
    assert broken.stderr.count("\n") == 1
