"""Shared situations and readers of the calendar tests: committees, members, two parsers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from committees.auth.models import Role, User
from committees.calendars import cache
from committees.calendars.tokens import personal_token
from tests.support.meetings import add_item, appoint, make_committee, schedule

SECRET_LINK = "https://visio.example.org/salle-secrete-cst"
OTHER_SECRET_LINK = "https://visio.example.org/salle-secrete-csp"
MEMBER_EMAIL = "alice.martin@hopital.example.org"
OTHER_EMAIL = "bruno.petit@universite.example.org"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@dataclass
class Parsed:
    """A feed read by icalendar and by the independent ``ical`` library."""

    raw: str
    icalendar: Calendar
    ical: IcalCalendar

    def events(self):
        return list(self.icalendar.walk("VEVENT"))

    def event(self, uid: str):
        return next(e for e in self.events() if str(e["UID"]) == uid)

    def ical_event(self, uid: str):
        return next(e for e in self.ical.events if e.uid == uid)


def parse(response) -> Parsed:
    """Both parsers must accept the body; their readings are returned side by side."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.get_data()
    raw = body.decode("utf-8")
    return Parsed(raw, Calendar.from_ical(body), IcsCalendarStream.calendar_from_ics(raw))


def unfolded(raw: str) -> str:
    """The feed with RFC 5545 line folding undone, for plain text searches."""
    return raw.replace("\r\n ", "").replace("\r\n\t", "")


def make_member(make_user, email: str = MEMBER_EMAIL) -> User:
    return make_user(Role.MEMBER, email=email)


def member_with_mandate(db, make_user, committee, *, email=MEMBER_EMAIL, **mandate) -> User:
    """A member account tied to a person holding a mandate in ``committee``."""
    user = make_member(make_user, email)
    first, last = email.split("@")[0].split(".")
    appoint(db, committee, first.title(), last.title(), user=user, **mandate)
    return user


def feed_url(db, user: User, **query) -> str:
    token = personal_token(user)
    db.session.commit()
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return f"/calendar/{token}.ics{suffix}"


def two_committees(db):
    """The CST and a second committee, both published."""
    cst = make_committee(db)
    csp = make_committee(db, name="Pharmacovigilance et addictovigilance", acronym="CSP")
    return cst, csp


def session_with_items(db, committee, day: date, *, link=SECRET_LINK, **fields):
    """A hybrid session with a public item and a closed one, its agenda published."""
    from datetime import UTC, datetime

    meeting = schedule(
        db, committee, day, format="hybrid", place="Saint-Denis", remote_link=link, **fields
    )
    add_item(db, meeting, 1, "Bilan de l'expérimentation", rapporteur="Dr Martin")
    add_item(db, meeting, 2, "Dossier confidentiel Phytopharma", is_public=False)
    meeting.agenda_published_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    return meeting


def fresh_cache() -> None:
    """Forget built feeds, events and remembered validators, so that a test sees the cost
    of a real build."""
    cache.clear()


__all__ = [
    "EMAIL",
    "MEMBER_EMAIL",
    "OTHER_EMAIL",
    "OTHER_SECRET_LINK",
    "SECRET_LINK",
    "Parsed",
    "add_item",
    "feed_url",
    "fresh_cache",
    "make_committee",
    "member_with_mandate",
    "parse",
    "schedule",
    "session_with_items",
    "two_committees",
    "unfolded",
]
