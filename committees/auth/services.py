"""Account rules: creation, passwords, authentication. Views, CLI and tests call these."""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from committees.auth.models import Role, User, new_session_token
from committees.common.timeutils import utcnow
from committees.extensions import db

# Hashed once so that an unknown address costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A rule about accounts was broken; the message is shown to the person."""


def normalize_email(email: str) -> str:
    """The stored form of an address: trimmed and lower-cased."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this address, whatever its case, or None."""
    return db.session.execute(
        select(User).where(User.email == normalize_email(email))
    ).scalar_one_or_none()


def set_password(user: User, password: str) -> None:
    """Store a new password hash and sign out the account's other sessions."""
    user.password_hash = generate_password_hash(password)
    user.session_token = new_session_token()


def create_user(
    email: str,
    full_name: str,
    password: str,
    role: Role,
    *,
    confirmed: bool = True,
) -> User:
    """Add an account to the session (not committed); refuses a taken address."""
    if find_user_by_email(email) is not None:
        raise AccountError(f"An account already exists for {normalize_email(email)}.")
    user = User(
        email=normalize_email(email),
        full_name=full_name.strip(),
        role=Role(role).value,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def check_password(user: User | None, password: str) -> bool:
    """Compare a password in constant time, even when there is no such user."""
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(user.password_hash, password)


def authenticate(email: str, password: str) -> User | None:
    """The enabled account matching these credentials, or None (the same for every failure)."""
    user = find_user_by_email(email)
    if not check_password(user, password) or user is None or not user.is_enabled:
        return None
    return user
