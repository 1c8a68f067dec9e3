"""Accounts, roles, sign-in, password management and the permission mechanism."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    from committees.auth import public_views
    from committees.auth.cli import create_user

    for blueprint in (public_views.bp,):
        app.register_blueprint(blueprint)
    app.cli.add_command(create_user)
