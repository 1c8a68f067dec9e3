"""Full-text search of the public site: one service in front of SQLite FTS5 and PostgreSQL.

Search imports no domain: each domain registers its kinds of documents
(``committees.search.registry``) from its own ``init_app``.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: its page, ``flask search``, the
    listeners that keep the index in step with the data and build its engine-specific half."""
    from committees.search import index, public_views, schema
    from committees.search.cli import search_cli

    schema.register_listeners()
    index.register_listeners()
    for blueprint in (public_views.bp,):
        app.register_blueprint(blueprint)
    app.cli.add_command(search_cli)
