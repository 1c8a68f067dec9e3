"""Operations of the whole installation: backup and restore (``flask backup``)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: the health checks' blueprint and the
    ``flask backup`` commands."""
    from committees.operations import public_views
    from committees.operations.cli import backup_cli

    app.register_blueprint(public_views.bp)
    app.cli.add_command(backup_cli)
