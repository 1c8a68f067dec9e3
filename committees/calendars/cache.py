"""In-process memory of the calendar feeds: built bytes, and validators for a moment.

Each server process keeps its own:

- ``feeds``: whole feeds by strong ETag. A feed's bytes are a function of its
  fingerprint, so a feed already built under an ETag is served again as is
  (CALENDAR_CACHE_BYTES, 0 switches it off);
- ``events``: one VEVENT's bytes by what it depends on (the session, its committee, its
  items, the language, public or members' view), so that after a change only the
  sessions that changed are built again (CALENDAR_EVENT_CACHE_BYTES);
- ``frames``: the VCALENDAR header with its VTIMEZONE, and footer;
- the validator memo: a personal feed's resolved token and validators for
  CALENDAR_VALIDATOR_TTL seconds (default 2), so that calendar clients revalidating
  back to back cost no database round trip. Within that time a change, a disabled
  account or a regenerated token (in another process: the one that regenerates
  forgets its own entry at once) may go unnoticed; the feeds advertise max-age=300,
  so clients already accept five minutes of staleness.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock
from typing import Any

from flask import current_app

#: bytes kept per cache when its setting is not given (0 switches a cache off)
DEFAULT_CACHE_BYTES = 32 * 1024 * 1024
#: seconds a personal feed's validators are trusted without asking the database
DEFAULT_VALIDATOR_TTL = 2.0


class ByteCache:
    """A least-recently-used map of bytes, bounded in bytes by a setting."""

    def __init__(self, setting: str):
        self.setting = setting
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = Lock()

    def budget(self) -> int:
        """The bytes this cache may hold (0: off)."""
        return current_app.config.get(self.setting, DEFAULT_CACHE_BYTES)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> bytes | None:
        """The bytes kept under ``key``, if any."""
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        """Keep ``body`` under ``key``, forgetting the least recently used beyond the budget."""
        budget = self.budget()
        if len(body) > budget:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = body
            self._size += len(body)
            while self._size > budget:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()
            self._size = 0


feeds = ByteCache("CALENDAR_CACHE_BYTES")
events = ByteCache("CALENDAR_EVENT_CACHE_BYTES")
frames = ByteCache("CALENDAR_EVENT_CACHE_BYTES")


class ValidatorMemo:
    """Values remembered for CALENDAR_VALIDATOR_TTL seconds (0: never remembered)."""

    #: beyond this many entries the memo starts afresh (a bound, not an expected size)
    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = Lock()

    @staticmethod
    def ttl() -> float:
        return float(current_app.config.get("CALENDAR_VALIDATOR_TTL", DEFAULT_VALIDATOR_TTL))

    def get(self, key: Hashable) -> Any | None:
        """The value remembered under ``key`` if it is younger than the TTL (read now, so
        that lowering the setting ages every entry at once)."""
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry[0] >= self.ttl():
            return None
        return entry[1]

    def put(self, key: Hashable, value: Any) -> None:
        """Remember ``value`` from now on."""
        if self.ttl() <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (time.monotonic(), value)

    def forget(self, prefix: Hashable) -> None:
        """Forget every entry whose key starts with ``prefix`` (a token hash)."""
        with self._lock:
            for key in [k for k in self._entries if isinstance(k, tuple) and k[0] == prefix]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


validators = ValidatorMemo()


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
