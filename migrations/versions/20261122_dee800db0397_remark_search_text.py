"""Remarks get a case-folded search text (wording, memo wording and reply).

Revision ID: dee800db0397
Revises: d998415f93be
Create Date: 2026-11-22 23:34:42.978282

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dee800db0397'
down_revision = 'd998415f93be'
branch_labels = None
depends_on = None


def _search_key(*parts):
    # the same folding as hoering.consultations.queries.search_key, frozen here
    return " ".join(" ".join(p for p in parts if p).casefold().split())


def upgrade():
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('search_text', sa.Text(), nullable=False, server_default='')
        )

    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT remarks.id, remarks.original_text, remarks.memo_text, replies.text "
        "FROM remarks LEFT OUTER JOIN replies ON replies.remark_id = remarks.id"
    )).all()
    for remark_id, original, memo, reply in rows:
        connection.execute(
            sa.text("UPDATE remarks SET search_text = :text WHERE id = :id"),
            {"text": _search_key(original, memo, reply), "id": remark_id},
        )

    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.alter_column('search_text', server_default=None)


def downgrade():
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_column('search_text')
