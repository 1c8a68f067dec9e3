"""The search page, /search, and ``flask search reindex``."""

from __future__ import annotations

import click
from flask import Blueprint, render_template, request
from flask_babel import get_locale

from committees.common.params import page_arg
from committees.extensions import db
from committees.search import index  # noqa: F401 - keeps the index in step with the data
from committees.search.documents import KIND_LABELS, KINDS
from committees.search.forms import SearchForm
from committees.search.services import SearchError, SearchResults, reindex_all, search

bp = Blueprint("search", __name__, url_prefix="/search", cli_group="search")


@bp.get("")
def index_page():
    """Results for ``q`` (and ``kind``), page ``page``; a query too long is refused beside
    the field with status 400."""
    form = SearchForm(request.args)
    locale = str(get_locale() or "fr")
    kind = form.kind.data or None
    page = page_arg()
    results = SearchResults(query="", kind=None, page=1, per_page=1)
    status = 200
    if form.q.data and form.validate():
        try:
            results = search(form.q.data, locale, page, kind)
        except SearchError as error:
            form.q.errors = [str(error)]
    if form.q.errors:
        status = 400
    filters = {"q": results.query, **({"kind": results.kind} if results.kind else {})}
    return render_template(
        "search/index.html",
        form=form,
        results=results,
        kinds=KINDS,
        kind_labels=KIND_LABELS,
        filters=filters,
    ), status


@bp.cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the whole search index from the data (after a migration or a bulk change)."""
    count = reindex_all()
    db.session.commit()
    click.echo(f"Search index rebuilt: {count} documents.")
