"""The frame of every page (the links of its head, its header with the main menu, its
footer), drawn once per worker and filled in on every request.

Drawn with each page, the frame cost a signed-in page more than its own content did:
some fifty messages, links and permission checks, 1.5 to 2 ms a request. Its text depends
only on the language, the address prefix, who looks (a visitor, or an account's role:
which menu links show), which menu link is the current page, and the settings; so it is
drawn once for each of those and kept. What belongs to one request is drawn as a hole
and filled, escaped, on every request: the session's CSRF token, this page's address (the
language links and switch), the person's name. A kept frame holds nothing of a person or
of a page. ``PUBLIC_CACHE_BYTES=0`` draws it every time (a test that changes settings
between two requests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from committees.auth.models import Role
from committees.auth.permissions import ROLE_PERMISSIONS, Permission
from committees.common import holes
from committees.common.lru import SizedLRU
from committees.i18n.languages import supported
from committees.i18n.prefix import language_url
from committees.templating import current_path


@dataclass(frozen=True)
class MenuLink:
    """A link of the main menu."""

    path: str
    label: Any  # a lazy message
    #: current for the pages under it too (/committees for /committees/cannabis)
    section: bool = True
    #: shown to the accounts holding it (None: to everyone)
    permission: Permission | None = None
    #: shown only to visitors who have not signed in
    visitors_only: bool = False


MAIN_MENU = (
    MenuLink("/", _l("Accueil"), section=False),
    MenuLink("/committees", _l("Les comités")),
    MenuLink("/meetings", _l("Séances")),
    MenuLink("/decisions", _l("Décisions")),
    MenuLink("/calls", _l("Appels à contributions")),
    MenuLink("/dashboard", _l("Tableau de bord"), permission=Permission.SIGNED_IN),
    MenuLink("/my/meetings", _l("Mes séances"), permission=Permission.MEMBER_AREA),
    MenuLink(
        "/my/declarations", _l("Mes déclarations d'intérêts"), permission=Permission.MEMBER_AREA
    ),
    MenuLink("/my/contributions", _l("Mes contributions"), permission=Permission.CONTRIBUTE),
    MenuLink(
        "/secretariat/committees",
        _l("Gestion des comités"),
        permission=Permission.MANAGE_COMMITTEES,
    ),
    MenuLink(
        "/secretariat/meetings", _l("Gestion des séances"), permission=Permission.MANAGE_COMMITTEES
    ),
    MenuLink("/secretariat/persons", _l("Personnes"), permission=Permission.MANAGE_COMMITTEES),
    MenuLink(
        "/secretariat/decisions",
        _l("Gestion des décisions"),
        permission=Permission.MANAGE_COMMITTEES,
    ),
    MenuLink(
        "/secretariat/calls", _l("Gestion des appels"), permission=Permission.MANAGE_COMMITTEES
    ),
    MenuLink("/outbox", _l("Messages envoyés"), permission=Permission.VIEW_OUTBOX),
    MenuLink("/admin/users", _l("Comptes"), permission=Permission.MANAGE_USERS),
    MenuLink("/login", _l("Se connecter"), section=False, visitors_only=True),
    MenuLink("/register", _l("Créer un compte contributeur"), section=False, visitors_only=True),
)


def page_frame(part: str, *, signed_in: bool = False, minimal: bool = False) -> Markup:
    """The ``layout/<part>.html`` of the current page (a template global of ``base.html``),
    kept per worker and filled with this request's holes. ``signed_in``: the account's
    own header (its menu, the language form); ``minimal``: no account, no menu for
    visitors (the 500 page)."""
    role = Role(current_user.role) if signed_in else None
    menu = _menu(role, minimal)
    key = (part, str(get_locale()), request.script_root, role, minimal, _current(menu))
    frames = _frames(current_app)
    kept = frames.get(key)
    if kept is None:
        kept = _draw(part, signed_in=signed_in, minimal=minimal, menu=menu)
        frames.put(key, kept)
    return holes.filled(kept, _value_of)


def _menu(role: Role | None, minimal: bool) -> tuple[MenuLink, ...]:
    granted = ROLE_PERMISSIONS.get(role, frozenset()) if role is not None else frozenset()
    return tuple(
        link
        for link in MAIN_MENU
        if (link.permission in granted if link.permission else True)
        and (not link.visitors_only or (role is None and not minimal))
    )


def _current(menu: tuple[MenuLink, ...]) -> tuple[str, ...]:
    """The menu links the current page belongs to (aria-current)."""
    path = request.path
    return tuple(
        link.path
        for link in menu
        if path == link.path or (link.section and path.startswith(link.path + "/"))
    )


def _frames(app: Flask) -> SizedLRU[tuple[str, ...]]:
    # One per application: tests build several, with their own settings.
    return app.extensions.setdefault(
        "committees.layout",
        SizedLRU("PUBLIC_CACHE_BYTES", lambda pieces: sum(map(len, pieces)) + 256),
    )


def _draw(
    part: str, *, signed_in: bool, minimal: bool, menu: tuple[MenuLink, ...]
) -> tuple[str, ...]:
    """The part drawn with holes: text and hole names alternate."""
    current = set(_current(menu))
    html = render_template(
        f"layout/{part}.html",
        signed_in=signed_in,
        minimal=minimal,
        menu=[
            {"path": link.path, "label": link.label, "here": link.path in current} for link in menu
        ],
        csrf=holes.hole("csrf"),
        next_path=holes.hole("next"),
        person_name=holes.hole("name"),
        language_urls={code: holes.hole(f"lang:{code}") for code in supported()},
    )
    return holes.pieces(html)


#: what each hole holds for the current request
_HOLES: dict[str, Callable[[], Any]] = {
    "csrf": generate_csrf,
    "next": current_path,
    "name": lambda: current_user.full_name,
}


def _value_of(name: str) -> Any:
    if name.startswith("lang:"):
        return language_url(name.removeprefix("lang:"))
    return _HOLES[name]()


def forget(app: Flask) -> None:
    """Forget the frames ``app`` drew (tests, which change settings between requests)."""
    _frames(app).clear()


def register(app: Flask) -> None:
    """Give the templates ``page_frame``."""
    app.jinja_env.globals["page_frame"] = page_frame
