"""Three calendar engines read every kind of file we send and agree to the second.

icalendar and ``ical`` (Python) look Europe/Paris up in their own time-zone data; ical.js,
Mozilla's engine inside Thunderbird, run under Node, knows no zone but the VTIMEZONE the
file carries. Every DTSTART and DTEND must be the same UTC instant in all three and equal to
what the database holds, for sessions in summer, in winter, on both clock-change days
(just before and after the change) and long after 2038.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar
from sqlalchemy import select

from committees.bodies.models import Person
from committees.common.timeutils import paris_today
from committees.mail.models import OutboxAttachment, OutboxMessage
from committees.meetings.conduct.convocations import cancel_and_notify, convene, update_and_notify
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import create_meeting
from tests.support.calendars import (
    feed_url,
    make_committee,
    member_with_mandate,
)
from tests.support.helpers import JS

NODE_ENGINE = JS / "read_ics.mjs"

# (day, start, end) in Paris. 2027-03-28 and 2027-10-31 are the clock-change Sundays.
SESSIONS = (
    (date(2027, 7, 7), (14, 0), (17, 0)),  # summer, UTC+2
    (date(2027, 12, 8), (14, 0), (17, 0)),  # winter, UTC+1
    (date(2027, 3, 28), (0, 30), (1, 45)),  # spring change day, before 02:00
    (date(2027, 3, 28), (3, 30), (5, 0)),  # spring change day, after
    (date(2027, 10, 31), (0, 30), (1, 45)),  # autumn change day, before (still UTC+2)
    (date(2027, 10, 31), (3, 30), (5, 0)),  # autumn change day, after (UTC+1)
    (date(2040, 7, 11), (14, 0), (17, 0)),  # after 2038, summer
    (date(2045, 1, 10), (9, 30), (12, 0)),  # after 2038, winter
)


def _node_readings(paths: list[Path]) -> dict[str, list[dict]]:
    completed = subprocess.run(
        ["node", str(NODE_ENGINE), *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=JS,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def _utc(value) -> datetime:
    return value.astimezone(UTC).replace(microsecond=0)


def _python_readings(raw: bytes) -> dict[str, tuple[datetime, datetime]]:
    by_icalendar = {
        str(e["UID"]): (_utc(e.start), _utc(e.end)) for e in Calendar.from_ical(raw).walk("VEVENT")
    }
    by_ical = {
        e.uid: (_utc(e.dtstart), _utc(e.dtend))
        for e in IcsCalendarStream.calendar_from_ics(raw.decode("utf-8")).events
    }
    assert by_icalendar == by_ical
    return by_icalendar


@pytest.fixture
def files(app, db, client, make_user, tmp_path):
    """Every kind of file, written to disk: committee feed, personal feed, single session,
    invitation and cancellation; and the sessions as the database holds them."""
    committee = make_committee(db)
    member = member_with_mandate(db, make_user, committee, start=date(2021, 6, 1))
    person = db.session.scalars(select(Person).where(Person.user_id == member.id)).one()
    person.email = member.email
    meetings = []
    for day, start, end in SESSIONS:
        meetings.append(
            create_meeting(
                committee,
                title=f"Séance du {day:%d/%m/%Y} {start[0]:02d}h{start[1]:02d}",
                starts_at=paris_to_utc(day, time(*start)),
                ends_at=paris_to_utc(day, time(*end)),
                is_public=True,
            )
        )
    db.session.commit()
    assert paris_today() < SESSIONS[0][0], "the sessions must stay in the feeds' window"
    bodies = {
        "committee": client.get(f"/committees/{committee.slug}/calendar.ics").data,
        "personal": client.get(feed_url(db, member)).data,
        "single": client.get(f"/meetings/{meetings[6].id}.ics").data,
    }
    convene(meetings[4])
    db.session.commit()
    bodies["invitation"] = _last_ics(db)
    cancel_and_notify(meetings[4], "Salle indisponible")
    db.session.commit()
    bodies["cancellation"] = _last_ics(db)
    paths = {}
    for name, body in bodies.items():
        assert body.startswith(b"BEGIN:VCALENDAR"), name
        paths[name] = tmp_path / f"{name}.ics"
        paths[name].write_bytes(body)
    stored = {m.uid: (_utc(m.starts_at), _utc(m.ends_at)) for m in meetings}
    return paths, stored


def _last_ics(db) -> bytes:
    attachment = db.session.scalars(
        select(OutboxAttachment)
        .where(OutboxAttachment.content_type.like("text/calendar%"))
        .order_by(OutboxAttachment.id.desc())
        .limit(1)
    ).one()
    return attachment.data


def test_every_engine_reads_every_file_at_the_stored_instants(files):
    paths, stored = files
    by_node = _node_readings(list(paths.values()))
    expected_counts = {"committee": 8, "personal": 8, "single": 1, "invitation": 1}
    for name, path in paths.items():
        python = _python_readings(path.read_bytes())
        node = {e["uid"]: e for e in by_node[str(path)]}
        assert set(node) == set(python), name
        if name in expected_counts:
            assert len(python) == expected_counts[name], name
        for uid, (start, end) in python.items():
            assert node[uid]["zone"] == "Europe/Paris", (name, uid)
            from_node = (
                datetime.fromisoformat(node[uid]["start"]),
                datetime.fromisoformat(node[uid]["end"]),
            )
            assert from_node == (start, end), (name, uid)
            assert (start, end) == stored[uid], (name, uid)


def test_the_clock_change_sessions_fall_on_the_right_side(files):
    paths, _stored = files
    readings = _node_readings([paths["committee"]])[str(paths["committee"])]
    starts = sorted(datetime.fromisoformat(e["start"]) for e in readings)
    assert datetime(2027, 3, 27, 23, 30, tzinfo=UTC) in starts  # 00:30 CET
    assert datetime(2027, 3, 28, 1, 30, tzinfo=UTC) in starts  # 03:30 CEST
    assert datetime(2027, 10, 30, 22, 30, tzinfo=UTC) in starts  # 00:30 CEST
    assert datetime(2027, 10, 31, 2, 30, tzinfo=UTC) in starts  # 03:30 CET
    assert datetime(2040, 7, 11, 12, 0, tzinfo=UTC) in starts


def test_no_empty_property_and_method_only_where_it_belongs(files, client):
    paths, _stored = files
    for name, path in paths.items():
        lines = path.read_bytes().decode("utf-8").replace("\r\n ", "").split("\r\n")
        empty = [line for line in lines if line and line.endswith(":")]
        assert not empty, (name, empty)
        methods = [line for line in lines if line.startswith("METHOD:")]
        if name in ("invitation", "cancellation"):
            assert methods == ["METHOD:" + ("REQUEST" if name == "invitation" else "CANCEL")]
        else:
            assert methods == [], name


def test_a_moved_session_sends_every_convened_person_an_update(app, db, make_user, tmp_path):
    committee = make_committee(db)
    people = []
    for email in ("alice.martin@hopital.example.org", "bruno.petit@universite.example.org"):
        member = member_with_mandate(db, make_user, committee, email=email)
        person = db.session.scalars(select(Person).where(Person.user_id == member.id)).one()
        person.email = email
        people.append(person)
    meeting = create_meeting(
        committee,
        title="Séance de juillet",
        starts_at=paris_to_utc(date(2027, 7, 7), time(14, 0)),
        ends_at=paris_to_utc(date(2027, 7, 7), time(17, 0)),
    )
    convene(meeting)
    db.session.commit()
    invited_sequence = meeting.sequence

    significant, queued = update_and_notify(
        meeting,
        starts_at=paris_to_utc(date(2027, 7, 8), time(9, 30)),
        ends_at=paris_to_utc(date(2027, 7, 8), time(12, 30)),
    )
    db.session.commit()
    assert significant
    assert queued == 2

    updates = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "meeting_update")
    ).all()
    assert {m.recipient for m in updates} == {p.email for p in people}
    paths = []
    for message in updates:
        [attachment] = message.attachments
        assert attachment.content_type.startswith("text/calendar")
        assert "method=REQUEST" in attachment.content_type
        raw = attachment.data
        [event] = Calendar.from_ical(raw).walk("VEVENT")
        assert str(event["UID"]) == meeting.uid
        assert int(event["SEQUENCE"]) > invited_sequence
        assert "/convocations/" not in raw.decode()  # no personal answer link in calendars
        path = tmp_path / f"update-{message.id}.ics"
        path.write_bytes(raw)
        paths.append(path)
    expected = (datetime(2027, 7, 8, 7, 30, tzinfo=UTC), datetime(2027, 7, 8, 10, 30, tzinfo=UTC))
    for path, events in _node_readings(paths).items():
        [event] = events
        assert (datetime.fromisoformat(event["start"]), datetime.fromisoformat(event["end"])) == (
            expected
        ), path
    for path in paths:
        assert list(_python_readings(path.read_bytes()).values()) == [expected]


def test_a_change_that_calendars_ignore_sends_nothing(app, db, make_user):
    committee = make_committee(db)
    member = member_with_mandate(db, make_user, committee)
    person = db.session.scalars(select(Person).where(Person.user_id == member.id)).one()
    person.email = member.email
    meeting = create_meeting(
        committee,
        title="Séance d'août",
        starts_at=paris_to_utc(date(2027, 8, 4), time(14, 0)),
        ends_at=paris_to_utc(date(2027, 8, 4), time(17, 0)),
    )
    convene(meeting)
    db.session.commit()
    assert update_and_notify(meeting, starts_at=meeting.starts_at) == (False, 0)
