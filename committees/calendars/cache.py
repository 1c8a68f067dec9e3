"""A small in-process cache of built feeds, keyed by their strong ETag.

A feed's bytes are a function of its fingerprint (the ETag hashes everything they
depend on), so a feed already built under an ETag can be served again without loading
or building anything. Bounded in bytes; each server process keeps its own.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import current_app

#: bytes kept when CALENDAR_CACHE_BYTES is not set (0 switches the cache off)
DEFAULT_CACHE_BYTES = 32 * 1024 * 1024

_entries: OrderedDict[str, bytes] = OrderedDict()
_size = 0
_lock = Lock()


def get(etag: str) -> bytes | None:
    """The bytes built under ``etag``, if still kept."""
    with _lock:
        body = _entries.get(etag)
        if body is not None:
            _entries.move_to_end(etag)
        return body


def put(etag: str, body: bytes) -> None:
    """Keep ``body`` under ``etag``, forgetting the least recently used feeds beyond the budget."""
    global _size
    budget = current_app.config.get("CALENDAR_CACHE_BYTES", DEFAULT_CACHE_BYTES)
    if len(body) > budget:
        return
    with _lock:
        if etag in _entries:
            return
        _entries[etag] = body
        _size += len(body)
        while _size > budget:
            _, dropped = _entries.popitem(last=False)
            _size -= len(dropped)


def clear() -> None:
    """Forget every feed (tests that count the work of a build)."""
    global _size
    with _lock:
        _entries.clear()
        _size = 0
