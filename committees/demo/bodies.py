"""Demo committees, persons, mandates, declarations and decisions (2021-2022).

Facts from the public record: the three committees, Décision DG n°2021-245 du 08/06/2021,
n°2021-286 du 02/08/2021 and n°2022-30 du 17/02/2022, the 13 members of the CST Suivi
with 4 patient representatives, its extensions to 26/03/2024 then 31/12/2024. Every
person is fictional; decisions whose number the record does not give carry a number
marked as fictional in their summary.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from committees.auth.models import User
from committees.bodies.models import (
    Committee,
    CommitteeKind,
    InterestDeclaration,
    LinkKind,
    Person,
)
from committees.bodies.persons.declarations import LinkLine, file_declaration
from committees.bodies.persons.services import create_person, find_person_by_email
from committees.bodies.services import MandateLine, committee_by_slug, create_committee, slugify
from committees.decisions.models import DecisionKind
from committees.decisions.queries import decision_by_number
from committees.decisions.services import (
    create_decision,
    publish_decision,
    record_creation,
    record_extension,
    record_nomination,
)
from committees.demo.bodies_data import (
    CSP_MEMBERS,
    CULTURE_MEMBERS,
    MISSION_CSP,
    MISSION_CULTURE,
    MISSION_SUIVI,
    SUIVI_MEMBERS,
)
from committees.extensions import db

FICTIONAL = "Numéro fictif, pour la démonstration."

SUIVI = "suivi-experimentation-cannabis-medical"
CULTURE = "culture-cannabis-usage-medical"
CSP_MIXTE = "csp-pharmacovigilance-addictovigilance"


def _person_email(first: str, last: str) -> str:
    return f"{slugify(first)}.{slugify(last)}@demo-membres.example"


def _person(row) -> Person:
    civility, title, first, last, affiliation, qualification, _role = row
    email = _person_email(first, last)
    person = find_person_by_email(email)
    if person is None:
        person = create_person(
            first_name=first,
            last_name=last,
            email=email,
            civility=civility,
            title=title,
            affiliation=affiliation,
            qualification=qualification,
        )
    return person


def _published(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def _decision(number, title, kind, signed_on, summary=""):
    decision = decision_by_number(number)
    if decision is not None:
        return decision, False
    decision = create_decision(
        number=number, title=title, kind=kind, signed_on=signed_on, summary=summary
    )
    publish_decision(decision, _published(signed_on))
    return decision, True


def _committee(slug, **fields) -> tuple[Committee, bool]:
    committee = committee_by_slug(slug)
    if committee is not None:
        return committee, False
    return create_committee(slug=slug, **fields), True


def _nominate(decision, committee, rows, start, end) -> None:
    lines = [
        MandateLine(person=_person(row), role=row[-1], start_date=start, end_date=end)
        for row in rows
    ]
    record_nomination(decision, committee, lines)


def _seed_suivi() -> None:
    creation, new = _decision(
        "2021-245",
        "Décision portant création d'un comité scientifique temporaire « Suivi de "
        "l'expérimentation française de l'usage médical du cannabis » et nomination de ses "
        "membres",
        DecisionKind.CREATION,
        date(2021, 6, 8),
        "Crée le comité et nomme ses treize membres, dont quatre représentants des patients.",
    )
    if not new:
        return
    committee, _ = _committee(
        SUIVI,
        kind=CommitteeKind.TEMPORARY,
        name_fr="Suivi de l'expérimentation française de l'usage médical du cannabis",
        name_en="Monitoring of the French experimentation of medical cannabis",
        acronym="CST Suivi",
        start_date=date(2021, 6, 8),
        end_date=date(2023, 3, 26),
        meeting_cadence="Mensuelle",
        mission_fr=MISSION_SUIVI,
        mission_en="Monitors the French experimentation of medical cannabis, monthly since "
        "June 2021.",
        published_at=_published(date(2021, 6, 10)),
    )
    record_creation(creation, committee)
    _nominate(creation, committee, SUIVI_MEMBERS, date(2021, 6, 8), date(2023, 3, 26))
    first, _ = _decision(
        "2023-61",
        "Décision portant prolongation du CST « Suivi de l'expérimentation française de "
        "l'usage médical du cannabis »",
        DecisionKind.EXTENSION,
        date(2023, 3, 10),
        "Prolonge le comité et les mandats de ses membres jusqu'au 26/03/2024. " + FICTIONAL,
    )
    record_extension(first, committee, date(2024, 3, 26))
    second, _ = _decision(
        "2024-48",
        "Décision portant prolongation du CST « Suivi de l'expérimentation française de "
        "l'usage médical du cannabis »",
        DecisionKind.EXTENSION,
        date(2024, 3, 15),
        "Prolonge le comité et les mandats de ses membres jusqu'au 31/12/2024. " + FICTIONAL,
    )
    record_extension(second, committee, date(2024, 12, 31))


def _seed_culture() -> None:
    creation, new = _decision(
        "2021-286",
        "Décision portant création d'un comité scientifique temporaire « Culture en France du "
        "cannabis à usage médical - spécifications techniques de la chaîne de production allant "
        "de la plante au médicament »",
        DecisionKind.CREATION,
        date(2021, 8, 2),
        "Crée le comité pour une durée de quatre mois.",
    )
    if not new:
        return
    committee, _ = _committee(
        CULTURE,
        kind=CommitteeKind.TEMPORARY,
        name_fr="Culture en France du cannabis à usage médical - spécifications techniques de "
        "la chaîne de production allant de la plante au médicament",
        name_en="Growing medical cannabis in France - technical specifications of the "
        "production chain from plant to medicine",
        acronym="CST Culture",
        start_date=date(2021, 8, 2),
        end_date=date(2021, 12, 2),
        meeting_cadence="Mensuelle",
        mission_fr=MISSION_CULTURE,
        mission_en="Defines the technical specifications of the medical cannabis production "
        "chain in France, from plant to medicine.",
        published_at=_published(date(2021, 8, 18)),
    )
    record_creation(creation, committee)
    extension, _ = _decision(
        "2021-402",
        "Décision portant prolongation du CST « Culture en France du cannabis à usage médical »",
        DecisionKind.EXTENSION,
        date(2021, 11, 25),
        "Prolonge le comité jusqu'au 31/12/2022. " + FICTIONAL,
    )
    record_extension(extension, committee, date(2022, 12, 31), extend_mandates=False)
    nomination, _ = _decision(
        "2022-30",
        "Nomination auprès du Comité scientifique temporaire « Culture en France du cannabis à "
        "usage médical - spécifications techniques de la chaîne de production allant de la "
        "plante au médicament » à l'ANSM",
        DecisionKind.NOMINATION,
        date(2022, 2, 17),
        "Nomme les membres du comité.",
    )
    _nominate(nomination, committee, CULTURE_MEMBERS, date(2022, 2, 17), date(2022, 12, 31))


def _seed_csp() -> None:
    creation, new = _decision(
        "2022-41",
        "Décision portant création du comité scientifique permanent mixte « Pharmacovigilance "
        "et addictovigilance » et nomination de ses membres",
        DecisionKind.CREATION,
        date(2022, 3, 1),
        "Crée le comité permanent et nomme ses membres. " + FICTIONAL,
    )
    if not new:
        return
    committee, _ = _committee(
        CSP_MIXTE,
        kind=CommitteeKind.PERMANENT,
        name_fr="Comité scientifique permanent mixte « Pharmacovigilance et addictovigilance »",
        name_en="Joint standing scientific committee on pharmacovigilance and addictovigilance",
        acronym="CSP mixte",
        start_date=date(2022, 3, 1),
        meeting_cadence="Trimestrielle",
        mission_fr=MISSION_CSP,
        mission_en="Joint pharmacovigilance and addictovigilance committee reviewing the "
        "adverse-effects report of the experimentation.",
        published_at=_published(date(2022, 3, 2)),
    )
    record_creation(creation, committee)
    _nominate(creation, committee, CSP_MEMBERS, date(2022, 3, 1), None)


def _seed_declarations(today: date) -> None:
    """One declaration per person without any: old ones, recent ones for the standing committee."""
    declared = set(db.session.execute(select(InterestDeclaration.person_id)).scalars())
    current = {_person_email(r[2], r[3]) for r in CSP_MEMBERS[:-1]}
    persons = db.session.execute(select(Person).order_by(Person.id)).scalars().all()
    for person in persons:
        if person.id in declared:
            continue
        recent = person.email in current
        declared_on = today - timedelta(days=40) if recent else date(2022, 1, 15)
        links = [LinkLine(organisation=person.affiliation, kind=LinkKind.EMPLOYMENT)]
        if person.last_name == "Dubois":
            links.append(
                LinkLine(
                    organisation="Laboratoire Phytopharma",
                    kind=LinkKind.CONSULTANCY,
                    details="Conseil scientifique ponctuel",
                    started_on=date(2019, 1, 1),
                    ended_on=date(2020, 12, 31),
                )
            )
        file_declaration(
            person,
            declared_on,
            links,
            public_url=f"https://dpi.sante.gouv.fr/dpi-public-webapp/app/consultation/"
            f"accueil?demo={person.id}",
        )


def _link_demo_member(member_email: str) -> None:
    """The demo member account is Dr Claire Martin's."""
    person = find_person_by_email(_person_email("Claire", "Martin"))
    user = db.session.execute(select(User).where(User.email == member_email)).scalar_one_or_none()
    if person is not None and user is not None and person.user_id is None:
        person.user_id = user.id


def seed_bodies(today: date, member_email: str) -> None:
    """The three committees with their decisions, members and declarations."""
    _seed_suivi()
    _seed_culture()
    _seed_csp()
    db.session.flush()
    _seed_declarations(today)
    _link_demo_member(member_email)
    db.session.flush()
