"""Reminders by e-mail, sent by the daily ``flask reminders run``: declarations of interests
nearing their twelve months, unanswered convocations, sessions in two days, the end of the
comment period on draft minutes, mandates and temporary committees ending (secretariat).
Also each person's « Mes rappels » page (opt-outs) and the dashboard's to-do list."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain: the ``flask reminders`` commands, the « Mes rappels » page,
    the to-do panel of the dashboard and the opt-outs as personal data."""
    from committees.reminders import cli, member_views, personal_data, todo

    app.cli.add_command(cli.reminders_cli)
    app.register_blueprint(member_views.bp)
    todo.register()
    personal_data.register()
