"""session_pack: versions of agenda documents, packs built per member, what each was sent

Revision ID: 0020_session_pack
Revises: 0019_journeys
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_session_pack"
down_revision = "0019_journeys"
branch_labels = None
depends_on = None


def _meeting_and_mandate():
    return [
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("mandate_id", sa.Integer(), nullable=False),
    ]


def _meeting_and_mandate_keys(table):
    return [
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f(f"fk_{table}_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mandate_id"],
            ["mandates.id"],
            name=op.f(f"fk_{table}_mandate_id_mandates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("meeting_id", "mandate_id", name=f"uq_{table}_once"),
    ]


def _indexes(table):
    for column in ("meeting_id", "mandate_id"):
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade():
    with op.batch_alter_table("agenda_documents") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "agenda_document_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["agenda_documents.id"],
            name=op.f("fk_agenda_document_versions_document_id_agenda_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_document_versions")),
        sa.UniqueConstraint("document_id", "version", name="uq_agenda_document_versions_once"),
    )
    op.create_index(
        op.f("ix_agenda_document_versions_document_id"),
        "agenda_document_versions",
        ["document_id"],
        unique=False,
    )
    op.create_table(
        "pack_builds",
        sa.Column("id", sa.Integer(), nullable=False),
        *_meeting_and_mandate(),
        sa.Column("state_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'ready', 'failed')",
            name=op.f("ck_pack_builds_status_known"),
        ),
        *_meeting_and_mandate_keys("pack_builds"),
    )
    _indexes("pack_builds")
    op.create_table(
        "pack_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        *_meeting_and_mandate(),
        sa.Column("versions", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        *_meeting_and_mandate_keys("pack_deliveries"),
    )
    _indexes("pack_deliveries")


def downgrade():
    for table in ("pack_deliveries", "pack_builds"):
        for column in ("mandate_id", "meeting_id"):
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
    op.drop_index(
        op.f("ix_agenda_document_versions_document_id"), table_name="agenda_document_versions"
    )
    op.drop_table("agenda_document_versions")
    with op.batch_alter_table("agenda_documents") as batch:
        batch.drop_column("version")
