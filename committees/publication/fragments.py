"""Parts of signed-in pages and downloads drawn from what the publication revision
watches: the secretariat's lists and counts across every committee, a member's next
sessions on the dashboard, the rows of a call's contributions export.

Such a part is drawn once per worker, then kept while the publication revision, the
next instant at which public pages change by themselves, the language and the address
prefix stay the same: exact at every instant, like the kept pages. The revision is read
in the request's own transaction, so that a part is kept under the revision of the
rows it was drawn from; it moves with any change to a table outside
``revision.PRIVATE``, so a part must read none of those (a calendar token, the outbox).
A part is kept for everyone who may see it (it shows nothing of its viewer) or for one
person (its ``owner``, part of the key: nobody else is ever shown it). A drawn form's CSRF
token, which belongs to one session, is taken out of the kept text and each viewer's own
put back in (``kept_fragment``). It stays in the worker's memory (never in the
shared store), and only the route that checked its reader's permission shows it. Only
the part is kept, never the response around it, which is built for its viewer on every
request. ``PUBLIC_CACHE_BYTES=0`` draws every time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

from flask import current_app, g, has_request_context, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from committees.common import holes
from committees.common.lru import SizedLRU
from committees.publication import revision
from committees.publication.stamp import revision_stamp

#: (what, owner, what else, language, address prefix, revision stamp) -> the part, within
#: PUBLIC_CACHE_BYTES, the least recently shown forgotten first (those of an older
#: revision among them)
_kept: SizedLRU[Any] = SizedLRU("PUBLIC_CACHE_BYTES", lambda part: _size(part) + 256)

V = TypeVar("V")


def kept_part(
    what: Hashable,
    draw: Callable[[], V],
    owner: int | None = None,
    extra: Hashable = None,
) -> V:
    """``draw()``, drawn again only when the public data, the clock's next boundary, the
    language, the prefix or ``extra`` (what else the part reads, from a private row)
    moved; for ``owner`` (an account id) alone when given. ``what`` names the part (a
    template, a call's export batch); the value is text or bytes, or a tuple of them."""
    if not has_request_context() or not current_app.config["PUBLIC_CACHE_BYTES"]:
        return draw()
    stamp = g.get("publication_stamp")
    if stamp is None:
        stamp = g.publication_stamp = revision_stamp(revision.seen_by_session())
    key = (what, owner, extra, str(get_locale()), request.script_root, stamp)
    part = _kept.get(key)
    if part is None:
        part = draw()
        _kept.put(key, part)
    return part


def kept_fragment(
    template: str,
    data: Callable[[], Mapping[str, Any]],
    owner: int | None = None,
    extra: Hashable = None,
) -> Markup:
    """``template`` drawn with ``data()`` as ``data``, kept as ``kept_part`` keeps it. The
    CSRF token of a form it holds is taken out of the kept text, and each viewer's own
    put back (``common.holes``): a token belongs to one session."""
    kept = kept_part(template, lambda: _drawn(template, data), owner, extra)
    return holes.filled(kept, lambda _name: generate_csrf())


def _drawn(template: str, data: Callable[[], Mapping[str, Any]]) -> tuple[str, ...]:
    html = render_template(template, data=data())
    # The token the part drew, if it drew a form (Flask-WTF keeps it in ``g``).
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return holes.pieces(holes.punched(html, {"csrf": token}) if token else html)


def _size(part: Any) -> int:
    if isinstance(part, tuple | list):
        return sum(_size(item) for item in part)
    return len(part) if isinstance(part, str | bytes) else 64


def forget() -> None:
    """Forget every kept part (tests, whose teardown empties the tables behind the ORM)."""
    _kept.clear()
