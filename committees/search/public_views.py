"""The search page, /search."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale

from committees.common.params import page_arg
from committees.publication import public_page
from committees.search.forms import SearchForm
from committees.search.registry import kind_labels, kinds
from committees.search.services import SearchError, SearchResults, search

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("")
@public_page
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
        kinds=kinds(),
        kind_labels=kind_labels(),
        filters=filters,
    ), status
