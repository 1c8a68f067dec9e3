"""Forgotten password: the request, the e-mail, the link, and what happens to old links."""

from __future__ import annotations

import re
import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from committees.auth.models import Role
from committees.mail.models import OutboxMessage
from tests.support.helpers import (
    DEFAULT_PASSWORD,
    delivered_html,
    delivered_text,
    login,
    outbox,
    post_form,
    text_of,
)

NEW_PASSWORD = "another long passphrase"
_RESET_LINK = re.compile(r"http://localhost(/password/reset/\S+)")


def _ask_reset(client, email):
    return post_form(client, "/password/forgot", {"email": email})


def _reset_path(message: OutboxMessage) -> str:
    match = _RESET_LINK.search(delivered_text(message))
    assert match, delivered_text(message)
    return match.group(1)


def _choose(client, path, password, confirm=None):
    return post_form(client, path, {"password": password, "password_confirm": confirm or password})


def test_reset_end_to_end(client, db, make_user):
    make_user(Role.MEMBER, email="member@example.org", full_name="Claire Dupont")
    response = _ask_reset(client, "Member@Example.org")
    assert response.status_code == 302
    done = client.get(response.headers["Location"])
    assert "Si un compte existe pour cette adresse" in text_of(done)

    [message] = outbox(db)
    assert message.recipient == "member@example.org"
    assert message.kind == "password_reset"
    assert message.subject == "Réinitialisation de votre mot de passe"
    assert "Bonjour Claire Dupont," in message.body_text
    assert "Le secrétariat des comités" in message.body_text
    assert "Ce lien est valable 1 heure" in " ".join(message.body_text.split())
    path = _reset_path(message)
    assert f'href="http://localhost{path}"' in delivered_html(message)

    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert 'autocomplete="new-password"' in page.get_data(as_text=True)
    saved = _choose(client, path, NEW_PASSWORD)
    assert saved.status_code == 302
    assert saved.headers["Location"] == "/login"

    assert login(client, "member@example.org", DEFAULT_PASSWORD).status_code == 422
    assert login(client, "member@example.org", NEW_PASSWORD).status_code == 302


def test_a_reset_link_works_only_once(client, db, make_user):
    make_user(email="member@example.org")
    _ask_reset(client, "member@example.org")
    path = _reset_path(outbox(db)[0])
    assert _choose(client, path, NEW_PASSWORD).status_code == 302

    again = client.get(path)
    assert again.status_code == 400
    assert "Ce lien est incorrect, a expiré ou a déjà servi." in text_of(again)
    assert 'href="/password/forgot"' in again.get_data(as_text=True)
    # Posting straight to the used link changes nothing either.
    assert client.post(path, data={"password": "yet another passphrase"}).status_code == 400
    assert login(client, "member@example.org", NEW_PASSWORD).status_code == 302


def test_a_reset_link_dies_when_the_password_changes_otherwise(client, db, make_user):
    make_user(email="member@example.org")
    _ask_reset(client, "member@example.org")
    path = _reset_path(outbox(db)[0])
    login(client, "member@example.org", DEFAULT_PASSWORD)
    post_form(
        client,
        "/account/password",
        {
            "current_password": DEFAULT_PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert client.get(path).status_code == 400


def test_an_expired_reset_link_is_refused(app, client, db, make_user):
    make_user(email="member@example.org")
    _ask_reset(client, "member@example.org")
    token = _reset_path(outbox(db)[0]).rsplit("/", 1)[1]

    # The same payload, signed as if issued longer ago than PASSWORD_RESET_MAX_AGE.
    payload = URLSafeTimedSerializer(app.secret_key, salt="password-reset").loads(token)
    age = app.config["PASSWORD_RESET_MAX_AGE"] + 60

    class IssuedLongAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    old = URLSafeTimedSerializer(app.secret_key, salt="password-reset", signer=IssuedLongAgo)
    response = client.get(f"/password/reset/{old.dumps(payload)}")
    assert response.status_code == 400
    assert "a expiré" in text_of(response)
    # The fresh token still works: the refusal is about age, not payload.
    assert client.get(f"/password/reset/{token}").status_code == 200


def test_a_forged_reset_link_is_refused(client):
    response = client.get("/password/reset/not-a-real-token")
    assert response.status_code == 400
    assert "Demander un nouveau lien" in text_of(response)


def test_unknown_or_disabled_address_gets_the_same_answer_and_no_email(client, db, make_user):
    user = make_user(email="disabled@example.org")
    user.is_enabled = False
    db.session.commit()
    unknown = _ask_reset(client, "nobody@example.org")
    disabled = _ask_reset(client, "disabled@example.org")
    assert unknown.status_code == disabled.status_code == 302
    assert unknown.headers["Location"] == disabled.headers["Location"]
    assert outbox(db) == []


def test_reset_email_follows_the_account_language(client, db, make_user):
    user = make_user(email="member@example.org")
    user.locale = "en"
    db.session.commit()
    _ask_reset(client, "member@example.org")
    [message] = outbox(db)
    # The English catalogue may not exist yet; the link must be there in any language.
    assert _RESET_LINK.search(message.body_text)


def test_malformed_address_is_refused_beside_the_field(client, db):
    response = _ask_reset(client, "not-an-address")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-errors"' in html
    assert 'value="not-an-address"' in html
    assert "n'est pas valide" in text_of(response)
    assert outbox(db) == []


def test_new_password_too_short_or_mismatched_is_refused(client, db, make_user):
    make_user(email="member@example.org")
    _ask_reset(client, "member@example.org")
    path = _reset_path(outbox(db)[0])
    short = _choose(client, path, "short")
    assert short.status_code == 422
    assert "au moins 12 caractères" in text_of(short)
    mismatch = _choose(client, path, NEW_PASSWORD, "not the same passphrase")
    assert mismatch.status_code == 422
    assert "Les deux mots de passe ne sont pas identiques." in text_of(mismatch)
    # Nothing changed: the old password still works and the link is still valid.
    assert client.get(path).status_code == 200
    assert login(client, "member@example.org", DEFAULT_PASSWORD).status_code == 302


def test_reset_requests_are_throttled_per_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_LIMIT_PER_ADDRESS", "2 per hour")
    assert _ask_reset(client, "a@example.org").status_code == 302
    assert _ask_reset(client, "b@example.org").status_code == 302
    assert _ask_reset(client, "c@example.org").status_code == 429
