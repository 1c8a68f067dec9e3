"""Calendars: iCalendar documents for sessions (invitations, cancellations and feeds)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    import committees.calendars.panels
    import committees.calendars.stamps  # noqa: F401 - TODO: explicit registration
    from committees.calendars import public_views

    for blueprint in (public_views.bp,):
        app.register_blueprint(blueprint)
