"""Line breaks stored in one-line fields before forms refused them (issue 19, row 5):
every calendar still answers, each property on one line, nothing injected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from committees.common.timeutils import paris_today
from tests.support.calendars import (
    feed_url,
    make_committee,
    member_with_mandate,
    parse,
    session_with_items,
    unfolded,
)
from tests.support.helpers import open_session

SOON = paris_today() + timedelta(days=30)
INJECTED = "\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nURL:https://evil.example/"


@pytest.fixture
def tainted(db, make_user):
    """A member, and a session whose title, place, committee acronym and item title hold
    line breaks written straight to the database."""
    committee = make_committee(db, acronym="CST")
    member = member_with_mandate(db, make_user, committee)
    meeting = session_with_items(db, committee, SOON)
    meeting.title = "Séance du jour" + INJECTED
    meeting.place = "Saint-Denis\nLOCATION:ailleurs"
    committee.acronym = "CST\r\nX-INJECTED:1"
    meeting.items[0].title = "Bilan\nBEGIN:VALARM"
    db.session.commit()
    return committee, member, meeting


def _assert_one_line_properties(raw: str) -> None:
    lines = unfolded(raw).split("\r\n")
    assert not any(
        line.startswith(("BEGIN:VALARM", "URL:https://evil", "X-INJECTED")) for line in lines
    )
    assert not any(line.startswith("LOCATION:ailleurs") for line in lines)
    assert "\n" not in raw.replace("\r\n", "")  # no bare line feed either
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert (
        "Séance du jour BEGIN:VALARM ACTION:DISPLAY END:VALARM URL:https://evil.example/" in summary
    )


def test_the_session_file_answers_with_one_line_properties(client, tainted):
    _committee, _member, meeting = tainted

    parsed = parse(client.get(f"/meetings/{meeting.id}.ics"))

    _assert_one_line_properties(parsed.raw)
    assert [e.name for e in parsed.icalendar.walk()] == [
        "VCALENDAR",
        "VTIMEZONE",
        "DAYLIGHT",
        "STANDARD",
        "VEVENT",
    ]
    assert "Saint-Denis LOCATION:ailleurs" in str(parsed.events()[0]["LOCATION"])


def test_the_members_session_file_answers(client, tainted):
    _committee, member, meeting = tainted
    open_session(client, member)

    parsed = parse(client.get(f"/my/meetings/{meeting.id}.ics"))

    _assert_one_line_properties(parsed.raw)
    assert not parsed.events()[0].walk("VALARM")


def test_the_committee_and_personal_feeds_answer(client, db, tainted):
    committee, member, _meeting = tainted

    for url in (f"/committees/{committee.slug}/calendar.ics", feed_url(db, member)):
        parsed = parse(client.get(url))
        _assert_one_line_properties(parsed.raw)
        assert len(parsed.events()) == 1
        assert all(not event.walk("VALARM") for event in parsed.events())
