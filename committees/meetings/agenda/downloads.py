"""An agenda document served through one of its three doors (secretariat, member, public):
the one rule of ``services.can_see_document`` decides, each door's view only names itself."""

from __future__ import annotations

from flask import Response, abort, render_template
from flask_login import current_user

from committees.common import filestore
from committees.common.views import get_or_404
from committees.meetings.agenda.services import Audience, can_see_document
from committees.meetings.conduct.recusals import member_access
from committees.meetings.models import AgendaDocument


def document_or_404(meeting_id: int, document_id: int) -> AgendaDocument:
    """The document, if it belongs to an item of that session; else a 404 page."""
    document = get_or_404(AgendaDocument, document_id)
    if document.item.meeting_id != meeting_id:
        abort(404)
    return document


def send_document(
    meeting_id: int, document_id: int, audience: Audience
) -> Response | tuple[str, int]:
    """The file, if the one visibility rule lets this person see it through this door."""
    document = document_or_404(meeting_id, document_id)
    if not can_see_document(document, current_user, audience):
        if audience == Audience.MEMBER:
            refused = _refused_to_member(document)
            if refused is not None:
                return refused
        abort(404)  # not 403: whether a members-only document exists is not public either
    return filestore.send_stored(
        document.sha256,
        document.filename,
        document.content_type,
        private=audience != Audience.PUBLIC,
    )


def _refused_to_member(document: AgendaDocument) -> tuple[str, int] | None:
    """The 403 page of a member of the session barred from the item (recused or flagged),
    with the reason; None when the session is not theirs (then the door answers 404)."""
    access = member_access(document.item.meeting, current_user)
    barring = access.barrings.get(document.item_id) if access is not None else None
    if barring is None:
        return None
    page = render_template(
        "meetings/my/document_refused.html",
        status=403,
        meeting=document.item.meeting,
        item=document.item,
        barring=barring,
        person=access.mandate.person,
    )
    return page, 403
