"""Account administration: listing, filtering, inviting and editing accounts."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from committees.auth.models import Role, User
from committees.common.timeutils import utcnow
from tests.support.helpers import (
    DEFAULT_PASSWORD,
    count_rows,
    delivered_html,
    delivered_text,
    errors_beside,
    login,
    outbox,
    post_form,
    text_of,
)


def _add_accounts(db, role: Role, names: list[str]) -> None:
    """Many accounts at once: one hash for all, since hashing each would dominate the test."""
    shared_hash = generate_password_hash(DEFAULT_PASSWORD)
    for name in names:
        slug = name.lower().replace(" ", ".")
        db.session.add(
            User(
                email=f"{slug}.{role.value}@example.org",
                full_name=name,
                password_hash=shared_hash,
                role=role.value,
                email_confirmed_at=utcnow(),
            )
        )
    db.session.commit()


@pytest.fixture
def admin(signed_in):
    """An admin, signed in through the real form."""
    return signed_in(Role.ADMIN, email="admin@example.org", full_name="Alice Admin")


def _users(db) -> list[User]:
    return list(db.session.execute(select(User).order_by(User.id)).scalars())


def _listed(response) -> list[str]:
    """The names in the accounts table, in order."""
    html = response.get_data(as_text=True)
    cells = re.findall(r'<th scope="row">(.*?)</th>', html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells]


# --- who may enter --------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.MEMBER, Role.CONTRIBUTOR])
@pytest.mark.parametrize("path", ["/admin/users", "/admin/users/new", "/admin/users/{id}"])
def test_only_admins_enter(client, make_user, role, path):
    user = make_user(role)
    assert login(client, user.email, DEFAULT_PASSWORD).status_code == 302
    response = client.get(path.format(id=user.id))
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login?next=%2Fadmin%2Fusers")


def test_unknown_account_is_404(client, admin):
    assert client.get("/admin/users/999999").status_code == 404


# --- the list -------------------------------------------------------------------------


def test_admin_lists_accounts_with_role_and_status(client, db, make_user, admin):
    make_user(Role.MEMBER, full_name="Dr Claire Martin", email="claire@example.org")
    make_user(Role.CONTRIBUTOR, full_name="Jean Dupont", confirmed=False)
    text = text_of(client.get("/admin/users"))
    assert "3 comptes trouvés" in text
    assert "Dr Claire Martin claire@example.org Membre de comité Actif" in text
    assert "Jean Dupont" in text
    assert "Non confirmé" in text
    assert "Alice Admin admin@example.org Administrateur·rice Actif" in text


def test_list_is_paginated(client, db, admin):
    _add_accounts(db, Role.MEMBER, [f"Membre {n:02d}" for n in range(30)])
    first = client.get("/admin/users")
    assert "31 comptes trouvés" in text_of(first)
    assert _listed(first) == ["Alice Admin"] + [f"Membre {n:02d}" for n in range(24)]
    assert 'href="/admin/users?page=2"' in first.get_data(as_text=True)
    second = client.get("/admin/users?page=2")
    assert _listed(second) == [f"Membre {n:02d}" for n in range(24, 30)]


def test_filters_keep_their_values_across_pages(client, db, admin):
    _add_accounts(db, Role.MEMBER, [f"Membre {n:02d}" for n in range(27)])
    first = client.get("/admin/users?role=member&q=membre")
    html = first.get_data(as_text=True)
    assert 'href="/admin/users?page=2&amp;q=membre&amp;role=member"' in html
    assert 'value="membre"' in html  # the search box keeps what was typed
    # Keys that are not filters stay out of the links (url_for would take them as options).
    odd = client.get("/admin/users?role=member&endpoint=x&_external=1")
    assert odd.status_code == 200
    assert 'href="/admin/users?page=2&amp;role=member"' in odd.get_data(as_text=True)
    second = client.get("/admin/users?page=2&role=member&q=membre")
    assert _listed(second) == ["Membre 25", "Membre 26"]


def test_filters_by_role_text_and_status(client, db, make_user, admin):
    make_user(Role.MEMBER, full_name="Claire Martin", email="c.martin@example.org")
    make_user(Role.MEMBER, full_name="Paul Bernard", email="paul@example.org")
    make_user(Role.SECRETARIAT, full_name="Sophie Martin", email="sophie@example.org")
    make_user(Role.CONTRIBUTOR, full_name="Jean Dupont", confirmed=False)
    disabled = make_user(Role.MEMBER, full_name="Louis Petit")
    disabled.is_enabled = False
    db.session.commit()

    def listed(query: str) -> list[str]:
        return _listed(client.get(f"/admin/users?{query}"))

    assert listed("role=member") == ["Claire Martin", "Louis Petit", "Paul Bernard"]
    assert listed("q=MARTIN") == ["Claire Martin", "Sophie Martin"]
    assert listed("q=paul@") == ["Paul Bernard"]
    assert listed("q=martin&role=secretariat") == ["Sophie Martin"]
    assert listed("status=inactive") == ["Louis Petit"]
    assert listed("status=unconfirmed") == ["Jean Dupont"]
    assert listed("status=active") == [
        "Alice Admin",
        "Claire Martin",
        "Paul Bernard",
        "Sophie Martin",
    ]
    # Unknown values in a hand-edited URL are ignored rather than failing.
    assert len(listed("role=superuser&status=whatever")) == 6
    assert "Désactivé" in text_of(client.get("/admin/users?status=inactive"))


def test_wildcards_in_the_search_are_taken_literally(client, make_user, admin):
    make_user(Role.MEMBER, full_name="Paul Bernard")
    text = text_of(client.get("/admin/users?q=%25"))
    assert "Aucun compte ne correspond à ces critères." in text


def test_list_costs_the_same_queries_for_5_or_50_accounts(client, db, admin, count_queries):
    def queries_for_list() -> int:
        with count_queries() as queries:
            assert client.get("/admin/users").status_code == 200
        return len(queries)

    _add_accounts(db, Role.MEMBER, [f"Membre {n}" for n in range(4)])
    with_5 = queries_for_list()
    _add_accounts(db, Role.CONTRIBUTOR, [f"Contributeur {n}" for n in range(45)])
    assert queries_for_list() == with_5
    assert with_5 <= 4  # the signed-in account, the count, the page


# --- creating an account --------------------------------------------------------------


def test_admin_creates_an_account_and_an_invitation_is_queued(client, db, admin):
    response = post_form(
        client,
        "/admin/users/new",
        {"email": "  Nouveau.Membre@Example.ORG ", "full_name": "Nina Roux", "role": "member"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/users")
    listing = text_of(client.get("/admin/users"))
    assert "Compte créé ; une invitation a été envoyée à nouveau.membre@example.org." in listing
    assert "Nina Roux nouveau.membre@example.org Membre de comité Non confirmé" in listing

    user = db.session.execute(select(User).where(User.full_name == "Nina Roux")).scalar_one()
    assert user.email == "nouveau.membre@example.org"
    assert user.role == "member"
    assert user.is_enabled
    assert user.email_confirmed_at is None

    [message] = outbox(db)
    assert message.recipient == "nouveau.membre@example.org"
    assert message.kind == "invitation"
    assert message.status == "pending"
    assert "Bonjour Nina Roux," in message.body_text
    assert "Alice Admin vous a ouvert un compte" in message.body_text
    assert "« Membre de comité »" in message.body_text
    link = re.search(r"http://localhost(/password/reset/\S+)", delivered_text(message)).group(1)
    assert link in delivered_html(message)
    assert link not in message.body_text + message.body_html  # masked in the outbox

    # The invited person follows the link, chooses a password and signs in.
    invited = client.application.test_client()
    password = "a brand new passphrase"
    answer = post_form(invited, link, {"password": password, "password_confirm": password})
    assert answer.status_code == 302, text_of(answer)
    assert login(invited, "nouveau.membre@example.org", password).status_code == 302
    assert "Bonjour Nina Roux." in text_of(invited.get("/dashboard"))
    db.session.expire_all()
    assert user.email_confirmed_at is not None  # following the link proved the address
    # The link served once and is dead now.
    assert invited.get(link).status_code == 400


def test_the_invitation_password_is_unknown_to_everyone(client, db, admin):
    post_form(
        client,
        "/admin/users/new",
        {"email": "x@example.org", "full_name": "X", "role": "secretariat"},
    )
    other = client.application.test_client()
    for guess in ("", DEFAULT_PASSWORD, "x@example.org"):
        response = login(other, "x@example.org", guess)
        assert response.status_code != 302


def test_duplicate_address_in_another_case_is_refused(client, db, make_user, admin):
    make_user(Role.MEMBER, email="claire@example.org")
    before = len(_users(db))
    response = post_form(
        client,
        "/admin/users/new",
        {"email": "Claire@EXAMPLE.org", "full_name": "Claire Bis", "role": "member"},
    )
    assert response.status_code == 422
    assert "Un compte existe déjà avec cette adresse électronique." in errors_beside(
        response, "email"
    )
    html = response.get_data(as_text=True)
    assert 'value="Claire Bis"' in html  # what was typed is kept
    assert 'value="Claire@EXAMPLE.org"' in html
    assert len(_users(db)) == before
    assert outbox(db) == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"email": "pas-une-adresse", "full_name": "N", "role": "member"},
            "email",
            "Cette adresse électronique n'est pas valide.",
        ),
        (
            {"email": "n@example.org", "full_name": "  ", "role": "member"},
            "full_name",
            "Indiquez le nom de la personne.",
        ),
        ({"email": "n@example.org", "full_name": "N", "role": "superuser"}, "role", ""),
    ],
)
def test_bad_input_is_refused_beside_the_field(client, db, admin, data, field, message):
    response = post_form(client, "/admin/users/new", data)
    assert response.status_code == 422
    assert message in errors_beside(response, field)
    assert count_rows(db, User) == 1
    assert outbox(db) == []


def test_a_form_without_csrf_token_is_refused(client, db, admin):
    response = client.post(
        "/admin/users/new", data={"email": "n@example.org", "full_name": "N", "role": "member"}
    )
    assert response.status_code == 400
    assert len(_users(db)) == 1


# --- editing an account ---------------------------------------------------------------


def test_admin_changes_name_and_role(client, db, make_user, admin):
    member = make_user(Role.MEMBER, full_name="Paul Bernard")
    url = f"/admin/users/{member.id}"
    page = text_of(client.get(url))
    assert "Compte : Paul Bernard" in page
    assert member.email in page
    response = post_form(
        client,
        url,
        {"full_name": "Paul Bernard-Roux", "role": "secretariat", "is_enabled": "y"},
        follow_redirects=True,
    )
    assert "Modifications enregistrées pour Paul Bernard-Roux." in text_of(response)
    db.session.expire_all()
    assert (member.full_name, member.role, member.is_enabled) == (
        "Paul Bernard-Roux",
        "secretariat",
        True,
    )
    assert "Paul Bernard-Roux" in text_of(client.get("/admin/users?role=secretariat"))


def test_disabled_account_can_no_longer_sign_in(client, db, make_user, admin):
    member = make_user(Role.MEMBER, email="paul@example.org")
    elsewhere = client.application.test_client()
    assert login(elsewhere, "paul@example.org", DEFAULT_PASSWORD).status_code == 302
    assert elsewhere.get("/dashboard").status_code == 200

    # Unticking the box sends no is_enabled field, as a browser does.
    response = post_form(
        client, f"/admin/users/{member.id}", {"full_name": member.full_name, "role": "member"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert member.is_enabled is False
    assert "Désactivé" in text_of(client.get("/admin/users?status=inactive"))

    # The open session ends, and signing in again is refused.
    assert elsewhere.get("/dashboard").status_code == 302
    again = login(client.application.test_client(), "paul@example.org", DEFAULT_PASSWORD)
    assert again.status_code == 422
    assert "Adresse électronique ou mot de passe incorrect." in text_of(again)


def test_admin_cannot_demote_themselves(client, db, admin):
    url = f"/admin/users/{admin.id}"
    response = post_form(
        client, url, {"full_name": "Alice Renamed", "role": "member", "is_enabled": "y"}
    )
    assert response.status_code == 422
    assert "Vous ne pouvez pas retirer votre propre rôle d'administration." in errors_beside(
        response, "role"
    )
    assert 'value="Alice Renamed"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert (admin.role, admin.full_name) == ("admin", "Alice Admin")


def test_admin_cannot_disable_themselves(client, db, admin):
    url = f"/admin/users/{admin.id}"
    response = post_form(client, url, {"full_name": "Alice Admin", "role": "admin"})
    assert response.status_code == 422
    assert "Vous ne pouvez pas désactiver votre propre compte." in errors_beside(
        response, "is_enabled"
    )
    db.session.expire_all()
    assert admin.is_enabled is True
    assert client.get("/admin/users").status_code == 200


def test_admin_may_demote_another_admin(client, db, make_user, admin):
    other = make_user(Role.ADMIN, full_name="Bob Admin")
    response = post_form(
        client,
        f"/admin/users/{other.id}",
        {"full_name": "Bob Admin", "role": "member", "is_enabled": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert other.role == "member"


# --- invitations ----------------------------------------------------------------------


def test_admin_resends_an_invitation_to_an_unconfirmed_account(client, db, make_user, admin):
    invited = make_user(Role.MEMBER, full_name="Nina Roux", confirmed=False)
    url = f"/admin/users/{invited.id}"
    page = text_of(client.get(url))
    assert "Non confirmé" in page
    assert "Dernière connexion jamais" in page
    response = post_form(client, f"{url}/invitation", {}, form_url=url, follow_redirects=True)
    assert response.status_code == 200
    assert f"Une nouvelle invitation a été envoyée à {invited.email}." in text_of(response)
    [message] = outbox(db)
    assert message.recipient == invited.email
    assert message.kind == "invitation"
    assert "/password/reset/" in message.body_text


def test_no_invitation_for_an_activated_account(client, db, make_user, admin):
    member = make_user(Role.MEMBER)
    url = f"/admin/users/{member.id}"
    assert "Renvoyer l'invitation" not in text_of(client.get(url))
    # A tab opened before the person activated their account may still post the button.
    response = post_form(client, f"{url}/invitation", {}, form_url=url)
    assert response.status_code == 422
    assert "Cette personne a déjà activé son compte." in text_of(response)
    assert outbox(db) == []
