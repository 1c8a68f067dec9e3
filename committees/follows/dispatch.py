"""Fanning events out to followers, and weekly digests.

The fan-out renders each event's e-mail once per language and inserts the outbox rows in
batches (one INSERT of ``batch_size`` rows, then one commit that also moves the event's
cursor): a crash re-queues nothing and loses nothing. Followers are read in address order
and one address gets one e-mail per event, even if it follows both the committee and,
say, the calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import insert, select

from committees.common.timeutils import utcnow
from committees.common.urls import public_url
from committees.extensions import db
from committees.follows.labels import EVENT_LABELS
from committees.follows.models import Follower, FollowEvent, Frequency
from committees.mail.models import OutboxMessage
from committees.mail.secrets import mask_values
from committees.mail.services import message_id_domain

#: outbox rows per INSERT and per commit
BATCH_SIZE = 1000
#: placeholder of the follower's own token in the once-rendered body
_TOKEN = "FOLLOWTOKENPLACEHOLDER"  # noqa: S105 - a placeholder, not a secret
DIGEST_PERIOD = timedelta(days=7)


@dataclass
class DispatchReport:
    events: int = 0
    queued: int = 0

    def summary(self) -> str:
        return f"events {self.events}, e-mails queued {self.queued}"


def _unsubscribe_base() -> str:
    return public_url("follows.unsubscribe", token=_TOKEN)


def _render(template: str, locale: str, subject: str, **context) -> tuple[str, str, str]:
    """(subject, text, html) in ``locale``, with the token placeholder in the links."""
    with force_locale(locale):
        context["unsubscribe_url"] = _unsubscribe_base()
        subject = str(subject if isinstance(subject, str) else subject())
        text = render_template(f"mail/follows/{template}.txt", **context)
        # a complete document (mail/_base.html): lang, <title> and <h1> = the subject
        html = render_template(f"mail/follows/{template}.html", mail_subject=subject, **context)
        return subject, text, html


def _event_mail(event: FollowEvent, locale: str) -> tuple[str, str, str]:
    with force_locale(locale):
        label = str(EVENT_LABELS[event.kind])
    title = event.title(locale)
    return _render(
        "event",
        locale,
        f"{label} : {title}" if locale == "fr" else f"{label}: {title}",
        label=label,
        title=title,
        url=event.url,
    )


def _row(email: str, token: str, rendered: tuple[str, str, str], kind: str, now, domain):
    subject, text, html = rendered
    # The follower's token is a personal link: stored masked, put back at delivery.
    masked = mask_values({"token": token})
    marker = masked.markers["token"]
    return {
        "recipient": email,
        "subject": subject[:300],
        "body_text": text.replace(_TOKEN, marker),
        "body_html": html.replace(_TOKEN, marker),
        "kind": kind,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
        "message_id": make_msgid(domain=domain),
        "unsubscribe_url": public_url("follows.unsubscribe", token=marker),
        "sealed_secrets": masked.sealed(),
    }


def dispatch_pending(*, batch_size: int = BATCH_SIZE) -> DispatchReport:
    """Queue the e-mails of every pending event for its immediate followers, in batches.

    Commits after each batch. On PostgreSQL each batch locks its event row (``FOR UPDATE
    SKIP LOCKED``) and reads the cursor under that lock, so several ``flask send-mail``
    processes never queue the same batch twice; SQLite runs a single sender anyway.
    """
    report = DispatchReport()
    pending = (
        db.session.execute(
            select(FollowEvent.id)
            .where(FollowEvent.dispatched_at.is_(None))
            .order_by(FollowEvent.id)
        )
        .scalars()
        .all()
    )
    for event_id in pending:
        report.queued += _dispatch_event(event_id, batch_size)
        report.events += 1
    return report


def _locked_event(event_id: int) -> FollowEvent | None:
    """The pending event, locked for this process, read afresh; None if another process
    holds it or it is done."""
    db.session.expire_all()
    return db.session.execute(
        select(FollowEvent)
        .where(FollowEvent.id == event_id, FollowEvent.dispatched_at.is_(None))
        .with_for_update(skip_locked=True)
    ).scalar_one_or_none()


def _dispatch_event(event_id: int, batch_size: int) -> int:
    domain = message_id_domain()
    rendered: dict[str, tuple[str, str, str]] = {}
    queued = 0
    while True:
        event = _locked_event(event_id)
        if event is None:
            db.session.rollback()
            return queued
        now = utcnow()
        batch = db.session.execute(
            select(Follower.email, Follower.unsubscribe_token, Follower.locale)
            .where(
                Follower.scope.in_(event.scopes()),
                Follower.confirmed_at.is_not(None),
                Follower.confirmed_at <= event.occurred_at + timedelta(minutes=1),
                Follower.frequency == Frequency.IMMEDIATE.value,
                Follower.email > event.dispatched_through,
            )
            .order_by(Follower.email, Follower.id)
            .limit(batch_size)
        ).all()
        if not batch:
            event.dispatched_at = utcnow()
            db.session.commit()
            return queued
        rows, seen = [], set()
        for email, token, locale in batch:
            if email in seen:
                continue  # the same address through a second scope: one e-mail is enough
            seen.add(email)
            if locale not in rendered:
                rendered[locale] = _event_mail(event, locale)
            rows.append(_row(email, token, rendered[locale], f"follow_{event.kind}", now, domain))
        db.session.execute(insert(OutboxMessage), rows)
        event.dispatched_through = batch[-1].email
        db.session.commit()
        queued += len(rows)


def send_digests(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Queue the weekly digest of every weekly follower whose last one is a week old.

    A digest lists the events of its scope since the previous one; a follower with nothing
    new gets no e-mail, and their period moves on all the same. Returns e-mails queued.
    """
    now = now or utcnow()
    due = (Follower.frequency == Frequency.WEEKLY.value) & Follower.confirmed_at.is_not(None)
    due &= Follower.digest_until <= now - DIGEST_PERIOD
    queued, last_id, domain = 0, 0, message_id_domain()
    while True:
        followers = (
            db.session.execute(
                select(Follower)
                .where(due, Follower.id > last_id)
                .order_by(Follower.id)
                .limit(batch_size)
            )
            .scalars()
            .all()
        )
        if not followers:
            return queued
        since = min(f.digest_until for f in followers)
        recent = (
            db.session.execute(
                select(FollowEvent)
                .where(FollowEvent.occurred_at > since, FollowEvent.occurred_at <= now)
                .order_by(FollowEvent.occurred_at)
            )
            .scalars()
            .all()
        )
        rows = []
        for follower in followers:
            mine = [
                e
                for e in recent
                if e.occurred_at > follower.digest_until and follower.scope in e.scopes()
            ]
            follower.digest_until = now
            if mine:
                rows.append(_digest_row(follower, mine, now, domain))
        if rows:
            db.session.execute(insert(OutboxMessage), rows)
        last_id = followers[-1].id
        db.session.commit()
        queued += len(rows)


def _digest_row(follower: Follower, items: list[FollowEvent], now, domain) -> dict:
    locale = follower.locale
    with force_locale(locale):
        entries = [(str(EVENT_LABELS[e.kind]), e.title(locale), e.url) for e in items]
        subject = _("Les publications de la semaine sur les comités")
    rendered = _render("digest", locale, subject, entries=entries)
    return _row(follower.email, follower.unsubscribe_token, rendered, "follow_digest", now, domain)


def before_sending() -> str | None:
    """``flask send-mail``'s first step (registered from the domain's ``init_app``): fan the
    pending publication events out to their followers; a line to print if there were any."""
    dispatched = dispatch_pending()
    return f"Followers: {dispatched.summary()}" if dispatched.events else None
