"""The text of the feeds: one VEVENT per session, in the feed's language.

Public feeds say what the public may know (no remote link, closed items left out, the
agenda only once published); members' feeds add the remote link, every item and the
link to the working documents. Only the secretariat's address appears (ORGANIZER):
never a member's. Every value comes from the data, DTSTAMP included, so that the same
data always gives the same bytes and the ETag can be strong.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Event

from committees.calendars.feeds import Feed, FeedKind
from committees.calendars.ics import build_calendar, meeting_event, person_from_address, to_bytes
from committees.meetings.labels import (
    ITEM_KIND_LABELS,
    MEETING_FORMAT_LABELS,
    MEETING_STATUS_LABELS,
)
from committees.meetings.models import AgendaItem, Meeting, MeetingFormat, MeetingStatus

#: how often subscribed clients should come back (REFRESH-INTERVAL, X-PUBLISHED-TTL)
REFRESH_INTERVAL = timedelta(hours=1)

#: the zone of every local time in the feeds (X-WR-TIMEZONE)
TIMEZONE = "Europe/Paris"

_STATUS = {
    MeetingStatus.PLANNED: "TENTATIVE",
    MeetingStatus.CONVENED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.MINUTES_ADOPTED: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
    MeetingStatus.POSTPONED: "CANCELLED",
}


def event_status(meeting: Meeting) -> str:
    """TENTATIVE while planned, CONFIRMED once convened, CANCELLED if cancelled or postponed."""
    return _STATUS.get(MeetingStatus(meeting.status), "CONFIRMED")


def _base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def session_url(meeting: Meeting, *, members: bool) -> str:
    """The session's page: the member page in members' feeds, the public page otherwise."""
    prefix = "/my/meetings/" if members else "/meetings/"
    return f"{_base_url()}{prefix}{meeting.id}"


def _committee_label(meeting: Meeting, lang: str) -> str:
    return meeting.committee.acronym or meeting.committee.name(lang)


def _summary(meeting: Meeting, lang: str) -> str:
    summary = f"{_committee_label(meeting, lang)} — {meeting.title}"
    if meeting.is_cancelled:
        # STATUS:CANCELLED is not shown by every client; the title says it to everyone.
        return f"[{MEETING_STATUS_LABELS[MeetingStatus(meeting.status)]}] {summary}"
    return summary


def _location(meeting: Meeting, *, members: bool) -> str:
    parts = []
    if meeting.format != MeetingFormat.VIDEOCONFERENCE and meeting.place:
        parts.append(meeting.place)
    if meeting.format != MeetingFormat.ON_SITE:
        if members and meeting.remote_link:
            parts.append(meeting.remote_link)
        elif not parts:
            parts.append(str(MEETING_FORMAT_LABELS[MeetingFormat(meeting.format)]))
    return " — ".join(parts)


def _items(meeting: Meeting, *, members: bool) -> list[AgendaItem] | None:
    """The agenda the feed may show; None while it is not published (public feeds)."""
    if members:
        return list(meeting.items)
    if meeting.agenda_published_at is None:
        return None
    return [item for item in meeting.items if item.is_public]


def _item_line(item: AgendaItem) -> str:
    line = f"{item.position}. {item.title} ({ITEM_KIND_LABELS[item.kind]})"
    if item.rapporteur:
        line += " — " + _("Rapporteur : %(name)s", name=item.rapporteur)
    return line


def _description(meeting: Meeting, lang: str, *, members: bool) -> str:
    lines = [
        _("Comité : %(name)s", name=meeting.committee.name(lang)),
        _("Format : %(format)s", format=MEETING_FORMAT_LABELS[MeetingFormat(meeting.format)]),
        _("Statut : %(status)s", status=MEETING_STATUS_LABELS[MeetingStatus(meeting.status)]),
    ]
    if meeting.is_cancelled and meeting.status_reason:
        lines.append(_("Motif : %(reason)s", reason=meeting.status_reason))
    if members and meeting.format != MeetingFormat.ON_SITE and meeting.remote_link:
        lines.append(_("Lien de connexion : %(link)s", link=meeting.remote_link))
    lines += ["", _("Ordre du jour :")]
    items = _items(meeting, members=members)
    if items is None:
        lines.append(_("L'ordre du jour n'est pas encore publié."))
    elif not items:
        lines.append(_("Aucun point inscrit pour le moment."))
    else:
        lines += [_item_line(item) for item in items]
    lines.append("")
    if members:
        lines.append(_("Documents de travail : %(url)s", url=session_url(meeting, members=True)))
    else:
        lines.append(_("Page de la séance : %(url)s", url=session_url(meeting, members=False)))
    return "\n".join(lines)


def _last_modified(meeting: Meeting):
    return max([meeting.updated_at, *(item.updated_at for item in meeting.items)])


def session_event(meeting: Meeting, lang: str, *, members: bool) -> Event:
    """The VEVENT of ``meeting`` for a public feed, or a member's one (``members``)."""
    modified = _last_modified(meeting)
    return meeting_event(
        meeting,
        summary=_summary(meeting, lang),
        description=_description(meeting, lang, members=members),
        location=_location(meeting, members=members),
        url=session_url(meeting, members=members),
        organizer=person_from_address(current_app.config["MAIL_DEFAULT_SENDER"]),
        status=event_status(meeting),
        # DTSTAMP from the data: the same data gives the same bytes (strong ETag).
        stamp=modified,
        created=meeting.created_at,
        last_modified=modified,
        categories=[
            _committee_label(meeting, lang),
            str(MEETING_FORMAT_LABELS[MeetingFormat(meeting.format)]),
        ],
    )


def calendar_bytes(feed: Feed, meetings: Sequence[Meeting], name: str) -> bytes:
    """The whole feed as RFC 5545 bytes, its text in ``feed.lang``."""
    with force_locale(feed.lang):
        events = [session_event(m, feed.lang, members=feed.for_members) for m in meetings]
        calendar = build_calendar(
            events,
            method="PUBLISH",
            name=name,
            refresh_interval=REFRESH_INTERVAL if feed.windowed else None,
            calscale="GREGORIAN",
            timezone_name=TIMEZONE,
        )
    return to_bytes(calendar)


def feed_name(feed: Feed, *, committee=None, meeting: Meeting | None = None) -> str:
    """The calendar's name (NAME, X-WR-CALNAME) in the feed's language."""
    with force_locale(feed.lang):
        if feed.kind == FeedKind.PERSONAL:
            return _("Mes séances — %(agency)s", agency=current_app.config["AGENCY_SHORT_NAME"])
        if feed.kind == FeedKind.COMMITTEE and committee is not None:
            label = committee.acronym or committee.name(feed.lang)
            return _("Séances : %(committee)s", committee=label)
        return meeting.title if meeting is not None else ""
