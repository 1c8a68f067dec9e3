"""The signed-in home page: a greeting and panels chosen by the person's permissions."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    import committees.dashboard.panels  # noqa: F401 - TODO: explicit registration
    from committees.dashboard import member_views

    for blueprint in (member_views.bp,):
        app.register_blueprint(blueprint)
