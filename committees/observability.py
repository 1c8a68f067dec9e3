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
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    identifier = g.get("request_id")
    if identifier is None:
        return response
    response.headers["X-Request-ID"] = identifier
    duration_ms = round((time.perf_counter() - g.request_started) * 1000, 1)
    fields = {
        "request_id": identifier,
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": duration_ms,
    }
    if current_app.config.get("LOG_JSON"):
        access_log.info(json.dumps(fields, separators=(",", ":")))
    else:
        access_log.info(
            "%(method)s %(path)s %(status)s %(duration_ms)sms id=%(request_id)s", fields
        )
    return response


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
