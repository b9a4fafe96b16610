"""Everything that writes users, bodies and memberships. Each call flushes, never commits."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import Column, Table, func, select
from werkzeug.security import generate_password_hash

from hoering.accounts.models import Body, BodyKind, Membership, Role, User
from hoering.audit.record import add_and_record, deleted, record_event, update_and_record
from hoering.audit.tags import AuditTag
from hoering.core.db import Base, db
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check

USER_FIELDS = ("name", "email", "role", "active")
# A staff member is their user id in the audit trail: the name and e-mail stay in the user
# row (which can be pseudonymised), the events only say that they changed.
PERSONAL_FIELDS = ("name", "email")
BODY_FIELDS = ("name", "abbreviation", "kind")
MEMBERSHIP_FIELDS = ("user_id", "body_id", "is_secretary")
MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Adgangskoden skal være på mindst {MIN_PASSWORD_LENGTH} tegn.")
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


# --- users ---------------------------------------------------------------------------


def _ensure_email_free(email: str, *, except_user: User | None = None) -> None:
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None and existing is not except_user:
        raise DomainError(f"Der findes allerede en bruger med e-mailadressen {email}.")


def create_user(
    *, name: str, email: str, role: Role, password: str, actor: User | None
) -> User:
    check(actor, Permission.MANAGE_USERS)
    email = normalise_email(email)
    _ensure_email_free(email)
    user = User(name=name.strip(), email=email, role=role, password_hash=hash_password(password))
    add_and_record(user, AuditTag.USER_CREATE, USER_FIELDS, actor=actor, mask=PERSONAL_FIELDS)
    return user


def update_user(
    user: User, *, name: str, email: str, role: Role, active: bool, actor: User | None
) -> User:
    check(actor, Permission.MANAGE_USERS)
    email = normalise_email(email)
    _ensure_email_free(email, except_user=user)
    if actor is user and (role is not Role.ADMIN or not active):
        raise DomainError(
            "Du kan ikke fjerne din egen administratorrolle eller deaktivere dig selv."
        )
    update_and_record(
        user, AuditTag.USER_UPDATE, USER_FIELDS,
        {"name": name.strip(), "email": email, "role": role, "active": active}, actor=actor,
        mask=PERSONAL_FIELDS,
    )
    return user


def set_password(user: User, password: str, *, actor: User | None) -> None:
    if actor is not user:
        check(actor, Permission.MANAGE_USERS)
    user.password_hash = hash_password(password)
    db.session.flush()
    # The hash itself is never written to the audit trail.
    record_event(
        AuditTag.USER_SET_PASSWORD, actor=actor, object_type="user", object_id=user.id,
        changes={"password": {"before": "***", "after": "***"}},
    )


# --- bodies --------------------------------------------------------------------------


def _ensure_body_unique(name: str, abbreviation: str, *, except_body: Body | None = None) -> None:
    """Names and abbreviations are unique regardless of case, Æ/Ø/Å included (compared in
    Python: SQLite's lower() only folds A-Z; the list of bodies is short)."""
    for body in db.session.scalars(select(Body)):
        if body is except_body:
            continue
        if (body.name.casefold() == name.casefold()
                or body.abbreviation.casefold() == abbreviation.casefold()):
            raise DomainError(
                f"Der findes allerede et organ med navnet eller forkortelsen "
                f"«{body.name} ({body.abbreviation})»."
            )


def create_body(*, name: str, abbreviation: str, kind: BodyKind, actor: User | None) -> Body:
    check(actor, Permission.MANAGE_BODIES)
    name, abbreviation = name.strip(), abbreviation.strip().upper()
    _ensure_body_unique(name, abbreviation)
    body = Body(name=name, abbreviation=abbreviation, kind=kind)
    add_and_record(body, AuditTag.BODY_CREATE, BODY_FIELDS, actor=actor)
    return body


def update_body(
    body: Body, *, name: str, abbreviation: str, kind: BodyKind, actor: User | None
) -> Body:
    check(actor, Permission.MANAGE_BODIES)
    name, abbreviation = name.strip(), abbreviation.strip().upper()
    _ensure_body_unique(name, abbreviation, except_body=body)
    update_and_record(
        body, AuditTag.BODY_UPDATE, BODY_FIELDS,
        {"name": name, "abbreviation": abbreviation, "kind": kind}, actor=actor,
    )
    return body


# How a body's dependants read in the refusal to delete it; the tables are found through
# their foreign keys, so accounts need not import the domains that refer to bodies.
BODY_REFERENCE_NOUNS = {
    "policies": "ejer {count} politik(ker)",
    "consultees": "er inviteret til {count} høring(er)",
    "responses": "har {count} høringssvar",
    "case_decisions": "står som beslutningstager i {count} sagsskridt",
}


def _references_to(model: type[Base]) -> list[tuple[Table, Column[Any]]]:
    """(table, column) for every column that has a foreign key to ``model``'s table."""
    target = model.__table__
    return sorted(
        ((table, fk.parent) for table in db.metadata.tables.values()
         for fk in table.foreign_keys if fk.column.table is target),
        key=lambda pair: (pair[0].name, pair[1].name),
    )


def delete_body(body: Body, *, actor: User | None) -> None:
    """Delete a body that nothing refers to but memberships (which go with it)."""
    check(actor, Permission.MANAGE_BODIES)
    for table, column in _references_to(Body):
        if table.name == Membership.__tablename__:
            continue
        count = db.session.scalar(select(func.count()).where(column == body.id))
        if count:
            noun = BODY_REFERENCE_NOUNS.get(table.name, f"række(r) i {table.name}")
            raise DomainError(f"{body.name} {noun.format(count=count)} og kan ikke slettes.")
    for membership in list(body.memberships):
        remove_membership(membership, actor=actor)
    record_event(
        AuditTag.BODY_DELETE, actor=actor, object_type="body", object_id=body.id,
        changes=deleted(body, BODY_FIELDS),
    )
    db.session.delete(body)
    db.session.flush()


# --- memberships ---------------------------------------------------------------------


def add_membership(
    user: User, body: Body, *, is_secretary: bool = False, actor: User | None
) -> Membership:
    check(actor, Permission.MANAGE_USERS)
    existing = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.body_id == body.id)
    )
    if existing is not None:
        raise DomainError(f"{user.name} er allerede medlem af {body.name}.")
    membership = Membership(user=user, body=body, is_secretary=is_secretary)
    add_and_record(membership, AuditTag.MEMBERSHIP_CREATE, MEMBERSHIP_FIELDS, actor=actor)
    return membership


def set_secretary(membership: Membership, is_secretary: bool, *, actor: User | None) -> None:
    check(actor, Permission.MANAGE_USERS)
    update_and_record(
        membership, AuditTag.MEMBERSHIP_UPDATE, MEMBERSHIP_FIELDS, {"is_secretary": is_secretary},
        actor=actor,
    )


def remove_membership(membership: Membership, *, actor: User | None) -> None:
    check(actor, Permission.MANAGE_USERS)
    record_event(
        AuditTag.MEMBERSHIP_DELETE, actor=actor, object_type="membership", object_id=membership.id,
        changes=deleted(membership, MEMBERSHIP_FIELDS),
    )
    body, user = membership.body, membership.user
    db.session.delete(membership)
    db.session.flush()
    # keep the loaded collections in step, so a later cascade does not delete it again
    db.session.expire(body, ["memberships"])
    db.session.expire(user, ["memberships"])
