"""What the public and the secretariat decision lists share: the filters read from the
query string and the page of results."""

from __future__ import annotations

from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from committees.common.params import page_arg
from committees.extensions import db

#: decisions per page of a list
PER_PAGE = 20


def year_arg() -> int | None:
    """The ``?year=`` filter; a year outside 1900-2999 (or none) means every year."""
    year = request.args.get("year", type=int)
    return year if year and 1900 <= year <= 2999 else None


def search_arg() -> str:
    """The ``?q=`` search text, trimmed to 200 characters."""
    return (request.args.get("q") or "").strip()[:200]


def filter_args() -> dict[str, str]:
    """The filters to keep in the pagination links."""
    return {k: v for k, v in request.args.items() if k != "page" and v}


def paginate(query: Select) -> Pagination:
    """The requested page of ``query`` (anything but a positive page number: the first)."""
    return db.paginate(query, page=page_arg(), per_page=PER_PAGE, error_out=False)
