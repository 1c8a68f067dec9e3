"""Error pages, in the visitor's language, for every status the application answers with.

Browsers get an HTML page that explains what happened and offers a way forward;
machine clients (``/api/``, ``/healthz``) get RFC 9457 problem details in JSON.

Infrastructure failures have one mapping: a database that does not answer (unreachable,
connection lost, statement cut by ``DATABASE_STATEMENT_TIMEOUT_MS``) is a 503 with
``Retry-After`` (the page "Service momentanément indisponible", a problem document for the
API, a short text for calendar and Atom feeds), logged once per outage, not per request;
an upload folder that refuses writes is a 507.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import format_decimal, format_timedelta
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from committees.common.filestore import StoreUnavailable
from committees.extensions import db, limiter, log_limiter_storage, login_manager

#: statuses with a page of their own; any other error gets errors/generic.html
PAGES = (400, 403, 404, 405, 413, 429, 500, 503, 507)
_MACHINE_PREFIXES = ("/api/", "/healthz", "/readyz")
#: feeds read by calendar and news clients, which retry on 503 + Retry-After
_FEED_SUFFIXES = (".ics", ".atom")
#: seconds a client is asked to wait before trying again when the database is down
RETRY_AFTER_SECONDS = 30

log = logging.getLogger("committees")


def _phrase(status: int) -> str:
    # The standard English reason phrase: RFC 9457 wants it as the title of about:blank.
    return HTTP_STATUS_CODES.get(status, "Unknown Error")


def wants_problem_json() -> bool:
    """Whether the request comes from a machine client that expects JSON errors."""
    path = request.path
    return path == "/api" or path.startswith(_MACHINE_PREFIXES)


def problem_response(status: int, headers: Any = None, detail: str | None = None):
    """An ``application/problem+json`` answer (RFC 9457) for ``status``, with ``detail``
    (what exactly was wrong) when the caller knows it."""
    body: dict[str, Any] = {"type": "about:blank", "title": _phrase(status), "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    for name in ("Allow", "Retry-After"):
        if headers is not None and name in headers:
            response.headers[name] = headers[name]
    return response


def _limit_in_megabytes() -> str | None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return None
    return format_decimal(limit / (1024 * 1024), format="#,##0.#")


def _retry_after_seconds(error: Exception | None) -> int | None:
    """Seconds before trying again: from the exception, else from Flask-Limiter."""
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, datetime):
        return max(0, int((retry_after - datetime.now(UTC)).total_seconds()))
    if isinstance(retry_after, int | float):
        return int(retry_after)
    current = limiter.current_limit
    if current is not None:
        return max(0, int(current.reset_at - datetime.now(UTC).timestamp()))
    return None


def _page_context(status: int, error: Exception | None) -> dict[str, Any]:
    if status == 400:
        return {"csrf_failure": isinstance(error, CSRFError)}
    if status == 413:
        return {"limit_mb": _limit_in_megabytes()}
    if status == 429:
        seconds = _retry_after_seconds(error)
        delay = None
        if seconds:
            delay = format_timedelta(seconds, threshold=1.0, add_direction=False)
        return {"retry_delay": delay}
    return {}


def _fall_back_to_anonymous() -> None:
    """Make sure the error page cannot fail a second time on the signed-in person.

    Flask-Login loads the user for every template, and the rollback below expires the
    loaded row, so the page would query the database again. When the database does
    not answer, the page is shown as to an anonymous visitor: Flask-Login keeps the
    request's user in ``g._login_user``, and setting it stops any further loading.
    """
    try:
        db.session.rollback()
        if current_user.is_authenticated:
            _ = current_user.locale  # reloads the expired row: proves the database answers
    except Exception:  # any failure means the person cannot be known for this request
        g._login_user = login_manager.anonymous_user()


# --- the database going away ------------------------------------------------------------


def database_failure(error: BaseException | None) -> bool:
    """Whether ``error`` (or the exception behind a 500) means the database did not answer:
    unreachable, connection lost, pool exhausted, or a statement cut by its timeout."""
    if isinstance(error, InternalServerError):
        error = error.original_exception
    if isinstance(error, OperationalError | PoolTimeoutError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


class Outage:
    """This worker's view of a database outage: one warning when the first request fails
    (with its request id), one when a statement succeeds again, none in between."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.answered = 0
        self._lock = threading.Lock()

    def failed(self, error: BaseException | None) -> None:
        """A request could not use the database."""
        with self._lock:
            first = self.since is None
            if first:
                self.since, self.answered = time.monotonic(), 0
            self.answered += 1
        if first:
            cause = getattr(error, "original_exception", None) or error
            reason = str(getattr(cause, "orig", None) or cause).strip().splitlines()
            log.warning(
                "Database unavailable: answering 503 until it answers again "
                "(first request id=%s, %s: %s)",
                g.get("request_id"),
                type(cause).__name__,
                reason[0] if reason else "",
            )

    def answered_again(self, *_args: Any) -> None:
        """A statement ran (an engine event: cheap while there is no outage)."""
        if self.since is None:
            return
        with self._lock:
            if self.since is None:
                return
            lasted, answered = time.monotonic() - self.since, self.answered
            self.since = None
        log.warning(
            "Database answers again after %.0f s (%d request(s) answered 503)", lasted, answered
        )


outage = Outage()


def _unavailable(error: BaseException | None):
    """503 with Retry-After, in the form the client reads."""
    outage.failed(error)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.path.endswith(_FEED_SUFFIXES) and not wants_problem_json():
        return (
            "Service temporarily unavailable, retry later.\n",
            503,
            {
                **headers,
                "Content-Type": "text/plain; charset=utf-8",
            },
        )
    response = render_error(503, error, headers)
    if isinstance(response, tuple):
        return response
    response.headers["Cache-Control"] = "no-store"
    return response


# --- rendering ----------------------------------------------------------------------------


def render_error(status: int, error: Exception | None = None, headers: Any = None):
    """The response for ``status``: an HTML page, or problem details for machine clients."""
    if status >= 500:
        _fall_back_to_anonymous()
    if wants_problem_json():
        return problem_response(status, headers)
    template = f"errors/{status}.html" if status in PAGES else "errors/generic.html"
    body = render_template(
        template,
        error=error,
        status=status,
        title=_phrase(status),
        minimal_layout=status >= 500,
        **_page_context(status, error),
    )
    return body, status, headers or {}


def register(app: Flask) -> None:
    """Route every HTTP error and every unexpected exception to ``render_error``."""

    def handle_http(error: HTTPException):
        status = error.code or 500
        if status < 400:
            return error
        if status >= 500:
            if database_failure(error):
                return _unavailable(error)
            app.logger.error("HTTP %s on %s", status, request.path, exc_info=error)
        # The default response carries the headers that matter (Allow, Retry-After).
        headers = error.get_response().headers
        kept = {k: headers[k] for k in ("Allow", "Retry-After") if k in headers}
        return render_error(status, error, kept)

    def handle_csrf(error: CSRFError):
        return render_error(400, error)

    def handle_unexpected(error: Exception):
        if database_failure(error):
            return _unavailable(error)
        app.logger.exception("Unhandled error", exc_info=error)
        return render_error(500, InternalServerError(original_exception=error))

    def handle_store(error: StoreUnavailable):
        # Forms that can keep what was typed catch it themselves; this is the last resort.
        log.warning("Upload folder refused a file (id=%s): %s", g.get("request_id"), error.cause)
        return render_error(507, error)

    log_limiter_storage()
    # Flask gives its logger (``committees``) a handler when first used: from the start,
    # so that the outage lines carry a time and a level.
    _ = app.logger
    if not event.contains(Engine, "after_cursor_execute", outage.answered_again):
        event.listen(Engine, "after_cursor_execute", outage.answered_again)
    app.register_error_handler(StoreUnavailable, handle_store)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
