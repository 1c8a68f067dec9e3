"""In-process memory of the calendar feeds: built bytes, and validators by revision.

Each server process keeps its own:

- ``feeds``: whole feeds by strong ETag. A feed's bytes are a function of its
  fingerprint, so a feed already built under an ETag is served again as is
  (CALENDAR_CACHE_BYTES, 0 switches it off);
- ``events``: one VEVENT's bytes by what it depends on (the session, its committee, its
  items, the language, public or members' view), so that after a change only the
  sessions that changed are built again (CALENDAR_EVENT_CACHE_BYTES);
- ``frames``: the VCALENDAR header with its VTIMEZONE, and footer;
- ``validators``: a feed's resolved address and validators, under the calendar
  revision they were read at (committees.calendars.revision), so that a client
  revalidating costs one primary-key lookup instead of the fingerprint's joins. Any
  change to what a feed's validators read moves the revision, in the same transaction:
  the memo is never stale, in any process.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime
from threading import Lock
from typing import Any

from committees.common.lru import SizedLRU
from committees.common.timeutils import utcnow


class ByteCache(SizedLRU[bytes]):
    """A least-recently-used map of bytes, bounded in bytes by a setting."""

    def __init__(self, setting: str):
        super().__init__(setting, len)


feeds = ByteCache("CALENDAR_CACHE_BYTES")
events = ByteCache("CALENDAR_EVENT_CACHE_BYTES")
frames = ByteCache("CALENDAR_EVENT_CACHE_BYTES")


class RevisionMemo:
    """Values remembered under the calendar revision they were read at.

    An entry answers only while the revision read now is the one it was read at, and,
    when it says so, until a given instant (a session leaving the feeds' window is a
    change that no row records): exact at every instant, with no time-to-live.
    """

    #: beyond this many entries the memo starts afresh (a bound, not an expected size)
    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[Hashable, datetime | None, Any]] = {}
        self._lock = Lock()

    def get(self, key: Hashable, revision: Hashable) -> Any | None:
        """The value remembered under ``key`` at ``revision``, if it still holds now."""
        entry = self._entries.get(key)
        if entry is None or entry[0] != revision:
            return None
        if entry[1] is not None and utcnow() >= entry[1]:
            return None
        return entry[2]

    def put(
        self, key: Hashable, revision: Hashable, value: Any, until: datetime | None = None
    ) -> None:
        """Remember ``value``, read at ``revision``, until ``until`` at the latest."""
        with self._lock:
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (revision, until, value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


validators = RevisionMemo()


def get(etag: str) -> bytes | None:
    """The whole feed built under ``etag``, if still kept."""
    return feeds.get(etag)


def put(etag: str, body: bytes) -> None:
    """Keep the whole feed ``body`` built under ``etag``."""
    feeds.put(etag, body)


def clear() -> None:
    """Forget every feed, event, frame and validator (tests that count a real build)."""
    for cache in (feeds, events, frames, validators):
        cache.clear()
