"""The signed-in dashboard: greeting, role label and the panels each role may see."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from committees.auth.models import Role, User
from committees.auth.permissions import Permission
from committees.dashboard.services import panels_for, register_panel, unregister_panel
from committees.mail.models import OutboxStatus
from committees.mail.services import queue_message
from tests.support.helpers import DEFAULT_PASSWORD, login, text_of

ROLE_LABELS = {
    Role.ADMIN: "Administrateur·rice",
    Role.SECRETARIAT: "Secrétariat",
    Role.MEMBER: "Membre de comité",
    Role.CONTRIBUTOR: "Contributeur·rice",
}


def _queue(db, count: int, status: OutboxStatus) -> None:
    for n in range(count):
        message = queue_message(f"person{n}@example.org", "Objet", "Corps")
        message.status = status.value
    db.session.commit()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login?next=%2Fdashboard")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_name_and_role(client, signed_in, role):
    user = signed_in(role, full_name="Camille Lefèvre")
    response = client.get("/dashboard")
    assert response.status_code == 200
    text = text_of(response)
    assert "Tableau de bord" in text
    assert "Bonjour Camille Lefèvre." in text
    assert f"Votre rôle : {ROLE_LABELS[role]}." in text
    # Everyone has their own account panel with real details.
    assert "Mon compte" in text
    assert user.email in text


def test_sign_in_lands_on_the_dashboard(client, make_user):
    user = make_user(Role.SECRETARIAT, full_name="Secrétariat Démo")
    response = login(client, user.email, DEFAULT_PASSWORD, follow_redirects=True)
    assert response.request.path == "/dashboard"
    assert "Bonjour Secrétariat Démo." in text_of(response)


def test_member_sees_only_their_account(client, signed_in):
    signed_in(Role.MEMBER)
    response = client.get("/dashboard")
    text = text_of(response)
    assert "Messages en attente d'envoi" not in text
    assert "Gérer les comptes" not in text
    assert 'href="/account/password"' in response.get_data(as_text=True)


def test_contributor_sees_no_staff_panel(client, signed_in):
    signed_in(Role.CONTRIBUTOR)
    text = text_of(client.get("/dashboard"))
    assert "Messages en attente d'envoi" not in text
    assert "Gérer les comptes" not in text


def test_secretariat_sees_the_outbox_backlog(client, db, signed_in):
    _queue(db, 2, OutboxStatus.PENDING)
    _queue(db, 1, OutboxStatus.FAILED)
    _queue(db, 4, OutboxStatus.SENT)
    signed_in(Role.SECRETARIAT)
    response = client.get("/dashboard")
    text = text_of(response)
    assert "Messages en attente d'envoi" in text
    assert "2 messages en attente" in text
    assert "1 envoi en échec" in text
    assert 'href="/outbox/"' in response.get_data(as_text=True)
    assert "Gérer les comptes" not in text


def test_admin_sees_accounts_per_role(client, make_user, signed_in):
    for _ in range(3):
        make_user(Role.MEMBER)
    make_user(Role.CONTRIBUTOR)
    signed_in(Role.ADMIN)
    response = client.get("/dashboard")
    text = text_of(response)
    assert "Messages en attente d'envoi" in text
    assert "5 comptes au total" in text
    assert "Membre de comité 3" in text
    assert "Contributeur·rice 1" in text
    assert "Secrétariat 0" in text
    assert 'href="/admin/users"' in response.get_data(as_text=True)


def test_dashboard_queries_do_not_grow_with_data(client, db, signed_in, count_queries):
    signed_in(Role.ADMIN)

    def queries_for_dashboard() -> int:
        with count_queries() as queries:
            assert client.get("/dashboard").status_code == 200
        return len(queries)

    queries_for_dashboard()  # the first visit also records the account's visits row
    small = queries_for_dashboard()
    shared_hash = generate_password_hash("unused")  # hashing 20 times would dominate the test
    for n in range(20):
        db.session.add(
            User(
                email=f"m{n}@example.org",
                full_name=f"M {n}",
                password_hash=shared_hash,
                role=Role.MEMBER.value,
            )
        )
    _queue(db, 20, OutboxStatus.PENDING)
    # Other domains add their own panels, so only the growth is asserted here.
    assert queries_for_dashboard() == small


def test_a_domain_adds_a_panel_without_touching_the_view(app, make_user):
    template = "tests/meetings_panel.html"
    register_panel(Permission.MEMBER_AREA, template, lambda user: {"who": user.full_name})
    member = make_user(Role.MEMBER, full_name="Dr Claire Martin")
    contributor = make_user(Role.CONTRIBUTOR)
    try:
        with app.test_request_context():  # the built-in panels build links
            shown = [p.data for p in panels_for(member) if p.template == template]
            hidden = [p for p in panels_for(contributor) if p.template == template]
    finally:
        unregister_panel(template)
    assert shown == [{"who": "Dr Claire Martin"}]
    assert hidden == []
