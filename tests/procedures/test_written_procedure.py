"""A written procedure (consultation écrite) from opening to published opinion: members
written to, a recused member refused, answers changed, the quorum rule at the deadline,
closing once, minutes adopted in writing, and nothing public before publication."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from committees.common.timeutils import utcnow
from committees.extensions import db as _db
from committees.mail.models import OutboxMessage
from committees.meetings.models import AdoptionMode, MinutesStatus
from committees.procedures import services
from committees.procedures.models import ConsultedMember, ProcedureStatus, WrittenProcedure
from committees.procedures.queries import minutes_to_adopt
from committees.reminders.services import run_reminders
from tests.support.helpers import count_rows, csrf_token_from, outbox, text_of
from tests.support.minutes import minutes_at, signed_in_client
from tests.support.procedures import (
    PDF,
    QUESTION,
    declare_link,
    give_account,
    make_current,
    opened,
)


def _row(procedure, held, key) -> ConsultedMember:
    return next(c for c in procedure.consulted if c.mandate_id == held.mandates[key].id)


def _answer(client, procedure_id: int, choice: str, comment: str = ""):
    page = client.get(f"/my/procedures/{procedure_id}")
    return client.post(
        f"/my/procedures/{procedure_id}/answer",
        data={"csrf_token": csrf_token_from(page.text), "choice": choice, "comment": comment},
    )


def _past_deadline(procedure) -> None:
    procedure.deadline = utcnow() - timedelta(minutes=1)
    _db.session.commit()


def _vote(procedure, held, **choices) -> None:
    for key, choice in choices.items():
        services.answer(procedure, _row(procedure, held, key), choice)
    _db.session.commit()


def test_from_opening_to_published_opinion(app, db, held, make_user):
    make_current(held)
    bruno = give_account(db, make_user, held, "bruno", "bruno.compte@example.org")
    held.member.locale = "en"
    db.session.commit()
    secretariat = signed_in_client(app, held.secretariat)
    form = secretariat.get(f"/secretariat/committees/{held.committee.id}/procedures/new")
    assert form.status_code == 200
    deadline = (utcnow() + timedelta(days=4)).astimezone(services.PARIS).date()
    response = secretariat.post(
        f"/secretariat/committees/{held.committee.id}/procedures/new",
        data={
            "csrf_token": csrf_token_from(form.text),
            "title": "Prolongation de l'expérimentation",
            "question": QUESTION,
            "deadline_day": deadline.isoformat(),
            "deadline_time": "18:00",
            "documents": [(io.BytesIO(PDF), "note-cadrage.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, text_of(response)
    procedure = db.session.execute(select(WrittenProcedure)).scalar_one()
    # the six voting members are consulted, not the invited expert
    assert len(procedure.consulted) == 6
    assert [d.filename for d in procedure.documents] == ["note-cadrage.pdf"]
    mails = {m.recipient: m for m in outbox(db)}
    assert set(mails) == {"anne.martin@example.org", "bruno.petit@example.org"}
    assert f"/my/procedures/{procedure.id}" in mails["anne.martin@example.org"].body_text
    assert "token" not in mails["anne.martin@example.org"].body_text

    # the secretariat records Bruno's recusal: he cannot vote and is told why
    page = secretariat.get(f"/secretariat/procedures/{procedure.id}")
    secretariat.post(
        f"/secretariat/procedures/{procedure.id}/recusals",
        data={
            "csrf_token": csrf_token_from(page.text),
            "mandate_id": held.mandates["bruno"].id,
            "reason": "consultant d'un opérateur",
        },
    )
    as_bruno = signed_in_client(app, bruno)
    refused = _answer(as_bruno, procedure.id, "for")
    assert refused.status_code == 403
    assert "déporté(e) sur cette consultation : consultant d'un opérateur" in text_of(refused)
    db.session.expire_all()
    assert _row(procedure, held, "bruno").choice is None

    # Anne answers, then changes her answer before the deadline
    as_anne = signed_in_client(app, held.member)
    assert _answer(as_anne, procedure.id, "against").status_code == 302
    assert _answer(as_anne, procedure.id, "for", "Favorable.").status_code == 302
    db.session.expire_all()
    anne = _row(procedure, held, "anne")
    assert (anne.choice, anne.comment) == ("for", "Favorable.")
    # nobody outside the committee sees it
    outsider = signed_in_client(app, held.outsider)
    assert outsider.get(f"/my/procedures/{procedure.id}").status_code == 404

    _vote(procedure, held, claire="for", denis="against", gilles="abstain")
    # not public before closing, nor after closing until published
    assert app.test_client().get(f"/procedures/{procedure.id}").status_code == 404
    refused_close = secretariat.post(
        f"/secretariat/procedures/{procedure.id}/close",
        data={
            "csrf_token": csrf_token_from(
                secretariat.get(f"/secretariat/procedures/{procedure.id}").text
            )
        },
        follow_redirects=True,
    )
    assert "après sa date limite" in text_of(refused_close)
    _past_deadline(procedure)
    page = secretariat.get(f"/secretariat/procedures/{procedure.id}")
    assert "Clore maintenant" in page.text
    secretariat.post(
        f"/secretariat/procedures/{procedure.id}/close",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    db.session.expire_all()
    assert procedure.status == ProcedureStatus.CLOSED
    assert (procedure.eligible, procedure.required, procedure.quorum_reached) == (5, 3, True)
    assert (procedure.votes_for, procedure.votes_against, procedure.abstentions) == (2, 1, 1)
    assert procedure.adopted
    public = app.test_client()
    assert public.get(f"/procedures/{procedure.id}").status_code == 404
    assert public.get(f"/procedures/{procedure.id}/opinion.pdf").status_code == 404
    assert "Prolongation" not in text_of(public.get("/procedures"))

    page = secretariat.get(f"/secretariat/procedures/{procedure.id}")
    secretariat.post(
        f"/secretariat/procedures/{procedure.id}/publish",
        data={
            "csrf_token": csrf_token_from(page.text),
            "opinion": "Avis favorable à la prolongation.",
        },
    )
    shown = public.get(f"/procedures/{procedure.id}")
    assert shown.status_code == 200
    text = text_of(shown)
    assert "Avis adopté" in text
    assert "Avis favorable à la prolongation." in text
    assert "Anne Martin : Pour" in text
    assert "Bruno Petit : déporté(e)" in text
    assert "Prolongation" in text_of(public.get("/procedures"))
    document = procedure.documents[0]
    assert public.get(f"/procedures/{procedure.id}/documents/{document.id}").data == PDF


def test_quorum_not_reached_and_closing_twice_changes_nothing(db, held):
    procedure = opened(db, held)
    _vote(procedure, held, anne="for", claire="for")
    with pytest.raises(services.ProcedureError):
        services.close(procedure)
    later = procedure.deadline + timedelta(seconds=1)
    with pytest.raises(services.ProcedureError, match="close"):
        services.answer(procedure, _row(procedure, held, "gilles"), "for", now=later)
    assert services.close(procedure, now=later) is True
    db.session.commit()
    assert (procedure.eligible, procedure.required) == (6, 4)
    assert procedure.quorum_reached is False
    assert procedure.adopted is False
    closed_at = procedure.closed_at
    assert services.close(procedure, now=later + timedelta(days=1)) is False
    assert services.close_due(later + timedelta(days=2)) == 0
    assert procedure.closed_at == closed_at
    services.publish(procedure, "")
    db.session.commit()
    assert procedure.opinion == "Quorum non atteint : le comité n'a pas rendu d'avis."


def test_close_due_command_closes_once(app, db, held):
    procedure = opened(db, held)
    _vote(procedure, held, anne="for", bruno="for", claire="against", denis="for")
    _past_deadline(procedure)
    runner = app.test_cli_runner()
    assert "1 consultation" in runner.invoke(args=["procedures", "close-due"]).output
    assert "0 consultation" in runner.invoke(args=["procedures", "close-due"]).output
    db.session.expire_all()
    assert procedure.quorum_reached
    assert procedure.adopted
    assert (procedure.votes_for, procedure.votes_against) == (3, 1)


def test_a_declared_link_bars_the_member(app, db, held, make_user):
    declare_link(db, held, "anne", "Laboratoire Phytopharma")
    procedure = opened(db, held, organisation="Phytopharma")
    with pytest.raises(services.Barred, match="lien déclaré avec Laboratoire Phytopharma"):
        services.answer(procedure, _row(procedure, held, "anne"), "for")
    page = signed_in_client(app, held.member).get(f"/my/procedures/{procedure.id}")
    assert "Vous êtes déporté(e) sur cette consultation : lien déclaré" in text_of(page)


def test_minutes_adopted_in_writing(db, held):
    minutes = minutes_at(db, held, MinutesStatus.SENT)
    assert minutes_to_adopt(held.committee) == [minutes]
    procedure = opened(db, held, minutes=minutes)
    assert minutes_to_adopt(held.committee) == []
    _vote(procedure, held, anne="for", bruno="for", claire="for", denis="abstain")
    services.close(procedure, now=procedure.deadline)
    db.session.commit()
    assert minutes.status == MinutesStatus.ADOPTED
    assert minutes.adoption_mode == AdoptionMode.IN_WRITING


@pytest.mark.parametrize(
    ("day", "message"),
    [("2020-01-01", "dans le futur"), ("2100-01-01", "période du comité"), ("", "date limite")],
)
def test_a_bad_deadline_is_refused_and_nothing_is_written(app, db, held, day, message):
    held.committee.end_date = held.committee.end_date if day != "2100-01-01" else None
    if day == "2100-01-01":
        held.committee.end_date = (utcnow() + timedelta(days=30)).date()
    db.session.commit()
    client = signed_in_client(app, held.secretariat)
    url = f"/secretariat/committees/{held.committee.id}/procedures/new"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(client.get(url).text),
            "title": "Objet",
            "question": "Question ?",
            "deadline_day": day,
        },
    )
    assert response.status_code == 422
    assert message in text_of(response)
    assert count_rows(db, WrittenProcedure) == 0
    assert count_rows(db, OutboxMessage) == 0


def test_reminder_to_members_who_have_not_answered(db, held):
    procedure = opened(db, held, days=1)
    _vote(procedure, held, anne="for")
    before = len(outbox(db))
    today = utcnow().astimezone(services.PARIS).date()
    assert run_reminders(today)["procedure"] == 1  # Bruno, the only other one with an address
    assert run_reminders(today)["procedure"] == 0
    reminder = outbox(db)[before]
    assert reminder.recipient == "bruno.petit@example.org"
    assert "Prolongation" in reminder.subject


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_written(app, db, held):
    make_current(held)
    db.session.commit()
    client = signed_in_client(app, held.secretariat)
    url = f"/secretariat/committees/{held.committee.id}/procedures/new"
    day = (utcnow() + timedelta(days=3)).astimezone(services.PARIS).date()
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(client.get(url).text),
            "title": "Objet",
            "question": "Question ?",
            "deadline_day": day.isoformat(),
            "documents": [(io.BytesIO(b"#!/bin/sh\necho hello\n"), "script.sh")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "pas un document accepté" in text_of(response)
    assert count_rows(db, WrittenProcedure) == 0
    assert count_rows(db, OutboxMessage) == 0
