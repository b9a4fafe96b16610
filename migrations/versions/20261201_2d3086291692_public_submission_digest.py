"""A public response's idempotency token is bound to what was sent with it: the
submitter row keeps a keyed SHA-256 of the submission (name, e-mail, organisation,
consent, texts, attachments' names and hashes). A resend with the token gets the
receipt only if it is the same submission; other content with the token is refused.

Responses stored before have no digest (their content is not hashed here: the key is
the app's, not the migration's); their tokens are never honoured again, which only
matters to a form resent across the upgrade.

Revision ID: 2d3086291692
Revises: d6440d2328d1
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2d3086291692'
down_revision = 'd6440d2328d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('public_submitters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_digest', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('public_submitters', schema=None) as batch_op:
        batch_op.drop_column('submission_digest')
