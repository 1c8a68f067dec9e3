"""One rule for what a session's date allows (issue 20, secretariat): no attendance, vote or
minutes before the session has started, and no session outside its committee's period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from committees.meetings.conduct.services import record_presence, record_vote
from committees.meetings.models import Attendance, Minutes, Presence, Vote
from committees.meetings.rules import has_started, within_period
from committees.meetings.scheduling.services import MeetingError, create_meeting
from tests.support.convocations import build_session, sign_in_secretariat
from tests.support.helpers import csrf_token_from, post_form, text_of

NOT_YET = "La séance n'a pas encore eu lieu"


def test_the_rule_itself():
    start = datetime(2026, 12, 10, 13, tzinfo=UTC)
    assert not has_started(start, start - timedelta(seconds=1))
    assert has_started(start, start)
    first, last = date(2021, 1, 1), date(2021, 12, 31)
    assert within_period(first, first, last)
    assert within_period(last, first, None)
    assert not within_period(first - timedelta(days=1), first, last)
    assert not within_period(last + timedelta(days=1), first, last)


def test_a_session_five_weeks_ahead_takes_no_attendance_vote_or_minutes(db, client, make_user):
    s = build_session(db, members=2, starts_in=timedelta(days=35))
    sign_in_secretariat(client, make_user)
    base = f"/secretariat/meetings/{s.meeting.id}"

    page = client.get(f"{base}/attendance")
    assert page.status_code == 200
    assert NOT_YET in text_of(page)
    assert "Enregistrer les présences" not in text_of(page)
    token = csrf_token_from(client.get(f"{base}/edit").get_data(as_text=True))
    field = f"presence_{s.members[0].id}"
    refused = client.post(f"{base}/attendance", data={"csrf_token": token, field: "present"})
    assert refused.status_code in (400, 422)
    assert NOT_YET in text_of(refused)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0

    vote_page = text_of(client.get(f"{base}/items/{s.items[1].id}/vote"))
    assert NOT_YET in vote_page
    with pytest.raises(MeetingError, match=NOT_YET):
        record_vote(s.items[1], opinion="Avis", secret=True, counts=(1, 0, 0))
    with pytest.raises(MeetingError, match=NOT_YET):
        record_presence(s.meeting, {s.members[0].id: Presence.PRESENT})
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0

    minutes_page = text_of(client.get(f"{base}/minutes"))
    assert "Préparer le compte rendu" not in minutes_page
    assert NOT_YET in minutes_page
    client.post(f"{base}/minutes/start", data={"csrf_token": token})
    assert db.session.scalar(select(func.count()).select_from(Minutes)) == 0


def test_a_started_session_offers_them(db, client, make_user):
    s = build_session(db, members=2, started=True)
    sign_in_secretariat(client, make_user)
    base = f"/secretariat/meetings/{s.meeting.id}"
    assert NOT_YET not in text_of(client.get(f"{base}/attendance"))
    assert "Préparer le compte rendu" in text_of(client.get(f"{base}/minutes"))


def test_a_session_cannot_be_moved_outside_its_committee_period(db, client, make_user):
    s = build_session(db, members=2)  # committee from 01/01/2021 to 31/12/2035
    sign_in_secretariat(client, make_user)
    url = f"/secretariat/meetings/{s.meeting.id}/edit"
    before = s.meeting.starts_at
    response = post_form(
        client,
        url,
        {
            "title": s.meeting.title,
            "day": "2020-12-03",
            "start_time": "14:00",
            "end_time": "17:00",
            "format": s.meeting.format,
            "place": s.meeting.place,
            "remote_link": s.meeting.remote_link,
            "visibility": "public",
            "confirm": "y",
        },
    )
    assert response.status_code == 422
    assert (
        "La séance doit avoir lieu pendant la période du comité (du 01/01/2021 au 31/12/2035)."
        in text_of(response)
    )
    db.session.expire_all()
    assert s.meeting.starts_at == before

    with pytest.raises(MeetingError, match="période du comité"):
        create_meeting(
            s.committee,
            title="Trop tard",
            starts_at=datetime(2036, 1, 8, 13, tzinfo=UTC),
            ends_at=datetime(2036, 1, 8, 16, tzinfo=UTC),
        )
