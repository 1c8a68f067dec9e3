"""Small builders of published and unpublished objects for the portal tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from committees.bodies.models import Committee, CommitteeKind
from committees.common.timeutils import utcnow
from committees.decisions.models import Decision, DecisionEffect, DecisionKind, EffectAction
from committees.extensions import db
from committees.meetings.models import (
    AgendaItem,
    ItemKind,
    Meeting,
    Minutes,
    MinutesRevision,
    MinutesSection,
    MinutesStatus,
    SectionKind,
)

PUBLISHED = datetime(2022, 2, 18, 9, 30, tzinfo=UTC)


def committee(name="Culture en France du cannabis à usage médical", slug="culture", **fields):
    row = Committee(
        kind=fields.pop("kind", CommitteeKind.TEMPORARY.value),
        name_fr=name,
        slug=slug,
        start_date=fields.pop("start_date", date(2021, 8, 2)),
        published_at=fields.pop("published_at", PUBLISHED),
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def decision(number, title, *, concerns=None, published_at=PUBLISHED, **fields):
    year = int(number.split("-")[0])
    row = Decision(
        number=number,
        title=title,
        kind=fields.pop("kind", DecisionKind.OTHER.value),
        signed_on=fields.pop("signed_on", date(year, 2, 17)),
        published_at=published_at,
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    if concerns is not None:
        db.session.add(
            DecisionEffect(
                decision=row, action=EffectAction.CONCERNS.value, committee_id=concerns.id
            )
        )
    return row


def meeting(owner, title, *, starts_at=None, agenda=(), agenda_published=True, **fields):
    start = starts_at or utcnow() + timedelta(days=10)
    row = Meeting(
        committee=owner,
        number=fields.pop("number", 1),
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        agenda_published_at=PUBLISHED if agenda_published else None,
        **fields,
    )
    db.session.add(row)
    for position, (item_title, public) in enumerate(agenda, start=1):
        db.session.add(
            AgendaItem(
                meeting=row,
                position=position,
                title=item_title,
                kind=ItemKind.DISCUSSION.value,
                is_public=public,
            )
        )
    db.session.flush()
    return row


def minutes(of, body, *, published=True):
    row = Minutes(
        meeting=of,
        status=(MinutesStatus.PUBLISHED if published else MinutesStatus.DRAFT).value,
        published_at=PUBLISHED if published else None,
    )
    opening = MinutesSection(kind=SectionKind.OPENING.value, body=body)
    row.revisions = [MinutesRevision(number=1, created_at=PUBLISHED, sections=[opening])]
    db.session.add(row)
    db.session.flush()
    return row
