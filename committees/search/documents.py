"""How rows of the index are rebuilt, from the kinds the domains registered
(``committees.search.registry``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from committees.search import registry
from committees.search.models import SearchDocument
from committees.search.registry import Key


def _load(session: Session, name: str, ids: set[int]) -> Sequence[Any]:
    # No ids: every object of the kind (a full rebuild).
    entry = registry.kind(name)
    query = select(entry.model).options(*entry.options())
    if ids:
        query = query.where(entry.model.id.in_(ids))
    return list(session.execute(query).scalars())


def expand(session: Session, keys: Iterable[Key]) -> dict[str, set[int]]:
    """The objects whose documents depend on the changed ``keys``: each kind adds the
    objects its ``carried_by`` finds (a committee's sessions, minutes, calls and reports
    follow it, as its publication decides theirs; minutes follow their session; a call's
    synthesis follows the call). A kind is registered after those that carry it, so one
    pass in registration order carries changes all the way down."""
    by_kind: dict[str, set[int]] = {name: set() for name in registry.kinds()}
    for name, object_id in keys:
        by_kind[name].add(object_id)
    for name in registry.kinds():
        for carrier, find in registry.kind(name).carried_by.items():
            if by_kind[carrier]:
                by_kind[name] |= set(find(session, by_kind[carrier]))
    return by_kind


def rebuild(session: Session, by_kind: dict[str, set[int]]) -> None:
    """Replace the documents of the given objects by what their current state allows."""
    connection = session.connection()
    table = SearchDocument.__table__
    for name, ids in by_kind.items():
        if not ids:
            continue
        connection.execute(delete(table).where(table.c.kind == name, table.c.object_id.in_(ids)))
        rows = registry.kind(name).rows(_load(session, name, ids))
        if rows:
            connection.execute(insert(table), rows)


def rebuild_all(session: Session) -> int:
    """Empty the index and build it again from every object; returns the number of rows."""
    connection = session.connection()
    connection.execute(delete(SearchDocument.__table__))
    count = 0
    for name in registry.kinds():
        rows = registry.kind(name).rows(_load(session, name, set()))
        if rows:
            connection.execute(insert(SearchDocument.__table__), rows)
        count += len(rows)
    return count
