"""An agenda document served through one of its three doors (secretariat, member, public):
the one rule of ``services.can_see_document`` decides, each door's view only names itself."""

from __future__ import annotations

from flask import Response, abort, send_file
from flask_login import current_user

from committees.common import filestore
from committees.common.views import get_or_404
from committees.meetings.agenda.services import Audience, can_see_document
from committees.meetings.models import AgendaDocument


def document_or_404(meeting_id: int, document_id: int) -> AgendaDocument:
    """The document, if it belongs to an item of that session; else a 404 page."""
    document = get_or_404(AgendaDocument, document_id)
    if document.item.meeting_id != meeting_id:
        abort(404)
    return document


def send_document(meeting_id: int, document_id: int, audience: Audience) -> Response:
    """The file, if the one visibility rule lets this person see it through this door."""
    document = document_or_404(meeting_id, document_id)
    if not can_see_document(document, current_user, audience):
        abort(404)  # not 403: whether a members-only document exists is not public either
    if not filestore.exists(document.sha256):
        abort(404)
    response = send_file(
        filestore.path_for(document.sha256),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.filename,
        etag=document.sha256,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if audience != Audience.PUBLIC:
        response.headers["Cache-Control"] = "private, no-cache"
    return response
