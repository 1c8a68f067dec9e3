"""The secretariat's follow-up actions of a session, under
/secretariat/meetings/<id>/actions (reached from the minutes page): record, close."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from committees.auth.permissions import Permission, require
from committees.common.views import form_status, get_or_404, refuse
from committees.extensions import db
from committees.meetings.actions.forms import CloseActionForm, FollowUpForm
from committees.meetings.actions.services import (
    ActionError,
    NewAction,
    actions_of,
    carried_to,
    close_action,
    committee_mandates,
    record_action,
)
from committees.meetings.models import FollowUpAction, Meeting

bp = Blueprint("follow_up", __name__)


def _form(meeting: Meeting, **kwargs) -> FollowUpForm:
    form = FollowUpForm(**kwargs)
    form.assignee_mandate_id.choices = [("", _("—"))] + [
        (m.id, m.person.display_name) for m in committee_mandates(meeting)
    ]
    form.item_id.choices = [("", _("Aucun"))] + [
        (item.id, _("Point %(number)s — %(title)s", number=item.position, title=item.title))
        for item in meeting.items
    ]
    return form


def _close_form(action_id: int, **kwargs) -> CloseActionForm:
    # One form per open action on the page: a prefix keeps their fields' ids apart.
    return CloseActionForm(prefix=f"close-{action_id}", **kwargs)


def _page(meeting: Meeting, form: FollowUpForm, failed: tuple[int, CloseActionForm] | None = None):
    actions = actions_of(meeting)
    close_forms = {a.id: _close_form(a.id, formdata=None) for a in actions if a.is_open}
    if failed is not None:
        close_forms[failed[0]] = failed[1]
    return render_template(
        "meetings/actions/manage.html",
        meeting=meeting,
        form=form,
        actions=actions,
        carried=carried_to(meeting),
        close_forms=close_forms,
    ), form_status(form, failed[1] if failed else None)


@bp.get("/secretariat/meetings/<id:meeting_id>/actions")
@require(Permission.MANAGE_COMMITTEES)
def manage(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    return _page(meeting, _form(meeting, formdata=None))


@bp.post("/secretariat/meetings/<id:meeting_id>/actions")
@require(Permission.MANAGE_COMMITTEES)
def create(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    form = _form(meeting)
    if form.validate_on_submit():
        try:
            record_action(
                meeting,
                NewAction(
                    description=form.description.data or "",
                    assignee_kind=form.assignee_kind.data,
                    assignee_mandate_id=form.assignee_mandate_id.data,
                    assignee_text=form.assignee_text.data or "",
                    due_on=form.due_on.data,
                    item_id=form.item_id.data,
                    is_public=bool(form.is_public.data),
                ),
            )
        except ActionError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("L'action a été enregistrée."), "success")
            return redirect(url_for("follow_up.manage", meeting_id=meeting.id), code=303)
    return _page(meeting, form)


@bp.post("/secretariat/actions/<id:action_id>/close")
@require(Permission.MANAGE_COMMITTEES)
def close(action_id: int):
    action = get_or_404(FollowUpAction, action_id)
    meeting = action.meeting
    form = _close_form(action.id)
    if form.validate_on_submit():
        try:
            close_action(action, form.note.data or "")
        except ActionError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("L'action a été close."), "success")
            return redirect(url_for("follow_up.manage", meeting_id=meeting.id), code=303)
    return _page(meeting, _form(meeting, formdata=None), (action.id, form))
