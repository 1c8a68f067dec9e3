"""Error pages, in the visitor's language, for every status the application answers with."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from committees.extensions import db

HANDLED = (400, 403, 404, 405, 413, 429, 500)


def _render(status: int, error: Exception | None = None):
    return render_template(f"errors/{status}.html", error=error), status


def register(app: Flask) -> None:
    def handle_http(error: HTTPException):
        status = error.code or 500
        if status not in HANDLED:
            return error
        response = error.get_response()
        body, status = _render(status, error)
        response.set_data(body)
        response.mimetype = "text/html"
        return response

    def handle_csrf(error: CSRFError):
        return _render(400, error)

    def handle_unexpected(error: Exception):
        # Never leave a broken transaction behind for the next request of this worker.
        db.session.rollback()
        app.logger.exception("Unhandled error", exc_info=error)
        return _render(500, InternalServerError())

    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
