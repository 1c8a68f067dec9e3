"""Follow by e-mail: people follow a committee, the decisions or the calls, and get an e-mail
per publication (or a weekly digest). Addresses are private: only the admin's list shows them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    from committees.follows import public_views
    from committees.follows.cli import follows_cli

    for blueprint in (public_views.bp,):
        app.register_blueprint(blueprint)
    app.cli.add_command(follows_cli)
