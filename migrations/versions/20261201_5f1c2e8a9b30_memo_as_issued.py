"""The memo as the secretary issues it: the municipality's settings (with its Word
template), every fixed text of the memo editable, the order of bodies and remarks, the
consultee list, and change links to a passage of the revised text.

Revision ID: 5f1c2e8a9b30
Revises: ea957d9d9626
Create Date: 2026-12-01 14:45:00

"""
from alembic import op
import sqlalchemy as sa

from hoering.core.db import UTCDateTime


# revision identifiers, used by Alembic.
revision = '5f1c2e8a9b30'
down_revision = 'ea957d9d9626'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'municipality_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('default_unit', sa.String(length=200), nullable=False),
        sa.Column('secretariat_email', sa.String(length=254), nullable=False),
        sa.Column('accessibility_url', sa.String(length=500), nullable=False),
        sa.Column('privacy_url', sa.String(length=500), nullable=False),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('logo_media_type', sa.String(length=50), nullable=False),
        sa.Column('word_template', sa.LargeBinary(), nullable=True),
        sa.Column('word_template_filename', sa.String(length=255), nullable=False),
        sa.Column('word_template_sha256', sa.String(length=64), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_municipality_settings_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_municipality_settings')),
    )
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=True))
    with op.batch_alter_table('consultees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('memo_position', sa.Integer(), nullable=True))
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('memo_position', sa.Integer(), nullable=True))
    with op.batch_alter_table('change_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('passage', sa.Text(), nullable=True))
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('memo_title', sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column('memo_responses_heading', sa.String(length=300),
                                      nullable=True))
        batch_op.add_column(sa.Column('memo_responses_intro', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('memo_part_headings', sa.JSON(), nullable=False,
                                      server_default='{}'))
        batch_op.add_column(sa.Column('memo_further_work_after', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('memo_consultee_list', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        for column in ('memo_part_headings', 'memo_further_work_after', 'memo_consultee_list'):
            batch_op.alter_column(column, server_default=None)


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('memo_consultee_list')
        batch_op.drop_column('memo_further_work_after')
        batch_op.drop_column('memo_part_headings')
        batch_op.drop_column('memo_responses_intro')
        batch_op.drop_column('memo_responses_heading')
        batch_op.drop_column('memo_title')
    with op.batch_alter_table('change_links', schema=None) as batch_op:
        batch_op.drop_column('passage')
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_column('memo_position')
    with op.batch_alter_table('consultees', schema=None) as batch_op:
        batch_op.drop_column('memo_position')
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_column('position')
    op.drop_table('municipality_settings')
