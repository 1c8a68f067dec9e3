"""Committees, the persons who sit in them, their mandates and declarations of interests."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    import committees.bodies.panels  # noqa: F401 - TODO: explicit registration
    from committees.bodies import member_views, public_views, secretariat_views
    from committees.bodies.importing import secretariat_views as importing_secretariat_views
    from committees.bodies.persons import secretariat_views as persons_secretariat_views

    for blueprint in (
        secretariat_views.bp,
        persons_secretariat_views.bp,
        member_views.bp,
        importing_secretariat_views.bp,
        public_views.bp,
    ):
        app.register_blueprint(blueprint)
