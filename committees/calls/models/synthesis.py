"""The synthesis of a closed call and the passages of contributions it quotes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.calls.models.call import Call
from committees.calls.models.contribution import Contribution
from committees.common.models import TimestampMixin, UTCDateTime
from committees.extensions import db


class CallSynthesis(Audited, TimestampMixin, db.Model):
    """The secretariat's synthesis of a closed call; its counts are never stored but
    computed from the contributions (``committees.calls.synthesis.services``)."""

    __tablename__ = "call_syntheses"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the call it sums up (one synthesis per call)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"),
        unique=True,
        nullable=False,
    )
    #: the text, Markdown, started from a generated skeleton
    body: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: when it was published (None: a draft the public does not see)
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    call: Mapped[Call] = relationship()
    excerpts: Mapped[list[SynthesisExcerpt]] = relationship(
        back_populates="synthesis",
        cascade="all, delete-orphan",
        order_by="SynthesisExcerpt.position",
    )


class SynthesisExcerpt(db.Model):
    """A passage of a contribution quoted in a synthesis (only with its authors' consent)."""

    __tablename__ = "synthesis_excerpts"
    __table_args__ = (
        UniqueConstraint("synthesis_id", "contribution_id", name="uq_synthesis_excerpts_quoted"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the synthesis
    synthesis_id: Mapped[int] = mapped_column(
        ForeignKey("call_syntheses.id", ondelete="CASCADE"),
        nullable=False,
    )
    #: the contribution quoted
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: the passage quoted
    excerpt: Mapped[str] = mapped_column(
        Text,
        nullable=False,
    )
    #: order in the synthesis, from 1
    position: Mapped[int] = mapped_column(
        Integer,
        nullable=False,
    )

    synthesis: Mapped[CallSynthesis] = relationship(back_populates="excerpts")
    contribution: Mapped[Contribution] = relationship()
