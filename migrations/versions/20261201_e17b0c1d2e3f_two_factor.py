"""Two-factor login: a user's authenticator app (its TOTP secret encrypted with the key
of the configuration, TOTP_ENCRYPTION_KEY, which the database never holds; the step of
the last code accepted, so that no code counts twice) and their recovery codes (SHA-256
only, each used once). Nobody has either before: the downgrade drops both, and the
users log in with their password alone again.

Revision ID: e17b0c1d2e3f
Revises: d17a0b1c2d3e
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa

from hoering.core.db import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'e17b0c1d2e3f'
down_revision = 'd17a0b1c2d3e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('two_factor_enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_encrypted', sa.String(length=500), nullable=False),
    sa.Column('enrolled_at', UTCDateTime(), nullable=False),
    sa.Column('last_used_step', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_two_factor_enrolments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_two_factor_enrolments')),
    sa.UniqueConstraint('user_id', name=op.f('uq_two_factor_enrolments_user_id'))
    )

    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('used_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    sa.UniqueConstraint('user_id', 'code_hash', name=op.f('uq_recovery_codes_user_id'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))
    op.drop_table('recovery_codes')
    op.drop_table('two_factor_enrolments')
