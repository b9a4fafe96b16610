"""The inbox at 100,000 remarks: indexes that count the (sender, section) groups of a
consultation's remarks and read a page's slice of a group in id order, PostgreSQL's full-text search with the Danish configuration (a GIN
index on the expression; SQLite keeps LIKE on search_text), and the consultation on each
reply, so that the progress line counts replies from an index alone.

Revision ID: ea957d9d9626
Revises: 2d3086291692
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ea957d9d9626'
down_revision = '2d3086291692'
branch_labels = None
depends_on = None

APPROVED = sa.text("approved_at IS NOT NULL")
SEARCH_INDEX = ("CREATE INDEX ix_remarks_search_danish ON remarks "
                "USING gin (to_tsvector('danish'::regconfig, search_text))")


def upgrade():
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation_id', sa.Integer(), nullable=True))
    op.execute("UPDATE replies SET consultation_id = "
               "(SELECT remarks.consultation_id FROM remarks WHERE remarks.id = replies.remark_id)")
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.alter_column('consultation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_replies_consultation_id_consultations'),
                                    'consultations', ['consultation_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_index('ix_replies_consultation_id', ['consultation_id'], unique=False)
        batch_op.create_index('ix_replies_consultation_approved', ['consultation_id'],
                              unique=False, postgresql_where=APPROVED, sqlite_where=APPROVED)

    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_index('ix_remarks_consultation_section')
        batch_op.create_index('ix_remarks_consultation_section',
                              ['consultation_id', 'section_id', 'id', 'response_id'],
                              unique=False)
        batch_op.create_index('ix_remarks_inbox_groups',
                              ['consultation_id', 'response_id', 'section_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SEARCH_INDEX)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_remarks_search_danish")
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_index('ix_remarks_inbox_groups')
        batch_op.drop_index('ix_remarks_consultation_section')
        batch_op.create_index('ix_remarks_consultation_section',
                              ['consultation_id', 'section_id'], unique=False)

    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_index('ix_replies_consultation_approved')
        batch_op.drop_index('ix_replies_consultation_id')
        batch_op.drop_constraint(batch_op.f('fk_replies_consultation_id_consultations'),
                                 type_='foreignkey')
        batch_op.drop_column('consultation_id')
