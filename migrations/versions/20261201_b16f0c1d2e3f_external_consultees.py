"""Every kind of consultee: more body types (school and daycare boards, unions and
organisations, associations, local councils, self-governing institutions, other), a contact
e-mail on a body (an external consultee without accounts), and access_tokens, the one table
of unguessable links (a consultee's personal link; invitations and password resets later):
only the SHA-256 of a token is stored, never the token (none while the token is reserved
for an e-mail not yet sent).

The downgrade turns the new body types back into "council" (the nearest older type) and
drops the contact e-mails and every token.

Revision ID: b16f0c1d2e3f
Revises: a16e0b1c2d3e
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b16f0c1d2e3f'
down_revision = 'a16e0b1c2d3e'
branch_labels = None
depends_on = None

OLD_KINDS = ('committee', 'council', 'works_council', 'city_council')
NEW_KINDS = OLD_KINDS + ('school_board', 'union', 'association', 'local_council',
                         'self_governing_institution', 'other')
PURPOSES = ('consultee_link', 'invitation', 'password_reset')


def _kinds_check(kinds):
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def _set_body_kinds(kinds, old_length):
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_bodies_bodykind'), type_='check')
        batch_op.alter_column('kind', existing_type=sa.String(length=old_length),
                              type_=sa.String(length=max(len(kind) for kind in kinds)),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_bodies_bodykind'), _kinds_check(kinds))


def upgrade():
    _set_body_kinds(NEW_KINDS, max(len(kind) for kind in OLD_KINDS))
    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))

    op.create_table('access_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum(*PURPOSES, name='tokenpurpose', native_enum=False,
                                 create_constraint=True), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('body_id', sa.Integer(), nullable=True),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("purpose <> 'consultee_link' OR "
                       "(body_id IS NOT NULL AND consultation_id IS NOT NULL)",
                       name=op.f('ck_access_tokens_consultee_link_subjects')),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'],
                            name=op.f('fk_access_tokens_body_id_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                            name=op.f('fk_access_tokens_consultation_id_consultations'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_access_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_access_tokens_token_hash'))
    )
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_tokens_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_tokens_consultation_id'),
                              ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_tokens_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_tokens_user_id'))
        batch_op.drop_index(batch_op.f('ix_access_tokens_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_access_tokens_body_id'))
    op.drop_table('access_tokens')

    with op.batch_alter_table('bodies', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
    # built from this file's constants only
    op.execute(f"UPDATE bodies SET kind = 'council' WHERE NOT {_kinds_check(OLD_KINDS)}")  # noqa: S608
    _set_body_kinds(OLD_KINDS, max(len(kind) for kind in NEW_KINDS))
