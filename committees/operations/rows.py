"""Rows as JSON lines: values made JSON-safe on the way out, typed again on the way in.

Types are read from the table's columns, not guessed from the text, so that a string
that looks like a date stays a string and a row restores on another engine.
"""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.types import TypeDecorator


class RowError(ValueError):
    """A line of a dump does not fit its table."""


def _encode(value: Any) -> Any:
    # datetime before date: a datetime is a date too.
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def encode_row(table: Table, row: Mapping[str, Any]) -> str:
    """One JSON line (no newline) for a row read from ``table``; keys are column names."""
    data = {column.name: _encode(row[column.key]) for column in table.columns}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False)


def _python_type(column: Column) -> type | None:
    kind = column.type
    # A TypeDecorator (UTCDateTime) may not say its type: its implementation does.
    while True:
        try:
            python_type = kind.python_type
        except NotImplementedError:
            python_type = None
        if python_type not in (None, object) or not isinstance(kind, TypeDecorator):
            return python_type
        kind = kind.impl_instance


_DECODERS: dict[type, Callable[[Any], Any]] = {
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
    time: time.fromisoformat,
    Decimal: Decimal,
    bytes: base64.b64decode,
    timedelta: lambda seconds: timedelta(seconds=seconds),
}


def _decode(column: Column, value: Any) -> Any:
    if value is None:
        return None
    kind = _python_type(column)
    if kind is None or kind in (dict, list):  # JSON documents come back as they went
        return value
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind[value]
    decoder = _DECODERS.get(kind)
    if decoder is None:
        return value
    if not isinstance(value, str | int | float):
        raise TypeError(f"unexpected {type(value).__name__}")
    return decoder(value)


def decode_row(table: Table, line: str) -> dict[str, Any]:
    """The values of one JSON line, typed for ``table``, keyed by column key for an insert."""
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise RowError(f"table {table.name}: a line is not JSON ({exc})") from None
    if not isinstance(data, dict) or set(data) != {c.name for c in table.columns}:
        raise RowError(f"table {table.name}: a line does not have the table's columns")
    row = {}
    for column in table.columns:
        try:
            row[column.key] = _decode(column, data[column.name])
        except (KeyError, TypeError, ValueError) as exc:
            raise RowError(f"table {table.name}, column {column.name}: bad value ({exc})") from None
    return row
