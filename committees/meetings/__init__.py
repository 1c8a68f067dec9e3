"""Sessions (séances): scheduling, agenda, hearings, convocations, attendance, recusals,
votes and minutes."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    import committees.meetings.panels  # noqa: F401 - TODO: explicit registration
    from committees.meetings.agenda import secretariat_views as agenda_secretariat_views
    from committees.meetings.conduct import secretariat_views as conduct_secretariat_views
    from committees.meetings.minutes import secretariat_views as minutes_secretariat_views
    from committees.meetings.scheduling import member_views as scheduling_member_views
    from committees.meetings.scheduling import public_views as scheduling_public_views
    from committees.meetings.scheduling import secretariat_views as scheduling_secretariat_views

    for blueprint in (
        scheduling_secretariat_views.bp,
        scheduling_public_views.bp,
        scheduling_member_views.bp,
        agenda_secretariat_views.bp,
        conduct_secretariat_views.bp,
        minutes_secretariat_views.bp,
    ):
        app.register_blueprint(blueprint)
