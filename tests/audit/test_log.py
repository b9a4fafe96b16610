"""The audit trail as a transparency log: the database refuses to change it, and someone
with every right on the database who changes it anyway — triggers dropped, every hash,
node and head recomputed — is found by `audit verify`, which names the event; a signed
checkpoint kept outside shows a log cut short (a restored backup: how many are missing).
An inclusion proof checks out with nothing but the proof, the checkpoint and the key."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from hoering.accounts import operations as accounts
from hoering.accounts.models import BodyKind, Role
from hoering.audit import log, merkle
from hoering.audit.checkpoint import Verifier, open_checkpoint
from hoering.audit.models import (
    IMMUTABLE_MESSAGE,
    IMMUTABLE_TABLES,
    AuditEvent,
    AuditLeaf,
    postgres_triggers,
    sqlite_triggers,
)
from hoering.core.db import db
from tests.conftest import login


def _make_events(count: int, prefix: str = "U") -> list[int]:
    for n in range(count):
        accounts.create_body(name=f"Udvalg {prefix}{n}", abbreviation=f"{prefix}{n}",
                             kind=BodyKind.COMMITTEE, actor=None)
    db.session.commit()
    return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def _checkpoint() -> str:
    note = log.write_checkpoint()
    db.session.commit()
    return note


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _drop_triggers() -> None:
    """What someone with full rights on the database could do to get around the app."""
    for table in IMMUTABLE_TABLES:
        if _postgres():
            db.session.execute(text(f"DROP TRIGGER {table}_immutable ON {table}"))
            db.session.execute(text(f"DROP TRIGGER {table}_no_truncate ON {table}"))
        else:
            for verb in ("update", "delete"):
                db.session.execute(text(f"DROP TRIGGER {table}_no_{verb}"))
    db.session.commit()


@pytest.fixture
def triggers_restored(app):
    """Put the triggers back (through the test's session; the rollback undoes the drop
    anyway, DDL is transactional on both backends)."""
    yield
    db.session.rollback()
    for table in IMMUTABLE_TABLES:
        if _postgres():
            for name in ("immutable", "no_truncate"):
                db.session.execute(text(f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}"))
        else:
            for verb in ("update", "delete"):
                db.session.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{verb}"))
        for statement in (postgres_triggers if _postgres() else sqlite_triggers)(table):
            db.session.execute(text(statement))
    db.session.commit()


def _rewrite_event_and_recompute_everything(event_id: int, new_action: str) -> None:
    """Change an event's content, then recompute its leaf and every later root, as a
    forger who knows the format (but not the signing key) would."""
    db.session.execute(text("UPDATE audit_events SET action = :a WHERE id = :id"),
                       {"a": new_action, "id": event_id})
    db.session.commit()
    db.session.expire_all()
    events = {e.id: e for e in db.session.scalars(select(AuditEvent))}
    tree = merkle.CompactRange.of([])
    for leaf in db.session.scalars(select(AuditLeaf).order_by(AuditLeaf.position)).all():
        recomputed = merkle.leaf_hash(log.entry(events[leaf.event_id]))
        tree.append(recomputed)
        db.session.execute(text(
            "UPDATE audit_leaves SET leaf_hash = :h, root_hash = :r WHERE position = :p"),
            {"h": recomputed.hex(), "r": tree.root().hex(), "p": leaf.position})
    db.session.commit()


def test_sealed_events_verify_against_their_checkpoint(app):
    ids = _make_events(3)
    note = _checkpoint()
    _make_events(2, prefix="V")  # recorded after the checkpoint, not yet sealed
    result = log.verify(note)
    assert result.ok, result.message
    assert (result.sealed, result.unsealed, result.checkpoint_size) == (3, 2, 3)
    assert "intakt: 3 hændelser forseglet, 2 endnu ikke forseglet" in result.message
    assert log.seal() == 2 and log.tree_size() == 5
    assert ids == [leaf.event_id for leaf in db.session.scalars(
        select(AuditLeaf).order_by(AuditLeaf.position))][:3]


@pytest.mark.parametrize("table", IMMUTABLE_TABLES)
@pytest.mark.parametrize("verb", ["UPDATE", "DELETE", "TRUNCATE"])
def test_the_database_refuses_to_change_the_log(app, table, verb):
    if verb == "TRUNCATE" and not _postgres():
        pytest.skip("SQLite has no TRUNCATE")
    _make_events(1)
    _checkpoint()
    column = {"audit_events": "action", "audit_leaves": "leaf_hash",
              "audit_signatures": "signature", "audit_checkpoints": "note"}[table]
    statement = {"UPDATE": f"UPDATE {table} SET {column} = 'x'",
                 "DELETE": f"DELETE FROM {table}", "TRUNCATE": f"TRUNCATE {table} CASCADE"}
    with pytest.raises(DBAPIError) as refusal:
        db.session.execute(text(statement[verb]))
        db.session.flush()
    assert IMMUTABLE_MESSAGE in str(refusal.value)


def test_a_rewritten_event_is_named_even_with_every_hash_recomputed(app, triggers_restored):
    ids = _make_events(5)
    note = _checkpoint()
    _drop_triggers()
    _rewrite_event_and_recompute_everything(ids[2], "body:delete")
    for checked in (log.verify(), log.verify(note)):
        assert not checked.ok
        assert checked.event_id == ids[2]
        assert f"hændelse #{ids[2]} (plads 2) er ændret" in checked.message


def test_removed_signatures_do_not_hide_a_rewrite_from_a_checkpoint(app, triggers_restored):
    ids = _make_events(4)
    note = _checkpoint()
    _drop_triggers()
    _rewrite_event_and_recompute_everything(ids[1], "body:delete")
    db.session.execute(text("DELETE FROM audit_signatures WHERE tree_size >= 2"))
    db.session.commit()
    result = log.verify(note)
    assert not result.ok and result.event_id == ids[1]
    assert "underskriften af træhovedet efter den er fjernet" in result.message


def test_a_deleted_event_is_named(app, triggers_restored):
    ids = _make_events(4)
    _checkpoint()
    _drop_triggers()
    db.session.execute(text("DELETE FROM audit_leaves WHERE event_id = :id"), {"id": ids[1]})
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[1]})
    db.session.commit()
    result = log.verify()
    assert not result.ok
    assert "plads 1 i træet mangler" in result.message


def test_a_truncated_and_reset_log_fails_its_checkpoint(app, triggers_restored):
    _make_events(4)
    note = _checkpoint()
    _drop_triggers()
    for table in ("event_ips", "audit_signatures", "audit_leaves", "audit_checkpoints",
                  "audit_events"):
        db.session.execute(text(f"DELETE FROM {table}"))
    db.session.commit()
    assert log.verify().ok  # an empty log is consistent with itself ...
    result = log.verify(note)  # ... but not with what was published
    assert not result.ok
    assert "afkortet: 4 hændelser mangler siden checkpointet af størrelse 4" in result.message


def test_a_restored_older_backup_says_how_many_events_are_missing(app, triggers_restored):
    """The backup was taken at size 3; a checkpoint of size 7 was published after it."""
    ids = _make_events(3)
    _checkpoint()
    _make_events(4, prefix="V")
    later = _checkpoint()
    _drop_triggers()  # the restore: the database as the backup had it
    db.session.execute(text("DELETE FROM audit_signatures WHERE tree_size > 3"))
    db.session.execute(text("DELETE FROM audit_checkpoints WHERE tree_size > 3"))
    db.session.execute(text("DELETE FROM audit_leaves WHERE position >= 3"))
    db.session.execute(text("DELETE FROM event_ips"))
    db.session.execute(text("DELETE FROM audit_events WHERE id > :last"), {"last": ids[-1]})
    db.session.commit()
    result = log.verify(later)
    assert not result.ok
    assert "4 hændelser mangler siden checkpointet af størrelse 7 (loggen har nu 3)" \
        in result.message


def test_an_inclusion_proof_checks_out_with_the_public_key_alone(app):
    ids = _make_events(6)
    note = _checkpoint()
    proof = json.loads(json.dumps(log.prove(ids[4], note)))  # as an auditor receives it
    key = str(log.verifier())
    assert log.check_proof(proof, key)
    # the same check with nothing of hoering's log: the checkpoint, the proof, the key
    checkpoint = open_checkpoint(proof["checkpoint"], Verifier.parse(key))
    assert merkle.verify_inclusion(
        proof["leaf_index"], checkpoint.size, merkle.leaf_hash(proof["entry"].encode()),
        [bytes.fromhex(h) for h in proof["inclusion_proof"]], checkpoint.root)
    assert json.loads(proof["entry"])["id"] == ids[4]
    forged = {**proof, "entry": proof["entry"].replace("body:create", "body:delete")}
    assert not log.check_proof(forged, key)
    assert not log.check_proof({**proof, "leaf_index": 3}, key)


def test_cli_commands(app, triggers_restored, tmp_path: Path):
    ids = _make_events(3)
    runner = app.test_cli_runner()
    checkpoint_file = tmp_path / "checkpoint.txt"
    result = runner.invoke(args=["audit", "checkpoint", "--output", str(checkpoint_file)])
    assert result.exit_code == 0, result.output
    assert checkpoint_file.read_text().splitlines()[1] == "3"
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(checkpoint_file)])
    assert result.exit_code == 0 and "intakt: 3 hændelser forseglet" in result.output
    key = runner.invoke(args=["audit", "public-key"]).output.strip()
    proof = runner.invoke(args=["audit", "prove", str(ids[0]), "--checkpoint",
                                str(checkpoint_file)])
    assert proof.exit_code == 0 and log.check_proof(json.loads(proof.output), key)
    assert runner.invoke(args=["audit", "seal"]).output.startswith("Forseglet: 0 nye")
    _drop_triggers()
    _rewrite_event_and_recompute_everything(ids[1], "body:delete")
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(checkpoint_file)])
    assert result.exit_code == 1
    assert f"hændelse #{ids[1]}" in result.output


def test_a_checkpoint_from_another_key_is_refused(app, tmp_path: Path):
    from hoering.audit.checkpoint import Checkpoint, SigningKey, sign_checkpoint

    _make_events(1)
    other = SigningKey.generate(log.origin())
    forged = sign_checkpoint(Checkpoint(log.origin(), 1, merkle.EMPTY_ROOT), other)
    path = tmp_path / "forged.txt"
    path.write_text(forged)
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--checkpoint", str(path)])
    assert result.exit_code == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.ADMIN])
def test_the_verification_page_shows_the_result_and_the_latest_checkpoint(
        client, make_user, role):
    _make_events(2)
    _checkpoint()
    assert login(client, make_user(role)).status_code == 302
    page = client.get("/revision/kaede").get_data(as_text=True)
    assert "Revisionssporet er intakt: 2 hændelser forseglet" in page
    assert "Hent det seneste checkpoint (størrelse 2)" in page


def test_anyone_can_fetch_the_latest_checkpoint_and_the_key(app, client):
    assert client.get("/revision/checkpoint").status_code == 404  # none issued yet
    _make_events(2)
    note = _checkpoint()
    response = client.get("/revision/checkpoint")
    assert response.get_data(as_text=True) == note
    key = client.get("/revision/offentlig-noegle").get_data(as_text=True).strip()
    assert open_checkpoint(note, Verifier.parse(key)).size == 2


@pytest.mark.commits  # the workers' threads use connections of their own
def test_concurrent_writers_share_no_lock_and_every_event_is_sealed(app):
    """Two workers record at the same time (no chain head to wait for); one seal run
    puts all their events in the tree."""
    if not _postgres():
        pytest.skip("SQLite has one writer at a time anyway")
    errors: list[BaseException] = []

    def worker(prefix: str) -> None:
        try:
            with app.app_context():
                for n in range(15):
                    accounts.create_body(name=f"{prefix} {n}", abbreviation=f"{prefix}{n}",
                                         kind=BodyKind.COMMITTEE, actor=None)
                    db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(p,)) for p in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert log.seal() == 30
    db.session.commit()
    result = log.verify()
    assert result.ok and result.sealed == 30


def test_purging_ip_addresses_keeps_the_log_verifiable(app, client, make_user):
    from datetime import timedelta

    from hoering.audit.models import EventIp
    from hoering.core.clock import frozen_at
    from hoering.core.db import now_utc

    user = make_user(Role.STAFF)
    with frozen_at(now_utc() - timedelta(days=100)):
        assert login(client, user).status_code == 302
        assert client.post("/logout").status_code == 302
    assert login(client, user).status_code == 302
    note = _checkpoint()
    assert len(db.session.scalars(select(EventIp)).all()) == 3  # login, logout, login
    result = app.test_cli_runner().invoke(args=["audit", "purge-ips"])
    assert "IP-adresser slettet: 2 (ældre end 90 dage)" in result.output
    db.session.expire_all()
    kept = {ip.event_id for ip in db.session.scalars(select(EventIp))}
    assert kept == set(sorted(db.session.scalars(select(AuditEvent.id)))[-1:])
    assert log.verify(note).ok


def test_create_key_makes_the_key_once(app, tmp_path: Path):
    path, original = tmp_path / "keys" / "audit.pem", app.config["AUDIT_SIGNING_KEY_FILE"]
    app.config["AUDIT_SIGNING_KEY_FILE"] = str(path)
    try:
        runner = app.test_cli_runner()
        first = runner.invoke(args=["audit", "create-key"])
        assert first.exit_code == 0 and path.exists()
        assert str(log.verifier()) in first.output
        again = runner.invoke(args=["audit", "create-key"])
        assert again.exit_code == 1 and "Nøglen findes allerede" in again.output
    finally:
        app.config["AUDIT_SIGNING_KEY_FILE"] = original
