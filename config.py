"""Application settings, read from environment variables.

Three profiles: ``development`` (the default, demo-friendly), ``testing`` (used by the
suite) and ``production`` (refuses to start without a real ``SECRET_KEY``).
Every value can be overridden by passing a mapping to ``create_app``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))

_INSECURE_DEV_KEY = "dev-only-not-secret"  # never accepted in production


class ConfigurationError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def normalize_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver that requirements.txt ships."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def _env_json(name: str) -> Any:
    raw = os.environ.get(name)
    return None if raw in (None, "") else json.loads(raw)


def _engine_options(url: str) -> dict[str, Any]:
    """Server databases recycle connections before a firewall or the server drops them; a
    SQLite file needs neither that nor a ping (measured in bench/calendar_feeds.py: the
    per-checkout ping halved the throughput of one-query responses on PostgreSQL)."""
    if url.startswith("sqlite"):
        return {}
    return {"pool_recycle": _env_int("DATABASE_POOL_RECYCLE", 1800)}


def _common() -> dict[str, Any]:
    sqlite_default = f"sqlite:///{INSTANCE_DIR / 'committees.sqlite3'}"
    database_url = normalize_database_url(os.environ.get("DATABASE_URL") or sqlite_default)
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", _INSECURE_DEV_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads")),
        "MAX_CONTENT_LENGTH": _env_int("MAX_CONTENT_LENGTH", 40 * 1024 * 1024),
        "AGENDA_DOCUMENT_MAX_BYTES": _env_int("AGENDA_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024),
        "DECISION_PDF_MAX_BYTES": _env_int("DECISION_PDF_MAX_BYTES", 10 * 1024 * 1024),
        # Languages: French first, English second.
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "LANGUAGES": ("fr", "en"),
        "AGENCY_NAME": os.environ.get(
            "AGENCY_NAME", "Agence nationale de sécurité du médicament et des produits de santé"
        ),
        "AGENCY_SHORT_NAME": os.environ.get("AGENCY_SHORT_NAME", "ANSM"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Mail: messages go to the outbox table; `flask send-mail` delivers them.
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _env_int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", False),  # STARTTLS
        "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL", False),  # implicit TLS
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_TIMEOUT": _env_int("MAIL_TIMEOUT", 30),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Secrétariat des comités <comites@ansm.example>"
        ),
        "MAIL_FILE_DIR": os.environ.get("MAIL_FILE_DIR", str(INSTANCE_DIR / "mail")),
        "MAIL_MAX_ATTEMPTS": _env_int("MAIL_MAX_ATTEMPTS", 8),
        "MAIL_RETRY_BASE_SECONDS": _env_int("MAIL_RETRY_BASE_SECONDS", 60),
        # Accounts.
        "PASSWORD_MIN_LENGTH": 12,
        # werkzeug's scrypt (N=2^15); the suite lowers the cost to stay fast.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "PASSWORD_RESET_MAX_AGE": _env_int("PASSWORD_RESET_MAX_AGE", 3600),
        "EMAIL_CONFIRM_MAX_AGE": _env_int("EMAIL_CONFIRM_MAX_AGE", 7 * 24 * 3600),
        # days the participants have to comment on draft minutes sent to them
        "MINUTES_COMMENT_DAYS": _env_int("MINUTES_COMMENT_DAYS", 15),
        "INVITATION_MAX_AGE": _env_int("INVITATION_MAX_AGE", 7 * 24 * 3600),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Shared state of several workers (rate limits): Redis when REDIS_URL is set.
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Throttling (Flask-Limiter). Failed logins only are counted. With several workers,
        # the counts must be shared: REDIS_URL (or an explicit storage URI) does that.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or os.environ.get("REDIS_URL")
        or "memory://",
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "committees"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per 15 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "PASSWORD_RESET_LIMIT_PER_ADDRESS": os.environ.get(
            "PASSWORD_RESET_LIMIT_PER_ADDRESS", "10 per hour"
        ),
        "REGISTER_LIMIT_PER_ADDRESS": os.environ.get("REGISTER_LIMIT_PER_ADDRESS", "10 per hour"),
        "WTF_CSRF_TIME_LIMIT": None,  # the session lifetime bounds the token
        # Calendars: how far back feeds go, and the per-worker caches of the feeds.
        "CALENDAR_PAST_DAYS": _env_int("CALENDAR_PAST_DAYS", 365),
        "CALENDAR_CACHE_BYTES": _env_int("CALENDAR_CACHE_BYTES", 32 * 1024 * 1024),
        "CALENDAR_EVENT_CACHE_BYTES": _env_int("CALENDAR_EVENT_CACHE_BYTES", 32 * 1024 * 1024),
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "600 per minute"),
        # Retention of personal data (flask retention run; stated on the privacy page).
        "RETENTION_CONTRIBUTOR_CONTACT_YEARS": _env_int("RETENTION_CONTRIBUTOR_CONTACT_YEARS", 3),
        "RETENTION_OUTBOX_BODY_DAYS": _env_int("RETENTION_OUTBOX_BODY_DAYS", 90),
        "RETENTION_ANSWER_TOKEN_DAYS": _env_int("RETENTION_ANSWER_TOKEN_DAYS", 30),
        "RETENTION_ORPHAN_FILE_HOURS": _env_int("RETENTION_ORPHAN_FILE_HOURS", 24),
        # Accessibility statement (/accessibility, RGAA 4.1), in the legal form: the site says
        # "non conforme" until an audit is recorded here. An audit is a dict:
        #   {"date": "2027-03-15", "rate": 87.5, "auditor": "Société X",
        #    "environment": ["Firefox 128 et NVDA 2024.4", ...], "tools": ["axe-core", ...],
        #    "pages": [("Accueil", "/"), ...]}
        # (rate: share of the applicable RGAA criteria met, in %). ACCESSIBILITY_AUDIT in the
        # environment takes the same dict as JSON.
        "ACCESSIBILITY_AUDIT": _env_json("ACCESSIBILITY_AUDIT"),
        "ACCESSIBILITY_STATEMENT_DATE": os.environ.get(
            "ACCESSIBILITY_STATEMENT_DATE", "2026-12-04"
        ),
        "ACCESSIBILITY_CONTACT": os.environ.get(
            "ACCESSIBILITY_CONTACT", "accessibilite@ansm.example"
        ),
        "ACCESSIBILITY_PLAN_URL": os.environ.get(
            "ACCESSIBILITY_PLAN_URL", "https://ansm.example/accessibilite/schema-pluriannuel"
        ),
    }


def development() -> dict[str, Any]:
    """Settings for a developer's machine and the demo: mail is written to files."""
    cfg = _common()
    cfg["ENV_NAME"] = "development"
    cfg["MAIL_BACKEND"] = os.environ.get("MAIL_BACKEND", "file")
    return cfg


def testing() -> dict[str, Any]:
    """Settings for the test suite: SQLite unless TEST_DATABASE_URL names another database."""
    cfg = _common()
    cfg["ENV_NAME"] = "testing"
    cfg["TESTING"] = True
    cfg["SECRET_KEY"] = "testing-secret-key"  # noqa: S105
    cfg["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(
        os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    )
    cfg["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(cfg["SQLALCHEMY_DATABASE_URI"])
    cfg["MAIL_BACKEND"] = "smtp"
    cfg["MAIL_SERVER"] = "127.0.0.1"
    cfg["MAIL_RETRY_BASE_SECONDS"] = 1
    # Same algorithm, cheap enough for the suite (not a password: S105 misreads the key).
    cfg["PASSWORD_HASH_METHOD"] = "scrypt:1024:8:1"  # noqa: S105
    cfg["PUBLIC_BASE_URL"] = "http://localhost"
    return cfg


def production() -> dict[str, Any]:
    """Settings for production: a real SECRET_KEY is mandatory, cookies are HTTPS-only."""
    cfg = _common()
    cfg["ENV_NAME"] = "production"
    secret = os.environ.get("SECRET_KEY", "")
    if len(secret) < 32 or secret == _INSECURE_DEV_KEY:
        raise ConfigurationError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            '(for instance: python -c "import secrets; print(secrets.token_hex(32))").'
        )
    cfg["SECRET_KEY"] = secret
    cfg["SESSION_COOKIE_SECURE"] = True
    cfg["REMEMBER_COOKIE_SECURE"] = True
    cfg["PREFERRED_URL_SCHEME"] = "https"
    # One JSON object per request line, for log collectors.
    cfg["LOG_JSON"] = os.environ.get("LOG_JSON", "1") not in ("0", "false", "")
    # Browsers keep to HTTPS for a year once they have seen the site over it.
    cfg["HSTS_MAX_AGE"] = int(os.environ.get("HSTS_MAX_AGE", 31_536_000))
    return cfg


PROFILES = {"development": development, "testing": testing, "production": production}


def load(name: str | None = None) -> dict[str, Any]:
    """Return the settings of profile ``name`` (default: ``APP_ENV`` or development)."""
    name = name or os.environ.get("APP_ENV", "development")
    try:
        return PROFILES[name]()
    except KeyError:
        raise ConfigurationError(
            f"Unknown configuration profile {name!r}; expected one of {sorted(PROFILES)}."
        ) from None
