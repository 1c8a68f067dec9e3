"""Public downloads of agenda documents, under /meetings: public documents of public items
of a published agenda, in a public session of a published committee."""

from __future__ import annotations

from flask import Blueprint

from committees.meetings.agenda.downloads import send_document
from committees.meetings.agenda.services import Audience

bp = Blueprint("public_agenda", __name__)


@bp.get("/meetings/<id:meeting_id>/documents/<id:document_id>")
def public_document(meeting_id: int, document_id: int):
    return send_document(meeting_id, document_id, Audience.PUBLIC)
