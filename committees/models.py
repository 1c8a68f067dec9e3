"""Every model module, imported once so that the metadata (and Alembic) knows all tables."""

from committees.audit.models import AuditEntry
from committees.auth.models import User
from committees.bodies.models import (
    Committee,
    InterestDeclaration,
    InterestLink,
    Mandate,
    Person,
)
from committees.calls.models import Call, Contribution, ContributionAttachment, ContributionVersion
from committees.decisions.models import Decision, DecisionEffect
from committees.mail.models import OutboxAttachment, OutboxMessage
from committees.meetings.models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Ballot,
    Hearing,
    ItemOrganisation,
    Meeting,
    Minutes,
    MinutesRevision,
    Recusal,
    Vote,
)

__all__ = [
    "AgendaDocument",
    "AgendaItem",
    "Attendance",
    "AuditEntry",
    "Ballot",
    "Call",
    "Committee",
    "Contribution",
    "ContributionAttachment",
    "ContributionVersion",
    "Decision",
    "DecisionEffect",
    "Hearing",
    "InterestDeclaration",
    "InterestLink",
    "ItemOrganisation",
    "Mandate",
    "Meeting",
    "Minutes",
    "MinutesRevision",
    "OutboxAttachment",
    "OutboxMessage",
    "Person",
    "Recusal",
    "User",
    "Vote",
]
