"""The secretariat schedules sessions: one, a series across DST, warnings, edits, cancel,
postpone, held; who may do it; the list's query count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from committees.auth.models import Role
from committees.bodies.models import MandateRole
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate
from committees.common.timeutils import utcnow
from committees.meetings.models import Meeting, MeetingStatus
from tests.support.helpers import DEFAULT_PASSWORD, csrf_token_from, login, post_form, text_of
from tests.support.meetings import appoint, make_committee, schedule


def meeting_count(db) -> int:
    return db.session.execute(select(func.count()).select_from(Meeting)).scalar_one()


def single_form(committee_id, /, **overrides) -> dict:
    return {
        "committee_id": str(committee_id),
        "title": "Séance plénière",
        "day": "2030-05-02",
        "start_time": "14:00",
        "end_time": "17:00",
        "format": "hybrid",
        "place": "Salle 1, 143 bd Anatole France, Saint-Denis",
        "remote_link": "https://visio.example.org/cst",
        "visibility": "public",
        "recording_link": "",
        **overrides,
    }


def series_form(committee_id, /, **overrides) -> dict:
    return {
        "committee_id": str(committee_id),
        "title_template": "Séance mensuelle du {date}",
        "nth": "1",
        "weekday": "3",  # Thursday
        "start_time": "14:00",
        "end_time": "17:00",
        "first_day": "2021-06-01",
        "last_day": "2022-12-31",
        "except_months": ["8"],
        "format": "on_site",
        "place": "Saint-Denis",
        "remote_link": "",
        "visibility": "public",
        **overrides,
    }


# --- a series across daylight-saving changes (MUST-SHOW) ------------------------------


def test_monthly_series_keeps_14_00_paris_time_in_summer_and_winter(
    client, db, secretary, committee
):
    preview = post_form(
        client, "/secretariat/meetings/series", series_form(committee.id, preview="1")
    )
    assert preview.status_code == 200
    text = text_of(preview)
    assert "17 séances prévues" in text
    assert "Séance mensuelle du 03/06/2021" in text  # first Thursday of June 2021
    assert "Séance mensuelle du 02/12/2021" in text
    assert "/08/2021" not in text
    assert "/08/2022" not in text
    assert "Créer les 17 séances" in text
    assert meeting_count(db) == 0  # a preview saves nothing

    created = post_form(
        client,
        "/secretariat/meetings/series",
        series_form(committee.id, create="1"),
        form_url="/secretariat/meetings/series",
    )
    assert created.status_code == 302
    assert meeting_count(db) == 17

    meetings = {m.starts_at.date(): m for m in db.session.execute(select(Meeting)).scalars()}
    summer, winter = meetings[date(2021, 6, 3)], meetings[date(2021, 12, 2)]
    # Paris is UTC+2 in summer and UTC+1 in winter: the same 14:00 is stored differently.
    assert (summer.starts_at.hour, summer.ends_at.hour) == (12, 15)
    assert (winter.starts_at.hour, winter.ends_at.hour) == (13, 16)
    assert summer.starts_at.tzinfo is not None
    assert [m.number for m in sorted(meetings.values(), key=lambda m: m.starts_at)] == list(
        range(1, 18)
    )

    for meeting in (summer, winter):
        page = text_of(client.get(f"/secretariat/meetings/{meeting.id}"))
        assert "14:00 – 17:00" in page
        public = text_of(client.get(f"/meetings/{meeting.id}"))
        assert "14:00 – 17:00" in public
    assert "jeudi 3 juin 2021" in text_of(client.get(f"/meetings/{summer.id}"))
    assert "jeudi 2 décembre 2021" in text_of(client.get(f"/meetings/{winter.id}"))


def test_series_refuses_an_end_before_the_start_and_saves_nothing(client, db, secretary, committee):
    response = post_form(
        client,
        "/secretariat/meetings/series",
        series_form(committee.id, start_time="17:00", end_time="14:00", create="1"),
    )
    assert response.status_code == 422
    text = text_of(response)
    assert "L'heure de fin doit suivre l'heure de début." in text
    assert 'value="Séance mensuelle du {date}"' in response.get_data(as_text=True)
    assert meeting_count(db) == 0


def test_series_refuses_a_last_day_before_the_first(client, db, secretary, committee):
    response = post_form(
        client,
        "/secretariat/meetings/series",
        series_form(committee.id, first_day="2022-12-31", last_day="2021-06-01", create="1"),
    )
    assert response.status_code == 422
    assert "Le dernier jour précède le premier." in text_of(response)
    assert meeting_count(db) == 0


def test_series_without_any_date_says_so(client, db, secretary, committee):
    response = post_form(
        client,
        "/secretariat/meetings/series",
        series_form(committee.id, first_day="2021-06-04", last_day="2021-06-30", create="1"),
    )
    assert response.status_code == 422
    assert "Cette règle ne produit aucune séance sur la période." in text_of(response)
    assert meeting_count(db) == 0


def test_series_creation_is_all_or_nothing_and_warns_of_clashes(client, db, secretary, committee):
    schedule(
        db, committee, date(2021, 7, 1), start=(9, 0), end=(10, 0), title="Séance extraordinaire"
    )
    preview = post_form(
        client,
        "/secretariat/meetings/series",
        series_form(committee.id, last_day="2021-09-30", preview="1"),
    )
    assert "Le comité a déjà une séance le 01/07/2021." in text_of(preview)
    created = post_form(
        client,
        "/secretariat/meetings/series",
        series_form(committee.id, last_day="2021-09-30", create="1"),
    )
    assert created.status_code == 302  # warnings never block
    assert meeting_count(db) == 1 + 3  # June, July, September


# --- one session ----------------------------------------------------------------------


def test_secretariat_schedules_one_session_in_paris_time(client, db, secretary, committee):
    response = post_form(client, "/secretariat/meetings/new", single_form(committee.id))
    assert response.status_code == 302
    meeting = db.session.execute(select(Meeting)).scalar_one()
    assert meeting.number == 1
    assert meeting.starts_at == datetime(2030, 5, 2, 12, 0, tzinfo=UTC)
    assert meeting.format == "hybrid"
    assert meeting.is_public
    assert meeting.status == MeetingStatus.PLANNED
    page = text_of(client.get(response.headers["Location"]))
    assert "La séance n°1 « Séance plénière » a été programmée." in page
    assert "jeudi 2 mai 2030, 14:00 – 17:00" in page
    assert "https://visio.example.org/cst" in page
    assert "Programmée" in page
    for link in ("agenda", "convocations", "attendance", "conflicts", "minutes"):
        assert f'href="/secretariat/meetings/{meeting.id}/{link}"' in client.get(
            f"/secretariat/meetings/{meeting.id}"
        ).get_data(as_text=True)


def test_end_before_start_is_refused_with_the_form_kept(client, db, secretary, committee):
    response = post_form(
        client,
        "/secretariat/meetings/new",
        single_form(committee.id, start_time="17:00", end_time="14:00"),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "L'heure de fin doit suivre l'heure de début." in text_of(response)
    assert 'aria-describedby="end_time-errors"' in html
    assert 'value="Séance plénière"' in html
    assert meeting_count(db) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Indiquez le titre de la séance."),
        ({"day": ""}, "Indiquez la date de la séance."),
        ({"committee_id": "999"}, "Choisissez un comité de la liste."),
        ({"remote_link": "visio"}, "Indiquez une adresse complète"),
    ],
)
def test_bad_input_is_refused(client, db, secretary, committee, overrides, message):
    response = post_form(
        client, "/secretariat/meetings/new", single_form(committee.id, **overrides)
    )
    assert response.status_code == 422
    assert message in text_of(response)
    assert meeting_count(db) == 0


def test_two_sessions_of_a_committee_on_one_day_warn_before_saving(
    client, db, secretary, committee
):
    schedule(db, committee, date(2030, 5, 2), start=(9, 0), end=(12, 0))
    warned = post_form(client, "/secretariat/meetings/new", single_form(committee.id))
    assert warned.status_code == 200
    assert "Le comité a déjà une séance le 02/05/2030." in text_of(warned)
    assert "Enregistrer malgré les avertissements" in text_of(warned)
    assert meeting_count(db) == 1

    confirmed = post_form(
        client, "/secretariat/meetings/new", single_form(committee.id, confirm="y")
    )
    assert confirmed.status_code == 302
    assert meeting_count(db) == 2


def test_member_expected_in_two_overlapping_sessions_warns(client, db, secretary, committee):
    other = make_committee(db, name="Culture du cannabis", acronym="CULT")
    appoint(db, committee, "Claire", "Martin")
    appoint(db, other, "Claire", "Martin-Bis")  # another person: no clash for her
    shared = create_person(first_name="Paul", last_name="Durand")
    for body in (committee, other):
        add_mandate(
            body, MandateLine(person=shared, role=MandateRole.MEMBER, start_date=date(2021, 6, 1))
        )
    db.session.commit()
    schedule(
        db, other, date(2030, 5, 2), start=(15, 0), end=(18, 0), title="Auditions des opérateurs"
    )

    warned = post_form(client, "/secretariat/meetings/new", single_form(committee.id))
    text = text_of(warned)
    assert warned.status_code == 200
    assert (
        "Paul Durand est aussi attendu·e à la séance « Auditions des opérateurs » "
        "du 02/05/2030 15:00." in text
    )
    assert "Claire" not in text
    assert meeting_count(db) == 1


# --- edit, cancel, postpone, held -----------------------------------------------------


def test_significant_edit_raises_the_sequence_and_a_title_edit_does_not(
    client, db, secretary, committee
):
    meeting = schedule(db, committee, date(2030, 5, 2), place="Salle 1")
    url = f"/secretariat/meetings/{meeting.id}/edit"
    form = single_form(committee.id, place="Salle 1", remote_link="", format="on_site")
    form.pop("committee_id")

    renamed = post_form(client, url, {**form, "title": "Séance plénière renommée"})
    assert renamed.status_code == 302
    db.session.refresh(meeting)
    assert meeting.title == "Séance plénière renommée"
    assert meeting.sequence == 0
    assert "La séance a été enregistrée." in text_of(client.get(renamed.headers["Location"]))

    moved = post_form(client, url, {**form, "start_time": "15:00", "end_time": "18:00"})
    assert moved.status_code == 302
    db.session.refresh(meeting)
    assert meeting.sequence == 1
    assert meeting.starts_at == datetime(2030, 5, 2, 13, 0, tzinfo=UTC)
    page = text_of(client.get(moved.headers["Location"]))
    assert "les abonnés aux agendas seront avertis (séquence 1)" in page


def test_edit_form_shows_paris_times_and_refuses_end_before_start(client, db, secretary, committee):
    meeting = schedule(db, committee, date(2030, 1, 10))
    url = f"/secretariat/meetings/{meeting.id}/edit"
    html = client.get(url).get_data(as_text=True)
    assert 'value="14:00"' in html
    assert 'value="2030-01-10"' in html
    form = single_form(committee.id, day="2030-01-10", start_time="18:00", end_time="09:00")
    response = post_form(client, url, form)
    assert response.status_code == 422
    assert "L'heure de fin doit suivre l'heure de début." in text_of(response)
    db.session.refresh(meeting)
    assert meeting.starts_at == datetime(2030, 1, 10, 13, 0, tzinfo=UTC)
    assert meeting.sequence == 0


def test_the_kept_edit_form_shows_the_session_as_stored_now(
    app, client, db, secretary, committee, make_user
):
    # The form of a stored session is kept for every secretary under the publication
    # revision: a change is in the next one, and each secretary's token is their own.
    meeting = schedule(db, committee, date(2030, 1, 10))
    url = f"/secretariat/meetings/{meeting.id}/edit"
    other = app.test_client()
    login(other, make_user(Role.SECRETARIAT).email, DEFAULT_PASSWORD)
    first = client.get(url).get_data(as_text=True)
    assert csrf_token_from(first) != csrf_token_from(other.get(url).get_data(as_text=True))

    meeting.title = "Séance déplacée"
    db.session.commit()

    assert 'value="Séance déplacée"' in other.get(url).get_data(as_text=True)
    form = single_form(committee.id, day="2030-01-10", start_time="10:00", end_time="12:00")
    assert post_form(other, url, form).status_code == 302


def test_cancel_needs_a_reason_and_raises_the_sequence(client, db, secretary, committee):
    meeting = schedule(db, committee, date(2030, 5, 2))
    url = f"/secretariat/meetings/{meeting.id}/cancel"
    empty = post_form(client, url, {"reason": ""})
    assert empty.status_code == 422
    assert "Indiquez le motif de l'annulation." in text_of(empty)
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PLANNED

    done = post_form(client, url, {"reason": "Quorum impossible à réunir"})
    assert done.status_code == 302
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    page = text_of(client.get(f"/secretariat/meetings/{meeting.id}"))
    assert "Annulée" in page
    assert "Motif : Quorum impossible à réunir" in page

    again = post_form(client, url, {"reason": "Encore"})
    assert again.status_code == 422
    assert "Cette séance est déjà annulée ou reportée." in text_of(again)

    # Nor can it be edited any more, by its page or by a form posted all the same.
    edit_url = f"/secretariat/meetings/{meeting.id}/edit"
    token = csrf_token_from(client.get(f"/secretariat/meetings/{meeting.id}").get_data(True))
    posted = client.post(edit_url, data={"title": "Autre", "csrf_token": token})
    for response in (client.get(edit_url), posted):
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/secretariat/meetings/{meeting.id}")
    refused = client.get(f"/secretariat/meetings/{meeting.id}")
    assert "Une séance annulée ou reportée ne se modifie plus" in text_of(refused)
    db.session.refresh(meeting)
    assert (meeting.status, meeting.sequence) == (MeetingStatus.CANCELLED, 1)


def test_postpone_creates_the_new_session_and_links_it(client, db, secretary, committee):
    meeting = schedule(db, committee, date(2030, 5, 2))
    response = post_form(
        client,
        f"/secretariat/meetings/{meeting.id}/postpone",
        {"day": "2030-05-16", "start_time": "10:00", "end_time": "12:30", "reason": "Grève"},
    )
    assert response.status_code == 302
    db.session.refresh(meeting)
    replacement = meeting.postponed_to
    assert meeting.status == MeetingStatus.POSTPONED
    assert meeting.sequence == 1
    assert replacement.starts_at == datetime(2030, 5, 16, 8, 0, tzinfo=UTC)
    assert replacement.number == 2
    assert replacement.title == meeting.title

    old_page = client.get(f"/secretariat/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/secretariat/meetings/{replacement.id}"' in old_page
    assert "jeudi 16 mai 2030, 10:00 – 12:30" in text_of(
        client.get(f"/secretariat/meetings/{meeting.id}")
    )
    new_page = text_of(client.get(f"/secretariat/meetings/{replacement.id}"))
    assert "Remplace" in new_page


def test_postpone_refuses_an_end_before_the_start(client, db, secretary, committee):
    meeting = schedule(db, committee, date(2030, 5, 2))
    response = post_form(
        client,
        f"/secretariat/meetings/{meeting.id}/postpone",
        {"day": "2030-05-16", "start_time": "12:00", "end_time": "10:00", "reason": "Grève"},
    )
    assert response.status_code == 422
    assert "L'heure de fin doit suivre l'heure de début." in text_of(response)
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PLANNED
    assert meeting_count(db) == 1


def test_mark_held_only_after_the_start(client, db, secretary, committee):
    future = schedule(db, committee, date(2030, 5, 2))
    page = client.get(f"/secretariat/meetings/{future.id}")
    assert "Marquer comme tenue" not in text_of(page)
    refused = post_form(
        client,
        f"/secretariat/meetings/{future.id}/held",
        {},
        form_url=f"/secretariat/meetings/{future.id}",
        follow_redirects=True,
    )
    assert "La séance n'a pas encore eu lieu." in text_of(refused)
    db.session.refresh(future)
    assert future.status == MeetingStatus.PLANNED

    past_day = (utcnow() - timedelta(days=3)).date()
    past = schedule(db, committee, past_day)
    url = f"/secretariat/meetings/{past.id}"
    assert "Marquer comme tenue" in text_of(client.get(url))
    held = post_form(client, f"{url}/held", {}, form_url=url, follow_redirects=True)
    assert "La séance est marquée comme tenue." in text_of(held)
    db.session.refresh(past)
    assert past.status == MeetingStatus.HELD
    assert past.sequence == 0


# --- who may do it --------------------------------------------------------------------

SECRETARIAT_PAGES = [
    "/secretariat/meetings",
    "/secretariat/meetings/new",
    "/secretariat/meetings/series",
    "/secretariat/meetings/{id}",
    "/secretariat/meetings/{id}/edit",
    "/secretariat/meetings/{id}/cancel",
    "/secretariat/meetings/{id}/postpone",
]


def test_anonymous_visitors_are_sent_to_sign_in(client, db, committee):
    meeting = schedule(db, committee, date(2030, 5, 2))
    for url in SECRETARIAT_PAGES:
        response = client.get(url.format(id=meeting.id))
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]


def test_members_may_not_schedule(client, db, make_user, committee):
    meeting = schedule(db, committee, date(2030, 5, 2))
    member = make_user(Role.MEMBER)
    login(client, member.email, DEFAULT_PASSWORD)
    for url in SECRETARIAT_PAGES:
        assert client.get(url.format(id=meeting.id)).status_code == 403, url
    assert client.post(f"/secretariat/meetings/{meeting.id}/held").status_code in (400, 403)
    assert client.post("/secretariat/meetings/new", data=single_form(committee.id)).status_code in (
        400,
        403,
    )
    assert meeting_count(db) == 1


def test_unknown_session_is_404(client, secretary):
    assert client.get("/secretariat/meetings/9999").status_code == 404
    assert client.get("/secretariat/meetings/9999/edit").status_code == 404


# --- the list -------------------------------------------------------------------------


def test_list_filters_by_committee_status_and_period(client, db, secretary, committee):
    other = make_committee(db, name="Culture du cannabis", acronym="CULT")
    schedule(db, committee, date(2030, 5, 2), title="Séance à venir du CST")
    schedule(db, committee, date(2022, 5, 4), title="Séance passée du CST")
    cancelled = schedule(db, other, date(2030, 6, 6), title="Séance de la culture")
    cancelled.status = MeetingStatus.CANCELLED.value
    db.session.commit()

    everything = text_of(client.get("/secretariat/meetings"))
    assert all(
        t in everything
        for t in ("Séance à venir du CST", "Séance passée du CST", "Séance de la culture")
    )
    by_committee = text_of(client.get(f"/secretariat/meetings?committee={committee.id}"))
    assert "Séance de la culture" not in by_committee
    assert "Séance passée du CST" in by_committee
    upcoming = text_of(client.get("/secretariat/meetings?when=upcoming"))
    assert "Séance passée du CST" not in upcoming
    assert "Séance à venir du CST" in upcoming
    past = text_of(client.get("/secretariat/meetings?when=past"))
    assert "Séance à venir du CST" not in past
    assert "Séance passée du CST" in past
    by_status = text_of(client.get("/secretariat/meetings?status=cancelled"))
    assert "Séance de la culture" in by_status
    assert "Séance à venir du CST" not in by_status
    # Garbage filters are ignored rather than failing the page.
    assert client.get("/secretariat/meetings?committee=x&status=zzz&when=?").status_code == 200


def test_list_costs_the_same_queries_whatever_the_number_of_sessions(
    client, db, secretary, committee, count_queries
):
    other = make_committee(db, name="Culture du cannabis", acronym="CULT")
    schedule(db, committee, date(2030, 1, 3))
    client.get("/secretariat/meetings")  # warm-up: the session user, the first render
    with count_queries() as few:
        assert client.get("/secretariat/meetings").status_code == 200
    for month in range(1, 13):
        schedule(db, committee, date(2031, month, 2))
        schedule(db, other, date(2031, month, 3))
    with count_queries() as many:
        assert client.get("/secretariat/meetings").status_code == 200
    assert len(many) == len(few)


def test_cancelling_a_convened_session_tells_those_convened(client, db, secretary, committee):
    from committees.mail.models import OutboxMessage
    from committees.meetings.conduct.convocations import convene

    person = create_person(first_name="Claire", last_name="Martin", email="claire@chu.example")
    add_mandate(
        committee, MandateLine(person=person, role=MandateRole.MEMBER, start_date=date(2021, 6, 1))
    )
    meeting = schedule(db, committee, date(2030, 5, 2))
    convene(meeting)
    db.session.commit()
    before = db.session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one()

    response = post_form(
        client, f"/secretariat/meetings/{meeting.id}/cancel", {"reason": "Salle indisponible"}
    )
    page = text_of(client.get(response.headers["Location"]))
    assert "1 avis d'annulation a été placé dans la boîte d'envoi." in page
    recipients = db.session.execute(select(OutboxMessage.recipient)).scalars().all()
    assert len(recipients) == before + 1
    assert recipients.count("claire@chu.example") == before + 1
