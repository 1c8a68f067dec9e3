"""``flask follows``: fan events out (dispatch), weekly digests. The calls domain adds
``closing-soon`` (calls closing in 7 days) to the group from its ``init_app``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from committees.follows import dispatch

follows_cli = AppGroup("follows", help="E-mails to the followers of the publications.")


@follows_cli.command("dispatch")
@click.option("--batch-size", type=click.IntRange(min=1), default=dispatch.BATCH_SIZE)
def dispatch_command(batch_size: int) -> None:
    """Queue in the outbox the e-mails of the pending publication events."""
    click.echo(dispatch.dispatch_pending(batch_size=batch_size).summary())


@follows_cli.command("digest")
def digest_command() -> None:
    """Queue the weekly digests that are due (run it daily)."""
    click.echo(f"digests queued {dispatch.send_digests()}")
