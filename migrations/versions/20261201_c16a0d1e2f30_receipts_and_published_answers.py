"""Receipts and published answers: the consultation's responsible staff member (who gets
the receipts, defaulting to its creator; existing ones get the creator the audit trail
names), when its answers ("Det sagde I – det gjorde vi") were published, and the
secretariat's decision (mask or keep) on each piece of personal data found in a text to
publish, by the text's digest and the finding's place in it; the texts never change.

Revision ID: c16a0d1e2f30
Revises: b16f0c1d2e3f
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c16a0d1e2f30'
down_revision = 'b16f0c1d2e3f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('responsible_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answers_published_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consultations_responsible_id_users'),
                                    'users', ['responsible_id'], ['id'], ondelete='SET NULL')
    # existing consultations: their creator, as the audit trail recorded it
    op.execute(
        "UPDATE consultations SET responsible_id = (SELECT audit_events.actor_id "
        "FROM audit_events WHERE audit_events.action = 'consultation:create' "
        "AND audit_events.object_type = 'consultation' "
        "AND audit_events.object_id = consultations.id "
        "ORDER BY audit_events.id LIMIT 1)"
    )

    op.create_table(
        'masking_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('remark_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.Enum('original', 'wording', 'reply', name='maskedfield',
                                   native_enum=False, create_constraint=True), nullable=False),
        sa.Column('text_digest', sa.String(length=64), nullable=False),
        sa.Column('start_offset', sa.Integer(), nullable=False),
        sa.Column('end_offset', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('cpr', 'phone', 'email', name='personaldatakind',
                                  native_enum=False, create_constraint=True), nullable=False),
        sa.Column('decision', sa.Enum('mask', 'keep', name='maskingchoice',
                                      native_enum=False, create_constraint=True),
                  nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('start_offset >= 0 AND end_offset > start_offset',
                           name=op.f('ck_masking_decisions_span')),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                                name=op.f('fk_masking_decisions_consultation_id_consultations'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['remark_id'], ['remarks.id'],
                                name=op.f('fk_masking_decisions_remark_id_remarks'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'],
                                name=op.f('fk_masking_decisions_decided_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_masking_decisions')),
        sa.UniqueConstraint('remark_id', 'field', 'text_digest', 'start_offset',
                            name=op.f('uq_masking_decisions_remark_id')),
    )
    with op.batch_alter_table('masking_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_masking_decisions_consultation_id'),
                              ['consultation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('masking_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_masking_decisions_consultation_id'))
    op.drop_table('masking_decisions')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consultations_responsible_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('answers_published_at')
        batch_op.drop_column('responsible_id')
