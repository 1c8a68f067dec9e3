"""Error pages, in the visitor's language, for every status the application answers with.

Browsers get an HTML page that explains what happened and offers a way forward;
machine clients (``/api/``, ``/healthz``) get RFC 9457 problem details in JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import format_decimal, format_timedelta
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from committees.extensions import db, limiter, login_manager

#: statuses with a page of their own; any other error gets errors/generic.html
PAGES = (400, 403, 404, 405, 413, 429, 500)
_MACHINE_PREFIXES = ("/api/", "/healthz", "/readyz")


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
            app.logger.error("HTTP %s on %s", status, request.path, exc_info=error)
        # The default response carries the headers that matter (Allow, Retry-After).
        headers = error.get_response().headers
        kept = {k: headers[k] for k in ("Allow", "Retry-After") if k in headers}
        return render_error(status, error, kept)

    def handle_csrf(error: CSRFError):
        return render_error(400, error)

    def handle_unexpected(error: Exception):
        app.logger.exception("Unhandled error", exc_info=error)
        return render_error(500, InternalServerError(original_exception=error))

    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
