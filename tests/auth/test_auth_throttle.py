"""Sign-in throttling that an attacker cannot turn against the owner (OWASP ASVS 2.2):
failures count per account and address; a guess spread over many addresses slows the
account down, and its owner gets a link that lets their own browser through."""

from __future__ import annotations

import pytest

from committees.auth.models import Role
from committees.auth.tokens import make_unlock_token
from tests.support.helpers import DEFAULT_PASSWORD, login, outbox, post_form, text_of

OWNER = "titulaire@example.org"
WRONG = "not the password at all"


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _unlock_messages(db) -> list:
    return [m for m in outbox(db) if m.kind == "login_unlock"]


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(app, db, make_user):
    make_user(email=OWNER)
    attacker = _from(app, "203.0.113.66")
    for _ in range(5):  # LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS: 5 per 15 minutes
        assert login(attacker, OWNER, WRONG).status_code == 422
    # That address is stopped for that account, even with the right password...
    assert login(attacker, OWNER, DEFAULT_PASSWORD).status_code == 429
    # ...while the owner, from their own address, signs in.
    owner = _from(app, "198.51.100.7")
    assert login(owner, OWNER, DEFAULT_PASSWORD).status_code == 302
    assert owner.get("/dashboard").status_code == 200
    assert _unlock_messages(db) == []


def test_the_stopped_address_may_still_try_other_accounts(app, make_user):
    make_user(email=OWNER)
    make_user(email="autre@example.org")
    attacker = _from(app, "203.0.113.66")
    for _ in range(5):
        login(attacker, OWNER, WRONG)
    assert login(attacker, OWNER, WRONG).status_code == 429
    assert login(attacker, "autre@example.org", DEFAULT_PASSWORD).status_code == 302


@pytest.fixture
def spread_attack(app, db, make_user, monkeypatch):
    """Six wrong passwords on the owner's account, each from another address."""
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "6 per hour")
    owner = make_user(Role.MEMBER, email=OWNER)
    for n in range(6):
        assert login(_from(app, f"203.0.113.{n + 1}"), OWNER, WRONG).status_code == 422
    return owner


def test_a_spread_attack_sends_the_owner_one_unlock_link(app, db, spread_attack):
    assert _unlock_messages(db) == []
    blocked = login(_from(app, "203.0.113.50"), OWNER, WRONG)
    assert blocked.status_code == 429
    assert "Trop de tentatives" in text_of(blocked)
    assert "un lien vient d'être envoyé à son adresse électronique" in text_of(blocked)
    for n in range(3):  # more attempts, no more e-mails
        assert login(_from(app, f"203.0.113.{60 + n}"), OWNER, WRONG).status_code == 429
    [message] = _unlock_messages(db)
    assert message.recipient == OWNER
    assert message.subject == "Tentatives de connexion à votre compte"

    # The owner too is slowed down, from anywhere...
    owner = _from(app, "198.51.100.7")
    assert login(owner, OWNER, DEFAULT_PASSWORD).status_code == 429
    # ...until they follow the link they received, in that browser.
    followed = owner.get(f"/login/unlock/{make_unlock_token(spread_attack)}")
    assert followed.status_code == 302
    assert followed.headers["Location"] == "/login"
    assert followed.headers["Referrer-Policy"] == "no-referrer"
    assert "Vous pouvez maintenant vous connecter depuis ce navigateur." in text_of(
        owner.get("/login")
    )
    assert login(owner, OWNER, DEFAULT_PASSWORD).status_code == 302
    assert owner.get("/dashboard").status_code == 200
    # The attackers are still stopped.
    assert login(_from(app, "203.0.113.70"), OWNER, DEFAULT_PASSWORD).status_code == 429


def test_the_unlock_pass_needs_the_password_and_serves_one_account(app, db, spread_attack):
    owner = _from(app, "198.51.100.7")
    owner.get(f"/login/unlock/{make_unlock_token(spread_attack)}")
    assert login(owner, OWNER, WRONG).status_code == 422
    assert owner.get("/dashboard").status_code == 302


def test_an_unknown_address_under_attack_answers_the_same_and_sends_nothing(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per hour")
    for n in range(2):
        login(_from(app, f"203.0.113.{n + 1}"), "personne@example.org", WRONG)
    blocked = login(_from(app, "203.0.113.9"), "personne@example.org", WRONG)
    assert blocked.status_code == 429
    assert "un lien vient d'être envoyé à son adresse électronique" in text_of(blocked)
    assert outbox(db) == []


@pytest.mark.parametrize("token", ["not-a-token", "eyJ1aWQiOjF9.forged.signature"])
def test_a_wrong_unlock_link_is_refused(client, token):
    response = client.get(f"/login/unlock/{token}")
    assert response.status_code == 400
    assert "Lien de connexion non valable" in text_of(response)
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_an_expired_unlock_link_is_refused(app, client, make_user, monkeypatch):
    user = make_user(email=OWNER)
    token = make_unlock_token(user)
    monkeypatch.setitem(app.config, "LOGIN_UNLOCK_MAX_AGE", -1)
    assert client.get(f"/login/unlock/{token}").status_code == 400


def test_guessing_the_current_password_is_throttled_per_address(app, make_user):
    make_user(email=OWNER)
    here, there = _from(app, "198.51.100.7"), _from(app, "198.51.100.8")
    login(here, OWNER, DEFAULT_PASSWORD)
    login(there, OWNER, DEFAULT_PASSWORD)
    data = {"current_password": WRONG, "password": "x" * 20, "password_confirm": "x" * 20}
    for _ in range(5):
        assert post_form(here, "/account/password", data).status_code == 422
    assert post_form(here, "/account/password", data).status_code == 429
    assert post_form(there, "/account/password", data).status_code == 422
