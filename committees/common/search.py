"""Text search shared by the list screens."""

from __future__ import annotations

#: the escape character the patterns below use; pass it as ``column.ilike(p, escape=...)``
LIKE_ESCAPE = "\\"


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` literally anywhere (``%`` and ``_`` escaped).

    Use it with ``escape=LIKE_ESCAPE``, so that a search for "50%" finds "50%" only.
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
