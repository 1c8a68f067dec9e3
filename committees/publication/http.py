"""Anonymous public pages, the Atom feed and API answers, served from what was kept.

A view opts in with ``@public_page``. For a GET or HEAD from a visitor who carries no
session, no « se souvenir de moi » cookie and no Authorization header, the key is made
of everything that decides the bytes: the code and settings that built them
(``build``), the publication revision (one primary-key read), the next instant at which
a page changes by itself (``boundaries``), the language, the host where links are built
on it (no PUBLIC_BASE_URL), the path (its ``/en`` prefix included) and the query
string. ``KeptPages``, a WSGI middleware just outside Flask, sends a kept answer as is
(304 when the ETag matches) with its own request id and access-log line, before Flask
builds a request: a kept page costs the key and a copy, not Flask's hooks. Otherwise
Flask runs the view, and ``_keep``, the last of its ``after_request`` hooks, keeps the
answer with every header the others added if it is a plain 200 that sets no cookie and
was built for nobody signed in. Signed-in visitors are never answered from here, and
what they see is never kept: their answers say ``Cache-Control: private``.

Every kept answer says ``Cache-Control: public, no-cache`` with a strong ETag (a hash
of its bytes): a reverse proxy or CDN may keep it and must ask again with the ETag
before each reuse; ``Vary: Cookie`` keeps a signed-in visitor's request from being
answered with the anonymous copy (committees.i18n adds ``Vary: Accept-Language`` where
the language came from the browser rather than from the address).

The rate limits (the open data API's) are not checked for a kept answer: they protect
the work of building answers, and a kept one costs what a static file costs, where the
check would cost a Redis round trip or two. Every answer that is built is still counted.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from flask import Flask, Response, current_app, g, request, session
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_cookie
from werkzeug.wsgi import get_current_url, get_path_info

from committees.i18n.languages import supported, visitor_language
from committees.observability import log_request, new_request_id
from committees.publication import fragments, revision, stamp, store
from committees.publication.stamp import revision_stamp

F = TypeVar("F", bound=Callable)

log = logging.getLogger(__name__)

#: the environ key under which a request that may be kept carries its page key to ``_keep``
KEY = "committees.page_key"

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


def _anonymous(environ: dict, config) -> bool:
    """No session, no « se souvenir de moi » cookie, no Authorization header."""
    if "HTTP_AUTHORIZATION" in environ:
        return False
    header = environ.get("HTTP_COOKIE")
    if not header:
        return True
    cookies = parse_cookie(header)
    remember = config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return config["SESSION_COOKIE_NAME"] not in cookies and remember not in cookies


def page_key(environ: dict) -> str:
    """The key of the page a request asks for: everything that decides its bytes, read
    from its WSGI environ (in an application context: the revision is read here)."""
    config = current_app.config
    parts = (
        *revision_stamp(revision.current()),
        visitor_language(environ, supported(), config["BABEL_DEFAULT_LOCALE"]),
        # Links are built on PUBLIC_BASE_URL, or on the request's own host where that is
        # empty (development): a forged Host header must never reach another visitor.
        "" if config["PUBLIC_BASE_URL"] else get_current_url(environ, host_only=True),
        environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class KeptPages:
    """WSGI middleware around Flask (inside the host check and the language prefix):
    answers from what was kept, or hands the request to Flask with its key."""

    def __init__(self, app: Flask, wsgi_app: Callable):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        if self._eligible(environ):
            try:
                with self.app.app_context():
                    key = page_key(environ)
                    entry, where = store.get(key)
                    if entry is not None:
                        answer = _answer(entry, where, environ, started)
                        return answer(environ, start_response)
                environ[KEY] = key
            except Exception:
                # The database or Redis failing: Flask builds the page, or its error page.
                log.debug("Kept pages: no answer from the store", exc_info=True)
        return self.wsgi_app(environ, start_response)

    def _eligible(self, environ: dict) -> bool:
        config = self.app.config
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return False
        if not config["PUBLIC_CACHE_BYTES"] or not _anonymous(environ, config):
            return False
        try:
            endpoint, _arguments = self.app.url_map.bind_to_environ(environ).match()
        except HTTPException:  # not found, a redirect, another method: Flask answers
            return False
        return getattr(self.app.view_functions.get(endpoint), "public_page", False)


def _answer(entry: store.Entry, where: str, environ: dict, started: float) -> Response:
    response = current_app.response_class(entry.body, headers=list(entry.headers))
    identifier = new_request_id(environ)
    response.headers["X-Request-ID"] = identifier
    response.headers["X-Page-Cache"] = where
    response.make_conditional(environ)
    path = "/" + get_path_info(environ).lstrip("/")
    log_request(identifier, environ["REQUEST_METHOD"], path, response.status_code, started)
    return response


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
    key = request.environ.pop(KEY, None)
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
    store.clear_local()
    fragments.forget()
    stamp.forget()


def register(app: Flask) -> None:
    """Serve kept pages before Flask, keep new ones after every other hook.

    Called before any other WSGI middleware wraps ``app`` (the host check and the
    language prefix run first, outside it), and inserted first among the
    ``after_request`` hooks, which Flask runs last: the kept answer holds every header
    the other hooks add (security headers, CORS, Vary), but for the request id."""
    app.wsgi_app = KeptPages(app, app.wsgi_app)  # type: ignore[method-assign]
    app.after_request_funcs.setdefault(None, []).insert(0, _keep)
