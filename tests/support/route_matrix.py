"""The situation the route × role matrix is asked in: the demo, and two more people.

Roles: anonymous, contributor A (the demo contributor, who wrote contributions) and B (who
did not), member X (the demo member, of the CST Suivi) and Y (a member of no committee),
secretariat, admin. Path values: one coherent set of demo objects (an item of the session,
a document of that session, an attachment of that contribution...).
"""

from __future__ import annotations

from sqlalchemy import select

from committees.auth.models import Role, User
from committees.auth.services import create_user
from committees.bodies.models import Mandate, Person
from committees.calls.models import Contribution, ContributionAttachment
from committees.common.timeutils import paris_today
from committees.decisions.models import Decision
from committees.demo import DEMO_ACCOUNTS, seed_all
from committees.extensions import db
from committees.mail.models import OutboxMessage
from committees.meetings.models import AgendaDocument, AgendaItem, Hearing, Minutes
from committees.procedures.models import WrittenProcedure
from tests.support.helpers import DEFAULT_PASSWORD, login

ROLES = (
    "anonymous",
    "contributor_a",
    "contributor_b",
    "member_x",
    "member_y",
    "secretariat",
    "admin",
)


def clients_by_role(app) -> dict:
    """Seed the demo, add contributor B and member Y, sign each role in on its own client."""
    seed_all(today=paris_today())
    create_user("contrib-b@example.org", "Contributrice B", DEFAULT_PASSWORD, Role.CONTRIBUTOR)
    create_user("membre-y@example.org", "Membre Y", DEFAULT_PASSWORD, Role.MEMBER)
    db.session.commit()
    accounts = {Role(role).value: (email, password) for email, _n, role, password in DEMO_ACCOUNTS}
    logins = {
        "contributor_a": accounts["contributor"],
        "contributor_b": ("contrib-b@example.org", DEFAULT_PASSWORD),
        "member_x": accounts["member"],
        "member_y": ("membre-y@example.org", DEFAULT_PASSWORD),
        "secretariat": accounts["secretariat"],
        "admin": accounts["admin"],
    }
    clients = {"anonymous": app.test_client()}
    for role, (email, password) in logins.items():
        client = app.test_client()
        assert login(client, email, password).status_code == 302, role
        clients[role] = client
    return clients


def _first(statement):
    return db.session.scalars(statement.limit(1)).first()


def _follow_up_values() -> dict:
    """A follow-up action, the demo member's first counted attendance and its certificate's
    verification code."""
    from committees.meetings.certificates.services import certificate_of, user_certificates
    from committees.meetings.models import FollowUpAction

    member = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[2][0]))
    certificate = user_certificates(member)[0]
    return {
        "action_id": _first(select(FollowUpAction.id).order_by(FollowUpAction.id)),
        "attendance_id": certificate.attendance.id,
        "code": certificate_of(certificate.attendance).code,
    }


def path_values() -> dict[str, str]:
    """One coherent demo object for each path argument of the URL map."""
    minutes = _first(select(Minutes).order_by(Minutes.id))
    meeting = minutes.meeting
    item = _first(
        select(AgendaItem)
        .join(Hearing)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position)
    ) or _first(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
    hearing = item.hearings[0] if item.hearings else None
    document = _first(select(AgendaDocument).order_by(AgendaDocument.id))
    attachment = _first(select(ContributionAttachment).order_by(ContributionAttachment.id))
    contribution = attachment.contribution if attachment else _first(select(Contribution))
    decision = _first(select(Decision).order_by(Decision.id))
    message = _first(select(OutboxMessage))
    values = {
        "meeting_id": meeting.id,
        "item_id": item.id,
        "hearing_id": hearing.id if hearing else 1,
        "document_id": document.id if document else 1,
        "committee_id": meeting.committee_id,
        "slug": meeting.committee.slug,
        "call_id": contribution.call_id,
        "contribution_id": contribution.id,
        "attachment_id": attachment.id if attachment else 1,
        "decision_id": decision.id,
        "number": decision.number,
        "person_id": _first(select(Person.id).order_by(Person.id)),
        "mandate_id": _first(select(Mandate.id).order_by(Mandate.id)),
        "user_id": _first(select(User.id).order_by(User.id)),
        "message_id": message.id if message else 1,
        "comment_id": 1,
        "version": 1,  # a former version of an agenda document
        "token": "not-a-token",
        # the CST Suivi's written procedure of 2022, published (member X was consulted)
        "procedure_id": _first(select(WrittenProcedure.id).order_by(WrittenProcedure.id)),
        # the demo publishes every committee's 2022 activity report
        "year": 2022,
        # follow-up actions and attendance certificates (the demo member's first session)
        **_follow_up_values(),
    }
    return {name: str(value) for name, value in values.items()}
