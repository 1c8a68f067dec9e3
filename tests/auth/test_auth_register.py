"""Self-registration of stakeholders: the account, the confirmation link, bad input."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from committees.auth.models import Role, User
from committees.mail.models import OutboxMessage
from tests.support.helpers import (
    DEFAULT_PASSWORD,
    count_rows,
    delivered_text,
    errors_beside,
    login,
    outbox,
    post_form,
    text_of,
)

PASSWORD = "a long enough passphrase"
_CONFIRM_LINK = re.compile(r"http://localhost(/register/confirm/\S+)")


def _register(client, **overrides):
    data = {
        "full_name": "Jeanne Martin",
        "email": "jeanne.martin@example.org",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_privacy": "y",
    }
    data.update(overrides)
    return post_form(client, "/register", data)


def _confirm_path(message: OutboxMessage) -> str:
    match = _CONFIRM_LINK.search(delivered_text(message))
    assert match, delivered_text(message)
    return match.group(1)


def test_register_page_links_the_privacy_notice(client):
    html = client.get("/register").get_data(as_text=True)
    assert 'href="/privacy"' in html
    assert 'autocomplete="new-password"' in html
    assert html.count("<h1") == 1


def test_registration_creates_an_unconfirmed_contributor_and_sends_a_link(client, db):
    response = _register(client, email="Jeanne.Martin@Example.org")
    assert response.status_code == 302
    done = client.get(response.headers["Location"])
    assert "Consultez votre messagerie" in text_of(done)

    user = db.session.execute(select(User)).scalar_one()
    assert user.email == "jeanne.martin@example.org"
    assert user.full_name == "Jeanne Martin"
    assert user.role == Role.CONTRIBUTOR.value
    assert user.email_confirmed_at is None

    [message] = outbox(db)
    assert message.recipient == "jeanne.martin@example.org"
    assert message.kind == "confirm_email"
    assert message.subject == "Confirmez votre adresse électronique"
    assert "Bonjour Jeanne Martin," in message.body_text
    assert "Le secrétariat des comités" in message.body_text


def test_login_before_confirmation_is_refused_with_guidance(client, db):
    _register(client)
    response = login(client, "jeanne.martin@example.org", PASSWORD)
    assert response.status_code == 422
    assert "n'est pas encore confirmée" in text_of(response)
    assert "Recevoir un nouveau lien de confirmation" in text_of(response)
    assert client.get("/account/password").status_code == 302


def test_unconfirmed_guidance_needs_the_right_password(client, db):
    _register(client)
    response = login(client, "jeanne.martin@example.org", "wrong password entirely")
    assert "Adresse électronique ou mot de passe incorrect." in text_of(response)
    assert "confirmée" not in text_of(response)


def test_new_confirmation_link_from_the_login_page(client, db):
    _register(client)
    login(client, "jeanne.martin@example.org", PASSWORD)
    response = post_form(
        client,
        "/register/resend",
        {"email": "jeanne.martin@example.org"},
        form_url="/login",
    )
    assert response.status_code == 302
    _first, second = outbox(db)
    assert second.kind == "confirm_email"
    assert _confirm_path(second).startswith("/register/confirm/")


def test_confirmation_link_activates_the_account(client, db):
    _register(client)
    path = _confirm_path(outbox(db)[0])
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert db.session.execute(select(User.email_confirmed_at)).scalar_one() is not None
    assert login(client, "jeanne.martin@example.org", PASSWORD).status_code == 302
    # A second click is harmless.
    assert client.get(path).status_code == 302


def test_invalid_confirmation_link_offers_a_new_one(client, db):
    response = client.get("/register/confirm/garbage")
    assert response.status_code == 400
    text = text_of(response)
    assert "Ce lien de confirmation est incorrect ou a expiré." in text
    assert 'action="/register/resend"' in response.get_data(as_text=True)


def test_expired_confirmation_link_is_refused(app, client, db, monkeypatch):
    _register(client)
    path = _confirm_path(outbox(db)[0])
    # itsdangerous refuses a token whose age exceeds max_age; a negative one has expired.
    monkeypatch.setitem(app.config, "EMAIL_CONFIRM_MAX_AGE", -1)
    assert client.get(path).status_code == 400
    assert db.session.execute(select(User.email_confirmed_at)).scalar_one() is None


def test_resend_reveals_nothing(client, db, make_user):
    make_user(email="confirmed@example.org")
    answers = [
        post_form(client, "/register/resend", {"email": email})
        for email in ("nobody@example.org", "confirmed@example.org")
    ]
    assert {a.status_code for a in answers} == {302}
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert outbox(db) == []


def test_duplicate_address_creates_nothing_and_warns_the_owner(client, db, make_user):
    owner = make_user(Role.MEMBER, email="owner@example.org", full_name="Paul Owner")
    fresh = _register(client, email="someone.new@example.org")
    duplicate = _register(client, email="  OWNER@example.ORG ")
    assert duplicate.status_code == 302
    assert duplicate.headers["Location"] == fresh.headers["Location"]

    assert count_rows(db, User) == 2
    db.session.refresh(owner)
    assert owner.role == Role.MEMBER.value
    assert owner.full_name == "Paul Owner"
    assert login(client, "owner@example.org", DEFAULT_PASSWORD).status_code == 302

    warning = outbox(db)[-1]
    assert warning.recipient == "owner@example.org"
    assert warning.kind == "already_registered"
    assert "http://localhost/password/forgot" in warning.body_text
    assert "/register/confirm/" not in warning.body_text


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"email": "jeanne.martin-at-example.org"}, "email", "n'est pas valide"),
        ({"email": "jeanne@localhost"}, "email", "n'est pas valide"),
        ({"email": ""}, "email", "Indiquez votre adresse électronique."),
        (
            {"password": "short", "password_confirm": "short"},
            "password",
            "au moins 12 caractères",
        ),
        (
            {"password": "x" * 129, "password_confirm": "x" * 129},
            "password",
            "au plus 128 caractères",
        ),
        (
            {"password_confirm": "a different passphrase"},
            "password_confirm",
            "Les deux mots de passe ne sont pas identiques.",
        ),
        ({"full_name": "  "}, "full_name", "Indiquez votre nom et votre prénom."),
        ({"accept_privacy": ""}, "accept_privacy", "données personnelles"),
    ],
)
def test_bad_input_is_refused_beside_the_field(client, db, overrides, field, reason):
    response = _register(client, **overrides)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert reason in errors_beside(response, field)
    assert count_rows(db, User) == 0
    assert count_rows(db, OutboxMessage) == 0
    # What was typed is kept, except passwords.
    if field != "full_name":
        assert 'value="Jeanne Martin"' in html
    assert PASSWORD not in html


def test_registration_is_throttled_per_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_ADDRESS", "1 per hour")
    assert _register(client).status_code == 302
    assert _register(client, email="other@example.org").status_code == 429


def test_new_confirmation_links_are_throttled_per_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_ADDRESS", "2 per hour")
    for _ in range(2):
        assert post_form(client, "/register/resend", {"email": "a@example.org"}).status_code == 302
    assert post_form(client, "/register/resend", {"email": "a@example.org"}).status_code == 429
