"""Reading policies and versions."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, selectinload

from hoering.db import db
from hoering.policies.models import Policy, PolicyVersion


def policies_query() -> Select:
    return (
        select(Policy)
        .options(selectinload(Policy.owner_body), selectinload(Policy.versions))
        .order_by(Policy.created_at.desc(), Policy.id.desc())
    )


def version_by_number(policy: Policy, number: int) -> PolicyVersion | None:
    return next((v for v in policy.versions if v.number == number), None)


def consultations_of_policy(policy: Policy) -> list:
    """The consultation rounds held on any version of the policy, oldest first."""
    from hoering.consultations.models import Consultation

    return list(
        db.session.scalars(
            select(Consultation)
            .join(Consultation.version)
            .where(PolicyVersion.policy_id == policy.id)
            .options(contains_eager(Consultation.version))  # the page shows each version
            .order_by(Consultation.opens_on, Consultation.id)
        )
    )
