"""CalendarSubscription: what the database keeps of a member's personal feed address.

The address carries a token that the database never holds: the token is an HMAC of
the member's id and a random nonce under SECRET_KEY, and only its SHA-256 is stored to
find the member again. A copy of the database therefore gives neither the token nor
the means to compute it; regenerating draws a new nonce, which kills the old address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.common.models import TimestampMixin
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
