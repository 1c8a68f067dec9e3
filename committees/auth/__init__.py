"""Accounts, roles, sign-in, password management and the permission mechanism."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: how Flask-Login loads an account, the
    sign-in and account pages, and the ``flask create-user`` command."""
    from committees.auth import loader, public_views
    from committees.auth.cli import create_user
    from committees.extensions import login_manager

    loader.configure(login_manager)
    app.register_blueprint(public_views.bp)
    app.cli.add_command(create_user)
