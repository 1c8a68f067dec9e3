"""The secretariat's early closing of a call: /secretariat/calls/<id>/close."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from committees.auth.permissions import Permission, require
from committees.calls.closing.forms import CloseEarlyForm
from committees.calls.closing.services import close_early, contributions_to_tell
from committees.calls.models import Call
from committees.calls.rules import CallError, is_past
from committees.common.views import form_status, get_or_404, refuse
from committees.extensions import db

bp = Blueprint("calls_closing", __name__, url_prefix="/secretariat/calls")


@bp.route("/<id:call_id>/close", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def close(call_id: int):
    call = get_or_404(Call, call_id)
    form = CloseEarlyForm()
    if form.validate_on_submit():
        try:
            told = close_early(call, form.reason.data)
        except CallError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("L'appel %(reference)s est clos.", reference=call.reference), "success")
            flash(
                ngettext(
                    "%(num)d contributeur en est informé par courriel.",
                    "%(num)d contributeurs en sont informés par courriel.",
                    told,
                ),
                "info",
            )
            return redirect(url_for("calls_admin.detail", call_id=call.id))
    return render_template(
        "calls/closing/confirm.html",
        call=call,
        form=form,
        closable=call.status == "published" and not is_past(call),
        told=len(contributions_to_tell(call)),
    ), form_status(form)
