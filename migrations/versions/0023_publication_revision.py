"""publication revision: the row the public pages' cache is kept under

Revision ID: 0023_publication_revision
Revises: 0022_actions_certificates
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0023_publication_revision"
down_revision = "0022_actions_certificates"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "publication_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_revision")),
    )


def downgrade():
    op.drop_table("publication_revision")
