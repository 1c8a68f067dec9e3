"""Signed, expiring links sent by e-mail: password reset, address confirmation and
sign-in unlock.

Tokens are signed with the application's SECRET_KEY (itsdangerous), so they need no
table. A reset token carries a fingerprint of the password hash it was issued under:
once the password changes (by that very link or otherwise), the token no longer
matches, which makes it single-use. A confirmation token carries the address it was
sent to, so it dies if the address changes. An unlock token lets one browser past the
throttle on an account under attack (the password is still needed); it carries the address
too.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from committees.auth.models import User
from committees.common.timeutils import utcnow
from committees.extensions import db

RESET_SALT = "password-reset"
CONFIRM_SALT = "email-confirm"
UNLOCK_SALT = "login-unlock"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def _password_fingerprint(user: User) -> str:
    # A digest, not the hash itself: the token's payload is readable by whoever holds it.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def make_reset_token(user: User, *, invitation: bool = False) -> str:
    """A password-reset token for ``user``, valid until the password changes or it expires.

    An ``invitation`` (first password of an account created for someone) lives
    INVITATION_MAX_AGE instead of PASSWORD_RESET_MAX_AGE: people do not always read
    their mail within the hour.
    """
    payload = {"uid": user.id, "pw": _password_fingerprint(user)}
    if invitation:
        payload["inv"] = True
    return _serializer(RESET_SALT).dumps(payload)


def load_reset_token(token: str) -> User | None:
    """The account a reset token was issued for, or None if it is forged, expired or used."""
    config = current_app.config
    longest = max(config["PASSWORD_RESET_MAX_AGE"], config["INVITATION_MAX_AGE"])
    try:
        data, signed_at = _serializer(RESET_SALT).loads(
            token, max_age=longest, return_timestamp=True
        )
    except BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    max_age = config["INVITATION_MAX_AGE"] if data.get("inv") else config["PASSWORD_RESET_MAX_AGE"]
    if (utcnow() - signed_at).total_seconds() > max_age:
        return None
    user = _user_from(data)
    if user is None or not hmac.compare_digest(
        str(data.get("pw", "")), _password_fingerprint(user)
    ):
        return None
    return user


def make_confirm_token(user: User) -> str:
    """An address-confirmation token for ``user``'s current address."""
    return _serializer(CONFIRM_SALT).dumps({"uid": user.id, "email": user.email})


def load_confirm_token(token: str) -> User | None:
    """The account a confirmation token was issued for, or None if it is forged or expired."""
    data = _load(token, CONFIRM_SALT, current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    user = _user_from(data)
    if user is None or data.get("email") != user.email:
        return None
    return user


def make_unlock_token(user: User) -> str:
    """A token that exempts one browser from the per-account sign-in throttle of ``user``."""
    payload = {"uid": user.id, "email": user.email}
    return _serializer(UNLOCK_SALT).dumps(payload)


def load_unlock_token(token: str) -> User | None:
    """The account an unlock token was issued for, or None if forged, expired or outdated."""
    data = _load(token, UNLOCK_SALT, current_app.config["LOGIN_UNLOCK_MAX_AGE"])
    user = _user_from(data)
    if user is None or data.get("email") != user.email:
        return None
    return user


def _load(token: str, salt: str, max_age: int) -> dict:
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except BadSignature:  # also covers SignatureExpired
        return {}
    return data if isinstance(data, dict) else {}


def _user_from(data: dict) -> User | None:
    user_id = data.get("uid")
    if not isinstance(user_id, int):
        return None
    return db.session.get(User, user_id)
