"""Reading policies and versions."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from hoering.policies.models import Policy, PolicyVersion


def policies_query() -> Select[Policy]:
    return (
        select(Policy)
        .options(selectinload(Policy.owner_body), selectinload(Policy.versions))
        .order_by(Policy.created_at.desc(), Policy.id.desc())
    )


def version_by_number(policy: Policy, number: int) -> PolicyVersion | None:
    return next((v for v in policy.versions if v.number == number), None)
