"""Committee, Person, Mandate, InterestDeclaration and its links."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from committees.audit.mixins import Audited
from committees.common.models import TimestampMixin, UTCDateTime, in_enum
from committees.extensions import db

if TYPE_CHECKING:
    from committees.auth.models import User


class CommitteeKind(StrEnum):
    """The kinds of committees; room is left for others."""

    TEMPORARY = "temporary"  # comité scientifique temporaire (CST), has an end date
    PERMANENT = "permanent"  # comité scientifique permanent (CSP)
    SCIENTIFIC_COUNCIL = "scientific_council"
    INTERFACE = "interface"  # comité d'interface
    OTHER = "other"


class CommitteeStatus(StrEnum):
    """Derived from the dates, never stored."""

    UPCOMING = "upcoming"
    ACTIVE = "active"
    ENDED = "ended"


class MandateRole(StrEnum):
    """The role a person holds in a committee."""

    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    MEMBER = "member"
    PATIENT_REPRESENTATIVE = "patient_representative"
    INVITED_EXPERT = "invited_expert"  # never votes


#: Roles that vote unless the mandate says otherwise.
VOTING_ROLES = frozenset(
    {
        MandateRole.PRESIDENT,
        MandateRole.VICE_PRESIDENT,
        MandateRole.MEMBER,
        MandateRole.PATIENT_REPRESENTATIVE,
    }
)


class LinkKind(StrEnum):
    """Kinds of links of interest declared in a DPI."""

    EMPLOYMENT = "employment"
    CONSULTANCY = "consultancy"
    RESEARCH_FUNDING = "research_funding"
    FINANCIAL_HOLDING = "financial_holding"
    CLOSE_RELATIVE = "close_relative"
    OTHER = "other"


class Committee(Audited, TimestampMixin, db.Model):
    """A committee (instance): temporary, permanent, or another kind."""

    __tablename__ = "committees"
    __table_args__ = (
        CheckConstraint(in_enum("kind", CommitteeKind), name="kind_known"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint("quorum_percent > 0 AND quorum_percent <= 100", name="quorum_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: one of CommitteeKind
    kind: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: official name in French
    name_fr: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: name in English
    name_en: Mapped[str] = mapped_column(
        String(300),
        default="",
        nullable=False,
    )
    #: short name, e.g. « CST »
    acronym: Mapped[str] = mapped_column(
        String(40),
        default="",
        nullable=False,
    )
    #: address of the public page: /committees/<slug>
    slug: Mapped[str] = mapped_column(
        String(120),
        unique=True,
        nullable=False,
    )
    #: mission in Markdown (French), rendered safely
    mission_fr: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: mission in Markdown (English)
    mission_en: Mapped[str] = mapped_column(
        Text,
        default="",
        nullable=False,
    )
    #: the decision that created the committee
    creating_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL"),
    )
    #: first day of the committee
    start_date: Mapped[date] = mapped_column(
        Date,
        nullable=False,
    )
    #: last day, for temporary committees; extensions move it (history in decision_effects)
    end_date: Mapped[date | None] = mapped_column(
        Date,
    )
    #: how often it meets, in words (« mensuelle »)
    meeting_cadence: Mapped[str] = mapped_column(
        String(120),
        default="",
        nullable=False,
    )
    #: share of voting members needed for the quorum: strictly more than this percentage
    quorum_percent: Mapped[int] = mapped_column(
        Integer,
        default=50,
        nullable=False,
    )
    #: when the committee was made public; None keeps it off the public site
    published_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    # Named by string and left unannotated: decisions build on bodies, so bodies never
    # imports their model (not even for type checking).
    creating_decision = relationship(
        "Decision",
        foreign_keys=[creating_decision_id],
    )
    mandates: Mapped[list[Mandate]] = relationship(
        back_populates="committee",
        order_by="Mandate.start_date",
    )

    def status_on(self, day: date) -> CommitteeStatus:
        """Upcoming before its start, ended after its end date, active in between."""
        if day < self.start_date:
            return CommitteeStatus.UPCOMING
        if self.end_date is not None and day > self.end_date:
            return CommitteeStatus.ENDED
        return CommitteeStatus.ACTIVE

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_fr

    def mission(self, locale: str) -> str:
        return self.mission_en if locale == "en" and self.mission_en else self.mission_fr


class Person(Audited, TimestampMixin, db.Model):
    """Someone who sits or sat in a committee; may be linked to a member account."""

    __tablename__ = "persons"
    __table_args__ = (CheckConstraint("civility IN ('M.', 'Mme', '')", name="civility_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: « M. », « Mme » or empty
    civility: Mapped[str] = mapped_column(
        String(5),
        default="",
        nullable=False,
    )
    #: academic or medical title shown before the name (« Dr », « Pr »)
    title: Mapped[str] = mapped_column(
        String(20),
        default="",
        nullable=False,
    )
    #: given name
    first_name: Mapped[str] = mapped_column(
        String(100),
        nullable=False,
    )
    #: family name
    last_name: Mapped[str] = mapped_column(
        String(100),
        nullable=False,
    )
    #: private address for convocations; never shown publicly
    email: Mapped[str | None] = mapped_column(
        String(254),
        unique=True,
    )
    #: employer or institution
    affiliation: Mapped[str] = mapped_column(
        String(300),
        default="",
        nullable=False,
    )
    #: speciality or qualification
    qualification: Mapped[str] = mapped_column(
        String(300),
        default="",
        nullable=False,
    )
    #: the member account, once invited
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"),
        unique=True,
    )

    user: Mapped[User | None] = relationship()
    mandates: Mapped[list[Mandate]] = relationship(
        back_populates="person",
        order_by="Mandate.start_date",
    )
    declarations: Mapped[list[InterestDeclaration]] = relationship(
        back_populates="person",
        order_by="InterestDeclaration.declared_on.desc()",
        cascade="all, delete-orphan",
    )

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    @property
    def sort_name(self) -> str:
        return f"{self.last_name} {self.first_name}"


class Mandate(Audited, TimestampMixin, db.Model):
    """A person's role in a committee for a period; ended, never deleted."""

    __tablename__ = "mandates"
    __table_args__ = (
        CheckConstraint(in_enum("role", MandateRole), name="role_known"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint("NOT (role = 'invited_expert' AND voting)", name="experts_do_not_vote"),
        Index("ix_mandates_committee_period", "committee_id", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the person
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    )
    #: the committee
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committees.id", ondelete="RESTRICT"),
        nullable=False,
    )
    #: one of MandateRole
    role: Mapped[str] = mapped_column(
        String(30),
        nullable=False,
    )
    #: whether the holder votes (invited experts never do)
    voting: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        nullable=False,
    )
    #: first day of the mandate
    start_date: Mapped[date] = mapped_column(
        Date,
        nullable=False,
    )
    #: last day of the mandate; None while open-ended
    end_date: Mapped[date | None] = mapped_column(
        Date,
    )
    #: the decision that appointed the person
    appointing_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL"),
    )
    #: why the mandate ended early (resignation, end of committee...), if it did
    end_reason: Mapped[str] = mapped_column(
        String(300),
        default="",
        nullable=False,
    )

    person: Mapped[Person] = relationship(back_populates="mandates")
    committee: Mapped[Committee] = relationship(back_populates="mandates")
    # By string, unannotated: see Committee.creating_decision.
    appointing_decision = relationship("Decision")

    def is_current_on(self, day: date) -> bool:
        """Whether the mandate covers ``day`` (both ends included)."""
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class InterestDeclaration(Audited, TimestampMixin, db.Model):
    """A dated declaration of interests (DPI) of a person."""

    __tablename__ = "interest_declarations"
    # Whether a current member is cleared: one index probe per person (not_cleared_count).
    __table_args__ = (Index("ix_declarations_person_declared", "person_id", "declared_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: who declared
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: date of the declaration; a declaration counts for twelve months
    declared_on: Mapped[date] = mapped_column(
        Date,
        nullable=False,
    )
    #: address of the public declaration (the national DPI site)
    public_url: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )

    person: Mapped[Person] = relationship(back_populates="declarations")
    links: Mapped[list[InterestLink]] = relationship(
        back_populates="declaration",
        cascade="all, delete-orphan",
        order_by="InterestLink.id",
    )


class InterestLink(db.Model):
    """One declared link with an organisation."""

    __tablename__ = "interest_links"
    __table_args__ = (
        CheckConstraint(in_enum("kind", LinkKind), name="kind_known"),
        CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on",
            name="dates_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the declaration it belongs to
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("interest_declarations.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    )
    #: the organisation (company, association, learned society...)
    organisation: Mapped[str] = mapped_column(
        String(300),
        nullable=False,
    )
    #: one of LinkKind
    kind: Mapped[str] = mapped_column(
        String(30),
        nullable=False,
    )
    #: free details
    details: Mapped[str] = mapped_column(
        String(500),
        default="",
        nullable=False,
    )
    #: start of the link, if known
    started_on: Mapped[date | None] = mapped_column(
        Date,
    )
    #: end of the link; None if ongoing
    ended_on: Mapped[date | None] = mapped_column(
        Date,
    )

    declaration: Mapped[InterestDeclaration] = relationship(back_populates="links")
