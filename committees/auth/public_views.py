"""Sign-in, sign-out, registration, password change and reset.

Views stay thin: the rules are in services.py, the links in tokens.py, the sign-in
limits in throttle.py.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from committees.auth import services, throttle
from committees.auth.forms import (
    ChangePasswordForm,
    EmailForm,
    LoginForm,
    RegistrationForm,
    ResetPasswordForm,
)
from committees.auth.permissions import Permission, require
from committees.common.sessions import renew_session
from committees.common.urls import safe_next_url
from committees.common.views import INVALID, form_status, refuse
from committees.extensions import client_address, config_limit, db, limiter

bp = Blueprint("auth", __name__)

#: where people land after signing in (the dashboard blueprint's index)
DASHBOARD_URL = "/dashboard"


# --- throttling (sign-in: throttle.py) ------------------------------------------------

# Every POST counts: each one may send an e-mail.
_reset_per_address = limiter.limit(
    config_limit("PASSWORD_RESET_LIMIT_PER_ADDRESS"),
    key_func=client_address,
    methods=["POST"],
)
_register_per_address = limiter.limit(
    config_limit("REGISTER_LIMIT_PER_ADDRESS"),
    key_func=client_address,
    methods=["POST"],
)


# --- sign-in and sign-out -------------------------------------------------------------


#: what a new session keeps of the one before sign-in: the chosen language, nothing else
_KEPT_AT_SIGN_IN = ("locale",)


@bp.route("/login", methods=["GET", "POST"])
@throttle.login_per_address
@throttle.login_per_account_and_address
@throttle.login_per_account
def login():
    """Sign in with address and password, then go back where the person was headed."""
    form = LoginForm()
    if not form.next.data:
        form.next.data = request.args.get("next", "")
    target = safe_next_url(form.next.data, DASHBOARD_URL)
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(target)
    error = unconfirmed_email = None
    if form.validate_on_submit():
        try:
            user = services.sign_in(form.email.data, form.password.data)
        except services.InvalidCredentialsError as refused:
            throttle.mark_attempt_failed()
            error = str(refused)
        except services.EmailNotConfirmedError as refused:
            error, unconfirmed_email = str(refused), refused.user.email
        else:
            # A new session, hence a new CSRF token: nothing planted before sign-in survives.
            renew_session(keep=_KEPT_AT_SIGN_IN)
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(target)
    page = render_template(
        "auth/login.html", form=form, error=error, unconfirmed_email=unconfirmed_email
    )
    # Wrong credentials are no field's error, but the form is shown again all the same.
    return page, INVALID if error else form_status(form)


@bp.post("/logout")
def logout():
    """Sign out, here and on every other device: copies of this browser's cookies, and its
    « se souvenir de moi » cookie, open nothing any more.

    A POST, so that no link or prefetch can sign anyone out; CSRFProtect checks its token.
    """
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("public.home"))


# --- password change ------------------------------------------------------------------


@bp.route("/account/password", methods=["GET", "POST"])
@require(Permission.SIGNED_IN)
@throttle.password_change_per_account_and_address
def change_password():
    """Change one's own password; every other session of the account is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.WrongPasswordError as refused:
            throttle.mark_attempt_failed()
            form.current_password.errors.append(str(refused))
        except services.AccountError as refused:
            form.password.errors.append(str(refused))
        else:
            db.session.commit()
            # The session token rotated: sign this browser in again under the new one.
            login_user(user, remember=_has_remember_cookie())
            flash(_("Votre mot de passe a été modifié."), "success")
            return redirect(url_for("auth.change_password"))
    return render_template("auth/change_password.html", form=form), form_status(form)


def _has_remember_cookie() -> bool:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


# --- password reset -------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@_reset_per_address
def forgot_password():
    """Ask for a reset link; the answer is the same whether the account exists or not."""
    form = EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return redirect(url_for("auth.forgot_password_done"))
    return render_template("auth/forgot.html", form=form), form_status(form)


@bp.get("/password/forgot/done")
def forgot_password_done():
    return render_template("auth/forgot_done.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the link received by e-mail."""
    user = services.user_for_reset_token(token)
    if user is None:
        return _no_referrer(render_template("auth/reset_invalid.html"), 400)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(user, form.password.data)
        except services.AccountError as refused:
            form.password.errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("Votre mot de passe a été modifié. Vous pouvez vous connecter."), "success")
            return redirect(url_for("auth.login"))
    return _no_referrer(render_template("auth/reset.html", form=form), form_status(form))


@bp.get("/login/unlock/<token>")
def unlock_login(token: str):
    """Follow the link sent to the owner of an account under attack: this browser may then
    sign in despite the per-account limit (with the password, as ever)."""
    if not throttle.grant_unlock_pass(token):
        return _no_referrer(render_template("auth/unlock_invalid.html"), 400)
    flash(_("Vous pouvez maintenant vous connecter depuis ce navigateur."), "success")
    response = redirect(url_for("auth.login"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _no_referrer(body: str, status: int):
    # The token is in the URL: never hand it to another site through the Referer header.
    response = make_response(body, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# --- self-registration ----------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@_register_per_address
def register():
    """A stakeholder creates their own account; it works once the address is confirmed."""
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            services.register_contributor(
                form.full_name.data,
                form.email.data,
                form.password.data,
                locale=str(get_locale()),
            )
            db.session.commit()
        except services.AccountError as refused:
            refuse(form, refused, form.password)
        except IntegrityError:
            # A simultaneous registration of the same address won: answer as for a taken one.
            db.session.rollback()
            return redirect(url_for("auth.register_done"))
        else:
            return redirect(url_for("auth.register_done"))
    return render_template("auth/register.html", form=form), form_status(form)


@bp.get("/register/done")
def register_done():
    return render_template("auth/register_done.html")


@bp.get("/register/confirm/<token>")
def confirm_email(token: str):
    """Follow the confirmation link received by e-mail."""
    user = services.confirm_email(token)
    if user is None:
        return _no_referrer(render_template("auth/confirm_invalid.html", form=EmailForm()), 400)
    db.session.commit()
    flash(_("Votre adresse électronique est confirmée. Vous pouvez vous connecter."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/register/resend", methods=["GET", "POST"])
@_register_per_address
def resend_confirmation():
    """Ask for a new confirmation link; the answer never reveals whether an account exists."""
    form = EmailForm()
    if form.validate_on_submit():
        services.resend_confirmation(form.email.data, locale=str(get_locale()))
        db.session.commit()
        return redirect(url_for("auth.register_done"))
    return render_template("auth/resend.html", form=form), form_status(form)
