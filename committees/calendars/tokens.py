"""The token of a member's personal feed address: derive it, create it, regenerate it.

token = base64url(HMAC-SHA256(SECRET_KEY, "calendar:<user id>:<nonce>")), 256 bits that
say nothing about the person. The database keeps the nonce and SHA-256(token) only.
Functions add and flush; the caller commits. Resolving a token (with the feed's
validators, in one query) is committees.calendars.feeds.personal_feed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from committees.auth.models import User
from committees.calendars.models import CalendarSubscription
from committees.common.timeutils import utcnow
from committees.extensions import db

#: a token is 43 characters; anything much longer is not worth hashing
MAX_TOKEN_LENGTH = 64


def _derive(user_id: int, nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    mac = hmac.new(key, f"calendar:{user_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a token is looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


def _subscription(user: User) -> CalendarSubscription | None:
    return db.session.execute(
        select(CalendarSubscription).where(CalendarSubscription.user_id == user.id)
    ).scalar_one_or_none()


def _current_token(subscription: CalendarSubscription) -> str:
    token = _derive(subscription.user_id, subscription.nonce)
    digest = token_hash(token)
    # Differs for a new row, or after SECRET_KEY changed (old addresses are then dead anyway).
    if subscription.token_hash != digest:
        subscription.token_hash = digest
        subscription.updated_at = utcnow()
    return token


def existing_token(user: User) -> str | None:
    """The token of ``user``'s personal feed if they have one, without creating it (pages
    served by GET write nothing). None also after a change of SECRET_KEY."""
    subscription = _subscription(user)
    if subscription is None:
        return None
    token = _derive(subscription.user_id, subscription.nonce)
    return token if token_hash(token) == subscription.token_hash else None


def personal_token(user: User) -> str:
    """The token of ``user``'s personal feed, creating the subscription on first use."""
    subscription = _subscription(user)
    if subscription is None:
        subscription = CalendarSubscription(user_id=user.id, nonce=secrets.token_hex(32))
        subscription.token_hash = token_hash(_derive(user.id, subscription.nonce))
        try:
            with db.session.begin_nested():
                db.session.add(subscription)
        except IntegrityError:
            # Another request created it at the same moment: use theirs.
            subscription = _subscription(user)
            assert subscription is not None
    token = _current_token(subscription)
    db.session.flush()
    return token


def regenerate(user: User) -> str:
    """Give ``user`` a new personal token; the previous address answers 404 from now on."""
    subscription = _subscription(user)
    if subscription is None:
        return personal_token(user)
    subscription.nonce = secrets.token_hex(32)
    token = _current_token(subscription)
    # The flush moves the calendar revision: no process answers the old address once
    # this commits.
    db.session.flush()
    return token
