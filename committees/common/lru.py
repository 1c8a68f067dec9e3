"""A least-recently-used map bounded in bytes, for what a worker keeps in memory."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

from flask import current_app

V = TypeVar("V")


class SizedLRU(Generic[V]):
    """Values by key, the least recently used forgotten beyond the budget that the
    setting named ``setting`` gives in bytes (0: keep nothing); ``size`` tells a value's."""

    def __init__(self, setting: str, size: Callable[[V], int]):
        self.setting = setting
        self._size_of = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._size = 0
        self._lock = Lock()

    def budget(self) -> int:
        """The bytes this cache may hold (0: off)."""
        return current_app.config[self.setting]

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> V | None:
        """The value kept under ``key``, if any."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep ``value`` under ``key``, forgetting the least recently used beyond the budget."""
        budget, size = self.budget(), self._size_of(value)
        if size > budget:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = value
            self._size += size
            while self._size > budget:
                _, dropped = self._entries.popitem(last=False)
                self._size -= self._size_of(dropped)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()
            self._size = 0
