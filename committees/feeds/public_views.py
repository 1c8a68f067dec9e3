"""/feeds/publications.atom."""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from flask_babel import gettext as _

from committees.common.urls import public_base, public_host, public_url
from committees.feeds.atom import build_feed, latest_publications
from committees.publication import public_page

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


@bp.get("/publications.atom")
@public_page
def publications():
    """The latest publications as Atom, for feed readers."""
    authority = current_app.config.get("FEED_TAG_AUTHORITY") or public_host()
    body = build_feed(
        latest_publications(),
        title=_(
            "%(agency)s – publications des comités", agency=current_app.config["AGENCY_SHORT_NAME"]
        ),
        base_url=public_base(),
        self_url=public_url("feeds.publications"),
        authority=authority,
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")
