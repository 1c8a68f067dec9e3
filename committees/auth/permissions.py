"""The one permission mechanism: roles grant permissions, routes require them.

Every protected route is decorated with ``@require(...)``. Anonymous visitors are
sent to the sign-in page (with a ``next`` back to where they were); signed-in
people without the permission get the 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from committees.auth.models import Role
from committees.extensions import login_manager


class Permission(StrEnum):
    """Things a person may do; a route names the one it needs."""

    SIGNED_IN = "signed_in"  # any signed-in account: dashboard, own password
    MANAGE_USERS = "manage_users"
    MANAGE_COMMITTEES = "manage_committees"  # the secretariat's work
    VIEW_OUTBOX = "view_outbox"
    MEMBER_AREA = "member_area"  # working documents, own calendar, own declarations
    CONTRIBUTE = "contribute"  # answer calls for contributions


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.SECRETARIAT: frozenset(
        {
            Permission.SIGNED_IN,
            Permission.MANAGE_COMMITTEES,
            Permission.VIEW_OUTBOX,
        }
    ),
    Role.MEMBER: frozenset({Permission.SIGNED_IN, Permission.MEMBER_AREA}),
    Role.CONTRIBUTOR: frozenset({Permission.SIGNED_IN, Permission.CONTRIBUTE}),
}


def has_permission(user: Any, permission: Permission) -> bool:
    """Whether ``user`` (possibly anonymous) holds ``permission``."""
    if not getattr(user, "is_authenticated", False):
        return False
    return permission in ROLE_PERMISSIONS.get(Role(user.role), frozenset())


def require(permission: Permission = Permission.SIGNED_IN) -> Callable:
    """Decorate a view so that only people holding ``permission`` reach it."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_permission(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator
