"""A user's identities at an OpenID Connect provider: who the provider says someone is
(its issuer and the subject it gives them, e.g. Entra ID's object id), bound to one user
here. Single sign-on (hoering.accounts.sso) finds the user by this pair and nothing else
(never by a name or an e-mail address the provider merely repeats).

A binding is made by an administrator (typing the subject in), at the first login through
an invitation, or, where the configuration trusts it, by an e-mail address the provider
asserts it verified. Each binding and unbinding is audited by the identity's id and
issuer; the subject stays in the row (it names a person at the provider).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from hoering.accounts.models import User
from hoering.accounts.operations import renew_session_version
from hoering.accounts.tokens import AccessToken
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.db import Base, db, now_utc
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check

MAX_ISSUER_LENGTH = 500
MAX_SUBJECT_LENGTH = 255  # OpenID Connect Core 1.0, 2: "MUST NOT exceed 255 ASCII characters"


class BoundBy(StrEnum):
    """How an identity came to be bound (in the audit event, not in the row)."""

    ADMINISTRATOR = "administrator"
    INVITATION = "invitation"
    VERIFIED_EMAIL = "verified_email"


class UserIdentity(Base):
    __tablename__ = "user_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(MAX_ISSUER_LENGTH))
    subject: Mapped[str] = mapped_column(String(MAX_SUBJECT_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_login_at: Mapped[datetime | None]


def find_identity(issuer: str, subject: str) -> UserIdentity | None:
    return db.session.scalar(select(UserIdentity).where(
        UserIdentity.issuer == issuer, UserIdentity.subject == subject))


def identities_of(user: User) -> list[UserIdentity]:
    return list(db.session.scalars(select(UserIdentity).where(UserIdentity.user_id == user.id)
                                   .order_by(UserIdentity.issuer, UserIdentity.subject)))


def bind_identity(user: User, *, issuer: str, subject: str, how: BoundBy, actor: User | None,
                  token: AccessToken | None = None) -> UserIdentity:
    """Bind (``issuer``, ``subject``) to ``user``: from now on that login is theirs. An
    administrator's binding needs MANAGE_USERS; the other ways are the user's own first
    login (``actor`` the user; ``token``: the invitation it came through, audited by its
    id). Refused when the pair is someone's already."""
    if how is BoundBy.ADMINISTRATOR:
        check(actor, Permission.MANAGE_USERS)
    issuer, subject = issuer.strip(), subject.strip()
    if not issuer or not subject:
        raise DomainError(_("Skriv både udsteder og id."))
    if len(issuer) > MAX_ISSUER_LENGTH or len(subject) > MAX_SUBJECT_LENGTH:
        raise DomainError(_("Udstederen må højst være på %(issuer)d tegn og id'et på "
                            "%(subject)d.", issuer=MAX_ISSUER_LENGTH, subject=MAX_SUBJECT_LENGTH))
    if find_identity(issuer, subject) is not None:
        raise DomainError(_("Det login er allerede knyttet til en bruger."))
    identity = UserIdentity(user_id=user.id, issuer=issuer, subject=subject)
    db.session.add(identity)
    db.session.flush()
    changes = _described(identity, how=how, bound=True)
    if token is not None:
        changes["access_token"] = {"before": None, "after": token.id}
    record_event(AuditTag.USER_SSO_BIND, actor=actor, object_type="user", object_id=user.id,
                 changes=changes)
    return identity


def unbind_identity(identity: UserIdentity, *, actor: User | None) -> None:
    """The login no longer leads to the user (an administrator's act), and the sessions it
    may have started end (every session of the user: which login began one is not kept)."""
    check(actor, Permission.MANAGE_USERS)
    renew_session_version(db.session.get_one(User, identity.user_id))
    record_event(AuditTag.USER_SSO_UNBIND, actor=actor, object_type="user",
                 object_id=identity.user_id, changes=_described(identity, bound=False))
    db.session.delete(identity)
    db.session.flush()


def _described(identity: UserIdentity, *, bound: bool,
               how: BoundBy | None = None) -> dict[str, dict[str, object]]:
    """The event's changes: the identity's id and issuer (not the subject: it names a
    person at the provider), and how it was bound."""
    values: dict[str, object] = {"identity": identity.id, "issuer": identity.issuer}
    if how is not None:
        values["bound_by"] = how.value
    return {key: {"before": None, "after": value} if bound else {"before": value, "after": None}
            for key, value in values.items()}
