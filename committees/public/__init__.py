"""The public site: home page and informational pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint, the footer's accessibility
    status, and ``related_items(obj)`` for the « En lien » block of every public page."""
    from committees.public import accessibility, public_views, related

    app.register_blueprint(public_views.bp)
    app.context_processor(accessibility.footer_context)
    app.add_template_global(related.related_items, "related_items")
