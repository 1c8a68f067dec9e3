"""Atom feed of publications: decisions, agendas, minutes and calls."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: the Atom feed's blueprint."""
    from committees.feeds import public_views

    app.register_blueprint(public_views.bp)
