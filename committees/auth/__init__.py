"""Accounts, roles, sign-in, password management and the permission mechanism."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    from committees.auth import loader, public_views
    from committees.auth.cli import create_user
    from committees.extensions import login_manager

    loader.configure(login_manager)

    for blueprint in (public_views.bp,):
        app.register_blueprint(blueprint)
    app.cli.add_command(create_user)
