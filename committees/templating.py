"""What every template may use: permissions, tolerant URL building, Paris dates, Markdown.

``register(app)`` is called once by ``create_app``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel import Locale
from babel import dates as babel_dates
from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_wtf import FlaskForm
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from committees.auth.permissions import Permission, has_permission
from committees.common.form_html import form_field
from committees.common.formats import TEXTS_KEPT, day_text, nested_quotes, of
from committees.common.markdown import render_markdown
from committees.common.timeutils import PARIS, to_paris
from committees.common.urls import public_url
from committees.i18n.prefix import without_language

_NAMED_FORMATS = ("short", "medium", "long", "full")


def url_or_none(endpoint: str, **values: Any) -> str | None:
    """The URL of ``endpoint``, or None while that endpoint does not exist yet.

    Domains are built in parallel: a template can offer a link only once its
    target is registered, instead of failing the whole page with a BuildError.
    """
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def template_url_for(endpoint: str, **values: Any) -> str:
    """``url_for`` of the templates: static files without the language prefix.

    Under ``/en/…`` every link keeps the prefix (the page's language lives in the address,
    see ``committees.i18n.prefix``), but a stylesheet is the same in both languages: one
    address, one copy in browsers' caches.
    """
    url = url_for(endpoint, **values)
    if endpoint == "static" or endpoint.endswith(".static"):
        return without_language(url)
    return url


def current_path() -> str:
    """The path and query of the current page, for ``next`` fields (no dangling ``?``)."""
    return request.full_path.rstrip("?")


def site_path(path: str) -> str:
    """A path of the site written in a template (``site_path("/meetings")``), under the
    current language prefix (``/en/meetings``) like the links ``url_for`` builds."""
    return request.script_root + path


def _locale() -> Locale:
    return get_locale() or Locale.parse("fr")


def paris_datetime(value: datetime | None, format: str = "medium") -> str:
    """An instant shown in Europe/Paris in the page's language.

    Named formats (short, medium, long, full) size the date and keep the time to
    hours and minutes: "17 févr. 2022, 14:00" / "Feb 17, 2022, 2:00 PM". Any other
    ``format`` is a CLDR pattern. Naive values are taken as UTC.
    """
    if value is None:
        return ""
    return _instant_text(value, format, str(_locale()))


@lru_cache(maxsize=TEXTS_KEPT)
def _instant_text(value: datetime, format: str, locale: str) -> str:
    local = to_paris(value)
    if format not in _NAMED_FORMATS:
        return babel_dates.format_datetime(local, format, tzinfo=PARIS, locale=locale)
    day = day_text(local.date(), format, locale)
    time = babel_dates.format_time(local, "short", tzinfo=PARIS, locale=locale)
    pattern = babel_dates.get_datetime_format(format, locale=locale)
    return pattern.replace("'", "").replace("{0}", time).replace("{1}", day)


def paris_date(value: date | datetime | None, format: str = "long") -> str:
    """A calendar day in the page's language ("17 février 2022").

    A datetime is first converted to Europe/Paris, so that an instant late in the
    UTC evening shows the day people in France saw.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_paris(value).date()
    return day_text(value, format, str(_locale()))


def french(value: Any) -> Any:
    """Text that exists only in French, marked ``lang="fr"`` on a page in another language.

    RGAA 8.7: a screen reader then reads a committee's or a session's French title with a
    French voice on an English page. On French pages, and for empty values, nothing changes.
    """
    if value is None or value == "" or _locale().language == "fr":
        return value
    return Markup('<span lang="fr">%s</span>') % escape(value)


def of_name(name: str) -> str:
    """« d'Association X » / « de Phytopharma » / « of X », in the page's language."""
    return of(name, str(_locale()))


def committee_name(committee: Any) -> Any:
    """A committee's name in the page's language, its French name marked when it has no other."""
    if _locale().language == "en" and committee.name_en:
        return committee.name_en
    return french(committee.name_fr)


@dataclass(frozen=True)
class TitleState:
    """What the <title> adds to a page's own title: an error mark, the page number."""

    error: bool
    page: int | None = None
    pages: int | None = None


@pass_context
def title_state(context: Context) -> TitleState:
    """Makes every <title> unique (RGAA 8.6): "Erreur : " before the title of a form
    that failed (a form of the page with errors, or an ``error``/``*_error`` message),
    "page N sur M" after the title of a list paginated over more than one page (a
    pagination among the values, or ``page_position``: the (page, pages) of a list drawn
    apart, such as a kept part)."""
    values = context.get_all().items()
    error = any(
        (isinstance(value, FlaskForm) and bool(value.errors))
        or ((name == "error" or name.endswith("_error")) and bool(value))
        for name, value in values
    )
    for _name, value in values:
        if callable(getattr(value, "iter_pages", None)) and getattr(value, "pages", 0) > 1:
            return TitleState(error, value.page, value.pages)
    page, pages = context.get("page_position") or (None, 0)
    if pages > 1:
        return TitleState(error, page, pages)
    return TitleState(error)


def register(app: Flask) -> None:
    """Install the template globals and filters."""
    app.jinja_env.globals.update(
        url_for=template_url_for,
        site_path=site_path,
        url_or_none=url_or_none,
        current_path=current_path,
        title_state=title_state,
        public_url=public_url,
        render_form_field=form_field,
    )
    app.jinja_env.filters.update(
        paris_datetime=paris_datetime,
        paris_date=paris_date,
        fr=french,
        committee_name=committee_name,
        of=of_name,
        inner_quotes=nested_quotes,
        markdown=render_markdown,
    )

    @app.context_processor
    def inject_permissions() -> dict[str, Any]:
        # Functions, not results: nothing touches the database until a template asks.
        return {"has_permission": has_permission, "Permission": Permission}
