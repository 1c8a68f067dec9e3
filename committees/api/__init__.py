"""Read-only JSON API of the public data (open data) at /api/v1, and its OpenAPI document.

Only what the public site shows leaves this package: published committees and decisions,
public sessions of published committees, published agendas and minutes, public calls and
the contributions published with their authors' consent. Field names follow OParl and
Popolo where they fit (README, "Open data API").
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the API: its blueprint, and the ETag and CORS headers of every answer under
    /api/ (routing errors included, which the blueprint never sees)."""
    from committees.api import http, public_views

    app.register_blueprint(public_views.bp)
    app.after_request(http.finish)
