"""A policy's stage is no longer a column of its own: it is where the case's latest
decision left it (hoering.cases.queries.stage_of), so the policies table drops it.

Every change of the column went through a recorded decision, so nothing is lost; the
downgrade puts the column back and fills it from the latest decision of each policy.

Revision ID: a3c9e1f04b7d
Revises: 7d65b02fd365
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c9e1f04b7d'
down_revision = '7d65b02fd365'
branch_labels = None
depends_on = None

STAGES = ('drafting', 'approved_for_consultation', 'in_consultation', 'consultation_closed',
          'memo_issued', 'recommended', 'adopted', 'rejected')


def upgrade():
    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_policies_stage'), type_='check')
        batch_op.drop_column('stage')


def downgrade():
    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage', sa.Enum(*STAGES, name='stage', native_enum=False, create_constraint=True), nullable=False, server_default='drafting'))
    op.execute(
        "UPDATE policies SET stage = (SELECT d.to_stage FROM case_decisions d"
        " WHERE d.policy_id = policies.id ORDER BY d.id DESC LIMIT 1)"
        " WHERE EXISTS (SELECT 1 FROM case_decisions d WHERE d.policy_id = policies.id)"
    )
