"""User accounts and roles."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from committees.common.models import TimestampMixin, UTCDateTime
from committees.extensions import db


class Role(StrEnum):
    """What an account is for; permissions derive from it (see permissions.py)."""

    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    MEMBER = "member"
    CONTRIBUTOR = "contributor"


def new_session_token() -> str:
    """A random identifier for the login session, changed with the password."""
    return secrets.token_urlsafe(24)


class User(UserMixin, TimestampMixin, db.Model):
    """A person who signs in: agency staff, committee member or stakeholder."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin', 'secretariat', 'member', 'contributor')",
            name="role_known",
        ),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: sign-in address, stored lower-cased so that uniqueness ignores case
    email: Mapped[str] = mapped_column(
        String(254),
        unique=True,
        nullable=False,
    )
    #: name shown in the interface and in e-mails
    full_name: Mapped[str] = mapped_column(
        String(200),
        nullable=False,
    )
    #: werkzeug scrypt hash; never the password itself
    password_hash: Mapped[str] = mapped_column(
        String(255),
        nullable=False,
    )
    #: one of Role
    role: Mapped[str] = mapped_column(
        String(20),
        nullable=False,
    )
    #: an inactive account cannot sign in; accounts are deactivated, not deleted
    is_enabled: Mapped[bool] = mapped_column(
        Boolean,
        default=True,
        nullable=False,
    )
    #: when the person proved they read this address (None: not yet)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )
    #: the person's language choice ('fr' or 'en'); None follows the browser
    locale: Mapped[str | None] = mapped_column(
        String(5),
    )
    #: identifies the login session; rotating it signs out every other session
    session_token: Mapped[str] = mapped_column(
        String(64),
        unique=True,
        default=new_session_token,
        nullable=False,
    )
    #: last successful sign-in
    last_login_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(),
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_enabled

    def get_id(self) -> str:
        return self.session_token

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
