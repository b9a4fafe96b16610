"""Policies, versions and sections: validation, audit events, freezing and ordering.

Operations are called directly (as the views do); the last part drives the same
steps over HTTP as a staff user.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from hoering.core.errors import DomainError, NotAllowed
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.policies.models import Policy, PolicyVersion, Section

JOURNAL_NUMBER = "85.13.00-P00-1-23"
INVALID_JOURNAL_NUMBER = "Journalnummeret skal have formen 85.13.00-P00-1-23."
FROZEN = "Version 1 er låst og kan ikke redigeres. Opret en ny version for at ændre teksten."

PRINCIPLES = [
    "Princip 1: Vi digitaliserer ambitiøst og inkluderende",
    "Princip 2: Vi skaber sammenhæng på tværs",
    "Princip 3: Digitalisering understøtter kommunens samfundsopgave",
    "Princip 4: Vi inddrager slutbrugerne",
    "Princip 5: Vi bruger data til at skabe bedre løsninger",
]
DRAFT = "\n\n".join(
    [
        "# Politiske principper for digitalisering",
        "## Rammesætning",
        "Vi vil mere med digitalisering.",
        *(f"## {heading}\n\nTekst til {heading[:9].lower()}." for heading in PRINCIPLES),
    ]
)
DRAFT_HEADINGS = ["Rammesætning", *PRINCIPLES]


# --- helpers -------------------------------------------------------------------------


def _mark() -> int:
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def _events_since(mark: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > mark).order_by(AuditEvent.id)
        )
    )


def _changed(before, after) -> dict:
    return {"before": before, "after": after}


def _stored_sections(version: PolicyVersion) -> list[tuple[int, str, str]]:
    """(position, heading, text) as stored, read afresh from the database."""
    db.session.expire_all()
    return [
        (s.position, s.heading, s.text)
        for s in db.session.scalars(
            select(Section).where(Section.version_id == version.id).order_by(Section.position)
        )
    ]


@pytest.fixture
def body(app, make_body):
    return make_body("DTU", "Digitaliserings- og Teknologiudvalget")


@pytest.fixture
def policy(body) -> Policy:
    policy = policies.create_policy(
        title="Politiske principper for digitalisering", journal_number=JOURNAL_NUMBER,
        description="Fem principper.", owner_body=body, actor=None,
    )
    db.session.commit()
    return policy


def _version(policy: Policy, *headings: str) -> PolicyVersion:
    version = policies.create_version(
        policy, [DraftSection(h, f"Tekst {h}") for h in headings], actor=None
    )
    db.session.commit()
    return version


@pytest.fixture
def abcd(policy) -> PolicyVersion:
    """An editable version with the sections A, B, C and D."""
    return _version(policy, "A", "B", "C", "D")


# --- policies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("85.13.00-P00-1-23", "85.13.00-P00-1-23"),
        ("85.13.00-p00-1-23", "85.13.00-P00-1-23"),
        ("  85.13.00-g01-123456-24 ", "85.13.00-G01-123456-24"),
        ("00.01.00-A00-9-99", "00.01.00-A00-9-99"),
    ],
)
def test_create_policy_normalises_the_journal_number_and_audits(
    make_user, body, typed, stored
):
    staff = make_user(Role.STAFF)
    mark = _mark()

    policy = policies.create_policy(
        title="  Principper  ", journal_number=typed, description=" Kort. ",
        owner_body=body, actor=staff,
    )

    assert (policy.title, policy.journal_number, policy.description) == (
        "Principper", stored, "Kort.",
    )
    (event,) = _events_since(mark)
    assert (event.action, event.object_type, event.object_id) == (
        "policy:create", "policy", policy.id,
    )
    assert (event.actor_id, event.actor_label) == (staff.id, staff.email)
    assert event.changes == {
        "description": _changed(None, "Kort."),
        "journal_number": _changed(None, stored),
        "owner_body_id": _changed(None, body.id),
        "title": _changed(None, "Principper"),
    }


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "85.13.00",
        "85.13.00-P00-1",
        "85-13-00-P00-1-23",
        "85.13.0-P00-1-23",
        "85.13.00-P0-1-23",
        "85.13.00-PP0-1-23",
        "85.13.00-P00-01-23",
        "85.13.00-P00-1234567-23",
        "85.13.00-P00-1-2023",
        "85.13.00 P00 1 23",
    ],
)
def test_create_policy_refuses_a_bad_journal_number(body, typed):
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        policies.create_policy(
            title="Principper", journal_number=typed, description="", owner_body=body,
            actor=None,
        )
    assert refusal.value.message == INVALID_JOURNAL_NUMBER
    assert _events_since(mark) == []
    assert db.session.scalar(select(func.count()).select_from(Policy)) == 0


def test_update_policy_refuses_a_bad_journal_number(policy):
    with pytest.raises(DomainError, match="Journalnummeret skal have formen"):
        policies.update_policy(
            policy, title=policy.title, journal_number="85.13", description="",
            owner_body=policy.owner_body, actor=None,
        )


UPDATE_POLICY_CASES = [
    # (field changes, expected ``changes``; None = no event)
    ({"title": "Nye principper"},
     {"title": _changed("Politiske principper for digitalisering", "Nye principper")}),
    ({"journal_number": "85.13.00-p00-2-24"},
     {"journal_number": _changed(JOURNAL_NUMBER, "85.13.00-P00-2-24")}),
    ({"journal_number": "85.13.00-p00-1-23"}, None),  # same number, lower-case facet
    ({"description": "  Fem principper.  "}, None),
    ({"description": ""}, {"description": _changed("Fem principper.", "")}),
    ({"owner_body": "other"}, {"owner_body_id": "other"}),
    ({}, None),
]


@pytest.mark.parametrize(("fields", "expected"), UPDATE_POLICY_CASES)
def test_update_policy_audits_only_changed_fields(
    make_user, make_body, policy, fields, expected
):
    staff = make_user(Role.STAFF)
    other = make_body("ØU", "Økonomiudvalget")
    old_body_id = policy.owner_body_id
    if fields.get("owner_body") == "other":
        fields = {"owner_body": other}
        expected = {"owner_body_id": _changed(old_body_id, other.id)}
    current = {
        "title": policy.title, "journal_number": policy.journal_number,
        "description": policy.description, "owner_body": policy.owner_body,
    }
    mark = _mark()

    policies.update_policy(policy, **(current | fields), actor=staff)
    db.session.commit()

    events = _events_since(mark)
    if expected is None:
        assert events == []
    else:
        (event,) = events
        assert (event.action, event.object_type, event.object_id, event.actor_id) == (
            "policy:update", "policy", policy.id, staff.id,
        )
        assert event.changes == expected


# --- versions ------------------------------------------------------------------------


def test_a_draft_with_framing_and_five_principles_becomes_six_sections(make_user, policy):
    staff = make_user(Role.STAFF)
    mark = _mark()

    version = policies.create_version_from_draft(policy, DRAFT, note=" Udkast ", actor=staff)
    db.session.commit()

    assert (version.number, version.note, version.is_frozen) == (1, "Udkast", False)
    assert [(s.position, s.heading) for s in version.sections] == list(
        enumerate(DRAFT_HEADINGS, start=1)
    )
    assert version.sections[0].text == "Vi vil mere med digitalisering."
    assert version.sections[1].text == "Tekst til princip 1."
    assert _stored_sections(version)[5] == (6, PRINCIPLES[4], "Tekst til princip 5.")

    events = _events_since(mark)
    assert [e.action for e in events] == ["version:create"] + ["section:create"] * 6
    assert all(e.actor_id == staff.id for e in events)
    assert events[0].object_id == version.id
    assert events[0].changes == {
        "note": _changed(None, "Udkast"),
        "number": _changed(None, 1),
        "policy_id": _changed(None, policy.id),
    }
    assert [e.object_id for e in events[1:]] == [s.id for s in version.sections]
    assert events[2].changes == {
        "heading": _changed(None, PRINCIPLES[0]),
        "position": _changed(None, 2),
        "text": _changed(None, "Tekst til princip 1."),
        "version_id": _changed(None, version.id),
    }


def test_version_numbers_increase(policy):
    numbers = [
        policies.create_version_from_draft(policy, DRAFT, actor=None).number for _ in range(3)
    ]
    assert numbers == [1, 2, 3]
    db.session.commit()
    db.session.expire_all()
    assert [v.number for v in policy.versions] == [1, 2, 3]


def test_version_numbers_are_per_policy(policy, body):
    policies.create_version_from_draft(policy, DRAFT, actor=None)
    other = policies.create_policy(
        title="Anden politik", journal_number="00.01.00-A00-1-24", description="",
        owner_body=body, actor=None,
    )
    assert policies.create_version_from_draft(other, DRAFT, actor=None).number == 1


@pytest.mark.parametrize("source", ["", "   ", "\n\n\t\n"])
def test_an_empty_draft_is_refused(policy, source):
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        policies.create_version_from_draft(policy, source, actor=None)
    assert refusal.value.message == "Udkastet er tomt. Indsæt teksten til den nye version."
    assert _events_since(mark) == []
    assert db.session.scalar(select(func.count()).select_from(PolicyVersion)) == 0


def test_copy_version_copies_the_sections(make_user, policy):
    staff = make_user(Role.STAFF)
    original = policies.create_version_from_draft(policy, DRAFT, actor=None)
    policies.freeze_version(original, actor=None)
    db.session.commit()
    mark = _mark()

    copy = policies.copy_version(original, actor=staff)
    db.session.commit()

    assert (copy.number, copy.note, copy.is_frozen) == (2, "Kopi af version 1", False)
    assert [(s.position, s.heading, s.text) for s in copy.sections] == [
        (s.position, s.heading, s.text) for s in original.sections
    ]
    assert {s.id for s in copy.sections}.isdisjoint({s.id for s in original.sections})
    events = _events_since(mark)
    assert [e.action for e in events] == ["version:create"] + ["section:create"] * 6
    assert all(e.actor_id == staff.id for e in events)


def test_freeze_version_records_when_and_who(make_user, abcd):
    staff = make_user(Role.STAFF)
    mark = _mark()

    policies.freeze_version(abcd, actor=staff)
    db.session.commit()
    db.session.expire_all()

    assert abcd.is_frozen
    assert isinstance(abcd.frozen_at, datetime)
    assert abcd.frozen_at.tzinfo is not None
    assert abcd.frozen_by_id == staff.id
    (event,) = _events_since(mark)
    assert (event.action, event.object_type, event.object_id, event.actor_id) == (
        "version:freeze", "policy_version", abcd.id, staff.id,
    )
    assert event.changes == {"frozen_at": _changed(None, event.changes["frozen_at"]["after"])}
    assert datetime.fromisoformat(event.changes["frozen_at"]["after"]) == abcd.frozen_at


def test_freezing_twice_is_refused(abcd):
    policies.freeze_version(abcd, actor=None)
    frozen_at = abcd.frozen_at
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        policies.freeze_version(abcd, actor=None)
    assert refusal.value.message == "Version 1 er allerede låst."
    assert abcd.frozen_at == frozen_at
    assert _events_since(mark) == []


def test_an_empty_version_cannot_be_frozen(policy):
    empty = _version(policy)
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        policies.freeze_version(empty, actor=None)
    assert refusal.value.message == "En version uden afsnit kan ikke låses."
    assert not empty.is_frozen
    assert _events_since(mark) == []


# Each edit of a version, applied to the sections A, B, C, D.
EDITS = {
    "add_section": lambda v, actor: policies.add_section(
        v, heading="E", text="Ny", actor=actor
    ),
    "update_section": lambda v, actor: policies.update_section(
        v.sections[0], heading="A2", text="Ændret", actor=actor
    ),
    "move_section down": lambda v, actor: policies.move_section(
        v.sections[0], 1, actor=actor
    ),
    "move_section up": lambda v, actor: policies.move_section(v.sections[1], -1, actor=actor),
    "delete_section": lambda v, actor: policies.delete_section(v.sections[1], actor=actor),
    "merge_section_with_next": lambda v, actor: policies.merge_section_with_next(
        v.sections[0], actor=actor
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_frozen_version_cannot_be_edited(make_user, abcd, edit):
    staff = make_user(Role.STAFF)
    policies.freeze_version(abcd, actor=None)
    db.session.commit()
    before = _stored_sections(abcd)
    mark = _mark()

    with pytest.raises(DomainError) as refusal:
        EDITS[edit](abcd, staff)

    assert refusal.value.message == FROZEN
    db.session.commit()  # anything changed before the refusal would be kept now
    assert _stored_sections(abcd) == before
    assert _events_since(mark) == []


@pytest.mark.parametrize("edit", list(EDITS))
def test_staff_may_edit_an_unfrozen_version(make_user, abcd, edit):
    staff = make_user(Role.STAFF)
    before = _stored_sections(abcd)
    mark = _mark()

    EDITS[edit](abcd, staff)
    db.session.commit()

    assert _stored_sections(abcd) != before
    events = _events_since(mark)
    assert events
    assert all(e.actor_id == staff.id for e in events)


# --- sections ------------------------------------------------------------------------


def test_add_section_appends(make_user, abcd):
    staff = make_user(Role.STAFF)
    mark = _mark()
    section = policies.add_section(abcd, heading="  E  ", text=" Ny tekst ", actor=staff)
    assert _stored_sections(abcd)[-1] == (5, "E", "Ny tekst")
    (event,) = _events_since(mark)
    assert (event.action, event.object_id) == ("section:create", section.id)
    assert event.changes["position"] == _changed(None, 5)


@pytest.mark.parametrize("heading", ["", "   "])
def test_a_section_needs_a_heading(abcd, heading):
    with pytest.raises(DomainError, match="Et afsnit skal have en overskrift."):
        policies.add_section(abcd, heading=heading, text="Tekst", actor=None)
    with pytest.raises(DomainError, match="Et afsnit skal have en overskrift."):
        policies.update_section(abcd.sections[0], heading=heading, text="Tekst", actor=None)


@pytest.mark.parametrize(
    ("heading", "text", "expected"),
    [
        ("A2", "Tekst A", {"heading": _changed("A", "A2")}),
        ("A", "Ny tekst", {"text": _changed("Tekst A", "Ny tekst")}),
        (
            "A2", "Ny tekst",
            {"heading": _changed("A", "A2"), "text": _changed("Tekst A", "Ny tekst")},
        ),
        (" A ", "Tekst A  ", None),
    ],
)
def test_update_section_audits_only_changed_fields(abcd, heading, text, expected):
    section = abcd.sections[0]
    mark = _mark()
    policies.update_section(section, heading=heading, text=text, actor=None)
    events = _events_since(mark)
    if expected is None:
        assert events == []
    else:
        (event,) = events
        assert (event.action, event.object_id, event.changes) == (
            "section:update", section.id, expected,
        )


MOVES = [
    # (section, offset, order afterwards, moved sections as (heading, before, after))
    ("A", -1, "ABCD", set()),
    ("D", 1, "ABCD", set()),
    ("B", -1, "BACD", {("B", 2, 1), ("A", 1, 2)}),
    ("B", 1, "ACBD", {("B", 2, 3), ("C", 3, 2)}),
    ("A", 1, "BACD", {("A", 1, 2), ("B", 2, 1)}),
    ("D", -1, "ABDC", {("D", 4, 3), ("C", 3, 4)}),
]


@pytest.mark.parametrize(("heading", "offset", "order", "moved"), MOVES)
def test_move_section_renumbers_and_audits_what_moved(
    make_user, abcd, heading, offset, order, moved
):
    staff = make_user(Role.STAFF)
    by_heading = {s.heading: s for s in abcd.sections}
    headings = {s.id: s.heading for s in abcd.sections}
    mark = _mark()

    policies.move_section(by_heading[heading], offset, actor=staff)
    db.session.commit()

    assert [(p, h) for p, h, _ in _stored_sections(abcd)] == list(enumerate(order, start=1))
    events = _events_since(mark)
    assert all(e.action == "section:move" and e.actor_id == staff.id for e in events)
    assert {
        (headings[e.object_id], e.changes["position"]["before"], e.changes["position"]["after"])
        for e in events
    } == moved
    assert len(events) == len(moved)
    assert all(set(e.changes) == {"position"} for e in events)


@pytest.mark.parametrize(
    ("deleted", "remaining", "moved"),
    [
        ("A", "BCD", {("B", 2, 1), ("C", 3, 2), ("D", 4, 3)}),
        ("B", "ACD", {("C", 3, 2), ("D", 4, 3)}),
        ("D", "ABC", set()),
    ],
)
def test_delete_section_renumbers_the_rest(abcd, deleted, remaining, moved):
    by_heading = {s.heading: s for s in abcd.sections}
    headings = {s.id: s.heading for s in abcd.sections}
    deleted_id = by_heading[deleted].id
    mark = _mark()

    policies.delete_section(by_heading[deleted], actor=None)
    db.session.commit()

    assert [(p, h) for p, h, _ in _stored_sections(abcd)] == list(
        enumerate(remaining, start=1)
    )
    assert db.session.get(Section, deleted_id) is None
    events = _events_since(mark)
    assert (events[0].action, events[0].object_id) == ("section:delete", deleted_id)
    assert events[0].changes["heading"] == _changed(deleted, None)
    assert events[0].changes["text"] == _changed(f"Tekst {deleted}", None)
    assert [e.action for e in events[1:]] == ["section:move"] * len(moved)
    assert {
        (headings[e.object_id], e.changes["position"]["before"], e.changes["position"]["after"])
        for e in events[1:]
    } == moved


def test_merge_section_with_next(abcd):
    a, b, c, d = abcd.sections
    b_id = b.id
    mark = _mark()

    merged = policies.merge_section_with_next(b, actor=None)
    db.session.commit()

    assert merged is b
    assert _stored_sections(abcd) == [
        (1, "A", "Tekst A"),
        (2, "B", "Tekst B\n\nC\n\nTekst C"),
        (3, "D", "Tekst D"),
    ]
    assert db.session.get(Section, c.id) is None
    events = _events_since(mark)
    assert [(e.action, e.object_id) for e in events] == [
        ("section:update", b_id),
        ("section:delete", c.id),
        ("section:move", d.id),
    ]
    assert events[0].changes == {"text": _changed("Tekst B", "Tekst B\n\nC\n\nTekst C")}
    assert events[2].changes == {"position": _changed(4, 3)}


def test_merge_skips_empty_texts(policy):
    version = policies.create_version(
        policy, [DraftSection("A", ""), DraftSection("B", "")], actor=None
    )
    policies.merge_section_with_next(version.sections[0], actor=None)
    assert _stored_sections(version) == [(1, "A", "B")]


def test_the_last_section_cannot_be_merged(abcd):
    before = _stored_sections(abcd)
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        policies.merge_section_with_next(abcd.sections[-1], actor=None)
    assert refusal.value.message == "Det sidste afsnit kan ikke flettes med et efterfølgende."
    assert _stored_sections(abcd) == before
    assert _events_since(mark) == []


# --- who may edit policies -------------------------------------------------------------


POLICY_OPERATIONS = {
    "create_policy": lambda p, actor: policies.create_policy(
        title="Ny", journal_number=JOURNAL_NUMBER, description="", owner_body=p.owner_body,
        actor=actor,
    ),
    "update_policy": lambda p, actor: policies.update_policy(
        p, title="Ny titel", journal_number=p.journal_number, description="",
        owner_body=p.owner_body, actor=actor,
    ),
    "create_version_from_draft": lambda p, actor: policies.create_version_from_draft(
        p, DRAFT, actor=actor
    ),
    "copy_version": lambda p, actor: policies.copy_version(p.versions[0], actor=actor),
    "freeze_version": lambda p, actor: policies.freeze_version(p.versions[0], actor=actor),
    **{
        name: (lambda p, actor, edit=edit: edit(p.versions[0], actor))
        for name, edit in EDITS.items()
    },
}


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
@pytest.mark.parametrize("operation", list(POLICY_OPERATIONS))
def test_only_editors_change_policies(make_user, abcd, operation, role):
    actor = make_user(role)
    policy = abcd.policy
    before = _stored_sections(abcd)
    mark = _mark()

    with pytest.raises(NotAllowed) as refusal:
        POLICY_OPERATIONS[operation](policy, actor)

    assert refusal.value.message == "Du har ikke adgang til at udføre denne handling."
    db.session.rollback()
    assert _stored_sections(abcd) == before
    assert _events_since(mark) == []
    assert db.session.scalar(select(func.count()).select_from(PolicyVersion)) == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
@pytest.mark.parametrize("operation", list(POLICY_OPERATIONS))
def test_editors_change_policies(make_user, abcd, operation, role):
    actor = make_user(role)
    mark = _mark()
    POLICY_OPERATIONS[operation](abcd.policy, actor)
    events = _events_since(mark)
    assert events
    assert all(e.actor_id == actor.id for e in events)


# --- over HTTP, as staff ---------------------------------------------------------------


def test_preview_shows_the_sections_without_creating_a_version(client, login_as, policy):
    login_as(Role.STAFF)
    mark = _mark()

    response = client.post(
        f"/politikker/{policy.id}/versioner/ny", data={"source": DRAFT, "preview": "1"}
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    positions = [page.index(f"<h3>{heading}</h3>") for heading in DRAFT_HEADINGS]
    assert positions == sorted(positions)
    assert "Opret version med 6 afsnit" in page
    assert "Politiske principper for digitalisering</h3>" not in page  # the title is dropped
    assert db.session.scalar(select(func.count()).select_from(PolicyVersion)) == 0
    assert [e.action for e in _events_since(mark)] == []


def test_create_from_draft_over_http(client, login_as, policy):
    staff = login_as(Role.STAFF)
    mark = _mark()

    response = client.post(
        f"/politikker/{policy.id}/versioner/ny",
        data={"source": DRAFT, "note": "Første udkast", "create": "1"},
    )

    assert response.status_code == 302
    version = db.session.scalars(select(PolicyVersion)).one()
    assert response.headers["Location"] == f"/politikker/versioner/{version.id}"
    assert (version.number, version.note) == (1, "Første udkast")
    assert [s.heading for s in version.sections] == DRAFT_HEADINGS
    events = _events_since(mark)
    assert [e.action for e in events] == ["version:create"] + ["section:create"] * 6
    assert all(e.actor_id == staff.id for e in events)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert all(heading in page for heading in DRAFT_HEADINGS)


def test_creating_from_an_empty_draft_over_http_creates_nothing(client, login_as, policy):
    login_as(Role.STAFF)
    response = client.post(
        f"/politikker/{policy.id}/versioner/ny", data={"source": "   \n  ", "create": "1"}
    )
    assert response.status_code == 200
    assert "Udkastet er tomt" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PolicyVersion)) == 0


FROZEN_REQUESTS = [
    # (path under /politikker given the sections A..D, form data)
    ("/afsnit/{a}/rediger", {"heading": "Ny", "text": "Ny tekst"}),
    ("/versioner/{v}/afsnit/nyt", {"heading": "E", "text": "Ny"}),
    ("/afsnit/{b}/flyt", {"retning": "op"}),
    ("/afsnit/{a}/flet", {}),
    ("/afsnit/{a}/slet", {}),
]


@pytest.mark.parametrize(("path", "data"), FROZEN_REQUESTS)
def test_editing_a_frozen_version_over_http_is_refused(client, login_as, abcd, path, data):
    login_as(Role.STAFF)
    policies.freeze_version(abcd, actor=None)
    db.session.commit()
    before = _stored_sections(abcd)
    mark = _mark()
    a, b = abcd.sections[:2]

    response = client.post(
        "/politikker" + path.format(a=a.id, b=b.id, v=abcd.id), data=data
    )

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Handlingen kunne ikke udføres" in page
    assert FROZEN in page
    assert _stored_sections(abcd) == before
    assert _events_since(mark) == []
