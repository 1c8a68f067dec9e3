"""« Mes rappels » (/account/reminders): which reminders a person receives, and turning off
those that are not obligations."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, has_permission, require
from committees.common.views import form_status
from committees.extensions import db
from committees.reminders.forms import PreferencesForm
from committees.reminders.kinds import LABELS, OBLIGATIONS, Kind, optional_kinds
from committees.reminders.services import opted_out_kinds, set_preferences

bp = Blueprint("reminders", __name__, url_prefix="/account/reminders")


def _offered() -> list[Kind]:
    return optional_kinds(
        secretariat=has_permission(current_user, Permission.MANAGE_COMMITTEES),
        member=has_permission(current_user, Permission.MEMBER_AREA),
    )


@bp.route("", methods=["GET", "POST"])
@require(Permission.SIGNED_IN)
def preferences():
    offered = _offered()
    form = PreferencesForm()
    form.offer(offered)
    if form.validate_on_submit():
        set_preferences(current_user, offered, form.wanted.data or [])
        db.session.commit()
        flash(_("Vos préférences de rappels sont enregistrées."), "success")
        return redirect(url_for("reminders.preferences"))
    if not form.is_submitted():
        off = opted_out_kinds(current_user)
        form.wanted.data = [k.value for k in offered if k.value not in off]
    obligations = (
        [LABELS[k] for k in (Kind.DECLARATION, Kind.CONVOCATION) if k in OBLIGATIONS]
        if has_permission(current_user, Permission.MEMBER_AREA)
        else []
    )
    return render_template(
        "reminders/preferences.html", form=form, offered=offered, obligations=obligations
    ), form_status(form)
