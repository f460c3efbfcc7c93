"""The bench corpus: deterministic French and English alliance articles as text, Markdown and PDF files.

Every document is a pure function of (seed, number): the same call writes the same bytes, and document i
is the same whatever the corpus size. Text comes from this module's own word lists and sentence
templates (no copied prose); references mix real studies, cited by their bibliographic facts, with
invented ones. A long tail of invented proper nouns (cohorts, trials, towns) gives the vocabulary a
realistic Zipf tail. PDFs go through tests/pdfgen.py (one and two columns, some hyphenated, some with
running headers). Corpora are cached under bench/.cache/, keyed by kind, size, seed and this file's hash.

Example:
    python bench/gen.py --docs 20 --pdfs 5 --out /tmp/corpus   # writes /tmp/corpus/{text,pdf}/...
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from pdfgen import Article, Section, make_article_pdf  # noqa: E402

CACHE = HERE / ".cache"

# --- references: real studies (bibliographic facts) -------------------------------------------------
# (authors as (surname, initials), year, title, container)
REAL = [
    ([("Bordin", "E. S.")], 1979, "The generalizability of the psychoanalytic concept of the working alliance",
     "Psychotherapy: Theory, Research & Practice, 16(3), 252-260"),
    ([("Horvath", "A. O."), ("Greenberg", "L. S.")], 1989,
     "Development and validation of the Working Alliance Inventory", "Journal of Counseling Psychology, 36(2), 223-233"),
    ([("Horvath", "A. O."), ("Symonds", "B. D.")], 1991,
     "Relation between working alliance and outcome in psychotherapy: A meta-analysis",
     "Journal of Counseling Psychology, 38(2), 139-149"),
    ([("Martin", "D. J."), ("Garske", "J. P."), ("Davis", "M. K.")], 2000,
     "Relation of the therapeutic alliance with outcome and other variables: A meta-analytic review",
     "Journal of Consulting and Clinical Psychology, 68(3), 438-450"),
    ([("Flückiger", "C."), ("Del Re", "A. C."), ("Wampold", "B. E."), ("Horvath", "A. O.")], 2018,
     "The alliance in adult psychotherapy: A meta-analytic synthesis", "Psychotherapy, 55(4), 316-340"),
    ([("Safran", "J. D."), ("Muran", "J. C.")], 2000, "Negotiating the therapeutic alliance: A relational treatment guide",
     "Guilford Press"),
    ([("Eubanks", "C. F."), ("Muran", "J. C."), ("Safran", "J. D.")], 2018, "Alliance rupture repair: A meta-analysis",
     "Psychotherapy, 55(4), 508-519"),
    ([("Hall", "A. M."), ("Ferreira", "P. H."), ("Maher", "C. G."), ("Latimer", "J."), ("Ferreira", "M. L.")], 2010,
     "The influence of the therapist-patient relationship on treatment outcome in physical rehabilitation: "
     "A systematic review", "Physical Therapy, 90(8), 1099-1110"),
    ([("Hatcher", "R. L."), ("Gillaspy", "J. A.")], 2006,
     "Development and validation of a revised short version of the Working Alliance Inventory",
     "Psychotherapy Research, 16(1), 12-25"),
    ([("Diener", "M. J."), ("Monroe", "J. M.")], 2011,
     "The relationship between adult attachment style and therapeutic alliance in individual psychotherapy: "
     "A meta-analytic review", "Psychotherapy, 48(3), 237-248"),
    ([("Bowlby", "J.")], 1988, "A secure base: Parent-child attachment and healthy human development", "Basic Books"),
    ([("Gaston", "L.")], 1991, "Reliability and criterion-related validity of the California Psychotherapy "
     "Alliance Scales, patient version", "Psychological Assessment, 3(1), 68-74"),
]

SURNAMES = ("Martin Dubois Lefebvre Moreau Girard Roux Fournier Bonnet Lambert Fontaine Rousseau Chevalier Mercier "
            "Blanchard Gauthier Perrin Lemaire Tremblay Gagnon Côté Bélanger Pelletier Smith Johnson Brown Miller "
            "Wilson Taylor Anderson Clarke Walker Young Nguyen Kowalski Schmidt Rossi Garcia Lopez Andersson "
            "Nielsen Okafor Haddad Leclerc Bouchard Nadeau Ouellet Müller Jansen Dupont").split()
INITIALS = "A. B. C. D. E. F. G. H. J. K. L. M. N. P. R. S. T. V. A.-M. J.-P. M.-C.".split()
JOURNALS = ["Psychotherapy Research", "Journal of Counseling Psychology", "Physical Therapy", "Pain",
            "Clinical Journal of Pain", "Journal of Medical Internet Research", "Revue québécoise de psychologie",
            "L'Encéphale", "Psychothérapies", "Santé mentale au Québec", "Kinésithérapie, la Revue",
            "International Journal of Clinical and Experimental Hypnosis", "Mindfulness", "Annales médico-psychologiques"]

# --- vocabulary, per language -----------------------------------------------------------------------
V = {
    "en": dict(
        pop=["adults with chronic low back pain", "patients with fibromyalgia", "outpatients with major depression",
             "adolescents in family therapy", "couples in conjoint therapy", "veterans with PTSD",
             "patients with generalized anxiety", "older adults with chronic pain", "university counselling clients",
             "patients recovering from knee surgery", "people with borderline personality disorder"],
        measure=["the Working Alliance Inventory (WAI)", "the WAI short revised form (WAI-SR)",
                 "the California Psychotherapy Alliance Scales (CALPAS)", "the Helping Alliance Questionnaire (HAq-II)",
                 "the Session Rating Scale", "the Agnew Relationship Measure", "the Vanderbilt Therapeutic Alliance Scale"],
        outcome=["pain intensity", "disability", "depressive symptoms", "treatment adherence", "dropout",
                 "quality of life", "anxiety", "global functioning", "patient satisfaction", "return to work",
                 "pain catastrophizing", "self-efficacy"],
        therapy=["cognitive behavioural therapy", "physiotherapy", "clinical hypnosis", "mindfulness-based stress reduction",
                 "videoconference psychotherapy", "internet-delivered CBT", "psychodynamic psychotherapy",
                 "emotion-focused therapy", "motivational interviewing", "graded exercise therapy",
                 "acceptance and commitment therapy"],
        when=["at the third session", "at mid-treatment", "at termination", "at the six-month follow-up",
              "at the first session", "at the twelve-month follow-up"],
        design=["a randomized controlled trial", "a meta-analysis", "a naturalistic cohort study", "a multilevel analysis",
                "a systematic review", "a qualitative interview study", "a pilot feasibility trial", "a cross-sectional survey"],
        style=["secure", "anxious", "avoidant", "disorganized", "fearful"],
        kind=["cohort", "trial", "registry", "clinic", "network"],
        heads=["Introduction", "Method", "Results", "Discussion"],
        abstract="Abstract", refs="References",
    ),
    "fr": dict(
        pop=["des adultes souffrant de lombalgie chronique", "des patientes atteintes de fibromyalgie",
             "des patients ambulatoires déprimés", "des adolescents en thérapie familiale", "des couples en thérapie conjugale",
             "des anciens combattants souffrant d'un TSPT", "des patients présentant une anxiété généralisée",
             "des personnes âgées douloureuses chroniques", "des étudiants consultant un service d'aide psychologique",
             "des patients opérés du genou", "des patients présentant un trouble de la personnalité limite"],
        measure=["l'Inventaire d'alliance de travail (WAI)", "la version courte révisée du WAI (WAI-SR)",
                 "les échelles californiennes d'alliance (CALPAS)", "le questionnaire d'alliance aidante (HAq-II)",
                 "l'échelle d'évaluation de la séance", "la mesure de relation d'Agnew", "l'échelle d'alliance de Vanderbilt"],
        outcome=["l'intensité douloureuse", "l'incapacité fonctionnelle", "les symptômes dépressifs", "l'observance du traitement",
                 "l'abandon prématuré", "la qualité de vie", "l'anxiété", "le fonctionnement global", "la satisfaction des patients",
                 "le retour au travail", "la dramatisation de la douleur", "le sentiment d'efficacité personnelle"],
        therapy=["la thérapie cognitivo-comportementale", "la kinésithérapie", "l'hypnose clinique",
                 "la réduction du stress basée sur la pleine conscience", "la psychothérapie par visioconférence",
                 "la thérapie en ligne", "la psychothérapie psychodynamique", "la thérapie centrée sur les émotions",
                 "l'entretien motivationnel", "la physiothérapie", "la thérapie d'acceptation et d'engagement"],
        when=["à la troisième séance", "à mi-traitement", "en fin de traitement", "au suivi à six mois",
              "à la première séance", "au suivi à douze mois"],
        design=["un essai contrôlé randomisé", "une méta-analyse", "une étude de cohorte naturaliste", "une analyse multiniveau",
                "une revue systématique", "une étude qualitative par entretiens", "un essai pilote de faisabilité",
                "une enquête transversale"],
        style=["sécure", "anxieux", "évitant", "désorganisé", "craintif"],
        kind=["cohorte", "clinique", "consultation"],
        heads=["Introduction", "Méthode", "Résultats", "Discussion"],
        abstract="Résumé", refs="Références",
    ),
}

# Sentence templates by topic; {cite} is an in-text citation, {name} an invented proper noun.
T = {
    "en": {
        "bordin": ["Following Bordin {cite}, the working alliance combines agreement on goals, agreement on tasks and an emotional bond.",
                   "Agreement on the tasks of {therapy} was a stronger predictor of {outcome} than the bond itself {cite}.",
                   "The bond between patient and therapist developed early, often before the third session.",
                   "Goals, tasks and bond were rated separately with {measure} {when}."],
        "rupture": ["Alliance ruptures, whether withdrawal or confrontation ruptures, were coded in {n} sessions {cite}.",
                    "Therapists who noticed a rupture and invited the patient to talk about it repaired the alliance more often.",
                    "Rupture repair episodes were followed by better {outcome} {when} {cite}.",
                    "Unrepaired ruptures predicted dropout in {pop}."],
        "attach": ["Patients with {style} attachment reported a weaker early alliance {cite}.",
                   "Attachment security was measured before {therapy} and related to the bond {when}.",
                   "{style} attachment made the therapeutic relationship harder to build in {pop}.",
                   "Bowlby's secure base offers a model of the therapist's role in the alliance {cite}."],
        "pain": ["In {pop}, the therapeutic alliance with the physiotherapist predicted {outcome} {cite}.",
                 "Chronic pain patients who felt understood by their clinician reported less disability {when}.",
                 "Pain education delivered within a warm therapeutic relationship improved {outcome} {cite}.",
                 "Physiotherapy sessions that included shared goal setting strengthened the working alliance."],
        "hypno": ["Clinical hypnosis for chronic pain relies on rapport and a trusting alliance {cite}.",
                  "Hypnotic suggestions were adapted to each patient after the second session.",
                  "Mindfulness practice and hypnosis both reduced {outcome} in {pop} {cite}.",
                  "The mindfulness instructor's warmth was associated with home practice and {outcome}."],
        "online": ["Online therapy by videoconference produced an alliance comparable to face-to-face treatment {cite}.",
                   "In internet-delivered CBT the alliance with the online therapist predicted {outcome} {cite}.",
                   "Patients in the {name} {kind} rated the e-therapy alliance with {measure}.",
                   "Written messages allowed a bond to form even without face-to-face contact."],
        "measure": ["The alliance was assessed with {measure} {when} {cite}.",
                    "{measure} showed good internal consistency (alpha = .{a}) in {pop}.",
                    "Patient and therapist ratings of the alliance correlated only moderately (r = .{r}).",
                    "Observer ratings were obtained with {measure} on {n} recorded sessions."],
        "meta": ["A meta-analysis of {k} studies found an alliance-outcome correlation of r = .{r} {cite}.",
                 "The alliance-outcome association held across {therapy} and {pop} {cite}.",
                 "Heterogeneity between studies was moderate (I2 = {i2}%).",
                 "Publication bias analyses did not change the pooled effect (d = 0.{d})."],
        "method": ["Participants were {n} {pop} recruited in the {name} {kind}.",
                   "We conducted {design} comparing {therapy} with usual care.",
                   "Sessions were audio-recorded and rated by two blind observers.",
                   "Outcomes were {outcome} and {outcome2}, assessed {when}."],
        "generic": ["Clinicians rarely receive feedback on how their patients experience the relationship.",
                    "The therapist's empathy, warmth and congruence are often confused with the alliance itself {cite}.",
                    "Early change in symptoms may improve the alliance rather than the reverse {cite}.",
                    "Session-by-session monitoring helped therapists notice when {pop} disengaged.",
                    "The {name} {kind} trained its clinicians in alliance-focused supervision.",
                    "Cultural adaptation of {therapy} strengthened the bond with minority patients.",
                    "Few studies separate the patient's contribution to the alliance from the therapist's {cite}.",
                    "Collaboration on homework was a concrete marker of agreement on tasks.",
                    "Shared decision making made the goals of {therapy} explicit from the start.",
                    "Within-therapist variability in the alliance predicted {outcome} better than between-therapist differences {cite}.",
                    "Nonverbal synchrony between patient and therapist was recorded with motion energy analysis.",
                    "Motivation, expectations and credibility of the treatment were assessed {when}."],
        "result": ["The early alliance predicted {outcome} {when} (r = .{r}, p < .0{p}).",
                   "Patients in the {name} {kind} improved on {outcome} (d = 0.{d}).",
                   "Dropout was {pct}% in the group receiving {therapy}.",
                   "The effect remained after adjusting for baseline {outcome}."],
    },
    "fr": {
        "bordin": ["Selon Bordin {cite}, l'alliance de travail associe l'accord sur les objectifs, l'accord sur les tâches et le lien affectif.",
                   "L'accord sur les tâches de {therapy} prédisait mieux {outcome} que le lien lui-même {cite}.",
                   "Le lien affectif entre patient et thérapeute se construisait tôt, souvent avant la troisième séance.",
                   "Les objectifs, les tâches et le lien ont été évalués séparément avec {measure} {when}."],
        "rupture": ["Les ruptures d'alliance, de retrait ou de confrontation, ont été codées dans {n} séances {cite}.",
                    "Les thérapeutes qui repéraient une rupture et invitaient le patient à en parler réparaient plus souvent l'alliance.",
                    "Les épisodes de réparation étaient suivis d'un progrès sur {outcome} {when} {cite}.",
                    "Les ruptures non réparées prédisaient l'abandon chez {pop}."],
        "attach": ["Les patients au style d'attachement {style} décrivaient une alliance précoce plus fragile {cite}.",
                   "La sécurité de l'attachement a été mesurée avant {therapy} et reliée au lien {when}.",
                   "Un attachement {style} rendait la relation thérapeutique plus difficile à établir chez {pop}.",
                   "La base de sécurité décrite par Bowlby éclaire le rôle du thérapeute dans l'alliance {cite}."],
        "pain": ["Chez {pop}, l'alliance thérapeutique avec le kinésithérapeute prédisait {outcome} {cite}.",
                 "Les patients douloureux chroniques qui se sentaient compris rapportaient moins d'incapacité {when}.",
                 "L'éducation à la douleur menée dans une relation chaleureuse améliorait {outcome} {cite}.",
                 "Les séances de physiothérapie incluant des objectifs partagés renforçaient l'alliance de travail."],
        "hypno": ["L'hypnose clinique de la douleur chronique repose sur le rapport et une alliance de confiance {cite}.",
                  "Les suggestions hypnotiques étaient adaptées à chaque patient après la deuxième séance.",
                  "La pleine conscience et l'hypnose réduisaient toutes deux {outcome} chez {pop} {cite}.",
                  "La chaleur de l'instructeur de pleine conscience était associée à la pratique à domicile."],
        "online": ["La thérapie en ligne par visioconférence produisait une alliance comparable au face-à-face {cite}.",
                   "Dans la TCC sur internet, l'alliance avec le thérapeute en ligne prédisait {outcome} {cite}.",
                   "Les patients de la {kind} {name} ont évalué l'alliance en ligne avec {measure}.",
                   "Les messages écrits permettaient au lien de se former sans rencontre en présence."],
        "measure": ["L'alliance a été évaluée avec {measure} {when} {cite}.",
                    "{measure} présentait une bonne cohérence interne (alpha = 0,{a}) chez {pop}.",
                    "Les évaluations de l'alliance par le patient et par le thérapeute ne corrélaient que modérément (r = 0,{r}).",
                    "Des observateurs ont coté {n} séances enregistrées avec {measure}."],
        "meta": ["Une méta-analyse de {k} études trouvait une corrélation alliance-résultat de r = 0,{r} {cite}.",
                 "L'association entre alliance et résultat se retrouvait pour {therapy} et chez {pop} {cite}.",
                 "L'hétérogénéité entre les études était modérée (I2 = {i2} %).",
                 "Les analyses du biais de publication ne modifiaient pas l'effet combiné (d = 0,{d})."],
        "method": ["Les participants étaient {n} patients, {pop}, recrutés dans la {kind} {name}.",
                   "Nous avons mené {design} comparant {therapy} aux soins habituels.",
                   "Les séances ont été enregistrées et cotées par deux observateurs en aveugle.",
                   "Les critères de jugement étaient {outcome} et {outcome2}, évalués {when}."],
        "generic": ["Les cliniciens reçoivent rarement un retour sur la façon dont leurs patients vivent la relation.",
                    "L'empathie, la chaleur et la congruence du thérapeute sont souvent confondues avec l'alliance {cite}.",
                    "Un changement précoce des symptômes peut améliorer l'alliance plutôt que l'inverse {cite}.",
                    "Le suivi séance par séance aidait les thérapeutes à repérer le désengagement chez {pop}.",
                    "La {kind} {name} formait ses cliniciens à une supervision centrée sur l'alliance.",
                    "L'adaptation culturelle de {therapy} renforçait le lien avec les patients issus de minorités.",
                    "Peu d'études distinguent la contribution du patient à l'alliance de celle du thérapeute {cite}.",
                    "La collaboration autour des exercices entre les séances signalait un accord sur les tâches.",
                    "La décision partagée rendait explicites les objectifs de {therapy} dès le début.",
                    "La variabilité intra-thérapeute de l'alliance prédisait {outcome} mieux que les différences entre thérapeutes {cite}.",
                    "La synchronie non verbale entre patient et thérapeute a été enregistrée par analyse du mouvement.",
                    "La motivation, les attentes et la crédibilité du traitement ont été évaluées {when}."],
        "result": ["L'alliance précoce prédisait {outcome} {when} (r = 0,{r} ; p < 0,0{p}).",
                   "Les patients de la {kind} {name} s'amélioraient sur {outcome} (d = 0,{d}).",
                   "Le taux d'abandon était de {pct} % dans le groupe recevant {therapy}.",
                   "L'effet persistait après ajustement sur les valeurs initiales."],
    },
}
TOPICS = ["bordin", "rupture", "attach", "pain", "hypno", "online", "measure", "meta"]
TITLES = {
    "en": ["The therapeutic alliance in {therapy} for {pop}", "Alliance ruptures and repair in {therapy}",
           "Attachment style and the working alliance in {pop}", "Predicting {outcome} from the early alliance",
           "Goals, tasks and bond in {therapy}: {design}"],
    "fr": ["L'alliance thérapeutique dans {therapy} chez {pop}", "Ruptures et réparation de l'alliance dans {therapy}",
           "Style d'attachement et alliance de travail chez {pop}", "Prédire {outcome} à partir de l'alliance précoce",
           "Objectifs, tâches et lien dans {therapy} : {design}"],
}
SYLLABLES = "ka lo mi ter van dro sel bru nar ki po zen ra tul mé bor fi gan lu cha vel ro sta dé mon ix pel qua ri".split()


@dataclass(frozen=True)
class Ref:
    authors: tuple[tuple[str, str], ...]
    year: int
    title: str
    container: str

    def apa(self) -> str:
        names = [f"{s}, {i}" for s, i in self.authors]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
        return f"{who} ({self.year}). {self.title}. {self.container}."

    def cite(self, lang: str) -> str:
        s = [a[0] for a in self.authors]
        who = s[0] if len(s) == 1 else (f"{s[0]} {'&' if lang == 'en' else 'et'} {s[1]}" if len(s) == 2
                                        else f"{s[0]} et al.")
        return f"{who}, {self.year}"


def _name(rng: random.Random) -> str:
    """An invented proper noun for a cohort, trial or town: "Varendo", "Kimélu"."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _fake_ref(rng: random.Random, lang: str) -> Ref:
    v = V[lang]
    authors = tuple((rng.choice(SURNAMES), rng.choice(INITIALS)) for _ in range(rng.choice((1, 2, 2, 3, 4, 6))))
    title = rng.choice(TITLES[lang]).format(therapy=rng.choice(v["therapy"]), pop=rng.choice(v["pop"]),
                                            outcome=rng.choice(v["outcome"]), design=rng.choice(v["design"]))
    vol = rng.randint(3, 80)
    page = rng.randint(1, 900)
    return Ref(authors, rng.randint(1985, 2024), title[0].upper() + title[1:],
               f"{rng.choice(JOURNALS)}, {vol}({rng.randint(1, 12)}), {page}-{page + rng.randint(5, 25)}")


def article(seed: int, i: int) -> Article:
    """Document i of the corpus for seed: the same Article on every call."""
    rng = random.Random(seed * 1_000_003 + i)
    lang = "fr" if rng.random() < 0.5 else "en"
    v, t = V[lang], T[lang]
    topics = rng.sample(TOPICS, rng.randint(1, 3))
    refs = [Ref(tuple(a), y, ti, c) for a, y, ti, c in rng.sample(REAL, rng.randint(2, 5))]
    refs += [_fake_ref(rng, lang) for _ in range(rng.randint(3, 10))]
    rng.shuffle(refs)
    numbered = rng.random() < 0.3
    used: list[Ref] = []

    def cite() -> str:
        ref = rng.choice(refs)
        if ref not in used:
            used.append(ref)
        if numbered:
            return f"[{used.index(ref) + 1}]"
        return f"({ref.cite(lang)})"

    def fill(template: str, citing: bool) -> str:
        slots = dict(n=rng.randint(12, 480), k=rng.randint(8, 295), r=rng.randint(12, 45), a=rng.randint(70, 95),
                     d=rng.randint(15, 90), p=rng.randint(1, 5), i2=rng.randint(10, 80), pct=rng.randint(5, 45),
                     name=_name(rng), outcome2=rng.choice(v["outcome"]))
        for key in ("pop", "measure", "outcome", "therapy", "when", "design", "style", "kind"):
            slots[key] = rng.choice(v[key])
        if "{cite}" in template:
            slots["cite"] = cite() if citing else ""
            template = template if citing else template.replace(" {cite}", "")
        s = template.format(**slots)
        return s[0].upper() + s[1:]

    def paragraph(pools: list[str], citing: bool = True) -> str:
        return " ".join(fill(rng.choice(t[rng.choice(pools)]), citing) for _ in range(rng.randint(5, 7)))

    sections = []
    for k, head in enumerate(v["heads"]):
        pools = topics + ["generic"] + (["method"] if k == 1 else ["result"] if k == 2 else [])
        sections.append(Section(head, [paragraph(pools) for _ in range(rng.randint(2, 3))]))
    title = rng.choice(TITLES[lang]).format(therapy=rng.choice(v["therapy"]), pop=rng.choice(v["pop"]),
                                            outcome=rng.choice(v["outcome"]), design=rng.choice(v["design"]))
    ordered = used + [r for r in refs if r not in used] if numbered else sorted(refs, key=lambda r: r.apa())
    references = [f"[{n}] {r.apa()}" if numbered else r.apa() for n, r in enumerate(ordered, 1)]
    authors = [f"{rng.choice(INITIALS)} {rng.choice(SURNAMES)}" for _ in range(rng.randint(1, 4))]
    year = rng.randint(1995, 2024)
    return Article(title=title[0].upper() + title[1:], authors=authors, abstract=paragraph(topics, citing=False),
                   sections=sections, references=references, keywords=[], lang=lang, year=year,
                   journal=rng.choice(JOURNALS), doi=f"10.{rng.randint(1000, 9999)}/kb.{year}.{i:05d}")


def to_text(a: Article, markdown: bool) -> str:
    """The article as a Markdown or plain text file, paragraphs separated by blank lines."""
    h1, h2 = ("# ", "## ") if markdown else ("", "")
    out = [h1 + a.title, ", ".join(a.authors), f"{a.journal}, {a.year}. https://doi.org/{a.doi}",
           h2 + V[a.lang]["abstract"], a.abstract]
    for s in a.sections:
        out.append(h2 + s.heading)
        out.extend(s.paragraphs)
    out.append(h2 + V[a.lang]["refs"])
    out.append("\n".join(a.references))
    return "\n\n".join(out) + "\n"


def write_pdf(a: Article, path: Path, i: int) -> None:
    """The article as a PDF; layout varies with i: one or two columns, hyphenation, headers, row order."""
    two = i % 2 == 1
    make_article_pdf(path, a, columns=2 if two else 1, order="row" if two and i % 10 == 3 else "column",
                     hyphenate=two, running_header=f"{a.journal}, {a.year}" if i % 3 == 0 else None)


def _fingerprint() -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update((HERE.parent / "tests" / "pdfgen.py").read_bytes())
    return h.hexdigest()[:10]


def write_corpus(out: Path, kind: str, n: int, seed: int = 1) -> list[Path]:
    """Writes documents 0..n-1 as text/Markdown ("text") or PDF ("pdf") files into out; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        a = article(seed, i)
        sub = out / f"{i // 1000:03d}"  # a few thousand files per folder at most
        sub.mkdir(exist_ok=True)
        if kind == "pdf":
            p = sub / f"doc{i:05d}-{a.lang}.pdf"
            write_pdf(a, p, i)
        else:
            md = i % 2 == 0
            p = sub / f"doc{i:05d}-{a.lang}.{'md' if md else 'txt'}"
            p.write_text(to_text(a, md), "utf-8")
        paths.append(p)
    return paths


def corpus(kind: str, n: int, seed: int = 1, cache: Path = CACHE) -> Path:
    """The folder of a cached corpus, generated on first use (atomically: a killed run leaves no half corpus)."""
    if kind not in ("text", "pdf"):
        raise ValueError(f"gen: kind must be 'text' or 'pdf', not {kind!r}")
    target = cache / f"{kind}-n{n}-s{seed}-{_fingerprint()}"
    if target.exists():
        return target
    tmp = cache / f".tmp-{target.name}"
    shutil.rmtree(tmp, ignore_errors=True)
    write_corpus(tmp, kind, n, seed)
    tmp.rename(target)
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description="Write a deterministic bilingual alliance corpus.")
    ap.add_argument("--docs", type=int, default=20, help="text/Markdown documents")
    ap.add_argument("--pdfs", type=int, default=0, help="PDF documents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    write_corpus(args.out / "text", "text", args.docs, args.seed)
    if args.pdfs:
        write_corpus(args.out / "pdf", "pdf", args.pdfs, args.seed)
    print(f"wrote {args.docs} text and {args.pdfs} PDF documents under {args.out}")


if __name__ == "__main__":
    main()
