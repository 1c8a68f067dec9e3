"""calendar event pieces kept in the database

Each session's VEVENT bytes, per language and view, under the digest of what they were
written from, shared by every worker (issue 21). Derived data: never exported, emptied
by a restore; deleting a session deletes its pieces.

Revision ID: 0025_calendar_pieces
Revises: 0024_dashboard_counts
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025_calendar_pieces"
down_revision = "0024_dashboard_counts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_event_pieces",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_calendar_event_pieces_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "variant", name=op.f("pk_calendar_event_pieces")),
    )


def downgrade():
    op.drop_table("calendar_event_pieces")
