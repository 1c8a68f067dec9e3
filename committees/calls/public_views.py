"""Public pages of the calls: the list, a call's page (its published contributions and
synthesis), its template, the files of published contributions, the synthesis as a PDF."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, render_template
from flask_login import current_user

from committees.auth.permissions import Permission, has_permission
from committees.calls import rules
from committees.calls.labels import (
    AUDIENCE_LABELS,
    CALL_STATUS_LABELS,
    CONTRIBUTOR_KIND_LABELS,
    FILE_KIND_LABELS,
)
from committees.calls.models import Call
from committees.calls.submission.attachments import megabytes
from committees.calls.synthesis.pdf import render_synthesis_pdf
from committees.calls.synthesis.services import public_excerpts, published_synthesis
from committees.calls.visibility import (
    public_attachment,
    public_call,
    public_calls_query,
    publicly_visible_page,
)
from committees.common import filestore
from committees.common.filetypes import sniff
from committees.common.markdown import render_markdown
from committees.common.params import page_arg
from committees.common.pdf import pdf_response
from committees.common.timeutils import utcnow
from committees.common.views import one_or_404
from committees.extensions import db
from committees.publication import public_page, valid_until

bp = Blueprint("public_calls", __name__, url_prefix="/calls")

PER_PAGE = 20


def _timing(call: Call, now: datetime) -> dict:
    """What the pages say about the call's dates, decided by the rules, not the template."""
    left = rules.time_left(call, now)
    if left is not None:
        # The countdown moves with the clock: a kept page holds until it would change.
        valid_until(rules.time_left_changes_at(left, now))
    return {
        "is_open": left is not None,
        "is_upcoming": rules.is_upcoming(call, now),
        "time_left": rules.time_left_text(left) if left is not None else None,
    }


@bp.get("")
@public_page
def index():
    now = utcnow()
    pagination = db.paginate(
        public_calls_query(now), page=page_arg(), per_page=PER_PAGE, error_out=False
    )
    calls = [(call, _timing(call, now)) for call in pagination.items]
    return render_template(
        "calls/public/index.html",
        pagination=pagination,
        open_calls=[(c, t) for c, t in calls if not rules.is_past(c, now)],
        past_calls=[(c, t) for c, t in calls if rules.is_past(c, now)],
        audience_labels=AUDIENCE_LABELS,
    )


@bp.get("/<id:call_id>")
@public_page
def detail(call_id: int):
    call = one_or_404(public_call(call_id))
    now = utcnow()
    contributions = publicly_visible_page(call, page_arg(), PER_PAGE)
    synthesis = published_synthesis(call)
    return render_template(
        "calls/public/detail.html",
        call=call,
        body=render_markdown(call.body),
        themes=rules.call_themes(call),
        file_kinds=[FILE_KIND_LABELS[k] for k in rules.allowed_kinds(call)],
        size_mb=megabytes(call.max_attachment_bytes),
        can_contribute=has_permission(current_user, Permission.CONTRIBUTE),
        contributions=contributions,
        synthesis=synthesis,
        synthesis_body=render_markdown(synthesis.body) if synthesis else None,
        synthesis_excerpts=public_excerpts(synthesis) if synthesis else [],
        audience_labels=AUDIENCE_LABELS,
        status_labels=CALL_STATUS_LABELS,
        kind_labels=CONTRIBUTOR_KIND_LABELS,
        **_timing(call, now),
    )


@bp.get("/<id:call_id>/template")
def template(call_id: int):
    call = one_or_404(public_call(call_id))
    if not call.template_sha256 or not filestore.exists(call.template_sha256):
        abort(404)
    kind = sniff(filestore.read_bytes(call.template_sha256))
    return filestore.send_stored(
        call.template_sha256,
        call.template_filename or "modele",
        kind.content_type if kind else "application/octet-stream",
    )


@bp.get("/<id:call_id>/contributions/<id:contribution_id>/attachments/<id:attachment_id>")
def contribution_attachment(call_id: int, contribution_id: int, attachment_id: int):
    call = one_or_404(public_call(call_id))
    attachment = public_attachment(call, contribution_id, attachment_id)
    if attachment is None:
        abort(404)
    return filestore.send_stored(attachment.sha256, attachment.filename, attachment.content_type)


@bp.get("/<id:call_id>/synthesis.pdf")
def synthesis_pdf(call_id: int):
    call = public_call(call_id)
    synthesis = one_or_404(published_synthesis(call) if call is not None else None)
    return pdf_response(
        lambda: render_synthesis_pdf(synthesis),
        f"synthese-{call.reference.lower()}.pdf",
        lambda: render_template("calls/synthesis/pdf_unavailable.html", call=call),
    )
