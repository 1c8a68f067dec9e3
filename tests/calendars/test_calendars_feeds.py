"""What the calendar feeds hold, read by icalendar and by the independent ``ical`` parser."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from committees.bodies.services import end_mandate
from committees.common.timeutils import paris_today
from committees.meetings.models import MeetingStatus
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import cancel_meeting, update_meeting
from tests.support.calendars import (
    EMAIL,
    MEMBER_EMAIL,
    OTHER_EMAIL,
    OTHER_SECRET_LINK,
    SECRET_LINK,
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


@pytest.fixture
def cst(db):
    return make_committee(db, name_en="Monitoring of medical cannabis")


def test_personal_feed_carries_what_calendar_clients_read(client, db, make_user, cst):
    member = member_with_mandate(db, make_user, cst)
    meeting = session_with_items(db, cst, SOON)
    feed = parse(client.get(feed_url(db, member)))
    raw = unfolded(feed.raw)

    for line in (
        "VERSION:2.0",
        "PRODID:-//ANSM//Comites scientifiques//FR",
        "CALSCALE:GREGORIAN",
        "NAME:Mes séances — ANSM",
        "X-WR-CALNAME:Mes séances — ANSM",
        "X-WR-TIMEZONE:Europe/Paris",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Paris",
        'ORGANIZER;CN="Secrétariat des comités":mailto:comites@ansm.example',
    ):
        assert line in raw, line
    assert "METHOD:" not in raw  # not an iTIP message
    event = feed.event(meeting.uid)
    assert str(event["SUMMARY"]) == f"CST — {meeting.title}"
    assert str(event["STATUS"]) == "TENTATIVE"
    assert event["SEQUENCE"] == 0
    assert event.get("DTSTAMP")
    assert event.get("CREATED")
    assert event.get("LAST-MODIFIED")
    assert str(event["URL"]) == f"http://localhost/my/meetings/{meeting.id}"
    assert event.categories == ["CST", "Hybride (sur place et à distance)"]
    assert str(event["LOCATION"]) == f"Saint-Denis — {SECRET_LINK}"
    description = str(event["DESCRIPTION"])
    assert "1. Bilan de l'expérimentation (Discussion) — Rapporteur : Dr Martin" in description
    assert "2. Dossier confidentiel Phytopharma" in description
    assert f"Documents de travail : http://localhost/my/meetings/{meeting.id}" in description

    other = feed.ical_event(meeting.uid)
    assert other.summary == f"CST — {meeting.title}"
    assert other.sequence == 0
    assert other.status.value == "TENTATIVE"
    assert other.organizer.uri == "mailto:comites@ansm.example"
    assert feed.ical.name == ["Mes séances — ANSM"]
    assert feed.ical.x_wr_timezone == "Europe/Paris"
    assert feed.ical.refresh_interval == timedelta(hours=1)


def test_local_times_stay_at_14_00_in_paris_across_the_spring_change(client, db, make_user, cst):
    member = member_with_mandate(db, make_user, cst)
    year = paris_today().year + 1
    winter = schedule(db, cst, date(year, 3, 20), start=(14, 0), end=(16, 0))
    summer = schedule(db, cst, date(year, 3, 31), start=(14, 0), end=(16, 0))

    for url in (feed_url(db, member), "/committees/suivi-du-cannabis-medical/calendar.ics"):
        feed = parse(client.get(url))
        raw = unfolded(feed.raw)
        assert f"DTSTART;TZID=Europe/Paris:{year}0320T140000" in raw
        assert f"DTSTART;TZID=Europe/Paris:{year}0331T140000" in raw
        for uid, utc_hour in ((winter.uid, 13), (summer.uid, 12)):
            expected = datetime(year, 3, 20 if uid == winter.uid else 31, utc_hour, tzinfo=UTC)
            assert feed.event(uid).start.astimezone(UTC) == expected
            parsed = feed.ical_event(uid).dtstart
            assert str(parsed.tzinfo) == "Europe/Paris"
            assert parsed.astimezone(UTC) == expected


def test_uid_stays_and_sequence_rises_across_an_edit(client, db, make_user, cst):
    member = member_with_mandate(db, make_user, cst)
    meeting = schedule(db, cst, SOON)
    url = feed_url(db, member)
    before = parse(client.get(url))
    assert before.event(meeting.uid)["SEQUENCE"] == 0

    update_meeting(meeting, starts_at=paris_to_utc(SOON, time(15, 0)))
    db.session.commit()

    after = parse(client.get(url))
    assert after.event(meeting.uid)["SEQUENCE"] == 1
    assert after.ical_event(meeting.uid).sequence == 1
    assert after.ical_event(meeting.uid).dtstart.hour == 15
    assert len(after.events()) == 1


def test_cancelled_session_stays_in_every_feed_as_cancelled(client, db, make_user, cst):
    member = member_with_mandate(db, make_user, cst)
    meeting = schedule(db, cst, SOON, status=MeetingStatus.CONVENED.value)
    convened = parse(client.get(feed_url(db, member))).event(meeting.uid)
    assert str(convened["STATUS"]) == "CONFIRMED"

    cancel_meeting(meeting, "Quorum impossible à réunir")
    db.session.commit()

    for url in (
        feed_url(db, member),
        "/committees/suivi-du-cannabis-medical/calendar.ics",
        f"/meetings/{meeting.id}.ics",
    ):
        feed = parse(client.get(url))
        event = feed.event(meeting.uid)
        assert str(event["STATUS"]) == "CANCELLED"
        assert feed.ical_event(meeting.uid).status.value == "CANCELLED"
        assert str(event["SUMMARY"]).startswith("[Annulée] CST")
        assert "Motif : Quorum impossible à réunir" in str(event["DESCRIPTION"])
        assert event["SEQUENCE"] == 1


def test_a_member_never_sees_another_committees_members_details(client, db, make_user):
    cst, csp = two_committees(db)
    alice = member_with_mandate(db, make_user, cst)
    member_with_mandate(db, make_user, csp, email=OTHER_EMAIL)
    mine = session_with_items(db, cst, SOON)
    theirs = session_with_items(db, csp, SOON, link=OTHER_SECRET_LINK)

    feed = parse(client.get(feed_url(db, alice)))
    raw = unfolded(feed.raw)
    assert [str(e["UID"]) for e in feed.events()] == [mine.uid]
    assert SECRET_LINK in raw
    assert OTHER_SECRET_LINK not in raw
    assert f"/my/meetings/{theirs.id}" not in raw
    assert f"/meetings/{theirs.id}" not in raw


def test_past_mandates_show_only_the_sessions_inside_them(client, db, make_user, cst):
    member = member_with_mandate(db, make_user, cst, start=date(2021, 6, 1))
    inside = schedule(db, cst, paris_today() - timedelta(days=60))
    after = schedule(db, cst, paris_today() - timedelta(days=10))
    end_mandate(member_mandate := cst.mandates[0], paris_today() - timedelta(days=30), "Démission")
    db.session.commit()
    assert member_mandate.end_date is not None

    uids = {str(e["UID"]) for e in parse(client.get(feed_url(db, member))).events()}
    assert uids == {inside.uid}
    assert after.uid not in uids


def test_feeds_cover_the_last_twelve_months_and_the_future(client, db, make_user, cst, app):
    member = member_with_mandate(db, make_user, cst)
    old = schedule(db, cst, paris_today() - timedelta(days=400))
    recent = schedule(db, cst, paris_today() - timedelta(days=300))
    far = schedule(db, cst, paris_today() + timedelta(days=900))
    url = feed_url(db, member)
    uids = {str(e["UID"]) for e in parse(client.get(url)).events()}
    assert uids == {recent.uid, far.uid}

    previous = app.config["CALENDAR_PAST_DAYS"]
    app.config["CALENDAR_PAST_DAYS"] = 500
    try:
        uids = {str(e["UID"]) for e in parse(client.get(url)).events()}
    finally:
        app.config["CALENDAR_PAST_DAYS"] = previous
    assert uids == {old.uid, recent.uid, far.uid}


def test_public_feeds_never_carry_the_remote_link_nor_closed_items(client, db, cst):
    meeting = session_with_items(db, cst, SOON)
    closed = schedule(db, cst, SOON + timedelta(days=1), is_public=False, remote_link=SECRET_LINK)
    unpublished_agenda = schedule(db, cst, SOON + timedelta(days=2), format="videoconference")

    committee_feed = parse(client.get("/committees/suivi-du-cannabis-medical/calendar.ics"))
    single = parse(client.get(f"/meetings/{meeting.id}.ics"))
    for feed in (committee_feed, single):
        raw = unfolded(feed.raw)
        assert "visio.example.org" not in raw
        assert "Dossier confidentiel" not in raw
        assert "/my/meetings/" not in raw
        assert "Bilan de l'expérimentation" in raw
        event = feed.event(meeting.uid)
        assert str(event["URL"]) == f"http://localhost/meetings/{meeting.id}"
        assert str(event["LOCATION"]) == "Saint-Denis"
    assert closed.uid not in committee_feed.raw
    remote = committee_feed.event(unpublished_agenda.uid)
    assert str(remote["LOCATION"]) == "Visioconférence"
    assert "L'ordre du jour n'est pas encore publié." in str(remote["DESCRIPTION"])
    assert client.get(f"/meetings/{closed.id}.ics").status_code == 404


def test_no_member_address_appears_in_any_feed(client, db, make_user, cst):
    member = member_with_mandate(db, make_user, cst)
    meeting = session_with_items(db, cst, SOON)
    bodies = [
        client.get(feed_url(db, member)),
        client.get("/committees/suivi-du-cannabis-medical/calendar.ics"),
        client.get(f"/meetings/{meeting.id}.ics"),
    ]
    for response in bodies:
        raw = unfolded(parse(response).raw)
        assert MEMBER_EMAIL not in raw
        assert set(EMAIL.findall(raw)) == {"comites@ansm.example"}


def test_lang_en_gives_english_text(client, db, make_user, cst):
    member = member_with_mandate(db, make_user, cst)
    meeting = session_with_items(db, cst, SOON)
    feed = parse(client.get(feed_url(db, member, lang="en")))
    event = feed.event(meeting.uid)
    description = str(event["DESCRIPTION"])
    assert "Committee: Monitoring of medical cannabis" in description
    assert "Hybrid (in person and remote)" in description
    assert "Scheduled" in description
    assert "Comité :" not in description
    assert event.categories == ["CST", "Hybrid (in person and remote)"]

    french = parse(client.get(feed_url(db, member))).event(meeting.uid)
    assert "Comité : Suivi du cannabis médical" in str(french["DESCRIPTION"])

    public = parse(client.get("/committees/suivi-du-cannabis-medical/calendar.ics?lang=en"))
    assert "Committee: Monitoring of medical cannabis" in str(
        public.event(meeting.uid)["DESCRIPTION"]
    )
