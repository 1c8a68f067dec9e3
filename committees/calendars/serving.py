"""How a calendar address answers: validators first, the body built only when needed.

Every answer carries a strong ETag and Last-Modified from the feed's fingerprint (one
query); a revalidation that matches gets 304 before anything is loaded or built, and a
feed already built under the same ETag is served from memory. A feed's validators may
also be remembered under the calendar revision (see cache.py), so that a 304 costs one
primary-key lookup.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, request

from committees.calendars import cache
from committees.calendars.content import feed_bytes, feed_name
from committees.calendars.feeds import Fingerprint, ResolvedFeed, settings_key
from committees.calendars.revision import current as current_revision

CONTENT_TYPE = "text/calendar; charset=utf-8"
#: shared caches may keep public calendars a few minutes
PUBLIC_CACHING = "public, max-age=300"
#: members' calendars carry remote links: browsers and clients only, never a shared cache
PRIVATE_CACHING = "private, max-age=300, no-transform"


def lang() -> str:
    """The language of the feed asked for: English on ``?lang=en``, else French."""
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


def serve(
    validators: Fingerprint,
    build: Callable[[], bytes],
    *,
    filename: str,
    attachment: bool = False,
    private: bool = False,
) -> Response:
    """The answer for a feed whose validators are ``validators``: 304 when the client's
    copy matches, else the body (from memory, or ``build()``), with the caching headers;
    ``private`` for an address that is itself the secret."""
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


def builder(resolved: ResolvedFeed) -> Callable[[], bytes]:
    """What builds the bytes of the feed ``resolved``, when they are needed."""
    feed = resolved.feed
    if resolved.name is not None:
        # One session: named after its title, read with its validators.
        return lambda: feed_bytes(feed, name=resolved.name)
    # The name is translated only when a feed is built: a 304 needs none of it.
    return lambda: feed_bytes(feed, name=feed_name(feed))


def remembered(key: tuple, resolve: Callable[[], ResolvedFeed | None]) -> ResolvedFeed:
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


def webcal(url: str) -> str:
    """The webcal:// form of an http(s) calendar address, which calendar apps open."""
    return "webcal://" + url.split("://", 1)[-1]
