"""The secretariat's pace: a remark can be assigned to a colleague (the inbox's "Mine
bemærkninger"), and staff keep standard replies, text blocks per disposition that are
inserted into a reply and then edited.

Revision ID: a16e0b1c2d3e
Revises: 7c4d1a2b9e60
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a16e0b1c2d3e'
down_revision = '7c4d1a2b9e60'
branch_labels = None
depends_on = None

DISPOSITIONS = ('incorporated', 'partly_incorporated', 'already_covered', 'not_incorporated',
                'attention_point', 'noted')


def upgrade():
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_remarks_assigned_to_id'), ['assigned_to_id'],
                              unique=False)
        batch_op.create_foreign_key(op.f('fk_remarks_assigned_to_id_users'),
                                    'users', ['assigned_to_id'], ['id'])

    op.create_table('standard_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('disposition', sa.Enum(*DISPOSITIONS, name='disposition', native_enum=False,
                                     create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                            name=op.f('fk_standard_replies_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_replies'))
    )


def downgrade():
    op.drop_table('standard_replies')
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_remarks_assigned_to_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_remarks_assigned_to_id'))
        batch_op.drop_column('assigned_to_id')
