"""Follow by e-mail: people follow a committee, the decisions or the calls, and get an e-mail
per publication (or a weekly digest). Addresses are private: only the admin's list shows them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its pages, the "Suivre" box of every
    template, ``flask follows``, the fan-out before ``flask send-mail`` delivers, and what
    it holds about people."""
    from committees.follows import dispatch, personal_data, public_views
    from committees.follows.cli import follows_cli
    from committees.mail.cli import register_before_sending

    for blueprint in (public_views.bp,):
        app.register_blueprint(blueprint)
    public_views.register(app)
    app.cli.add_command(follows_cli)
    register_before_sending("follows", dispatch.before_sending)
    personal_data.register()
