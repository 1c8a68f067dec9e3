"""committees: the scientific committees of a national health agency.

``create_app`` builds the Flask application: settings, extensions, blueprints,
CLI commands and error pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | Mapping[str, Any] | None = None) -> Flask:
    """Build the application.

    ``config`` is a profile name ("development", "testing", "production"), a mapping
    of settings laid over the ``APP_ENV`` profile (or over its own ``"PROFILE"`` key), or
    None for the ``APP_ENV`` profile.
    """
    app = Flask(
        __name__,
        instance_path=str(settings.INSTANCE_DIR),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    if isinstance(config, Mapping):
        app.config.update(settings.load(config.get("PROFILE")))
        app.config.update(config)
    else:
        app.config.update(settings.load(config))
    if app.config.get("PROXY_FIX"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from committees.common import converters
    from committees.common.sessions import SessionInterface

    app.session_interface = SessionInterface()
    # Before any blueprint: their rules use the converters.
    converters.register(app)
    _init_extensions(app)
    _register_blueprints(app)

    from committees import cli, errors, observability, security

    # First, so that every other hook and error page runs with the request id.
    observability.register(app)
    errors.register(app)
    security.register(app)
    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    import committees.audit.recorder
    import committees.models  # noqa: F401 - every table in the metadata
    from committees import i18n, templating
    from committees.auth import loader
    from committees.extensions import babel, csrf, db, limiter, login_manager, migrate
    from committees.search.schema import include_object

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(PROJECT_ROOT / "migrations"),
        # The engine-specific search objects (FTS5 table, tsvector column) live in
        # migration 0002 only; autogenerate and the schema comparison ignore them.
        include_object=include_object,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    login_manager.init_app(app)
    loader.configure(login_manager)
    i18n.register(app)
    templating.register(app)


def _register_blueprints(app: Flask) -> None:
    from committees.admin.views import bp as admin_bp
    from committees.api.views import bp as api_bp
    from committees.auth.views import bp as auth_bp
    from committees.bodies import member_views, person_views
    from committees.bodies import views as bodies_views
    from committees.bodies.import_views import bp as member_import_bp
    from committees.calendars.views import bp as calendars_bp
    from committees.calls import contributor_views
    from committees.calls import public_views as public_calls
    from committees.calls.synthesis_views import bp as call_synthesis_bp
    from committees.calls.views import bp as calls_admin_bp
    from committees.dashboard.views import bp as dashboard_bp
    from committees.decisions.views import bp as decisions_bp
    from committees.decisions.views import public_bp as public_decisions_bp
    from committees.feeds.views import bp as feeds_bp
    from committees.follows.views import bp as follows_bp
    from committees.health import bp as health_bp
    from committees.mail.views import bp as mail_bp
    from committees.meetings import member_views as my_meetings
    from committees.meetings import public_views as public_meetings
    from committees.meetings import views as meetings
    from committees.meetings.agenda_views import bp as agenda_bp
    from committees.meetings.conduct_views import bp as meeting_conduct_bp
    from committees.meetings.minutes_views import bp as minutes_bp
    from committees.privacy.views import bp as privacy_bp
    from committees.public.committee_views import bp as public_committees_bp
    from committees.public.related import bp as related_bp
    from committees.public.views import bp as public_bp
    from committees.reports.views import bp as reports_bp
    from committees.reports.views import public_bp as public_reports_bp
    from committees.search.views import bp as search_bp

    for blueprint in (
        calendars_bp,
        meetings.bp,
        public_meetings.bp,
        my_meetings.bp,
        public_bp,
        auth_bp,
        health_bp,
        mail_bp,
        dashboard_bp,
        admin_bp,
        decisions_bp,
        public_decisions_bp,
        public_committees_bp,
        member_import_bp,
        bodies_views.bp,
        person_views.bp,
        member_views.bp,
        agenda_bp,
        minutes_bp,
        meeting_conduct_bp,
        public_calls.bp,
        contributor_views.bp,
        calls_admin_bp,
        call_synthesis_bp,
        search_bp,
        feeds_bp,
        related_bp,
        api_bp,
        follows_bp,
        privacy_bp,
        reports_bp,
        public_reports_bp,
    ):
        app.register_blueprint(blueprint)
