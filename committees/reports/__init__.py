"""Yearly activity reports of the committees: figures computed from the record, a foreword."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, the labels of the figures,
    the list of published reports on a committee's public page, and what the search index
    takes from the reports."""
    from committees.bodies.public_pages import register_committee_section
    from committees.reports import (
        labels,
        public_views,
        search_documents,
        secretariat_views,
        services,
    )

    for blueprint in (
        secretariat_views.bp,
        public_views.bp,
    ):
        app.register_blueprint(blueprint)
    app.context_processor(labels.template_labels)
    register_committee_section("reports", services.published_reports)
    search_documents.register()
