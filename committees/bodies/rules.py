"""The rules about committees and their members, each in one place."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

#: How long a declaration of interests stays current.
DECLARATION_VALIDITY = relativedelta(months=12)


class BodiesError(ValueError):
    """A rule about committees or members was broken; the message is for the person."""


def declaration_valid_until(declared_on: date) -> date:
    """Last day on which a declaration made on ``declared_on`` still counts."""
    return declared_on + DECLARATION_VALIDITY


def is_declaration_current(declared_on: date | None, on: date) -> bool:
    """A member is cleared when their latest declaration is at most twelve months old.

    Declared on 8 June 2021, it counts up to and including 8 June 2022; on 9 June 2022
    the member is "not cleared" until they file a new one.
    """
    return declared_on is not None and declared_on <= on <= declaration_valid_until(declared_on)


def oldest_current_declaration(on: date) -> date:
    """The earliest day a declaration may have been made and still count on ``on``: a member
    is cleared on ``on`` exactly when they declared between this day and ``on``, which SQL
    can test on an index. (Adding twelve months never goes backwards, so the first day that
    counts is found from one year back; the end of February shifts it by a day or two.)"""
    first = on - DECLARATION_VALIDITY - timedelta(days=3)
    while declaration_valid_until(first) < on:
        first += timedelta(days=1)
    return first


def language_of(person) -> str | None:
    """The language a person is written to in: their account's, if linked; else None (the
    default, French)."""
    return person.user.locale if person.user is not None else None
