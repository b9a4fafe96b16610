"""Everything that writes users, bodies and memberships. Each call flushes, never commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Column, Table, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from hoering.accounts import passwords
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
BODY_FIELDS = ("name", "abbreviation", "kind", "contact_email")
# A body's contact e-mail may be a person's own address: the events say it changed.
BODY_PERSONAL_FIELDS = ("contact_email",)
MEMBERSHIP_FIELDS = ("user_id", "body_id", "is_secretary")
MIN_PASSWORD_LENGTH = passwords.MIN_PASSWORD_LENGTH


class WrongPassword(DomainError):
    """The current password given to change one's own password is not the user's."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


# A user who has not chosen a password yet: no password matches this (no valid hash).
NO_PASSWORD = "!invited"  # noqa: S105 (a marker, no password)


def hash_password(password: str, *, name: str = "", email: str = "") -> str:
    """The hash of ``password`` for the user of ``name`` and ``email``; raises
    ``passwords.WeakPassword`` when it may not be used (hoering.accounts.passwords)."""
    passwords.check(password, name=name, email=email)
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def renew_session_version(user: User) -> None:
    """End every session of ``user``: each carries the old version in its user id, which
    the user loader then refuses. The caller audits why (logout, a new password, ...)."""
    user.session_version += 1
    db.session.flush()


def end_sessions(user: User, *, actor: User | None) -> None:
    """"Log ud på alle enheder": every session of ``user`` ends, the actor's own too when
    it is theirs. The user themself, or an administrator."""
    if actor is not user:
        check(actor, Permission.MANAGE_USERS)
    renew_session_version(user)
    record_event(AuditTag.USER_END_SESSIONS, actor=actor, object_type="user",
                 object_id=user.id)


# --- users ---------------------------------------------------------------------------


def _ensure_email_free(email: str, *, except_user: User | None = None) -> None:
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None and existing is not except_user:
        raise DomainError(_("Der findes allerede en bruger med e-mailadressen %(email)s.",
                            email=email))


def create_user(
    *, name: str, email: str, role: Role, password: str | None, actor: User | None
) -> User:
    """A new user; without a password, one that chooses its own through an invitation
    (hoering.accounts.invitations)."""
    check(actor, Permission.MANAGE_USERS)
    email = normalise_email(email)
    _ensure_email_free(email)
    password_hash = (NO_PASSWORD if password is None
                     else hash_password(password, name=name.strip(), email=email))
    user = User(name=name.strip(), email=email, role=role, password_hash=password_hash)
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
            _("Du kan ikke fjerne din egen administratorrolle eller deaktivere dig selv.")
        )
    changes = update_and_record(
        user, AuditTag.USER_UPDATE, USER_FIELDS,
        {"name": name.strip(), "email": email, "role": role, "active": active}, actor=actor,
        mask=PERSONAL_FIELDS,
    )
    if "role" in changes or "active" in changes:
        renew_session_version(user)  # the sessions of the old role (or of a deactivation) end
    return user


def set_language(user: User, language: str) -> None:
    """Remember the language ``user`` chose with the switch: their e-mails follow it."""
    update_and_record(user, AuditTag.USER_UPDATE, ("language",), {"language": language},
                      actor=user)


def set_password(
    user: User, password: str, *, actor: User | None, current_password: str | None = None
) -> None:
    """A new password for ``user``; every session of theirs ends (a user changing their
    own keeps the current one: the view logs them in again). A user changing their own
    must give the current password (``WrongPassword`` otherwise); an administrator sets
    anyone else's."""
    if actor is user:
        if not check_password_hash(user.password_hash, current_password or ""):
            raise WrongPassword(_("Den nuværende adgangskode er forkert."))
    else:
        check(actor, Permission.MANAGE_USERS)
    user.password_hash = hash_password(password, name=user.name, email=user.email)
    renew_session_version(user)
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
            named = f"{body.name} ({body.abbreviation})"
            raise DomainError(_(
                "Der findes allerede et organ med navnet eller forkortelsen «%(body)s».",
                body=named))


def clean_contact_email(email: str | None) -> str | None:
    """A body's contact e-mail as stored: trimmed and lower case, None when empty;
    ``DomainError`` when it is no e-mail address."""
    email = normalise_email(email or "")
    if not email:
        return None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(_("«%(email)s» er ikke en gyldig e-mailadresse.",
                            email=email)) from None
    return email


def create_body(*, name: str, abbreviation: str, kind: BodyKind,
                contact_email: str | None = None, actor: User | None) -> Body:
    check(actor, Permission.MANAGE_BODIES)
    name, abbreviation = name.strip(), abbreviation.strip().upper()
    _ensure_body_unique(name, abbreviation)
    # The municipality's order of its bodies: a new one comes last.
    last = db.session.scalar(select(func.max(Body.position)))
    body = Body(name=name, abbreviation=abbreviation, kind=kind, position=(last or 0) + 1,
                contact_email=clean_contact_email(contact_email))
    add_and_record(body, AuditTag.BODY_CREATE, BODY_FIELDS, actor=actor,
                   mask=BODY_PERSONAL_FIELDS)
    return body


def update_body(
    body: Body, *, name: str, abbreviation: str, kind: BodyKind,
    contact_email: str | None = None, actor: User | None
) -> Body:
    check(actor, Permission.MANAGE_BODIES)
    name, abbreviation = name.strip(), abbreviation.strip().upper()
    _ensure_body_unique(name, abbreviation, except_body=body)
    update_and_record(
        body, AuditTag.BODY_UPDATE, BODY_FIELDS,
        {"name": name, "abbreviation": abbreviation, "kind": kind,
         "contact_email": clean_contact_email(contact_email)},
        actor=actor, mask=BODY_PERSONAL_FIELDS,
    )
    return body


# How a body's dependants read in the refusal to delete it; the tables are found through
# their foreign keys, so accounts need not import the domains that refer to bodies.
BODY_REFERENCE_NOUNS: dict[str, Callable[[int], str]] = {
    "policies": lambda n: ngettext("ejer %(num)d politik", "ejer %(num)d politikker", n),
    "consultees": lambda n: ngettext("er inviteret til %(num)d høring",
                                     "er inviteret til %(num)d høringer", n),
    "responses": lambda n: ngettext("har %(num)d høringssvar", "har %(num)d høringssvar", n),
    "case_decisions": lambda n: ngettext("står som beslutningstager i %(num)d sagsskridt",
                                         "står som beslutningstager i %(num)d sagsskridt", n),
    "access_tokens": lambda n: ngettext("har %(num)d personligt link til høringer",
                                        "har %(num)d personlige links til høringer", n),
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
            refers = BODY_REFERENCE_NOUNS.get(table.name)
            what = refers(count) if refers else ngettext(
                "har %(num)d række i %(table)s", "har %(num)d rækker i %(table)s", count,
                table=table.name)
            raise DomainError(_("%(body)s %(what)s og kan ikke slettes.", body=body.name,
                                what=what))
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
        raise DomainError(_("%(user)s er allerede medlem af %(body)s.", user=user.name,
                            body=body.name))
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
