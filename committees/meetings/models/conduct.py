"""Conducting a session: attendance (convocation, answer, presence), recusals on
conflicts of interest, votes and their ballots."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.common.models import TimestampMixin, UTCDateTime, in_enum
from committees.extensions import db
from committees.meetings.models.agenda import AgendaItem
from committees.meetings.models.meetings import Meeting

if TYPE_CHECKING:
    from committees.auth.models import User
    from committees.bodies.models import Mandate
    from committees.mail.models import OutboxMessage


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
    #: the last convocation e-mail queued (its delivery status and error are shown)
    convocation_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"),
        index=True,
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
    convocation_message: Mapped[OutboxMessage | None] = relationship()


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
