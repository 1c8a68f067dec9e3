"""The text of the feeds: one VEVENT per session, in the feed's language.

Public feeds say what the public may know (no remote link, closed items left out, the
agenda only once published); members' feeds add the remote link, every item and the
link to the working documents. Only the secretariat's address appears (ORGANIZER):
never a member's. Every value comes from the data, DTSTAMP included, so that the same
data always gives the same bytes and the ETag can be strong.

A feed is assembled from bytes: the VCALENDAR header with its VTIMEZONE, then each
session's VEVENT, each built by icalendar and kept by what it depends on, by the worker
(committees.calendars.cache) and in the database for every worker
(committees.calendars.pieces), then the footer. After a change, only the sessions that
changed are built again; the labels of a language are translated once per build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import icalendar
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Event

from committees.bodies.models import Committee
from committees.calendars import cache, pieces
from committees.calendars.feeds import (
    FORMAT_VERSION,
    EventKey,
    Feed,
    FeedKind,
    event_keys,
    load_meetings,
)
from committees.common.ics import (
    CALENDAR_END,
    Person,
    calendar_frame,
    meeting_event,
    person_from_address,
)
from committees.extensions import db
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


@dataclass(frozen=True)
class Texts:
    """Everything a VEVENT says that is not data, in one language, translated once."""

    lang: str
    base_url: str
    organizer: Person
    formats: dict[str, str]
    statuses: dict[str, str]
    kinds: dict[str, str]
    committee: str
    format: str
    status: str
    reason: str
    link: str
    agenda: str
    unpublished: str
    empty: str
    rapporteur: str
    documents: str
    page: str


def texts(lang: str) -> Texts:
    """The labels and sentences of ``lang`` (the templates keep their %(name)s)."""
    config = current_app.config
    with force_locale(lang):
        return Texts(
            lang=lang,
            base_url=config["PUBLIC_BASE_URL"].rstrip("/"),
            organizer=person_from_address(config["MAIL_DEFAULT_SENDER"]),
            formats={k.value: str(v) for k, v in MEETING_FORMAT_LABELS.items()},
            statuses={k.value: str(v) for k, v in MEETING_STATUS_LABELS.items()},
            kinds={str(k): str(v) for k, v in ITEM_KIND_LABELS.items()},
            # gettext without variables hands back the translated template itself.
            committee=_("Comité : %(name)s"),
            format=_("Format : %(format)s"),
            status=_("Statut : %(status)s"),
            reason=_("Motif : %(reason)s"),
            link=_("Lien de connexion : %(link)s"),
            agenda=_("Ordre du jour :"),
            unpublished=_("L'ordre du jour n'est pas encore publié."),
            empty=_("Aucun point inscrit pour le moment."),
            rapporteur=_("Rapporteur : %(name)s"),
            documents=_("Documents de travail : %(url)s"),
            page=_("Page de la séance : %(url)s"),
        )


def session_url(meeting: Meeting, *, members: bool, base_url: str | None = None) -> str:
    """The session's page: the member page in members' feeds, the public page otherwise."""
    base = base_url or current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    prefix = "/my/meetings/" if members else "/meetings/"
    return f"{base}{prefix}{meeting.id}"


def _committee_label(meeting: Meeting, lang: str) -> str:
    return meeting.committee.acronym or meeting.committee.name(lang)


def _summary(meeting: Meeting, t: Texts) -> str:
    summary = f"{_committee_label(meeting, t.lang)} — {meeting.title}"
    if meeting.is_cancelled:
        # STATUS:CANCELLED is not shown by every client; the title says it to everyone.
        return f"[{t.statuses[meeting.status]}] {summary}"
    return summary


def _location(meeting: Meeting, t: Texts, *, members: bool) -> str:
    parts = []
    if meeting.format != MeetingFormat.VIDEOCONFERENCE and meeting.place:
        parts.append(meeting.place)
    if meeting.format != MeetingFormat.ON_SITE:
        if members and meeting.remote_link:
            parts.append(meeting.remote_link)
        elif not parts:
            parts.append(t.formats[meeting.format])
    return " — ".join(parts)


def _items(meeting: Meeting, *, members: bool) -> list[AgendaItem] | None:
    """The agenda the feed may show; None while it is not published (public feeds)."""
    if members:
        return list(meeting.items)
    if meeting.agenda_published_at is None:
        return None
    return [item for item in meeting.items if item.is_public]


def _item_line(item: AgendaItem, t: Texts) -> str:
    line = f"{item.position}. {item.title} ({t.kinds[str(item.kind)]})"
    if item.rapporteur:
        line += " — " + t.rapporteur % {"name": item.rapporteur}
    return line


def _description(meeting: Meeting, t: Texts, *, members: bool) -> str:
    lines = [
        t.committee % {"name": meeting.committee.name(t.lang)},
        t.format % {"format": t.formats[meeting.format]},
        t.status % {"status": t.statuses[meeting.status]},
    ]
    if meeting.is_cancelled and meeting.status_reason:
        lines.append(t.reason % {"reason": meeting.status_reason})
    if members and meeting.format != MeetingFormat.ON_SITE and meeting.remote_link:
        lines.append(t.link % {"link": meeting.remote_link})
    lines += ["", t.agenda]
    items = _items(meeting, members=members)
    if items is None:
        lines.append(t.unpublished)
    elif not items:
        lines.append(t.empty)
    else:
        lines += [_item_line(item, t) for item in items]
    lines.append("")
    url = session_url(meeting, members=members, base_url=t.base_url)
    lines.append((t.documents if members else t.page) % {"url": url})
    return "\n".join(lines)


def _last_modified(meeting: Meeting):
    return max([meeting.updated_at, *(item.updated_at for item in meeting.items)])


def session_event(meeting: Meeting, t: Texts, *, members: bool) -> Event:
    """The VEVENT of ``meeting`` for a public feed, or a member's one (``members``)."""
    modified = _last_modified(meeting)
    return meeting_event(
        meeting,
        summary=_summary(meeting, t),
        description=_description(meeting, t, members=members),
        location=_location(meeting, t, members=members),
        url=session_url(meeting, members=members, base_url=t.base_url),
        organizer=t.organizer,
        status=event_status(meeting),
        # DTSTAMP from the data: the same data gives the same bytes (strong ETag).
        stamp=modified,
        created=meeting.created_at,
        last_modified=modified,
        categories=[_committee_label(meeting, t.lang), t.formats[meeting.format]],
    )


# --- assembling a feed ------------------------------------------------------------------


def _event_cache_key(feed: Feed, key: EventKey) -> tuple:
    config = current_app.config
    return (
        feed.for_members,
        feed.lang,
        key.meeting_id,
        key.parts,
        config["PUBLIC_BASE_URL"],
        config["MAIL_DEFAULT_SENDER"],
    )


def written_from(t: Texts) -> str:
    """What every VEVENT of a language and view is written from besides its session: the
    texts (labels, addresses), the format version and icalendar's (part of the digest of
    the pieces kept in the database, which outlive the process and its code)."""
    text = repr((FORMAT_VERSION, icalendar.__version__, t))
    return hashlib.sha256(text.encode()).hexdigest()


def _events(feed: Feed, keys: Sequence[EventKey], loaded: dict[int, Meeting]) -> list[bytes]:
    """The VEVENT bytes of ``keys``: those this worker keeps as they are, then those kept
    in the database (one query), the others built and kept in both (two queries load
    the sessions to build, however many; one statement writes them)."""
    wanted = [_event_cache_key(feed, key) for key in keys]
    chunks = [cache.events.get(k) for k in wanted]
    missing = [index for index, chunk in enumerate(chunks) if chunk is None]
    if not missing:
        return chunks  # type: ignore[return-value]
    t = texts(feed.lang)
    shared = pieces.enabled()
    variant = pieces.variant(feed.lang, feed.for_members)
    context = written_from(t)
    digests = {keys[i].meeting_id: pieces.digest(context, keys[i].parts) for i in missing}
    if shared:
        found = pieces.read(variant, digests)
        for index in missing:
            chunks[index] = found.get(keys[index].meeting_id)
            if chunks[index] is not None:
                cache.events.put(wanted[index], chunks[index])
        missing = [index for index in missing if chunks[index] is None]
    if missing:
        ids = [keys[i].meeting_id for i in missing]
        loaded.update(load_meetings([i for i in ids if i not in loaded]))
        built = []
        for index, meeting_id in zip(missing, ids, strict=True):
            meeting = loaded.get(meeting_id)
            if meeting is None:
                continue
            chunk = session_event(meeting, t, members=feed.for_members).to_ical()
            cache.events.put(wanted[index], chunk)
            chunks[index] = chunk
            built.append((meeting_id, digests[meeting_id], chunk))
        if shared:
            pieces.write(variant, built)
    return [chunk for chunk in chunks if chunk is not None]


def _header(feed: Feed, name: str, keys: Sequence[EventKey]) -> bytes:
    """The VCALENDAR header and VTIMEZONE (built by icalendar once per name)."""
    refresh = REFRESH_INTERVAL if feed.windowed else None
    header_key = ("header", name, refresh, bool(keys))
    head = cache.frames.get(header_key)
    if head is None:
        head, _tail = calendar_frame(
            # No METHOD: a subscription is not an iTIP message, and RFC 5545 3.7.2 ties
            # METHOD to a Content-Type "method" parameter that feeds do not send.
            method=None,
            name=name,
            refresh_interval=refresh,
            calscale="GREGORIAN",
            timezone_name=TIMEZONE,
            with_timezone=bool(keys),
        )
        cache.frames.put(header_key, head)
    return head


def feed_bytes(feed: Feed, *, name: str | None = None) -> bytes:
    """The whole feed as RFC 5545 bytes, its text in ``feed.lang``; ``name`` is the
    calendar's name (NAME, X-WR-CALNAME), the session's title when None.

    One query lists the sessions with what their VEVENTs depend on; only the VEVENTs
    not kept yet are built (two more queries to load those sessions).
    """
    keys = event_keys(feed)
    loaded: dict[int, Meeting] = {}
    if name is None:
        loaded = load_meetings([k.meeting_id for k in keys[:1]])
        name = next(iter(loaded.values())).title if loaded else ""
    events = _events(feed, keys, loaded)
    return b"".join([_header(feed, name, keys), *events, CALENDAR_END])


def feed_name(feed: Feed) -> str | None:
    """The calendar's name (NAME, X-WR-CALNAME) in the feed's language; None for a
    one-session feed, named after its session."""
    with force_locale(feed.lang):
        if feed.kind == FeedKind.PERSONAL:
            return _("Mes séances — %(agency)s", agency=current_app.config["AGENCY_SHORT_NAME"])
        committee = (
            db.session.get(Committee, feed.committee_id)
            if feed.kind == FeedKind.COMMITTEE
            else None
        )
        if committee is not None:
            label = committee.acronym or committee.name(feed.lang)
            return _("Séances : %(committee)s", committee=label)
        return None
