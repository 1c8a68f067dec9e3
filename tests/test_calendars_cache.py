"""What makes the feeds fast without making them wrong: stamps, kept events, remembered
validators. Each test checks what a calendar client would receive."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from committees.calendars import cache
from committees.calendars.content import TIMEZONE, session_event, texts
from committees.calendars.ics import build_calendar, to_bytes
from committees.calendars.models import CalendarStamp, CalendarSubscription
from committees.calendars.tokens import regenerate
from committees.common.timeutils import paris_today
from committees.meetings.models import Meeting
from tests.calendars_support import (
    feed_url,
    make_committee,
    member_with_mandate,
    parse,
    schedule,
    session_with_items,
    two_committees,
    unfolded,
    validators_read_every_time,  # noqa: F401 - autouse fixture
)

SOON = paris_today() + timedelta(days=30)


def _stamps(db) -> dict[int, int]:
    rows = db.session.execute(select(CalendarStamp.committee_id, CalendarStamp.counter)).all()
    return dict(rows)


def test_assembled_feed_is_what_icalendar_writes_for_the_whole_calendar(client, db, make_user, app):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst)
    first = session_with_items(db, cst, SOON)
    second = session_with_items(db, cst, SOON + timedelta(days=400), is_public=False)
    body = client.get(feed_url(db, member)).get_data()

    # The same feed as one icalendar Calendar: header, VTIMEZONE, events, footer.
    with app.test_request_context():
        t = texts("fr")
        events = [session_event(m, t, members=True) for m in (first, second)]
        whole = build_calendar(
            events,
            name="Mes séances — ANSM",
            refresh_interval=timedelta(hours=1),
            calscale="GREGORIAN",
            timezone_name=TIMEZONE,
        )
    assert body == to_bytes(whole)


def test_each_change_of_a_watched_row_raises_its_committees_stamp_only(db):
    cst, csp = two_committees(db)
    before = _stamps(db)
    assert set(before) == {cst.id, csp.id}

    meeting = session_with_items(db, cst, SOON)
    after_session = _stamps(db)
    assert after_session[cst.id] > before[cst.id]
    assert after_session[csp.id] == before[csp.id]

    meeting.items[1].title = "Dossier renommé"
    db.session.commit()
    after_item = _stamps(db)
    assert after_item[cst.id] == after_session[cst.id] + 1
    assert after_item[csp.id] == before[csp.id]

    # A bulk statement names no object: every committee's stamp rises.
    db.session.execute(update(Meeting).values(place="Salle B"))
    db.session.commit()
    after_bulk = _stamps(db)
    assert all(after_bulk[c] == after_item[c] + 1 for c in (cst.id, csp.id))


def test_changes_elsewhere_keep_the_etag_and_changes_here_move_it(client, db, make_user):
    cst, csp = two_committees(db)
    member = member_with_mandate(db, make_user, cst)
    mine = session_with_items(db, cst, SOON)
    url = feed_url(db, member)
    etag = client.get(url).headers["ETag"]

    session_with_items(db, csp, SOON)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    mine.place = "Salle du conseil"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Salle du conseil" in unfolded(parse(changed).raw)


def test_one_changed_session_builds_one_event_again(client, db, make_user):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst)
    sessions = [schedule(db, cst, SOON + timedelta(days=n)) for n in range(3)]
    url = feed_url(db, member)
    client.get(url)
    assert len(cache.events) == 3

    sessions[1].title = "Séance déplacée en salle B"
    db.session.commit()
    feed = parse(client.get(url))
    assert len(cache.events) == 4  # one new VEVENT; the two others were reused
    assert "Séance déplacée en salle B" in str(feed.event(sessions[1].uid)["SUMMARY"])
    assert [str(e["UID"]) for e in feed.events()] == [m.uid for m in sessions]


def test_remembered_validators_answer_304_without_the_database(
    client, db, make_user, app, count_queries
):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst)
    schedule(db, cst, SOON)
    url = feed_url(db, member)
    app.config["CALENDAR_VALIDATOR_TTL"] = 60
    etag = client.get(url).headers["ETag"]

    with count_queries() as queries:
        revalidated = client.get(url, headers={"If-None-Match": etag})
        full = client.get(url)
    assert revalidated.status_code == 304
    assert full.status_code == 200
    assert full.headers["ETag"] == etag
    assert queries == []


def test_a_regenerated_token_answers_404_at_once_in_the_process_that_regenerated_it(
    client, db, make_user, app
):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst)
    schedule(db, cst, SOON)
    old_url = feed_url(db, member)
    app.config["CALENDAR_VALIDATOR_TTL"] = 60
    assert client.get(old_url).status_code == 200

    new_token = regenerate(member)
    db.session.commit()
    assert client.get(old_url).status_code == 404
    assert client.get(f"/calendar/{new_token}.ics").status_code == 200


@pytest.mark.parametrize(("ttl", "expected"), [(60, 200), (0, 404)])
def test_another_process_regenerating_is_seen_once_the_ttl_is_over(
    client, db, make_user, app, ttl, expected
):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst)
    url = feed_url(db, member)
    app.config["CALENDAR_VALIDATOR_TTL"] = 60
    assert client.get(url).status_code == 200

    # What another worker's regeneration leaves behind: a new hash, this memo untouched.
    db.session.execute(update(CalendarSubscription).values(token_hash="0" * 64))
    db.session.commit()
    # Within the TTL the old address still answers; with the TTL over (0 here rather
    # than a sleep), it is asked of the database again and answers 404.
    app.config["CALENDAR_VALIDATOR_TTL"] = ttl
    assert client.get(url).status_code == expected
