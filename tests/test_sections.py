"""Finding the reference section: headings, numbered headings, trailing blocks, and what must not fire."""

import re
from pathlib import Path

import pytest

from kb.sections import find_references

SHARED = Path(__file__).resolve().parents[2] / "shared"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared (test data beside the repo)")

BODY = ["Introduction", "The alliance predicts outcome across treatments (Bordin, 1979).",
        "Many references to earlier work exist, and the references below are selected.",
        "We thank the reviewers."]
ENTRIES = ["Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the working",
           "alliance. Psychotherapy, 16(3), 252-260.",
           "Horvath, A. O., & Symonds, B. D. (1991). Relation between working alliance and outcome.",
           "Journal of Counseling Psychology, 38(2), 139-149."]


@pytest.mark.parametrize("heading", ["References", "Références", "Bibliographie", "7. References",
                                     "Références bibliographiques", "Literature cited", "Works Cited",
                                     "VI. BIBLIOGRAPHY", "REFERENCES", "Notes et références",
                                     "References and notes", "Bibliographie sélective", "Références citées"])
def test_heading_found(heading):
    lines = BODY + [heading] + ENTRIES
    assert find_references(lines) == len(BODY)


def test_sentence_mentioning_references_is_not_a_heading():
    assert find_references(BODY) is None
    assert find_references(BODY + ["Notes et références utiles pour la pratique clinique"] + ENTRIES) is None


def test_table_of_contents_is_skipped_for_the_real_heading():
    toc = ["Contents", "1 Introduction 1", "References", "Appendix 12"]
    lines = toc + BODY + ["References"] + ENTRIES
    assert find_references(lines) == len(toc) + len(BODY)


def test_toc_entry_alone_does_not_fire():
    assert find_references(["Contents", "Introduction 1", "References 14", "Appendix 15"] + BODY) is None


def test_trailing_numbered_block_without_heading():
    refs = [f"[{i}] Author{i} A. Some title. J Test 2001;{i}:1-2." for i in range(1, 6)]
    assert find_references(BODY + refs) == len(BODY)


def test_a_notes_section_holds_the_references_only_when_its_notes_are_references():
    numbered = [f"{i}. Author{i} A. Some title. J Test. 20{i:02d};{i}:1-2." for i in range(1, 4)]
    assert find_references(BODY + ["Notes"] + numbered) == len(BODY)
    prose = ["1. Voir aussi le questionnaire WAI.", "2. Traduction de l'auteur.", "3. Entretien de 2019."]
    assert find_references(BODY + ["Notes"] + prose) is None
    # a reference heading wins, wherever the notes are
    assert find_references(BODY + ["References"] + ENTRIES + ["Notes"] + numbered) == len(BODY)


@needs_shared
@pytest.mark.parametrize("path", sorted((SHARED / "data/references/anystyle/finder").glob("*.ttx"))
                         if SHARED.exists() else [])
def test_anystyle_finder_documents(path):
    lines, labels, cur = [], [], None
    for raw in path.read_text(encoding="utf-8").split("\n"):  # not splitlines: form feeds inside
        label, _, text = raw.partition("|")
        cur = label.strip() or cur
        if cur != "blank" and text.strip():
            lines.append(text.strip())
            labels.append(cur)
    first = labels.index("ref")
    gold = first - 1 if labels[first - 1] == "title" else first
    assert find_references(lines) == gold
    assert find_references(lines[:gold]) is None
    assert re.search(r"(?i)bibliograph|references", lines[gold])


def test_numbered_steps_without_years_or_links_are_not_a_reference_list():
    steps = [f"{i}. Step {i}: open the settings, choose the option and save the file again." for i in range(1, 6)]
    assert find_references(BODY + steps) is None
    # cited works carry a year or a link
    web = [f"{i}. Santé publique France. Fiche repère {i}. https://www.example.org/fiche-{i}" for i in range(1, 6)]
    assert find_references(BODY + web) == len(BODY)
