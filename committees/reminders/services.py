"""Sending the reminders due on a day, once, and each person's opt-outs.

``run_reminders(today)`` gathers what is due (``due``), drops what was already sent
(the ``sent_reminders`` table) and what the recipient turned off, puts the e-mails in the
outbox, records them, and commits: e-mails and records go together or not at all, so that a
second run the same day (or a run that failed half-way) sends each reminder once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from committees.auth.models import User
from committees.extensions import db
from committees.mail.services import queue_email
from committees.reminders import due as dues
from committees.reminders.due import Due, Recipient
from committees.reminders.kinds import DIGESTS, ENDINGS_DAYS, OBLIGATIONS, Kind
from committees.reminders.models import ReminderOptOut, SentReminder
from committees.templating import paris_date

#: how far back a reminder may have been due and still be sent (the longest window)
LOOKBACK_DAYS = ENDINGS_DAYS + 1


def due_on(today: date) -> list[Due]:
    """Every reminder due on ``today`` (Paris day), sent or not."""
    secretariat = dues.secretariat_recipients()
    return [
        *dues.declaration_dues(today, secretariat),
        *dues.convocation_dues(today),
        *dues.session_dues(today),
        *dues.minutes_dues(today),
        *dues.procedure_dues(today),
        *dues.endings_dues(today, secretariat),
    ]


def _already_sent(today: date) -> set[tuple[str, int, str, date]]:
    rows = db.session.execute(
        select(
            SentReminder.kind, SentReminder.target_id, SentReminder.recipient, SentReminder.due_on
        ).where(SentReminder.due_on >= today - timedelta(days=LOOKBACK_DAYS))
    ).all()
    return {tuple(row) for row in rows}


def _opted_out() -> set[tuple[int, str]]:
    return set(db.session.execute(select(ReminderOptOut.user_id, ReminderOptOut.kind)).all())


def pending(today: date) -> list[Due]:
    """The reminders to send on ``today``: due, not sent yet, not turned off."""
    sent = _already_sent(today)
    opted = _opted_out()
    return [
        item
        for item in due_on(today)
        if item.key not in sent
        and (item.kind in OBLIGATIONS or (item.recipient.user_id, item.kind.value) not in opted)
    ]


def run_reminders(today: date) -> Counter:
    """Queue every pending reminder of ``today`` and record it; commits. Returns the number
    of e-mails queued per kind (a digest counts once per recipient)."""
    items = pending(today)
    queued: Counter = Counter()
    singles = [i for i in items if i.kind not in DIGESTS]
    for item in singles:
        _queue_single(item)
        queued[item.kind.value] += 1
    digests: dict[tuple[Kind, str], list[Due]] = defaultdict(list)
    for item in items:
        if item.kind in DIGESTS:
            digests[(item.kind, item.recipient.address)].append(item)
    for (kind, _address), group in digests.items():
        _queue_digest(kind, group[0].recipient, group, today)
        queued[kind.value] += 1
    _record(items)
    try:
        db.session.commit()
    except IntegrityError:
        # Another run recorded the same reminders meanwhile: it sent them, this one sends none.
        db.session.rollback()
        return Counter()
    return queued


def _record(items: Iterable[Due]) -> None:
    seen = set()
    for item in items:
        if item.key in seen:
            continue
        seen.add(item.key)
        db.session.add(
            SentReminder(
                kind=item.kind.value,
                target_id=item.target_id,
                recipient=item.recipient.address,
                due_on=item.due_on,
            )
        )


def _queue_single(item: Due) -> None:
    recipient = item.recipient
    context = item.context
    subjects = {
        Kind.DECLARATION: lambda: _(
            "Votre déclaration d'intérêts arrive à échéance le %(day)s",
            day=_date(context["valid_until"]),
        ),
        Kind.CONVOCATION: lambda: _(
            "Rappel : répondez à la convocation « %(title)s »", title=context["meeting"].title
        ),
        Kind.SESSION: lambda: _(
            "Rappel : séance du %(day)s — %(committee)s",
            day=_date(context["meeting"].starts_at),
            committee=context["meeting"].committee.name_fr,
        ),
        Kind.MINUTES_COMMENTS: lambda: _(
            "Observations sur le projet de compte rendu : jusqu'au %(day)s",
            day=_date(context["deadline"]),
        ),
        Kind.PROCEDURE: lambda: _(
            "Rappel : consultation écrite « %(title)s » jusqu'au %(day)s",
            title=context["procedure"].title,
            day=_date(context["procedure"].deadline),
        ),
    }
    queue_email(
        recipient.address,
        subjects[item.kind],
        f"reminders/{item.kind.value}",
        locale=recipient.locale,
        kind=f"reminder_{item.kind.value}",
        name=recipient.name,
        **context,
    )


def _queue_digest(kind: Kind, recipient: Recipient, group: list[Due], today: date) -> None:
    subjects = {
        Kind.DECLARATIONS_DIGEST: lambda: _("Déclarations d'intérêts à renouveler"),
        Kind.ENDINGS_DIGEST: lambda: _("Mandats et comités arrivant à échéance"),
    }
    entries = sorted(
        (item.context for item in group),
        key=lambda c: (c.get("valid_until") or c.get("ends_on"), str(c.get("person", ""))),
    )
    queue_email(
        recipient.address,
        subjects[kind],
        f"reminders/{kind.value}",
        locale=recipient.locale,
        kind=f"reminder_{kind.value}",
        name=recipient.name,
        entries=entries,
        today=today,
    )


def _date(value) -> str:
    return paris_date(value)


# --- opt-outs -------------------------------------------------------------------------


def opted_out_kinds(user: User) -> set[str]:
    """The kinds of reminder ``user`` turned off."""
    return set(
        db.session.execute(
            select(ReminderOptOut.kind).where(ReminderOptOut.user_id == user.id)
        ).scalars()
    )


def set_preferences(user: User, offered: Iterable[Kind], wanted: Iterable[str]) -> None:
    """Keep the reminders of ``offered`` that are in ``wanted`` and turn off the others
    (obligations are never turned off). Flushes; the caller commits."""
    offered = [k for k in offered if k not in OBLIGATIONS]
    wanted = set(wanted)
    off = {k.value for k in offered if k.value not in wanted}
    db.session.execute(
        delete(ReminderOptOut).where(
            ReminderOptOut.user_id == user.id,
            ReminderOptOut.kind.in_([k.value for k in offered]),
        )
    )
    for kind in sorted(off):
        db.session.add(ReminderOptOut(user_id=user.id, kind=kind))
    db.session.flush()
