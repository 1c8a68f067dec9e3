"""Followers (one row per address and scope) and publication events (one row per publication)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.auth.models import User
from committees.bodies.models import Committee
from committees.common.models import TimestampMixin, UTCDateTime
from committees.common.timeutils import utcnow
from committees.extensions import db


class Frequency(StrEnum):
    """How often a follower hears from us."""

    IMMEDIATE = "immediate"  # one e-mail per publication
    WEEKLY = "weekly"  # one digest a week


class EventKind(StrEnum):
    """The publications a follower is told about (the names are the public API of
    ``committees.follows.services.notify_followers``)."""

    AGENDA_PUBLISHED = "agenda_published"
    MINUTES_PUBLISHED = "minutes_published"
    DECISION_PUBLISHED = "decision_published"
    CALL_OPENED = "call_opened"
    CALL_CLOSING = "call_closing"  # closes in 7 days (flask follows closing-soon)
    SYNTHESIS_PUBLISHED = "synthesis_published"  # a call's consultation synthesis


#: the scopes that are not a committee, and the events each receives
SCOPE_EVENTS: dict[str, frozenset[EventKind]] = {
    "decisions": frozenset({EventKind.DECISION_PUBLISHED}),
    "calls": frozenset(
        {EventKind.CALL_OPENED, EventKind.CALL_CLOSING, EventKind.SYNTHESIS_PUBLISHED}
    ),
}


def committee_scope(committee_id: int) -> str:
    """The scope key of a committee: every publication about it."""
    return f"committee:{committee_id}"


class Follower(TimestampMixin, db.Model):
    """One address following one scope (a committee, the decisions or the calls)."""

    __tablename__ = "followers"
    __table_args__ = (
        UniqueConstraint("email", "scope", name="uq_followers_email_scope"),
        CheckConstraint("frequency IN ('immediate', 'weekly')", name="frequency_known"),
        CheckConstraint("locale IN ('fr', 'en')", name="locale_known"),
        Index("ix_followers_scope_confirmed", "scope", "confirmed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the address the e-mails go to (lower case); shown to the admin only
    email: Mapped[str] = mapped_column(
        String(254),
        nullable=False,
    )
    #: "committee:<id>", "decisions" or "calls"
    scope: Mapped[str] = mapped_column(
        String(40),
        nullable=False,
    )
    #: the committee followed, when the scope is a committee (deleted with it)
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("committees.id", ondelete="CASCADE"),
        index=True,
    )
    #: the account that followed in one click, if any (the follow outlives the account)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"),
        index=True,
    )
    #: language of the e-mails
    locale: Mapped[str] = mapped_column(
        String(5),
        default="fr",
        nullable=False,
    )
    #: one of Frequency
    frequency: Mapped[str] = mapped_column(
        String(10),
        default=Frequency.IMMEDIATE.value,
        nullable=False,
    )
    #: when the address was confirmed (double opt-in); None: nothing is sent but the confirmation
    confirmed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: random secret of the one-click unsubscribe link
    unsubscribe_token: Mapped[str] = mapped_column(
        String(64),
        unique=True,
        nullable=False,
    )
    #: the end of the period the last weekly digest covered
    digest_until: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    committee: Mapped[Committee | None] = relationship()
    user: Mapped[User | None] = relationship()


class FollowEvent(db.Model):
    """One publication, recorded by the publishing request and fanned out later in batches."""

    __tablename__ = "follow_events"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('agenda_published', 'minutes_published', 'decision_published', "
            "'call_opened', 'call_closing', 'synthesis_published')",
            name="kind_known",
        ),
        Index("ix_follow_events_pending", "dispatched_at", "id"),
        Index("ix_follow_events_object", "kind", "object_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: one of EventKind
    kind: Mapped[str] = mapped_column(
        String(30),
        nullable=False,
    )
    #: what was published, e.g. "meeting:12", so that a republication is not announced twice
    object_key: Mapped[str] = mapped_column(
        String(60),
        nullable=False,
    )
    #: the committee concerned, if any (its followers are told)
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("committees.id", ondelete="CASCADE"),
        index=True,
    )
    #: title of what was published, in French
    title_fr: Mapped[str] = mapped_column(
        String(400),
        nullable=False,
    )
    #: title in English (falls back to French)
    title_en: Mapped[str | None] = mapped_column(
        String(400),
    )
    #: absolute public address of what was published
    url: Mapped[str] = mapped_column(
        String(500),
        nullable=False,
    )
    #: when it was published
    occurred_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )
    #: the last address already queued: the fan-out goes by address order and resumes after it
    dispatched_through: Mapped[str] = mapped_column(
        String(254),
        default="",
        nullable=False,
    )
    #: when every immediate follower had their e-mail queued; None while pending
    dispatched_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_fr

    def scopes(self) -> list[str]:
        """The scope keys whose followers are told about this event."""
        keys = [scope for scope, kinds in SCOPE_EVENTS.items() if self.kind in kinds]
        if self.committee_id is not None:
            keys.append(committee_scope(self.committee_id))
        return keys
