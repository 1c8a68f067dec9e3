"""Demo reports: the 2022 activity report of each of the three demo committees, published
with a foreword (the figures come from the demo sessions, as for any report)."""

from __future__ import annotations

from datetime import UTC, datetime

from committees.bodies.services import committee_by_slug
from committees.demo.bodies import CSP_MIXTE, CULTURE, SUIVI
from committees.reports.services import find_report, publish_report, save_foreword

#: the year reported on, and when the reports were published
YEAR = 2022
PUBLISHED = datetime(2023, 2, 15, 9, 0, tzinfo=UTC)

FOREWORDS = {
    SUIVI: (
        "En 2022, le comité a suivi la **montée en charge de l'expérimentation** : inclusions, "
        "structures de référence, formation des professionnels et approvisionnement.\n\n"
        "Il a rendu un avis sur l'élargissement des critères d'inclusion en cancérologie."
    ),
    CULTURE: (
        "En 2022, le comité a préparé les **spécifications de la culture en France** du cannabis "
        "à usage médical et entendu, le 4 mai, les acteurs de la future filière retenus après "
        "l'appel à contributions écrites."
    ),
    CSP_MIXTE: (
        "Installé en mars 2022, le comité mixte de pharmacovigilance et d'addictovigilance a "
        "examiné le **rapport sur les effets indésirables** recueillis pendant l'expérimentation."
    ),
}


def seed_reports() -> None:
    """Publish the 2022 report of each demo committee (skipped where one already exists)."""
    for slug, foreword in FOREWORDS.items():
        committee = committee_by_slug(slug)
        if committee is None or find_report(committee, YEAR) is not None:
            continue
        publish_report(save_foreword(committee, YEAR, foreword), PUBLISHED)
