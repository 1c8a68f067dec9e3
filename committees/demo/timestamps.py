"""Give demo rows the dates they would have had: created and last updated when published.

The seed runs today, so without this every demo object would read « mis à jour le »
today. Only rows created after their own publication date are touched (rows the seed
wrote), which keeps the step idempotent.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, func, select, update

from committees.bodies.models import Committee
from committees.calls.models import Call, CallSynthesis, Contribution
from committees.decisions.models import Decision, DecisionEffect
from committees.extensions import db
from committees.meetings.models import Meeting
from committees.reports.models import ActivityReport


def settle_timestamps() -> None:
    """Backdate created_at/updated_at of the seeded decisions, committees, sessions, calls,
    contributions and reports."""
    db.session.flush()
    db.session.execute(
        update(Decision)
        .where(Decision.published_at.is_not(None), Decision.created_at > Decision.published_at)
        .values(created_at=Decision.published_at, updated_at=Decision.published_at)
        .execution_options(synchronize_session=False)
    )
    last_decision = (
        select(func.max(Decision.published_at))
        .join(DecisionEffect, DecisionEffect.decision_id == Decision.id)
        .where(DecisionEffect.committee_id == Committee.id)
        .scalar_subquery()
    )
    db.session.execute(
        update(Committee)
        .where(Committee.published_at.is_not(None), Committee.created_at > Committee.published_at)
        .values(
            created_at=Committee.published_at,
            updated_at=case(
                (last_decision > Committee.published_at, last_decision),
                else_=Committee.published_at,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    for meeting in db.session.execute(select(Meeting)).scalars().all():
        created = meeting.starts_at - timedelta(days=30)
        if meeting.created_at <= created:
            continue
        changed = meeting.agenda_published_at or created
        db.session.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id)
            .values(created_at=created, updated_at=max(created, changed))
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        update(Call)
        .where(Call.published_at.is_not(None), Call.created_at > Call.published_at)
        .values(created_at=Call.published_at, updated_at=Call.published_at)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(CallSynthesis)
        .where(
            CallSynthesis.published_at.is_not(None),
            CallSynthesis.created_at > CallSynthesis.published_at,
        )
        .values(created_at=CallSynthesis.published_at, updated_at=CallSynthesis.published_at)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Contribution)
        .where(Contribution.created_at > Contribution.submitted_at)
        .values(
            created_at=Contribution.submitted_at,
            updated_at=func.coalesce(Contribution.published_at, Contribution.submitted_at),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(ActivityReport)
        .where(
            ActivityReport.published_at.is_not(None),
            ActivityReport.created_at > ActivityReport.published_at,
        )
        .values(created_at=ActivityReport.published_at, updated_at=ActivityReport.published_at)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
