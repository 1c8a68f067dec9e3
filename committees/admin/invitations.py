"""The e-mail that invites a person to an account an admin created for them."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from committees.auth.models import User
from committees.auth.tokens import make_reset_token
from committees.common.urls import public_url
from committees.mail.models import OutboxMessage
from committees.mail.secrets import mask_values
from committees.mail.services import queue_email


def invitation_link(token: str) -> str:
    """The absolute link where the invited person chooses a password (a password-reset
    link with ``token``, or with its marker in the outbox).

    Built on PUBLIC_BASE_URL, not on the admin's request, because the recipient may
    not reach the host the admin used.
    """
    return public_url("auth.reset_password", token=token)


def queue_invitation(user: User, invited_by: User) -> OutboxMessage:
    """Queue the invitation of ``user`` in the current transaction (not committed).

    The token is the recipient's secret: the outbox keeps a marker in its place.
    """
    masked = mask_values({"token": make_reset_token(user, invitation=True)})
    return queue_email(
        user.email,
        _l("Invitation à l'espace des comités scientifiques"),
        "admin/invitation",
        locale=user.locale,
        kind="invitation",
        user=user,
        invited_by=invited_by,
        secrets=masked,
        link=invitation_link(masked.markers["token"]),
        validity=timedelta(seconds=current_app.config["INVITATION_MAX_AGE"]),
        forgot_url=public_url("auth.forgot_password"),
    )
