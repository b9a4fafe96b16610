"""The audit trail as a transparency log (RFC 9162): sealing new events into the Merkle
tree, signed tree heads and checkpoints, verification and inclusion proofs.

Each sealed event is a leaf: H(0x00 ‖ its canonical entry). After every leaf the tree
head (origin, size, root) is signed with the log's Ed25519 key, which lives in a file
(``AUDIT_SIGNING_KEY_FILE``), never in the database. ``verify`` recomputes every leaf
from the events themselves and checks each signed head, so an event changed, removed or
moved is found even if whoever did it recomputed every hash stored beside it; a signed
checkpoint kept outside (``audit checkpoint``) also shows a log cut short or forked.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, insert, select, text

from hoering.audit import merkle
from hoering.audit.checkpoint import (
    Checkpoint,
    SigningKey,
    Verifier,
    load_or_create_key,
    open_checkpoint,
    sign_checkpoint,
)
from hoering.audit.models import AuditCheckpoint, AuditEvent, AuditLeaf, AuditSignature
from hoering.core.db import db

BATCH = 2000
SEAL_LOCK = 0x68_6F_65_72  # "hoer": PostgreSQL advisory lock held by one sealer at a time


def entry(event: AuditEvent) -> bytes:
    """The event's canonical encoding, the content of its leaf: JSON with sorted keys,
    no spaces, UTF-8. It never changes once events are sealed (it is the log's format)."""
    return json.dumps(
        {
            "id": event.id,
            "occurred_at": event.occurred_at.isoformat(),
            "actor_id": event.actor_id,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "changes": event.changes,
            "request_id": event.request_id,
        },
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    ).encode("utf-8")


def origin() -> str:
    name: str = current_app.config["AUDIT_LOG_ORIGIN"]
    return name


def signing_key() -> SigningKey:
    """The log's key, from ``AUDIT_SIGNING_KEY_FILE`` (created there, or in the instance
    folder, on first use in development and testing; a missing key is an error in
    production)."""
    configured = current_app.config.get("AUDIT_SIGNING_KEY_FILE")
    return load_or_create_key(
        Path(configured) if configured else None, name=origin(),
        instance_path=Path(current_app.instance_path),
        create=bool(current_app.config["AUDIT_CREATE_SIGNING_KEY"]),
    )


def signing_key_path() -> Path:
    """Where the key is (or will be): ``AUDIT_SIGNING_KEY_FILE``, else the instance folder."""
    configured = current_app.config.get("AUDIT_SIGNING_KEY_FILE")
    return Path(configured) if configured else (
        Path(current_app.instance_path) / "audit-signing-key.pem")


def verifier() -> Verifier:
    """The public key: ``AUDIT_PUBLIC_KEY`` when set (a server without the private key),
    else the signing key's."""
    configured = current_app.config.get("AUDIT_PUBLIC_KEY")
    return Verifier.parse(configured) if configured else signing_key().verifier()


def head_body(size: int, root: bytes) -> bytes:
    """What the signature of a tree head covers: the checkpoint body of that size."""
    return Checkpoint(origin(), size, root).body().encode("utf-8")


# --- sealing -----------------------------------------------------------------------


def _lock_sealer() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEAL_LOCK})


def _stored_leaf_hashes() -> list[bytes]:
    return [bytes.fromhex(h) for h in db.session.scalars(
        select(AuditLeaf.leaf_hash).order_by(AuditLeaf.position))]


def _unsealed_events() -> Iterator[AuditEvent]:
    """Committed events without a leaf, in id order (an event that commits late, with a
    lower id, is sealed by a later run, at a later position: the tree only grows)."""
    last_id = 0
    while True:
        batch = list(db.session.scalars(
            select(AuditEvent).outerjoin(AuditLeaf, AuditLeaf.event_id == AuditEvent.id)
            .where(AuditLeaf.position.is_(None), AuditEvent.id > last_id)
            .order_by(AuditEvent.id).limit(BATCH)
        ))
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def seal() -> int:
    """Append every unsealed event to the tree and sign each new tree head (and any head
    left unsigned, e.g. by the migration that built the tree); returns how many events
    were sealed. The caller commits."""
    _lock_sealer()
    key = signing_key()
    tree = merkle.CompactRange.of(_stored_leaf_hashes())
    sealed = 0
    for event in _unsealed_events():
        leaf = merkle.leaf_hash(entry(event))
        tree.append(leaf)
        db.session.execute(insert(AuditLeaf.__table__), {
            "position": tree.size - 1, "event_id": event.id,
            "leaf_hash": leaf.hex(), "root_hash": tree.root().hex()})
        sealed += 1
    _sign_unsigned_heads(key)
    return sealed


def _sign_unsigned_heads(key: SigningKey) -> None:
    unsigned = db.session.execute(
        select(AuditLeaf.position, AuditLeaf.root_hash)
        .outerjoin(AuditSignature, AuditSignature.tree_size == AuditLeaf.position + 1)
        .where(AuditSignature.tree_size.is_(None)).order_by(AuditLeaf.position)
    ).all()
    rows = [{"tree_size": position + 1, "signature": base64.b64encode(
        key.sign(head_body(position + 1, bytes.fromhex(root)))).decode("ascii")}
        for position, root in unsigned]
    if rows:
        db.session.execute(insert(AuditSignature.__table__), rows)


def tree_size() -> int:
    return db.session.execute(select(func.count()).select_from(AuditLeaf)).scalar_one()


def write_checkpoint() -> str:
    """Seal, then sign a checkpoint of the whole tree, keep it for the pages and return
    it (the signed note). The caller commits."""
    seal()
    leaves = _stored_leaf_hashes()
    note = sign_checkpoint(Checkpoint(origin(), len(leaves), merkle.root(leaves)),
                           signing_key())
    db.session.add(AuditCheckpoint(tree_size=len(leaves), note=note))
    db.session.flush()
    return note


def latest_checkpoint() -> AuditCheckpoint | None:
    return db.session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).first()


# --- verifying ---------------------------------------------------------------------


@dataclass
class Verification:
    """What ``verify`` found. ``problem`` is empty when the log is intact."""

    sealed: int = 0
    unsealed: int = 0
    problem: str = ""
    event_id: int | None = None  # the first event found altered, removed or moved
    checkpoint_size: int | None = None
    roots: dict[int, bytes] = field(default_factory=dict, repr=False)
    first_unsigned: AuditLeaf | None = None  # heads are signed in order: only the last may lack

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def message(self) -> str:
        if not self.ok:
            return str(_("Revisionssporet er IKKE intakt: %(problem)s", problem=self.problem))
        if self.checkpoint_size is not None:
            return str(_("Revisionssporet er intakt: %(sealed)d hændelser forseglet, "
                         "%(unsealed)d endnu ikke forseglet, i overensstemmelse med "
                         "checkpointet af størrelse %(size)d.", sealed=self.sealed,
                         unsealed=self.unsealed, size=self.checkpoint_size))
        return str(_("Revisionssporet er intakt: %(sealed)d hændelser forseglet, "
                     "%(unsealed)d endnu ikke forseglet.", sealed=self.sealed,
                     unsealed=self.unsealed))


def _events_by_id() -> dict[int, AuditEvent]:
    events: dict[int, AuditEvent] = {}
    last_id = 0
    while True:
        batch = list(db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id).limit(BATCH)))
        if not batch:
            return events
        events.update((e.id, e) for e in batch)
        last_id = batch[-1].id


def _check_leaf(result: Verification, position: int, leaf: AuditLeaf,
                events: dict[int, AuditEvent]) -> bytes | None:
    """The leaf hash recomputed from the event, or None with the problem noted."""
    if leaf.position != position:
        result.problem = _("plads %(position)d i træet mangler: hændelser er fjernet fra "
                           "loggen (den næste er hændelse #%(event)d).", position=position,
                           event=leaf.event_id)
        result.event_id = leaf.event_id
        return None
    event = events.pop(leaf.event_id, None)
    if event is None:
        result.problem = _("hændelse #%(event)d (plads %(position)d) er slettet.",
                           event=leaf.event_id, position=position)
        result.event_id = leaf.event_id
        return None
    return merkle.leaf_hash(entry(event))


def _check_head(result: Verification, key: Verifier, leaf: AuditLeaf, root: bytes,
                signature: str | None) -> bool:
    """False, with the problem noted, when the event's signed tree head does not fit."""
    size = leaf.position + 1
    if signature is None and result.first_unsigned is None:
        result.first_unsigned = leaf
    fits = signature is not None and key.verify(head_body(size, root),
                                                base64.b64decode(signature))
    if signature is not None and result.first_unsigned is not None:
        _unsigned_problem(result)
        return False
    if signature is not None and not fits:
        result.problem = _("hændelse #%(event)d (plads %(position)d) er ændret, flyttet "
                           "eller indsat: træhovedet efter den passer ikke med sin "
                           "underskrift.", event=leaf.event_id, position=leaf.position)
    elif leaf.root_hash != root.hex():
        result.problem = _("hændelse #%(event)d (plads %(position)d) er ændret efter "
                           "forseglingen.", event=leaf.event_id, position=leaf.position)
    else:
        return True
    result.event_id = leaf.event_id
    return False


def _unsigned_problem(result: Verification) -> None:
    leaf = result.first_unsigned
    assert leaf is not None
    result.problem = _("hændelse #%(event)d (plads %(position)d) er ændret eller flyttet: "
                       "underskriften af træhovedet efter den er fjernet.",
                       event=leaf.event_id, position=leaf.position)
    result.event_id = leaf.event_id


def _verify_tree(result: Verification, key: Verifier) -> None:
    events = _events_by_id()
    signatures = dict(db.session.execute(
        select(AuditSignature.tree_size, AuditSignature.signature)).all())
    tree = merkle.CompactRange.of([])
    leaves = db.session.scalars(select(AuditLeaf).order_by(AuditLeaf.position))
    for position, leaf in enumerate(leaves):
        recomputed = _check_leaf(result, position, leaf, events)
        if recomputed is None:
            return
        tree.append(recomputed)
        result.roots[tree.size] = tree.root()
        if not _check_head(result, key, leaf, result.roots[tree.size],
                           signatures.get(tree.size)):
            return
        result.sealed = tree.size
    result.unsealed = len(events)


def _check_against(result: Verification, checkpoint: Checkpoint) -> None:
    """A checkpoint is written after every head up to its size was signed."""
    result.checkpoint_size = checkpoint.size
    unsigned = result.first_unsigned
    if result.ok and unsigned is not None and unsigned.position < checkpoint.size:
        _unsigned_problem(result)
    elif result.ok and checkpoint.size > result.sealed:
        missing = checkpoint.size - result.sealed
        result.problem = _("loggen er afkortet: %(missing)d hændelser mangler siden "
                           "checkpointet af størrelse %(size)d (loggen har nu %(sealed)d).",
                           missing=missing, size=checkpoint.size, sealed=result.sealed)
    elif result.ok and result.roots.get(checkpoint.size, merkle.EMPTY_ROOT) != checkpoint.root:
        result.problem = _("loggen passer ikke med checkpointet af størrelse %(size)d: den "
                           "er omskrevet eller forgrenet.", size=checkpoint.size)


def verify(checkpoint_note: str | None = None) -> Verification:
    """Recompute the tree from the events and check every signed head, then (when
    given) that the log holds the signed checkpoint's tree as its beginning."""
    key = verifier()
    checkpoint = open_checkpoint(checkpoint_note, key) if checkpoint_note else None
    result = Verification()
    _verify_tree(result, key)
    if checkpoint is not None:
        _check_against(result, checkpoint)
    return result


# --- proving -----------------------------------------------------------------------


def prove(event_id: int, checkpoint_note: str) -> dict[str, Any]:
    """The inclusion proof of event ``event_id`` in the checkpoint's tree: everything an
    auditor needs to check it with the log's public key alone (see ``check_proof``)."""
    checkpoint = open_checkpoint(checkpoint_note, verifier())
    event = db.session.get(AuditEvent, event_id)
    leaf = db.session.scalar(select(AuditLeaf).where(AuditLeaf.event_id == event_id))
    if event is None or leaf is None or leaf.position >= checkpoint.size:
        raise LookupError(f"Hændelse #{event_id} er ikke forseglet i checkpointet.")
    leaves = [merkle.leaf_hash(entry(e)) for e in _sealed_events(checkpoint.size)]
    return {
        "origin": checkpoint.origin, "event_id": event_id, "leaf_index": leaf.position,
        "tree_size": checkpoint.size, "entry": entry(event).decode("utf-8"),
        "inclusion_proof": [h.hex() for h in merkle.inclusion_proof(leaf.position, leaves)],
        "checkpoint": checkpoint_note,
    }


def _sealed_events(size: int) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).join(AuditLeaf, AuditLeaf.event_id == AuditEvent.id)
        .where(AuditLeaf.position < size).order_by(AuditLeaf.position)))


def check_proof(proof: dict[str, Any], verifier_key: str) -> bool:
    """An auditor's check of a proof from ``prove``: the checkpoint is signed by the key,
    and the entry is in its tree at the stated place. Needs nothing but the two."""
    try:
        checkpoint = open_checkpoint(proof["checkpoint"], Verifier.parse(verifier_key))
        path = [bytes.fromhex(h) for h in proof["inclusion_proof"]]
        leaf = merkle.leaf_hash(proof["entry"].encode("utf-8"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    return checkpoint.size == proof["tree_size"] and merkle.verify_inclusion(
        proof["leaf_index"], checkpoint.size, leaf, path, checkpoint.root)
