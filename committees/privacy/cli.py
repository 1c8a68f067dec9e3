"""``flask retention run``: dry run by default, ``--apply`` to change the data."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from committees.extensions import db
from committees.privacy.retention import format_report, run_retention

retention_cli = AppGroup("retention", help="Personal data kept no longer than the settings say.")


@retention_cli.command("run")
@click.option("--apply", "apply", is_flag=True, help="Change the data (default: report only).")
def run_command(apply: bool) -> None:
    """Report, per retention rule, how many rows are (or would be) affected."""
    report = run_retention(apply=apply)
    if apply:
        db.session.commit()
    else:
        db.session.rollback()
    click.echo(format_report(report, apply=apply))
