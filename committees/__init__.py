"""committees: the scientific committees of a national health agency.

``create_app`` builds the Flask application: settings, extensions, blueprints,
CLI commands and error pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Every domain, each registering itself (blueprints, commands, dashboard panels, flush
#: listeners, template filters, registry entries) through its package's ``init_app(app)``.
#: Lower layers first: a domain may rely on what those before it registered.
DOMAINS = (
    "audit",
    "auth",
    "mail",
    "admin",
    "dashboard",
    "bodies",
    "decisions",
    "meetings",
    "procedures",
    "calendars",
    "calls",
    "follows",
    "reports",
    "search",
    "feeds",
    "public",
    "api",
    "publication",
    "privacy",
    "reminders",
    "operations",
    "demo",
)


def create_app(config: str | Mapping[str, Any] | None = None) -> Flask:
    """Build the application.

    ``config`` is a profile name ("development", "testing", "production"), a mapping
    of settings laid over the ``APP_ENV`` profile (or over its own ``"PROFILE"`` key), or
    None for the ``APP_ENV`` profile.
    """
    if isinstance(config, Mapping):
        loaded = {**settings.load(config.get("PROFILE")), **config}
    else:
        loaded = settings.load(config)
    app = Flask(
        __name__,
        instance_path=loaded["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(loaded)
    from committees.publication import http as kept_pages

    # Kept public pages are answered just outside Flask, inside every middleware laid
    # over it below (host check, proxy, language prefix); kept after every other hook.
    kept_pages.register(app)
    # Only the configured host names, checked inside the proxy middleware.
    from committees.common import urls

    urls.init_app(app)
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    from committees.i18n import LanguagePrefix

    # /en/… and /fr/…: the language in the address, so that anonymous pages set no cookie.
    app.wsgi_app = LanguagePrefix(app.wsgi_app, app.config["LANGUAGES"])  # type: ignore[method-assign]
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from committees.common import converters
    from committees.common.sessions import SessionInterface

    app.session_interface = SessionInterface()
    # Before any blueprint: their rules use the converters.
    converters.register(app)
    _load_models()
    _init_extensions(app)
    for name in DOMAINS:
        import_module(f"committees.{name}").init_app(app)

    from committees import errors, observability, security

    # First, so that every other hook and error page runs with the request id.
    observability.register(app)
    errors.register(app)
    security.register(app)
    return app


def _load_models() -> None:
    """Every domain's tables in the metadata before anything maps, migrates or queries them:
    the ``models`` module (or package) of each domain that has one."""
    for name in DOMAINS:
        if find_spec(f"committees.{name}.models") is not None:
            import_module(f"committees.{name}.models")


def _init_extensions(app: Flask) -> None:
    from committees import i18n, layout, templating
    from committees.extensions import (
        babel,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
        register_listeners,
    )
    from committees.search.schema import include_object

    register_listeners()
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
    i18n.register(app)
    templating.register(app)
    layout.register(app)
