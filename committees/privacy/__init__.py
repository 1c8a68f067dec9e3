"""Personal data (RGPD): export of what is held about someone, erasure, retention."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its pages (export and erasure) and
    ``flask retention``."""
    from committees.privacy import member_views
    from committees.privacy.cli import retention_cli

    for blueprint in (member_views.bp,):
        app.register_blueprint(blueprint)
    app.cli.add_command(retention_cli)
