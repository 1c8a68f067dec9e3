"""Builders for the follow tests: a follower in a given state, the e-mails of a run."""

from __future__ import annotations

import re
import secrets

from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.follows.models import Follower, committee_scope

CONFIRM_LINK = re.compile(r"https?://\S+/suivre/confirmer/\S+")
UNSUBSCRIBE_LINK = re.compile(r"https?://\S+/suivre/desabonnement/[\w-]+")


def make_follower(
    email: str,
    *,
    committee=None,
    scope: str | None = None,
    confirmed: bool = True,
    frequency: str = "immediate",
    locale: str = "fr",
) -> Follower:
    """A follower of ``committee`` (or of ``scope``), confirmed unless told otherwise."""
    now = utcnow()
    follower = Follower(
        email=email,
        scope=scope or committee_scope(committee.id),
        committee_id=committee.id if committee is not None else None,
        locale=locale,
        frequency=frequency,
        confirmed_at=now if confirmed else None,
        digest_until=now if confirmed else None,
        unsubscribe_token=secrets.token_urlsafe(32),
    )
    db.session.add(follower)
    db.session.commit()
    return follower


def link_in(text: str, pattern: re.Pattern) -> str:
    match = pattern.search(text)
    assert match, f"no link matching {pattern.pattern} in:\n{text}"
    return match.group(0)
