"""The models of the sessions, one module per part: the session (``meetings``), its agenda
(``agenda``), its conduct (``conduct``) and its minutes (``minutes``).

Every model and enum is importable from here, the package's public face. The parts build
on each other in that order: a later part imports an earlier one, never the reverse.
"""

from __future__ import annotations

from committees.meetings.models.agenda import (
    AgendaDocument,
    AgendaItem,
    Hearing,
    HearingMode,
    HearingStatus,
    ItemKind,
    ItemOrganisation,
    OrganisationKind,
)
from committees.meetings.models.conduct import (
    COUNTS_AS_PRESENT,
    Attendance,
    Ballot,
    BallotChoice,
    Presence,
    Recusal,
    RecusalStatus,
    Response,
    Vote,
)
from committees.meetings.models.follow_up import AssigneeKind, FeeKind, FeeRate, FollowUpAction
from committees.meetings.models.meetings import Meeting, MeetingFormat, MeetingStatus, new_uid
from committees.meetings.models.minutes import (
    AdoptionMode,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesSection,
    MinutesStatus,
    SectionKind,
)
from committees.meetings.models.pack import (
    AgendaDocumentVersion,
    PackBuild,
    PackDelivery,
    PackStatus,
)

__all__ = [
    "COUNTS_AS_PRESENT",
    "AdoptionMode",
    "AgendaDocument",
    "AgendaDocumentVersion",
    "AgendaItem",
    "AssigneeKind",
    "Attendance",
    "Ballot",
    "BallotChoice",
    "FeeKind",
    "FeeRate",
    "FollowUpAction",
    "Hearing",
    "HearingMode",
    "HearingStatus",
    "ItemKind",
    "ItemOrganisation",
    "Meeting",
    "MeetingFormat",
    "MeetingStatus",
    "Minutes",
    "MinutesComment",
    "MinutesRevision",
    "MinutesSection",
    "MinutesStatus",
    "OrganisationKind",
    "PackBuild",
    "PackDelivery",
    "PackStatus",
    "Presence",
    "Recusal",
    "RecusalStatus",
    "Response",
    "SectionKind",
    "Vote",
    "new_uid",
]
