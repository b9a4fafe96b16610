"""A user's language: the one they chose with the language switch while logged in. Their
e-mails are written in it and a login brings it back to the browser; empty (every user
before) means the municipality's language, as before. The downgrade drops it.

Revision ID: f19a0b1c2d3e
Revises: e17b0c1d2e3f
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f19a0b1c2d3e'
down_revision = 'e17b0c1d2e3f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('language')
