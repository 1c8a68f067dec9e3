"""``flask`` commands: create-user, seed-demo, send-mail, follows, retention, backup."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from committees.auth.cli import create_user
    from committees.demo import seed_demo
    from committees.follows.cli import follows_cli
    from committees.mail.cli import send_mail
    from committees.operations.cli import backup_cli
    from committees.privacy.cli import retention_cli

    for command in (create_user, seed_demo, send_mail, follows_cli, retention_cli, backup_cli):
        app.cli.add_command(command)
