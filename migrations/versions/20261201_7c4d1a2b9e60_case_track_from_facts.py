"""The case track follows itself: a policy's stage is derived from its political
decisions and the facts of its consultations and memos (hoering.cases.stages.follow), so
decisions no longer store the stages they moved between. A consultee may have a later
deadline of its own, and its status is derived from its body's response. Decisions can be withdrawn (with
a reason, kept in the history) and corrected; an adopting decision names its version.

The decisions that only recorded facts the app knows by itself (sendt i høring, høringen
afsluttet, notat udstedt) are withdrawn, not deleted: they stay in the history.

Revision ID: 7c4d1a2b9e60
Revises: 5f1c2e8a9b30
Create Date: 2026-12-01 15:20:00

"""
from alembic import op
import sqlalchemy as sa

from hoering.core.db import UTCDateTime


# revision identifiers, used by Alembic.
revision = '7c4d1a2b9e60'
down_revision = '5f1c2e8a9b30'
branch_labels = None
depends_on = None

STAGES = ('drafting', 'approved_for_consultation', 'in_consultation', 'consultation_closed',
          'memo_issued', 'recommended', 'adopted', 'rejected')
REASON = ("Afledes nu af høringens og notatets egne oplysninger; "
          "kun politiske beslutninger registreres.")


def upgrade():
    with op.batch_alter_table('case_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('corrects_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_case_decisions_version_id_policy_versions'),
                                    'policy_versions', ['version_id'], ['id'])
        batch_op.create_foreign_key(op.f('fk_case_decisions_withdrawn_by_id_users'),
                                    'users', ['withdrawn_by_id'], ['id'])
        batch_op.create_foreign_key(op.f('fk_case_decisions_corrects_id_case_decisions'),
                                    'case_decisions', ['corrects_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_case_decisions_from_stage'), type_='check')
        batch_op.drop_constraint(op.f('ck_case_decisions_to_stage'), type_='check')
        batch_op.drop_column('from_stage')
        batch_op.drop_column('to_stage')
    with op.batch_alter_table('case_decisions', schema=None) as batch_op:
        batch_op.alter_column('withdrawal_reason', server_default=None)
    with op.batch_alter_table('consultees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline', UTCDateTime(), nullable=True))
        # a consultee's status is derived from its body's response from now on
        batch_op.drop_constraint(op.f('ck_consultees_consulteestatus'), type_='check')
        batch_op.drop_column('status')
    op.execute(sa.text(
        "UPDATE case_decisions SET withdrawn_at = CURRENT_TIMESTAMP, withdrawal_reason = :reason "
        "WHERE action IN ('start_consultation', 'close_consultation', 'issue_memo')"
    ).bindparams(reason=REASON))
    # an adoption names the policy's latest version when it was recorded
    op.execute(
        "UPDATE case_decisions SET version_id = (SELECT v.id FROM policy_versions v "
        "WHERE v.policy_id = case_decisions.policy_id AND v.created_at <= case_decisions.created_at "
        "ORDER BY v.number DESC LIMIT 1) WHERE action = 'adopt'"
    )


def downgrade():
    with op.batch_alter_table('consultees', schema=None) as batch_op:
        batch_op.drop_column('deadline')
        batch_op.add_column(sa.Column(
            'status', sa.Enum('invited', 'responded', 'declined', name='consulteestatus',
                              native_enum=False, create_constraint=True),
            nullable=False, server_default='invited'))
    op.execute(
        "UPDATE consultees SET status = COALESCE((SELECT CASE WHEN r.no_remarks THEN "
        "'declined' ELSE 'responded' END FROM responses r WHERE r.consultation_id = "
        "consultees.consultation_id AND r.body_id = consultees.body_id AND r.submitted_at "
        "IS NOT NULL), 'invited')")
    stage = sa.Enum(*STAGES, name='from_stage', native_enum=False, create_constraint=True)
    with op.batch_alter_table('case_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_stage', stage, nullable=False,
                                      server_default='drafting'))
        batch_op.add_column(sa.Column(
            'to_stage', sa.Enum(*STAGES, name='to_stage', native_enum=False,
                                create_constraint=True),
            nullable=False, server_default='drafting'))
        batch_op.drop_constraint(op.f('fk_case_decisions_corrects_id_case_decisions'),
                                 type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_case_decisions_withdrawn_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_case_decisions_version_id_policy_versions'),
                                 type_='foreignkey')
        batch_op.drop_column('corrects_id')
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('version_id')
