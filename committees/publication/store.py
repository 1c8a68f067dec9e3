"""Where kept pages live: this worker's memory, and Redis when ``REDIS_URL`` is set.

A page is kept under a key naming everything that decides its bytes (see ``http``), so a
kept page is never wrong for its key: the memory of one worker and the copy in Redis can
only differ in what they still hold. Redis is a help, never a requirement: when it does
not answer, each worker goes on with its own memory (and tries Redis again a few seconds
later) rather than making visitors wait.

In Redis an entry is one string, a JSON line of its headers then the body, never a
pickle: whoever can write to that Redis must not be able to run code in the workers.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

import redis
from flask import current_app

from committees.common.lru import SizedLRU

log = logging.getLogger(__name__)

#: how long Redis keeps an entry nobody asked for (a new revision makes it useless anyway)
SHARED_SECONDS = 3600
#: how long a worker leaves an unreachable Redis alone
RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class Entry:
    """One kept answer: its body, the headers it was sent with, and, when its text moves
    with the clock, until when it holds (seconds since the epoch)."""

    body: bytes
    headers: tuple[tuple[str, str], ...]
    expires: float | None = None

    def fresh(self, now: float) -> bool:
        """Whether the entry may still be served at ``now``."""
        return self.expires is None or now < self.expires

    def dump(self) -> bytes:
        """The entry as Redis keeps it."""
        head = json.dumps({"h": self.headers, "e": self.expires}, separators=(",", ":"))
        return head.encode() + b"\n" + self.body

    @classmethod
    def load(cls, raw: bytes) -> Entry:
        """The entry ``dump`` wrote."""
        head, _, body = raw.partition(b"\n")
        fields = json.loads(head)
        return cls(body, tuple((name, value) for name, value in fields["h"]), fields["e"])


local: SizedLRU[Entry] = SizedLRU(
    "PUBLIC_CACHE_BYTES", lambda entry: len(entry.body) + 64 * (len(entry.headers) + 1)
)


class _Shared:
    """This process's Redis client, and when Redis last failed."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.client: redis.Redis | None = None
        self.failed_at = 0.0

    def client_for(self, url: str) -> redis.Redis | None:
        if time.monotonic() - self.failed_at < RETRY_SECONDS:
            return None
        if self.client is None or self.url != url:
            self.url = url
            # Short timeouts: a slow Redis must not make a kept page slower than a built one.
            self.client = redis.Redis.from_url(
                url, socket_connect_timeout=0.25, socket_timeout=0.25
            )
        return self.client

    def failed(self, error: Exception) -> None:
        if time.monotonic() - self.failed_at >= RETRY_SECONDS:
            log.warning("Public pages: Redis unreachable (%s); each worker keeps its own", error)
        self.failed_at = time.monotonic()


_shared = _Shared()


def _redis() -> redis.Redis | None:
    url = current_app.config.get("REDIS_URL")
    return _shared.client_for(url) if url else None


def _redis_key(key: str) -> str:
    return f"{current_app.config['RATELIMIT_KEY_PREFIX']}:page:{key}"


def get(key: str) -> tuple[Entry | None, str]:
    """The fresh entry kept under ``key`` and where it was found ("local", "shared"), or
    (None, "miss")."""
    now = time.time()
    entry = local.get(key)
    if entry is not None and entry.fresh(now):
        return entry, "local"
    client = _redis()
    if client is None:
        return None, "miss"
    try:
        raw = client.get(_redis_key(key))
    except redis.RedisError as error:
        _shared.failed(error)
        return None, "miss"
    if raw is None:
        return None, "miss"
    entry = Entry.load(raw)
    if not entry.fresh(now):
        return None, "miss"
    local.put(key, entry)
    return entry, "shared"


def put(key: str, entry: Entry) -> None:
    """Keep ``entry`` under ``key`` here and, when Redis is configured, there."""
    local.put(key, entry)
    client = _redis()
    if client is None:
        return
    ttl = SHARED_SECONDS
    if entry.expires is not None:
        ttl = max(1, min(ttl, int(entry.expires - time.time()) + 1))
    try:
        client.set(_redis_key(key), entry.dump(), ex=ttl)
    except redis.RedisError as error:
        _shared.failed(error)


def clear_local() -> None:
    """Forget what this worker keeps (tests; Redis entries die with their revision)."""
    local.clear()
