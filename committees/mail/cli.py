"""``flask send-mail``: deliver the outbox, once (cron) or continuously (--loop, a worker).

Before each delivery the command runs the steps other domains registered
(``register_before_sending``): following fans its pending publication events out to the
outbox there, so that one cron line or one worker sends everything.
"""

from __future__ import annotations

from collections.abc import Callable
from time import sleep

import click
from flask import current_app
from flask.cli import with_appcontext

from committees.extensions import db
from committees.mail.delivery import DeliveryReport, deliver_pending
from committees.mail.transports import MailConfigurationError, transport_from_config

#: exit status when the mail server could not be reached, so that cron or systemd notices
EXIT_SERVER_UNREACHABLE = 75  # EX_TEMPFAIL: try again later

# What runs before each delivery, by name (see register_before_sending).
_before_sending: dict[str, Callable[[], str | None]] = {}


def register_before_sending(name: str, step: Callable[[], str | None]) -> None:
    """Run ``step`` before each delivery of ``flask send-mail`` (and each poll of
    ``--loop``): it queues messages in the outbox and returns a line to print, or None when
    it had nothing to do. Registering a name again replaces its step."""
    _before_sending[name] = step


@click.command("send-mail")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most N messages per run.")
@click.option("--retry-failed", is_flag=True, help="Put failed messages back in the queue first.")
@click.option("--loop", is_flag=True, help="Keep running, polling the outbox (worker process).")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds between two polls with --loop.",
)
@with_appcontext
def send_mail(limit: int | None, retry_failed: bool, loop: bool, interval: float) -> None:
    """Deliver the pending messages of the outbox."""
    try:
        transport = transport_from_config(current_app.config)
    except MailConfigurationError as error:
        raise click.ClickException(str(error)) from error
    if loop:
        _run_forever(transport, limit=limit, retry_failed=retry_failed, interval=interval)
        return
    _run_steps_before_sending()
    report = deliver_pending(transport, limit=limit, retry_failed=retry_failed)
    _echo(report)
    if report.server_unreachable:
        raise click.exceptions.Exit(EXIT_SERVER_UNREACHABLE)


def _run_forever(transport, *, limit: int | None, retry_failed: bool, interval: float) -> None:
    """Poll until interrupted; an unreachable server is reported and tried again next time."""
    click.echo(f"Sending mail every {interval:g} s; press Ctrl+C to stop.")
    try:
        while True:
            _run_steps_before_sending()
            report = deliver_pending(transport, limit=limit, retry_failed=retry_failed)
            # Failed messages come back once, at start-up, not at every poll.
            retry_failed = False
            if report.sent or report.failed or report.deferred or report.server_unreachable:
                _echo(report)
            # A fresh session per poll: nothing from the previous run lingers in memory.
            db.session.remove()
            sleep(interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")


def _run_steps_before_sending() -> None:
    for step in _before_sending.values():
        line = step()
        if line is not None:
            click.echo(line)


def _echo(report: DeliveryReport) -> None:
    click.echo(report.summary())
    if report.server_error:
        click.echo(f"Mail server unreachable, stopped early: {report.server_error}", err=True)
