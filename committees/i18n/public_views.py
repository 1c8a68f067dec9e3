"""The language switch in every page's header, for anyone."""

from __future__ import annotations

from flask import Blueprint, redirect, request

from committees.common.urls import safe_next_url
from committees.extensions import db
from committees.i18n.languages import remember_language, without_lang_param

bp = Blueprint("i18n", __name__)


@bp.post("/language")
def switch_language():
    """Remember the chosen language and come back to the same page."""
    if remember_language(request.form.get("lang", "")):
        db.session.commit()
    target = safe_next_url(request.form.get("next"), "/")
    return redirect(without_lang_param(target), code=303)
