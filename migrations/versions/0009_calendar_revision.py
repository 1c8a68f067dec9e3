"""calendar revision: one counter of every change that feeds' validators read

Revision ID: 0009_calendar_revision
Revises: 0008_follow_comments
Create Date: 2026-12-04 05:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009_calendar_revision"
down_revision = "0008_follow_comments"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_revision")),
    )


def downgrade():
    op.drop_table("calendar_revision")
