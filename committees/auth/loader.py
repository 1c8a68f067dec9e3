"""Flask-Login wiring: how a session cookie becomes a User."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select

from committees.auth.models import User
from committees.extensions import db


def load_user(session_token: str) -> User | None:
    """The session stores the user's session token, not their id: rotating it logs them out."""
    return db.session.execute(
        select(User).where(User.session_token == session_token)
    ).scalar_one_or_none()


def configure(login_manager: LoginManager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
