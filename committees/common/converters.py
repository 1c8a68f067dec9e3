"""URL converters that refuse, before any query, what cannot name a row.

A database id is a positive integer that fits the column (INTEGER: 4 bytes, signed). Anything
else in its place, a huge number, a sign, leading zeros, letters, answers 404 through the
ordinary routing, so no view sees it and no database is asked (PostgreSQL would raise on an
out-of-range integer parameter, SQLite would silently compare).
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import BaseConverter, IntegerConverter, Map, ValidationError

#: The largest value of a 4-byte signed integer column: ids are INTEGER on every engine.
MAX_ROW_ID = 2**31 - 1


class RowIdConverter(IntegerConverter):
    """``<id:name>``: an integer id in 1..2**31-1, written without leading zeros."""

    regex = r"[1-9]\d{0,9}"

    def __init__(self, url_map: Map, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, **kwargs)


class SlugConverter(BaseConverter):
    """``<slug:name>``: a committee's slug, lower-case words joined by hyphens, 120 at most."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        if len(value) > 120:
            raise ValidationError
        return value


class YearConverter(IntegerConverter):
    """``<year:name>``: a calendar year written with four digits, 1900 to 2999."""

    regex = r"(?:19|2\d)\d{2}"

    def __init__(self, url_map: Map, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1900)
        kwargs.setdefault("max", 2999)
        super().__init__(url_map, **kwargs)


def register(app) -> None:
    """Make the converters available to every blueprint's rules."""
    app.url_map.converters["id"] = RowIdConverter
    app.url_map.converters["slug"] = SlugConverter
    app.url_map.converters["year"] = YearConverter
