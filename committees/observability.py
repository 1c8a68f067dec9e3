"""What operators see of each request: a request id, and one log line per request.

The id comes from a sane incoming ``X-Request-ID`` (set by the reverse proxy, so that its
log and ours share it) or is made here; it is sent back in the same header and printed on
the 500 page, so that a person can quote it and an operator find the line. In production
the lines are JSON, one object a line, for log collectors; elsewhere they are plain text.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, Response, current_app, g, request

#: what an incoming id may look like (anything else is replaced, never logged)
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

access_log = logging.getLogger("committees.access")


def request_id() -> str | None:
    """The id of the current request (None outside one)."""
    return g.get("request_id")


def _start() -> None:
    g.request_id = new_request_id(request.environ)
    g.request_started = time.perf_counter()


def new_request_id(environ: dict) -> str:
    """The id of a request: its sane incoming ``X-Request-ID``, else a new one."""
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    return incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    identifier = g.get("request_id")
    if identifier is None:
        return response
    response.headers["X-Request-ID"] = identifier
    log_request(identifier, request.method, request.path, response.status_code, g.request_started)
    return response


def log_request(identifier: str, method: str, path: str, status: int, started: float) -> None:
    """Write the access-log line of one answered request (``started``: its
    ``time.perf_counter()`` when it arrived); JSON when LOG_JSON is set."""
    if not access_log.isEnabledFor(logging.INFO):
        return
    fields = {
        "request_id": identifier,
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    if current_app.config.get("LOG_JSON"):
        access_log.info(json.dumps(fields, separators=(",", ":")))
    else:
        access_log.info(
            "%(method)s %(path)s %(status)s %(duration_ms)sms id=%(request_id)s", fields
        )


def register(app: Flask) -> None:
    """Give every request an id and a log line; JSON lines when LOG_JSON is set."""
    app.before_request(_start)
    app.after_request(_finish)
    app.context_processor(lambda: {"request_id": request_id()})
    if not access_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
        access_log.propagate = False
    access_log.setLevel(logging.INFO if app.config["ACCESS_LOG"] else logging.WARNING)
