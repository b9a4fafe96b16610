"""Everything that writes policies, versions and sections. Each call flushes, never commits."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from hoering.accounts.models import Body, User
from hoering.audit.record import add_and_record, deleted, record_event, update_and_record
from hoering.audit.tags import AuditTag
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check
from hoering.policies.draft_split import DraftSection, split_draft
from hoering.policies.kle import normalise_journal_number
from hoering.policies.models import Policy, PolicyVersion, Section

POLICY_FIELDS = ("title", "journal_number", "description", "owner_body_id")
VERSION_FIELDS = ("policy_id", "number", "note")
SECTION_FIELDS = ("version_id", "position", "heading", "text")


def _journal_number(value: str) -> str:
    try:
        return normalise_journal_number(value)
    except ValueError as error:
        raise DomainError(str(error)) from error


# --- policies ------------------------------------------------------------------------


def create_policy(
    *, title: str, journal_number: str, description: str, owner_body: Body, actor: User | None
) -> Policy:
    check(actor, Permission.EDIT_POLICIES)
    policy = Policy(
        title=title.strip(),
        journal_number=_journal_number(journal_number),
        description=description.strip(),
        owner_body=owner_body,
    )
    add_and_record(policy, AuditTag.POLICY_CREATE, POLICY_FIELDS, actor=actor)
    return policy


def update_policy(
    policy: Policy,
    *,
    title: str,
    journal_number: str,
    description: str,
    owner_body: Body,
    actor: User | None,
) -> Policy:
    check(actor, Permission.EDIT_POLICIES)
    update_and_record(
        policy, AuditTag.POLICY_UPDATE, POLICY_FIELDS,
        {"title": title.strip(), "journal_number": _journal_number(journal_number),
         "description": description.strip(), "owner_body": owner_body},
        actor=actor,
    )
    return policy


# --- versions ------------------------------------------------------------------------


def _next_version_number(policy: Policy) -> int:
    highest = db.session.scalar(
        select(func.max(PolicyVersion.number)).where(PolicyVersion.policy_id == policy.id)
    )
    return (highest or 0) + 1


def create_version(
    policy: Policy, sections: list[DraftSection], *, note: str = "", actor: User | None
) -> PolicyVersion:
    """A new, editable version holding ``sections`` in the order given."""
    check(actor, Permission.EDIT_POLICIES)
    version = PolicyVersion(policy=policy, number=_next_version_number(policy), note=note.strip())
    add_and_record(version, AuditTag.VERSION_CREATE, VERSION_FIELDS, actor=actor)
    for draft in sections:
        _add_section(version, draft.heading, draft.text, actor=actor)
    return version


def create_version_from_draft(
    policy: Policy, source: str, *, note: str = "", actor: User | None
) -> PolicyVersion:
    sections = split_draft(source)
    if not sections:
        raise DomainError(_("Udkastet er tomt. Indsæt teksten til den nye version."))
    return create_version(policy, sections, note=note, actor=actor)


def copy_version(version: PolicyVersion, *, actor: User | None) -> PolicyVersion:
    """The next version of the policy, starting as a copy of ``version``."""
    return create_version(
        version.policy,
        [DraftSection(s.heading, s.text) for s in version.sections],
        note=f"Kopi af version {version.number}",
        actor=actor,
    )


def freeze_version(version: PolicyVersion, *, actor: User | None) -> PolicyVersion:
    check(actor, Permission.EDIT_POLICIES)
    if version.is_frozen:
        raise DomainError(_("Version %(n)d er allerede låst.", n=version.number))
    if not version.sections:
        raise DomainError(_("En version uden afsnit kan ikke låses."))
    version.frozen_at = now_utc()
    version.frozen_by_id = actor.id if actor is not None else None
    db.session.flush()
    record_event(
        AuditTag.VERSION_FREEZE, actor=actor, object_type="policy_version", object_id=version.id,
        changes={"frozen_at": {"before": None, "after": version.frozen_at.isoformat()}},
    )
    return version


def _ensure_editable(version: PolicyVersion) -> None:
    if version.is_frozen:
        raise DomainError(_(
            "Version %(n)d er låst og kan ikke redigeres. Opret en ny version for at ændre "
            "teksten.", n=version.number))


# --- sections ------------------------------------------------------------------------


def _add_section(
    version: PolicyVersion, heading: str, text: str, *, actor: User | None
) -> Section:
    heading = heading.strip()
    if not heading:
        raise DomainError(_("Et afsnit skal have en overskrift."))
    section = Section(
        version=version, position=len(version.sections) + 1, heading=heading, text=text.strip()
    )
    add_and_record(section, AuditTag.SECTION_CREATE, SECTION_FIELDS, actor=actor)
    return section


def add_section(
    version: PolicyVersion, *, heading: str, text: str, actor: User | None
) -> Section:
    check(actor, Permission.EDIT_POLICIES)
    _ensure_editable(version)
    return _add_section(version, heading, text, actor=actor)


def update_section(section: Section, *, heading: str, text: str, actor: User | None) -> Section:
    check(actor, Permission.EDIT_POLICIES)
    _ensure_editable(section.version)
    if not heading.strip():
        raise DomainError(_("Et afsnit skal have en overskrift."))
    update_and_record(
        section, AuditTag.SECTION_UPDATE, SECTION_FIELDS,
        {"heading": heading.strip(), "text": text.strip()}, actor=actor,
    )
    return section


def _renumber(version: PolicyVersion, ordered: list[Section], *, actor: User | None) -> None:
    """Give ``ordered`` the positions 1..n, auditing each section that moved.

    Positions are unique per version, so sections are first parked past the highest
    position in use and then set to their final ones.
    """
    before = {s.id: s.position for s in ordered}
    parking = max(before.values(), default=0) + len(ordered)
    for index, section in enumerate(ordered, start=1):
        section.position = parking + index
    db.session.flush()
    for index, section in enumerate(ordered, start=1):
        section.position = index
    db.session.flush()
    version.sections.sort(key=lambda s: s.position)
    for section in ordered:
        if before[section.id] != section.position:
            record_event(
                AuditTag.SECTION_MOVE, actor=actor, object_type="section", object_id=section.id,
                changes={"position": {"before": before[section.id], "after": section.position}},
            )


def move_section(section: Section, offset: int, *, actor: User | None) -> None:
    """Move a section ``offset`` places (-1 up, +1 down); at the edge nothing happens."""
    check(actor, Permission.EDIT_POLICIES)
    version = section.version
    _ensure_editable(version)
    ordered = list(version.sections)
    index = ordered.index(section)
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    ordered.insert(target, ordered.pop(index))
    _renumber(version, ordered, actor=actor)


def delete_section(section: Section, *, actor: User | None) -> None:
    check(actor, Permission.EDIT_POLICIES)
    version = section.version
    _ensure_editable(version)
    record_event(
        AuditTag.SECTION_DELETE, actor=actor, object_type="section", object_id=section.id,
        changes=deleted(section, SECTION_FIELDS),
    )
    version.sections.remove(section)
    db.session.delete(section)
    db.session.flush()
    _renumber(version, list(version.sections), actor=actor)


def merge_section_with_next(section: Section, *, actor: User | None) -> Section:
    """Append the following section (its heading as a paragraph) and delete it."""
    check(actor, Permission.EDIT_POLICIES)
    version = section.version
    _ensure_editable(version)
    ordered = list(version.sections)
    index = ordered.index(section)
    if index + 1 >= len(ordered):
        raise DomainError(_("Det sidste afsnit kan ikke flettes med et efterfølgende."))
    following = ordered[index + 1]
    parts = (section.text, following.heading, following.text)
    merged_text = "\n\n".join(part for part in parts if part)
    update_section(section, heading=section.heading, text=merged_text, actor=actor)
    delete_section(following, actor=actor)
    return section
