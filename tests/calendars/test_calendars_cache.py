"""What makes the feeds fast without making them wrong: stamps, kept events, remembered
validators. Each test checks what a calendar client would receive."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from committees.bodies.models import Mandate
from committees.calendars import cache, feeds, revision
from committees.calendars.content import TIMEZONE, session_event, texts
from committees.calendars.models import CalendarStamp, CalendarSubscription
from committees.calendars.tokens import regenerate
from committees.common.ics import build_calendar, to_bytes
from committees.common.timeutils import paris_today
from committees.meetings.models import Meeting
from tests.support.calendars import (
    feed_url,
    make_committee,
    member_with_mandate,
    parse,
    schedule,
    session_with_items,
    two_committees,
    unfolded,
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


def test_remembered_validators_answer_with_one_revision_read_and_no_other_query(
    client, db, make_user, count_queries
):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst)
    schedule(db, cst, SOON)
    url = feed_url(db, member)
    etag = client.get(url).headers["ETag"]

    reads = revision.reads()
    with count_queries() as queries:
        revalidated = client.get(url, headers={"If-None-Match": etag})
        full = client.get(url)
    assert revalidated.status_code == 304
    assert full.status_code == 200
    assert full.headers["ETag"] == etag
    assert queries == []
    assert revision.reads() == reads + 2


def test_a_regenerated_token_answers_404_at_once(client, db, make_user):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst)
    schedule(db, cst, SOON)
    old_url = feed_url(db, member)
    assert client.get(old_url).status_code == 200

    new_token = regenerate(member)
    db.session.commit()
    assert client.get(old_url).status_code == 404
    assert client.get(f"/calendar/{new_token}.ics").status_code == 200


def _regenerated_elsewhere(db, member, meeting):
    # What another worker's regeneration leaves behind: a new hash, this memo untouched.
    db.session.execute(update(CalendarSubscription).values(token_hash="0" * 64))


def _account_disabled(db, member, meeting):
    member.is_enabled = False


def _mandate_ended(db, member, meeting):
    mandate = db.session.execute(select(Mandate)).scalar_one()
    mandate.end_date = paris_today() - timedelta(days=1)


def _session_moved(db, member, meeting):
    meeting.starts_at += timedelta(hours=1)
    meeting.ends_at += timedelta(hours=1)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_regenerated_elsewhere, 404),
        (_account_disabled, 404),
        (_mandate_ended, 200),
        (_session_moved, 200),
    ],
)
def test_a_change_made_anywhere_is_seen_by_the_next_answer(client, db, make_user, change, expected):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst)
    meeting = schedule(db, cst, SOON)
    url = feed_url(db, member)
    before = client.get(url)
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304

    change(db, member, meeting)
    db.session.commit()
    # No clock: the very next request, revalidating, sees it.
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == expected
    if expected == 200:
        assert after.headers["ETag"] != before.headers["ETag"]


def test_a_session_leaving_the_window_is_seen_though_no_row_changed(
    client, db, make_user, monkeypatch
):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst, start=paris_today() - timedelta(days=60))
    ended = schedule(db, cst, paris_today() - timedelta(days=10))
    url = feed_url(db, member)
    before = client.get(url)
    assert [str(e["UID"]) for e in parse(before).events()] == [ended.uid]

    later = ended.ends_at + timedelta(days=366)
    monkeypatch.setattr(cache, "utcnow", lambda: later)
    monkeypatch.setattr(feeds, "utcnow", lambda: later)
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert parse(after).events() == []


def test_a_committee_feed_remembered_by_every_request_follows_each_change(
    client, db, count_queries
):
    cst = make_committee(db)
    meeting = schedule(db, cst, SOON)
    url = f"/committees/{cst.slug}/calendar.ics"
    etag = client.get(url).headers["ETag"]
    with count_queries() as queries:
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert queries == []  # the revision read only

    meeting.title = "Séance déplacée en salle B"
    db.session.commit()
    moved = client.get(url, headers={"If-None-Match": etag})
    assert moved.status_code == 200
    assert "Séance déplacée en salle B" in str(parse(moved).event(meeting.uid)["SUMMARY"])

    cst.published_at = None
    db.session.commit()
    assert client.get(url).status_code == 404
