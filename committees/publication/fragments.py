"""Parts of signed-in pages that are the same for everyone allowed to see them and move
only with what the public pages show: the secretariat's lists and counts across every
committee on the dashboard.

Such a part is drawn once per worker, then kept while the publication revision, the
next instant at which public pages change by themselves, the language and the address
prefix stay the same: exact at every instant, like the kept pages. The revision is read
in the request's own transaction, so that a part is kept under the revision of the
rows it was drawn from. Only the part is kept, never the page around it, which is built
for its viewer on every request; a part must show nothing of that viewer (no name, no
form: a CSRF token belongs to one session). ``PUBLIC_CACHE_BYTES=0`` draws every time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from committees.publication import revision
from committees.publication.http import revision_stamp

#: (name, language, address prefix) -> (revision stamp, the part's HTML)
_kept: dict[tuple[str, str, str], tuple[tuple, Markup]] = {}


def kept_fragment(template: str, data: Callable[[], Mapping[str, Any]]) -> Markup:
    """``template`` drawn with ``data()`` as ``data``, drawn again only when the public
    data, the clock's next boundary, the language or the prefix moved."""
    if not current_app.config["PUBLIC_CACHE_BYTES"]:
        return _draw(template, data)
    stamp = g.get("publication_stamp")
    if stamp is None:
        stamp = g.publication_stamp = revision_stamp(revision.seen_by_session())
    key = (template, str(get_locale()), request.script_root)
    known = _kept.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    html = _draw(template, data)
    _kept[key] = (stamp, html)
    return html


def _draw(template: str, data: Callable[[], Mapping[str, Any]]) -> Markup:
    return Markup(render_template(template, data=data()))  # noqa: S704 - autoescaped output


def forget() -> None:
    """Forget every kept part (tests, whose teardown empties the tables behind the ORM)."""
    _kept.clear()
