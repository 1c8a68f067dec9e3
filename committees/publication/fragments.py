"""Parts of signed-in pages drawn only from rows public pages may show: the secretariat's
lists and counts across every committee, a member's next sessions on the dashboard.

Such a part is drawn once per worker, then kept while the publication revision, the
next instant at which public pages change by themselves, the language and the address
prefix stay the same: exact at every instant, like the kept pages. The revision is read
in the request's own transaction, so that a part is kept under the revision of the
rows it was drawn from. A part is kept for everyone who may see it (it shows nothing of
its viewer) or for one person (its ``owner``, part of the key: nobody else is ever
shown it); never with a form, whose CSRF token belongs to one session. Only the part is
kept, never the page around it, which is built for its viewer on every request.
``PUBLIC_CACHE_BYTES=0`` draws every time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from committees.common.lru import SizedLRU
from committees.publication import revision
from committees.publication.stamp import revision_stamp

#: (template, owner, what else, language, address prefix, revision stamp) -> the HTML,
#: within PUBLIC_CACHE_BYTES, the least recently shown forgotten first (those of an older
#: revision among them)
_kept: SizedLRU[Markup] = SizedLRU("PUBLIC_CACHE_BYTES", lambda html: len(html) + 256)


def kept_fragment(
    template: str,
    data: Callable[[], Mapping[str, Any]],
    owner: int | None = None,
    extra: Hashable = None,
) -> Markup:
    """``template`` drawn with ``data()`` as ``data``, drawn again only when the public
    data, the clock's next boundary, the language, the prefix or ``extra`` (what else the
    part reads, from a private row) moved; for ``owner`` (an account id) alone when
    given."""
    if not current_app.config["PUBLIC_CACHE_BYTES"]:
        return _draw(template, data)
    stamp = g.get("publication_stamp")
    if stamp is None:
        stamp = g.publication_stamp = revision_stamp(revision.seen_by_session())
    key = (template, owner, extra, str(get_locale()), request.script_root, stamp)
    html = _kept.get(key)
    if html is None:
        html = _draw(template, data)
        _kept.put(key, html)
    return html


def _draw(template: str, data: Callable[[], Mapping[str, Any]]) -> Markup:
    return Markup(render_template(template, data=data()))  # noqa: S704 - autoescaped output


def forget() -> None:
    """Forget every kept part (tests, whose teardown empties the tables behind the ORM)."""
    _kept.clear()
