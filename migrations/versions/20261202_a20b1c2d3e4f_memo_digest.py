"""An issued memo's digest (``hoering.memos.digest``): the memo page tells whether the
draft differs from it without building the whole memo. Memos issued before have none;
for them the page still compares the content hash of a memo it builds. The downgrade
drops it.

Revision ID: a20b1c2d3e4f
Revises: f19a0b1c2d3e
Create Date: 2026-12-02 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a20b1c2d3e4f'
down_revision = 'f19a0b1c2d3e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memo_issues') as batch_op:
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('memo_issues') as batch_op:
        batch_op.drop_column('digest')
