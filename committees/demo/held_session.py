"""What the demo's held session of March 2022 (CST Suivi) left: a confirmed recusal, a
named vote, and minutes completed, commented on, adopted and published."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from committees.common.timeutils import PARIS
from committees.demo.follows import seed_comment
from committees.extensions import db
from committees.meetings.conduct.services import (
    conflict_flags,
    decide_recusal,
    eligible_voters,
    record_vote,
)
from committees.meetings.minutes.sections import sections_of
from committees.meetings.minutes.services import (
    adopt,
    latest_revision,
    save_revision,
    start_minutes,
)
from committees.meetings.models import (
    AdoptionMode,
    BallotChoice,
    ItemKind,
    Meeting,
    MinutesStatus,
    RecusalStatus,
)


def seed_conduct(meeting: Meeting) -> None:
    """The held March 2022 session: a confirmed recusal and a named vote on item 2."""
    opinion_item = next(i for i in meeting.items if i.kind == ItemKind.OPINION)
    for flag in conflict_flags(meeting)[opinion_item.id]:
        if any("Phytopharma" in reason for reason in flag.reasons):
            decide_recusal(
                opinion_item,
                flag.mandate,
                RecusalStatus.CONFIRMED,
                "Lien déclaré avec le Laboratoire Phytopharma (activité de conseil 2019-2020).",
            )
    voters = eligible_voters(opinion_item)
    ballots = {m.id: BallotChoice.FOR for m in voters}
    if len(voters) > 2:
        ballots[voters[-1].id] = BallotChoice.ABSTAIN
    record_vote(
        opinion_item,
        opinion="Le comité rend un avis favorable à l'élargissement des critères d'inclusion en "
        "cancérologie, sous réserve d'un suivi renforcé des effets indésirables.",
        secret=False,
        ballots=ballots,
    )


def seed_minutes(meeting: Meeting, member_email: str) -> None:
    """Complete minutes of the held March 2022 session: prefilled, completed (with a comment
    of the member ``member_email``), adopted at the April session and published (history
    written directly: no e-mail is sent for 2022)."""
    if meeting.minutes is not None:
        return
    minutes = start_minutes(meeting, None)
    draft = latest_revision(minutes)
    debates = iter(
        [
            "Le comité prend acte du nombre d'inclusions et de la montée en charge des "
            "structures de référence.",
            "Après discussion, le comité estime que l'élargissement est justifié par les "
            "besoins exprimés par les oncologues, sous réserve d'un suivi renforcé.",
            "Les membres demandent un module de formation complémentaire pour les pharmaciens "
            "d'officine.",
            "Point examiné à huis clos.",
        ]
    )
    texts = {
        section.key: re.sub(
            r"\[à compléter\]", lambda _m: next(debates, "Sans observation."), section.body
        )
        for section in sections_of(draft)
        if "[à compléter]" in section.body
    }
    texts["closing"] = (
        "**Synthèse des débats.** "
        "Le comité a examiné les premières données de l'expérimentation : près de 1 500 patients "
        "inclus, 287 structures de référence volontaires. Les membres soulignent l'importance de "
        "la formation des professionnels de santé de ville et demandent un point régulier sur "
        "l'approvisionnement.\n"
    )
    save_revision(minutes, texts, draft.number, None, "Synthèse des débats ajoutée")
    minutes.status = MinutesStatus.SENT.value
    minutes.sent_at = meeting.ends_at + (meeting.ends_at - meeting.starts_at) * 40
    minutes.comments_until = minutes.sent_at + timedelta(days=10)
    seed_comment(meeting, member_email)
    following = db.session.execute(
        select(Meeting)
        .where(Meeting.committee_id == meeting.committee_id, Meeting.starts_at > meeting.starts_at)
        .order_by(Meeting.starts_at)
        .limit(1)
    ).scalar_one()
    adopt(minutes, following.starts_at.astimezone(PARIS).date(), AdoptionMode.SESSION, following)
    minutes.status = MinutesStatus.PUBLISHED.value
    minutes.published_at = following.ends_at + (following.ends_at - following.starts_at) * 56
    db.session.flush()
