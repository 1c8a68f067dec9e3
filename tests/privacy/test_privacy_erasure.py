"""Erasure by the administrator: contact data and private content go, the public record
(names on published compositions and minutes, consented contributions) stays; idempotent;
files leave the disk once the erasure is committed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from committees.audit.models import AuditEntry
from committees.auth.models import Role, User
from committees.bodies.models import Person
from committees.calendars.models import CalendarSubscription
from committees.calls.models import Contribution, ContributionAttachment
from committees.common import filestore
from committees.common.personal_data import ANONYMISED_CONTRIBUTOR, ERASED
from committees.mail.models import OutboxAttachment, OutboxMessage
from committees.meetings.models import MinutesComment
from committees.privacy.erasure import erase
from committees.privacy.subjects import subject_for_user
from tests.support.helpers import DEFAULT_PASSWORD, login, open_session, post_form, text_of
from tests.support.privacy import CONTRIBUTOR_EMAIL, followers


@pytest.fixture
def admin(app, make_user):
    client = app.test_client()
    open_session(client, make_user(Role.ADMIN, email="admin@example.org"))
    return client


def _erase(client, url: str, confirm: bool = True):
    data = {"confirm": "y"} if confirm else {}
    return post_form(client, f"{url}/erase", data, form_url=url)


def _everything_mentions(db, text: str) -> list[str]:
    """Tables whose rows still hold ``text`` somewhere (JSON columns included)."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            if text in json.dumps(dict(row), default=str, ensure_ascii=False):
                found.append(table.name)
                break
    return found


def _erasures(db) -> int:
    return db.session.scalar(select(func.count()).where(AuditEntry.action == "erase"))


def test_erasing_a_contributor_keeps_only_what_they_consented_to_publish(app, db, situation, admin):
    contributor_id = situation.contributor.id
    contributor_client = app.test_client()
    assert login(contributor_client, CONTRIBUTOR_EMAIL, DEFAULT_PASSWORD).status_code == 302
    private_file = filestore.path_for(situation.private.attachments[0].sha256)
    consented_file = filestore.path_for(situation.consented.attachments[0].sha256)
    url = f"/admin/users/{contributor_id}/data"

    answer = _erase(admin, url)

    assert answer.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, contributor_id)
    assert (user.email, user.full_name, user.is_enabled) == (
        f"erased-{contributor_id}@invalid",
        "Compte effacé",
        False,
    )
    private = db.session.get(Contribution, situation.private.id)
    assert private.contact_name == ANONYMISED_CONTRIBUTOR
    assert private.organisation == ANONYMISED_CONTRIBUTOR
    assert private.text == ERASED
    assert private.attachments == []
    consented = db.session.get(Contribution, situation.consented.id)
    assert consented.contact_name == "Marie Lefèvre"
    assert consented.organisation == "Chanvre de Touraine"
    assert consented.contact_function == ""
    assert [a.filename for a in consented.attachments] == ["projet.pdf"]
    assert not private_file.exists()
    assert consented_file.exists()
    assert followers(CONTRIBUTOR_EMAIL) == []
    messages = db.session.execute(select(OutboxMessage)).scalars().all()
    erased = [(m.recipient, m.body_text) for m in messages if "invalid" in m.recipient]
    # the two receipts of the submissions and the test's own message
    assert erased == [(f"erased-{contributor_id}@invalid", "")] * 3
    assert db.session.scalar(select(func.count()).select_from(OutboxAttachment)) == 0
    assert _everything_mentions(db, CONTRIBUTOR_EMAIL) == []
    assert _everything_mentions(db, "Nos chiffres de production") == []
    assert _erasures(db) == 1
    # Signed out everywhere, and the password no longer opens the account.
    assert contributor_client.get("/account/data").status_code == 302
    assert login(app.test_client(), CONTRIBUTOR_EMAIL, DEFAULT_PASSWORD).status_code != 302


def test_erasing_a_member_keeps_their_name_on_the_published_composition_and_minutes(
    app, db, situation, admin
):
    anne = situation.held.member
    person_id = situation.held.mandates["anne"].person_id
    url = f"/admin/persons/{person_id}/data"
    page = admin.get(url)
    assert "Anne Martin" in text_of(page)

    assert _erase(admin, url).status_code == 302

    db.session.expire_all()
    person = db.session.get(Person, person_id)
    assert (person.first_name, person.last_name, person.email) == ("Anne", "Martin", None)
    assert db.session.get(User, anne.id).email == f"erased-{anne.id}@invalid"
    comment = db.session.execute(select(MinutesComment)).scalar_one()
    assert comment.body == ERASED
    assert db.session.execute(select(CalendarSubscription)).first() is None
    public = app.test_client()
    minutes_page = text_of(public.get(f"/meetings/{situation.held.meeting.id}/minutes"))
    assert "Anne Martin" in minutes_page
    assert "Anne Martin" in text_of(public.get("/committees/cst-culture"))
    assert _everything_mentions(db, "anne.martin@example.org") == []


def test_erasing_a_person_without_account_removes_their_address_and_mails(
    app, db, situation, admin
):
    bruno = situation.held.mandates["bruno"].person
    url = f"/admin/persons/{bruno.id}/data"

    assert _erase(admin, url).status_code == 302

    db.session.expire_all()
    assert db.session.get(Person, bruno.id).email is None
    assert _everything_mentions(db, "bruno.petit@example.org") == []
    minutes_page = text_of(app.test_client().get(f"/meetings/{situation.held.meeting.id}/minutes"))
    assert "Bruno Petit" in minutes_page


def test_erasure_needs_the_confirmation_and_changes_nothing_without_it(app, db, situation, admin):
    url = f"/admin/users/{situation.contributor.id}/data"

    answer = _erase(admin, url, confirm=False)

    assert answer.status_code == 422
    assert "Cochez la case pour confirmer l'effacement." in text_of(answer)
    db.session.expire_all()
    assert db.session.get(User, situation.contributor.id).email == CONTRIBUTOR_EMAIL
    assert _erasures(db) == 0


def test_erasure_is_idempotent(app, db, situation, admin):
    url = f"/admin/users/{situation.contributor.id}/data"
    assert _erase(admin, url).status_code == 302

    again = _erase(admin, url)

    assert again.status_code == 302
    assert "Rien à effacer" in text_of(admin.get(again.headers["Location"]))
    assert _erasures(db) == 1
    db.session.expire_all()
    assert erase(
        subject_for_user(db.session.get(User, situation.contributor.id)), None
    ).changed is (False)


def test_a_failed_erasure_keeps_the_files(app, db, situation):
    digest = situation.private.attachments[0].sha256
    result = erase(subject_for_user(situation.contributor), None)
    assert digest in result.digests

    db.session.rollback()  # the commit did not happen: nothing may leave the disk

    assert filestore.exists(digest)
    assert db.session.scalar(select(func.count()).select_from(ContributionAttachment)) == 2


def test_only_the_admin_erases(app, db, situation):
    secretariat = app.test_client()
    open_session(secretariat, situation.held.secretariat)
    url = f"/admin/users/{situation.contributor.id}/data/erase"
    assert secretariat.post(url, data={"confirm": "y"}).status_code in (400, 403)
    db.session.expire_all()
    assert db.session.get(User, situation.contributor.id).is_enabled


def test_an_admin_cannot_erase_their_own_account(app, db, make_user):
    admin = make_user(Role.ADMIN, email="seule-admin@example.org")
    client = app.test_client()
    open_session(client, admin)
    url = f"/admin/users/{admin.id}/data"

    answer = _erase(client, url)

    assert answer.status_code == 422
    assert "Vous ne pouvez pas effacer votre propre compte." in text_of(answer)
    db.session.expire_all()
    assert db.session.get(User, admin.id).email == "seule-admin@example.org"
