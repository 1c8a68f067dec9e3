"""A memo for one read-only stretch of a request, such as drawing the dashboard's panels.

Several panels ask the same things of the signed-in person (their ``Person`` row, their
declaration's status). Inside ``memo_scope()`` a function wrapped in ``memoized`` computes
each answer once; outside a scope it computes every time, as before. A scope only covers
code that changes nothing those answers depend on, so nothing in it goes stale.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("memo", default=None)


@contextmanager
def memo_scope() -> Iterator[None]:
    """Remember what ``memoized`` computes until the block ends (nested: the outer memo)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``key`` inside a ``memo_scope``; every time outside one."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]
