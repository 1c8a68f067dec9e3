"""Comments of the participants on draft minutes, section by section, and their processing.

Who may comment: an expected participant of the session (a mandate in the committee covering
its day), while the draft is sent for comments and before its deadline, on any section of
the latest revision (opening, attendance, an agenda item, closing) but the items they
recused themselves from and the unplaced text. Who reads comments: whoever reads
the draft (``can_view_comments``), never the public, even once the minutes are published:
the adopted minutes only say how many were received and processed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.auth.permissions import Permission, has_permission
from committees.bodies.models import Mandate
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.minutes.sections import SECTION_LABELS, Section, sections_of
from committees.meetings.minutes.services import (
    SHOWN_TO_MEMBERS,
    MinutesError,
    is_secretariat,
    latest_revision,
)
from committees.meetings.models import (
    AgendaItem,
    Minutes,
    MinutesComment,
    MinutesSection,
    MinutesStatus,
    Recusal,
    RecusalStatus,
    SectionKind,
)
from committees.meetings.queries import member_mandate

#: longest comment accepted
MAX_COMMENT = 5000


def can_view_comments(minutes: Minutes | None, user: Any) -> bool:
    """The draft's rule without its public part: the secretariat always, the committee's
    members once the draft is sent to them; the public never."""
    if minutes is None:
        return False
    if is_secretariat(user):
        return True
    return (
        minutes.status in SHOWN_TO_MEMBERS
        and has_permission(user, Permission.MEMBER_AREA)
        and member_mandate(minutes.meeting, user) is not None
    )


def comments_open(minutes: Minutes, now: datetime | None = None) -> bool:
    """Whether the draft accepts comments now: sent for comments and before the deadline."""
    now = now or utcnow()
    return (
        minutes.status == MinutesStatus.SENT
        and minutes.comments_until is not None
        and now <= minutes.comments_until
    )


def recused_item_ids(minutes: Minutes, mandate_id: int) -> set[int]:
    """The items of the session on which this mandate recused itself (confirmed recusals)."""
    return set(
        db.session.execute(
            select(Recusal.item_id)
            .join(AgendaItem, AgendaItem.id == Recusal.item_id)
            .where(
                AgendaItem.meeting_id == minutes.meeting_id,
                Recusal.mandate_id == mandate_id,
                Recusal.status == RecusalStatus.CONFIRMED.value,
            )
        ).scalars()
    )


def commentable_sections(minutes: Minutes, user: Any) -> list[Section]:
    """The sections of the latest revision ``user`` may comment on now (empty when they
    may not comment at all)."""
    if not comments_open(minutes) or not has_permission(user, Permission.MEMBER_AREA):
        return []
    mandate = member_mandate(minutes.meeting, user)
    if mandate is None:
        return []
    excluded = recused_item_ids(minutes, mandate.id)
    return [
        section
        for section in sections_of(latest_revision(minutes))
        if section.row_id is not None
        and section.kind != SectionKind.UNPLACED
        and not (section.kind == SectionKind.ITEM and section.item is None)
        and (section.item is None or section.item.id not in excluded)
    ]


def add_comment(minutes: Minutes, user: Any, section_id: int | None, body: str) -> MinutesComment:
    """Record ``user``'s comment on a section of the latest revision (not committed)."""
    if not comments_open(minutes):
        raise MinutesError(_("Les observations sur ce projet de compte rendu sont closes."))
    mandate = member_mandate(minutes.meeting, user)
    if mandate is None or not has_permission(user, Permission.MEMBER_AREA):
        raise MinutesError(_("Seuls les participants attendus à la séance peuvent commenter."))
    latest = latest_revision(minutes)
    section = db.session.get(MinutesSection, section_id) if section_id else None
    if (
        section is None
        or section.revision_id != latest.id
        or section.kind == SectionKind.UNPLACED
        or (section.kind == SectionKind.ITEM and section.item_id is None)
    ):
        raise MinutesError(_("Choisissez une section du compte rendu."), field="section_id")
    if section.item_id is not None and section.item_id in recused_item_ids(minutes, mandate.id):
        raise MinutesError(
            _("Vous vous êtes déporté·e sur ce point : vous ne pouvez pas le commenter."),
            field="section_id",
        )
    text = (body or "").strip()
    if not text:
        raise MinutesError(_("Écrivez votre observation."), field="body")
    if len(text) > MAX_COMMENT:
        raise MinutesError(_("%(max)d caractères au plus.", max=MAX_COMMENT), field="body")
    comment = MinutesComment(
        minutes=minutes,
        item_id=section.item_id,
        section=section,
        mandate=mandate,
        author_id=user.id,
        revision_number=latest.number,
        body=text,
        created_at=utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def process_comment(
    comment: MinutesComment, *, answer: str | None, taken_in_revision: int | None
) -> None:
    """The secretariat answers a comment and/or marks it taken into account in a later
    revision of the text (not committed); at least one of the two is needed."""
    minutes = comment.minutes
    if minutes.status not in (MinutesStatus.DRAFT, MinutesStatus.SENT):
        raise MinutesError(_("Le compte rendu est adopté : les observations sont closes."))
    answer = (answer or "").strip() or None
    if answer is None and taken_in_revision is None:
        raise MinutesError(
            _("Répondez ou indiquez la version qui en tient compte."), field="answer"
        )
    if answer is not None and len(answer) > MAX_COMMENT:
        raise MinutesError(_("%(max)d caractères au plus.", max=MAX_COMMENT), field="answer")
    if taken_in_revision is not None:
        latest = latest_revision(minutes).number
        if not comment.revision_number < taken_in_revision <= latest:
            raise MinutesError(
                _(
                    "Choisissez une version postérieure à celle commentée (%(number)s).",
                    number=comment.revision_number,
                ),
                field="taken_in_revision",
            )
    comment.answer = answer
    comment.taken_in_revision = taken_in_revision
    comment.processed_at = utcnow()
    db.session.flush()


def comments_of(minutes: Minutes) -> list[MinutesComment]:
    """Every comment with its section and author's person, in order (three queries)."""
    return list(
        db.session.execute(
            select(MinutesComment)
            .where(MinutesComment.minutes_id == minutes.id)
            .options(
                selectinload(MinutesComment.item),
                selectinload(MinutesComment.section),
                selectinload(MinutesComment.mandate).selectinload(Mandate.person),
            )
            .order_by(MinutesComment.id)
        ).scalars()
    )


def comment_of(minutes: Minutes, comment_id: int) -> MinutesComment | None:
    """One comment of these minutes, or None."""
    comment = db.session.get(MinutesComment, comment_id)
    return comment if comment is not None and comment.minutes_id == minutes.id else None


def comment_heading(comment: MinutesComment) -> str:
    """What a comment is about: its item (position and title), else its section's name."""
    if comment.item is not None:
        return f"{comment.item.position}. {comment.item.title}"
    if comment.section is not None:
        return str(SECTION_LABELS.get(comment.section.kind, ""))
    return ""


@dataclass(frozen=True)
class CommentSummary:
    """What the adopted minutes say about the comments: counts, never their text."""

    received: int
    processed: int


def comment_summary(minutes: Minutes) -> CommentSummary:
    """How many comments were received and how many processed."""
    comments = minutes.comments
    return CommentSummary(len(comments), sum(1 for c in comments if c.processed_at))
