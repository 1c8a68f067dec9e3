"""What the database keeps for calendars: personal feed addresses, change stamps, and the
VEVENTs already written.

CalendarSubscription is a member's personal feed address; CalendarStamp, a committee's
calendar change counter that the feeds' validators read; CalendarEventPiece, one
session's VEVENT bytes as a feed writes them, shared by every worker (derived data).

The address carries a token that the database never holds: the token is an HMAC of
the member's id and a random nonce under SECRET_KEY, and only its SHA-256 is stored to
find the member again. A copy of the database therefore gives neither the token nor
the means to compute it; regenerating draws a new nonce, which kills the old address.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.common.models import RevisionRow, TimestampMixin, UTCDateTime
from committees.common.timeutils import utcnow
from committees.extensions import db

if TYPE_CHECKING:
    from committees.auth.models import User


class CalendarSubscription(TimestampMixin, db.Model):
    """The personal calendar address of one account."""

    __tablename__ = "calendar_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the account whose sessions the feed lists
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"),
        unique=True,
        nullable=False,
    )
    #: SHA-256 (hex) of the token in the address: the lookup key, useless without the token
    token_hash: Mapped[str] = mapped_column(
        String(64),
        unique=True,
        nullable=False,
    )
    #: random value the token is derived from; a new one is drawn on regeneration
    nonce: Mapped[str] = mapped_column(
        String(64),
        nullable=False,
    )

    user: Mapped[User] = relationship()


class CalendarStamp(db.Model):
    """A committee's calendar change stamp: bumped whenever a row its feeds show changes.

    Feeds read their validators from here (one indexed row per committee) instead of
    scanning every session and agenda item: ``counter`` rises by one on every flush that
    inserts, updates or deletes the committee, one of its sessions or one of their agenda
    items (committees.calendars.stamps). No foreign key: the stamp of a deleted committee
    must never get in the way of the deletion, and the listener writes it last.
    """

    __tablename__ = "calendar_stamps"

    #: the committee whose feeds this stamp validates
    committee_id: Mapped[int] = mapped_column(
        Integer,
        primary_key=True,
        autoincrement=False,
    )
    #: when the last change was flushed (becomes the feeds' Last-Modified)
    changed_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        default=utcnow,
        nullable=False,
    )
    #: how many changes were flushed: part of the ETag, immune to clock resolution
    counter: Mapped[int] = mapped_column(
        Integer,
        default=1,
        nullable=False,
    )


class CalendarRevision(RevisionRow, db.Model):
    """One row: how many times anything that any feed's validators read has changed.

    Bumped in the same transaction as the change (committees.calendars.stamps): a
    committee, session or agenda item, and what decides a personal feed (an account's
    role or status, a person's account, a mandate, a calendar address). Feeds remember
    their validators per process under the revision they were read at, and read this
    row (one primary-key lookup) to know whether what they remember still holds: exact
    at every instant, without a clock. ``changed_at`` tells a row created again (a
    wiped database starting its counter afresh) from the one remembered.
    """

    __tablename__ = "calendar_revision"


class CalendarEventPiece(db.Model):
    """One session's VEVENT, serialized, in one variant (language, public or members'
    view), under the digest of everything it was written from (committees.calendars.pieces).

    Shared by every worker and kept across restarts, so that a feed assembled by a new
    worker, or after a change, reads its VEVENTs in one query instead of building them.
    Derived data: a members' piece may hold what only members see (remote link, closed
    items), so the table is never exported (``info["derived"]``: left out of backups, and
    emptied by a restore; no personal-data section reads it); deleting a session deletes
    its pieces.
    """

    __tablename__ = "calendar_event_pieces"
    __table_args__: ClassVar[dict] = {"info": {"derived": True}}

    #: the session written
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"),
        primary_key=True,
    )
    #: language and view, such as ``fr:public`` or ``en:members``
    variant: Mapped[str] = mapped_column(
        String(16),
        primary_key=True,
    )
    #: SHA-256 (hex) of what the bytes were written from: a piece whose digest differs
    #: from the one computed now is stale, and is replaced
    key: Mapped[str] = mapped_column(
        String(64),
        nullable=False,
    )
    #: the VEVENT, BEGIN to END, as icalendar serializes it
    body: Mapped[bytes] = mapped_column(
        LargeBinary,
        nullable=False,
    )
