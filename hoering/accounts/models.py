"""Users, bodies (committees, councils, works councils) and memberships."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hoering.core.db import Base, enum_column_type, now_utc
from hoering.core.permissions import Role as Role  # re-exported: imported from here too

if TYPE_CHECKING:
    class UserMixin:
        """What User takes from Flask-Login's UserMixin. Flask-Login has no types, and a
        base class of type Any would make User match every protocol (select(User) would
        be typed Any)."""

        @property
        def is_authenticated(self) -> bool: ...
        @property
        def is_anonymous(self) -> bool: ...
        def get_id(self) -> str: ...
else:
    from flask_login import UserMixin


class BodyKind(StrEnum):
    """What kind of body is consulted (its Danish label: accounts.forms.BODY_KIND_LABELS).
    Many of the wider circle (unions, associations, local councils, self-governing
    institutions) have no accounts here: they respond through a personal link sent to
    the body's contact e-mail."""

    COMMITTEE = "committee"
    COUNCIL = "council"
    WORKS_COUNCIL = "works_council"
    CITY_COUNCIL = "city_council"
    SCHOOL_BOARD = "school_board"  # school or daycare board (skolebestyrelse, forældreråd)
    UNION = "union"  # trade union or organisation
    ASSOCIATION = "association"
    LOCAL_COUNCIL = "local_council"  # lokalråd
    SELF_GOVERNING_INSTITUTION = "self_governing_institution"
    OTHER = "other"


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column_type(Role))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # Part of every session's user id (get_id): raising it ends every session of the user
    # (logout, a new password, a new role, deactivation, "Log ud på alle enheder").
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The language the user chose with the switch ("da", "en"): their e-mails are written
    # in it, and a login brings it back to the browser. None: the municipality's language.
    language: Mapped[str | None] = mapped_column(String(5), default=None)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """Flask-Login's alternative id: ``"<id>:<session_version>"``, in the session
        cookie (and a remember cookie); hoering.accounts.sessions.load_session_user refuses
        one whose version is no longer the user's."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class Body(Base):
    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    abbreviation: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[BodyKind] = mapped_column(enum_column_type(BodyKind))
    # The municipality's order of its bodies (the memo's abbreviation list and the default
    # order of remarks follow it); None where no order was ever set (natural sort then).
    position: Mapped[int | None]
    # Where a body without accounts here is reached: its invitations carry a personal
    # link (hoering.consultations.consultee_links); None for a body of members only.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="body", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Body {self.abbreviation}>"


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "body_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    is_secretary: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    user: Mapped[User] = relationship(back_populates="memberships")
    body: Mapped[Body] = relationship(back_populates="memberships")


class LoginFailure(Base):
    """A failed login, kept for throttling (the audit trail has its own record)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str | None] = mapped_column(String(45), index=True)
    occurred_at: Mapped[datetime] = mapped_column(default=now_utc, index=True)


class FormStash(Base):
    """What was typed into a form whose POST arrived after the session had expired, kept
    until the same user logs in again in the same browser (hoering.accounts.sessions).
    The browser's session holds only a random token; this row its SHA-256."""

    __tablename__ = "form_stashes"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    page: Mapped[str] = mapped_column(String(2000))  # the form's page: path and query
    fields: Mapped[list[list[str]]] = mapped_column(JSON)  # [[name, value], ...]
    created_at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
