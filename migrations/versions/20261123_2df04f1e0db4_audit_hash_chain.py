"""Audit events become a hash chain, and the database refuses UPDATE and DELETE on them.

Revision ID: 2df04f1e0db4
Revises: b57eadb800a7
Create Date: 2026-11-23 00:23:35.615671

"""
import datetime
import hashlib
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2df04f1e0db4'
down_revision = 'b57eadb800a7'
branch_labels = None
depends_on = None


GENESIS_HASH = "0" * 64
MESSAGE = "audit_events er uforanderlig: UPDATE og DELETE er ikke tilladt"
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for verb in ("UPDATE", "DELETE")
]
POSTGRES_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION audit_events_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_events_immutable BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_immutable()""",
]

events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer()),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer()),
    sa.column("actor_label", sa.String()),
    sa.column("action", sa.String()),
    sa.column("object_type", sa.String()),
    sa.column("object_id", sa.Integer()),
    sa.column("changes", sa.JSON()),
    sa.column("request_id", sa.String()),
    sa.column("ip", sa.String()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def _hash(prev_hash, row):
    """Frozen copy of AuditEvent.canonical_content / compute_hash at this revision."""
    occurred_at = row.occurred_at
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=datetime.UTC)
    content = json.dumps(
        {
            "id": row.id,
            "occurred_at": occurred_at.astimezone(datetime.UTC).isoformat(),
            "actor_id": row.actor_id,
            "actor_label": row.actor_label,
            "action": row.action,
            "object_type": row.object_type,
            "object_id": row.object_id,
            "changes": row.changes,
            "request_id": row.request_id,
            "ip": row.ip,
        },
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def upgrade():
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    # chain the events that already exist, in id order
    connection = op.get_bind()
    prev_hash, last_id = GENESIS_HASH, 0
    for row in connection.execute(sa.select(events).order_by(events.c.id)).all():
        digest = _hash(prev_hash, row)
        connection.execute(
            events.update().where(events.c.id == row.id)
            .values(prev_hash=prev_hash, hash=digest)
        )
        prev_hash, last_id = digest, row.id
    connection.execute(sa.text(
        "INSERT INTO audit_chain_head (id, last_event_id, last_hash) VALUES (1, :id, :hash)"
    ), {"id": last_id, "hash": prev_hash})

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_hash'), ['hash'])

    triggers = POSTGRES_TRIGGERS if connection.dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_immutable ON audit_events")
        op.execute("DROP FUNCTION audit_events_immutable()")
    else:
        op.execute("DROP TRIGGER audit_events_no_update")
        op.execute("DROP TRIGGER audit_events_no_delete")
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_events_hash'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')

    op.drop_table('audit_chain_head')
