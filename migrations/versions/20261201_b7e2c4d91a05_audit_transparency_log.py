"""The audit trail becomes a transparency log: a Merkle tree over the events (a leaf per
event, the root after it), signed tree heads and published checkpoints, in tables the
database refuses to UPDATE, DELETE or TRUNCATE. The hash chain and its head row (one lock
shared by every writer) go; the event's hashed content drops the staff member's e-mail
(the user id stays) and the client IP, which moves beside it to the purgeable event_ips.

The tree is built here for the events that exist, in id order; `flask --app hoering audit
seal` signs its heads (the signing key is not the migration's to hold).

Revision ID: b7e2c4d91a05
Revises: a3c9e1f04b7d
Create Date: 2026-12-01 10:20:00

"""
import datetime
import hashlib
import json

from alembic import op
import sqlalchemy as sa

from hoering.audit import merkle
from hoering.core.db import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'b7e2c4d91a05'
down_revision = 'a3c9e1f04b7d'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
MESSAGE = "revisionssporet er uforanderligt: UPDATE, DELETE og TRUNCATE er ikke tilladt"
OLD_MESSAGE = "audit_events er uforanderlig: UPDATE og DELETE er ikke tilladt"
LOG_TABLES = ("audit_events", "audit_leaves", "audit_signatures", "audit_checkpoints")

def _event_columns():
    return (sa.column("id", ID), sa.column("occurred_at", UTCDateTime()),
            sa.column("actor_id", sa.Integer()), sa.column("action", sa.String()),
            sa.column("object_type", sa.String()), sa.column("object_id", sa.Integer()),
            sa.column("changes", sa.JSON()), sa.column("request_id", sa.String()))


events = sa.table("audit_events", *_event_columns())


def _entry(row):
    """Frozen copy of hoering.audit.log.entry: the log's format, which never changes."""
    return json.dumps(
        {"id": row.id, "occurred_at": row.occurred_at.isoformat(), "actor_id": row.actor_id,
         "action": row.action, "object_type": row.object_type, "object_id": row.object_id,
         "changes": row.changes, "request_id": row.request_id},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    ).encode("utf-8")


def _triggers(dialect, table):
    if dialect == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION audit_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION audit_immutable()""",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION audit_immutable()""",
        ]
    return [f"""CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""" for verb in ("UPDATE", "DELETE")]


def _drop_triggers(dialect, table):
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


def _create_log_tables():
    op.create_table('event_ips',
    sa.Column('event_id', ID, nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['audit_events.id'], name=op.f('fk_event_ips_event_id_audit_events')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event_ips'))
    )
    op.create_table('audit_leaves',
    sa.Column('position', ID, autoincrement=False, nullable=False),
    sa.Column('event_id', ID, nullable=False),
    sa.Column('leaf_hash', sa.String(length=64), nullable=False),
    sa.Column('root_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['audit_events.id'], name=op.f('fk_audit_leaves_event_id_audit_events')),
    sa.PrimaryKeyConstraint('position', name=op.f('pk_audit_leaves')),
    sa.UniqueConstraint('event_id', name=op.f('uq_audit_leaves_event_id'))
    )
    op.create_table('audit_signatures',
    sa.Column('tree_size', ID, autoincrement=False, nullable=False),
    sa.Column('signature', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('tree_size', name=op.f('pk_audit_signatures'))
    )
    op.create_table('audit_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tree_size', ID, nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoints'))
    )


def _build_tree(connection):
    """A leaf per existing event, in id order, with the root after each."""
    leaves = sa.table("audit_leaves", sa.column("position", ID), sa.column("event_id", ID),
                      sa.column("leaf_hash", sa.String()), sa.column("root_hash", sa.String()))
    tree, rows = merkle.CompactRange.of([]), []
    for row in connection.execute(sa.select(events).order_by(events.c.id)):
        leaf = merkle.leaf_hash(_entry(row))
        tree.append(leaf)
        rows.append({"position": tree.size - 1, "event_id": row.id,
                     "leaf_hash": leaf.hex(), "root_hash": tree.root().hex()})
    if rows:
        connection.execute(leaves.insert(), rows)


def upgrade():
    connection = op.get_bind()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_immutable ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_immutable()")
    _drop_triggers(dialect, "audit_events")
    _create_log_tables()
    op.execute("INSERT INTO event_ips (event_id, ip) SELECT id, ip FROM audit_events"
               " WHERE ip IS NOT NULL AND ip <> ''")
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_events_hash'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('ip')
        batch_op.drop_column('actor_label')
    op.drop_table('audit_chain_head')
    if dialect == "postgresql":  # ids were assigned under the chain's lock, not by the sequence
        op.execute("SELECT setval(pg_get_serial_sequence('audit_events', 'id'),"
                   " COALESCE(MAX(id), 0) + 1, false) FROM audit_events")
    _build_tree(connection)
    for table in LOG_TABLES:
        for statement in _triggers(dialect, table):
            op.execute(statement)


def _old_hash(prev_hash, row, actor_label, ip):
    """Frozen copy of the hash chain of revision 2df04f1e0db4, for the downgrade."""
    content = json.dumps(
        {"id": row.id, "occurred_at": row.occurred_at.astimezone(datetime.UTC).isoformat(),
         "actor_id": row.actor_id, "actor_label": actor_label, "action": row.action,
         "object_type": row.object_type, "object_id": row.object_id, "changes": row.changes,
         "request_id": row.request_id, "ip": ip},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def _rebuild_chain(connection):
    labels = dict(connection.execute(sa.text("SELECT id, email FROM users")).all())
    ips = dict(connection.execute(sa.text("SELECT event_id, ip FROM event_ips")).all())
    table = sa.table("audit_events", *_event_columns(), sa.column("actor_label", sa.String()),
                     sa.column("ip", sa.String()), sa.column("prev_hash", sa.String()),
                     sa.column("hash", sa.String()))
    prev_hash, last_id = "0" * 64, 0
    for row in connection.execute(sa.select(events).order_by(events.c.id)).all():
        label, ip = labels.get(row.actor_id, "system"), ips.get(row.id)
        digest = _old_hash(prev_hash, row, label, ip)
        connection.execute(table.update().where(table.c.id == row.id).values(
            actor_label=label, ip=ip, prev_hash=prev_hash, hash=digest))
        prev_hash, last_id = digest, row.id
    connection.execute(sa.text("INSERT INTO audit_chain_head (id, last_event_id, last_hash)"
                               " VALUES (1, :id, :hash)"), {"id": last_id, "hash": prev_hash})


def downgrade():
    connection = op.get_bind()
    dialect = connection.dialect.name
    for table in LOG_TABLES:
        _drop_triggers(dialect, table)
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_immutable()")
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_event_id', ID, nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_label', sa.String(length=254), nullable=False, server_default='system'))
        batch_op.add_column(sa.Column('ip', sa.String(length=45), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    _rebuild_chain(connection)
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_hash'), ['hash'])
    op.drop_table('audit_checkpoints')
    op.drop_table('audit_signatures')
    op.drop_table('audit_leaves')
    op.drop_table('event_ips')
    if dialect == "postgresql":
        op.execute(f"""CREATE OR REPLACE FUNCTION audit_events_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{OLD_MESSAGE}'; END; $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER audit_events_immutable BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_immutable()""")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events
BEGIN SELECT RAISE(ABORT, '{OLD_MESSAGE}'); END""")
