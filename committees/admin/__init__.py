"""Account administration: the admin lists, invites and edits accounts and their roles."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    from committees.admin import admin_views, secretariat_views

    for blueprint in (
        admin_views.bp,
        secretariat_views.bp,
    ):
        app.register_blueprint(blueprint)
