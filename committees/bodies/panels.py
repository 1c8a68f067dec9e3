"""Dashboard panels of the bodies domain: a member's declaration, the secretariat's backlog.

Each context function costs at most two queries, whatever the data size.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from committees.auth.models import Role, User
from committees.auth.permissions import Permission
from committees.bodies.persons.declarations import declaration_status
from committees.bodies.persons.services import person_for_user
from committees.bodies.services import not_cleared_count
from committees.common.timeutils import paris_today
from committees.dashboard.services import Kept, register_panel


def member_declaration_context(user: User) -> dict[str, Any]:
    """The member's declaration status (None when the account is tied to no person)."""
    person = person_for_user(user)
    return {
        # Admins hold every permission; only members get told their account is not tied yet.
        "show": person is not None or user.role == Role.MEMBER,
        "status": declaration_status(person, paris_today()) if person else None,
        "url": url_for("my_declarations.index"),
        "new_url": url_for("my_declarations.new"),
    }


def secretariat_declarations_context(_user: User) -> dict[str, Any]:
    """How many current members across committees are not cleared today."""
    return {
        "count": not_cleared_count(paris_today()),
        "url": url_for("bodies.committees"),
    }


def register() -> None:
    """Add the two panels to the dashboard (again: a panel registered twice is replaced)."""
    register_panel(
        Permission.MEMBER_AREA,
        "bodies/panels/member_declaration.html",
        member_declaration_context,
        order=40,
        kept=Kept.FOR_THE_PERSON,
    )
    register_panel(
        Permission.MANAGE_COMMITTEES,
        "bodies/panels/declarations_to_update.html",
        secretariat_declarations_context,
        order=45,
        kept=Kept.FOR_EVERYONE,
    )
