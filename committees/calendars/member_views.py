"""A member's calendar under /my: one session as they see it, and their feed address."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.calendars.feeds import Feed, FeedKind, meeting_feed
from committees.calendars.forms import RegenerateForm
from committees.calendars.serving import builder, lang, remembered, serve
from committees.calendars.tokens import existing_token, regenerate
from committees.common.views import one_or_404
from committees.extensions import db
from committees.meetings.queries import member_meeting

bp = Blueprint("member_calendar", __name__)


@bp.get("/my/meetings/<id:meeting_id>.ics")
@require(Permission.MEMBER_AREA)
def member_meeting_file(meeting_id: int):
    """One session as a member sees it (remote link, every item, documents link); its
    validators remembered under the calendar revision, as a feed's."""
    one_or_404(member_meeting(current_user, meeting_id))
    feed = Feed(FeedKind.MEMBER_MEETING, lang(), meeting_id=meeting_id, user_id=current_user.id)
    key = ("member-meeting", meeting_id, feed.user_id, feed.lang)
    resolved = remembered(key, lambda: meeting_feed(feed))
    return serve(
        resolved.fingerprint,
        builder(resolved),
        filename=f"seance-{meeting_id}.ics",
        attachment=True,
        private=True,
    )


@bp.post("/my/calendar/regenerate")
@require(Permission.MEMBER_AREA)
def regenerate_link():
    """Create the member's personal address, or replace it: the old one stops working."""
    if RegenerateForm().validate_on_submit():
        renewed = existing_token(current_user) is not None
        regenerate(current_user)
        db.session.commit()
        if renewed:
            message = _(
                "Nouveau lien créé : l'ancienne adresse de votre agenda ne fonctionne plus."
            )
        else:
            message = _("Votre adresse d'abonnement est prête.")
        flash(message, "success")
    return redirect(url_for("dashboard.index"), code=303)
