"""``flask packs build``: build the queued session packs, then tell each member what
changed since the pack they were sent (one message each), once or in a loop (worker)."""

from __future__ import annotations

from time import sleep

import click
from flask.cli import AppGroup

from committees.extensions import db
from committees.meetings.pack.notices import send_change_notices
from committees.meetings.pack.services import process_queue

packs_cli = AppGroup("packs", help="Session packs (dossiers de séance).")


def run_once(limit: int | None = None) -> str:
    """Build the pending packs and queue the change messages; return the summary line."""
    built, failed = process_queue(limit)
    notices = send_change_notices()
    db.session.commit()
    return f"Packs built: {built}, failed: {failed}; change messages queued: {notices}."


@packs_cli.command("build")
@click.option("--limit", type=click.IntRange(min=1), help="Build at most N packs per run.")
@click.option("--loop", is_flag=True, help="Keep running, polling the queue (worker process).")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds between two polls with --loop.",
)
def build_command(limit: int | None, loop: bool, interval: float) -> None:
    """Build the queued session packs and queue the change messages."""
    if not loop:
        click.echo(run_once(limit))
        return
    click.echo(f"Building packs every {interval:g} s; press Ctrl+C to stop.")
    try:
        while True:
            line = run_once(limit)
            if not line.startswith("Packs built: 0, failed: 0; change messages queued: 0"):
                click.echo(line)
            db.session.remove()
            sleep(interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")
