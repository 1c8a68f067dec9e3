"""Sessions that end: sign-out, a new password, a reset, an erasure or a disabled account
close every session and « se souvenir de moi » cookie of the account, on the server; the
session and its CSRF token are renewed at sign-in."""

from __future__ import annotations

import pytest

from committees import create_app
from committees.auth.models import Role, User
from committees.auth.services import end_sessions
from committees.auth.tokens import make_reset_token
from committees.extensions import db as _db
from committees.privacy.erasure import erase
from committees.privacy.subjects import subject_for_user
from tests.support.helpers import (
    DEFAULT_PASSWORD,
    csrf_token_from,
    login,
    post_form,
    text_of,
)

NEW_PASSWORD = "a brand new passphrase"
HTTPS = "https://localhost"


@pytest.fixture(scope="module")
def production_app(app):
    """The production profile (secure cookies, real scrypt cost) on the suite's database."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SECRET_KEY", "p" * 48)
        application = create_app(
            {
                "PROFILE": "production",
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
                "MAIL_FILE_DIR": app.config["MAIL_FILE_DIR"],
                "PUBLIC_BASE_URL": HTTPS,
                "ALLOWED_HOSTS": "localhost",
                "REDIS_URL": None,
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
    yield application
    with application.app_context():
        _db.engine.dispose()


def _browser(application):
    client = application.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    client.environ_base["HTTP_HOST"] = "localhost"
    client.environ_base["HTTP_REFERER"] = HTTPS + "/"  # Flask-WTF checks it over HTTPS
    return client


def _sign_in_remembered(client, email: str, password: str = DEFAULT_PASSWORD):
    page = client.get("/login", base_url=HTTPS)
    response = client.post(
        "/login",
        base_url=HTTPS,
        data={
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "email": email,
            "password": password,
            "remember": "y",
        },
    )
    assert response.status_code == 302, text_of(response)
    return response


def _stolen_cookies(client) -> dict[str, str]:
    cookies = {name: client.get_cookie(name) for name in ("session", "remember_token")}
    assert all(cookies.values()), "both cookies were set at sign-in"
    return {name: cookie.value for name, cookie in cookies.items()}


def _replay(application, cookies: dict[str, str], *, only: str | None = None):
    """Another client, with copies of the cookies: what does /dashboard answer it?"""
    thief = _browser(application)
    for name, value in cookies.items():
        if only in (None, name):
            thief.set_cookie(name, value, domain="localhost", secure=True)
    return thief.get("/dashboard", base_url=HTTPS)


@pytest.mark.parametrize("only", [None, "session", "remember_token"])
def test_copied_cookies_open_nothing_after_sign_out(production_app, make_user, only):
    make_user(Role.MEMBER, email="membre@example.org")
    victim = _browser(production_app)
    _sign_in_remembered(victim, "membre@example.org")
    cookies = _stolen_cookies(victim)
    assert _replay(production_app, cookies, only=only).status_code == 200

    page = victim.get("/dashboard", base_url=HTTPS)
    signed_out = victim.post(
        "/logout",
        base_url=HTTPS,
        data={"csrf_token": csrf_token_from(page.get_data(as_text=True))},
    )
    assert signed_out.status_code == 302

    replayed = _replay(production_app, cookies, only=only)
    assert replayed.status_code == 302
    assert replayed.headers["Location"].startswith("/login")


def test_a_password_change_elsewhere_ends_the_remembered_sessions(production_app, make_user):
    make_user(Role.MEMBER, email="membre@example.org")
    laptop, phone = _browser(production_app), _browser(production_app)
    _sign_in_remembered(laptop, "membre@example.org")
    _sign_in_remembered(phone, "membre@example.org")
    cookies = _stolen_cookies(laptop)

    page = phone.get("/account/password", base_url=HTTPS)
    changed = phone.post(
        "/account/password",
        base_url=HTTPS,
        data={
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "current_password": DEFAULT_PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert phone.get("/dashboard", base_url=HTTPS).status_code == 200  # this one stays
    for only in ("session", "remember_token"):
        assert _replay(production_app, cookies, only=only).status_code == 302
    assert laptop.get("/dashboard", base_url=HTTPS).status_code == 302


def test_a_password_reset_ends_every_session(app, client, db, make_user):
    member = make_user(email="known@example.org")
    login(client, "known@example.org", DEFAULT_PASSWORD)
    other = app.test_client()
    path = f"/password/reset/{make_reset_token(member)}"  # the link the e-mail carries
    done = post_form(other, path, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.get("/dashboard").headers["Location"].startswith("/login")


def test_disabling_an_account_ends_its_sessions(app, client, db, make_user, signed_in):
    member = make_user(email="known@example.org")
    other = app.test_client()
    login(other, "known@example.org", DEFAULT_PASSWORD)
    admin = signed_in(Role.ADMIN)
    assert admin.id != member.id
    edit = post_form(
        client,
        f"/admin/users/{member.id}",
        {"full_name": member.full_name, "role": Role.MEMBER.value},  # "is_enabled" unticked
    )
    assert edit.status_code in (302, 303), text_of(edit)
    db.session.expire_all()
    assert db.session.get(User, member.id).is_enabled is False
    assert other.get("/dashboard").headers["Location"].startswith("/login")


def test_an_erasure_ends_every_session(app, client, db, make_user):
    member = make_user(email="known@example.org")
    login(client, "known@example.org", DEFAULT_PASSWORD)
    assert client.get("/dashboard").status_code == 200
    erase(subject_for_user(db.session.get(User, member.id)), None)
    db.session.commit()
    assert client.get("/dashboard").headers["Location"].startswith("/login")


def test_a_disabled_account_loses_its_sessions_even_without_a_new_token(client, db, make_user):
    member = make_user(email="known@example.org")
    login(client, "known@example.org", DEFAULT_PASSWORD)
    member.is_enabled = False  # changed by hand in the database, say
    db.session.commit()
    assert client.get("/dashboard").headers["Location"].startswith("/login")


def test_end_sessions_signs_out_everywhere(app, client, db, make_user):
    member = make_user(email="known@example.org")
    login(client, "known@example.org", DEFAULT_PASSWORD)
    end_sessions(member)
    db.session.commit()
    assert client.get("/dashboard").status_code == 302


# --- renewal at sign-in ----------------------------------------------------------------


def test_a_csrf_token_planted_before_sign_in_is_refused_after(app, db, make_user):
    make_user(Role.MEMBER, email="membre@example.org")
    attacker = app.test_client()
    planted_token = csrf_token_from(attacker.get("/login").get_data(as_text=True))
    planted_cookie = attacker.get_cookie("session").value

    victim = app.test_client()
    victim.set_cookie("session", planted_cookie)  # e.g. through a sibling sub-domain
    assert login(victim, "membre@example.org", DEFAULT_PASSWORD).status_code == 302
    assert victim.get_cookie("session").value != planted_cookie

    forged = victim.post("/my/calendar/regenerate", data={"csrf_token": planted_token})
    assert forged.status_code == 400
    assert "Votre adresse d'abonnement est prête." not in text_of(victim.get("/dashboard"))

    # The victim's own forms work with the renewed token.
    own = post_form(victim, "/my/calendar/regenerate", {}, form_url="/dashboard")
    assert own.status_code == 303


def test_sign_in_keeps_the_chosen_language_only(app, client, make_user):
    make_user(email="known@example.org")
    with client.session_transaction() as session:
        session["locale"] = "en"
        session["planted"] = "by someone else"
    assert login(client, "known@example.org", DEFAULT_PASSWORD).status_code == 302
    with client.session_transaction() as session:
        assert session["locale"] == "en"
        assert "planted" not in session
    assert client.get("/dashboard").status_code == 200
