"""Anonymous public pages, the Atom feed and API answers, served from what was kept.

A view opts in with ``@public_page``. For a GET or HEAD from a visitor who carries no
session, no « se souvenir de moi » cookie and no Authorization header, the key is made
of everything that decides the bytes: the code and settings that built them
(``build``), the publication revision (one primary-key read), the next instant at which
a page changes by itself (``boundaries``), the language, the host where links are built
on it (no PUBLIC_BASE_URL), the path (its ``/en`` prefix included) and the query
string. A kept answer is sent as is (304 when the ETag matches); otherwise the view runs
and its answer is kept if it is a plain 200 that sets no cookie and was built for nobody
signed in. Signed-in visitors are never answered from here, and what they
see is never kept: their answers say ``Cache-Control: private``.

Every kept answer says ``Cache-Control: public, no-cache`` with a strong ETag (a hash
of its bytes): a reverse proxy or CDN may keep it and must ask again with the ETag
before each reuse; ``Vary: Cookie`` keeps a signed-in visitor's request from being
answered with the anonymous copy (committees.i18n adds ``Vary: Accept-Language`` where
the language came from the browser rather than from the address).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale

from committees.common.timeutils import utcnow
from committees.extensions import limiter
from committees.publication import boundaries, build, revision, store

F = TypeVar("F", bound=Callable)

#: headers of an answer that belong to one request, never kept
_PER_REQUEST = {"content-length", "set-cookie", "x-request-id", "date", "x-page-cache"}
#: what only some requests carry, to be added again to each answer (rate limits)
_PER_CLIENT_PREFIXES = ("x-ratelimit", "retry-after")


def public_page(view: F) -> F:
    """Mark ``view`` as the same bytes for every anonymous visitor, whatever they did
    before: its answers may be kept and served again while nothing they show changed."""
    view.public_page = True  # type: ignore[attr-defined]
    return view


def valid_until(instant: datetime) -> None:
    """Say that the page being built changes by itself at ``instant`` (a countdown): it
    is served from what was kept only until then."""
    current = g.get("page_valid_until")
    if current is None or instant < current:
        g.page_valid_until = instant


#: (revision, next boundary) as last computed by this process: a tuple, replaced whole
_boundary: tuple[tuple, datetime] | None = None


def _next_boundary(rev: tuple) -> datetime:
    global _boundary
    now = utcnow()
    known = _boundary
    if known is None or known[0] != rev or now >= known[1]:
        known = _boundary = (rev, boundaries.next_after(now))
    return known[1]


def _anonymous_request() -> bool:
    config = current_app.config
    cookies = request.cookies
    return not (
        config["SESSION_COOKIE_NAME"] in cookies
        or config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies
        or "Authorization" in request.headers
    )


def _eligible() -> bool:
    if request.method not in ("GET", "HEAD") or not current_app.config["PUBLIC_CACHE_BYTES"]:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "public_page", False) and _anonymous_request()


def page_key() -> str:
    """The key of the current request's page: everything that decides its bytes."""
    rev = revision.current()
    parts = (
        build.fingerprint(),
        str(rev[0]),
        str(rev[1]),
        _next_boundary(rev).isoformat(),
        str(get_locale()),
        # Links are built on PUBLIC_BASE_URL, or on the request's own host where that is
        # empty (development): a forged Host header must never reach another visitor.
        "" if current_app.config["PUBLIC_BASE_URL"] else request.host_url,
        request.script_root + request.path,
        request.query_string.decode("latin-1"),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _serve() -> Response | None:
    if not _eligible():
        return None
    key = page_key()
    g.page_key = key
    entry, where = store.get(key)
    if entry is None:
        return None
    g.page_served = True
    response = Response(entry.body, headers=list(entry.headers))
    response.headers["X-Page-Cache"] = where
    return response.make_conditional(request)


def _public_headers(response: Response) -> None:
    response.headers["Cache-Control"] = "public, no-cache"
    if response.get_etag()[0] is None:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
    # « Vary: Accept-Language » comes from committees.i18n where the browser chose.
    response.vary.add("Cookie")
    # The session interface drops « Vary: Cookie » from public answers otherwise.
    g.vary_on_cookie = True


def _signed_in() -> bool:
    """Whether the answer was built for someone signed in. Read from what Flask-Login
    loaded, never loading it again (a static file, a page that just committed)."""
    user = g.get("_login_user")
    return user is not None and not user.is_anonymous


def _keepable(response: Response) -> bool:
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        # The session is saved after this hook: a page that wrote to it (a CSRF token)
        # would set a cookie, so it is somebody's own.
        and not session.modified
        and not current_app.session_interface.should_set_cookie(current_app, session)
        and not response.cache_control.no_store
        and not response.cache_control.private
        and not _signed_in()
    )


def _entry(response: Response) -> store.Entry:
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in _PER_REQUEST and not name.lower().startswith(_PER_CLIENT_PREFIXES)
    )
    until = g.get("page_valid_until")
    return store.Entry(response.get_data(), headers, until.timestamp() if until else None)


def _keep(response: Response) -> Response:
    if g.get("page_served"):
        _public_headers(response)
        return response
    key = g.pop("page_key", None)
    if key is None:
        if _signed_in() and "Cache-Control" not in response.headers:
            # Never in a shared cache; the browser asks again before showing it anew.
            response.headers["Cache-Control"] = "private, no-cache"
        return response
    if not _keepable(response):
        return response
    _public_headers(response)
    store.put(key, _entry(response))
    response.headers["X-Page-Cache"] = "miss"
    return response.make_conditional(request)


def forget_local() -> None:
    """Forget this worker's kept pages and boundary (tests, whose teardown empties the
    tables behind the ORM's back)."""
    global _boundary
    store.clear_local()
    _boundary = None


def register(app: Flask) -> None:
    """Serve kept pages before any view runs, keep new ones after.

    The rate limits (the open data API's) are checked after ``_serve``: they protect the
    work of building answers, and an answer already kept costs what a static file costs,
    where the limit's check would cost a Redis round trip or two. Every answer that is
    built, whatever its address or query, is still counted."""
    app.before_request(_serve)
    hooks = app.before_request_funcs.setdefault(None, [])
    limits = [hook for hook in hooks if getattr(hook, "__self__", None) is limiter]
    for hook in limits:
        hooks.remove(hook)
        hooks.append(hook)
    app.after_request(_keep)
