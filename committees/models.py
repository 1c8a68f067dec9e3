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
from committees.calendars.models import CalendarSubscription
from committees.calls.models import (
    Call,
    CallSynthesis,
    Contribution,
    ContributionAttachment,
    ContributionVersion,
    SynthesisExcerpt,
)
from committees.decisions.models import Decision, DecisionEffect
from committees.follows.models import Follower, FollowEvent
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
    MinutesComment,
    MinutesRevision,
    Recusal,
    Vote,
)
from committees.reports.models import ActivityReport
from committees.search.models import SearchDocument

__all__ = [
    "ActivityReport",
    "AgendaDocument",
    "AgendaItem",
    "Attendance",
    "AuditEntry",
    "Ballot",
    "CalendarSubscription",
    "Call",
    "CallSynthesis",
    "Committee",
    "Contribution",
    "ContributionAttachment",
    "ContributionVersion",
    "Decision",
    "DecisionEffect",
    "FollowEvent",
    "Follower",
    "Hearing",
    "InterestDeclaration",
    "InterestLink",
    "ItemOrganisation",
    "Mandate",
    "Meeting",
    "Minutes",
    "MinutesComment",
    "MinutesRevision",
    "OutboxAttachment",
    "OutboxMessage",
    "Person",
    "Recusal",
    "SearchDocument",
    "SynthesisExcerpt",
    "User",
    "Vote",
]


def digest_in_use(sha256: str) -> bool:
    """Whether a committed row names this stored file (own connection: the caller's
    transaction may be the one that failed)."""
    from sqlalchemy import exists, or_, select

    from committees.extensions import db

    checks = [
        exists().where(AgendaDocument.sha256 == sha256),
        exists().where(ContributionAttachment.sha256 == sha256),
        exists().where(Decision.pdf_sha256 == sha256),
        exists().where(Call.template_sha256 == sha256),
    ]
    with db.engine.connect() as connection:
        return bool(connection.execute(select(or_(*checks))).scalar())


def digests_in_use() -> set[str]:
    """Every stored file that a row names (one query)."""
    from sqlalchemy import select, union

    from committees.extensions import db

    columns = (
        AgendaDocument.sha256,
        ContributionAttachment.sha256,
        Decision.pdf_sha256,
        Call.template_sha256,
    )
    query = union(*(select(column).where(column.is_not(None)) for column in columns))
    return set(db.session.execute(query).scalars())


def _register_file_references() -> None:
    from committees.common.filestore import register_reference

    register_reference(digest_in_use)


_register_file_references()
