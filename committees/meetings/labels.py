"""French labels (translatable) of the meetings enums, for forms and pages; ``register``
gives them to every template."""

from __future__ import annotations

from functools import lru_cache

from babel import dates as babel_dates
from flask import Flask
from flask_babel import get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from committees.bodies.labels import choices, label_of
from committees.common.formats import TEXTS_KEPT
from committees.common.timeutils import PARIS, to_paris
from committees.meetings.models import (
    AdoptionMode,
    BallotChoice,
    HearingMode,
    HearingStatus,
    ItemKind,
    MeetingFormat,
    MeetingStatus,
    MinutesStatus,
    OrganisationKind,
    Presence,
    RecusalStatus,
    Response,
)

__all__ = [
    "ADOPTION_MODE_LABELS",
    "BALLOT_CHOICE_LABELS",
    "HEARING_MODE_LABELS",
    "HEARING_STATUS_LABELS",
    "HEARING_STATUS_TONES",
    "ITEM_KIND_LABELS",
    "MEETING_FORMAT_LABELS",
    "MEETING_STATUS_LABELS",
    "MEETING_STATUS_TONES",
    "MINUTES_STATUS_LABELS",
    "MINUTES_STATUS_TONES",
    "MONTH_LABELS",
    "NTH_LABELS",
    "ORGANISATION_KIND_LABELS",
    "PRESENCE_LABELS",
    "RECUSAL_STATUS_LABELS",
    "RESPONSE_LABELS",
    "TEMPLATE_LABELS",
    "WEEKDAY_LABELS",
    "choices",
    "label_of",
    "meeting_when",
]

MEETING_FORMAT_LABELS = {
    MeetingFormat.ON_SITE: _l("Sur place"),
    MeetingFormat.VIDEOCONFERENCE: _l("Visioconférence"),
    MeetingFormat.HYBRID: _l("Hybride (sur place et à distance)"),
}

MEETING_STATUS_LABELS = {
    MeetingStatus.PLANNED: _l("Programmée"),
    MeetingStatus.CONVENED: _l("Convoquée"),
    MeetingStatus.HELD: _l("Tenue"),
    MeetingStatus.MINUTES_ADOPTED: _l("Compte rendu adopté"),
    MeetingStatus.CANCELLED: _l("Annulée"),
    MeetingStatus.POSTPONED: _l("Reportée"),
}

#: tone of the status badge (see the ``badge`` macro)
MEETING_STATUS_TONES = {
    MeetingStatus.PLANNED: "info",
    MeetingStatus.CONVENED: "info",
    MeetingStatus.HELD: "success",
    MeetingStatus.MINUTES_ADOPTED: "success",
    MeetingStatus.CANCELLED: "error",
    MeetingStatus.POSTPONED: "warning",
}

ITEM_KIND_LABELS = {
    ItemKind.INFORMATION: _l("Information"),
    ItemKind.DISCUSSION: _l("Discussion"),
    ItemKind.OPINION: _l("Avis (avec vote)"),
    ItemKind.HEARING: _l("Audition"),
}

ORGANISATION_KIND_LABELS = {
    OrganisationKind.PATIENT_ASSOCIATION: _l("Association de patients"),
    OrganisationKind.LEARNED_SOCIETY: _l("Société savante"),
    OrganisationKind.ECONOMIC_OPERATOR: _l("Opérateur économique"),
    OrganisationKind.INSTITUTION: _l("Institution"),
}

HEARING_MODE_LABELS = {
    HearingMode.ON_SITE: _l("Sur place"),
    HearingMode.VIDEOCONFERENCE: _l("Visioconférence"),
}

HEARING_STATUS_LABELS = {
    HearingStatus.INVITED: _l("Invitée"),
    HearingStatus.CONFIRMED: _l("Confirmée"),
    HearingStatus.HEARD: _l("Entendue"),
    HearingStatus.DECLINED: _l("Déclinée"),
    HearingStatus.NOT_HELD: _l("Non tenue"),
}

HEARING_STATUS_TONES = {
    HearingStatus.INVITED: "info",
    HearingStatus.CONFIRMED: "info",
    HearingStatus.HEARD: "success",
    HearingStatus.DECLINED: "neutral",
    HearingStatus.NOT_HELD: "neutral",
}

RESPONSE_LABELS = {
    Response.ATTENDING: _l("Présent·e sur place"),
    Response.REMOTE: _l("Présent·e à distance"),
    Response.EXCUSED: _l("Excusé·e"),
}

PRESENCE_LABELS = {
    Presence.PRESENT: _l("Présent·e"),
    Presence.REMOTE: _l("À distance"),
    Presence.EXCUSED: _l("Excusé·e"),
    Presence.ABSENT: _l("Absent·e"),
}

RECUSAL_STATUS_LABELS = {
    RecusalStatus.CONFIRMED: _l("Déport confirmé"),
    RecusalStatus.CLEARED: _l("Signalement levé"),
}

BALLOT_CHOICE_LABELS = {
    BallotChoice.FOR: _l("Pour"),
    BallotChoice.AGAINST: _l("Contre"),
    BallotChoice.ABSTAIN: _l("Abstention"),
}

MINUTES_STATUS_LABELS = {
    MinutesStatus.DRAFT: _l("Brouillon"),
    MinutesStatus.SENT: _l("Envoyé aux membres pour observations"),
    MinutesStatus.ADOPTED: _l("Adopté"),
    MinutesStatus.PUBLISHED: _l("Publié"),
}

MINUTES_STATUS_TONES = {
    MinutesStatus.DRAFT: "neutral",
    MinutesStatus.SENT: "info",
    MinutesStatus.ADOPTED: "success",
    MinutesStatus.PUBLISHED: "success",
}

ADOPTION_MODE_LABELS = {
    AdoptionMode.SESSION: _l("En séance"),
    AdoptionMode.IN_WRITING: _l("Par écrit"),
}

#: the labels templates read as ``labels.<name>[value]`` (lazy: translated when rendered,
#: so an e-mail gets them in its recipient's language)
TEMPLATE_LABELS = {
    "format": MEETING_FORMAT_LABELS,
    "status": MEETING_STATUS_LABELS,
    "kind": ITEM_KIND_LABELS,
    "response": RESPONSE_LABELS,
    "presence": PRESENCE_LABELS,
    "recusal": RECUSAL_STATUS_LABELS,
    "ballot": BALLOT_CHOICE_LABELS,
}


#: weekdays of the series form (0 = Monday, as ``date.weekday()``)
WEEKDAY_LABELS = {
    0: _l("lundi"),
    1: _l("mardi"),
    2: _l("mercredi"),
    3: _l("jeudi"),
    4: _l("vendredi"),
    5: _l("samedi"),
    6: _l("dimanche"),
}

#: which weekday of the month (-1 = the last), for the series form
NTH_LABELS = {
    1: _l("1er"),
    2: _l("2e"),
    3: _l("3e"),
    4: _l("4e"),
    -1: _l("dernier"),
}

MONTH_LABELS = {
    1: _l("janvier"),
    2: _l("février"),
    3: _l("mars"),
    4: _l("avril"),
    5: _l("mai"),
    6: _l("juin"),
    7: _l("juillet"),
    8: _l("août"),
    9: _l("septembre"),
    10: _l("octobre"),
    11: _l("novembre"),
    12: _l("décembre"),
}


def meeting_when(meeting) -> str:
    """A session's day and hours in Paris time, in the page's language:
    « jeudi 2 juin 2022, 14:00 – 17:00 » (both ends in full when it spans two days)."""
    from committees.templating import paris_date, paris_datetime  # templating imports auth

    start, end = to_paris(meeting.starts_at), to_paris(meeting.ends_at)
    if start.date() != end.date():
        return f"{paris_datetime(start, 'full')} – {paris_datetime(end, 'full')}"
    return f"{paris_date(meeting.starts_at, 'full')}, {_hour(start)} – {_hour(end)}"


def quorum_counts(present: int, voting: int, required: int) -> str:
    """« 1 membre votant présent sur 5, 3 requis », plurals through ngettext."""
    return gettext(
        "%(present)s sur %(voting)s, %(required)s",
        present=ngettext(
            "%(num)d membre votant présent", "%(num)d membres votants présents", present
        ),
        voting=voting,
        required=ngettext("%(num)d requis", "%(num)d requis", required),
    )


def _hour(value) -> str:
    return _time_text(value, str(get_locale() or "fr"))


@lru_cache(maxsize=TEXTS_KEPT)
def _time_text(value, locale: str) -> str:
    return babel_dates.format_time(value, "short", tzinfo=PARIS, locale=locale)


#: the label filters of every session template (public, member and secretariat alike):
#: ``meeting.status|meeting_status_label``
_LABEL_FILTERS = {
    "meeting_status_label": MEETING_STATUS_LABELS,
    "meeting_status_tone": MEETING_STATUS_TONES,
    "meeting_format_label": MEETING_FORMAT_LABELS,
    "item_kind_label": ITEM_KIND_LABELS,
    "organisation_kind_label": ORGANISATION_KIND_LABELS,
    "hearing_mode_label": HEARING_MODE_LABELS,
    "hearing_status_label": HEARING_STATUS_LABELS,
    "hearing_status_tone": HEARING_STATUS_TONES,
    "response_label": RESPONSE_LABELS,
    "presence_label": PRESENCE_LABELS,
}


def _label_filter(labels: dict):
    return lambda value: label_of(labels, value) if value else ""


#: the minutes screens' labels, read as dictionaries
#: (``minutes_status_labels.get(minutes.status)``)
_TEMPLATE_DICTS = {
    "minutes_status_labels": MINUTES_STATUS_LABELS,
    "minutes_status_tones": MINUTES_STATUS_TONES,
    "adoption_mode_labels": ADOPTION_MODE_LABELS,
}


def register(app: Flask) -> None:
    """Give every template the label filters, ``meeting_when`` and the minutes' labels."""
    for name, labels in _LABEL_FILTERS.items():
        app.add_template_filter(_label_filter(labels), name)
    app.add_template_filter(meeting_when, "meeting_when")
    app.add_template_global(quorum_counts, "quorum_counts")
    app.context_processor(lambda: _TEMPLATE_DICTS)
