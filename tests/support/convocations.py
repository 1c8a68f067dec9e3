"""A committee and a convenable session with who is expected (``build_session``), for the
convocation, conduct and browser tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from committees.auth.models import Role
from committees.bodies.models import Committee, CommitteeKind, Mandate, MandateRole
from committees.bodies.persons.declarations import file_declaration
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate, create_committee
from committees.common.timeutils import PARIS, paris_today, utcnow
from committees.meetings.models import (
    AgendaItem,
    ItemKind,
    ItemOrganisation,
    Meeting,
    MeetingFormat,
)
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import create_meeting
from tests.support.helpers import DEFAULT_PASSWORD, login

REMOTE_LINK = "https://visio.example/seance-cst"


@dataclass
class Situation:
    """A committee and one of its sessions, with who is expected."""

    committee: Committee
    meeting: Meeting
    members: list[Mandate]  # voting members with an e-mail, in name order
    expert: Mandate
    without_email: Mandate
    items: list[AgendaItem] = field(default_factory=list)

    @property
    def emails(self) -> set[str]:
        return {m.person.email for m in [*self.members, self.expert]}


def build_session(
    db,
    *,
    members: int = 4,
    starts_in: timedelta = timedelta(days=10),
    slug: str = "cst-suivi",
    email_domain: str = "example.org",
    started: bool = False,
) -> Situation:
    """A committee with ``members`` voting members, an expert, a member without e-mail and
    a hybrid session at 14:00 Paris time with three items (one closed, one about
    « Phytopharma » that calls for an opinion). Every declaration is current."""
    committee = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr=f"Comité {slug}",
        slug=slug,
        start_date=date(2021, 1, 1),
        end_date=date(2035, 12, 31),
    )
    today = paris_today()

    def appoint(first: str, last: str, role: MandateRole, email: str | None) -> Mandate:
        person = create_person(first_name=first, last_name=last, email=email)
        file_declaration(person, today, [])
        return add_mandate(committee, MandateLine(person, role, date(2021, 1, 1)))

    names = ["Anne Aubry", "Bruno Bernard", "Claire Colin", "David Durand", "Emma Etienne"]
    names += [f"Membre{n} Numéro{n}" for n in range(len(names), members)]
    mandates = []
    for full in names[:members]:
        first, last = full.split()
        mandates.append(
            appoint(first, last, MandateRole.MEMBER, f"{first.lower()}.{slug}@{email_domain}")
        )
    expert = appoint(
        "Xavier", "Zexpert", MandateRole.INVITED_EXPERT, f"expert.{slug}@{email_domain}"
    )
    silent = appoint("Yves", "Ysansmail", MandateRole.MEMBER, None)

    day = (utcnow() + starts_in).astimezone(PARIS).date()
    meeting = create_meeting(
        committee,
        title=f"Séance du {day:%d/%m/%Y}",
        starts_at=paris_to_utc(day, time(14, 0)),
        ends_at=paris_to_utc(day, time(17, 0)),
        format=MeetingFormat.HYBRID.value,
        place="ANSM, salle 1, Saint-Denis",
        remote_link=REMOTE_LINK,
    )
    items = [
        AgendaItem(
            meeting=meeting,
            position=1,
            title="Point d'étape de l'expérimentation",
            kind=ItemKind.INFORMATION.value,
            is_public=True,
        ),
        AgendaItem(
            meeting=meeting,
            position=2,
            title="Avis sur le rapport de Phytopharma",
            kind=ItemKind.OPINION.value,
            is_public=True,
            rapporteur="Dr Colin",
        ),
        AgendaItem(
            meeting=meeting,
            position=3,
            title="Situation individuelle confidentielle",
            kind=ItemKind.DISCUSSION.value,
            is_public=False,
        ),
    ]
    items[1].organisations.append(ItemOrganisation(name="Phytopharma"))
    db.session.add_all(items)
    if started:
        start_now(meeting)
    db.session.commit()
    return Situation(committee, meeting, mandates, expert, silent, items)


def start_now(meeting) -> None:
    """Move the session so that it began a minute ago (attendance and votes need that:
    ``meetings.rules.has_started``), written straight to the row; the caller commits."""
    now = utcnow()
    meeting.starts_at, meeting.ends_at = now - timedelta(minutes=1), now + timedelta(hours=3)


def sign_in_secretariat(client, make_user):
    """A new secretariat account, signed in on ``client``."""
    user = make_user(Role.SECRETARIAT)
    login(client, user.email, DEFAULT_PASSWORD)
    return user
