"""The application plus one bare route, ``/floor.ics``: the floor a feed is compared with.

Served by gunicorn as ``bench.floor_app:app`` so that the floor and the real feeds run in
the same processes, behind the same middleware and request hooks. The route does nothing
but hand back bytes read once from ``BENCH_FLOOR_BODY``, with the headers of
``BENCH_FLOOR_HEADERS`` (a JSON object, normally those of the real feed), and answers 304
when ``If-None-Match`` carries their constant ETag. ``BENCH_CALENDAR_CACHE_BYTES``, when
set, overrides the application's CALENDAR_CACHE_BYTES (0: every feed is built afresh);
likewise ``BENCH_CALENDAR_EVENT_CACHE_BYTES`` and
``BENCH_ENGINE_OPTIONS`` (JSON, SQLALCHEMY_ENGINE_OPTIONS: e.g. pool_pre_ping off).
"""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path

from flask import Response, request

from committees import create_app
from committees.extensions import limiter

#: headers a 304 repeats (RFC 9110 §15.4.5); the others describe a body it has not
_REVALIDATION_HEADERS = {"cache-control", "etag", "expires", "last-modified", "vary"}

#: settings the benchmark may lay over the application's (its A/B comparisons)
_OVERRIDES = {
    "BENCH_CALENDAR_CACHE_BYTES": ("CALENDAR_CACHE_BYTES", int),
    "BENCH_CALENDAR_EVENT_CACHE_BYTES": ("CALENDAR_EVENT_CACHE_BYTES", int),
    "BENCH_ENGINE_OPTIONS": ("SQLALCHEMY_ENGINE_OPTIONS", json.loads),
}

overrides = {
    setting: convert(os.environ[variable])
    for variable, (setting, convert) in _OVERRIDES.items()
    if os.environ.get(variable)
}
# Engine options are read when the extension starts: they go in before, through create_app.
app = create_app(overrides or None)

_BODY = Path(os.environ["BENCH_FLOOR_BODY"]).read_bytes()
_HEADERS: dict[str, str] = json.loads(Path(os.environ["BENCH_FLOOR_HEADERS"]).read_text())
_ETAG = next((v for k, v in _HEADERS.items() if k.lower() == "etag"), '"floor"')
_HEADERS.setdefault("ETag", _ETAG)
_NOT_MODIFIED = {k: v for k, v in _HEADERS.items() if k.lower() in _REVALIDATION_HEADERS}


@app.get("/floor.ics")
@limiter.exempt
def floor() -> Response:
    """The pre-computed feed, or 304 when the client already holds it."""
    if request.headers.get("If-None-Match") == _ETAG:
        return Response(status=304, headers=_NOT_MODIFIED)
    return Response(_BODY, headers=_HEADERS)


# As wsgi.py does: what start-up built is left out of the collector's full passes.
gc.freeze()
