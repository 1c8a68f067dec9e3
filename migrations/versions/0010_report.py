"""yearly activity reports of the committees (foreword and publication; figures are computed)

Revision ID: 0010_report
Revises: 0008_follow_comments
Create Date: 2026-12-04 05:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_report'
down_revision = "0009_calendar_revision"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('foreword', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('year BETWEEN 1900 AND 2999', name=op.f('ck_activity_reports_year_range')),
    sa.ForeignKeyConstraint(['committee_id'], ['committees.id'], name=op.f('fk_activity_reports_committee_id_committees'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_reports')),
    sa.UniqueConstraint('committee_id', 'year', name='uq_activity_reports_committee_year')
    )


def downgrade():
    op.drop_table('activity_reports')
