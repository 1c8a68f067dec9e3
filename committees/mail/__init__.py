"""Outgoing e-mail: an outbox table written in the caller's transaction, and its delivery."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: the ``flask send-mail`` command."""
    from committees.mail.cli import send_mail

    app.cli.add_command(send_mail)
