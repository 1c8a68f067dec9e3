"""Between sessions: follow-up actions decided at a session (suites à donner) and the
rates the agency pays its experts per session attended (indemnités)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Numeric,
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
    from committees.bodies.models import Committee, Mandate


class AssigneeKind(StrEnum):
    """Who carries an action out."""

    MEMBER = "member"  # a member of the committee (assignee_mandate_id)
    SECRETARIAT = "secretariat"  # the committee's secretariat
    SERVICE = "service"  # an agency service, named in assignee_text


class FeeKind(StrEnum):
    """The kinds of session attendance the agency pays for, each at its committee's rate."""

    IN_PERSON = "in_person"
    REMOTE = "remote"
    HALF_DAY = "half_day"


class FollowUpAction(Audited, TimestampMixin, db.Model):
    """An action decided at a session: what, who, by when; open until closed with a note."""

    __tablename__ = "follow_up_actions"
    __table_args__ = (
        CheckConstraint(in_enum("assignee_kind", AssigneeKind), name="assignee_kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the session whose minutes decided it
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: the agenda item it follows (optional)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"),
        index=True,
    )
    #: what is to be done
    description: Mapped[str] = mapped_column(
        String(1000),
        nullable=False,
    )
    #: one of AssigneeKind
    assignee_kind: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: the member, when a member carries it out
    assignee_mandate_id: Mapped[int | None] = mapped_column(
        ForeignKey("mandates.id", ondelete="SET NULL"),
        index=True,
    )
    #: the agency service, when a service carries it out
    assignee_text: Mapped[str] = mapped_column(
        String(200),
        default="",
        nullable=False,
    )
    #: by when
    due_on: Mapped[date | None] = mapped_column(
        Date,
    )
    #: shown on the committee's public page (« Suivi des avis »)
    is_public: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        nullable=False,
    )
    #: when it was closed; None while open
    closed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: how it was closed
    closing_note: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )

    meeting: Mapped[Meeting] = relationship()
    item: Mapped[AgendaItem | None] = relationship()
    assignee_mandate: Mapped[Mandate | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class FeeRate(Audited, TimestampMixin, db.Model):
    """The amount paid to an expert for one session of a kind, in a committee (euros)."""

    __tablename__ = "fee_rates"
    __table_args__ = (
        UniqueConstraint("committee_id", "kind", name="uq_fee_rates_committee_kind"),
        CheckConstraint(in_enum("kind", FeeKind), name="kind_known"),
        CheckConstraint("amount >= 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the committee
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committees.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: one of FeeKind
    kind: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: euros, two decimals
    amount: Mapped[Decimal] = mapped_column(
        Numeric(10, 2),
        nullable=False,
    )

    committee: Mapped[Committee] = relationship()
