"""``flask send-mail``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("send-mail")
@with_appcontext
def send_mail() -> None:
    """Deliver the pending messages of the outbox."""
    raise click.ClickException("not implemented yet")
