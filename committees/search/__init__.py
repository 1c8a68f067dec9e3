"""Full-text search of the public site: one service in front of SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    import committees.search.index  # noqa: F401 - TODO: explicit registration
    from committees.search import public_views

    for blueprint in (public_views.bp,):
        app.register_blueprint(blueprint)
