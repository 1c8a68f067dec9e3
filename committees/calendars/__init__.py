"""Calendars: iCalendar documents for sessions (invitations, cancellations and feeds)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its public and member blueprints, the
    dashboard panel of the personal feed, the ``webcal`` filter, the flush listeners that
    keep the feeds' change stamps current, and what the privacy operations take from it."""
    from committees.calendars import (
        member_views,
        panels,
        personal_data,
        public_views,
        serving,
        stamps,
    )

    for blueprint in (public_views.bp, member_views.bp):
        app.register_blueprint(blueprint)
    app.add_template_filter(serving.webcal, "webcal")
    panels.register()
    stamps.register_listeners()
    personal_data.register()
