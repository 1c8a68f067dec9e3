"""What kept pages and kept parts are drawn from, now: the code and settings that draw
them, the publication revision, and the next instant at which they change by themselves.
"""

from __future__ import annotations

from datetime import datetime

from committees.common.timeutils import utcnow
from committees.publication import boundaries, build

#: (revision, next boundary) as last computed by this process: a tuple, replaced whole
_boundary: tuple[tuple, datetime] | None = None


def revision_stamp(rev: tuple) -> tuple[str, str, str, str]:
    """The stamp of revision ``rev`` (as the driver read it) at this instant: the build,
    the revision, and the next watched instant (one query per revision and process)."""
    return (build.fingerprint(), str(rev[0]), str(rev[1]), _next_boundary(rev).isoformat())


def _next_boundary(rev: tuple) -> datetime:
    global _boundary
    now = utcnow()
    known = _boundary
    if known is None or known[0] != rev or now >= known[1]:
        known = _boundary = (rev, boundaries.next_after(now))
    return known[1]


def forget() -> None:
    """Forget the boundary this process computed (tests empty the tables behind its back)."""
    global _boundary
    _boundary = None
