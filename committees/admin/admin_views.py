"""Account administration pages, under /admin."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from committees.admin.forms import (
    ResendInvitationForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from committees.admin.services import (
    STATUS_LABELS,
    AccountStatus,
    UserFilter,
    account_status,
    invite_user,
    list_users,
    resend_invitation,
    update_user,
)
from committees.auth.models import Role, User
from committees.auth.permissions import Permission, require
from committees.auth.services import AccountError
from committees.common.params import page_arg
from committees.common.views import INVALID, form_status, get_or_404, refuse
from committees.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: the invitation button shares the edit page with the edit form: distinct field ids
INVITE_PREFIX = "invite"


def _filters_from(form: UserFilterForm) -> UserFilter:
    """Unknown role or status values in the URL are ignored rather than refused."""
    role = form.role.data if form.role.data in set(Role) else None
    status = form.status.data if form.status.data in set(AccountStatus) else None
    return UserFilter(
        text=(form.q.data or "")[:200],
        role=Role(role) if role else None,
        status=AccountStatus(status) if status else None,
    )


@bp.get("/users")
@require(Permission.MANAGE_USERS)
def users():
    form = UserFilterForm(request.args)
    filters = _filters_from(form)
    results = list_users(filters, page=page_arg())
    # Only the filters travel to the page links: any other key could reach url_for().
    args = {key: request.args[key] for key in ("q", "role", "status") if request.args.get(key)}
    return render_template(
        "admin/users.html",
        form=form,
        results=results,
        page_args=args,
        status_of=account_status,
        status_labels=STATUS_LABELS,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def create_user():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = invite_user(
                form.email.data,
                form.full_name.data,
                Role(form.role.data),
                invited_by=current_user._get_current_object(),
            )
        except AccountError as error:
            refuse(form, error, form.email)
        else:
            db.session.commit()
            flash(
                _("Compte créé ; une invitation a été envoyée à %(email)s.", email=user.email),
                "success",
            )
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), form_status(form)


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def edit_user(user_id: int):
    user = get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        try:
            update_user(
                user,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                is_enabled=form.is_enabled.data,
                acting_user=current_user._get_current_object(),
            )
        except AccountError as error:
            # Disabling is what was refused when the box was unticked, else the role change.
            refuse(form, error, form.is_enabled if not form.is_enabled.data else form.role)
        else:
            db.session.commit()
            flash(_("Modifications enregistrées pour %(name)s.", name=user.full_name), "success")
            return redirect(url_for("admin.users"))
    return _edit_page(form, user, status=form_status(form))


@bp.post("/users/<id:user_id>/invitation")
@require(Permission.MANAGE_USERS)
def resend_user_invitation(user_id: int):
    user = get_or_404(User, user_id)
    invite_form = ResendInvitationForm(prefix=INVITE_PREFIX)
    if invite_form.validate_on_submit():
        try:
            resend_invitation(user, invited_by=current_user._get_current_object())
        except AccountError as error:
            refuse(invite_form, error, invite_form.submit)
        else:
            db.session.commit()
            flash(
                _("Une nouvelle invitation a été envoyée à %(email)s.", email=user.email), "success"
            )
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return _edit_page(UserEditForm(obj=user), user, invite_form=invite_form, status=INVALID)


def _edit_page(
    form: UserEditForm,
    user: User,
    *,
    status: int,
    invite_form: ResendInvitationForm | None = None,
):
    page = render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        account_status=account_status(user),
        status_labels=STATUS_LABELS,
        invite_form=invite_form or ResendInvitationForm(prefix=INVITE_PREFIX),
    )
    return page, status
