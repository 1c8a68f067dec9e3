"""One table of settings (config.py): what the environment says reaches the application,
the README documents exactly the variables read, and behind a reverse proxy each client
has its own rate-limit address when PROXY_FIX is on."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from itertools import takewhile
from pathlib import Path

import pytest

import config
from committees import create_app
from committees.common.timeutils import utcnow
from committees.extensions import db as _db
from committees.mail.models import OutboxMessage
from tests.support.helpers import login

ROOT = Path(config.__file__).resolve().parent
README = ROOT / "README.md"
# Two visitors, as the reverse proxy names them in X-Forwarded-For (the test client is the
# proxy: REMOTE_ADDR 127.0.0.1).
CLIENT_A, CLIENT_B = "203.0.113.7", "198.51.100.23"


def _configuration_section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Configuration\n(.*?)^## ", text, re.M | re.S)
    assert match, 'README.md has no "## Configuration" section'
    return match.group(1)


def _readme_variables() -> set[str]:
    """The variables named in the first column of the README's configuration table."""
    names: set[str] = set()
    for line in _configuration_section().splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


# --- the README and the table ---------------------------------------------------------


def test_every_variable_the_readme_names_is_read():
    assert _readme_variables() - config.variables() == set()


def test_every_variable_read_is_in_the_readme():
    assert config.variables() - _readme_variables() == set()


def test_the_readme_table_is_printed_from_the_settings():
    assert config.markdown_table() in _configuration_section(), (
        "README.md's configuration table differs from config.py: run scripts/settings-table"
    )


def test_no_code_repeats_a_default_of_the_table():
    """A key of the table is read as ``config[KEY]``: a default passed to ``.get`` would be
    a second default, which drifts from the table's."""
    repeated = []
    for path in sorted((ROOT / "committees").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and len(node.args) == 2
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in config.BY_KEY
            ):
                repeated.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.args[0].value}")
    assert repeated == []


# --- loading --------------------------------------------------------------------------


@pytest.mark.parametrize("profile", config.PROFILES)
def test_every_profile_has_every_setting(monkeypatch, profile):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    assert set(config.load(profile)) == set(config.BY_KEY)


def test_variables_are_typed(monkeypatch):
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "yes")
    monkeypatch.setenv("PROXY_FIX", "1")
    monkeypatch.setenv("ACCESSIBILITY_AUDIT", '{"date": "2027-03-15", "rate": 87.5}')
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.internal/committees")
    settings = config.load("development")
    assert settings["MAIL_PORT"] == 587
    assert settings["MAIL_USE_TLS"] is True
    assert settings["PROXY_FIX"] is True
    assert settings["ACCESSIBILITY_AUDIT"] == {"date": "2027-03-15", "rate": 87.5}
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db.internal/committees"
    assert settings["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_recycle": 1800}


def test_an_empty_variable_counts_as_unset(monkeypatch):
    monkeypatch.setenv("MAIL_PORT", "")
    monkeypatch.setenv("PROXY_FIX", "")
    settings = config.load("development")
    assert (settings["MAIL_PORT"], settings["PROXY_FIX"]) == (25, False)


@pytest.mark.parametrize(
    ("variable", "value"), [("MAIL_PORT", "twenty-five"), ("PROXY_FIX", "maybe")]
)
def test_a_value_of_the_wrong_type_stops_the_start(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(config.ConfigurationError, match=variable):
        config.load("development")


def test_profiles_override_what_the_table_says(monkeypatch):
    monkeypatch.setenv("MAIL_BACKEND", "smtp")
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db.internal/committees")
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.delenv("HSTS_MAX_AGE", raising=False)
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    # Development: the variable wins over the profile's default.
    assert config.load("development")["MAIL_BACKEND"] == "smtp"
    monkeypatch.delenv("MAIL_BACKEND")
    assert config.load("development")["MAIL_BACKEND"] == "file"
    # Testing: its own database, whatever DATABASE_URL says.
    assert config.load("testing")["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    production = config.load("production")
    assert production["HSTS_MAX_AGE"] == 31_536_000
    assert production["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("secret", [None, "short", "dev-only-not-secret"])
def test_production_refuses_a_weak_secret_key(monkeypatch, secret):
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(config.ConfigurationError, match="SECRET_KEY"):
        config.load("production")


# --- from the environment to the running application ---------------------------------


@pytest.fixture(scope="module")
def proxied_app(app):
    """A second application on the suite's database, set up through environment variables
    as an operator would: behind one reverse proxy, with its own limits."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROXY_FIX", "1")
        patch.setenv("LOGIN_LIMIT_PER_ADDRESS", "2 per minute")
        patch.setenv("FOLLOW_LIMIT_PER_ADDRESS", "7 per hour")
        patch.setenv("READY_OUTBOX_MAX_AGE", "120")
        proxied = create_app(
            {
                "PROFILE": "testing",
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
                "REDIS_URL": None,
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
    yield proxied
    with proxied.app_context():
        _db.engine.dispose()


def _client_behind_the_proxy(application, address: str):
    client = application.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return client


def _failed_sign_in(client, n: int) -> int:
    # A new account each time: only the per-address limit may answer 429.
    return login(client, f"nobody{n}@example.org", "not the password").status_code


def test_the_environment_reaches_the_application(proxied_app):
    assert proxied_app.config["PROXY_FIX"] is True
    assert proxied_app.config["FOLLOW_LIMIT_PER_ADDRESS"] == "7 per hour"
    assert proxied_app.config["READY_OUTBOX_MAX_AGE"] == 120
    assert proxied_app.config["LOGIN_LIMIT_PER_ADDRESS"] == "2 per minute"


def test_behind_the_proxy_each_client_has_its_own_limit(proxied_app):
    first = _client_behind_the_proxy(proxied_app, CLIENT_A)
    second = _client_behind_the_proxy(proxied_app, CLIENT_B)
    assert [_failed_sign_in(first, n) for n in range(3)] == [422, 422, 429]
    assert _failed_sign_in(second, 3) == 422


def test_without_proxy_fix_every_client_shares_the_proxys_address(app, monkeypatch):
    assert app.config["PROXY_FIX"] is False
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "2 per minute")
    first = _client_behind_the_proxy(app, CLIENT_A)
    second = _client_behind_the_proxy(app, CLIENT_B)
    assert [_failed_sign_in(first, n) for n in range(2)] == [422, 422]
    assert _failed_sign_in(second, 2) == 429


def test_the_readiness_probe_reads_its_limit_from_the_environment(app, db, proxied_app):
    db.session.add(
        OutboxMessage(
            recipient="a@example.org",
            subject="s",
            body_text="t",
            kind="test",
            message_id="<five-minutes@example.org>",
            next_attempt_at=utcnow() - timedelta(minutes=5),
        )
    )
    db.session.commit()
    assert app.test_client().get("/readyz").status_code == 200  # the default: one hour
    late = proxied_app.test_client().get("/readyz")
    assert late.status_code == 503
    assert late.get_json()["checks"]["outbox"].startswith("1 message(s) waiting")


# --- the README's command table -------------------------------------------------------

#: command groups an extension brings, named in the README's text rather than row by row
EXTENSION_GROUPS = {"db", "limiter"}


def test_every_command_has_its_row_in_the_readme(app):
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Command line\n(.*?)^## ", text, re.M | re.S)
    assert section, 'README.md has no "## Command line" section'
    documented = set()
    for line in section.group(1).splitlines():
        if line.startswith("|"):
            # `backup create FILE`: the command's words, up to its arguments and options.
            words = line.split("|")[1].strip().strip("`").split()
            documented.add(" ".join(takewhile(lambda w: re.fullmatch("[a-z][a-z-]*", w), words)))
    missing = []
    for name, command in app.cli.commands.items():
        if name in EXTENSION_GROUPS:
            if f"`{name}`" not in section.group(1):
                missing.append(name)
            continue
        for sub in getattr(command, "commands", {None: None}):
            full = f"{name} {sub}" if sub else name
            if full not in documented:
                missing.append(full)
    assert missing == []
