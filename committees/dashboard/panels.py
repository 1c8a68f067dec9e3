"""The dashboard panels of the foundation: own account, outbox backlog, accounts per role.

Each context function runs at most one query.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import func, select

from committees.admin.roles import role_label
from committees.admin.services import count_users_by_role
from committees.auth.models import Role, User
from committees.auth.permissions import Permission
from committees.dashboard.services import register_panel
from committees.extensions import db
from committees.mail.models import OutboxMessage, OutboxStatus
from committees.templating import url_or_none


def account_context(user: User) -> dict[str, Any]:
    """The person's own account (already loaded: no query)."""
    return {
        "user": user,
        "role_label": role_label(user.role),
        "change_password_url": url_or_none("auth.change_password"),
        "reminders_url": url_or_none("reminders.preferences"),
    }


def outbox_context(_user: User) -> dict[str, Any]:
    """How many messages wait for delivery or failed, in one query."""
    waiting = (OutboxStatus.PENDING.value, OutboxStatus.FAILED.value)
    rows = db.session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.status.in_(waiting))
        .group_by(OutboxMessage.status)
    ).all()
    counts = dict(rows)
    return {
        "pending": counts.get(OutboxStatus.PENDING.value, 0),
        "failed": counts.get(OutboxStatus.FAILED.value, 0),
        "outbox_url": url_or_none("mail.index"),
    }


def accounts_context(_user: User) -> dict[str, Any]:
    """Accounts per role, in one query."""
    counts = count_users_by_role()
    return {
        "rows": [(role_label(role), counts[role]) for role in Role],
        "total": sum(counts.values()),
        "users_url": url_for("admin.users"),
    }


def register() -> None:
    """Add the foundation's panels (called by ``committees.dashboard.init_app``)."""
    register_panel(
        Permission.SIGNED_IN, "dashboard/panels/account.html", account_context, order=900
    )
    register_panel(Permission.VIEW_OUTBOX, "dashboard/panels/outbox.html", outbox_context, order=60)
    register_panel(
        Permission.MANAGE_USERS, "dashboard/panels/accounts.html", accounts_context, order=30
    )
