"""Calendar addresses anyone may open: one public session, a committee's feed, and a
member's personal feed, whose unguessable address is its only key (calendar clients
sign in to nothing)."""

from __future__ import annotations

from flask import Blueprint, abort

from committees.bodies.public_pages import published_committee
from committees.calendars.feeds import (
    Feed,
    FeedKind,
    ResolvedFeed,
    committee_feed,
    meeting_feed,
    personal_feed,
)
from committees.calendars.serving import builder, lang, remembered, serve
from committees.calendars.tokens import MAX_TOKEN_LENGTH, token_hash
from committees.extensions import limiter

bp = Blueprint("calendars", __name__)


@bp.get("/meetings/<id:meeting_id>.ics")
def meeting(meeting_id: int):
    """One public session, to add to one's calendar.

    Its validators (and title) are remembered under the calendar revision and its bytes
    by ETag, as a feed's: a download costs one primary-key lookup when nothing changed.
    """
    feed = Feed(FeedKind.MEETING, lang(), meeting_id=meeting_id)
    resolved = remembered(("meeting", meeting_id, feed.lang), lambda: meeting_feed(feed))
    return serve(
        resolved.fingerprint,
        builder(resolved),
        filename=f"seance-{meeting_id}.ics",
        attachment=True,
    )


@bp.get("/committees/<slug:slug>/calendar.ics")
def committee(slug: str):
    """A committee's public feed: its public sessions, public information only."""
    resolved = remembered(("committee", slug, lang()), lambda: _published_feed(slug))
    return serve(resolved.fingerprint, builder(resolved), filename=f"{slug}.ics")


def _published_feed(slug: str) -> ResolvedFeed | None:
    found = published_committee(slug)
    return committee_feed(found.id, lang()) if found is not None else None


@bp.get("/calendar/<token>.ics")
@limiter.exempt
def personal(token: str):
    """A member's personal feed; an unknown or regenerated token answers 404.

    Calendar clients revalidate it again and again: its validators are remembered under
    the calendar revision (cache.validators), so that a 304 costs one primary-key
    lookup, and is never stale.
    """
    if len(token) > MAX_TOKEN_LENGTH:
        abort(404)
    key = (token_hash(token), lang())
    resolved = remembered(key, lambda: personal_feed(*key))
    return serve(
        resolved.fingerprint,
        builder(resolved),
        filename="mes-seances.ics",
        private=True,
    )
