"""Atom feed of publications: decisions, agendas, minutes and calls."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    from committees.feeds import public_views

    for blueprint in (public_views.bp,):
        app.register_blueprint(blueprint)
