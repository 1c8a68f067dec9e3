"""``flask pages forget``: after a change made outside the application."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from committees.extensions import db
from committees.publication import revision


@click.group(help="Public pages kept for anonymous visitors.")
def pages() -> None:
    """The ``pages`` command group."""


@pages.command("forget")
@with_appcontext
def forget() -> None:
    """Bump the publication revision, so that every worker builds its pages again.

    Only needed after a change made outside the application (raw SQL): every change made
    through it, a restore included, does this in its own transaction."""
    with db.engine.begin() as connection:
        revision.bump(connection)
    click.echo("Public pages will be built again on their next request, in every worker.")
