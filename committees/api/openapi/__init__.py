"""The OpenAPI 3.1 document of /api/v1, built here so that it follows the code.

``primitives`` holds the shared types, ``schemas`` and ``report_schemas`` the components
(exactly what the serializers write), ``paths`` the operations. The test suite checks real
answers against the document with schemathesis (tests/api/test_api_schemathesis.py).
"""

from __future__ import annotations

from typing import Any

from committees.api.openapi.paths import paths
from committees.api.openapi.schemas import schemas


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Comités scientifiques — open data API",
            "version": "1.0.0",
            "description": (
                "Read-only public data: committees, their members, public sessions, "
                "decisions and calls. Lists are paged (page, per_page at most 100) in an "
                "OParl-style envelope with RFC 8288 Link headers; instants are ISO 8601 "
                "in Paris time with their offset; every answer has a strong ETag; errors "
                "are RFC 9457 problem details."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths(),
        "components": {"schemas": schemas()},
    }
