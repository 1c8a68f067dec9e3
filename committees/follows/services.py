"""Following: subscribe (double opt-in or one click), confirm, unsubscribe, record events.

A publishing request only calls ``notify_followers``, which adds one ``FollowEvent`` row to
its transaction; the e-mails are queued later, in batches, by ``dispatch.dispatch_pending``
(``flask follows dispatch`` or the ``flask send-mail`` loop), so 10,000 followers never
slow the publication down.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Committee
from committees.common.timeutils import utcnow
from committees.common.urls import public_url
from committees.extensions import db
from committees.follows.models import (
    SCOPE_EVENTS,
    EventKind,
    Follower,
    FollowEvent,
    Frequency,
    committee_scope,
)
from committees.mail.services import queue_email

CONFIRM_SALT = "follow-confirm"
#: rows per page of the admin's list
ADMIN_PAGE_SIZE = 100


@dataclass(frozen=True)
class Scope:
    """What is followed: a committee, the decisions or the calls."""

    key: str
    committee: Committee | None = None

    def label(self, locale: str) -> str:
        if self.committee is not None:
            return self.committee.name(locale)
        return str(_l("les décisions") if self.key == "decisions" else _l("les appels"))


def resolve_scope(key: str | None) -> Scope | None:
    """The scope named by ``key`` ("committee:<id>" of a published committee, "decisions",
    "calls"), or None when it names nothing followable."""
    if key in SCOPE_EVENTS:
        return Scope(key)
    prefix, _sep, ident = (key or "").partition(":")
    if prefix != "committee" or not ident.isdigit() or len(ident) > 12:
        return None
    committee = db.session.get(Committee, int(ident))
    if committee is None or committee.published_at is None:
        return None
    return Scope(committee_scope(committee.id), committee)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _find(email: str, scope: Scope) -> Follower | None:
    return db.session.execute(
        select(Follower).where(Follower.email == email, Follower.scope == scope.key)
    ).scalar_one_or_none()


def _new_follower(email: str, scope: Scope, locale: str, frequency: Frequency) -> Follower:
    follower = Follower(
        email=email,
        scope=scope.key,
        committee_id=scope.committee.id if scope.committee else None,
        locale=locale if locale in ("fr", "en") else "fr",
        frequency=frequency.value,
        unsubscribe_token=secrets.token_urlsafe(32),
    )
    db.session.add(follower)
    return follower


def request_follow(email: str, scope: Scope, locale: str, frequency: Frequency) -> Follower:
    """An anonymous visitor asks to follow: queue a confirmation e-mail (not committed).

    The answer is the same whether or not the address already follows, so the form tells
    nobody who follows what; a confirmed follower only gets their frequency updated by
    confirming again.
    """
    email = normalise_email(email)
    follower = _find(email, scope) or _new_follower(email, scope, locale, frequency)
    db.session.flush()
    token = _serializer().dumps({"fid": follower.id, "email": email, "freq": frequency.value})
    queue_email(
        email,
        lambda: _l("Confirmez votre abonnement : %(what)s", what=scope.label(follower.locale)),
        "follows/confirm",
        locale=follower.locale,
        kind="follow_confirm",
        what=scope.label(follower.locale),
        secrets={"confirm_url": public_url("follows.confirm", token=token)},
    )
    return follower


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=CONFIRM_SALT)


def follow_to_confirm(token: str) -> Follower | None:
    """The follow a confirmation link names, unchanged; None if the link is forged, expired
    or its follow was cancelled meanwhile."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("fid"), int):
        return None
    follower = db.session.get(Follower, data["fid"])
    if follower is None or follower.email != data.get("email"):
        return None
    return follower


def confirm_follow(token: str) -> Follower | None:
    """Confirm the address a confirmation link was sent to (not committed); None if the link
    is forged, expired or its follow was cancelled meanwhile."""
    follower = follow_to_confirm(token)
    if follower is None:
        return None
    data = _serializer().loads(token)
    if data.get("freq") in {f.value for f in Frequency}:
        follower.frequency = data["freq"]
    if follower.confirmed_at is None:
        follower.confirmed_at = utcnow()
        follower.digest_until = follower.confirmed_at
    db.session.flush()
    return follower


def follow_as_user(user, scope: Scope, locale: str, frequency: Frequency) -> Follower:
    """A signed-in person follows in one click: their address is already confirmed."""
    follower = _find(normalise_email(user.email), scope) or _new_follower(
        normalise_email(user.email), scope, user.locale or locale, frequency
    )
    follower.user_id = user.id
    follower.frequency = frequency.value
    if follower.confirmed_at is None:
        follower.confirmed_at = utcnow()
        follower.digest_until = follower.confirmed_at
    db.session.flush()
    return follower


def user_follow(user, scope: Scope) -> Follower | None:
    """The confirmed follow of a signed-in person on ``scope``, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    follower = _find(normalise_email(user.email), scope)
    return follower if follower and follower.confirmed_at else None


def follower_by_token(token: str) -> Follower | None:
    """The follower an unsubscribe link belongs to, or None."""
    if not token or len(token) > 64:
        return None
    return db.session.execute(
        select(Follower).where(Follower.unsubscribe_token == token)
    ).scalar_one_or_none()


def unsubscribe(follower: Follower) -> None:
    """Stop following: the row (and so the address) is deleted (not committed)."""
    db.session.delete(follower)
    db.session.flush()


def notify_followers(
    event: EventKind | str,
    *,
    object_key: str,
    title_fr: str,
    url: str,
    committee_id: int | None = None,
    title_en: str | None = None,
) -> FollowEvent | None:
    """Record a publication for the followers (not committed); the e-mails go out later.

    ``event`` is one of ``EventKind`` — "agenda_published", "minutes_published",
    "decision_published", "call_opened", "call_closing" or "synthesis_published" (the
    consultation synthesis of a call: pass ``object_key="call:<id>"``, the call's committee
    and the synthesis page's absolute ``url``). Followers of ``committee_id`` and of the
    event's general scope (decisions, calls) are told. A second publication of the same
    object (``kind`` + ``object_key``) is not announced again; then None is returned.
    """
    kind = EventKind(event)
    already = db.session.execute(
        select(FollowEvent.id).where(
            FollowEvent.kind == kind.value, FollowEvent.object_key == object_key
        )
    ).first()
    if already is not None:
        return None
    row = FollowEvent(
        kind=kind.value,
        object_key=object_key,
        committee_id=committee_id,
        title_fr=title_fr[:400],
        title_en=title_en[:400] if title_en else None,
        url=url,
        occurred_at=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    return row


def followers_page(page: int):
    """The admin's list of followers, newest first."""
    query = select(Follower).options(selectinload(Follower.committee)).order_by(Follower.id.desc())
    return db.paginate(query, page=page, per_page=ADMIN_PAGE_SIZE, max_per_page=ADMIN_PAGE_SIZE)
