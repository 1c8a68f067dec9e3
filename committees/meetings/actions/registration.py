"""What the follow-up actions add to other pages: the assignee's dashboard panel, the
« Suivi des avis » section of a committee's public page, the template helpers that show
the actions carried to a session on its preparation page and agenda builder, and the
assignee's export section (« Mes données »).
``register(app)`` is called by the sessions domain's ``init_app``."""

from __future__ import annotations

from typing import Any

from flask import Flask

from committees.auth.models import User
from committees.auth.permissions import Permission
from committees.bodies.public_pages import register_committee_section
from committees.dashboard.services import Kept, register_panel
from committees.meetings.actions import personal_data
from committees.meetings.actions.services import (
    assigned_to,
    assignee_label,
    carried_to,
    public_follow_up,
)


def member_actions_context(user: User) -> dict[str, Any]:
    """The open actions the member carries out (one query)."""
    return {"actions": assigned_to(user)}


def register(app: Flask) -> None:
    """Add the panel, the public section and the template helpers (again: replaced)."""
    register_panel(
        Permission.MEMBER_AREA,
        "meetings/actions/panel_assigned.html",
        member_actions_context,
        order=35,
        kept=Kept.FOR_THE_PERSON,
    )
    register_committee_section("follow_up", public_follow_up)
    app.add_template_global(carried_to, "carried_actions")
    app.add_template_global(assignee_label, "action_assignee")
    personal_data.register()
