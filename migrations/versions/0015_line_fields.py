"""line_fields: each attendance keeps its last convocation e-mail, so that the
convocations page shows one that failed for good, and why (issue 19, row 5).

Convocations queued before this revision are not linked (their page shows « — »).

Revision ID: 0015_line_fields
Revises: 0013_outbox_secrets
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_line_fields"
down_revision = "0013_outbox_secrets"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("convocation_message_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_attendances_convocation_message_id"),
            ["convocation_message_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_attendances_convocation_message_id_outbox_messages"),
            "outbox_messages",
            ["convocation_message_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_attendances_convocation_message_id_outbox_messages"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_attendances_convocation_message_id"))
        batch_op.drop_column("convocation_message_id")
