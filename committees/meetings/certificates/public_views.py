"""Checking an attendance certificate: /certificates/<code> shows what the certificate
states when its code is genuine; an altered or unknown code answers 404 with a message."""

from __future__ import annotations

from flask import Blueprint, render_template

from committees.meetings.certificates.services import verify

bp = Blueprint("certificates", __name__)


@bp.get("/certificates/<code>")
def verify_code(code: str):
    found = verify(code) if len(code) <= 40 else None
    if found is None:
        return render_template("meetings/certificates/refused.html", code=code[:40]), 404
    return render_template("meetings/certificates/verified.html", certificate=found)
