"""The signed-in home page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from committees.admin.roles import role_label
from committees.auth.permissions import Permission, require
from committees.common.timeutils import utcnow
from committees.dashboard.services import panels_for, record_visit
from committees.extensions import db

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@require(Permission.SIGNED_IN)
def index():
    # First the visit, so that panels count « new » things from the visit before this one.
    # Held here: the identity map keeps objects weakly, and the « À faire » panel reads the
    # visit again (``previous_visit``), from the map rather than with a second query.
    now = utcnow()
    visit = record_visit(current_user, now=now)
    page = render_template(
        "dashboard/index.html",
        role_label=role_label(current_user.role),
        panels=panels_for(current_user),
    )
    if visit.last_at == now:
        # Only a new visit is committed: a commit expires the account, which the response's
        # hooks would then load again (a reload within VISIT_GAP writes nothing).
        db.session.commit()
    return page
