"""Language selection (French first, English second) and the switch in the header."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, request, session
from flask_babel import get_locale
from flask_login import current_user

from committees.common.urls import safe_next_url

bp = Blueprint("i18n", __name__)


def supported() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """``?lang=``, then the person's saved choice, then Accept-Language, then French."""
    langs = supported()
    asked = request.args.get("lang")
    if asked in langs:
        return asked
    chosen = session.get("locale")
    if chosen in langs:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in langs:
        return current_user.locale
    return request.accept_languages.best_match(langs) or current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.post("/language")
def switch_language():
    """Remember the chosen language and come back to the same page."""
    from committees.extensions import db

    lang = request.form.get("lang")
    if lang in supported():
        session["locale"] = lang
        if current_user.is_authenticated and current_user.locale != lang:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next_url(request.form.get("next"), "/"))


def register(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def inject_locale() -> dict:
        return {"current_locale": str(get_locale()), "languages": supported()}
