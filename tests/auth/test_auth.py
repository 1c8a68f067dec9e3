"""Sign-in, sign-out, throttling, redirects and password change."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from committees.auth.models import Role, User
from tests.support.helpers import DEFAULT_PASSWORD, csrf_token_from, login, post_form, text_of

WRONG = "Adresse électronique ou mot de passe incorrect."


def test_login_page_has_labelled_fields_with_autocomplete(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'for="email"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html


def test_login_succeeds_records_time_and_goes_to_dashboard(client, db, make_user):
    user = make_user(Role.SECRETARIAT, email="secretariat@example.org")
    assert user.last_login_at is None
    response = login(client, "Secretariat@Example.org", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None
    assert client.get("/account/password").status_code == 200


def test_unknown_address_and_wrong_password_get_the_same_answer(client, make_user):
    make_user(email="known@example.org")
    unknown = login(client, "nobody@example.org", DEFAULT_PASSWORD)
    wrong = login(client, "known@example.org", "not the password at all")
    assert unknown.status_code == wrong.status_code == 422
    assert WRONG in text_of(unknown)
    assert WRONG in text_of(wrong)
    assert text_of(unknown).replace("nobody", "known") == text_of(wrong)


def test_failed_login_keeps_the_address_but_not_the_password(client, make_user):
    make_user(email="known@example.org")
    html = login(client, "known@example.org", "wrong password here").get_data(as_text=True)
    assert 'value="known@example.org"' in html
    assert "wrong password here" not in html


def test_disabled_account_is_refused_with_the_same_message(client, db, make_user):
    user = make_user(email="gone@example.org")
    user.is_enabled = False
    db.session.commit()
    response = login(client, "gone@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 422
    assert WRONG in text_of(response)
    assert client.get("/account/password").status_code == 302


def test_empty_form_says_what_is_missing(client):
    response = post_form(client, "/login", {"email": "", "password": ""})
    assert response.status_code == 422
    text = text_of(response)
    assert "Indiquez votre adresse électronique." in text
    assert "Indiquez votre mot de passe." in text


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user(email="known@example.org")
    response = client.post(
        "/login", data={"email": "known@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/account/password").status_code == 302


def test_repeated_failures_on_one_account_are_throttled(client, make_user):
    make_user(email="target@example.org")
    for _ in range(5):  # LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS: 5 per 15 minutes
        assert login(client, "TARGET@example.org", "guess guess guess").status_code == 422
    response = login(client, "target@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert client.get("/account/password").status_code == 302


def test_successful_logins_are_not_counted(client, make_user):
    make_user(email="regular@example.org")
    for _ in range(7):
        assert login(client, "regular@example.org", DEFAULT_PASSWORD).status_code == 302
        post_form(client, "/logout", {}, form_url="/account/password")


def test_failures_from_one_address_are_throttled_across_accounts(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "3 per minute")
    for n in range(3):
        assert login(client, f"someone{n}@example.org", "guess guess guess").status_code == 422
    assert login(client, "another@example.org", "guess guess guess").status_code == 429


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_to_another_site_is_ignored(client, make_user, next_url):
    make_user(email="known@example.org")
    # `next` reaches the view both ways: in the query string and in the form's hidden field.
    in_query = post_form(
        client,
        "/login?" + urlencode({"next": next_url}),
        {"email": "known@example.org", "password": DEFAULT_PASSWORD},
    )
    assert in_query.headers["Location"] == "/dashboard"
    post_form(client, "/logout", {}, form_url="/account/password")
    in_form = login(client, "known@example.org", DEFAULT_PASSWORD, form_url="/login")
    assert in_form.status_code == 302
    page = client.get("/login?" + urlencode({"next": next_url}))
    assert page.headers["Location"] == "/dashboard"


def test_next_on_this_site_is_followed(client, make_user):
    make_user(email="known@example.org")
    page = client.get("/login?next=/account/password")
    response = client.post(
        "/login",
        data={
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "email": "known@example.org",
            "password": DEFAULT_PASSWORD,
            "next": "/account/password",
        },
    )
    assert response.headers["Location"] == "/account/password"
    assert response.status_code == 302


def test_protected_page_sends_anonymous_visitor_to_login_and_back(client, make_user):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert "%2Faccount%2Fpassword" in response.headers["Location"]
    make_user(email="known@example.org")
    login_url = response.headers["Location"]
    page = client.get(login_url)
    assert 'name="next" type="hidden" value="/account/password"' in page.get_data(as_text=True)
    done = post_form(
        client, login_url, {"email": "known@example.org", "password": DEFAULT_PASSWORD}
    )
    assert done.headers["Location"] == "/account/password"


def test_signed_in_visit_to_login_goes_to_dashboard(client, make_user):
    make_user(email="known@example.org")
    login(client, "known@example.org", DEFAULT_PASSWORD)
    assert client.get("/login").headers["Location"] == "/dashboard"


def test_logout_signs_out(client, make_user):
    make_user(email="known@example.org")
    login(client, "known@example.org", DEFAULT_PASSWORD)
    response = post_form(client, "/logout", {}, form_url="/account/password")
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 302


def test_logout_needs_a_post_with_csrf_token(client, make_user):
    make_user(email="known@example.org")
    login(client, "known@example.org", DEFAULT_PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/account/password").status_code == 200


def test_remember_me_sets_a_lasting_cookie(client, make_user):
    make_user(email="known@example.org")
    post_form(
        client,
        "/login",
        {"email": "known@example.org", "password": DEFAULT_PASSWORD, "remember": "y"},
    )
    assert client.get_cookie("remember_token") is not None


# --- change password ----------------------------------------------------------------

NEW_PASSWORD = "a brand new passphrase"


def _change(client, current, new, confirm=None):
    return post_form(
        client,
        "/account/password",
        {"current_password": current, "password": new, "password_confirm": confirm or new},
    )


def test_change_password_keeps_this_session_and_ends_the_others(app, client, make_user):
    make_user(email="known@example.org")
    other = app.test_client()  # a second browser
    login(other, "known@example.org", DEFAULT_PASSWORD)
    login(client, "known@example.org", DEFAULT_PASSWORD)
    assert other.get("/account/password").status_code == 200

    response = _change(client, DEFAULT_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200
    assert other.get("/account/password").headers["Location"].startswith("/login")

    post_form(client, "/logout", {}, form_url="/account/password")
    assert login(client, "known@example.org", DEFAULT_PASSWORD).status_code == 422
    assert login(client, "known@example.org", NEW_PASSWORD).status_code == 302


def test_change_password_needs_the_current_one(client, db, make_user):
    user = make_user(email="known@example.org")
    old_hash = user.password_hash
    login(client, "known@example.org", DEFAULT_PASSWORD)
    response = _change(client, "not my password", NEW_PASSWORD)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="current_password-errors"' in html
    assert "Le mot de passe actuel est incorrect." in text_of(response)
    db.session.expire_all()
    assert db.session.execute(select(User.password_hash)).scalar_one() == old_hash


def test_change_password_refuses_short_or_mismatched(client, make_user):
    make_user(email="known@example.org")
    login(client, "known@example.org", DEFAULT_PASSWORD)
    short = _change(client, DEFAULT_PASSWORD, "short")
    assert short.status_code == 422
    assert "au moins 12 caractères" in text_of(short)
    mismatch = _change(client, DEFAULT_PASSWORD, NEW_PASSWORD, "something else entirely")
    assert mismatch.status_code == 422
    assert "Les deux mots de passe ne sont pas identiques." in text_of(mismatch)
    post_form(client, "/logout", {}, form_url="/account/password")
    assert login(client, "known@example.org", DEFAULT_PASSWORD).status_code == 302


def test_guessing_the_current_password_is_throttled(client, make_user):
    make_user(email="known@example.org")
    login(client, "known@example.org", DEFAULT_PASSWORD)
    for _ in range(5):  # LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS
        assert _change(client, "a wrong guess here", NEW_PASSWORD).status_code == 422
    assert _change(client, DEFAULT_PASSWORD, NEW_PASSWORD).status_code == 429
