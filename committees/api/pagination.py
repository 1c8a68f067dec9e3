"""Pages of a listing: ``page`` and ``per_page``, the OParl-style envelope and the Link header.

A list answers ``{"data": [...], "pagination": {...}, "links": {...}}`` as OParl 1.1 does,
and the same first/prev/next/last addresses in a Link header (RFC 8288).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Select, func, select

from committees.api import params
from committees.common.urls import public_url
from committees.extensions import db

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
#: no listing comes near this many pages; larger numbers are refused, not computed
MAX_PAGE = 1_000_000
#: the parameters the page links carry over (unknown ones are dropped)
KEPT_PARAMETERS = ("per_page", "committee", "from", "to", "status", "year", "q", "on")


@dataclass(frozen=True)
class Page:
    """One page of a listing: its rows and where it stands."""

    items: Sequence[Any]
    number: int
    per_page: int
    total: int

    @property
    def last(self) -> int:
        """The last page's number; an empty listing has one, empty, page."""
        return max(1, -(-self.total // self.per_page))


def requested() -> tuple[int, int]:
    """(page, per_page) from the query string; 400 when out of range."""
    # Both are at least 1 when given: ``or`` only replaces an absent value.
    page = params.integer("page", default=None, minimum=1, maximum=MAX_PAGE) or 1
    per_page = params.integer("per_page", default=None, minimum=1, maximum=MAX_PER_PAGE)
    return page, per_page or DEFAULT_PER_PAGE


def paginate(query: Select) -> Page:
    """The requested page of ``query`` (a count, then the rows only if the page has some)."""
    number, per_page = requested()
    total = db.session.execute(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    offset = (number - 1) * per_page
    items: Sequence[Any] = []
    if offset < total:
        items = db.session.execute(query.limit(per_page).offset(offset)).scalars().all()
    return Page(items, number, per_page, total)


def paginate_list(rows: Sequence[Any]) -> Page:
    """The requested page of rows already in memory (a committee's composition)."""
    number, per_page = requested()
    offset = (number - 1) * per_page
    return Page(rows[offset : offset + per_page], number, per_page, len(rows))


def _page_url(number: int) -> str:
    args = {key: request.args[key] for key in KEPT_PARAMETERS if key in request.args}
    return public_url(request.endpoint or "", **(request.view_args or {}), **args, page=number)


def links(page: Page) -> dict[str, str]:
    """first, prev, next and last addresses, with the request's other parameters kept."""
    result = {"first": _page_url(1)}
    if page.number > 1:
        result["prev"] = _page_url(min(page.number - 1, page.last))
    if page.number < page.last:
        result["next"] = _page_url(page.number + 1)
    result["last"] = _page_url(page.last)
    return result


def envelope(page: Page, serialize: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """The body of a listing: its data, where the page stands, and the links."""
    return {
        "data": [serialize(item) for item in page.items],
        "pagination": {
            "totalElements": page.total,
            "elementsPerPage": page.per_page,
            "currentPage": page.number,
            "totalPages": page.last,
        },
        "links": links(page),
    }


def link_header(body_links: dict[str, str]) -> str:
    """The Link header (RFC 8288) of the same addresses."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in body_links.items())
