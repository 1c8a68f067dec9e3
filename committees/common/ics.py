"""The iCalendar builder shared by invitations (e-mail) and feeds (subscriptions).

``meeting_event`` turns one session into a VEVENT; ``build_calendar`` wraps events in a
VCALENDAR with METHOD, PRODID and the VTIMEZONE of Europe/Paris, times being written in
Paris local time with a TZID so that calendar clients keep 14:00 at 14:00 across
daylight-saving changes. Callers decide what goes in: the remote link and the closed
items are for members only, attendees only ever name the one recipient.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
)

from committees.common.lines import one_line
from committees.common.timeutils import PARIS, to_paris, utcnow

#: what clients show as the producer of the file
PRODID = "-//ANSM//Comites scientifiques//FR"

#: content type of an e-mailed invitation, per RFC 6047 (iMIP)
REQUEST_CONTENT_TYPE = "text/calendar; method=REQUEST; charset=utf-8"
CANCEL_CONTENT_TYPE = "text/calendar; method=CANCEL; charset=utf-8"


@dataclass(frozen=True)
class Person:
    """Someone named in an event: an organizer or an attendee."""

    email: str
    name: str = ""


def person_from_address(address: str) -> Person:
    """A Person from an address such as « Secrétariat des comités <comites@ansm.example> »."""
    name, email = parseaddr(address)
    return Person(email=email, name=name)


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = one_line(person.name)
    for key, value in params.items():
        address.params[key] = value
    return address


def meeting_event(
    meeting,
    *,
    summary: str,
    description: str = "",
    location: str = "",
    url: str | None = None,
    organizer: Person | None = None,
    attendee: Person | None = None,
    cancelled: bool = False,
    stamp: datetime | None = None,
    status: str | None = None,
    created: datetime | None = None,
    last_modified: datetime | None = None,
    categories: Sequence[str] = (),
) -> Event:
    """The VEVENT of one session, its UID and SEQUENCE taken from the meeting.

    ``attendee`` is the single recipient of an invitation (never the other members);
    ``cancelled`` marks the event STATUS:CANCELLED, as a METHOD:CANCEL message requires;
    ``status`` (TENTATIVE, CONFIRMED, CANCELLED) overrides it. Feeds pass ``stamp``,
    ``created`` and ``last_modified`` from the data so that the same data gives the same
    bytes (their ETag is strong). One-line properties (SUMMARY, LOCATION, CATEGORIES,
    names) are put on one line whatever was stored before forms refused line breaks.
    """
    event = Event.new(
        uid=meeting.uid,
        sequence=meeting.sequence,
        summary=one_line(summary),
        start=to_paris(meeting.starts_at),
        end=to_paris(meeting.ends_at),
        stamp=stamp or utcnow(),
        status=status or ("CANCELLED" if cancelled else "CONFIRMED"),
        description=description or None,
        location=one_line(location) or None,
        url=url,
        created=_utc(created),
        last_modified=_utc(last_modified),
        # An empty list would still write "CATEGORIES:", which strict parsers flag.
        categories=[one_line(c) for c in categories if c] or None,
    )
    if organizer is not None:
        event.add("organizer", _address(organizer))
    if attendee is not None:
        event.add(
            "attendee",
            _address(
                attendee,
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="NEEDS-ACTION",
                # Answers go through the link of the e-mail, not calendar replies.
                RSVP="FALSE",
            ),
        )
    return event


def build_calendar(
    events: Sequence[Event],
    *,
    method: str | None = None,
    name: str | None = None,
    refresh_interval: timedelta | None = None,
    uid: str | None = None,
    calscale: str | None = None,
    timezone_name: str | None = None,
) -> Calendar:
    """A VCALENDAR holding ``events`` with PRODID, VERSION, METHOD and a Paris VTIMEZONE.

    The VTIMEZONE is ``paris_timezone()``, present when an event has a time. ``uid``
    names a feed (RFC 7986); without it the calendar carries none, so that the same
    events always give the same bytes apart from DTSTAMP. ``name`` is also written as
    X-WR-CALNAME (by icalendar) and ``refresh_interval`` as X-PUBLISHED-TTL, the spellings of the
    clients that predate RFC 7986 (Outlook, older Apple and Google); ``timezone_name``
    becomes X-WR-TIMEZONE.
    """
    calendar = _header(
        method=method,
        name=name,
        refresh_interval=refresh_interval,
        uid=uid,
        calscale=calscale,
        timezone_name=timezone_name,
    )
    # The VTIMEZONE comes before the events that use it, as calendar_frame writes it.
    if any(isinstance(event.start, datetime) for event in events):
        calendar.add_component(paris_timezone())
    for event in events:
        calendar.add_component(event)
    return calendar


def paris_timezone() -> Timezone:
    """Europe/Paris as a VTIMEZONE that holds for every year, the way Thunderbird, Outlook
    and Apple write it: one DAYLIGHT and one STANDARD rule (last Sunday of March at 02:00,
    last Sunday of October at 03:00), the EU rule since 1996.

    A client that converts with the file's own VTIMEZONE (not its own time-zone database)
    then places every session right, however far ahead: a list of the transitions between
    two dates, as icalendar builds from tzdata, leaves the years after the last one an hour
    off in summer.
    """
    timezone = Timezone()
    timezone.add("tzid", PARIS.key)
    timezone.add("x-lic-location", PARIS.key)
    winter, summer = timedelta(hours=1), timedelta(hours=2)
    # A VTIMEZONE's DTSTART is local time without a zone (RFC 5545 3.6.5).
    for component, name, start, month, offsets in (
        (TimezoneDaylight(), "CEST", datetime(1970, 3, 29, 2), 3, (winter, summer)),  # noqa: DTZ001
        (TimezoneStandard(), "CET", datetime(1970, 10, 25, 3), 10, (summer, winter)),  # noqa: DTZ001
    ):
        component.add("tzname", name)
        component.add("dtstart", start)
        component.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        component.add("tzoffsetfrom", offsets[0])
        component.add("tzoffsetto", offsets[1])
        timezone.add_component(component)
    return timezone


def _header(
    *,
    method: str | None,
    name: str | None,
    refresh_interval: timedelta | None,
    uid: str | None,
    calscale: str | None,
    timezone_name: str | None,
) -> Calendar:
    calendar = Calendar.new(
        prodid=PRODID,
        method=method,
        # A line break in a name would end the property (icalendar escapes it nowhere).
        name=one_line(name) if name else name,
        refresh_interval=refresh_interval,
        uid=uid,
        calscale=calscale,
    )
    if uid is None:
        calendar.pop("UID", None)
    if timezone_name:
        calendar.add("x-wr-timezone", timezone_name)
    if refresh_interval is not None:
        # RFC 7986 requires the VALUE parameter on REFRESH-INTERVAL.
        calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
        calendar.add("x-published-ttl", vDuration(refresh_interval))
    return calendar


#: what closes every calendar
CALENDAR_END = b"END:VCALENDAR\r\n"


def calendar_frame(
    *,
    method: str | None = None,
    name: str | None = None,
    refresh_interval: timedelta | None = None,
    calscale: str | None = None,
    timezone_name: str | None = None,
    with_timezone: bool = True,
) -> tuple[bytes, bytes]:
    """The bytes around a calendar's events: (header with the VTIMEZONE, footer).

    Built by icalendar like ``build_calendar`` (same properties, same order), for feeds
    assembled from events serialized one by one: header + events + footer gives the
    bytes ``build_calendar`` would. ``with_timezone`` False, for a calendar without
    events, leaves the VTIMEZONE out.
    """
    calendar = _header(
        method=method,
        name=name,
        refresh_interval=refresh_interval,
        uid=None,
        calscale=calscale,
        timezone_name=timezone_name,
    )
    if with_timezone:
        calendar.add_component(paris_timezone())
    text = calendar.to_ical()
    if not text.endswith(CALENDAR_END):
        raise ValueError("unexpected end of an icalendar calendar")
    return text[: -len(CALENDAR_END)], CALENDAR_END


def _utc(value: datetime | None) -> datetime | None:
    # CREATED and LAST-MODIFIED must be UTC (RFC 5545 3.8.7).
    return value.astimezone(UTC) if value is not None else None


def to_bytes(calendar: Calendar) -> bytes:
    """The calendar serialized as RFC 5545 text (CRLF line ends, folded lines)."""
    return calendar.to_ical()
