"""What a member sees: their to-do list (each item naming its committee, never the papers
of an item they are recused from), their next sessions by committee, the answer to a
convocation changed from the session's page, a new declaration starting from the last one,
and the deadline of comments in the e-mail."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from html import unescape

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from committees.auth.models import Role
from committees.bodies.models import LinkKind
from committees.bodies.persons.declarations import LinkLine, file_declaration
from committees.common.timeutils import paris_today, utcnow
from committees.dashboard.models import DashboardVisit
from committees.mail.models import OutboxMessage
from committees.meetings.conduct.convocations import convene
from committees.meetings.minutes.services import send_for_comments
from committees.meetings.models import Minutes, MinutesStatus, Recusal, RecusalStatus
from tests.support.convocations import build_session
from tests.support.helpers import DEFAULT_PASSWORD, csrf_token_from, login, text_of
from tests.support.meetings import add_document, schedule


@pytest.fixture
def anne(db, client, make_user):
    """Anne Aubry, member of the « Comité cst-suivi », signed in, convened to its session."""
    situation = build_session(db)
    user = make_user(Role.MEMBER, email="anne.account@example.org", full_name="Anne Aubry")
    situation.members[0].person.user_id = user.id
    convene(situation.meeting)
    db.session.commit()
    login(client, user.email, DEFAULT_PASSWORD)
    return situation


def _todo(client) -> str:
    html = client.get("/dashboard").get_data(as_text=True)
    match = re.search(
        r'<section class="panel" aria-labelledby="panel-todo">(.*?)</section>', html, re.S
    )
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split()) if match else ""


def test_the_member_changes_her_answer_from_the_session_page(client, db, anne):
    url = f"/my/meetings/{anne.meeting.id}"
    page = client.get(url)
    assert "Répondre à la convocation :" in text_of(page)
    token = csrf_token_from(page.get_data(as_text=True))
    answered = client.post(
        f"{url}/answer",
        data={"csrf_token": token, "response": "attending", "next": url},
        follow_redirects=True,
    )
    assert answered.request.path == url
    text = text_of(answered)
    assert "Votre réponse : " in text
    assert "Changer ma réponse :" in text
    html = answered.get_data(as_text=True)
    assert re.search(r'value="attending"[^>]*aria-pressed="true"', html)

    changed = client.post(
        f"{url}/answer",
        data={"csrf_token": token, "response": "excused", "next": url},
        follow_redirects=True,
    )
    assert re.search(r'value="excused"[^>]*aria-pressed="true"', changed.get_data(as_text=True))
    assert "Excusé" in text_of(changed).split("Votre réponse : ")[1][:40]


def test_next_sessions_name_their_committee(client, anne):
    html = client.get("/dashboard").get_data(as_text=True)
    panel = html.split('id="panel-my-meetings"')[1].split("</section>")[0]
    assert "<strong>Comité cst-suivi</strong>" in panel


def test_draft_minutes_to_comment_with_their_deadline(client, db, anne):
    minutes = Minutes(meeting=anne.meeting, status=MinutesStatus.DRAFT.value)
    db.session.add(minutes)
    db.session.flush()
    send_for_comments(minutes)
    db.session.commit()
    mail = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.kind == "minutes_sent",
            OutboxMessage.recipient == anne.members[0].person.email,
        )
    )
    assert "Vos observations sont attendues jusqu'au" in mail.body_text
    todo = _todo(client)
    assert "Comité cst-suivi — Observations sur le projet de compte rendu" in todo
    assert "(jusqu'au " in todo


def test_a_declaration_to_renew_is_on_the_list(client, db, anne):
    assert "déclaration" not in _todo(client)  # filed today: nothing to do
    person = anne.members[0].person
    file_declaration(person, paris_today() - relativedelta(months=12) + timedelta(days=10), [])
    for declaration in person.declarations:
        if declaration.declared_on == paris_today():
            db.session.delete(declaration)
    db.session.commit()
    todo = _todo(client)
    assert "Comité cst-suivi — Renouveler ma déclaration d'intérêts (échéance le" in todo


def test_new_documents_since_the_last_visit(client, db, anne):
    client.get("/dashboard")
    assert "Nouveau document" not in _todo(client)  # a reload is the same visit
    visit = db.session.scalar(select(DashboardVisit))
    visit.last_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    add_document(db, anne.items[0], "Note de synthèse", members_only=True)
    todo = _todo(client)
    assert f"Comité cst-suivi — Nouveau document : Note de synthèse ({anne.meeting.title})" in todo
    assert "Note de synthèse" in _todo(client)  # still new within the hour


def test_a_new_declaration_starts_from_the_last_one(client, db, anne):
    person = anne.members[0].person
    for declaration in person.declarations:
        db.session.delete(declaration)
    file_declaration(
        person,
        date(2025, 1, 5),
        [LinkLine("Phytopharma", LinkKind.CONSULTANCY, "Conseil scientifique")],
        "https://dpi.example/anne",
    )
    db.session.commit()
    html = client.get("/my/declarations/new").get_data(as_text=True)
    assert 'value="Phytopharma"' in html
    assert 'value="Conseil scientifique"' in html
    assert 'value="https://dpi.example/anne"' in html
    assert f'value="{paris_today().isoformat()}"' in html  # dated today


def test_a_recused_member_is_not_told_of_the_papers_of_her_item(client, db, anne):
    client.get("/dashboard")
    visit = db.session.scalar(select(DashboardVisit))
    visit.last_at = utcnow() - timedelta(hours=2)
    db.session.add(
        Recusal(
            item_id=anne.items[0].id,
            mandate_id=anne.members[0].id,
            status=RecusalStatus.CONFIRMED.value,
            reason="Lien avec Phytopharma",
        )
    )
    db.session.commit()
    add_document(db, anne.items[0], "Rapport confidentiel", members_only=True)
    add_document(db, anne.items[1], "Note de séance", members_only=True)
    todo = _todo(client)
    assert "Nouveau document : Note de séance" in todo
    assert "Rapport confidentiel" not in todo


def test_the_panels_agree_on_the_declaration_and_list_only_sessions_to_come(client, db, anne):
    """The « À faire » panel and the declaration panel read the same status (asked once),
    the next sessions panel lists the session to come, not the one already held."""
    person = anne.members[0].person
    file_declaration(person, paris_today() - relativedelta(months=13), [])
    for declaration in person.declarations:
        if declaration.declared_on == paris_today():
            db.session.delete(declaration)
    held = schedule(db, anne.committee, paris_today() - timedelta(days=30), title="Séance passée")
    db.session.commit()
    html = client.get("/dashboard").get_data(as_text=True)
    todo = _todo(client)
    assert "Comité cst-suivi — Renouveler ma déclaration d'intérêts" in todo
    assert "votre déclaration n'est plus à jour" in todo
    declaration = html.split('id="panel-declaration"')[1].split("</section>")[0]
    assert "Déposer une nouvelle déclaration" in unescape(declaration)
    upcoming = html.split('id="panel-my-meetings"')[1].split("</section>")[0]
    assert anne.meeting.title in unescape(upcoming)
    assert held.title not in unescape(upcoming)


def _next_sessions(client) -> str:
    html = client.get("/dashboard").get_data(as_text=True)
    panel = html.split('id="panel-my-meetings"')[1].split("</section>")[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", panel)).split())


def test_a_members_kept_panel_is_hers_alone_and_moves_with_the_next_change(
    app, client, db, anne, make_user
):
    """The next sessions are drawn once per worker for each member (public rows only):
    another member never sees hers, and a new session shows on her very next visit."""
    other = build_session(db, slug="cst-autre", email_domain="autre.example.org")
    bruno = make_user(Role.MEMBER, email="bruno.account@example.org", full_name="Bruno Autre")
    other.members[0].person.user_id = bruno.id
    db.session.commit()
    bruno_client = app.test_client()
    login(bruno_client, bruno.email, DEFAULT_PASSWORD)

    assert "Comité cst-suivi" in _next_sessions(client)
    assert "Comité cst-suivi" in _next_sessions(client)  # drawn once, shown again
    theirs = _next_sessions(bruno_client)
    assert "Comité cst-autre" in theirs
    assert "Comité cst-suivi" not in theirs

    schedule(db, anne.committee, paris_today() + timedelta(days=3), title="Séance ajoutée")

    assert "Séance ajoutée" in _next_sessions(client)
    assert "Séance ajoutée" not in _next_sessions(bruno_client)


def test_the_kept_to_do_list_follows_the_last_visit_though_no_public_row_moved(client, db, anne):
    add_document(db, anne.items[0], "Note déjà là", members_only=False)
    assert "Nouveau document" not in _todo(client)  # a first visit: nothing is new yet
    assert "Nouveau document" not in _todo(client)

    # Only the private visit row changes: the list is drawn again all the same.
    visit = db.session.scalar(select(DashboardVisit))
    visit.last_at = utcnow() - timedelta(hours=2)
    db.session.commit()

    assert "Nouveau document : Note déjà là" in _todo(client)


def test_a_draft_leaves_the_to_do_list_the_moment_its_comments_close(client, db, anne):
    minutes = Minutes(meeting=anne.meeting, status=MinutesStatus.DRAFT.value)
    db.session.add(minutes)
    db.session.flush()
    send_for_comments(minutes)
    closes = minutes.comments_until = utcnow() + timedelta(seconds=2.5)
    db.session.commit()
    assert "Observations sur le projet de compte rendu" in _todo(client)

    time.sleep(max(0.0, (closes - utcnow()).total_seconds()) + 0.2)

    # No row changed: the deadline is one of the instants kept parts hold until.
    assert "Observations sur le projet de compte rendu" not in _todo(client)
