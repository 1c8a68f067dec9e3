"""actions_certificates: follow-up actions, experts' fee rates, a session's live broadcast link

Revision ID: 0022_actions_certificates
Revises: 0021_written_procedure
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0022_actions_certificates"
down_revision = "0021_written_procedure"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "follow_up_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("assignee_kind", sa.String(length=20), nullable=False),
        sa.Column("assignee_mandate_id", sa.Integer(), nullable=True),
        sa.Column("assignee_text", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "assignee_kind IN ('member', 'secretariat', 'service')",
            name=op.f("ck_follow_up_actions_assignee_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["assignee_mandate_id"],
            ["mandates.id"],
            name=op.f("fk_follow_up_actions_assignee_mandate_id_mandates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name=op.f("fk_follow_up_actions_item_id_agenda_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_follow_up_actions_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_actions")),
    )
    with op.batch_alter_table("follow_up_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_actions_assignee_mandate_id"), ["assignee_mandate_id"]
        )
        batch_op.create_index(batch_op.f("ix_follow_up_actions_item_id"), ["item_id"])
        batch_op.create_index(batch_op.f("ix_follow_up_actions_meeting_id"), ["meeting_id"])
    op.create_table(
        "fee_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('in_person', 'remote', 'half_day')", name=op.f("ck_fee_rates_kind_known")
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_fee_rates_amount_positive")),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committees.id"],
            name=op.f("fk_fee_rates_committee_id_committees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_rates")),
        sa.UniqueConstraint("committee_id", "kind", name="uq_fee_rates_committee_kind"),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("broadcast_link", sa.String(length=500), server_default="", nullable=False)
        )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.alter_column("broadcast_link", server_default=None)


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("broadcast_link")
    op.drop_table("fee_rates")
    with op.batch_alter_table("follow_up_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_actions_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_actions_item_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_actions_assignee_mandate_id"))
    op.drop_table("follow_up_actions")
