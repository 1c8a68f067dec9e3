"""Demo call: the CST Culture's call to the actors of the future French medical-cannabis
supply chain (AMI-2022), with eight fictional contributions from fictional organisations,
one set aside as off-topic and six selected to be heard at the session of 4 May 2022.

Contributions go through the contributors' own service (``submit_contribution``) with the
server's clock set inside the call's window; reviews through the secretariat's services.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from committees.auth.models import Role
from committees.auth.services import create_user, find_user_by_email
from committees.bodies.services import committee_by_slug
from committees.calls.administration.review import (
    mark_eligible,
    mark_off_topic,
    publish_contribution,
    select_for_hearing,
)
from committees.calls.administration.services import create_call, publish_call
from committees.calls.models import Audience, Call, Contribution
from committees.calls.submission.services import ContributionData, Upload, submit_contribution
from committees.demo.bodies import CULTURE
from committees.extensions import db
from committees.meetings.models import HearingStatus, Meeting
from committees.meetings.rules import paris_to_utc

REFERENCE = "AMI-2022"
THEMES = [
    "Culture et production de la plante",
    "Transformation en matière première",
    "Fabrication du médicament",
    "Contrôle qualité et traçabilité",
    "Sécurisation de la chaîne",
]
BODY = """L'ANSM invite les acteurs de la future filière française du cannabis à usage médical —
agriculteurs, producteurs de matière première, établissements pharmaceutiques — à lui adresser
une **contribution écrite**, rédigée sur le modèle de thèmes ci-dessous, avant le
**20 avril 2022 à 23 h 59**.

Jusqu'à six contributeurs, choisis par l'Agence parmi les contributions écrites, seront
entendus par visioconférence lors de la séance du comité du 4 mai 2022. Priorité sera
donnée aux contributions les plus complètes et aux auditions conjointes des partenaires
d'un même projet de filière. Les contributions hors sujet ne seront pas retenues."""

#: the demo contributor's address (committees.demo.DEMO_ACCOUNTS)
DEMO_CONTRIBUTOR = "contributeur@demo.ansm.example"

#: (account, name, organisation, kind, siren, contact, function, themes, consent, hearing, text)
CONTRIBUTIONS = [
    (
        DEMO_CONTRIBUTOR,
        "Jean Dupont",
        "Coopérative des chanvriers du Val de Loire",
        "farmer",
        "",
        "Jean Dupont",
        "Président",
        [0, 4],
        True,
        True,
        "Nos 40 exploitations cultivent du chanvre industriel depuis vingt ans ; nous "
        "décrivons les conditions de culture sous serre sécurisée que nous envisageons.",
    ),
    (
        "direction@agro-serres-occitanie.demo-contributeurs.example",
        "Claire Vidal",
        "Agro-Serres Occitanie",
        "farmer",
        "",
        "Claire Vidal",
        "Directrice générale",
        [0, 3],
        True,
        True,
        "Projet de serres closes de 2 ha, éclairage et irrigation pilotés, traçabilité par lot.",
    ),
    (
        "contact@phytoextraits.demo-contributeurs.example",
        "Thomas Garnier",
        "PhytoExtraits de France",
        "raw_material_producer",
        "",
        "Thomas Garnier",
        "Responsable des affaires réglementaires",
        [1, 3],
        True,
        True,
        "Extraction au CO2 supercritique et standardisation des teneurs en THC et CBD.",
    ),
    (
        "qualite@laboratoires-lumiere.demo-contributeurs.example",
        "Sophie Marchand",
        "Laboratoires Lumière",
        "pharmaceutical_establishment",
        "",
        "Sophie Marchand",
        "Pharmacienne responsable",
        [2, 3],
        False,
        True,
        "Fabrication de fleurs séchées et d'huiles selon les bonnes pratiques de fabrication.",
    ),
    (
        "projet@filiere-normande.demo-contributeurs.example",
        "Antoine Lebrun",
        "Consortium Filière normande",
        "economic_operator",
        "",
        "Antoine Lebrun",
        "Chef de projet",
        [0, 1, 2],
        True,
        True,
        "Projet conjoint d'un producteur, d'un extracteur et d'un établissement pharmaceutique.",
    ),
    (
        "securite@convoyage-sante.demo-contributeurs.example",
        "Nadia Benali",
        "Convoyage Santé Sécurisé",
        "economic_operator",
        "",
        "Nadia Benali",
        "Directrice des opérations",
        [4],
        False,
        True,
        "Transport sécurisé et stockage sous contrôle d'accès entre les sites de la filière.",
    ),
    (
        "contact@semences-du-sud.demo-contributeurs.example",
        "Luc Fabre",
        "Semences du Sud",
        "raw_material_producer",
        "",
        "Luc Fabre",
        "Gérant",
        [0],
        True,
        False,
        "Sélection de variétés stables et certification des semences.",
    ),
    (
        "info@bien-etre-cbd.demo-contributeurs.example",
        "Julie Morel",
        "Boutique Bien-être CBD",
        "other",
        "",
        "Julie Morel",
        "Gérante",
        [],
        True,
        True,
        "Nous vendons des produits au CBD et souhaitons élargir notre gamme.",
    ),
]
#: the index of the off-topic contribution, and its reason
OFF_TOPIC = (7, "Porte sur la vente de produits au CBD, hors du champ du cannabis à usage médical.")
#: the six heard, in the order of their slots
SELECTED = (0, 1, 2, 3, 4, 5)


def _culture_session(committee_id: int) -> Meeting | None:
    day = date(2022, 5, 4)
    start = paris_to_utc(day, time(0, 0))
    return db.session.execute(
        select(Meeting).where(
            Meeting.committee_id == committee_id,
            Meeting.starts_at >= start,
            Meeting.starts_at < start + timedelta(days=1),
        )
    ).scalar_one_or_none()


def _contributor(email: str, name: str):
    user = find_user_by_email(email)
    if user is None:
        # Fictional accounts nobody signs in to: an unusable random password.
        user = create_user(email, name, secrets.token_urlsafe(32), Role.CONTRIBUTOR)
    return user


def _demo_pdf(organisation: str) -> bytes:
    return (
        b"%PDF-1.4\n% Contribution ecrite (demonstration)\n% "
        + organisation.encode("utf-8")
        + b"\n%%EOF\n"
    )


def _submit(call: Call, row, now: datetime) -> Contribution:
    email, name, organisation, kind, siren, contact, function, themes, consent, hear, text = row
    data = ContributionData(
        organisation=organisation,
        organisation_kind=kind,
        contact_name=contact,
        contact_function=function,
        text=text,
        siren=siren or None,
        themes=[THEMES[i] for i in themes],
        consent_publication=consent,
        wants_hearing=hear,
    )
    files = [Upload("contribution.pdf", _demo_pdf(organisation))]
    return submit_contribution(
        call, _contributor(email, name), data, files, secrets.token_urlsafe(16), now=now
    )


def _review(contributions: list[Contribution], meeting: Meeting | None) -> None:
    index, reason = OFF_TOPIC
    mark_off_topic(contributions[index], reason)
    slot = paris_to_utc(date(2022, 5, 4), time(10, 30))
    for position, index in enumerate(SELECTED):
        contribution = contributions[index]
        mark_eligible(contribution)
        if meeting is None:
            continue
        hearing = select_for_hearing(contribution)
        # The session is held: the hearings took place, 40 minutes each.
        hearing.slot_start = slot + timedelta(minutes=45 * position)
        hearing.slot_end = hearing.slot_start + timedelta(minutes=40)
        hearing.status = HearingStatus.HEARD.value
    mark_eligible(contributions[6])
    published = datetime(2022, 5, 10, 8, 0, tzinfo=UTC)
    for contribution in contributions:
        if contribution.consent_publication and contribution.status != "off_topic":
            publish_contribution(contribution, now=published)


def seed_calls(today: date) -> Call | None:
    """The CST Culture's call AMI-2022 and its contributions (skipped if it exists).

    ``today`` is unused (the call's dates are historical) but kept for the seeding API.
    """
    del today
    if db.session.execute(select(Call.id).where(Call.reference == REFERENCE)).first():
        return None
    committee = committee_by_slug(CULTURE)
    if committee is None:
        return None
    meeting = _culture_session(committee.id)
    opens = paris_to_utc(date(2022, 3, 15), time(9, 0))
    call = create_call(
        committee=committee,
        meeting=meeting,
        reference=REFERENCE,
        title="Appel à manifestation d'intérêt et contributions écrites — acteurs de la "
        "future filière française du cannabis à usage médical",
        body=BODY,
        audience=Audience.ECONOMIC_OPERATORS.value,
        opens_at=opens,
        closes_at=paris_to_utc(date(2022, 4, 20), time(23, 59)),
        themes="\n".join(THEMES),
        max_attachments=3,
        max_attachment_bytes=10 * 1024 * 1024,
        allowed_types=["pdf", "odt", "docx"],
        contributions_publishable=True,
        hearing_offer="Jusqu'à 6 contributeurs entendus par visioconférence lors de la "
        "séance du 4 mai 2022",
    )
    publish_call(call, now=opens - timedelta(days=1))
    # submit_contribution commits: the call must be saved first.
    db.session.commit()
    contributions = [
        _submit(call, row, opens + timedelta(days=2 + 3 * n, hours=n))
        for n, row in enumerate(CONTRIBUTIONS)
    ]
    _review(contributions, meeting)
    db.session.flush()
    return call


#: the demo contributions quoted in the synthesis (their authors consented), in order
QUOTED = (4, 0)
LESSONS = """
### Principaux enseignements

Les contributions décrivent une filière déjà structurée autour de projets conjoints associant
producteurs, extracteurs et établissements pharmaceutiques. Les contributeurs insistent sur la
culture sous serre sécurisée, la standardisation des teneurs en THC et CBD et la traçabilité par
lot. La sécurisation du transport et du stockage reste à préciser dans le cadre réglementaire.
"""


def seed_synthesis() -> None:
    """The published synthesis of AMI-2022, with two consented excerpts (skipped if it exists)."""
    from committees.calls.synthesis.services import (
        ExcerptChoice,
        publish_synthesis,
        save_draft,
        skeleton,
        synthesis_of,
    )

    call = db.session.execute(select(Call).where(Call.reference == REFERENCE)).scalar_one_or_none()
    if call is None or synthesis_of(call) is not None:
        return
    contributions = db.session.scalars(
        select(Contribution)
        .where(Contribution.call_id == call.id)
        .order_by(Contribution.receipt_number)
    ).all()
    if len(contributions) < len(CONTRIBUTIONS):
        return
    written = datetime(2022, 6, 1, 8, 0, tzinfo=UTC)
    body = skeleton(call).replace("### Principaux enseignements\n\nÀ rédiger.\n", LESSONS.lstrip())
    choices = [
        ExcerptChoice(contributions[index].id, contributions[index].text, position)
        for position, index in enumerate(QUOTED, start=1)
    ]
    synthesis = save_draft(call, body, choices, now=written)
    publish_synthesis(synthesis, now=written)
