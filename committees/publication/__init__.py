"""Publication: what anonymous visitors read, kept and served again while it holds.

``revision`` bumps one row with every change a public page may show (same transaction);
``boundaries`` knows the instants at which pages change by themselves; ``http`` serves
the pages of views marked ``@public_page`` from what ``store`` kept (per worker, and in
Redis when ``REDIS_URL`` is set), with strong ETags and 304s. Part of the application's
shell: domains mark their views and name their instants; nothing here knows a domain.
"""

from __future__ import annotations

from flask import Flask

from committees.publication.boundaries import watch
from committees.publication.http import public_page, valid_until

__all__ = ["init_app", "public_page", "valid_until", "watch"]


def init_app(app: Flask) -> None:
    """Register this domain: the flush listeners and its command. The middleware that
    serves kept pages, and the hook that keeps them, are installed by ``create_app``
    before any other middleware wraps the application (``http.register``)."""
    from committees.publication import cli, revision

    revision.register_listeners()
    app.cli.add_command(cli.pages)
