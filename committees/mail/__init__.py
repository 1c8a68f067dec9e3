"""Outgoing e-mail: an outbox table written in the caller's transaction, and its delivery."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: the ``flask send-mail`` command and the
    ``mail_kind`` filter (an outbox message's kind as the secretariat reads it)."""
    from committees.mail.cli import send_mail
    from committees.mail.labels import kind_label

    app.cli.add_command(send_mail)
    app.add_template_filter(kind_label, "mail_kind")
