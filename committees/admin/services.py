"""Account administration rules: listing, inviting and editing accounts.

Functions add to the session and flush; the view commits once, so a refused change
leaves nothing behind.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from committees.admin.invitations import queue_invitation
from committees.auth.models import Role, User, new_session_token
from committees.auth.services import AccountError, create_user, find_user_by_email
from committees.common.search import LIKE_ESCAPE, contains_pattern
from committees.extensions import db

#: accounts per page of the list
PER_PAGE = 25


class AccountStatus(StrEnum):
    """Where an account stands, as the list filters it."""

    ACTIVE = "active"  # enabled, address confirmed
    INACTIVE = "inactive"  # disabled by an admin: cannot sign in
    UNCONFIRMED = "unconfirmed"  # enabled, address not confirmed yet (e.g. invited)


STATUS_LABELS = {
    AccountStatus.ACTIVE: _l("Actif"),
    AccountStatus.INACTIVE: _l("Désactivé"),
    AccountStatus.UNCONFIRMED: _l("Non confirmé"),
}


@dataclass(frozen=True)
class UserFilter:
    """What the account list is narrowed to; empty values do not filter."""

    text: str = ""
    role: Role | None = None
    status: AccountStatus | None = None


def account_status(user: User) -> AccountStatus:
    """The status of ``user``; a disabled account is inactive whatever its confirmation."""
    if not user.is_enabled:
        return AccountStatus.INACTIVE
    if user.email_confirmed_at is None:
        return AccountStatus.UNCONFIRMED
    return AccountStatus.ACTIVE


def _status_condition(status: AccountStatus) -> ColumnElement[bool]:
    if status is AccountStatus.INACTIVE:
        return User.is_enabled.is_(False)
    if status is AccountStatus.UNCONFIRMED:
        return and_(User.is_enabled.is_(True), User.email_confirmed_at.is_(None))
    return and_(User.is_enabled.is_(True), User.email_confirmed_at.is_not(None))


def users_statement(filters: UserFilter) -> Select[tuple[User]]:
    """The SELECT of the accounts matching ``filters``, ordered by name."""
    statement = select(User)
    text = filters.text.strip()
    if text:
        pattern = contains_pattern(text)
        statement = statement.where(
            or_(
                User.full_name.ilike(pattern, escape=LIKE_ESCAPE),
                User.email.ilike(pattern, escape=LIKE_ESCAPE),
            )
        )
    if filters.role is not None:
        statement = statement.where(User.role == filters.role.value)
    if filters.status is not None:
        statement = statement.where(_status_condition(filters.status))
    return statement.order_by(func.lower(User.full_name), User.id)


def list_users(filters: UserFilter, page: int = 1, per_page: int = PER_PAGE) -> Pagination:
    """One page of the accounts matching ``filters`` (two queries: the count and the page)."""
    return db.paginate(
        users_statement(filters),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def count_users_by_role() -> dict[Role, int]:
    """How many accounts each role has (every role present, zero included), in one query."""
    rows = db.session.execute(select(User.role, func.count()).group_by(User.role)).all()
    counts = dict.fromkeys(Role, 0)
    for role, count in rows:
        counts[Role(role)] = count
    return counts


def invite_user(
    email: str,
    full_name: str,
    role: Role,
    *,
    invited_by: User,
) -> User:
    """Create an account without a usable password and queue its invitation e-mail.

    The account is unconfirmed until the person follows the link, which lets them
    choose a password. Raises AccountError when the address is taken (in any case).
    """
    if find_user_by_email(email) is not None:
        raise AccountError(_("Un compte existe déjà avec cette adresse électronique."))
    # Nobody knows this password: the only way in is the link of the invitation.
    user = create_user(email, full_name, secrets.token_urlsafe(32), role, confirmed=False)
    queue_invitation(user, invited_by)
    return user


def update_user(
    user: User,
    *,
    full_name: str,
    role: Role,
    is_enabled: bool,
    acting_user: User,
) -> None:
    """Change an account's name, role and enabled flag, as ``acting_user``.

    An admin cannot disable or demote their own account: that could leave the
    application without anyone able to manage accounts. Disabling an account also
    ends its open sessions.
    """
    if user.id == acting_user.id:
        if not is_enabled:
            raise AccountError(_("Vous ne pouvez pas désactiver votre propre compte."))
        if Role(role) is not Role.ADMIN:
            raise AccountError(_("Vous ne pouvez pas retirer votre propre rôle d'administration."))
    if user.is_enabled and not is_enabled:
        user.session_token = new_session_token()
    user.full_name = full_name.strip()
    user.role = Role(role).value
    user.is_enabled = is_enabled
    db.session.flush()


def resend_invitation(user: User, *, invited_by: User) -> None:
    """Queue a fresh invitation for an enabled account whose address is not confirmed.

    Invitation links expire (they are password-reset links): this is how an admin
    helps someone who opened theirs too late.
    """
    if not user.is_enabled:
        raise AccountError(
            _("Ce compte est désactivé : réactivez-le avant de renvoyer l'invitation.")
        )
    if user.email_confirmed_at is not None:
        raise AccountError(_("Cette personne a déjà activé son compte."))
    queue_invitation(user, invited_by)
