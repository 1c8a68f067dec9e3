"""Yearly activity reports of the committees: figures computed from the record, a foreword."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    from committees.reports import secretariat_views
    from committees.reports.secretariat_views import public_bp as secretariat_views_public_bp

    for blueprint in (
        secretariat_views.bp,
        secretariat_views_public_bp,
    ):
        app.register_blueprint(blueprint)
