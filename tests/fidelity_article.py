"""A two-column French article with known text, for the PDF fidelity test and bench/fidelity.py.

Written for kb (no copied text): accents, long words that the generator hyphenates at line ends, a
compound spelt with a hyphen ("méta-analyse"), a running header and a reference list.
"""

from __future__ import annotations

import re

from kb.analysis import fold
from pdfgen import Article, Section

HEADER = "Revue francophone de psychothérapie, 2022, vol. 14"

_P = [
    "L’alliance thérapeutique désigne la collaboration entre le patient et le thérapeute. Plusieurs "
    "chercheurs considèrent qu’elle repose sur un accord concernant les objectifs, un accord concernant "
    "les tâches et un lien affectif suffisamment solide pour traverser les difficultés.",
    "Une méta-analyse récente confirme que la qualité de l’alliance prédit l’évolution symptomatique, "
    "indépendamment de l’orientation théorique. Cette méta-analyse rassemble des études menées auprès "
    "de patients souffrant de troubles anxieux, dépressifs ou douloureux chroniques.",
    "Les ruptures de l’alliance surviennent fréquemment pendant les premières séances. Lorsque le "
    "thérapeute reconnaît la tension, explore l’expérience du patient et reformule les objectifs, la "
    "réparation renforce souvent l’engagement ultérieur et la confiance réciproque.",
    "Dans le champ de la kinésithérapie, l’écoute, l’explication des mécanismes douloureux et la "
    "négociation des exercices quotidiens favorisent l’adhésion au traitement. Les participants "
    "interrogés décrivent une relation chaleureuse, respectueuse et encourageante.",
    "Les styles d’attachement influencent également la construction du lien. Les personnes présentant "
    "un attachement désorganisé éprouvent davantage de difficultés à établir une relation stable, ce "
    "qui demande au praticien une attention particulière aux signes de désengagement.",
    "Enfin, les consultations à distance soulèvent des questions spécifiques : la présence corporelle "
    "manque, mais plusieurs travaux suggèrent que l’alliance en ligne atteint des niveaux comparables "
    "à ceux observés en cabinet lorsque le cadre est clairement établi.",
]

ARTICLE = Article(
    title="Alliance thérapeutique et douleur chronique : une revue narrative",
    authors=["Camille Lefèvre", "Julien Moreau"],
    abstract=("Cette revue examine la place de l’alliance thérapeutique dans la prise en charge de la "
              "douleur chronique et propose des pistes pour la pratique clinique quotidienne."),
    sections=[Section(f"{i}. {name}", [_P[(i + k) % len(_P)] for k in range(4)])
              for i, name in enumerate(["Introduction", "Méthode", "Résultats", "Ruptures et réparation",
                                        "Attachement", "Discussion", "Conclusion"], 1)],
    references=[
        "Bordin, E. S. (1979). The generalizability of the psychoanalytic concept of the working "
        "alliance. Psychotherapy: Theory, Research & Practice, 16(3), 252-260.",
        "Horvath, A. O., & Symonds, B. D. (1991). Relation between working alliance and outcome in "
        "psychotherapy: A meta-analysis. Journal of Counseling Psychology, 38(2), 139-149.",
        "Safran, J. D., & Muran, J. C. (2000). Negotiating the therapeutic alliance: A relational "
        "treatment guide. New York: Guilford Press.",
    ],
    keywords=["alliance thérapeutique", "douleur chronique", "rupture"],
    lang="fr", year=2022, journal="Revue francophone de psychothérapie", doi="10.9999/rfp.2022.014",
)


def article_text() -> str:
    """Everything the article prints except the running header and page numbers, in reading order."""
    a = ARTICLE
    parts = [a.title, ", ".join(a.authors), a.abstract]
    for sec in a.sections:
        parts += [sec.heading, *sec.paragraphs]
    return "\n".join(parts + a.references)


def article_words() -> list[str]:
    return [fold(w) for w in re.findall(r"[^\W_]+", article_text())]
