"""Minutes (compte rendu): prefill, revisions with optimistic locking, sending for comments,
adoption, publication, who sees and edits at each step, and the published PDF."""

from __future__ import annotations

import io
import re
import sys
from datetime import UTC, date, datetime
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from committees.auth.models import Role
from committees.mail.delivery import deliver_pending
from committees.mail.models import OutboxMessage
from committees.mail.transports import transport_from_config
from committees.meetings.minutes.services import (
    MinutesError,
    StaleRevision,
    adopt,
    save_revision,
    send_for_comments,
    start_minutes,
)
from committees.meetings.models import (
    AdoptionMode,
    MeetingStatus,
    Minutes,
    MinutesRevision,
    MinutesSection,
    MinutesStatus,
    SectionKind,
)
from committees.meetings.scheduling.services import (
    create_meeting,
)
from tests.support.helpers import csrf_token_from, post_form, text_of
from tests.support.minutes import SENTENCE, minutes_at, signed_in_client


def _revision_numbers(db, minutes_id: int) -> list[int]:
    return list(
        db.session.execute(
            select(MinutesRevision.number)
            .where(MinutesRevision.minutes_id == minutes_id)
            .order_by(MinutesRevision.number)
        ).scalars()
    )


# --- prefill --------------------------------------------------------------------------


def test_secretariat_starts_minutes_prefilled_with_attendance_recusals_hearings_and_votes(
    app, db, held
):
    client = signed_in_client(app, held.secretariat)
    url = f"/secretariat/meetings/{held.meeting.id}/minutes"
    page = client.get(url)
    assert page.status_code == 200
    assert "Préparer le compte rendu" in text_of(page)

    response = post_form(client, f"{url}/start", {}, form_url=url)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}/edit")

    sections = db.session.execute(select(MinutesSection).order_by(MinutesSection.id)).scalars()
    sections = list(sections)
    assert [(s.kind, s.item.position if s.item else None) for s in sections] == [
        ("opening", None),
        ("attendance", None),
        ("item", 1),
        ("item", 2),
        ("item", 3),
        ("closing", None),
    ]
    assert "Auditions des opérateurs économiques" in sections[0].body
    body = "\n".join(section.body for section in sections)
    # Attendance, by name and role, in its groups; the invited expert apart.
    present = body.split("### Membres présents\n")[1].split("###")[0]
    assert "Pr Anne Martin (Président·e)" in present
    assert "Bruno Petit" in present
    assert "Gilles Moreau" in present
    assert "Claire Durand" in body.split("### Membres présents à distance")[1].split("###")[0]
    assert "Denis Leroy" in body.split("### Membres excusés")[1].split("###")[0]
    assert "Emma Roux" in body.split("### Membres absents")[1].split("###")[0]
    experts = body.split("### Experts invités (sans voix délibérative)")[1].split("##")[0]
    assert "- Fabrice Blanc — présent·e" in experts
    # The recusal, the quorum after it, the named vote and its result.
    assert "Déport (ne prend part ni au débat ni au vote) : Bruno Petit." in body
    assert "Quorum : 3 membres votants présents sur 5, 3 requis — quorum atteint." in body
    assert "pour : 2, contre : 1, abstentions : 0." in body
    assert "- Pour : Pr Anne Martin, Gilles Moreau" in body
    assert "- Contre : Claire Durand" in body
    assert "**Avis adopté.**" in body
    assert "> Avis favorable au cahier des charges." in body
    # The hearing and the secret vote, counts only.
    assert "**Association Principes Actifs** (Association de patients" in body
    assert "Synthèse : L'association demande un accès élargi aux fleurs séchées." in body
    assert "pour : 3, contre : 0, abstentions : 1." in body
    assert "Vote à bulletin secret : seuls les décomptes sont consignés." in body

    edit = client.get(f"{url}/edit")
    assert edit.status_code == 200
    assert "Déport (ne prend part ni au débat ni au vote) : Bruno Petit." in unescape(
        edit.get_data(as_text=True)
    )


def test_minutes_cannot_be_started_twice_nor_for_a_future_session(app, db, held):
    start_minutes(held.meeting, held.secretariat)
    db.session.commit()
    with pytest.raises(MinutesError, match="déjà commencé"):
        start_minutes(held.meeting, held.secretariat)
    held.committee.end_date = date(2099, 12, 31)  # a session must fall in its committee's period
    future = create_meeting(
        held.committee,
        title="Plus tard",
        starts_at=datetime(2099, 1, 1, 12, tzinfo=UTC),
        ends_at=datetime(2099, 1, 1, 15, tzinfo=UTC),
    )
    with pytest.raises(MinutesError, match="pas encore eu lieu"):
        start_minutes(future, held.secretariat)


# --- optimistic locking ---------------------------------------------------------------


def _opening(revision: MinutesRevision) -> str:
    return next(s.body for s in revision.sections if s.kind == SectionKind.OPENING)


def test_two_saves_from_the_same_revision_the_second_gets_409_and_nothing_is_overwritten(
    app, db, make_user, held
):
    minutes = start_minutes(held.meeting, held.secretariat)
    db.session.commit()
    first_text = _opening(minutes.revisions[0])
    url = f"/secretariat/meetings/{held.meeting.id}/minutes/edit"
    alice = signed_in_client(app, held.secretariat)
    bob = signed_in_client(app, make_user(Role.SECRETARIAT, full_name="Bob Relecteur"))
    alice_page, bob_page = alice.get(url), bob.get(url)
    assert 'name="base_number" type="hidden" value="1"' in alice_page.get_data(as_text=True)

    saved = alice.post(
        url,
        data={
            "csrf_token": csrf_token_from(alice_page.get_data(as_text=True)),
            "base_number": "1",
            "text_opening": "Texte d'Alice : " + SENTENCE,
            "note": "relecture Alice",
        },
    )
    assert saved.status_code == 302

    bob_text = "Texte de Bob, écrit en même temps."
    stale = bob.post(
        url,
        data={
            "csrf_token": csrf_token_from(bob_page.get_data(as_text=True)),
            "base_number": "1",
            "text_opening": bob_text,
            "note": "relecture Bob",
        },
    )
    assert stale.status_code == 409
    page = text_of(stale)
    assert "Le compte rendu a été modifié entre-temps." in page
    assert "Sophie Secrétariat a enregistré la version 2" in page
    html = unescape(stale.get_data(as_text=True))
    other = re.search(r'<pre class="card" id="other-version">(.*?)</pre>', html, re.S)
    assert other
    assert other.group(1).startswith("Texte d'Alice : " + SENTENCE)
    textarea = re.search(r'<textarea[^>]*name="text_opening"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea
    assert textarea.group(1).strip() == bob_text
    # The form now starts from Alice's version, so that Bob can save his merged text.
    assert 'name="base_number" type="hidden" value="2"' in html

    db.session.expire_all()
    assert _revision_numbers(db, minutes.id) == [1, 2]
    revisions = db.session.execute(
        select(MinutesRevision).order_by(MinutesRevision.number)
    ).scalars()
    assert [_opening(r) for r in revisions] == [first_text, "Texte d'Alice : " + SENTENCE]

    merged = bob.post(
        url,
        data={
            "csrf_token": csrf_token_from(html),
            "base_number": "2",
            "text_opening": bob_text + "\n\n" + SENTENCE,
        },
    )
    assert merged.status_code == 302
    assert _revision_numbers(db, minutes.id) == [1, 2, 3]


def test_save_revision_from_a_stale_base_raises_with_the_latest_revision(db, held):
    minutes = start_minutes(held.meeting, held.secretariat)
    save_revision(minutes, {"opening": "Version deux"}, 1, held.secretariat)
    with pytest.raises(StaleRevision) as caught:
        save_revision(minutes, {"opening": "Version concurrente"}, 1, held.secretariat)
    assert caught.value.latest.number == 2
    assert _opening(caught.value.latest) == "Version deux"


def test_empty_text_is_refused_beside_the_field_with_422(app, db, held):
    start_minutes(held.meeting, held.secretariat)
    db.session.commit()
    client = signed_in_client(app, held.secretariat)
    url = f"/secretariat/meetings/{held.meeting.id}/minutes/edit"
    fields = re.findall(r'name="(text_[a-z0-9_]+)"', client.get(url).get_data(as_text=True))
    assert len(fields) == 6  # opening, attendance, three items, closing
    response = post_form(
        client, url, {"base_number": "1", "note": "vide", **dict.fromkeys(fields, "   ")}
    )
    assert response.status_code == 422
    assert "Le texte du compte rendu ne peut pas être vide." in text_of(response)
    assert db.session.execute(select(MinutesRevision.number)).scalars().all() == [1]


# --- who sees and edits, at each step -------------------------------------------------

STEPS = [MinutesStatus.DRAFT, MinutesStatus.SENT, MinutesStatus.ADOPTED, MinutesStatus.PUBLISHED]


@pytest.mark.parametrize("step", STEPS, ids=[s.value for s in STEPS])
def test_who_sees_and_edits_the_minutes_at_each_step(app, db, held, step):
    minutes = minutes_at(db, held, step)
    mid = held.meeting.id
    secretariat_url = f"/secretariat/meetings/{mid}/minutes"
    member_url, public_url = f"/my/meetings/{mid}/minutes", f"/meetings/{mid}/minutes"
    shown_to_members = step != MinutesStatus.DRAFT
    published = step == MinutesStatus.PUBLISHED
    editable = step in (MinutesStatus.DRAFT, MinutesStatus.SENT)

    anonymous = app.test_client()
    assert anonymous.get(secretariat_url).status_code == 302
    assert anonymous.get(member_url).status_code == 302
    public = anonymous.get(public_url)
    assert public.status_code == (200 if published else 404)
    assert (SENTENCE in text_of(public)) is published
    assert anonymous.get(f"{public_url}.pdf").status_code == (200 if published else 404)

    member = signed_in_client(app, held.member)
    own = member.get(member_url)
    assert own.status_code == (200 if shown_to_members else 404)
    assert (SENTENCE in text_of(own)) is shown_to_members
    if step == MinutesStatus.SENT:
        assert "soumis pour observations" in text_of(own)
    assert member.get(secretariat_url).status_code == 403
    assert member.get(f"{secretariat_url}/edit").status_code == 403

    outsider = signed_in_client(app, held.outsider)
    theirs = outsider.get(member_url)
    assert theirs.status_code == (200 if published else 404)
    assert outsider.get(secretariat_url).status_code == 403

    secretariat = signed_in_client(app, held.secretariat)
    manage = secretariat.get(secretariat_url)
    assert manage.status_code == 200
    assert SENTENCE in text_of(manage)
    assert ("Modifier le texte" in text_of(manage)) is editable
    edit = secretariat.get(f"{secretariat_url}/edit")
    if editable:
        assert edit.status_code == 200
        saved = post_form(
            secretariat,
            f"{secretariat_url}/edit",
            {"base_number": "2", "text_opening": SENTENCE + " Corrigé.", "note": "correction"},
        )
        assert saved.status_code == 302
        assert _revision_numbers(db, minutes.id) == [1, 2, 3]
    else:
        assert edit.status_code == 302
        refused = secretariat.post(
            f"{secretariat_url}/edit",
            data={
                "csrf_token": csrf_token_from(manage.get_data(as_text=True)),
                "base_number": "2",
                "text_opening": "Réécriture après adoption",
            },
            follow_redirects=True,
        )
        assert "il ne peut plus être modifié" in text_of(refused)
        assert _revision_numbers(db, minutes.id) == [1, 2]
        with pytest.raises(MinutesError, match="ne peut plus être modifié"):
            save_revision(
                db.session.get(Minutes, minutes.id), {"opening": "x"}, 2, held.secretariat
            )


def test_published_minutes_of_a_closed_session_stay_off_the_public_site(app, db, held):
    held.meeting.is_public = False
    db.session.commit()
    minutes_at(db, held, MinutesStatus.PUBLISHED)
    mid = held.meeting.id
    assert app.test_client().get(f"/meetings/{mid}/minutes").status_code == 404
    assert app.test_client().get(f"/meetings/{mid}/minutes.pdf").status_code == 404
    member = signed_in_client(app, held.member)
    assert SENTENCE in text_of(member.get(f"/my/meetings/{mid}/minutes"))


# --- sending, adoption, publication ---------------------------------------------------


def test_sending_for_comments_puts_one_message_per_participant_with_the_link(
    app, db, held, smtp_server
):
    start_minutes(held.meeting, held.secretariat)
    db.session.commit()
    client = signed_in_client(app, held.secretariat)
    url = f"/secretariat/meetings/{held.meeting.id}/minutes"
    response = post_form(client, f"{url}/send", {}, form_url=url, follow_redirects=True)
    assert "envoyé à 3 participants" in text_of(response)

    messages = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.recipient)).scalars()
    messages = list(messages)
    # Persons with an address, or the address of their member account.
    assert [m.recipient for m in messages] == [
        "anne.martin@example.org",
        "bruno.petit@example.org",
        "fb@example.org",
    ]
    link = f"http://localhost/my/meetings/{held.meeting.id}/minutes"
    for message in messages:
        assert message.subject == "Projet de compte rendu de la séance du 04/05/2022"
        assert link in message.body_text
    assert db.session.get(Minutes, held.meeting.minutes.id).status == MinutesStatus.SENT

    deliver_pending(transport_from_config(app.config))
    assert sorted(m["To"] for m in smtp_server.messages) == [m.recipient for m in messages]
    assert link in smtp_server.messages[0].get_body(("plain",)).get_content()


def test_adoption_in_session_needs_a_later_session_on_its_day(app, db, held):
    minutes = minutes_at(db, held, MinutesStatus.SENT)
    client = signed_in_client(app, held.secretariat)
    url = f"/secretariat/meetings/{held.meeting.id}/minutes"

    no_meeting = post_form(
        client, f"{url}/adopt", {"adopted_on": "2022-06-01", "mode": "session"}, form_url=url
    )
    assert no_meeting.status_code == 422
    assert "Choisissez la séance qui a adopté le compte rendu." in text_of(no_meeting)

    wrong_day = post_form(
        client,
        f"{url}/adopt",
        {"adopted_on": "2022-06-02", "mode": "session", "at_meeting_id": held.next_meeting.id},
        form_url=url,
    )
    assert wrong_day.status_code == 422
    assert "doit être celle de la séance qui l'adopte (01/06/2022)" in text_of(wrong_day)
    assert 'value="2022-06-02"' in wrong_day.get_data(as_text=True)
    db.session.expire_all()
    assert minutes.status == MinutesStatus.SENT
    assert minutes.adopted_on is None

    adopted = post_form(
        client,
        f"{url}/adopt",
        {"adopted_on": "2022-06-01", "mode": "session", "at_meeting_id": held.next_meeting.id},
        form_url=url,
        follow_redirects=True,
    )
    assert "L'adoption du compte rendu est enregistrée." in text_of(adopted)
    db.session.expire_all()
    assert minutes.status == MinutesStatus.ADOPTED
    assert minutes.adopted_at_meeting_id == held.next_meeting.id
    assert held.meeting.status == MeetingStatus.MINUTES_ADOPTED


def test_adoption_in_writing_and_publication_only_after_adoption(app, db, held):
    minutes = minutes_at(db, held, MinutesStatus.DRAFT)
    with pytest.raises(MinutesError, match="envoyé aux membres"):
        adopt(minutes, date(2022, 5, 20), AdoptionMode.IN_WRITING)
    client = signed_in_client(app, held.secretariat)
    url = f"/secretariat/meetings/{held.meeting.id}/minutes"
    refused = post_form(client, f"{url}/publish", {}, form_url=url, follow_redirects=True)
    assert "Seul un compte rendu adopté peut être publié." in text_of(refused)
    db.session.expire_all()
    assert minutes.status == MinutesStatus.DRAFT
    assert minutes.published_at is None

    send_for_comments(minutes)
    adopt(minutes, date(2022, 5, 20), AdoptionMode.IN_WRITING)
    db.session.commit()
    published = post_form(client, f"{url}/publish", {}, form_url=url, follow_redirects=True)
    assert "Le compte rendu est publié." in text_of(published)
    assert "par écrit" in text_of(published)
    db.session.expire_all()
    assert minutes.status == MinutesStatus.PUBLISHED
    assert minutes.published_at is not None


# --- revision history and its cost ----------------------------------------------------


def test_history_lists_every_revision_in_a_bounded_number_of_queries(app, db, held, count_queries):
    minutes = start_minutes(held.meeting, held.secretariat)
    db.session.commit()
    client = signed_in_client(app, held.secretariat)
    url = f"/secretariat/meetings/{held.meeting.id}/minutes"
    with count_queries() as few:
        client.get(url)
    for number in range(1, 9):
        save_revision(
            minutes,
            {"opening": f"Version {number + 1}"},
            number,
            held.secretariat,
            f"note {number}",
        )
    db.session.commit()
    with count_queries() as many:
        page = client.get(url)
    assert len(many) == len(few)
    assert "note 8" in text_of(page)
    assert "Version 9" in text_of(page)

    old = client.get(f"{url}/revisions/1")
    assert old.status_code == 200
    assert "Texte prérempli depuis la séance" in text_of(old)
    assert client.get(f"{url}/revisions/99").status_code == 404


# --- PDF ------------------------------------------------------------------------------


def test_published_minutes_pdf_contains_the_text_and_the_agency_header(app, db, held):
    minutes_at(db, held, MinutesStatus.PUBLISHED)
    response = app.test_client().get(f"/meetings/{held.meeting.id}/minutes.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert SENTENCE in text
    assert app.config["AGENCY_NAME"] in text
    assert "Compte rendu de la séance n°1 du 4 mai 2022" in text
    assert "Culture en France du cannabis à usage médical" in text
    assert f"Page 1 / {len(reader.pages)}" in text


def test_pdf_without_weasyprint_answers_503_with_a_clear_page(app, db, held, monkeypatch):
    minutes_at(db, held, MinutesStatus.PUBLISHED)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what a missing package looks like
    response = app.test_client().get(f"/meetings/{held.meeting.id}/minutes.pdf")
    assert response.status_code == 503
    assert "Le PDF du compte rendu est momentanément indisponible" in text_of(response)
