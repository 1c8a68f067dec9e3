"""Account administration: the admin lists, invites and edits accounts and their roles;
the secretariat watches the outbox."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprints and the ``role_label``
    filter (pages and e-mails name roles with it)."""
    from committees.admin import admin_views, secretariat_views
    from committees.admin.roles import role_label

    for blueprint in (admin_views.bp, secretariat_views.bp):
        app.register_blueprint(blueprint)
    app.add_template_filter(role_label, "role_label")
