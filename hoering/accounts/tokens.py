"""Unguessable links, one table and one set of rules for every purpose: a consultee's
personal link (an external body responds without an account), an invitation to choose a
password, a password reset.

A token is 32 random bytes, URL-safe. Only its SHA-256 is stored, never the token: a
copy of the database gives no working link. A token given to someone is found by its
hash (a unique index), so the lookup compares hashes, never the secret itself, and the
row found is checked once more with ``hmac.compare_digest``.

An e-mail never puts a token in the outbox either: its body holds ``placeholder(token)``
for a token *reserved* (a row without a hash), and the sender calls
``fill_placeholders`` when it sends, which issues the token then. So the token exists
in the e-mail alone; a message sent again (after an SMTP failure) carries a new one and
the old one stops working.

Nothing here audits or checks permissions: the operation that issues, uses or revokes a
token does both, naming the token by its id (never the token).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import CheckConstraint, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from hoering.core.db import Base, db, enum_column_type, now_utc

TOKEN_BYTES = 32
_PLACEHOLDER = re.compile(r"\[\[access-token:(\d{1,12})\]\]")
NO_LONGER_VALID = "(linket er ikke længere gyldigt; kontakt sekretariatet for et nyt)"


class TokenPurpose(StrEnum):
    """What a token lets its holder do."""

    CONSULTEE_LINK = "consultee_link"  # act for one body in one consultation, until its deadline
    INVITATION = "invitation"  # choose one's password, once
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a purpose, no password) - once


SINGLE_USE = frozenset({TokenPurpose.INVITATION, TokenPurpose.PASSWORD_RESET})


class TokenState(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"  # no such token (mistyped, cut off, or issued again since)
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"  # a single-use token that was used


class AccessToken(Base):
    __tablename__ = "access_tokens"
    __table_args__ = (
        CheckConstraint(
            "purpose <> 'consultee_link' OR (body_id IS NOT NULL AND consultation_id IS NOT NULL)",
            name="consultee_link_subjects",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column_type(TokenPurpose))
    # SHA-256 (hex) of the token; None while reserved for an e-mail not yet sent
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # what the token is about (which ones depends on the purpose)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int | None] = mapped_column(
        ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]  # first use (the only one, for a single-use purpose)
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    def state(self, moment: datetime) -> TokenState:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.used_at is not None and self.purpose in SINGLE_USE:
            return TokenState.USED
        if moment >= self.expires_at:
            return TokenState.EXPIRED
        return TokenState.VALID


class Issued(NamedTuple):
    token: AccessToken
    plain: str  # hand it on once (a link); it is not kept anywhere


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def reserve_token(purpose: TokenPurpose, *, expires_at: datetime, user_id: int | None = None,
                  body_id: int | None = None,
                  consultation_id: int | None = None) -> AccessToken:
    """A token row without a token yet, for an e-mail: put ``placeholder(token)`` in its
    body; the sender issues the token when it sends (``fill_placeholders``)."""
    token = AccessToken(purpose=purpose, expires_at=expires_at, user_id=user_id,
                        body_id=body_id, consultation_id=consultation_id)
    db.session.add(token)
    db.session.flush()
    return token


def issue_token(purpose: TokenPurpose, *, expires_at: datetime, user_id: int | None = None,
                body_id: int | None = None, consultation_id: int | None = None) -> Issued:
    """A new token, returned once in plain (e.g. a link printed by a command)."""
    token = reserve_token(purpose, expires_at=expires_at, user_id=user_id, body_id=body_id,
                          consultation_id=consultation_id)
    return Issued(token, _new_secret(token))


def _new_secret(token: AccessToken) -> str:
    plain = secrets.token_urlsafe(TOKEN_BYTES)
    token.token_hash = hash_token(plain)
    db.session.flush()
    return plain


def placeholder(token: AccessToken) -> str:
    """Stands for the token in an e-mail's stored body, until it is sent."""
    return f"[[access-token:{token.id}]]"


def fill_placeholders(text: str, moment: datetime | None = None) -> str:
    """``text`` with each placeholder replaced by a newly issued token (the one issued
    before, if any, stops working), or by a note when the token was revoked or has
    expired meanwhile. Called by the mail sender as it sends; flushes, never commits."""
    moment = moment or now_utc()

    def issue(match: re.Match[str]) -> str:
        token = db.session.get(AccessToken, int(match.group(1)))
        if token is None or token.state(moment) is not TokenState.VALID:
            return NO_LONGER_VALID
        return _new_secret(token)

    return _PLACEHOLDER.sub(issue, text)


def _by_plain(purpose: TokenPurpose, plain: str) -> AccessToken | None:
    if not plain or len(plain) > 100:
        return None
    digest = hash_token(plain)
    token = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == digest))
    if token is None or token.purpose is not purpose:
        return None
    assert token.token_hash is not None  # found by it
    return token if hmac.compare_digest(token.token_hash, digest) else None


def check_token(purpose: TokenPurpose, plain: str,
                moment: datetime | None = None) -> tuple[AccessToken | None, TokenState]:
    """The token of ``plain`` for ``purpose`` (None if there is none) and its state now,
    so that a page can say why a link no longer works. Changes nothing."""
    token = _by_plain(purpose, plain)
    if token is None:
        return None, TokenState.UNKNOWN
    return token, token.state(moment or now_utc())


def find_valid(purpose: TokenPurpose, plain: str) -> AccessToken | None:
    """The token of ``plain`` if it may be used now for ``purpose``, else None."""
    token, state = check_token(purpose, plain)
    return token if state is TokenState.VALID else None


def mark_used(token: AccessToken, moment: datetime | None = None) -> None:
    """Note the token's (first) use; a single-use token is used up by it."""
    if token.used_at is None:
        token.used_at = moment or now_utc()
        db.session.flush()


def outstanding(purpose: TokenPurpose, user_id: int, *,
                unused: bool = False) -> list[AccessToken]:
    """The user's tokens for ``purpose`` that were not revoked (``unused``: nor used),
    oldest first; some may have expired."""
    query = select(AccessToken).where(AccessToken.user_id == user_id,
                                      AccessToken.purpose == purpose,
                                      AccessToken.revoked_at.is_(None))
    if unused:
        query = query.where(AccessToken.used_at.is_(None))
    return list(db.session.scalars(query.order_by(AccessToken.id)))


def revoke_all(purpose: TokenPurpose, user_id: int) -> None:
    """Every outstanding token of the user for ``purpose`` stops working."""
    for token in outstanding(purpose, user_id):
        revoke(token)


def revoke(token: AccessToken, moment: datetime | None = None) -> None:
    """The token stops working (an e-mail waiting in the outbox gets no link either)."""
    if token.revoked_at is None:
        token.revoked_at = moment or now_utc()
        db.session.flush()
