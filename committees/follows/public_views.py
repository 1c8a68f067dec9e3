"""Routes of following: the "Suivre" form, the confirmation link, one-click unsubscribe,
and the admin's list of followers (the only page that shows addresses)."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from committees.auth.permissions import Permission, require
from committees.common.params import page_arg
from committees.common.urls import safe_next_url
from committees.extensions import client_address, config_limit, csrf, db, limiter
from committees.follows import services
from committees.follows.forms import AccountFollowForm, FollowForm, UnfollowForm
from committees.follows.labels import FREQUENCY_LABELS
from committees.follows.models import Frequency

bp = Blueprint("follows", __name__)


@bp.post("/suivre")
@csrf.exempt
@limiter.limit(config_limit("FOLLOW_LIMIT_PER_ADDRESS"), key_func=client_address)
def follow():
    """A visitor's request to follow (no CSRF token: see ``FollowForm``; the answer is a page,
    not a redirect with a flashed message, so that no cookie is set) or a signed-in person's
    subscription (their form carries its CSRF token, checked by ``validate``)."""
    form = AccountFollowForm() if current_user.is_authenticated else FollowForm()
    scope = services.resolve_scope(form.scope.data)
    back = safe_next_url(form.next.data, "/")
    if scope is None:
        abort(404)
    locale = str(get_locale())
    if not form.validate():
        if "csrf_token" in form.errors:
            abort(400)  # a signed-in person's form without its token: "Le formulaire a expiré"
        return _form_errors(form, scope, back)
    frequency = Frequency(form.frequency.data)
    if current_user.is_authenticated:
        services.follow_as_user(current_user, scope, locale, frequency)
        db.session.commit()
        flash(_("Vous suivez désormais %(what)s.", what=scope.label(locale)), "success")
        return redirect(back)
    if not form.email.data:
        form.email.errors = [_("Indiquez votre adresse électronique.")]
        return _form_errors(form, scope, back)
    services.request_follow(form.email.data, scope, locale, frequency)
    db.session.commit()
    return render_template("follows/check_mail.html", what=scope.label(locale), back=back)


def _form_errors(form: FollowForm, scope: services.Scope, back: str):
    html = render_template(
        "follows/form_page.html", form=form, what=scope.label(str(get_locale())), back=back
    )
    return html, 422


@bp.post("/suivre/arreter")
@require()
def unfollow():
    form = UnfollowForm()
    scope = services.resolve_scope(form.scope.data)
    if scope is None or not form.validate():
        abort(400)
    follower = services.user_follow(current_user, scope)
    if follower is not None:
        services.unsubscribe(follower)
        db.session.commit()
    flash(_("Vous ne suivez plus %(what)s.", what=scope.label(str(get_locale()))), "info")
    return redirect(safe_next_url(form.next.data, "/"))


@bp.route("/suivre/confirmer/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The link of the confirmation e-mail: a page whose button confirms (a GET changes
    nothing, so that the link scanners of mail gateways subscribe nobody)."""
    if request.method == "GET":
        pending = services.follow_to_confirm(token)
        if pending is None:
            return render_template("follows/invalid.html"), 404
        scope = services.resolve_scope(pending.scope)
        what = scope.label(str(get_locale())) if scope else ""
        return render_template("follows/confirm.html", token=token, what=what)
    follower = services.confirm_follow(token)
    if follower is None:
        return render_template("follows/invalid.html"), 404
    db.session.commit()
    scope = services.resolve_scope(follower.scope)
    what = scope.label(str(get_locale())) if scope else ""
    return render_template(
        "follows/confirmed.html",
        what=what,
        follower=follower,
        frequency=FREQUENCY_LABELS[follower.frequency],
    )


@bp.get("/suivre/desabonnement/<token>")
def unsubscribe_page(token: str):
    """The link of the e-mail: a confirmation page, so that link scanners unsubscribe nobody."""
    follower = services.follower_by_token(token)
    if follower is None:
        return render_template("follows/unsubscribed.html", unknown=True), 404
    scope = services.resolve_scope(follower.scope)
    what = scope.label(str(get_locale())) if scope else ""
    return render_template("follows/unsubscribe.html", token=token, what=what)


@bp.post("/suivre/desabonnement/<token>")
@csrf.exempt
def unsubscribe(token: str):
    """RFC 8058 one-click unsubscribe: mail clients POST here without any session or token
    but the link's own secret, hence no CSRF check on this one endpoint."""
    follower = services.follower_by_token(token)
    if follower is not None:
        services.unsubscribe(follower)
        db.session.commit()
    return render_template("follows/unsubscribed.html", unknown=follower is None)


@bp.get("/admin/abonnes")
@require(Permission.MANAGE_USERS)
def admin_list():
    page = page_arg()
    followers = services.followers_page(max(page, 1))
    return render_template(
        "follows/admin.html",
        followers=followers,
        frequency_labels=FREQUENCY_LABELS,
        scope_label=_scope_label,
    )


def _scope_label(follower) -> str:
    if follower.committee is not None:
        return follower.committee.name(str(get_locale()))
    return _("Décisions") if follower.scope == "decisions" else _("Appels à contributions")


def register(app: Flask) -> None:
    """Offer ``follow_box(scope_key)`` to every template (the "Suivre" box of the public
    pages of every domain)."""
    app.context_processor(_follow_helpers)


def _follow_helpers() -> dict:
    return {"follow_box": _follow_box}


def _follow_box(scope_key: str) -> dict:
    """What the "Suivre" box of a page needs: the form, and whether the person follows."""
    scope = services.resolve_scope(scope_key)
    if scope is None:
        return {}
    following = services.user_follow(current_user, scope)
    if following:
        form_class = UnfollowForm
    else:
        form_class = AccountFollowForm if current_user.is_authenticated else FollowForm
    # The way back keeps the page's language prefix (/en/…).
    back = request.script_root + request.full_path.rstrip("?")
    form = form_class(formdata=None, scope=scope.key, next=back)
    return {"form": form, "following": following, "what": scope.label(str(get_locale()))}
