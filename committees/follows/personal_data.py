"""What following holds about a person (registered from the domain's ``init_app``): the
follows made from their account or sent to one of their addresses. Erasure deletes them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select

from committees.common import personal_data
from committees.common.personal_data import DataSubject, Erasure, Found, row_of
from committees.extensions import db
from committees.follows.models import Follower


def followers_of(subject: DataSubject):
    """SQL condition: the follows made by the account or sent to one of their addresses."""
    conditions = [Follower.email.in_(subject.emails)]
    if subject.user is not None:
        conditions.append(Follower.user_id == subject.user.id)
    return or_(*conditions)


def _follows(subject: DataSubject, _found: Found) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Follower).where(followers_of(subject)).order_by(Follower.id))
    return [
        row_of(f, "email", "scope", "frequency", "locale", "confirmed_at", "created_at")
        for f in rows
    ]


def _erase_follows(subject: DataSubject, erasure: Erasure) -> None:
    erasure.counts["follows"] += db.session.execute(
        delete(Follower).where(followers_of(subject))
    ).rowcount


def register() -> None:
    """Declare the follows to the privacy operations."""
    personal_data.register_section("follows", _follows)
    personal_data.register_eraser("follows", _erase_follows)
