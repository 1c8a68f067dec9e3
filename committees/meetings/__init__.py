"""Sessions (séances): scheduling, agenda and hearings, conduct (convocations, attendance,
recusals, votes) and minutes, each a sub-package; ``models`` holds their tables."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprints (by part and audience),
    its dashboard panels, the stored files its documents name, the label filters and
    helpers of its templates, its section of a committee's public page, its documents in
    the search index and what it holds about a person (export and erasure)."""
    from committees.bodies.public_pages import register_committee_section
    from committees.common.filestore import register_reference
    from committees.meetings import labels, panels, personal_data, search_documents
    from committees.meetings.agenda import member_views as agenda_member
    from committees.meetings.agenda import public_views as agenda_public
    from committees.meetings.agenda import secretariat_views as agenda_secretariat
    from committees.meetings.conduct import member_views as conduct_member
    from committees.meetings.conduct import public_views as conduct_public
    from committees.meetings.conduct import secretariat_views as conduct_secretariat
    from committees.meetings.minutes import member_views as minutes_member
    from committees.meetings.minutes import public_views as minutes_public
    from committees.meetings.minutes import secretariat_views as minutes_secretariat
    from committees.meetings.models import AgendaDocument
    from committees.meetings.queries import upcoming_public_meetings
    from committees.meetings.scheduling import member_views as scheduling_member
    from committees.meetings.scheduling import public_views as scheduling_public
    from committees.meetings.scheduling import secretariat_views as scheduling_secretariat

    for blueprint in (
        scheduling_secretariat.bp,
        scheduling_public.bp,
        scheduling_member.bp,
        agenda_secretariat.bp,
        agenda_member.bp,
        agenda_public.bp,
        conduct_secretariat.bp,
        conduct_member.bp,
        conduct_public.bp,
        minutes_secretariat.bp,
        minutes_member.bp,
        minutes_public.bp,
    ):
        app.register_blueprint(blueprint)
    panels.register()
    register_reference(AgendaDocument.sha256)
    labels.register(app)
    # A committee's public page lists its upcoming public sessions.
    register_committee_section("upcoming", upcoming_public_meetings)
    search_documents.register()
    personal_data.register()
