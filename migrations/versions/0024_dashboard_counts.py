"""indexes for the secretariat dashboard counts and contributions review

Revision ID: 0024_dashboard_counts
Revises: 0023_publication_revision

The secretariat's dashboard counts the current members not cleared with one NOT EXISTS
probe per person on (person_id, declared_on), and lists the next sessions by a range seek
on meetings.ends_at.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0024_dashboard_counts"
down_revision = "0023_publication_revision"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("interest_declarations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_declarations_person_declared",
            ["person_id", "declared_on"],
            unique=False,
        )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_ends_at", ["ends_at"], unique=False)


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_ends_at")
    with op.batch_alter_table("interest_declarations", schema=None) as batch_op:
        batch_op.drop_index("ix_declarations_person_declared")
