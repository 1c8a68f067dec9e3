"""``flask procedures close-due``: close the written procedures whose deadline has passed
(run it daily or hourly; running it again closes nothing twice)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from committees.extensions import db
from committees.procedures.services import close_due

procedures_cli = AppGroup("procedures", help="Consultations écrites.")


@procedures_cli.command("close-due")
def close_due_command() -> None:
    """Close every open written procedure past its deadline and record its result."""
    closed = close_due()
    db.session.commit()
    click.echo(f"{closed} consultation(s) close(s).")
