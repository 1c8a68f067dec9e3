"""Query parameters of the API, checked strictly: a bad value is a 400, never a guess."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from flask import request

from committees.api.problems import bad_request

_DIGITS = re.compile(r"[0-9]{1,9}")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# PostgreSQL refuses NUL in text, and no title or number holds a control character.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: what a committee's slug looks like (anything else cannot name one)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: the days a date parameter may name (far enough from the calendar's ends to convert safely)
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)

#: the largest id a path may name: PostgreSQL's integer (bigger ones cannot exist)
MAX_ID = 2**31 - 1


def _raw(name: str) -> str | None:
    value = request.args.get(name)
    return None if value is None else value.strip()


def _given(name: str) -> str | None:
    """``?name=`` stripped, None when absent; 400 when present but empty (the document
    gives every filter a pattern, a format or a list of values that "" does not match)."""
    value = _raw(name)
    if value == "":
        raise bad_request(f"'{name}' is empty: leave it out, or give it a value.")
    return value


def integer(name: str, *, default: int | None, minimum: int, maximum: int) -> int | None:
    """``?name=`` as an integer between ``minimum`` and ``maximum`` (``default`` when absent)."""
    value = _raw(name)
    if value is None:
        return default
    # An empty value is not an integer: the document types it so, and clients get told.
    if not _DIGITS.fullmatch(value) or not minimum <= int(value) <= maximum:
        raise bad_request(f"'{name}' must be an integer from {minimum} to {maximum}.")
    return int(value)


def iso_date(name: str) -> date | None:
    """``?name=`` as a day written YYYY-MM-DD between 1900 and 2999, or None when absent."""
    value = _given(name)
    if value is None:
        return None
    try:
        if _ISO_DAY.fullmatch(value) and FIRST_DAY <= date.fromisoformat(value) <= LAST_DAY:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise bad_request(
        f"'{name}' must be a date written YYYY-MM-DD between {FIRST_DAY} and {LAST_DAY}, "
        "such as 2022-05-04."
    )


def choice(name: str, allowed: Iterable[str]) -> str | None:
    """``?name=`` as one of ``allowed``, or None when absent."""
    value = _given(name)
    if value is None:
        return None
    options = list(allowed)
    if value not in options:
        raise bad_request(f"'{name}' must be one of: {', '.join(options)}.")
    return value


def text(name: str, *, max_length: int) -> str:
    """``?name=`` as free text of at most ``max_length`` characters ("" when absent)."""
    value = _raw(name) or ""
    if len(value) > max_length or _CONTROL.search(value):
        raise bad_request(
            f"'{name}' must be at most {max_length} characters long, without control characters."
        )
    return value


def slug(name: str) -> str | None:
    """``?name=`` as a committee's slug (lower-case letters, digits and dashes), or None."""
    value = _given(name)
    if value is None:
        return None
    if len(value) > 120 or not SLUG.fullmatch(value):
        raise bad_request(f"'{name}' must be a committee's slug, such as 'cst-culture'.")
    return value
