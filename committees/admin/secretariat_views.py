"""The secretariat's view of the outbox: what was sent, what waits, what failed."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from committees.auth.permissions import Permission, require
from committees.common.params import page_arg
from committees.common.views import INVALID, one_or_404
from committees.extensions import db
from committees.mail import services
from committees.mail.forms import RetryForm
from committees.mail.models import OutboxMessage, OutboxStatus

bp = Blueprint("mail", __name__, url_prefix="/outbox")

STATUS_LABELS = {
    OutboxStatus.PENDING: _l("En attente"),
    OutboxStatus.SENT: _l("Envoyé"),
    OutboxStatus.FAILED: _l("En échec"),
}


def _status_filter() -> OutboxStatus | None:
    # An unknown value shows everything rather than an error: it is only a filter.
    try:
        return OutboxStatus(request.args.get("status", ""))
    except ValueError:
        return None


@bp.get("/")
@require(Permission.VIEW_OUTBOX)
def index():
    status = _status_filter()
    pagination = services.outbox_page(status, page_arg())
    return render_template(
        "outbox/index.html",
        pagination=pagination,
        status=status,
        counts=services.outbox_counts(),
        backlog=services.outbox_backlog(),
        labels=STATUS_LABELS,
    )


def _render_detail(message: OutboxMessage, form: RetryForm, status: int = 200, error=None):
    page = render_template(
        "outbox/detail.html",
        message=message,
        body=services.masked_body(message),
        form=form,
        labels=STATUS_LABELS,
        error=error,
    )
    return page, status


@bp.get("/<id:message_id>")
@require(Permission.VIEW_OUTBOX)
def detail(message_id: int):
    return _render_detail(one_or_404(services.get_outbox_message(message_id)), RetryForm())


@bp.post("/<id:message_id>/retry")
@require(Permission.VIEW_OUTBOX)
def retry(message_id: int):
    message = one_or_404(services.get_outbox_message(message_id))
    form = RetryForm()
    if not form.validate_on_submit():
        return _render_detail(message, form, INVALID)
    try:
        services.retry_message(message)
    except services.OutboxError as error:
        db.session.rollback()
        return _render_detail(message, form, 409, error=str(error))
    db.session.commit()
    flash(_("Le message sera envoyé au prochain passage de l'envoi."), "success")
    return redirect(url_for(".detail", message_id=message.id), 303)
