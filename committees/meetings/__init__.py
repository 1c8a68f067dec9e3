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
    from committees.meetings.actions import registration as actions_registration
    from committees.meetings.actions import secretariat_views as actions_secretariat
    from committees.meetings.agenda import member_views as agenda_member
    from committees.meetings.agenda import public_views as agenda_public
    from committees.meetings.agenda import secretariat_views as agenda_secretariat
    from committees.meetings.certificates import member_views as certificates_member
    from committees.meetings.certificates import public_views as certificates_public
    from committees.meetings.certificates import secretariat_views as certificates_secretariat
    from committees.meetings.conduct import member_views as conduct_member
    from committees.meetings.conduct import public_views as conduct_public
    from committees.meetings.conduct import secretariat_views as conduct_secretariat
    from committees.meetings.minutes import member_views as minutes_member
    from committees.meetings.minutes import public_views as minutes_public
    from committees.meetings.minutes import secretariat_views as minutes_secretariat
    from committees.meetings.models import (
        AgendaDocument,
        AgendaDocumentVersion,
        Meeting,
        Minutes,
        PackBuild,
    )
    from committees.meetings.pack import member_views as pack_member
    from committees.meetings.pack import secretariat_views as pack_secretariat
    from committees.meetings.pack.cli import packs_cli
    from committees.meetings.queries import upcoming_public_meetings
    from committees.meetings.scheduling import member_views as scheduling_member
    from committees.meetings.scheduling import public_views as scheduling_public
    from committees.meetings.scheduling import secretariat_views as scheduling_secretariat
    from committees.publication import watch

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
        actions_secretariat.bp,
        certificates_secretariat.bp,
        certificates_member.bp,
        certificates_public.bp,
        pack_secretariat.bp,
        pack_member.bp,
    ):
        app.register_blueprint(blueprint)
    app.cli.add_command(packs_cli)
    panels.register()
    register_reference(AgendaDocument.sha256)
    register_reference(AgendaDocumentVersion.sha256)
    register_reference(PackBuild.sha256)
    labels.register(app)
    # A committee's public page lists its upcoming public sessions.
    register_committee_section("upcoming", upcoming_public_meetings)
    search_documents.register()
    personal_data.register()
    # Follow-up actions: the assignee's panel, « Suivi des avis », carried actions.
    actions_registration.register(app)
    # Public pages change by themselves at these instants (kept pages hold until then).
    # A draft of minutes leaves the members' to-do lists when its comments close.
    watch(Meeting.starts_at, Meeting.ends_at, Minutes.comments_until)
