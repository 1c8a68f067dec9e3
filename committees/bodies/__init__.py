"""Committees, the persons who sit in them, their mandates and declarations of interests.

``services`` is committees and mandates; ``persons/`` the persons, their member accounts
and declarations; ``importing/`` the CSV import of members; ``public_pages`` what the
public committee pages show, with the sections the domains above add to them.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, dashboard panels, the label
    filters and the committee status labels every template reads, and what the search index
    and the privacy operations take from the bodies."""
    from committees.bodies import (
        labels,
        panels,
        personal_data,
        public_views,
        search_documents,
        secretariat_views,
    )
    from committees.bodies.importing import secretariat_views as importing_secretariat_views
    from committees.bodies.persons import member_views as persons_member_views
    from committees.bodies.persons import secretariat_views as persons_secretariat_views

    for blueprint in (
        secretariat_views.bp,
        persons_secretariat_views.bp,
        persons_member_views.bp,
        importing_secretariat_views.bp,
        public_views.bp,
    ):
        app.register_blueprint(blueprint)
    panels.register()
    app.add_template_filter(labels.committee_kind_label, "committee_kind_label")
    app.add_template_filter(labels.mandate_role_label, "mandate_role_label")
    app.add_template_filter(labels.link_kind_label, "link_kind_label")
    app.add_template_filter(labels.cadence_label, "cadence_label")
    app.context_processor(labels.status_labels)
    search_documents.register()
    personal_data.register()
