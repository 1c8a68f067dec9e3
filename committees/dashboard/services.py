"""The dashboard's panel registry.

A domain adds its panels with ``register_panel``, from its ``init_app``; the dashboard
view shows every registered panel whose permission the person holds, so a new domain
(committees, sessions, calls) never edits the view. Each panel's context function
must cost a bounded number of queries whatever the data size.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from markupsafe import Markup

from committees.auth.models import User
from committees.auth.permissions import Permission, has_permission
from committees.common.memo import memo_scope
from committees.common.timeutils import utcnow
from committees.dashboard.models import DashboardVisit
from committees.extensions import db
from committees.publication.fragments import kept_fragment

#: builds the variables a panel template reads, for the signed-in person
ContextFn = Callable[[User], Mapping[str, Any]]


class Kept(Enum):
    """Whether a panel, once drawn, is kept (``committees.publication.fragments``)."""

    NEVER = "never"
    #: the same for everyone who may see it
    FOR_EVERYONE = "everyone"
    #: the person's own, kept for them only
    FOR_THE_PERSON = "person"


@dataclass(frozen=True)
class Panel:
    """A block of the dashboard: who sees it, how it is drawn, what it shows."""

    permission: Permission
    template: str
    context_fn: ContextFn | None
    order: int
    #: who a drawn panel may be shown to again while public data hold (NEVER: drawn on
    #: every visit); see ``register_panel``
    kept: Kept = Kept.NEVER
    #: what else a kept panel's text depends on, read from a private row (the last visit)
    keyed_by: Callable[[User], Hashable] | None = None


@dataclass(frozen=True)
class RenderedPanel:
    """A panel with its data computed for one person, ready for ``{% include %}``, or
    already drawn (``html``) when it is kept."""

    template: str
    data: Mapping[str, Any]
    html: Markup | None = None


_panels: dict[str, Panel] = {}


def register_panel(
    permission: Permission,
    template: str,
    context_fn: ContextFn | None = None,
    *,
    order: int = 100,
    kept: Kept = Kept.NEVER,
    keyed_by: Callable[[User], Hashable] | None = None,
) -> Panel:
    """Show ``template`` on the dashboard of everyone holding ``permission``.

    ``context_fn(user)`` returns the variables the template reads as ``data``; lower
    ``order`` values come first. A ``kept`` panel is drawn once per worker, for
    everyone who may see it or for each person, and shown again while public data hold:
    it must read only rows public pages may show (no table of ``publication.revision``'s
    PRIVATE list: no outbox, no calendar token; the last visit only through ``keyed_by``),
    and see the clock only through watched instants (``committees.publication.watch``)
    and the day; kept FOR_EVERYONE, nothing of the person either. Its forms' CSRF tokens
    are each viewer's own (``kept_fragment`` takes the drawn one out). ``keyed_by(user)``
    names what else it reads (the last visit, say): the panel is drawn again when that
    changes. Registering the same template again replaces the previous panel, so
    building the application twice does not duplicate it.
    """
    panel = Panel(permission, template, context_fn, order, kept, keyed_by)
    _panels[template] = panel
    return panel


def registered_panels() -> list[Panel]:
    """Every registered panel, in display order."""
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.template))


def panels_for(user: User) -> list[RenderedPanel]:
    """The panels ``user`` may see, in display order, with their data computed.

    Panels only read: inside one ``memo_scope`` what several of them ask of the same
    person (their ``Person`` row, their declaration) is queried once."""
    with memo_scope():
        return [
            _rendered(panel, user)
            for panel in registered_panels()
            if has_permission(user, panel.permission)
        ]


def _rendered(panel: Panel, user: User) -> RenderedPanel:
    def data() -> dict[str, Any]:
        return dict(panel.context_fn(user)) if panel.context_fn else {}

    if panel.kept is Kept.NEVER:
        return RenderedPanel(panel.template, data())
    owner = user.id if panel.kept is Kept.FOR_THE_PERSON else None
    extra = panel.keyed_by(user) if panel.keyed_by else None
    return RenderedPanel(panel.template, {}, kept_fragment(panel.template, data, owner, extra))


def unregister_panel(template: str) -> None:
    """Remove the panel drawn by ``template`` (tests, or a domain switched off)."""
    _panels.pop(template, None)


# --- visits ---------------------------------------------------------------------------

#: a visit this soon after the last one continues it (a reload keeps « new » items new)
VISIT_GAP = timedelta(minutes=30)


def record_visit(user: User, *, now: datetime | None = None) -> DashboardVisit:
    """Note that ``user`` opens their dashboard (flushed, not committed): the previous
    visit becomes the one « new » things are counted from, unless the last one was less
    than ``VISIT_GAP`` ago (then nothing is written: its ``last_at`` is not ``now``)."""
    now = now or utcnow()
    visit = db.session.get(DashboardVisit, user.id)
    if visit is None:
        visit = DashboardVisit(user_id=user.id, previous_at=None, last_at=now)
        db.session.add(visit)
    elif now - visit.last_at >= VISIT_GAP:
        visit.previous_at = visit.last_at
        visit.last_at = now
    db.session.flush()
    return visit


def previous_visit(user: User) -> datetime | None:
    """When ``user`` last opened their dashboard before this visit (None: first visit)."""
    visit = db.session.get(DashboardVisit, user.id)
    return visit.previous_at if visit is not None else None
