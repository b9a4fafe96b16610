"""Loading the demo: the Ballerup digitalisation-principles case (see DOMAIN.md).

Everything goes through the same operations the UI uses, so the demo also fills the
audit trail, as the system user.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, inspect, select

from hoering import demo_content
from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, BodyKind, Role, User
from hoering.db import db
from hoering.errors import DomainError
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: Role
    name: str


def database_is_migrated() -> bool:
    return inspect(db.engine).has_table(User.__tablename__)


def database_is_empty() -> bool:
    return not any(
        db.session.scalar(select(func.count()).select_from(model)) for model in (User, Body)
    )


def load_demo() -> list[DemoLogin]:
    """Fill an empty database with the demo case; return the demo logins. Flushes only."""
    if not database_is_empty():
        raise DomainError(
            "Databasen indeholder allerede data; demoen indlæses kun i en tom database."
        )

    bodies = {
        abbreviation: accounts.create_body(
            name=name, abbreviation=abbreviation, kind=BodyKind(kind), actor=None
        )
        for abbreviation, name, kind in demo_content.BODIES
    }

    logins = []
    for spec in demo_content.DEMO_USERS:
        user = accounts.create_user(
            name=spec["name"], email=spec["email"], role=Role(spec["role"]),
            password=spec["password"], actor=None,
        )
        for abbreviation in spec["bodies"]:
            accounts.add_membership(
                user, bodies[abbreviation],
                is_secretary=abbreviation in spec["secretary_of"], actor=None,
            )
        logins.append(DemoLogin(user.email, spec["password"], user.role, user.name))

    spec = demo_content.POLICY
    policy = policies.create_policy(
        title=spec["title"], journal_number=spec["journal_number"],
        description=spec["description"], owner_body=bodies[spec["owner"]], actor=None,
    )
    consulted = policies.create_version(
        policy, [DraftSection(h, t) for h, t in demo_content.CONSULTED_SECTIONS],
        note="Høringsversion, sendt i høring af Økonomiudvalget den 12. marts 2024", actor=None,
    )
    policies.freeze_version(consulted, actor=None)
    policies.create_version(
        policy, [DraftSection(h, t) for h, t in demo_content.REVISED_SECTIONS],
        note="Revideret udkast efter høringen", actor=None,
    )
    return logins
