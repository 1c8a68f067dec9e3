"""``flask search reindex``: rebuild the index after a migration or a bulk change."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from committees.extensions import db
from committees.search.services import reindex_all

search_cli = AppGroup("search", help="The full-text search index of the public site.")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the whole search index from the data (after a migration or a bulk change)."""
    count = reindex_all()
    db.session.commit()
    click.echo(f"Search index rebuilt: {count} documents.")
