"""The signed-in home page: a greeting and panels chosen by the person's permissions."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its blueprint and the foundation's panels
    (own account, outbox backlog, accounts per role)."""
    from committees.dashboard import member_views, panels

    app.register_blueprint(member_views.bp)
    panels.register()
