"""The dashboard panel « Mon agenda personnel »: the member's feed address and its renewal."""

from __future__ import annotations

from typing import Any

from flask import url_for

from committees.auth.models import User
from committees.auth.permissions import Permission
from committees.calendars.forms import RegenerateForm
from committees.calendars.tokens import existing_token
from committees.common.urls import public_url
from committees.dashboard.services import register_panel


def personal_calendar_context(user: User) -> dict[str, Any]:
    """The member's personal feed address, if created (one query, no write)."""
    token = existing_token(user)
    return {
        "ics_url": public_url("calendars.personal", token=token) if token else None,
        "regenerate_url": url_for("member_calendar.regenerate_link"),
        "form": RegenerateForm(),
    }


def register() -> None:
    """Add the panel to the dashboard (called by ``committees.calendars.init_app``)."""
    register_panel(
        Permission.MEMBER_AREA,
        "calendars/panel.html",
        personal_calendar_context,
        order=35,
    )
