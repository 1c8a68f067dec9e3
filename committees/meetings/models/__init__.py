"""Meeting, AgendaItem, Hearing, Attendance, Recusal, Vote and Minutes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.common.models import StoredFileMixin, TimestampMixin, UTCDateTime, in_enum
from committees.common.timeutils import utcnow
from committees.extensions import db

if TYPE_CHECKING:
    from committees.auth.models import User
    from committees.bodies.models import Committee, Mandate


class MeetingFormat(StrEnum):
    ON_SITE = "on_site"
    VIDEOCONFERENCE = "videoconference"
    HYBRID = "hybrid"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    CONVENED = "convened"
    HELD = "held"
    MINUTES_ADOPTED = "minutes_adopted"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


class ItemKind(StrEnum):
    INFORMATION = "information"
    DISCUSSION = "discussion"
    OPINION = "opinion"  # calls for a vote
    HEARING = "hearing"


class OrganisationKind(StrEnum):
    PATIENT_ASSOCIATION = "patient_association"
    LEARNED_SOCIETY = "learned_society"
    ECONOMIC_OPERATOR = "economic_operator"
    INSTITUTION = "institution"


class HearingMode(StrEnum):
    ON_SITE = "on_site"
    VIDEOCONFERENCE = "videoconference"


class HearingStatus(StrEnum):
    INVITED = "invited"
    CONFIRMED = "confirmed"
    HEARD = "heard"
    DECLINED = "declined"


class Response(StrEnum):
    """A member's answer to a convocation."""

    ATTENDING = "attending"
    REMOTE = "remote"
    EXCUSED = "excused"


class Presence(StrEnum):
    """What the secretariat records on the day."""

    PRESENT = "present"
    REMOTE = "remote"
    EXCUSED = "excused"
    ABSENT = "absent"


#: Presences that count for the quorum.
COUNTS_AS_PRESENT = frozenset({Presence.PRESENT, Presence.REMOTE})


class RecusalStatus(StrEnum):
    CONFIRMED = "confirmed"  # the member leaves the debate and the vote of the item
    CLEARED = "cleared"  # the flag was examined and dismissed, with a reason


class BallotChoice(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"  # sent to members for comments
    ADOPTED = "adopted"
    PUBLISHED = "published"


class AdoptionMode(StrEnum):
    SESSION = "session"  # at a later session
    IN_WRITING = "in_writing"


def new_uid() -> str:
    """A calendar UID that never changes for the life of the session."""
    return f"{uuid.uuid4()}@committees"


class Meeting(Audited, TimestampMixin, db.Model):
    """A session (séance) of a committee."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(in_enum("format", MeetingFormat), name="format_known"),
        CheckConstraint(in_enum("status", MeetingStatus), name="status_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("sequence >= 0", name="sequence_positive"),
        UniqueConstraint("committee_id", "number", name="uq_meetings_committee_number"),
        Index("ix_meetings_starts_at", "starts_at"),
        # Calendar feeds read a committee's sessions by end (their window): one index seek
        # per committee instead of a scan of its sessions.
        Index("ix_meetings_committee_ends_at", "committee_id", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the committee that meets
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committees.id", ondelete="RESTRICT"),
        nullable=False,
    )
    #: number of the session within its committee (1, 2, ...)
    number: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: title, e.g. « Séance du 4 mai 2022 — auditions des opérateurs »
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: start, stored in UTC, entered and shown in Europe/Paris
    starts_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: end, stored in UTC
    ends_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: one of MeetingFormat
    format: Mapped[str] = mapped_column(
        String(20),
        default=MeetingFormat.ON_SITE.value,
        nullable=False,
    )
    #: room and address, for sessions on site
    place: Mapped[str] = mapped_column(
        String(300),
        default="",
        nullable=False,
    )
    #: videoconference link: members only, never public
    remote_link: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )
    #: public session (agenda and recording public) or closed
    is_public: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        nullable=False,
    )
    #: link to the recording, once published
    recording_link: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )
    #: one of MeetingStatus
    status: Mapped[str] = mapped_column(
        String(20),
        default=MeetingStatus.PLANNED.value,
        nullable=False,
    )
    #: why the session was cancelled or postponed
    status_reason: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )
    #: the session that replaces a postponed one
    postponed_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"),
    )
    #: iCalendar UID, fixed at creation
    uid: Mapped[str] = mapped_column(
        String(120),
        unique=True,
        default=new_uid,
        nullable=False,
    )
    #: iCalendar SEQUENCE: raised by every significant change (time, place, cancellation)
    sequence: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: when the agenda was published; the public sees it only from then on
    agenda_published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: when the convocations were (last) sent
    convened_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    committee: Mapped[Committee] = relationship()
    postponed_to: Mapped[Meeting | None] = relationship(remote_side=[id])
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="AgendaItem.position",
    )
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
    )
    minutes: Mapped[Minutes | None] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        foreign_keys="Minutes.meeting_id",
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)

    @property
    def is_over(self) -> bool:
        """Whether the session has ended (nothing left to add to a calendar)."""
        return self.ends_at <= utcnow()


class AgendaItem(Audited, TimestampMixin, db.Model):
    """One item of a session's agenda (ordre du jour)."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint(in_enum("kind", ItemKind), name="kind_known"),
        CheckConstraint("duration_minutes IS NULL OR duration_minutes > 0", name="duration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the session
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: order in the agenda, from 1; shown as the item's number
    position: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: title
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: one of ItemKind
    kind: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: who presents the item
    rapporteur: Mapped[str] = mapped_column(
        String(200),
        default="",
        nullable=False,
    )
    #: planned duration in minutes
    duration_minutes: Mapped[int | None] = mapped_column(
        Integer,
    )
    #: public item, or closed (left out of the public agenda and feeds)
    is_public: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        nullable=False,
    )
    #: details, Markdown
    description: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    organisations: Mapped[list[ItemOrganisation]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="ItemOrganisation.id",
    )
    documents: Mapped[list[AgendaDocument]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="AgendaDocument.id",
    )
    hearings: Mapped[list[Hearing]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="Hearing.slot_start",
    )
    recusals: Mapped[list[Recusal]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
    )
    vote: Mapped[Vote | None] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
    )


class ItemOrganisation(db.Model):
    """An organisation an agenda item concerns; declared interests are matched against it."""

    __tablename__ = "item_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the agenda item
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: organisation name as written in declarations
    name: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )

    item: Mapped[AgendaItem] = relationship(back_populates="organisations")


class AgendaDocument(Audited, StoredFileMixin, TimestampMixin, db.Model):
    """A working document of an agenda item, public or for members only."""

    __tablename__ = "agenda_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the agenda item
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: title shown in lists
    title: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: members only (True) or public once the agenda is published (False)
    members_only: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        nullable=False,
    )

    item: Mapped[AgendaItem] = relationship(back_populates="documents")


class Hearing(Audited, TimestampMixin, db.Model):
    """An organisation heard by the committee on a hearing item."""

    __tablename__ = "hearings"
    __table_args__ = (
        CheckConstraint(in_enum("organisation_kind", OrganisationKind), name="kind_known"),
        CheckConstraint(in_enum("mode", HearingMode), name="mode_known"),
        CheckConstraint(in_enum("status", HearingStatus), name="status_known"),
        CheckConstraint(
            "slot_end IS NULL OR slot_start IS NULL OR slot_end > slot_start", name="slot"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the hearing item
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: organisation heard
    organisation: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: one of OrganisationKind
    organisation_kind: Mapped[str] = mapped_column(
        String(30),
        nullable=False,
    )
    #: names and functions of its representatives, one per line
    representatives: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: start of its slot (UTC)
    slot_start: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: end of its slot (UTC)
    slot_end: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: one of HearingMode
    mode: Mapped[str] = mapped_column(
        String(20),
        default=HearingMode.ON_SITE.value,
        nullable=False,
    )
    #: one of HearingStatus
    status: Mapped[str] = mapped_column(
        String(20),
        default=HearingStatus.INVITED.value,
        nullable=False,
    )
    #: written summary of what was said
    summary: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )

    item: Mapped[AgendaItem] = relationship(back_populates="hearings")


class Attendance(Audited, TimestampMixin, db.Model):
    """One expected participant of a session: convocation, answer and presence."""

    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("meeting_id", "mandate_id", name="uq_attendances_meeting_mandate"),
        CheckConstraint(f"response IS NULL OR {in_enum('response', Response)}", name="response"),
        CheckConstraint(f"presence IS NULL OR {in_enum('presence', Presence)}", name="presence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the session
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: the mandate under which the person takes part
    mandate_id: Mapped[int] = mapped_column(
        ForeignKey("mandates.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    )
    #: when the convocation was put in the outbox
    convened_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: SHA-256 of the answer link's token (the token itself is only in the e-mail)
    response_token_hash: Mapped[str | None] = mapped_column(
        String(64),
        unique=True,
    )
    #: the person's answer, one of Response
    response: Mapped[str | None] = mapped_column(
        String(20),
    )
    #: when they answered
    responded_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: presence recorded by the secretariat, one of Presence
    presence: Mapped[str | None] = mapped_column(
        String(20),
    )

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    mandate: Mapped[Mandate] = relationship()


class Recusal(Audited, TimestampMixin, db.Model):
    """The secretariat's decision on a conflict flag: confirmed recusal (déport) or cleared."""

    __tablename__ = "recusals"
    __table_args__ = (
        UniqueConstraint("item_id", "mandate_id", name="uq_recusals_item_mandate"),
        CheckConstraint(in_enum("status", RecusalStatus), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the agenda item
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: the member concerned
    mandate_id: Mapped[int] = mapped_column(
        ForeignKey("mandates.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    )
    #: one of RecusalStatus
    status: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: why (the link of interest, or why the flag was dismissed)
    reason: Mapped[str] = mapped_column(
        String(500),
        nullable=False,
    )
    #: who decided
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"),
    )

    item: Mapped[AgendaItem] = relationship(back_populates="recusals")
    mandate: Mapped[Mandate] = relationship()
    decided_by: Mapped[User | None] = relationship()


class Vote(Audited, TimestampMixin, db.Model):
    """The vote and opinion on an item that calls for one."""

    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint(
            "votes_for >= 0 AND votes_against >= 0 AND abstentions >= 0", name="counts"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the agenda item
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        unique=True,
        nullable=False,
    )
    #: secret ballot (granted on request): only the counts are kept
    secret: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        nullable=False,
    )
    #: votes for
    votes_for: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: votes against
    votes_against: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: abstentions
    abstentions: Mapped[int] = mapped_column(
        Integer,
        default=0,
        nullable=False,
    )
    #: text of the opinion (avis)
    opinion: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: whether the opinion was adopted
    adopted: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        nullable=False,
    )

    item: Mapped[AgendaItem] = relationship(back_populates="vote")
    ballots: Mapped[list[Ballot]] = relationship(
        back_populates="vote",
        cascade="all, delete-orphan",
    )


class Ballot(db.Model):
    """One member's vote, for votes by show of hands recorded by name."""

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("vote_id", "mandate_id", name="uq_ballots_vote_mandate"),
        CheckConstraint(in_enum("choice", BallotChoice), name="choice_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the vote
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: who voted
    mandate_id: Mapped[int] = mapped_column(
        ForeignKey("mandates.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    )
    #: one of BallotChoice
    choice: Mapped[str] = mapped_column(
        String(10),
        nullable=False,
    )

    vote: Mapped[Vote] = relationship(back_populates="ballots")
    mandate: Mapped[Mandate] = relationship()


class Minutes(Audited, TimestampMixin, db.Model):
    """The minutes (compte rendu) of a session and where they stand."""

    __tablename__ = "minutes"
    __table_args__ = (
        CheckConstraint(in_enum("status", MinutesStatus), name="status_known"),
        CheckConstraint(
            f"adoption_mode IS NULL OR {in_enum('adoption_mode', AdoptionMode)}", name="adoption"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the session reported
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"),
        unique=True,
        nullable=False,
    )
    #: one of MinutesStatus
    status: Mapped[str] = mapped_column(
        String(20),
        default=MinutesStatus.DRAFT.value,
        nullable=False,
    )
    #: when the draft was sent to the members for comments
    sent_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: until when the members may comment on the draft in the application
    comments_until: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: day of adoption
    adopted_on: Mapped[date | None] = mapped_column(
        Date,
    )
    #: at a later session or in writing
    adoption_mode: Mapped[str | None] = mapped_column(
        String(20),
    )
    #: the session that adopted them, when adopted in session
    adopted_at_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"),
    )
    #: when they were published
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    meeting: Mapped[Meeting] = relationship(back_populates="minutes", foreign_keys=[meeting_id])
    adopted_at_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[adopted_at_meeting_id])
    revisions: Mapped[list[MinutesRevision]] = relationship(
        back_populates="minutes",
        cascade="all, delete-orphan",
        order_by="MinutesRevision.number",
    )
    comments: Mapped[list[MinutesComment]] = relationship(
        back_populates="minutes",
        cascade="all, delete-orphan",
        order_by="MinutesComment.id",
    )


class MinutesRevision(db.Model):
    """One saved version of the minutes' text; never changed once written."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (UniqueConstraint("minutes_id", "number", name="uq_minutes_revisions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the minutes
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: 1, 2, ...; a save names the number it started from (optimistic locking)
    number: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: the text, Markdown
    body: Mapped[str] = mapped_column(
        Text,
        nullable=False,
    )
    #: who wrote this version
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"),
    )
    #: what changed, in the author's words
    note: Mapped[str] = mapped_column(
        String(300),
        default="",
        nullable=False,
    )
    #: when it was saved
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )

    minutes: Mapped[Minutes] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class MinutesComment(db.Model):
    """A participant's comment on one section (agenda item) of the draft minutes, and how
    the secretariat processed it. Never public: the adopted minutes only count them."""

    __tablename__ = "minutes_comments"
    __table_args__ = (
        CheckConstraint("revision_number >= 1", name="revision_positive"),
        CheckConstraint(
            "taken_in_revision IS NULL OR taken_in_revision > revision_number",
            name="taken_in_later_revision",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the minutes commented on
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: the section (agenda item) commented on
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: the mandate under which the participant comments
    mandate_id: Mapped[int] = mapped_column(
        ForeignKey("mandates.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    )
    #: the account that wrote it
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"),
    )
    #: the draft's version the comment was written on
    revision_number: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )
    #: the comment
    body: Mapped[str] = mapped_column(
        Text,
        nullable=False,
    )
    #: when it was written
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
    )
    #: the secretariat's answer, if any
    answer: Mapped[str | None] = mapped_column(
        Text,
    )
    #: the revision of the minutes that takes the comment into account, if one does
    taken_in_revision: Mapped[int | None] = mapped_column(
        Integer,
    )
    #: when the secretariat answered or marked it; None while it waits
    processed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    minutes: Mapped[Minutes] = relationship(back_populates="comments")
    item: Mapped[AgendaItem] = relationship()
    mandate: Mapped[Mandate] = relationship()
    author: Mapped[User | None] = relationship()
