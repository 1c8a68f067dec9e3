"""A member's session pack (dossier de séance), under /my/meetings/<id>/pack: the PDF when
it is built (at once for a small session), else a page saying it is being prepared.

A session of another committee answers 404, as on the member's session pages.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.common import filestore
from committees.common.views import one_or_404
from committees.extensions import db
from committees.meetings.models import PackStatus
from committees.meetings.pack.services import ensure_pack
from committees.meetings.queries import member_meeting

bp = Blueprint("member_pack", __name__)


@bp.get("/my/meetings/<id:meeting_id>/pack")
@require(Permission.MEMBER_AREA)
def pack(meeting_id: int):
    entry = one_or_404(member_meeting(current_user, meeting_id))
    row = ensure_pack(entry.meeting, entry.mandate)
    db.session.commit()
    if row.status == PackStatus.READY and row.sha256 and filestore.exists(row.sha256):
        return filestore.send_stored(
            row.sha256,
            f"dossier-seance-{entry.meeting.number}.pdf",
            "application/pdf",
            private=True,
            inline=True,
        )
    status = 503 if row.status == PackStatus.FAILED else 202
    return render_template(
        "meetings/pack/pending.html", meeting=entry.meeting, failed=row.status == PackStatus.FAILED
    ), status
