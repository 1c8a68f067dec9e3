"""The secretariat's view of the outbox."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("mail", __name__, url_prefix="/outbox")
