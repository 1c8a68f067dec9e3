"""A member's downloads of agenda documents, under /my/meetings: every document of the
sessions of their committee on a day their mandate covers, closed items included."""

from __future__ import annotations

from flask import Blueprint

from committees.auth.permissions import Permission, require
from committees.meetings.agenda.downloads import send_document
from committees.meetings.agenda.services import Audience

bp = Blueprint("member_agenda", __name__)


@bp.get("/my/meetings/<id:meeting_id>/documents/<id:document_id>")
@require(Permission.MEMBER_AREA)
def member_document(meeting_id: int, document_id: int):
    return send_document(meeting_id, document_id, Audience.MEMBER)
