"""Calls for expressions of interest and written contributions."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    from committees.calls import public_views
    from committees.calls.administration import (
        secretariat_views as administration_secretariat_views,
    )
    from committees.calls.submission import contributor_views as submission_contributor_views
    from committees.calls.synthesis import secretariat_views as synthesis_secretariat_views

    for blueprint in (
        public_views.bp,
        submission_contributor_views.bp,
        administration_secretariat_views.bp,
        synthesis_secretariat_views.bp,
    ):
        app.register_blueprint(blueprint)
