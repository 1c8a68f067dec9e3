"""/feeds/publications.atom."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _

from committees.feeds.atom import build_feed, latest_publications

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


@bp.get("/publications.atom")
def publications():
    """The latest publications as Atom, for feed readers."""
    authority = current_app.config.get("FEED_TAG_AUTHORITY") or request.host.split(":")[0]
    body = build_feed(
        latest_publications(),
        title=_(
            "%(agency)s – publications des comités", agency=current_app.config["AGENCY_SHORT_NAME"]
        ),
        base_url=request.host_url.rstrip("/"),
        self_url=request.base_url,
        authority=authority,
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")
