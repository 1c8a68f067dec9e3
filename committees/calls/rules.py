"""Rules about calls, each in one place: whether a call is open, SIREN numbers, receipts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext

from committees.calls.models import Call, CallStatus
from committees.common.timeutils import to_paris, utcnow

#: statuses the public sees (a draft is the secretariat's alone)
PUBLIC_STATUSES = (CallStatus.PUBLISHED.value, CallStatus.CLOSED.value)

#: kinds of files a call may accept
FILE_KINDS = ("pdf", "odt", "docx")

_SIREN = re.compile(r"\d{9}")


class CallError(ValueError):
    """A rule about calls or contributions was broken; the message is for the person.

    ``field`` names the form field the message belongs beside (None: the whole form).
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def is_public(call: Call) -> bool:
    """Whether the public may see the call (published or closed, never a draft)."""
    return call.status in PUBLIC_STATUSES


def is_open(call: Call, now: datetime | None = None) -> bool:
    """Whether the call accepts contributions at ``now`` (the server's clock by default).

    Open means published, opened, and strictly before the closing instant: at the
    closing second itself nothing is accepted any more.
    """
    now = now or utcnow()
    return call.status == CallStatus.PUBLISHED.value and call.opens_at <= now < call.closes_at


def is_upcoming(call: Call, now: datetime | None = None) -> bool:
    """Whether the call is published but not opened yet."""
    now = now or utcnow()
    return call.status == CallStatus.PUBLISHED.value and now < call.opens_at


def is_past(call: Call, now: datetime | None = None) -> bool:
    """Whether the call no longer accepts contributions (closed, or its deadline passed)."""
    now = now or utcnow()
    return call.status == CallStatus.CLOSED.value or now >= call.closes_at


def actual_close(call: Call) -> datetime:
    """When the call stopped (or stops) accepting contributions: the early closing, if
    any, else the deadline. Pages and the synthesis give this date."""
    return call.closed_early_at if call.closed_early else call.closes_at


def paris_date_time(value: datetime) -> tuple[str, str]:
    """A UTC instant as Paris day and time, « 20/04/2022 » and « 23:59 »."""
    local = to_paris(value)
    return local.strftime("%d/%m/%Y"), local.strftime("%H:%M")


def ensure_open(call: Call, now: datetime | None = None) -> None:
    """Refuse, with the deadline or the opening in Paris time, when the call is not open."""
    now = now or utcnow()
    if is_open(call, now):
        return
    if is_upcoming(call, now):
        day, time = paris_date_time(call.opens_at)
        raise CallError(
            _(
                "L'appel n'est pas encore ouvert : il ouvre le %(date)s à %(time)s "
                "(heure de Paris).",
                date=day,
                time=time,
            )
        )
    day, time = paris_date_time(call.closes_at)
    raise CallError(
        _("L'appel est clos depuis le %(date)s à %(time)s (heure de Paris).", date=day, time=time)
    )


def time_left(call: Call, now: datetime | None = None) -> timedelta | None:
    """How long the call stays open, or None when it is not open."""
    now = now or utcnow()
    return call.closes_at - now if is_open(call, now) else None


def time_left_changes_at(left: timedelta, now: datetime) -> datetime:
    """When ``time_left_text(left)`` at ``now`` says something else: at the next whole
    hour of what is left while days remain (days and hours are shown), else at the next
    whole minute."""
    minutes = int(left.total_seconds()) // 60
    shown = minutes - minutes % 60 if minutes >= 24 * 60 else minutes
    return now + left - timedelta(minutes=shown)


def time_left_text(left: timedelta) -> str:
    """« Il reste 3 jours et 4 heures », « Il reste 5 heures et 2 minutes »..."""
    minutes_total = int(left.total_seconds()) // 60
    days, rest = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    day_text = ngettext("%(num)d jour", "%(num)d jours", days)
    hour_text = ngettext("%(num)d heure", "%(num)d heures", hours)
    minute_text = ngettext("%(num)d minute", "%(num)d minutes", minutes)
    if days:
        if hours:
            return _("Il reste %(first)s et %(second)s", first=day_text, second=hour_text)
        return _("Il reste %(first)s", first=day_text)
    if hours:
        if minutes:
            return _("Il reste %(first)s et %(second)s", first=hour_text, second=minute_text)
        return _("Il reste %(first)s", first=hour_text)
    if minutes:
        return _("Il reste %(first)s", first=minute_text)
    return _("Il reste moins d'une minute")


def siren_is_valid(value: str) -> bool:
    """Whether ``value`` is a SIREN: 9 digits whose Luhn check digit is right.

    732829320 is valid, 732829321 is not.
    """
    if not _SIREN.fullmatch(value or ""):
        return False
    total = 0
    # Luhn: from the right, every second digit is doubled (minus 9 past 9).
    for position, char in enumerate(reversed(value)):
        digit = int(char)
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def clean_siren(value: str | None) -> str | None:
    """A SIREN typed with spaces or dots, as its 9 digits; None when left blank.

    Raises CallError (beside the SIREN field) when the number is malformed or its
    check digit is wrong.
    """
    raw = (value or "").strip()
    if not raw:
        return None
    digits = re.sub(r"[\s.\u00a0-]", "", raw)
    if not _SIREN.fullmatch(digits):
        raise CallError(_("Le numéro SIREN compte exactement 9 chiffres."), field="siren")
    if not siren_is_valid(digits):
        raise CallError(
            _(
                "Le numéro SIREN %(siren)s n'est pas valide (chiffre de contrôle erroné).",
                siren=digits,
            ),
            field="siren",
        )
    return digits


def format_receipt(reference: str, number: int) -> str:
    """The receipt shown to the contributor: « AMI-2022 » and 42 give AMI-2022-0042."""
    return f"{reference}-{number:04d}"


def call_themes(call: Call) -> list[str]:
    """The call's themes, one per non-blank line, in order, without duplicates."""
    themes: list[str] = []
    for line in (call.themes or "").splitlines():
        theme = line.strip()
        if theme and theme not in themes:
            themes.append(theme)
    return themes


def allowed_kinds(call: Call) -> list[str]:
    """The kinds of files the call accepts (pdf, odt, docx), in a stable order."""
    named = {part.strip().lower() for part in (call.allowed_types or "").split(",")}
    return [kind for kind in FILE_KINDS if kind in named]
