"""The public site: home page and informational pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    from committees.public import public_views, related

    for blueprint in (
        public_views.bp,
        related.bp,
    ):
        app.register_blueprint(blueprint)
