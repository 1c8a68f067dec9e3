"""Application settings: one table, read from environment variables.

Every setting is one row of ``SETTINGS``: its key in ``app.config``, its type, its default,
the environment variable that overrides it, what it means, and what each profile changes.
Three profiles: ``development`` (the default, demo-friendly), ``testing`` (used by the
suite) and ``production`` (refuses to start without a real ``SECRET_KEY``). ``APP_ENV``
picks one; ``load(profile)`` builds the settings from the table, and ``create_app`` lays
a mapping of its own over them.

The README's configuration table is printed from the same rows (``scripts/settings-table``
writes it in place); ``tests/app/test_settings.py`` fails when the two differ.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent

#: the environment variable that picks the profile, and the profiles it may name
PROFILE_VARIABLE = "APP_ENV"
PROFILES = ("development", "testing", "production")
_DEVELOPMENT, _TESTING, _PRODUCTION = PROFILES

_INSECURE_DEV_KEY = "dev-only-not-secret"  # never accepted in production
_MIB = 1024 * 1024
_DAY = 24 * 3600


class ConfigurationError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def normalize_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver that requirements.txt ships."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# --- types ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How the text of an environment variable becomes a setting's value."""

    name: str  # as the README shows it
    parse: Callable[[str], Any] | None  # None: a Python value, never read from the environment


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _flag(raw: str) -> bool:
    word = raw.strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise ValueError("expected 1/0, true/false, yes/no or on/off")


TEXT = Kind("text", str)
INTEGER = Kind("integer", int)
FLAG = Kind("on/off", _flag)
JSON = Kind("JSON", json.loads)
DATABASE_URL = Kind("URL", normalize_database_url)
PATH = Kind("path", lambda raw: str(Path(raw)))
VALUE = Kind("value", None)


# --- the table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One setting: ``app.config[key]``.

    ``env`` names the environment variable read for it: True for the key itself, False
    for none (a fixed value; a ``VALUE`` is never read). ``profiles`` maps a profile to the
    fields it replaces (``default``, ``env``, ``check``): see ``fixed`` and ``default_in``.
    """

    key: str
    kind: Kind
    #: a value, or a function of the settings read before this one
    default: Any
    meaning: str
    env: str | bool = True
    #: the default as the README writes it, when its value does not read well
    shown: str | None = None
    profiles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: raises ConfigurationError when the value is unsafe
    check: Callable[[Any], None] | None = None

    @property
    def variable(self) -> str | None:
        """The environment variable read for this setting, if any."""
        if self.kind.parse is None:
            return None
        if self.env is True:
            return self.key
        return self.env or None

    def in_profile(self, profile: str) -> Setting:
        """This row as ``profile`` reads it."""
        return replace(self, profiles={}, **self.profiles.get(profile, {}))

    def read(self, settings: Mapping[str, Any]) -> Any:
        """The value: the environment variable's when set (an empty one counts as unset),
        else the default, computed from ``settings`` (those read before) if it is a function."""
        raw = os.environ.get(self.variable) if self.variable else None
        if raw:
            try:
                value = self.kind.parse(raw)  # type: ignore[misc] - never None here
            except ValueError as error:
                raise ConfigurationError(f"{self.variable}={raw!r}: {error}") from None
        elif callable(self.default):
            value = self.default(settings)
        else:
            value = self.default
        if self.check:
            self.check(value)
        return value


def fixed(value: Any) -> dict[str, Any]:
    """A profile override: ``value``, whatever the environment says."""
    return {"default": value, "env": False}


def default_in(value: Any) -> dict[str, Any]:
    """A profile override of the default only: the environment variable still wins."""
    return {"default": value}


def _strong_secret(secret: str) -> None:
    if len(secret) < 32 or secret == _INSECURE_DEV_KEY:
        raise ConfigurationError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            '(for instance: python -c "import secrets; print(secrets.token_hex(32))").'
        )


def _strong_mail_secrets_keys(setting: str) -> None:
    if any(len(key) < 32 for key in setting.replace(",", " ").split()):
        raise ConfigurationError(
            "MAIL_SECRETS_KEY: each key must have at least 32 random characters in production."
        )


def _strong_backup_key(key: str | None) -> None:
    if key is not None and len(key) < 32:
        raise ConfigurationError(
            "BACKUP_KEY must be at least 32 random characters (or unset: a key derived from "
            "SECRET_KEY then authenticates the backups)."
        )


def _in_instance(name: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda settings: str(Path(settings["INSTANCE_PATH"]) / name)


def _engine_options(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Server databases recycle connections before a firewall or the server drops them; a
    SQLite file needs neither that nor a ping (measured in bench/calendar_feeds.py: the
    per-checkout ping halved the throughput of one-query responses on PostgreSQL)."""
    if settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return {}
    options: dict[str, Any] = {"pool_recycle": settings["DATABASE_POOL_RECYCLE"]}
    if settings["DATABASE_POOL_PRE_PING"]:
        options["pool_pre_ping"] = True
    timeout = settings["DATABASE_STATEMENT_TIMEOUT_MS"]
    if timeout and settings["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Set once per connection by the server itself: no round trip per request.
        options["connect_args"] = {"options": f"-c statement_timeout={int(timeout)}"}
    return options


#: Every setting, in reading order (a computed default reads the rows above it).
SETTINGS: tuple[Setting, ...] = (
    Setting("TESTING", VALUE, False, "Flask's testing mode", profiles={_TESTING: fixed(True)}),
    Setting(
        "SECRET_KEY",
        TEXT,
        _INSECURE_DEV_KEY,
        "signs sessions and tokens; **required in production** (32+ random characters), "
        "the application refuses to start without it",
        shown="a development-only key",
        profiles={
            _TESTING: fixed("testing-secret-key"),
            _PRODUCTION: {"default": "", "check": _strong_secret},
        },
    ),
    Setting(
        "INSTANCE_PATH",
        PATH,
        str(BASE_DIR / "instance"),
        "the instance folder: the default home of the SQLite database, uploads and e-mail files",
        shown="`instance/`",
    ),
    # --- database
    Setting(
        "SQLALCHEMY_DATABASE_URI",
        DATABASE_URL,
        lambda s: f"sqlite:///{Path(s['INSTANCE_PATH']) / 'committees.sqlite3'}",
        "SQLAlchemy URL; `postgresql://user@host/db` uses psycopg 3",
        env="DATABASE_URL",
        shown="`sqlite:///instance/committees.sqlite3`",
        profiles={
            # The suite: SQLite in memory unless it names another database.
            _TESTING: {"env": "TEST_DATABASE_URL", "default": "sqlite://"},
        },
    ),
    Setting(
        "DATABASE_POOL_RECYCLE",
        INTEGER,
        1800,
        "seconds after which a pooled connection to a database server is replaced (not SQLite)",
    ),
    Setting(
        "DATABASE_POOL_PRE_PING",
        FLAG,
        False,
        "test each pooled connection before use (a dead one is replaced unseen; costs one "
        "round trip per request). Off, the first request on a connection broken by an "
        "outage answers 503 and the pool is renewed",
    ),
    Setting(
        "DATABASE_STATEMENT_TIMEOUT_MS",
        INTEGER,
        0,
        "PostgreSQL cuts any statement running longer (milliseconds; 0: no limit): the request "
        "answers 503 instead of holding the database. Run long maintenance commands "
        "(`flask backup`, `flask db upgrade`) with 0",
        profiles={_PRODUCTION: default_in(30_000)},
    ),
    Setting("SQLALCHEMY_ENGINE_OPTIONS", VALUE, _engine_options, "engine options"),
    # --- files
    Setting(
        "UPLOAD_FOLDER",
        PATH,
        _in_instance("uploads"),
        "where uploaded files live, named by their SHA-256",
        shown="`instance/uploads`",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        INTEGER,
        40 * _MIB,
        "largest request body, in bytes (larger uploads get the 413 page)",
        shown="40 MiB",
    ),
    Setting(
        "AGENDA_DOCUMENT_MAX_BYTES",
        INTEGER,
        20 * _MIB,
        "largest document attached to an agenda item",
        shown="20 MiB",
    ),
    Setting(
        "PACK_SYNC_MAX_BYTES",
        INTEGER,
        10 * _MIB,
        "session packs whose documents total at most this are built in the request; "
        "larger ones by `flask packs build`",
        shown="10 MiB",
    ),
    Setting(
        "DECISION_PDF_MAX_BYTES",
        INTEGER,
        10 * _MIB,
        "largest signed PDF of a decision",
        shown="10 MiB",
    ),
    Setting(
        "CALL_TEMPLATE_MAX_BYTES",
        INTEGER,
        20 * _MIB,
        "largest answer template attached to a call for contributions",
        shown="20 MiB",
    ),
    # --- backups (flask backup create / restore)
    Setting(
        "BACKUP_KEY",
        TEXT,
        None,
        "key of the HMAC-SHA-256 that authenticates backup archives (32+ random characters; "
        "keep a copy apart from the archives); unset: a key derived from `SECRET_KEY`",
        profiles={_PRODUCTION: {"check": _strong_backup_key}},
    ),
    Setting(
        "BACKUP_MAX_MEMBER_BYTES",
        INTEGER,
        512 * _MIB,
        "largest table dump or file a restore accepts from an archive, once decompressed",
        shown="512 MiB",
    ),
    Setting(
        "BACKUP_MAX_TOTAL_BYTES",
        INTEGER,
        64 * 1024 * _MIB,
        "largest decompressed content of a whole archive a restore accepts",
        shown="64 GiB",
    ),
    Setting(
        "BACKUP_MAX_LINE_BYTES",
        INTEGER,
        64 * _MIB,
        "longest row (one line of a table dump) a restore accepts",
        shown="64 MiB",
    ),
    # --- languages and the agency
    Setting("BABEL_DEFAULT_LOCALE", VALUE, "fr", "French first"),
    Setting("BABEL_DEFAULT_TIMEZONE", VALUE, "Europe/Paris", "dates as in Paris"),
    Setting("LANGUAGES", VALUE, ("fr", "en"), "French first, English second"),
    Setting(
        "AGENCY_NAME",
        TEXT,
        "Agence nationale de sécurité du médicament et des produits de santé",
        "shown in the header, e-mails and PDFs",
        shown="the ANSM's name",
    ),
    Setting("AGENCY_SHORT_NAME", TEXT, "ANSM", "the agency's acronym, in the same places"),
    Setting(
        "PUBLIC_BASE_URL",
        TEXT,
        "http://127.0.0.1:5000",
        "the site's address: every absolute link (e-mails, calendars, Atom feed, API) starts "
        "with it, and its host is the one served when `HOST_CHECK` is on",
        profiles={_TESTING: fixed("http://localhost")},
    ),
    Setting(
        "HOST_CHECK",
        FLAG,
        False,
        "answer 400 to a request whose `Host` is neither `PUBLIC_BASE_URL`'s nor in "
        "`ALLOWED_HOSTS` (links never use the `Host` header either way)",
        profiles={_PRODUCTION: default_in(True)},
    ),
    Setting(
        "ALLOWED_HOSTS",
        TEXT,
        None,
        "other host names served when `HOST_CHECK` is on, comma-separated (`.example.org` "
        "takes its subdomains): a load balancer's probe by address, for instance",
    ),
    Setting(
        "FEED_TAG_AUTHORITY",
        TEXT,
        None,
        "authority of the Atom feed's `tag:` ids (default: `PUBLIC_BASE_URL`'s host)",
    ),
    # --- mail: messages go to the outbox table; `flask send-mail` delivers them
    Setting(
        "MAIL_BACKEND",
        TEXT,
        "smtp",
        "`smtp`, or `file`: `.eml` files written into `MAIL_FILE_DIR`",
        profiles={_DEVELOPMENT: default_in("file"), _TESTING: fixed("smtp")},
    ),
    Setting(
        "MAIL_SERVER", TEXT, "localhost", "SMTP server", profiles={_TESTING: fixed("127.0.0.1")}
    ),
    Setting("MAIL_PORT", INTEGER, 25, "SMTP port"),
    Setting("MAIL_USE_TLS", FLAG, False, "STARTTLS"),
    Setting("MAIL_USE_SSL", FLAG, False, "implicit TLS"),
    Setting("MAIL_USERNAME", TEXT, None, "SMTP user name"),
    Setting("MAIL_PASSWORD", TEXT, None, "SMTP password"),
    Setting("MAIL_TIMEOUT", INTEGER, 30, "seconds to wait for the SMTP server"),
    Setting("MAIL_LOCAL_HOSTNAME", TEXT, None, "name given in EHLO (default: the machine's FQDN)"),
    Setting(
        "MAIL_DEFAULT_SENDER",
        TEXT,
        "Secrétariat des comités <comites@ansm.example>",
        "From address",
    ),
    Setting(
        "MAIL_FILE_DIR",
        PATH,
        _in_instance("mail"),
        "where the `file` backend writes",
        shown="`instance/mail`",
    ),
    Setting("MAIL_MAX_ATTEMPTS", INTEGER, 8, "deliveries tried before a message is failed"),
    Setting(
        "MAIL_RETRY_BASE_SECONDS",
        INTEGER,
        60,
        "first wait before a retry, doubled each time (capped at 6 h)",
        profiles={_TESTING: fixed(1)},
    ),
    Setting(
        "MAIL_SECRETS_KEY",
        TEXT,
        "",
        "encrypts the personal links waiting in the outbox (reset, invitation, confirmation, "
        "answer, unsubscribe); 32+ random characters, several separated by commas to rotate "
        "(the first encrypts); empty: derived from `SECRET_KEY`",
        shown="derived from `SECRET_KEY`",
        profiles={_PRODUCTION: {"check": _strong_mail_secrets_keys}},
    ),
    # --- accounts
    Setting("PASSWORD_MIN_LENGTH", VALUE, 12, "shortest password accepted"),
    Setting(
        "PASSWORD_HASH_METHOD",
        TEXT,
        "scrypt",
        "werkzeug hash method (the test profile lowers its cost)",
        # The suite: the same algorithm at a cost it can afford.
        profiles={_TESTING: fixed("scrypt:1024:8:1")},
    ),
    Setting("PASSWORD_RESET_MAX_AGE", INTEGER, 3600, "seconds a password-reset link stays valid"),
    Setting(
        "EMAIL_CONFIRM_MAX_AGE",
        INTEGER,
        7 * _DAY,
        "seconds an address-confirmation link stays valid (accounts and follows)",
        shown="7 days",
    ),
    Setting(
        "INVITATION_MAX_AGE",
        INTEGER,
        7 * _DAY,
        "seconds an invitation to open an account stays valid",
        shown="7 days",
    ),
    Setting(
        "MINUTES_COMMENT_DAYS",
        INTEGER,
        15,
        "days the participants have to comment on draft minutes sent to them",
    ),
    Setting("SESSION_COOKIE_HTTPONLY", VALUE, True, "no script reads the session cookie"),
    Setting(
        "SESSION_COOKIE_SAMESITE",
        VALUE,
        "Lax",
        "no session on requests from other sites",
    ),
    Setting("REMEMBER_COOKIE_HTTPONLY", VALUE, True, "the same for « se souvenir de moi »"),
    Setting("REMEMBER_COOKIE_SAMESITE", VALUE, "Lax", "the same for « se souvenir de moi »"),
    # HTTPS-only cookies and links in production.
    Setting(
        "SESSION_COOKIE_SECURE",
        VALUE,
        False,
        "session cookie over HTTPS only",
        profiles={_PRODUCTION: fixed(True)},
    ),
    Setting(
        "REMEMBER_COOKIE_SECURE",
        VALUE,
        False,
        "the same for « se souvenir de moi »",
        profiles={_PRODUCTION: fixed(True)},
    ),
    Setting(
        "PREFERRED_URL_SCHEME",
        VALUE,
        "http",
        "scheme of absolute URLs built outside a request",
        profiles={_PRODUCTION: fixed("https")},
    ),
    Setting("WTF_CSRF_TIME_LIMIT", VALUE, None, "the session lifetime bounds the token"),
    # --- behind a proxy, several workers, throttling
    Setting(
        "PROXY_FIX",
        FLAG,
        False,
        "trust one reverse proxy's `X-Forwarded-For`, `-Proto` and `-Host` headers: the client's "
        "address (rate limits, logs) is then the one the proxy saw",
    ),
    Setting(
        "REDIS_URL",
        TEXT,
        None,
        "Redis shared by every worker (rate limits, kept public pages); never required: while "
        "it is down each worker counts and keeps on its own",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        TEXT,
        lambda s: s["REDIS_URL"] or "memory://",
        "Flask-Limiter storage, if it must differ from `REDIS_URL`",
        shown="`REDIS_URL`, else `memory://`",
    ),
    Setting(
        "RATELIMIT_KEY_PREFIX",
        TEXT,
        "committees",
        "prefix of the rate-limit counters (deployments sharing one Redis)",
    ),
    Setting("RATELIMIT_HEADERS_ENABLED", VALUE, True, "answers tell the client its limits"),
    # Redis is an accelerator: when it fails, each worker counts in its own memory (with a
    # warning in the log) and goes back to Redis when it answers again.
    Setting("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", VALUE, True, "limits survive a Redis outage"),
    Setting("RATELIMIT_SWALLOW_ERRORS", VALUE, True, "a storage failure never fails a page"),
    Setting(
        "RATELIMIT_STORAGE_OPTIONS",
        VALUE,
        {"socket_connect_timeout": 1, "socket_timeout": 1},
        "an unreachable Redis costs a second, not a hung worker",
    ),
    Setting(
        "LOGIN_LIMIT_PER_ADDRESS", TEXT, "30 per 15 minutes", "failed sign-ins from one address"
    ),
    Setting(
        "LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS",
        TEXT,
        "5 per 15 minutes",
        "failed sign-ins (and password changes) on one account from one address",
    ),
    Setting(
        "LOGIN_LIMIT_PER_ACCOUNT",
        TEXT,
        "50 per hour",
        "failed sign-ins on one account from all addresses; beyond, the owner is sent a link "
        "that lets their browser through",
    ),
    Setting(
        "LOGIN_UNLOCK_MAX_AGE",
        INTEGER,
        3600,
        "seconds the sign-in unlock link sent to the owner of an attacked account stays valid",
    ),
    Setting(
        "PASSWORD_RESET_LIMIT_PER_ADDRESS",
        TEXT,
        "10 per hour",
        "password-reset requests from one address",
    ),
    Setting("REGISTER_LIMIT_PER_ADDRESS", TEXT, "10 per hour", "sign-ups from one address"),
    Setting(
        "FOLLOW_LIMIT_PER_ADDRESS",
        TEXT,
        "20 per hour",
        "« Suivre » requests from one address (each sends a confirmation e-mail)",
    ),
    Setting("API_RATE_LIMIT", TEXT, "600 per minute", "requests to the open data API"),
    # --- public pages kept for anonymous visitors (committees.publication)
    Setting(
        "PUBLIC_CACHE_BYTES",
        INTEGER,
        64 * _MIB,
        "anonymous public pages, Atom and API answers kept per worker, and shared through "
        "`REDIS_URL` when set; dashboard panels drawn from public rows kept per worker "
        "(0: off, Redis included)",
        shown="64 MiB",
    ),
    # --- search (committees.search)
    Setting(
        "SEARCH_COUNT_CAP",
        INTEGER,
        1000,
        "matches the search page counts; beyond, it says « plus de 1 000 résultats » and its "
        "pages stop there",
    ),
    # --- calendars
    Setting("CALENDAR_PAST_DAYS", INTEGER, 365, "days back that calendar feeds go"),
    Setting(
        "CALENDAR_CACHE_BYTES",
        INTEGER,
        32 * _MIB,
        "whole feeds kept per worker (0: off)",
        shown="32 MiB",
    ),
    Setting(
        "CALENDAR_EVENT_CACHE_BYTES",
        INTEGER,
        32 * _MIB,
        "built events kept per worker (0: off)",
        shown="32 MiB",
    ),
    # --- retention of personal data (flask retention run; stated on the privacy page)
    Setting(
        "RETENTION_CONTRIBUTOR_CONTACT_YEARS",
        INTEGER,
        3,
        "years after a call closes before its contributors' contacts are anonymised",
    ),
    Setting(
        "RETENTION_OUTBOX_BODY_DAYS", INTEGER, 90, "days before a sent e-mail's body is emptied"
    ),
    Setting(
        "RETENTION_ANSWER_TOKEN_DAYS",
        INTEGER,
        30,
        "days after a session before its convocation answer links are removed",
    ),
    Setting(
        "RETENTION_ORPHAN_FILE_HOURS",
        INTEGER,
        24,
        "hours before a stored file no row names is deleted",
    ),
    # --- accessibility statement (/accessibility, RGAA 4.1), in the legal form: the site
    # says "non conforme" until an audit is recorded. An audit is a dict:
    #   {"date": "2027-03-15", "rate": 87.5, "auditor": "Société X",
    #    "environment": ["Firefox 128 et NVDA 2024.4", ...], "tools": ["axe-core", ...],
    #    "pages": [("Accueil", "/"), ...]}
    # (rate: share of the applicable RGAA criteria met, in %).
    Setting(
        "ACCESSIBILITY_AUDIT",
        JSON,
        None,
        "the recorded RGAA audit (`date`, `rate`, `auditor`, `environment`, `tools`, `pages`); "
        'without it the statement says "non conforme"',
    ),
    Setting(
        "ACCESSIBILITY_STATEMENT_DATE",
        TEXT,
        "2026-12-04",
        "the day the statement was written (the audit's day once there is one)",
    ),
    Setting(
        "ACCESSIBILITY_CONTACT",
        TEXT,
        "accessibilite@ansm.example",
        "contact linked from the statement",
    ),
    Setting(
        "ACCESSIBILITY_PLAN_URL",
        TEXT,
        "https://ansm.example/accessibilite/schema-pluriannuel",
        "multi-year plan linked from the statement",
        shown="the agency's plan",
    ),
    # --- operations
    Setting(
        "LOG_JSON",
        FLAG,
        False,
        "one JSON object per request line (request id, method, path, status, duration)",
        profiles={_PRODUCTION: default_in(True), _TESTING: fixed(False)},
    ),
    Setting("ACCESS_LOG", VALUE, True, "one log line per request"),
    Setting(
        "HSTS_MAX_AGE",
        INTEGER,
        0,
        "`Strict-Transport-Security` max-age, in seconds (0: no header)",
        # Browsers keep to HTTPS for a year once they have seen the site over it.
        profiles={_PRODUCTION: default_in(31_536_000), _TESTING: fixed(0)},
    ),
    Setting(
        "READY_OUTBOX_MAX_AGE",
        INTEGER,
        3600,
        "seconds a pending e-mail may wait before `/readyz` answers 503",
    ),
)


def load(name: str | None = None) -> dict[str, Any]:
    """Return the settings of profile ``name`` (default: ``APP_ENV`` or development)."""
    name = name or os.environ.get(PROFILE_VARIABLE) or _DEVELOPMENT
    if name not in PROFILES:
        raise ConfigurationError(
            f"Unknown configuration profile {name!r}; expected one of {sorted(PROFILES)}."
        )
    settings: dict[str, Any] = {}
    for setting in SETTINGS:
        settings[setting.key] = setting.in_profile(name).read(settings)
    return settings


def variables() -> set[str]:
    """Every environment variable the settings read, in any profile."""
    names = {PROFILE_VARIABLE}
    for setting in SETTINGS:
        names.update(setting.in_profile(p).variable for p in PROFILES)
    names.discard(None)  # type: ignore[arg-type]
    return names


#: each row by its key
BY_KEY: dict[str, Setting] = {setting.key: setting for setting in SETTINGS}


# --- the README's table ---------------------------------------------------------------


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int):
        return f"{value}"
    return f"`{value}`"


def _default_cell(setting: Setting) -> str:
    if setting.shown:
        return setting.shown
    cell = _shown(setting.default)
    # What another profile changes in the default (the testing profile is the suite's).
    notes = [
        f"{_shown(override['default'])} in {profile}"
        for profile, override in setting.profiles.items()
        if profile != _TESTING and "default" in override and "env" not in override
    ]
    return f"{cell} ({', '.join(notes)})" if notes else cell


def markdown_table() -> str:
    """The README's configuration table: one row per environment variable."""
    profiles = ", ".join(f"`{p}`" for p in PROFILES)
    rows = [
        "| variable | type | default | meaning |",
        "|---|---|---|---|",
        f"| `{PROFILE_VARIABLE}` | text | `{_DEVELOPMENT}` | settings profile: {profiles} |",
    ]
    for setting in SETTINGS:
        if setting.variable is None:
            continue
        kind, meaning = setting.kind.name, setting.meaning
        rows.append(f"| `{setting.variable}` | {kind} | {_default_cell(setting)} | {meaning} |")
        # A profile reading another variable (the suite's TEST_DATABASE_URL) gets its row.
        for profile, override in setting.profiles.items():
            variable = override.get("env")
            if isinstance(variable, str) and variable != setting.variable:
                default = _shown(override.get("default", setting.default))
                meaning = f"`{setting.variable}` of the {profile} profile"
                rows.append(f"| `{variable}` | {kind} | {default} | {meaning} |")
    return "\n".join(rows) + "\n"
