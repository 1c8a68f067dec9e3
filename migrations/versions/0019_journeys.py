"""journeys (issue 20): a call closed before its deadline keeps when and why, so that its
pages and synthesis give the actual closing date and the contributors are told the reason;
a hearing may be recorded as « not held » once its session is over.

Calls closed before this revision keep no date: their pages show their deadline as before.
Downgrading turns « not held » hearings back into « confirmed ».

Revision ID: 0019_journeys
Revises: 0018_reminders
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0019_journeys"
down_revision = "0018_reminders"
branch_labels = None
depends_on = None


_OLD_STATUSES = "status IN ('invited', 'confirmed', 'heard', 'declined')"
_NEW_STATUSES = "status IN ('invited', 'confirmed', 'heard', 'declined', 'not_held')"


def _hearing_statuses(condition: str) -> None:
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_hearings_status_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_hearings_status_known"), condition)


def upgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_early_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closing_reason", sa.Text(), nullable=True))
    _hearing_statuses(_NEW_STATUSES)


def downgrade():
    op.execute("UPDATE hearings SET status = 'confirmed' WHERE status = 'not_held'")
    _hearing_statuses(_OLD_STATUSES)
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("closing_reason")
        batch_op.drop_column("closed_early_at")
