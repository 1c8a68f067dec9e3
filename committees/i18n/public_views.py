"""The language switch of a signed-in person's header (visitors get plain links instead)."""

from __future__ import annotations

from flask import Blueprint, redirect, request

from committees.common.urls import safe_next_url
from committees.extensions import db
from committees.i18n.languages import remember_language, supported, without_lang_param
from committees.i18n.prefix import site_root, strip_language

bp = Blueprint("i18n", __name__)


@bp.post("/language")
def switch_language():
    """Save the chosen language on the account and come back to the same page, under the
    chosen language's prefix (``/en/…``). The form is CSRF-protected like every other; a
    visitor who has not signed in is only sent to the prefixed page (nothing is stored)."""
    lang = request.form.get("lang", "")
    if remember_language(lang):
        db.session.commit()
    target = without_lang_param(strip_language(safe_next_url(request.form.get("next"), "/")))
    if lang in supported():
        target = f"/{lang}{target}"
    return redirect(site_root() + target, code=303)
