"""Sessions that end: users.session_version (part of every session's user id; raised by
logout, a new password, a changed role or active flag, and "Log ud på alle enheder"), and
form_stashes, what was typed into a form whose POST arrived after the session expired.

Existing sessions carry the bare user id, which the new loader refuses: everyone logs in
once more after the upgrade. The downgrade drops both (a stash is only kept for hours).

Revision ID: d6440d2328d1
Revises: b7e2c4d91a05
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6440d2328d1'
down_revision = 'b7e2c4d91a05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))

    op.create_table('form_stashes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.String(length=2000), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_stashes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_stashes')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_form_stashes_token_hash'))
    )
    with op.batch_alter_table('form_stashes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_stashes_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_stashes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('form_stashes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_stashes_user_id'))
        batch_op.drop_index(batch_op.f('ix_form_stashes_created_at'))

    op.drop_table('form_stashes')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
