"""Export of personal data: one's own from « Mes données », any account or person by the
administrator; the ZIP holds a JSON document of everything held and the files sent."""

from __future__ import annotations

from sqlalchemy import select

from committees.audit.models import AuditEntry
from committees.auth.models import Role, User
from committees.privacy.export import personal_data
from committees.privacy.subjects import subject_for_user
from tests.support.calls import IN_2022, contribute, make_call
from tests.support.helpers import open_session, post_form, text_of
from tests.support.privacy import (
    COMMENT,
    CONSENTED_FILE,
    CONTRIBUTOR_EMAIL,
    PRIVATE_FILE,
    archive_of,
)


def _client(app, user):
    client = app.test_client()
    open_session(client, user)
    return client


def _exports(db) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(AuditEntry.entity_type, AuditEntry.entity_id).where(AuditEntry.action == "export")
    )
    return [tuple(row) for row in rows]


def test_a_contributor_downloads_their_contributions_files_follows_and_mails(app, db, situation):
    client = _client(app, situation.contributor)
    page = client.get("/account/data")
    assert "Télécharger mes données" in text_of(page)

    document, archive = archive_of(
        post_form(client, "/account/data/export", {}, form_url="/account/data")
    )

    assert document["account"]["email"] == CONTRIBUTOR_EMAIL
    assert "password_hash" not in document["account"]
    assert document["person"] is None
    by_receipt = {c["receipt"]: c for c in document["contributions"]}
    consented = by_receipt[situation.consented.receipt]
    private = by_receipt[situation.private.receipt]
    assert consented["contact_name"] == "Marie Lefèvre"
    assert private["text"] == "Nos chiffres de production, confidentiels."
    assert private["consent_publication"] is False
    assert archive.read(consented["attachments"][0]["path"]) == CONSENTED_FILE
    assert archive.read(private["attachments"][0]["path"]) == PRIVATE_FILE
    assert [f["scope"] for f in document["follows"]] == [f"committee:{situation.held.committee.id}"]
    bodies = [m["body_text"] for m in document["outbox_messages"]]
    assert "Bonjour Marie, votre contribution est enregistrée." in bodies
    assert any(e["entity_type"] == "contributions" for e in document["audit_entries"])
    assert _exports(db) == [("users", situation.contributor.id)]


def test_a_member_gets_mandates_attendance_recusals_comments_and_calendar(app, db, situation):
    anne = situation.held.member
    client = _client(app, anne)

    document, _archive = archive_of(
        post_form(client, "/account/data/export", {}, form_url="/account/data")
    )

    assert document["person"]["last_name"] == "Martin"
    assert [m["role"] for m in document["mandates"]] == ["president"]
    assert [a["presence"] for a in document["attendances"]] == ["present"]
    assert [b["choice"] for b in document["ballots"]] == ["for"]
    assert [c["body"] for c in document["minutes_comments"]] == [COMMENT]
    assert document["calendar_subscription"] is not None
    assert document["contributions"] == []
    person_id = situation.held.mandates["anne"].person_id
    assert sorted(_exports(db)) == [("persons", person_id), ("users", anne.id)]


def test_the_admin_exports_a_person_without_account(app, db, situation, make_user):
    admin = make_user(Role.ADMIN)
    bruno = situation.held.mandates["bruno"].person
    client = _client(app, admin)
    url = f"/admin/persons/{bruno.id}/data"
    assert "Bruno Petit" in text_of(client.get(url))

    document, _archive = archive_of(post_form(client, f"{url}/export", {}, form_url=url))

    assert document["account"] is None
    assert document["person"]["email"] == "bruno.petit@example.org"
    assert [r["status"] for r in document["recusals"]] == ["confirmed"]
    assert document["attendances"][0]["meeting"] == "Auditions des opérateurs économiques"
    assert [m["recipient"] for m in document["outbox_messages"]] == ["bruno.petit@example.org"]
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "export")).scalar_one()
    assert (entry.entity_type, entry.entity_id, entry.actor_user_id) == (
        "persons",
        bruno.id,
        admin.id,
    )


def test_the_admin_exports_an_account_from_its_page(app, db, situation, make_user):
    client = _client(app, make_user(Role.ADMIN))
    account_page = client.get(f"/admin/users/{situation.contributor.id}")
    assert "Données personnelles : export et effacement" in text_of(account_page)
    url = f"/admin/users/{situation.contributor.id}/data"

    document, _archive = archive_of(post_form(client, f"{url}/export", {}, form_url=url))

    assert len(document["contributions"]) == 2
    assert document["minutes_revisions"] == []


def test_a_secretary_finds_the_minutes_versions_they_saved(app, db, situation):
    client = _client(app, situation.held.secretariat)

    document, _archive = archive_of(
        post_form(client, "/account/data/export", {}, form_url="/account/data")
    )

    assert [r["number"] for r in document["minutes_revisions"]] == [1]


def test_others_may_not_export_someone_else_and_a_forged_post_exports_nothing(app, db, situation):
    member = _client(app, situation.held.member)
    token_page = member.get("/account/data")
    assert token_page.status_code == 200
    url = f"/admin/users/{situation.contributor.id}/data/export"
    assert member.post(url).status_code in (400, 403)
    assert member.post("/account/data/export").status_code == 400  # no CSRF token
    assert app.test_client().post("/account/data/export").status_code in (302, 400)
    assert _exports(db) == []


def test_the_export_costs_the_same_queries_whatever_the_number_of_contributions(
    app, db, situation, count_queries
):
    def queries() -> int:
        db.session.expire_all()
        subject = subject_for_user(db.session.get(User, situation.contributor.id))
        with count_queries() as statements:
            personal_data(subject)
        return len(statements)

    before = queries()
    call = make_call(situation.held.committee, **IN_2022)
    for n in range(3):
        contribute(call, situation.contributor, organisation=f"Organisation {n}")

    assert queries() == before
