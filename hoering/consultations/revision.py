"""Reading what the comparison of two versions needs (consulted vs revised)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from hoering.consultations.models import ChangeLink, Consultation, Remark, Response
from hoering.consultations.queries import change_links_for_sections
from hoering.core.db import db
from hoering.policies.diff import SectionPair, pair_sections
from hoering.policies.models import PolicyVersion, Section


@dataclass(frozen=True)
class ComparedSection:
    pair: SectionPair
    links: list[ChangeLink]  # remarks answered by this section of the new version


def compare_versions(old: PolicyVersion, new: PolicyVersion) -> list[ComparedSection]:
    pairs = pair_sections(
        [(s.id, s.heading, s.text) for s in old.sections],
        [(s.id, s.heading, s.text) for s in new.sections],
    )
    links = change_links_for_sections([s.id for s in new.sections])
    return [
        ComparedSection(pair, links.get(pair.new_id, []) if pair.new_id is not None else [])
        for pair in pairs
    ]


def later_sections(version: PolicyVersion) -> list[Section]:
    """Sections of the versions after ``version`` of the same policy, for linking."""
    return list(db.session.scalars(
        select(Section).join(Section.version)
        .where(PolicyVersion.policy_id == version.policy_id,
               PolicyVersion.number > version.number)
        .order_by(PolicyVersion.number, Section.position)
    ))


def remarks_answerable_by(section: Section) -> list[Remark]:
    """Submitted remarks from consultations on earlier versions of the section's policy."""
    version = section.version
    return list(db.session.scalars(
        select(Remark).join(Remark.response).join(Consultation,
                                                  Consultation.id == Remark.consultation_id)
        .join(PolicyVersion, PolicyVersion.id == Consultation.version_id)
        .where(PolicyVersion.policy_id == version.policy_id,
               PolicyVersion.number < version.number,
               Response.submitted_at.is_not(None))
        .order_by(Remark.section_id.is_(None), Remark.section_id, Remark.id)
    ))


def consultations_on(version: PolicyVersion) -> list[Consultation]:
    return list(db.session.scalars(
        select(Consultation).where(Consultation.version_id == version.id)
        .order_by(Consultation.id)
    ))
