"""``flask create-user``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from committees.auth.models import Role
from committees.auth.services import AccountError
from committees.auth.services import create_user as create_account
from committees.extensions import db


@click.command("create-user")
@click.option("--email", required=True, help="Sign-in address.")
@click.option("--name", "full_name", required=True, help="Full name shown in the interface.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of prompting.",
)
@with_appcontext
def create_user(email: str, full_name: str, role: str, password_stdin: bool) -> None:
    """Create a confirmed, enabled account."""
    from flask import current_app

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise click.ClickException(f"The password must have at least {minimum} characters.")
    try:
        user = create_account(email, full_name, password, Role(role))
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email} (id {user.id}).")
