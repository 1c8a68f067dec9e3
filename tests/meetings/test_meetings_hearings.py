"""Hearings on agenda items: organisations heard, slots in Paris time, status and summary."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import func, select

from committees.auth.models import Role
from committees.meetings.agenda import hearings
from committees.meetings.agenda import services as agenda
from committees.meetings.models import AgendaItem, Hearing, ItemKind
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import MeetingError, cancel_meeting
from tests.support.helpers import DEFAULT_PASSWORD, login, post_form, text_of
from tests.support.meetings import SESSION_DAY


@pytest.fixture
def hearing_item(db, meeting) -> AgendaItem:
    item = agenda.add_item(
        meeting, title="Auditions des opérateurs économiques", kind=ItemKind.HEARING.value
    )
    db.session.commit()
    return item


def _hearings(db) -> list[Hearing]:
    db.session.expire_all()
    return list(db.session.execute(select(Hearing).order_by(Hearing.id)).scalars())


def _count(db) -> int:
    return db.session.execute(select(func.count()).select_from(Hearing)).scalar_one()


def _form(**overrides) -> dict:
    return {
        "organisation": "Coopérative Chanvre Bio",
        "organisation_kind": "economic_operator",
        "representatives": "Mme Anne Durand, présidente\n\n M. Paul Roux, agronome \n",
        "slot_day": "",
        "slot_start": "14:30",
        "slot_end": "15:00",
        "mode": "videoconference",
        "status": "invited",
        "summary": "",
        **overrides,
    }


def _new_url(meeting, item) -> str:
    return f"/secretariat/meetings/{meeting.id}/items/{item.id}/hearings/new"


def test_add_a_hearing_with_a_slot_in_paris_time(client, db, secretary, meeting, hearing_item):
    response = post_form(client, _new_url(meeting, hearing_item), _form(), follow_redirects=True)
    text = text_of(response)
    assert "L'audition de Coopérative Chanvre Bio a été ajoutée." in text
    assert "Opérateur économique · Visioconférence · Invitée" in text
    assert "4 mai 2022, 14:30 – 15:00" in text
    assert "Mme Anne Durand, présidente M. Paul Roux, agronome" in text

    (hearing,) = _hearings(db)
    # 4 May 2022 is summer time in Paris: 14:30 there is 12:30 UTC.
    assert hearing.slot_start == datetime(2022, 5, 4, 12, 30, tzinfo=UTC)
    assert hearing.slot_end == datetime(2022, 5, 4, 13, 0, tzinfo=UTC)
    assert hearing.representatives == "Mme Anne Durand, présidente\nM. Paul Roux, agronome"
    assert hearing.mode == "videoconference"


def test_a_hearing_without_a_slot_yet(client, db, secretary, meeting, hearing_item):
    response = post_form(client, _new_url(meeting, hearing_item), _form(slot_start="", slot_end=""))
    assert response.status_code == 302
    (hearing,) = _hearings(db)
    assert hearing.slot_start is None
    assert hearing.slot_end is None
    assert "à fixer" in text_of(client.get(response.headers["Location"]))


@pytest.mark.parametrize(
    ("overrides", "field_label", "message"),
    [
        (
            {"slot_start": "17:00", "slot_end": "17:30"},
            "Début du créneau (heure de Paris)",
            "Le créneau de l'audition doit se situer pendant la séance.",
        ),
        (
            {"slot_start": "13:30", "slot_end": "14:15"},
            "Début du créneau (heure de Paris)",
            "Le créneau de l'audition doit se situer pendant la séance.",
        ),
        (
            {"slot_day": "2022-05-05"},
            "Début du créneau (heure de Paris)",
            "Le créneau de l'audition doit se situer pendant la séance.",
        ),
        (
            {"slot_start": "15:00", "slot_end": "14:30"},
            "Fin du créneau (heure de Paris)",
            "La fin du créneau doit suivre son début.",
        ),
        (
            {"slot_end": ""},
            "Début du créneau (heure de Paris)",
            "Indiquez le début et la fin du créneau, ou aucun des deux.",
        ),
        ({"slot_start": "25:00"}, "Début du créneau (heure de Paris)", "horaire valide"),
        ({"organisation": "  "}, "Organisme auditionné", "Indiquez l'organisme auditionné."),
        ({"organisation_kind": "lobby"}, "Type d'organisme", "N'est pas un choix valide."),
        ({"status": "forgotten"}, "Statut", "N'est pas un choix valide."),
    ],
)
def test_bad_hearing_is_refused_beside_its_field_and_nothing_saved(
    client,
    db,
    secretary,
    meeting,
    hearing_item,
    overrides,
    field_label,
    message,
):
    response = post_form(client, _new_url(meeting, hearing_item), _form(**overrides))
    assert response.status_code == 422
    text = text_of(response)
    assert f"{field_label} :" in text  # the summary links the field in error
    assert message in text
    if "organisation" not in overrides:  # what was typed is kept
        assert 'value="Coopérative Chanvre Bio"' in response.get_data(as_text=True)
    assert _count(db) == 0


def test_a_hearing_on_an_item_that_is_not_a_hearing_is_refused(
    client,
    db,
    secretary,
    meeting,
):
    item = agenda.add_item(meeting, title="Point d'information", kind=ItemKind.INFORMATION.value)
    db.session.commit()
    listing = text_of(client.get(f"/secretariat/meetings/{meeting.id}/items/{item.id}/hearings"))
    assert "on ne peut pas y ajouter d'audition" in listing
    response = post_form(
        client,
        _new_url(meeting, item),
        _form(),
        form_url=f"/secretariat/meetings/{meeting.id}/items/{item.id}/edit",
    )
    assert response.status_code == 422
    assert (
        "Les auditions ne peuvent être ajoutées qu'à un point de nature « Audition »."
        in text_of(response)
    )
    assert _count(db) == 0


def test_add_hearing_service_for_the_calls_module(db, meeting, hearing_item):
    hearing = hearings.add_hearing(
        hearing_item,
        organisation="Société française de pharmacologie",
        organisation_kind="learned_society",
        slot_start=paris_to_utc(SESSION_DAY, time(15, 0)),
        slot_end=paris_to_utc(SESSION_DAY, time(15, 20)),
        mode="on_site",
    )
    db.session.commit()
    assert hearing.status == "invited"
    assert [h.organisation for h in _hearings(db)] == ["Société française de pharmacologie"]

    information = agenda.add_item(meeting, title="Information", kind="information")
    with pytest.raises(MeetingError, match="nature « Audition »"):
        hearings.add_hearing(
            information, organisation="Association X", organisation_kind="patient_association"
        )
    with pytest.raises(MeetingError, match="pendant la séance"):
        hearings.add_hearing(
            hearing_item,
            organisation="Association X",
            organisation_kind="patient_association",
            slot_start=paris_to_utc(SESSION_DAY, time(9, 0)),
            slot_end=paris_to_utc(SESSION_DAY, time(9, 30)),
        )
    db.session.rollback()
    assert _count(db) == 1


def test_edit_a_hearing_after_the_session(client, db, secretary, meeting, hearing_item):
    hearing = hearings.add_hearing(
        hearing_item,
        organisation="Coopérative Chanvre Bio",
        organisation_kind="economic_operator",
        slot_start=paris_to_utc(SESSION_DAY, time(14, 30)),
        slot_end=paris_to_utc(SESSION_DAY, time(15, 0)),
    )
    db.session.commit()
    url = f"/secretariat/meetings/{meeting.id}/items/{hearing_item.id}/hearings/{hearing.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'value="14:30"' in form  # shown back in Paris time
    assert 'value="15:00"' in form
    assert 'value="2022-05-04"' in form

    response = post_form(
        client,
        url,
        _form(status="heard", summary="La coopérative a présenté **sa filière**."),
        follow_redirects=True,
    )
    text = text_of(response)
    assert "L'audition de Coopérative Chanvre Bio a été enregistrée." in text
    assert "Entendue" in text
    assert "<strong>sa filière</strong>" in response.get_data(as_text=True)
    (saved,) = _hearings(db)
    assert saved.status == "heard"


def test_an_item_with_hearings_keeps_its_kind(client, db, secretary, meeting, hearing_item):
    hearings.add_hearing(
        hearing_item, organisation="Association X", organisation_kind="patient_association"
    )
    db.session.commit()
    response = post_form(
        client,
        f"/secretariat/meetings/{meeting.id}/items/{hearing_item.id}/edit",
        {"title": hearing_item.title, "kind": "discussion"},
    )
    assert response.status_code == 422
    assert "Ce point comporte des auditions" in text_of(response)
    db.session.expire_all()
    assert db.session.get(AgendaItem, hearing_item.id).kind == "hearing"


def test_remove_a_hearing(client, db, secretary, meeting, hearing_item):
    hearing = hearings.add_hearing(
        hearing_item, organisation="Association X", organisation_kind="patient_association"
    )
    db.session.commit()
    listing = f"/secretariat/meetings/{meeting.id}/items/{hearing_item.id}/hearings"
    response = post_form(
        client, f"{listing}/{hearing.id}/delete", {}, form_url=listing, follow_redirects=True
    )
    assert "L'audition d'Association X a été retirée." in text_of(response)
    assert _count(db) == 0


def test_hearings_of_a_cancelled_session_are_read_only(db, meeting, hearing_item):
    cancel_meeting(meeting, "Report")
    with pytest.raises(MeetingError, match="annulée ou reportée"):
        hearings.add_hearing(
            hearing_item, organisation="Association X", organisation_kind="patient_association"
        )


def test_hearing_screens_are_for_the_secretariat(client, db, make_user, meeting, hearing_item):
    url = f"/secretariat/meetings/{meeting.id}/items/{hearing_item.id}/hearings"
    assert client.get(url).status_code == 302
    member = make_user(Role.MEMBER, email="membre@example.org")
    login(client, member.email, DEFAULT_PASSWORD)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}/new").status_code == 403
