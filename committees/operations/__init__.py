"""Operations of the whole installation: backup and restore (``flask backup``)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    from committees.operations import public_views
    from committees.operations.cli import backup_cli

    for blueprint in (public_views.bp,):
        app.register_blueprint(blueprint)
    app.cli.add_command(backup_cli)
