"""Written procedures (consultations écrites): a question put to a committee's voting
members between sessions, answered online, closed under the quorum rule and published as
the committee's opinion; the same mechanism adopts draft minutes in writing."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain: its blueprints (by audience), its command, its dashboard panels,
    its section of a committee's public page, the stored files its documents name and its
    documents in the search index."""
    from committees.bodies.public_pages import register_committee_section
    from committees.common.filestore import register_reference
    from committees.procedures import (
        member_views,
        panels,
        public_views,
        search_documents,
        secretariat_views,
    )
    from committees.procedures.cli import procedures_cli
    from committees.procedures.models import ProcedureDocument, WrittenProcedure
    from committees.procedures.services import published_procedures
    from committees.publication import watch

    for blueprint in (secretariat_views.bp, member_views.bp, public_views.bp):
        app.register_blueprint(blueprint)
    app.cli.add_command(procedures_cli)
    register_reference(ProcedureDocument.sha256)
    search_documents.register()
    panels.register()
    # A committee's public page lists its opinions given by written procedure.
    register_committee_section("written_opinions", lambda c: published_procedures(c.id))
    # Public pages change by themselves at these instants (kept pages hold until then).
    watch(WrittenProcedure.opened_at, WrittenProcedure.deadline)
