"""Query-string values read at the edge, bounded before any query.

A page number that is not one (zero, negative, letters) reads as the first page, as the
listings always did; a number past any listing is brought back to ``MAX_PAGE``, whose page is
empty. Without the bound, a huge page became an OFFSET that the driver cannot convert (500).
"""

from __future__ import annotations

from flask import request

#: Far beyond the last page of any listing (20 rows a page: two million rows).
MAX_PAGE = 100_000


def page_arg(name: str = "page") -> int:
    """The page asked for in the query string, within 1..MAX_PAGE (1 when absent or not a page)."""
    raw = request.args.get(name, "")
    if not raw.isascii() or not raw.isdigit():
        return 1
    return max(1, min(int(raw), MAX_PAGE)) if len(raw) <= 6 else MAX_PAGE
