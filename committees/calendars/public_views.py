"""Calendar addresses: one session, a committee's feed, a member's personal feed.

Every answer carries a strong ETag and Last-Modified from the feed's fingerprint (one
query); a revalidation that matches gets 304 before anything is loaded or built, and a
feed already built under the same ETag is served from memory. A personal feed's
validators are also remembered under the calendar revision (see cache.py).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.bodies.public_pages import published_committee
from committees.calendars import (
    cache,
    panels,  # noqa: F401 - registers the dashboard panel
    stamps,  # noqa: F401 - registers the stamps' listeners
)
from committees.calendars.content import feed_bytes, feed_name
from committees.calendars.feeds import (
    Feed,
    FeedKind,
    Fingerprint,
    ResolvedFeed,
    committee_feed,
    meeting_fingerprint,
    personal_feed,
    settings_key,
)
from committees.calendars.forms import RegenerateForm
from committees.calendars.revision import current as current_revision
from committees.calendars.tokens import MAX_TOKEN_LENGTH, existing_token, regenerate, token_hash
from committees.extensions import db, limiter
from committees.meetings.queries import member_meeting

bp = Blueprint("calendars", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"
#: shared caches may keep public calendars a few minutes
PUBLIC_CACHING = "public, max-age=300"
#: members' calendars carry remote links: browsers and clients only, never a shared cache
PRIVATE_CACHING = "private, max-age=300, no-transform"


def _lang() -> str:
    # The language comes from ?lang only: subscribed clients send no cookie, and the
    # answer must not vary on headers it does not read.
    return "en" if request.args.get("lang") == "en" else "fr"


def _not_modified(validators: Fingerprint) -> bool:
    # A client revalidating sends back the very ETag it was given: no parsing needed.
    if request.headers.get("If-None-Match") == validators.quoted_etag:
        return True
    if request.if_none_match:
        # If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2).
        return request.if_none_match.contains_weak(validators.etag)
    since = request.if_modified_since
    return (
        since is not None
        and validators.last_modified is not None
        and (validators.last_modified <= since)
    )


def _serve(
    validators: Fingerprint,
    build: Callable[[], bytes],
    *,
    filename: str,
    attachment: bool = False,
    private: bool = False,
) -> Response:
    if _not_modified(validators):
        response = Response(status=304)
    else:
        body = cache.get(validators.etag)
        if body is None:
            body = build()
            cache.put(validators.etag, body)
        response = Response(body, content_type=CONTENT_TYPE)
        disposition = "attachment" if attachment else "inline"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["ETag"] = validators.quoted_etag
    if validators.http_last_modified is not None:
        response.headers["Last-Modified"] = validators.http_last_modified
    response.headers["Cache-Control"] = PRIVATE_CACHING if private else PUBLIC_CACHING
    if private:
        # The address is the secret: keep it out of referrers and search engines.
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _builder(feed: Feed) -> Callable[[], bytes]:
    # The name is translated only when a feed is built: a 304 needs none of it.
    return lambda: feed_bytes(feed, name=feed_name(feed))


@bp.get("/meetings/<id:meeting_id>.ics")
def meeting(meeting_id: int):
    """One public session, to add to one's calendar."""
    feed = Feed(FeedKind.MEETING, _lang(), meeting_id=meeting_id)
    validators = meeting_fingerprint(feed)
    if validators.sessions == 0:
        abort(404)
    return _serve(validators, _builder(feed), filename=f"seance-{meeting_id}.ics", attachment=True)


@bp.get("/my/meetings/<id:meeting_id>.ics")
@require(Permission.MEMBER_AREA)
def member_meeting_file(meeting_id: int):
    """One session as a member sees it (remote link, every item, documents link)."""
    if member_meeting(current_user, meeting_id) is None:
        abort(404)
    feed = Feed(FeedKind.MEMBER_MEETING, _lang(), meeting_id=meeting_id, user_id=current_user.id)
    return _serve(
        meeting_fingerprint(feed),
        _builder(feed),
        filename=f"seance-{meeting_id}.ics",
        attachment=True,
        private=True,
    )


@bp.get("/committees/<slug:slug>/calendar.ics")
def committee(slug: str):
    """A committee's public feed: its public sessions, public information only."""
    resolved = _remembered(("committee", slug, _lang()), lambda: _published_feed(slug))
    return _serve(
        resolved.fingerprint,
        _builder(resolved.feed),
        filename=f"{slug}.ics",
    )


def _published_feed(slug: str) -> ResolvedFeed | None:
    found = published_committee(slug)
    return committee_feed(found.id, _lang()) if found is not None else None


def _remembered(key: tuple, resolve: Callable[[], ResolvedFeed | None]) -> ResolvedFeed:
    """The feed at ``key``: remembered under the calendar revision read now, or resolved
    (404 if there is none) and remembered."""
    # Settings count too: the validators cover them.
    revision = (current_revision(), settings_key())
    resolved = cache.validators.get(key, revision)
    if resolved is None:
        # The revision is read before the feed: a change committed in between leaves
        # an entry that the next request's revision no longer matches.
        resolved = resolve()
        if resolved is None:
            abort(404)
        cache.validators.put(key, revision, resolved, resolved.valid_until)
    return resolved


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
    key = (token_hash(token), _lang())
    resolved = _remembered(key, lambda: personal_feed(*key))
    return _serve(
        resolved.fingerprint,
        _builder(resolved.feed),
        filename="mes-seances.ics",
        private=True,
    )


@bp.post("/my/calendar/regenerate")
@require(Permission.MEMBER_AREA)
def regenerate_link():
    """Create the member's personal address, or replace it: the old one stops working."""
    if RegenerateForm().validate_on_submit():
        renewed = existing_token(current_user) is not None
        regenerate(current_user)
        db.session.commit()
        if renewed:
            message = _(
                "Nouveau lien créé : l'ancienne adresse de votre agenda ne fonctionne plus."
            )
        else:
            message = _("Votre adresse d'abonnement est prête.")
        flash(message, "success")
    return redirect(url_for("dashboard.index"), code=303)


@bp.app_template_filter("webcal")
def webcal(url: str) -> str:
    """The webcal:// form of an http(s) calendar address, which calendar apps open."""
    return "webcal://" + url.split("://", 1)[-1]
