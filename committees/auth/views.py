"""Sign-in, sign-out, registration, password change and reset."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
