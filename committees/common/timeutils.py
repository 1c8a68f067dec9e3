"""Time helpers: the database stores UTC, people read Europe/Paris."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def utcnow() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_paris(value: datetime) -> datetime:
    """Convert an aware datetime to Europe/Paris (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(PARIS)


def paris_today():
    """Today's date in Europe/Paris, the date that mandates and declarations are read against."""
    return utcnow().astimezone(PARIS).date()
