"""Read-only JSON API of the public data (open data) at /api/v1, and its OpenAPI document.

Only what the public site shows leaves this package: published committees and decisions,
public sessions of published committees, published agendas and minutes, public calls and
the contributions published with their authors' consent. Field names follow OParl and
Popolo where they fit (README, "Open data API").
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    from committees.api import public_views

    for blueprint in (public_views.bp,):
        app.register_blueprint(blueprint)
