"""Decisions of the director general: numbered, signed, published, and what they create."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, the labels every template
    reads, the decisions bodies' forms cite, what a committee's public page shows, what the
    search index takes from the decisions and the signed PDFs they store."""
    from committees.bodies import cited_decisions
    from committees.bodies.public_pages import register_committee_section
    from committees.common.filestore import register_reference
    from committees.decisions import (
        labels,
        public_views,
        queries,
        search_documents,
        secretariat_views,
    )
    from committees.decisions.models import Decision

    for blueprint in (
        secretariat_views.bp,
        public_views.bp,
    ):
        app.register_blueprint(blueprint)
    app.context_processor(labels.template_labels)
    cited_decisions.provide(
        cited_decisions.DecisionSource(choices=queries.decision_choices, get=queries.decision_by_id)
    )
    # In the page's order: the extensions (under its dates), then the list of decisions.
    register_committee_section("extensions", queries.published_extensions)
    register_committee_section("decisions", queries.published_decisions_of)
    search_documents.register()
    register_reference(Decision.pdf_sha256)
