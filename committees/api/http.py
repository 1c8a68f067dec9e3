"""What every API answer carries: JSON bytes, a strong ETag, CORS for GET, no cookie.

Installed on the whole application by ``committees.api.init_app``, for every path under
/api/ (errors from routing included, which no view sees).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response, current_app, request

API_PREFIX = "/api/"

#: headers a browser script may read from another origin
EXPOSED_HEADERS = "ETag, Link, Retry-After"
#: headers a cross-origin GET may send (answered in the preflight)
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match"


def json_response(body: Any, *, status: int = 200, link: str | None = None) -> Response:
    """``body`` as compact UTF-8 JSON, keys in the order the serializers wrote them, so that
    the same data always gives the same bytes (and the same ETag)."""
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    response = current_app.response_class(data, status=status, mimetype="application/json")
    if link:
        response.headers["Link"] = link
    return response


def _add_etag(response: Response) -> None:
    if response.direct_passthrough or response.status_code == 304:
        return
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
    if response.status_code == 200:
        response.make_conditional(request)


def _add_cors(response: Response) -> None:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"


def finish(response: Response) -> Response:
    """Add the ETag (with If-None-Match answered by 304) and the CORS headers."""
    if not request.path.startswith(API_PREFIX):
        return response
    _add_etag(response)
    _add_cors(response)
    # Public data: any cache may keep it, provided it asks again with the ETag.
    response.headers["Cache-Control"] = "public, no-cache"
    return response
