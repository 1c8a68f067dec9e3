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
from committees.decisions.models import Decision, DecisionEffect
from committees.mail.models import OutboxAttachment, OutboxMessage

__all__ = [
    "AuditEntry",
    "Committee",
    "Decision",
    "DecisionEffect",
    "InterestDeclaration",
    "InterestLink",
    "Mandate",
    "OutboxAttachment",
    "OutboxMessage",
    "Person",
    "User",
]
