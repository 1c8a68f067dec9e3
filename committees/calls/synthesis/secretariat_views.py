"""The secretariat's page of a closed call's synthesis (/secretariat/calls/<id>/synthesis);
the public reads it on the call's page and as a PDF (``calls.public_views``)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from committees.auth.permissions import Permission, require
from committees.calls.models import Call, CallSynthesis
from committees.calls.rules import CallError
from committees.calls.synthesis.forms import (
    SynthesisForm,
    chosen_excerpts,
    field_names,
    proposed_excerpt,
)
from committees.calls.synthesis.services import (
    call_hearings,
    compute_counts,
    ensure_closed,
    publish_synthesis,
    quotable_contributions,
    save_draft,
    skeleton,
    synthesis_of,
    unpublish_synthesis,
)
from committees.common.views import INVALID, form_status, get_or_404, one_or_404
from committees.extensions import db

bp = Blueprint("call_synthesis", __name__)

#: the call is not closed yet: the synthesis cannot exist in this state
CONFLICT = 409
MODIFIED_MEANWHILE = _l(
    "La synthèse a été enregistrée par quelqu'un d'autre entre-temps : rechargez la page."
)


def _rows(quotable, synthesis: CallSynthesis | None, submitted) -> list[dict]:
    """One row per quotable contribution: ticked or not, its passage, its position."""
    saved = {e.contribution_id: e for e in (synthesis.excerpts if synthesis else [])}
    rows = []
    for contribution in quotable:
        names = field_names(contribution)
        excerpt = saved.get(contribution.id)
        if submitted is not None:
            ticked = names["quote"] in submitted
            text = submitted.get(names["excerpt"], "")
            position = submitted.get(names["position"], "")
        else:
            ticked = excerpt is not None
            text = excerpt.excerpt if excerpt else proposed_excerpt(contribution)
            position = str(excerpt.position) if excerpt else ""
        rows.append(
            {"contribution": contribution, "names": names, "ticked": ticked, "text": text,
             "position": position}
        )  # fmt: skip
    return rows


def _page(call: Call, form: SynthesisForm, error: str | None = None, submitted=None):
    synthesis = synthesis_of(call)
    status = INVALID if error else form_status(form)
    return render_template(
        "calls/synthesis/edit.html",
        call=call,
        synthesis=synthesis,
        form=form,
        error=error,
        counts=compute_counts(call),
        hearings=call_hearings(call),
        rows=_rows(quotable_contributions(call), synthesis, submitted),
    ), status


def _not_closed(call: Call, error: CallError):
    return render_template("calls/synthesis/not_closed.html", call=call, error=str(error)), CONFLICT


def _save(call: Call, form: SynthesisForm) -> str | None:
    """Save (and publish, if asked) in one transaction; the refusal's message, or None."""
    try:
        synthesis = save_draft(call, form.body.data or "", chosen_excerpts(request.form))
        if form.publish.data:
            publish_synthesis(synthesis)
        db.session.commit()
    except CallError as error:
        db.session.rollback()
        return str(error)
    except IntegrityError:
        # Someone else created the synthesis at the same instant (call_id is unique).
        db.session.rollback()
        return str(MODIFIED_MEANWHILE)
    return None


@bp.route("/secretariat/calls/<id:call_id>/synthesis", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def edit(call_id: int):
    call = get_or_404(Call, call_id)
    try:
        ensure_closed(call)
    except CallError as error:
        return _not_closed(call, error)
    if request.method == "GET":
        synthesis = synthesis_of(call)
        form = SynthesisForm(data={"body": synthesis.body if synthesis else skeleton(call)})
        return _page(call, form)
    form = SynthesisForm()
    if not form.validate_on_submit():
        return _page(call, form, submitted=request.form)
    error = _save(call, form)
    if error is not None:
        return _page(call, form, error, submitted=request.form)
    if form.publish.data:
        message = _("La synthèse de l'appel %(ref)s est publiée.", ref=call.reference)
    else:
        message = _("La synthèse de l'appel %(ref)s est enregistrée.", ref=call.reference)
    flash(message, "success")
    return redirect(url_for("call_synthesis.edit", call_id=call.id))


@bp.post("/secretariat/calls/<id:call_id>/synthesis/unpublish")
@require(Permission.MANAGE_COMMITTEES)
def unpublish(call_id: int):
    call = get_or_404(Call, call_id)
    synthesis = one_or_404(synthesis_of(call))
    form = SynthesisForm()
    if not form.validate_on_submit():
        return _page(call, form)
    unpublish_synthesis(synthesis)
    db.session.commit()
    message = _("La synthèse de l'appel %(ref)s n'est plus publiée.", ref=call.reference)
    flash(message, "success")
    return redirect(url_for("call_synthesis.edit", call_id=call.id))
