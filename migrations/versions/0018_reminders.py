"""reminders: the reminders sent and the opt-outs; the dashboard's last visits

Revision ID: 0018_reminders
Revises: 0015_line_fields
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0018_reminders"
down_revision = "0015_line_fields"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_reminders")),
        sa.UniqueConstraint(
            "kind", "target_id", "recipient", "due_on", name="uq_sent_reminders_once"
        ),
    )
    op.create_table(
        "reminder_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reminder_opt_outs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_opt_outs")),
        sa.UniqueConstraint("user_id", "kind", name="uq_reminder_opt_outs_user_kind"),
    )
    op.create_table(
        "dashboard_visits",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("previous_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_dashboard_visits_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_dashboard_visits")),
    )


def downgrade():
    op.drop_table("dashboard_visits")
    op.drop_table("reminder_opt_outs")
    op.drop_table("sent_reminders")
