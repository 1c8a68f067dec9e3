"""Public pages of the committees: the list by kind and each committee's page."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from committees.bodies.labels import (
    COMMITTEE_KIND_LABELS,
    COMMITTEE_STATUS_LABELS,
    COMMITTEE_STATUS_TONES,
)
from committees.bodies.public_pages import (
    committee_sections,
    public_composition,
    published_committee,
    published_committees_page,
)
from committees.common.markdown import render_markdown
from committees.common.params import page_arg
from committees.common.timeutils import paris_today
from committees.common.views import one_or_404
from committees.publication import public_page

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

bp = Blueprint("public_committees", __name__, url_prefix="/committees")


def _locale() -> str:
    locale = get_locale()
    return locale.language if locale else "fr"


@bp.get("")
@public_page
def index():
    pagination, groups = published_committees_page(page_arg())
    return render_template(
        "public/committees/index.html",
        pagination=pagination,
        groups=groups,
        today=paris_today(),
        locale=_locale(),
        kind_labels=COMMITTEE_KIND_LABELS,
        status_labels=COMMITTEE_STATUS_LABELS,
        status_tones=COMMITTEE_STATUS_TONES,
    )


@bp.get("/<slug:slug>")
@public_page
def detail(slug: str):
    committee = one_or_404(published_committee(slug))
    today = paris_today()
    # An ended committee shows its last composition rather than an empty one.
    latest = min(today, committee.end_date) if committee.end_date else today
    day, on_error = _requested_day(latest)
    locale = _locale()
    html = render_template(
        "public/committees/detail.html",
        committee=committee,
        name=committee.name(locale),
        mission=render_markdown(committee.mission(locale)),
        today=today,
        latest=latest,
        day=day,
        on_value=request.args.get("on", ""),
        on_error=on_error,
        seats=public_composition(committee, day),
        kind_labels=COMMITTEE_KIND_LABELS,
        status_labels=COMMITTEE_STATUS_LABELS,
        status_tones=COMMITTEE_STATUS_TONES,
        # sessions, decisions, reports...: what the other domains registered
        **committee_sections(committee),
    )
    return html, (400 if on_error else 200)


def _requested_day(today: date) -> tuple[date, str | None]:
    """The day of ``?on=YYYY-MM-DD`` (today when absent), or today and a message when invalid."""
    value = request.args.get("on", "").strip()
    if not value:
        return today, None
    try:
        if _ISO_DAY.fullmatch(value):
            return date.fromisoformat(value), None
    except ValueError:
        pass
    return today, _(
        "La date « %(value)s » n'est pas valide : utilisez le format AAAA-MM-JJ "
        "(par exemple 2022-02-17). La composition actuelle est affichée.",
        value=value,
    )
