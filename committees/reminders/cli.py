"""``flask reminders run``: the daily reminders (run it once a day; a second run sends nothing)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from committees.common.timeutils import paris_today
from committees.reminders.kinds import Kind
from committees.reminders.services import run_reminders

reminders_cli = AppGroup("reminders", help="Reminders by e-mail to members and the secretariat.")


@reminders_cli.command("run")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to run for (YYYY-MM-DD), Paris time; default: today.",
)
def run_command(today) -> None:
    """Queue the reminders due today that were not sent yet."""
    day: date = today.date() if today is not None else paris_today()
    queued = run_reminders(day)
    counts = " ".join(f"{kind.value}={queued.get(kind.value, 0)}" for kind in Kind)
    click.echo(f"reminders {day.isoformat()}: {counts}")
