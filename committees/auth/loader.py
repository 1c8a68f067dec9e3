"""Flask-Login wiring: how a session cookie becomes a User."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import bindparam, select

from committees.auth.models import User
from committees.extensions import db

#: built once: this runs on every signed-in request, and building a statement (and its
#: cache key) costs more than running it
_BY_SESSION_TOKEN = select(User).where(
    User.session_token == bindparam("token"), User.is_enabled.is_(True)
)


def load_user(session_token: str) -> User | None:
    """The enabled account whose session token the session (or the « se souvenir de moi »
    cookie) carries, checked on every request.

    The cookies hold the token, not the account's id: signing out, a new password, an
    erasure or a disabled account rotates it (``services.end_sessions``), and every copy
    of the old cookies then opens nothing. A disabled account opens nothing either way.
    """
    return db.session.execute(_BY_SESSION_TOKEN, {"token": session_token}).scalar_one_or_none()


def configure(login_manager: LoginManager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
