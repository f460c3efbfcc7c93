"""The concept tagger: the seeds' exact concept sets, guards on ambiguous words, support, evidence, a
bilingual paragraph test set written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import taxonomy
from kb.lang import passage_lang
from kb.models import Document, Meta, Passage
from kb.tag import tag

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "fixtures" / "seeds"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared (test data beside the repo)")

# Issue 3's acceptance sets: (every id that must be there, ids allowed either way).
SEED_CONCEPTS = {
    "000_1e418215791842ff.txt": (
        {"alliance", "bordin.goals", "bordin.tasks", "bordin.bond", "alliance.rupture", "alliance.outcome",
         "modality.online", "approach.cbt", "approach.psychodynamic", "approach.humanistic",
         "evidence.meta_analysis"}, set()),
    "001_fede0bb883ea2c8f.txt": (
        {"alliance", "bordin.bond", "alliance.outcome", "attachment", "attachment.secure", "attachment.anxious",
         "attachment.avoidant", "attachment.disorganized", "therapist.empathy", "therapist.frame", "transference",
         "approach.systemic"}, {"bordin.goals", "approach.psychodynamic"}),
    "003_7b913f1790838dcf.txt": (
        {"alliance", "bordin.goals", "bordin.tasks", "bordin.bond", "alliance.rupture", "alliance.outcome",
         "attachment", "attachment.disorganized", "pain", "pain.chronic", "pain.catastrophizing",
         "therapist.empathy", "therapist.frame", "transference", "adherence", "practice.body",
         "practice.hypnosis", "practice.mindfulness", "practice.relaxation", "practice.manual",
         "setting.physiotherapy", "approach.cbt", "approach.psychodynamic", "approach.humanistic",
         "approach.systemic", "evidence.meta_analysis", "evidence.review", "evidence.case_study"},
        {"alliance.measure"}),
}


def doc(*paragraphs: str, kinds: tuple[str, ...] = (), pages: tuple[int | None, ...] = ()) -> Document:
    """A Document whose passages are the given paragraphs, each with its own detected language."""
    passages = tuple(Passage(n, pages[n] if pages else None, text, kinds[n] if kinds else "body",
                             passage_lang(text)) for n, text in enumerate(paragraphs))
    return Document(doc_id="t", path="t.txt", format="text", sha256="0", lang="unknown", meta=Meta(),
                    pages=None, passages=passages)


def ids(*paragraphs: str, tax=None) -> set[str]:
    return {h.id for h in tag(doc(*paragraphs), tax or taxonomy.load()).concepts}


def _seed(name: str) -> Document:
    from kb.pipeline import prepare

    return prepare(SEEDS / name)


@needs_shared
@pytest.mark.parametrize("name", sorted(SEED_CONCEPTS))
def test_seed_concepts_are_exactly_the_acceptance_sets(name):
    must, either = SEED_CONCEPTS[name]
    got = {h.id for h in tag(_seed(name), taxonomy.load()).concepts}
    assert sorted(must - got) == [], "missing"
    assert sorted(got - must - either) == [], "extra"


@needs_shared
def test_seed_precision_and_recall():
    """Micro-averaged over the seeds ('either way' ids left out of both counts): both 1.0 today."""
    tp = fp = fn = 0
    for name, (must, either) in SEED_CONCEPTS.items():
        got = {h.id for h in tag(_seed(name), taxonomy.load()).concepts} - either
        tp, fp, fn = tp + len(got & must), fp + len(got - must), fn + len(must - got)
    assert (tp / (tp + fp), tp / (tp + fn)) == (1.0, 1.0)


@needs_shared
def test_seed_evidence_shows_the_words_and_passages_list_their_concepts():
    d = _seed("000_1e418215791842ff.txt")
    tagging = tag(d, taxonomy.load())
    bond = next(h for h in tagging.concepts if h.id == "bordin.bond")
    assert "lien affectif" in bond.labels
    assert any("lien affectif" in e.text for e in bond.evidence)
    assert 1 <= len(bond.evidence) <= 3 and all(len(e.text) <= 302 for e in bond.evidence)
    assert [h.id for h in tagging.concepts] == sorted(h.id for h in tagging.concepts)
    online = [p for p in tagging.passages if "modality.online" in p.ids]
    assert online and all("thérapie" in d.passages[p.n].text or "thérapies" in d.passages[p.n].text for p in online)


@needs_shared
def test_damaged_pdf_words_are_repaired_for_matching():
    # Seed 003 reads "sychanalytique" and "umaniste" (first letters lost at line starts).
    d = _seed("003_7b913f1790838dcf.txt")
    hits = {h.id: h for h in tag(d, taxonomy.load()).concepts}
    assert "sychanalytique" in hits["approach.psychodynamic"].labels
    assert "umaniste" in hits["approach.humanistic"].labels


# -- guards: ambiguous words outside the field tag nothing ------------------------------------------

@pytest.mark.parametrize("text", [
    "The MRI confirmed a complete Achilles tendon rupture; surgery was planned and the rupture healed.",
    "A covalent chemical bond forms when two atoms share electrons; the bond energy depends on both atoms.",
    "Please open the attachment in my email, then save the attachment in the shared folder.",
    "Les tâches ménagères sont réparties entre les membres de la famille et les tâches changent chaque semaine.",
    "J'ai acheté du pain et des croissants à la boulangerie ; le pain était encore chaud.",
    "The striker scored two goals and the team reached its goals for the season.",
    "Le cadre de santé organise le planning du service. Dans le cadre de la réforme, les cadres supérieurs "
    "ont été consultés.",
    "L'adhérence du revêtement au substrat métallique dépend de la rugosité de la surface et de l'adhérence "
    "de la colle.",
    "Le transfert de connaissances vers les entreprises et le transfert de données restent lents.",
    "The spin-lattice relaxation time was measured by NMR, and relaxation depends on temperature.",
    "Le lupus est une maladie systémique ; un traitement systémique par corticoïdes est souvent prescrit.",
    "Les résultats de cette étude montrent une efficacité du vaccin ; les résultats sont robustes.",
    "The bond market rallied as investors bought government bonds.",
    "Nous avons pris le temps d'en parler, en lien avec la demande, puis de faire le lien entre les deux.",
    "Il a agi en pleine conscience des risques, dans le cadre d'une mission.",
    "Dans ce cadre, les patients ont rempli un questionnaire ; dans un cadre hospitalier, les patients attendent.",
    "Sessions were video-recorded and coded; the video of each session was rated by two observers.",
    "Après un TCC sévère (traumatisme crânio-cérébral), le score de Glasgow et la TCC restent suivis.",
    "Rogers et al. (2010) followed 300 patients; Rogers also reported the patients' blood pressure.",
    "The trunk trace contains a guard to which a branch trace was attached, and another was attached later.",
    "For n = 1 and n+1 the sum over i=1 is bounded.",
    "When the regional carriers formed an alliance, they shared one hub; the alliance partners pooled flights. "
    "A relaxation of the gate constraint follows, and the relaxation cuts connection times by ten minutes.",
    "Your invoice is included as a secure attachment to this email; enter your code to open it.",
])
def test_control_texts_tag_nothing(text):
    assert ids(text) == set()


def test_bread_in_french_is_not_pain_but_pain_in_english_is():
    assert ids("Le pain et le vin sont sur la table, le pain est frais.") == set()
    assert ids("The patients reported pain after surgery, and the pain lasted two weeks.") == {"pain"}


def test_one_weak_mention_is_not_enough_two_are():
    assert ids("Le patient décrit une douleur au genou depuis hier soir.") == set()
    assert ids("Le patient décrit une douleur au genou ; la douleur augmente le soir.") == {"pain"}


def test_weak_child_needs_its_parent():
    tasks = ("Les tâches à effectuer pour atteindre les objectifs sont fixées avec le patient. Ensuite les "
             "tâches sont revues avec lui selon les objectifs.")
    assert ids(tasks) == set()
    assert ids(tasks, "L'alliance thérapeutique en dépend.") == {"alliance", "bordin.tasks"}


def test_reference_lists_do_not_count():
    d = doc("This study looks at sleep in adolescents and at screen time before bed.",
            "Smith, J. (2019). Cognitive behavioural therapy and the therapeutic alliance. Journal of Therapy, 3, 1-9.",
            kinds=("body", "references"))
    assert tag(d, taxonomy.load()).concepts == ()


def test_count_evidence_page_and_implied_parent():
    d = doc("Nothing to see here about sleep hygiene and diet.",
            "The emotional bond with the therapist grew. A strong emotional bond helped.",
            pages=(1, 2))
    tagging = tag(d, taxonomy.load())
    assert [(h.id, h.count) for h in tagging.concepts] == [("alliance", 2), ("bordin.bond", 2)]
    bond = tagging.concepts[1]
    assert bond.labels == ("emotional bond",)
    assert [(e.page, e.text) for e in bond.evidence] == [
        (2, "The emotional bond with the therapist grew."), (2, "A strong emotional bond helped.")]
    assert [(p.n, p.ids) for p in tagging.passages] == [(1, ("alliance", "bordin.bond"))]


def test_long_sentences_are_cut_around_the_match():
    filler = " ".join(["word"] * 120)
    tagging = tag(doc(f"{filler} hypnosis {filler}."), taxonomy.load())
    text = tagging.concepts[0].evidence[0].text
    assert "hypnosis" in text and len(text) <= 302 and text.startswith("…") and text.endswith("…")


# -- a bilingual paragraph test set, written for these tests --------------------------------------

PARAGRAPHS = [
    ("In this randomized controlled trial, 120 adults with chronic low back pain received either cognitive "
     "behavioural therapy or physiotherapy. The working alliance, measured with the Working Alliance Inventory "
     "after the third session, predicted pain intensity at follow-up, and a stronger alliance went with better "
     "outcomes.",
     {"evidence.rct", "pain", "pain.chronic", "approach.cbt", "setting.physiotherapy", "alliance",
      "alliance.measure", "alliance.outcome"}),
    ("Safran and Muran describe withdrawal ruptures and confrontation ruptures. When the therapist acknowledges "
     "the rupture and invites the client to explore it, the repair can strengthen the emotional bond and renew "
     "the agreement on the tasks of therapy.",
     {"alliance", "alliance.rupture", "bordin.bond", "bordin.tasks"}),
    ("Clients with a preoccupied attachment style often fear abandonment, whereas clients with an avoidant "
     "attachment keep the therapist at a distance; secure attachment makes the work easier.",
     {"attachment", "attachment.anxious", "attachment.avoidant", "attachment.secure"}),
    ("Video therapy sessions and internet-delivered CBT yielded alliance ratings close to face-to-face "
     "treatment in a meta-analysis of 23 studies.",
     {"modality.online", "approach.cbt", "evidence.meta_analysis"}),
    ("The therapist's empathy and unconditional positive regard, central to person-centred therapy, were "
     "rated by clients in semi-structured interviews analysed with thematic analysis.",
     {"therapist.empathy", "approach.humanistic", "evidence.qualitative"}),
    ("Dans cette étude qualitative fondée sur des entretiens semi-directifs, des kinésithérapeutes décrivent "
     "comment l'empathie et l'écoute soutiennent les patients et améliorent l'observance du traitement à "
     "domicile.",
     {"evidence.qualitative", "setting.physiotherapy", "therapist.empathy", "adherence"}),
    ("Le contre-transfert du psychanalyste, la neutralité bienveillante et la régularité des séances "
     "composent le cadre thérapeutique de la cure.",
     {"transference", "approach.psychodynamic", "therapist.frame"}),
    ("Chez les patients souffrant de fibromyalgie, l'hypnose, la sophrologie et la méditation de pleine "
     "conscience réduisent la catastrophisation.",
     {"pain", "pain.chronic", "practice.hypnosis", "practice.relaxation", "practice.mindfulness",
      "pain.catastrophizing"}),
    ("La thérapie familiale systémique et l'approche centrée sur la personne de Carl Rogers accordent une "
     "place centrale à l'alliance thérapeutique et à l'accord sur les objectifs.",
     {"approach.systemic", "approach.humanistic", "alliance", "bordin.goals"}),
    ("Lors des téléconsultations, les ruptures d'alliance passent plus souvent inaperçues ; cette étude de "
     "cas décrit leur réparation.",
     {"modality.online", "alliance", "alliance.rupture", "evidence.case_study"}),
    ("Les massages, l'ostéopathie et la neurostimulation transcutanée (TENS) sont proposés en rééducation "
     "fonctionnelle, dans une approche psychocorporelle.",
     {"practice.manual", "setting.physiotherapy", "practice.body"}),
    ("Video-conferencing sessions were as effective as face-to-face therapy for depression; in France, "
     "vidéoconsultations replaced office visits during the pandemic.",
     {"modality.online"}),
]


@pytest.mark.parametrize("text, expected", PARAGRAPHS, ids=[f"p{i}" for i in range(len(PARAGRAPHS))])
def test_paragraph_set(text, expected):
    assert ids(text) == expected


def test_paragraph_set_precision_recall():
    tp = fp = fn = 0
    for text, expected in PARAGRAPHS:
        got = ids(text)
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
    assert (tp, fp, fn) == (sum(len(e) for _, e in PARAGRAPHS), 0, 0)


def test_an_ancestor_s_term_inside_a_longer_term_is_its_mention():
    # "alliance ratings" is the measure's (weak) term, and it still says "alliance": with "stronger
    # alliances" that is two mentions of the alliance
    text = ("Trainees classified as securely attached were rated as forming stronger alliances by the fourth "
            "session. Trainees high on attachment anxiety received lower alliance ratings.")
    assert "alliance" in ids(text)
    assert "alliance" not in ids("Trainees high on attachment anxiety received lower alliance ratings.")


@pytest.mark.parametrize("text, concept", [
    ("Patients with neck pain persisting beyond 12 weeks were included in the trial.", "pain.chronic"),
    ("Le patient décrit une douleur lombaire qui évolue depuis plus de six mois.", "pain.chronic"),
    ("Self-reported missed doses were recorded by the pharmacist at each visit.", "adherence"),
    ("Les entretiens ont été intégralement retranscrits puis codés jusqu'à saturation des données.",
     "evidence.qualitative"),
    ("Les participants ont été tirés au sort entre les deux bras de l'étude.", "evidence.rct"),
    ("Thrust manipulation of the thoracic spine was added to the exercise programme.", "practice.manual"),
    ("Depuis 2020, les séances à distance représentent un tiers de notre activité.", "modality.online"),
    ("Gut-directed hypnotherapy relieved abdominal symptoms in two thirds of the patients.", "practice.hypnosis"),
])
def test_terms_of_the_field_beyond_the_labels(text, concept):
    assert concept in ids(text)


@pytest.mark.parametrize("text", [
    # three months that are not pain's duration
    "Les symptômes dépressifs persistent depuis plus de trois mois malgré le traitement.",
    "Insomnia lasting more than three months defines the chronic form of the disorder.",
    # catastrophic thinking about something other than pain
    "In panic disorder, catastrophic thinking about bodily sensations maintains the attacks.",
])
def test_durations_and_catastrophic_thinking_need_a_word_of_pain(text):
    assert not {"pain.chronic", "pain.catastrophizing"} & ids(text)


@pytest.mark.parametrize("text", [
    "Methods: We systematically searched five databases for trials published up to 2023.",
    "La sélection des études a suivi les recommandations PRISMA.",
])
def test_a_review_is_known_by_its_search(text):
    assert "evidence.review" in ids(text)


def test_a_word_a_document_mostly_uses_in_another_sense_is_not_counted_where_no_guard_sees_it():
    # "Keep the attachment secure." has no vetoing word in its own sentence; the page's other
    # "attachments" sit beside email and file words, so the page is about email (one sense per discourse)
    how_to = ("Sharing large email attachments",
              "Email servers refuse attachments above 25 MB, so a large file needs another route.",
              "Zip the file first, and check that incoming attachments come from a sender you know.",
              "Keep the attachment secure. Send the password separately.")
    assert ids(*how_to) == set()
    # the same short sentence in a text about attachment in therapy counts
    assert ids("Adult attachment styles shape the alliance with the therapist.",
               "Keep the attachment secure. The therapist offers a secure base.") >= {"attachment"}


def test_a_veto_phrase_holds_in_the_plural():
    assert ids("Strategic alliances help companies share goals, tasks and a relationship of trust.",
               "Strategic alliances also share the risk of entering a new market.") == set()
    assert ids("Alliances stratégiques : les entreprises partagent leurs clients et leurs objectifs.",
               "Les alliances stratégiques répartissent le risque entre les partenaires.") == set()


def test_a_label_written_exactly_is_not_taken_for_the_other_sense_beside_it():
    # the religious "observance" vetoes the bare word twice; the label itself still names the concept
    assert "adherence" in ids("Pendant le ramadan, l'observance thérapeutique des patients diabétiques baisse.",
                              "L'observance religieuse compte pour eux ; l'observance du jeûne aussi, pendant le "
                              "ramadan, et les médecins en parlent avec eux.")


@pytest.mark.parametrize("text, concept", [
    ("Méthode : étude pilote monocentrique, non randomisée, de type avant-après, chez 30 patients.", "evidence.rct"),
    ("A quasi-randomized comparison of two clinics followed 80 patients.", "evidence.rct"),
    ("We held empathy interviews with users, then drew an empathy map for each persona.", "therapist.empathy"),
    ("Un module traite de l'empathie managériale des cadres.", "therapist.empathy"),
    ("A qualitative analysis of the gel by infrared spectroscopy confirmed the functional groups.",
     "evidence.qualitative"),
])
def test_a_concept_word_in_another_field_s_phrase_is_not_that_concept(text, concept):
    assert concept not in ids(text)
    # the same words in the field's sense still count
    assert "evidence.rct" in ids("Un essai randomisé a comparé deux groupes de patients.")
    assert "therapist.empathy" in ids("The therapist's empathy helped the client.")
