"""Recusals that hold (issue 19, row 10) and the one-form recusal screen (issue 20).

A member recused on an item, or flagged on it by a declared link not yet cleared, gets
none of its members-only documents: not on her session page, 403 at the download door,
none in ``documents_visible_to`` (what any pack or export uses). Her page says she is
recused, with the reason, and she gets an e-mail when the secretariat records it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from committees.auth.models import Role
from committees.bodies.models import LinkKind
from committees.bodies.persons.declarations import LinkLine, file_declaration
from committees.common import filestore
from committees.common.timeutils import PARIS, paris_today, utcnow
from committees.dashboard.models import DashboardVisit
from committees.mail.models import OutboxMessage
from committees.meetings.agenda.services import add_document
from committees.meetings.conduct.convocations import convene
from committees.meetings.conduct.recusals import documents_visible_to, may_read_item_documents
from committees.meetings.conduct.services import decide_recusal
from committees.meetings.models import Recusal, RecusalStatus
from tests.support.convocations import build_session, sign_in_secretariat
from tests.support.helpers import DEFAULT_PASSWORD, login, post_form, text_of

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
RECUSED = "Vous êtes déporté(e) sur ce point"


@pytest.fixture
def situation(db, app, make_user):
    """A session whose member Anne declared a link with Phytopharma (item 2 concerns it),
    with a members-only and a public PDF on item 2 and a members-only PDF on item 1;
    Anne has a member account, signed in on her own client."""
    s = build_session(db, members=3)
    anne = s.members[0]
    file_declaration(
        anne.person, paris_today(), [LinkLine("Laboratoire Phytopharma", LinkKind.CONSULTANCY)]
    )
    user = make_user(Role.MEMBER, email=anne.person.email)
    anne.person.user_id = user.id
    info, opinion, _closed = s.items
    with filestore.staged_files():
        s.private = add_document(opinion, title="Rapport confidentiel", data=PDF, filename="r.pdf")
        s.public = add_document(
            opinion,
            title="Note publique",
            data=PDF + b"%public\n",
            filename="n.pdf",
            members_only=False,
        )
        s.other = add_document(info, title="Point d'étape", data=PDF + b"%1\n", filename="e.pdf")
    db.session.commit()
    s.anne, s.user = anne, user
    s.member_client = app.test_client()
    login(s.member_client, user.email, DEFAULT_PASSWORD)
    return s


def download(s, document):
    return s.member_client.get(f"/my/meetings/{s.meeting.id}/documents/{document.id}")


def my_page(s) -> str:
    return text_of(s.member_client.get(f"/my/meetings/{s.meeting.id}"))


def decide(client, s, decision: str, reason: str, *, follow=True):
    url = f"/secretariat/meetings/{s.meeting.id}/conflicts"
    prefix = f"flag-{s.items[1].id}-{s.anne.id}"
    return post_form(
        client,
        f"{url}/decisions",
        {f"{prefix}-decision": decision, f"{prefix}-reason": reason},
        form_url=url,
        follow_redirects=follow,
    )


def recusal_mails(db, s) -> list[OutboxMessage]:
    return list(
        db.session.execute(
            select(OutboxMessage).where(
                OutboxMessage.kind == "meeting_recusal",
                OutboxMessage.recipient == s.anne.person.email,
            )
        ).scalars()
    )


def test_a_recorded_recusal_closes_the_items_papers_and_tells_the_member(
    db, client, make_user, situation
):
    s = situation
    sign_in_secretariat(client, make_user)

    # A declared link not yet examined: the item's members-only papers are already closed.
    assert download(s, s.private).status_code == 403
    assert "Conflit d'intérêts signalé sur ce point" in my_page(s)

    decide(client, s, "cleared", "Lien sans rapport avec le dossier")
    assert download(s, s.private).status_code == 200
    assert RECUSED not in my_page(s)
    assert recusal_mails(db, s) == []

    response = decide(client, s, "confirmed", "Consultante de Phytopharma en 2024")
    assert "1 décision enregistrée." in text_of(response)

    refused = download(s, s.private)
    assert refused.status_code == 403
    assert RECUSED in text_of(refused)
    assert "Consultante de Phytopharma en 2024" in text_of(refused)
    assert download(s, s.public).status_code == 200  # public papers stay public
    assert download(s, s.other).status_code == 200  # other items are untouched

    page = my_page(s)
    assert f"{RECUSED} Motif : Consultante de Phytopharma en 2024" in page
    html = s.member_client.get(f"/my/meetings/{s.meeting.id}").get_data(as_text=True)
    assert f"/documents/{s.private.id}" not in html
    assert f"/documents/{s.public.id}" in html
    assert f"/documents/{s.other.id}" in html

    [mail] = recusal_mails(db, s)
    assert s.meeting.title in mail.subject
    assert "votre déport sur le point 2" in mail.body_text
    assert "Consultante de Phytopharma en 2024" in mail.body_text
    assert f"/my/meetings/{s.meeting.id}" in mail.body_text

    # Saving the same decision again sends nothing more.
    decide(client, s, "confirmed", "Consultante de Phytopharma en 2024")
    assert len(recusal_mails(db, s)) == 1


def test_one_rule_serves_every_reader(db, situation):
    s = situation
    opinion = s.items[1]
    assert not may_read_item_documents(s.user, opinion)
    visible = documents_visible_to(s.user, s.meeting)
    assert [d.id for d in visible[opinion.id]] == [s.public.id]
    assert [d.id for d in visible[s.items[0].id]] == [s.other.id]


def test_the_sentence_follows_the_recorded_civility(db, client, make_user, situation):
    s = situation
    s.anne.person.civility = "Mme"
    db.session.commit()
    sign_in_secretariat(client, make_user)
    decide(client, s, "confirmed", "Consultante de Phytopharma")
    assert "Vous êtes déportée sur ce point" in my_page(s)


# --- the one form (issue 20) ------------------------------------------------------------


def test_every_flag_is_decided_in_one_submit_and_the_page_returns_to_the_form(
    db, client, make_user
):
    s = build_session(db, members=3)
    for mandate in s.members[:2]:
        file_declaration(
            mandate.person, paris_today(), [LinkLine("Phytopharma", LinkKind.CONSULTANCY)]
        )
    a, b, c = s.members
    for declaration in c.person.declarations:
        declaration.declared_on = date(2020, 1, 1)
    db.session.commit()
    sign_in_secretariat(client, make_user)
    url = f"/secretariat/meetings/{s.meeting.id}/conflicts"
    opinion = s.items[1]

    page = client.get(url).get_data(as_text=True)
    assert page.count(f'action="{url}/') == 1  # one form for every flag
    assert f'action="{url}/decisions#decisions"' in page
    text = text_of(client.get(url))
    # The member without a current declaration is named once, not flagged on every item.
    assert text.count("Claire Colin") == 1
    assert "Claire Colin — déclaration manquante" in text

    response = post_form(
        client,
        f"{url}/decisions",
        {
            f"flag-{opinion.id}-{a.id}-decision": "confirmed",
            f"flag-{opinion.id}-{a.id}-reason": "Subvention de Phytopharma",
            f"flag-{opinion.id}-{b.id}-decision": "cleared",
            f"flag-{opinion.id}-{b.id}-reason": "Subvention close en 2010",
        },
        form_url=url,
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/conflicts#decisions")
    decisions = {r.mandate_id: r.status for r in db.session.execute(select(Recusal)).scalars()}
    assert decisions == {a.id: "confirmed", b.id: "cleared"}


def test_every_error_is_shown_at_once_and_nothing_is_saved(db, client, make_user):
    s = build_session(db, members=2)
    for mandate in s.members:
        file_declaration(
            mandate.person, paris_today(), [LinkLine("Phytopharma", LinkKind.CONSULTANCY)]
        )
    db.session.commit()
    a, b = s.members
    sign_in_secretariat(client, make_user)
    url = f"/secretariat/meetings/{s.meeting.id}/conflicts"
    opinion = s.items[1]

    response = post_form(
        client,
        f"{url}/decisions",
        {
            f"flag-{opinion.id}-{a.id}-decision": "confirmed",
            f"flag-{opinion.id}-{a.id}-reason": " ",
            f"flag-{opinion.id}-{b.id}-decision": "",
            f"flag-{opinion.id}-{b.id}-reason": "Un motif sans décision",
        },
        form_url=url,
    )

    assert response.status_code == 422
    text = text_of(response)
    assert "Motif (Anne Aubry, point 2) : Indiquez le motif de la décision." in text
    assert (
        "Bruno Bernard, point 2 : Choisissez : confirmer le déport ou lever le signalement." in text
    )
    assert "Un motif sans décision" in text  # what was typed is kept
    assert db.session.execute(select(func.count(Recusal.id))).scalar() == 0
    assert db.session.execute(select(func.count(OutboxMessage.id))).scalar() == 0


def test_the_session_reminder_leaves_out_the_papers_she_is_recused_from(app, db, situation):
    """The reminder sent 2 days before lists the session's documents: a reader of the rule."""
    s = situation
    convene(s.meeting)
    decide_recusal(s.items[1], s.anne, RecusalStatus.CONFIRMED, "Consultante de Phytopharma")
    db.session.commit()
    day = s.meeting.starts_at.astimezone(PARIS).date() - timedelta(days=2)
    result = app.test_cli_runner().invoke(args=["reminders", "run", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output

    reminders = {
        m.recipient: m.body_text
        for m in db.session.execute(
            select(OutboxMessage).where(OutboxMessage.kind == "reminder_session")
        ).scalars()
    }
    hers, his = reminders[s.anne.person.email], reminders[s.members[1].person.email]
    assert "Rapport confidentiel" not in hers
    assert "Note publique" in hers
    assert "Point d'étape" in hers
    assert "Rapport confidentiel" in his


def test_her_dashboard_does_not_announce_the_papers_she_may_not_read(db, situation):
    s = situation
    s.member_client.get("/dashboard")
    visit = db.session.scalar(select(DashboardVisit))
    visit.last_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    page = text_of(s.member_client.get("/dashboard"))
    assert "Nouveau document : Point d'étape" in page
    assert "Nouveau document : Note publique" in page
    assert "Rapport confidentiel" not in page  # flagged on item 2, not cleared
