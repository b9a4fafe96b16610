"""Reading users and bodies."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hoering.accounts.models import Body, Membership, User
from hoering.core.db import db
from hoering.core.permissions import Permission, roles_with


def users_query():
    return select(User).order_by(User.name, User.id)


def users_with(permission: Permission) -> list[User]:
    """The active users who hold ``permission``, by name."""
    return list(db.session.scalars(
        users_query().where(User.active.is_(True), User.role.in_(roles_with(permission)))))


def bodies_query():
    return select(Body).order_by(Body.name, Body.id)


def all_bodies() -> list[Body]:
    return list(db.session.scalars(bodies_query()))


def body_members(body: Body) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.body_id == body.id)
            .options(selectinload(Membership.user))
            .join(Membership.user)
            .order_by(User.name)
        )
    )


def user_memberships(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.user_id == user.id)
            .options(selectinload(Membership.body))
            .join(Membership.body)
            .order_by(Body.name)
        )
    )
