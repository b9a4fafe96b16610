"""The consultation round, operation by operation: setting up, consultee status, member
drafting and submission, the deadline, declining, importing minutes, processing remarks
(moving, memo wording, replies with optimistic locking and approval) and the queries.

Operations are called directly with actors, as the views and the CLI call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import event, func, select, text

from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, Role, User
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations import queries
from hoering.consultations.forms import local_deadline_to_utc
from hoering.consultations.minutes.parse import parse_minutes
from hoering.consultations.minutes.results import SectionRef
from hoering.consultations.models import (
    Consultation,
    Consultee,
    ConsulteeStatus,
    Disposition,
    Remark,
    Reply,
    Response,
    ResponseChannel,
    ResponseStatus,
)
from hoering.core.clock import frozen_at
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError, NotAllowed
from hoering.outbox.models import OutboxMessage
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.policies.models import PolicyVersion, Section
from tests.consultations.reference import HEADINGS, OPENED_ON, REFERENCE, SOURCE

LATE = "Høringsfristen er overskredet. Kontakt sekretariatet"
LOCKED = "Høringssvaret er indsendt og låst. Sekretariatet kan genåbne det."
NO_ACCESS = "Du har ikke adgang til at udføre denne handling."
OTHER_VERSION = "Afsnittet hører ikke til den version, der er i høring."


# --- helpers -------------------------------------------------------------------------


def _mark() -> int:
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def _events_since(mark: int, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.id > mark).order_by(AuditEvent.id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _changed(before, after) -> dict:
    return {"before": before, "after": after}


@dataclass
class Round:
    """An open consultation on the digitalisation principles (six sections), to which
    the Social Committee (A), the Climate Committee (B) and the Culture Committee (C) are
    invited, with the people who act in it."""

    consultation: Consultation
    version: PolicyVersion
    sections: list[Section]
    body_a: Body
    body_b: Body
    body_c: Body
    secretary_a: User
    member_a: User
    member_b: User
    staff: User
    colleague: User  # a second member of staff, who approves
    auditor: User

    def section(self, position: int) -> Section:
        return self.sections[position - 1]

    @property
    def deadline(self):
        return self.consultation.closes_at

    def consultee(self, body: Body) -> Consultee:
        return next(c for c in self.consultation.consultees if c.body_id == body.id)


def _policy_version(owner: Body, headings: list[str] = HEADINGS) -> PolicyVersion:
    policy = policies.create_policy(
        title="Politiske principper for digitalisering", journal_number="85.13.00-P00-1-23",
        description="", owner_body=owner, actor=None,
    )
    return policies.create_version(
        policy, [DraftSection(h, f"Tekst til {h}") for h in headings], actor=None
    )


def _build_round(make_user, make_body, *, opened: bool = True) -> Round:
    body_a = make_body("SOU", "Socialudvalget")
    body_b = make_body("KMU", "Klima- og Miljøudvalget")
    body_c = make_body("KFU", "Kultur- og Fritidsudvalget")
    secretary_a = make_user(Role.MEMBER, name="Sekretær A")
    accounts.add_membership(secretary_a, body_a, is_secretary=True, actor=None)
    member_a = make_user(Role.MEMBER, bodies=(body_a,), name="Medlem A")
    member_b = make_user(Role.MEMBER, bodies=(body_b,), name="Medlem B")
    staff = make_user(Role.STAFF, name="Sagsbehandler")
    colleague = make_user(Role.STAFF, name="Kollega")
    auditor = make_user(Role.AUDITOR, name="Revisor")
    version = _policy_version(body_a)
    consultation = consultations.create_consultation(
        version, title="Høring om digitaliseringsprincipper", opens_on=OPENED_ON,
        closes_at=now_utc() + timedelta(days=14), invitation_text="Send jeres svar.",
        public=False, bodies=[body_a, body_b, body_c], actor=None,
    )
    if opened:
        consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return Round(
        consultation, version, list(version.sections), body_a, body_b, body_c,
        secretary_a, member_a, member_b, staff, colleague, auditor,
    )


@pytest.fixture
def world(app, make_user, make_body) -> Round:
    return _build_round(make_user, make_body)


def _submitted(world: Round, body: Body, *remarks: tuple[int | None, str]) -> Response:
    """``body``'s response with ``remarks`` (section position or None, text), registered
    from minutes by the system."""
    response = consultations.import_minutes(
        world.consultation, body, meeting_date=date(2024, 4, 9), agenda_item=6,
        remarks=[
            consultations.ImportedRemark(text, world.section(pos) if pos else None)
            for pos, text in remarks
        ],
        actor=None,
    )
    db.session.commit()
    return response


def _draft_with_remark(world: Round, actor: User | None = None) -> Response:
    actor = actor or world.member_a
    draft = consultations.draft_response(world.consultation, world.body_a, actor=actor)
    consultations.add_remark(draft, section=world.section(2), text="Kladde", actor=actor)
    db.session.commit()
    return draft


def _other_version_section(world: Round) -> Section:
    version = policies.copy_version(world.version, actor=None)
    db.session.commit()
    return version.sections[1]


# --- setting up ----------------------------------------------------------------------


def test_create_consultation_invites_the_bodies_and_audits(app, make_user, make_body):
    staff = make_user(Role.STAFF)
    bodies = [make_body("SOU", "Socialudvalget"), make_body("KMU", "Klima- og Miljøudvalget")]
    version = _policy_version(bodies[0])
    closes_at = now_utc() + timedelta(days=30)
    mark = _mark()

    consultation = consultations.create_consultation(
        version, title="  Høring  ", opens_on=now_utc().date(), closes_at=closes_at,
        invitation_text=" Svar senest fredag. ", public=True, bodies=bodies, actor=staff,
    )
    db.session.commit()

    assert (consultation.title, consultation.invitation_text, consultation.public) == (
        "Høring", "Svar senest fredag.", True,
    )
    assert not consultation.is_opened
    assert not version.is_frozen
    assert sorted(c.body_id for c in consultation.consultees) == sorted(b.id for b in bodies)
    assert {c.status for c in consultation.consultees} == {ConsulteeStatus.INVITED}
    events = _events_since(mark)
    assert [e.action for e in events] == [
        "consultation:create", "consultee:create", "consultee:create",
    ]
    assert all(e.actor_id == staff.id for e in events)
    assert events[0].object_id == consultation.id
    assert events[0].changes["title"] == _changed(None, "Høring")
    assert events[0].changes["version_id"] == _changed(None, version.id)
    assert [e.changes["body_id"] for e in events[1:]] == [
        _changed(None, bodies[0].id), _changed(None, bodies[1].id),
    ]
    assert [e.object_id for e in events[1:]] == [c.id for c in consultation.consultees]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("deadline before opening", "Høringsfristen skal ligge efter åbningsdatoen."),
        ("no bodies", "Vælg mindst ét organ, der skal høres."),
    ],
    ids=["deadline-before-opening", "no-bodies"],
)
def test_create_consultation_is_validated(app, make_user, make_body, case, message):
    body = make_body()
    version = _policy_version(body)
    opens_on = date(2024, 3, 12)
    closes_at = datetime(2024, 4, 30, 21, 59, tzinfo=UTC)
    bodies = [body]
    if case == "deadline before opening":
        closes_at = datetime(2024, 3, 11, 12, 0, tzinfo=UTC)
    else:
        bodies = []
    staff = make_user(Role.STAFF)
    mark = _mark()

    with pytest.raises(DomainError) as refusal:
        consultations.create_consultation(
            version, title="Høring", opens_on=opens_on, closes_at=closes_at,
            invitation_text="", public=False, bodies=bodies, actor=staff,
        )

    assert refusal.value.message == message
    assert _count(Consultation) == 0
    assert _events_since(mark) == []


@pytest.mark.parametrize(
    ("deadline_day", "deadline_time", "accepted"),
    [
        (date(2024, 4, 9), time(23, 59), True),
        (date(2024, 4, 9), time(0, 30), True),  # the opening day itself, in Danish time
        (date(2024, 4, 8), time(23, 59), False),
    ],
    ids=["same-day-evening", "same-day-after-midnight", "day-before"],
)
def test_the_deadline_is_compared_with_the_opening_date_in_danish_time(
    app, make_body, deadline_day, deadline_time, accepted
):
    body = make_body()
    version = _policy_version(body)
    closes_at = local_deadline_to_utc(deadline_day, deadline_time)

    def create() -> Consultation:
        return consultations.create_consultation(
            version, title="Høring", opens_on=date(2024, 4, 9), closes_at=closes_at,
            invitation_text="", public=False, bodies=[body], actor=None,
        )

    if accepted:
        assert create().closes_at == closes_at
    else:
        with pytest.raises(DomainError, match="Høringsfristen skal ligge efter åbningsdatoen."):
            create()


def test_a_body_is_invited_once(world):
    with pytest.raises(DomainError, match="allerede høringspart"):
        consultations.invite_body(world.consultation, world.body_a, actor=world.staff)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AUDITOR])
def test_only_staff_create_and_open_consultations(app, make_user, make_body, role):
    body = make_body()
    version = _policy_version(body)
    user = make_user(role, bodies=(body,))
    with pytest.raises(NotAllowed):
        consultations.create_consultation(
            version, title="Høring", opens_on=now_utc().date(),
            closes_at=now_utc() + timedelta(days=1), invitation_text="", public=False,
            bodies=[body], actor=user,
        )
    consultation = consultations.create_consultation(
        version, title="Høring", opens_on=now_utc().date(),
        closes_at=now_utc() + timedelta(days=1), invitation_text="", public=False,
        bodies=[body], actor=None,
    )
    with pytest.raises(NotAllowed):
        consultations.open_consultation(consultation, actor=user)
    assert not consultation.is_opened


def test_opening_freezes_the_version_and_is_refused_twice(app, make_user, make_body):
    world = _build_round(make_user, make_body, opened=False)
    assert not world.version.is_frozen
    mark = _mark()

    consultations.open_consultation(world.consultation, actor=world.staff)
    db.session.commit()

    assert world.consultation.is_opened
    assert world.version.is_frozen
    assert world.version.frozen_by_id == world.staff.id
    events = _events_since(mark)
    assert [(e.action, e.object_id) for e in events] == [
        ("version:freeze", world.version.id), ("consultation:open", world.consultation.id),
    ]
    invitations = db.session.scalar(select(func.count(OutboxMessage.id)))
    assert invitations > 0  # one e-mail per member of the invited bodies, in the outbox
    assert events[1].changes == {
        "opened_at": _changed(None, world.consultation.opened_at.isoformat()),
        "invitations": _changed(None, invitations),
    }

    opened_at = world.consultation.opened_at
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        consultations.open_consultation(world.consultation, actor=world.staff)
    assert refusal.value.message == "Høringen er allerede åbnet."
    assert world.consultation.opened_at == opened_at
    assert _events_since(mark) == []


def test_opening_on_an_already_frozen_version_only_opens(app, make_user, make_body):
    world = _build_round(make_user, make_body, opened=False)
    policies.freeze_version(world.version, actor=None)
    mark = _mark()

    consultations.open_consultation(world.consultation, actor=world.staff)

    assert [e.action for e in _events_since(mark)] == ["consultation:open"]


def test_opening_after_the_deadline_is_refused(app, make_user, make_body):
    world = _build_round(make_user, make_body, opened=False)
    mark = _mark()

    late = world.deadline + timedelta(minutes=1)
    with frozen_at(late), pytest.raises(DomainError) as refusal:
        consultations.open_consultation(world.consultation, actor=world.staff)

    assert refusal.value.message.startswith("Høringsfristen er overskredet.")
    assert not world.consultation.is_opened
    assert not world.version.is_frozen
    assert _events_since(mark) == []


def test_nobody_responds_before_the_consultation_is_opened(app, make_user, make_body):
    world = _build_round(make_user, make_body, opened=False)
    with pytest.raises(DomainError) as refusal:
        consultations.draft_response(world.consultation, world.body_a, actor=world.member_a)
    assert refusal.value.message == "Høringen er ikke åbnet endnu."
    assert _count(Response) == 0


# --- consultee status and reminders --------------------------------------------------


def test_consultee_status_follows_the_responses(world):
    assert {world.consultee(b).status for b in (world.body_a, world.body_b, world.body_c)} == {
        ConsulteeStatus.INVITED
    }

    draft = _draft_with_remark(world, world.secretary_a)
    assert world.consultee(world.body_a).status is ConsulteeStatus.INVITED  # a draft is no answer
    consultations.submit_response(draft, actor=world.secretary_a)
    consultations.decline(world.consultation, world.body_b, actor=world.staff)
    db.session.commit()
    db.session.expire_all()

    assert world.consultee(world.body_a).status is ConsulteeStatus.RESPONDED
    assert world.consultee(world.body_b).status is ConsulteeStatus.DECLINED
    assert world.consultee(world.body_c).status is ConsulteeStatus.INVITED


@pytest.mark.parametrize(
    ("offset", "overdue_if_invited"),
    [
        (timedelta(days=-1), False),
        (timedelta(seconds=-1), False),
        (timedelta(0), True),  # the deadline itself has passed
        (timedelta(days=3), True),
    ],
)
def test_overdue_is_derived_from_the_deadline(world, offset, overdue_if_invited):
    _submitted(world, world.body_a, (2, "Bemærkning"))
    consultations.decline(world.consultation, world.body_b, actor=None)
    moment = world.deadline + offset

    assert world.consultee(world.body_c).is_overdue(moment) is overdue_if_invited
    assert world.consultee(world.body_a).is_overdue(moment) is False
    assert world.consultee(world.body_b).is_overdue(moment) is False
    rows = {row.consultee.body_id: row for row in queries.consultee_rows(world.consultation)}
    assert rows[world.body_c.id].is_overdue(moment) is overdue_if_invited
    assert rows[world.body_a.id].is_overdue(moment) is False


def test_send_reminder_mails_the_members_counts_and_audits(world):
    consultee = world.consultee(world.body_b)
    mark = _mark()

    assert consultations.send_reminder(consultee, actor=world.staff) == 1
    first = consultee.last_reminded_at
    # the same day again: counted, but no second e-mail to the same member
    assert consultations.send_reminder(consultee, actor=world.staff) == 0
    db.session.commit()

    assert consultee.reminders_sent == 2
    assert first is not None and consultee.last_reminded_at >= first
    [message] = db.session.scalars(select(OutboxMessage)
                                   .where(OutboxMessage.kind == "reminder")).all()
    assert message.to_address == world.member_b.email
    assert "Klima- og Miljøudvalget har endnu ikke afgivet høringssvar" in message.body_text
    events = _events_since(mark)
    assert [(e.action, e.object_type, e.object_id, e.actor_id) for e in events] == [
        ("consultee:remind", "consultee", consultee.id, world.staff.id)
    ] * 2
    assert [e.changes for e in events] == [
        {"reminders_sent": _changed(0, 1), "messages": _changed(None, 1)},
        {"reminders_sent": _changed(1, 2), "messages": _changed(None, 0)},
    ]


@pytest.mark.parametrize("answer", ["responded", "declined"])
def test_no_reminder_after_the_body_answered(world, answer):
    if answer == "responded":
        _submitted(world, world.body_a, (None, "Bemærkning"))
    else:
        consultations.decline(world.consultation, world.body_a, actor=None)
    consultee = world.consultee(world.body_a)
    mark = _mark()

    with pytest.raises(DomainError) as refusal:
        consultations.send_reminder(consultee, actor=world.staff)

    assert refusal.value.message == "Socialudvalget har allerede svaret."
    assert consultee.reminders_sent == 0
    assert _events_since(mark) == []


@pytest.mark.parametrize("who", ["member_a", "auditor"])
def test_only_staff_record_reminders(world, who):
    with pytest.raises(NotAllowed):
        consultations.send_reminder(world.consultee(world.body_a), actor=getattr(world, who))


# --- member drafting -----------------------------------------------------------------


def test_a_member_drafts_edits_and_deletes_remarks_for_their_body(world):
    mark = _mark()

    draft = consultations.draft_response(world.consultation, world.body_a, actor=world.member_a)
    assert consultations.draft_response(
        world.consultation, world.body_a, actor=world.member_a
    ) is draft  # created once
    first = consultations.add_remark(
        draft, section=world.section(3), text="  Princip 2 bør flyttes.  ", actor=world.member_a
    )
    second = consultations.add_remark(
        draft, section=None, text="Husk de ældre.", actor=world.member_a
    )
    consultations.update_draft_remark(
        first, section=world.section(4), text="Princip 3 bør flyttes.", actor=world.member_a
    )
    consultations.delete_draft_remark(second, actor=world.member_a)
    db.session.commit()
    db.session.expire_all()

    assert (draft.status, draft.channel, draft.submitted_at) == (
        ResponseStatus.DRAFT, ResponseChannel.MEMBER, None,
    )
    assert [(r.section_id, r.original_text) for r in draft.remarks] == [
        (world.section(4).id, "Princip 3 bør flyttes."),
    ]
    events = _events_since(mark)
    assert [e.action for e in events] == [
        "response:create", "remark:create", "remark:create", "remark:update", "remark:delete",
    ]
    assert all(e.actor_id == world.member_a.id for e in events)
    assert events[1].changes["original_text"] == _changed(None, "Princip 2 bør flyttes.")
    assert events[3].changes == {
        "original_text": _changed("Princip 2 bør flyttes.", "Princip 3 bør flyttes."),
        "section_id": _changed(world.section(3).id, world.section(4).id),
    }
    assert events[4].object_id == second.id


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_remark_is_refused(world, text):
    draft = consultations.draft_response(world.consultation, world.body_a, actor=world.member_a)
    with pytest.raises(DomainError, match="Bemærkningen må ikke være tom."):
        consultations.add_remark(draft, section=None, text=text, actor=world.member_a)


# What a member of body B (or an auditor) tries to do with body A's draft.
FOREIGN_DRAFT_ACTIONS = {
    "draft_response": lambda w, draft, remark, actor: consultations.draft_response(
        w.consultation, w.body_a, actor=actor
    ),
    "add_remark": lambda w, draft, remark, actor: consultations.add_remark(
        draft, section=None, text="Fremmed", actor=actor
    ),
    "update_draft_remark": lambda w, draft, remark, actor: consultations.update_draft_remark(
        remark, section=None, text="Fremmed", actor=actor
    ),
    "delete_draft_remark": lambda w, draft, remark, actor: consultations.delete_draft_remark(
        remark, actor=actor
    ),
    "submit_response": lambda w, draft, remark, actor: consultations.submit_response(
        draft, actor=actor
    ),
    "decline": lambda w, draft, remark, actor: consultations.decline(
        w.consultation, w.body_a, actor=actor
    ),
}


@pytest.mark.parametrize("who", ["member_b", "auditor"])
@pytest.mark.parametrize("action", list(FOREIGN_DRAFT_ACTIONS))
def test_others_cannot_touch_a_bodys_draft(world, who, action):
    draft = _draft_with_remark(world)
    remark = draft.remarks[0]
    mark = _mark()

    with pytest.raises(NotAllowed) as refusal:
        FOREIGN_DRAFT_ACTIONS[action](world, draft, remark, getattr(world, who))

    assert refusal.value.message == NO_ACCESS
    db.session.commit()
    db.session.expire_all()
    assert [(r.original_text, r.response.status) for r in db.session.scalars(select(Remark))] == [
        ("Kladde", ResponseStatus.DRAFT)
    ]
    assert _events_since(mark) == []


def test_a_member_drafts_for_their_own_body_only(world):
    """Member B may draft for B, but not for A, in the same consultation."""
    own = consultations.draft_response(world.consultation, world.body_b, actor=world.member_b)
    consultations.add_remark(own, section=None, text="Fra B", actor=world.member_b)
    with pytest.raises(NotAllowed):
        consultations.draft_response(world.consultation, world.body_a, actor=world.member_b)
    assert [r.original_text for r in own.remarks] == ["Fra B"]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("member_a", False), ("member_b", False), ("auditor", False),
     ("secretary_a", True), ("staff", True)],
)
def test_only_the_secretary_or_staff_submit(world, who, allowed):
    draft = _draft_with_remark(world)
    actor = getattr(world, who)
    mark = _mark()

    if not allowed:
        with pytest.raises(NotAllowed):
            consultations.submit_response(draft, actor=actor)
        assert not draft.is_submitted
        assert _events_since(mark) == []
        return

    consultations.submit_response(draft, actor=actor)
    db.session.commit()
    db.session.expire_all()
    assert draft.status is ResponseStatus.SUBMITTED
    assert draft.submitted_at is not None
    assert draft.submitted_by_id == actor.id
    assert (draft.no_remarks, draft.received_late) == (False, False)
    (event,) = _events_since(mark)
    assert (event.action, event.object_id, event.actor_id) == (
        "response:submit", draft.id, actor.id,
    )
    assert event.changes == {
        "status": _changed("draft", "submitted"),
        "no_remarks": _changed(None, False),
        "received_late": _changed(None, False),
        "receipts": _changed(None, 2),  # the body's two members (no responsible: no actor)
    }


def test_submitting_without_remarks_is_refused(world):
    draft = consultations.draft_response(
        world.consultation, world.body_a, actor=world.secretary_a
    )
    with pytest.raises(DomainError) as refusal:
        consultations.submit_response(draft, actor=world.secretary_a)
    assert refusal.value.message.startswith("Høringssvaret har ingen bemærkninger.")
    assert not draft.is_submitted
    assert world.consultee(world.body_a).status is ConsulteeStatus.INVITED


LOCKED_ACTIONS = {
    "add_remark": lambda draft, remark, actor: consultations.add_remark(
        draft, section=None, text="Efter indsendelse", actor=actor
    ),
    "update_draft_remark": lambda draft, remark, actor: consultations.update_draft_remark(
        remark, section=None, text="Efter indsendelse", actor=actor
    ),
    "delete_draft_remark": lambda draft, remark, actor: consultations.delete_draft_remark(
        remark, actor=actor
    ),
    "submit_response": lambda draft, remark, actor: consultations.submit_response(
        draft, actor=actor
    ),
}


@pytest.mark.parametrize("who", ["secretary_a", "member_a", "staff"])
@pytest.mark.parametrize("action", list(LOCKED_ACTIONS))
def test_a_submitted_response_is_locked(world, who, action):
    draft = _draft_with_remark(world)
    consultations.submit_response(draft, actor=world.secretary_a)
    db.session.commit()
    remark = draft.remarks[0]
    mark = _mark()

    with pytest.raises(DomainError) as refusal:
        LOCKED_ACTIONS[action](draft, remark, getattr(world, who))

    if not (who == "member_a" and action == "submit_response"):  # not the secretary
        assert refusal.value.message == LOCKED
    db.session.commit()
    db.session.expire_all()
    assert [(r.original_text, r.section_id) for r in draft.remarks] == [
        ("Kladde", world.section(2).id)
    ]
    assert draft.is_submitted
    assert _events_since(mark) == []


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_reopening_needs_a_reason(world, reason):
    draft = _draft_with_remark(world)
    consultations.submit_response(draft, actor=world.secretary_a)
    mark = _mark()

    with pytest.raises(DomainError) as refusal:
        consultations.reopen_response(draft, reason=reason, actor=world.staff)

    assert refusal.value.message == "Skriv en begrundelse for at genåbne høringssvaret."
    assert draft.is_submitted
    assert _events_since(mark) == []


@pytest.mark.parametrize("who", ["secretary_a", "member_a", "auditor"])
def test_only_staff_reopen(world, who):
    draft = _draft_with_remark(world)
    consultations.submit_response(draft, actor=world.secretary_a)
    with pytest.raises(NotAllowed):
        consultations.reopen_response(draft, reason="Fejl", actor=getattr(world, who))
    assert draft.is_submitted


def test_reopening_a_draft_is_refused(world):
    draft = _draft_with_remark(world)
    with pytest.raises(DomainError, match="ikke indsendt"):
        consultations.reopen_response(draft, reason="Fejl", actor=world.staff)


def test_staff_reopen_with_a_reason_and_the_member_can_edit_again(world):
    draft = _draft_with_remark(world)
    consultations.submit_response(draft, actor=world.secretary_a)
    db.session.commit()
    mark = _mark()

    consultations.reopen_response(
        draft, reason="  Udvalget vil tilføje et punkt.  ", actor=world.staff
    )
    db.session.commit()
    db.session.expire_all()

    assert (draft.status, draft.submitted_at, draft.submitted_by_id) == (
        ResponseStatus.DRAFT, None, None,
    )
    assert world.consultee(world.body_a).status is ConsulteeStatus.INVITED
    (event,) = _events_since(mark)
    assert (event.action, event.object_id, event.actor_id) == (
        "response:reopen", draft.id, world.staff.id,
    )
    assert event.changes == {
        "status": _changed("submitted", "draft"),
        "reason": _changed(None, "Udvalget vil tilføje et punkt."),
    }

    remark = draft.remarks[0]
    consultations.update_draft_remark(
        remark, section=world.section(3), text="Rettet", actor=world.member_a
    )
    consultations.add_remark(draft, section=None, text="Nyt punkt", actor=world.member_a)
    consultations.submit_response(draft, actor=world.secretary_a)
    db.session.commit()
    db.session.expire_all()
    assert draft.is_submitted
    assert [r.original_text for r in draft.remarks] == ["Rettet", "Nyt punkt"]
    assert world.consultee(world.body_a).status is ConsulteeStatus.RESPONDED


# --- the deadline, enforced on the server --------------------------------------------

# What a member (A's secretary, who may also submit) tries after the deadline; A has a
# draft with one remark, B has nothing yet.
MEMBER_ACTIONS_AFTER_DEADLINE = {
    "add_remark": lambda w, draft: consultations.add_remark(
        draft, section=None, text="For sent", actor=w.secretary_a
    ),
    "update_draft_remark": lambda w, draft: consultations.update_draft_remark(
        draft.remarks[0], section=None, text="For sent", actor=w.secretary_a
    ),
    "delete_draft_remark": lambda w, draft: consultations.delete_draft_remark(
        draft.remarks[0], actor=w.secretary_a
    ),
    "submit_response": lambda w, draft: consultations.submit_response(
        draft, actor=w.secretary_a
    ),
    "draft_response (new)": lambda w, draft: consultations.draft_response(
        w.consultation, w.body_b, actor=w.member_b
    ),
}


@pytest.mark.parametrize("after", [timedelta(0), timedelta(minutes=1), timedelta(days=40)])
@pytest.mark.parametrize("action", list(MEMBER_ACTIONS_AFTER_DEADLINE))
def test_members_are_refused_after_the_deadline(world, action, after):
    draft = _draft_with_remark(world, world.secretary_a)
    mark = _mark()

    with frozen_at(world.deadline + after), pytest.raises(DomainError) as refusal:
        MEMBER_ACTIONS_AFTER_DEADLINE[action](world, draft)

    assert not isinstance(refusal.value, NotAllowed)
    assert refusal.value.message.startswith(LATE)
    db.session.commit()
    db.session.expire_all()
    assert [r.original_text for r in draft.remarks] == ["Kladde"]
    assert not draft.is_submitted
    assert _count(Response) == 1  # nothing for body B
    assert _events_since(mark) == []


def test_a_secretary_declining_after_the_deadline_is_refused(world, make_user):
    secretary_b = make_user(Role.MEMBER)
    accounts.add_membership(secretary_b, world.body_b, is_secretary=True, actor=None)
    late = world.deadline + timedelta(hours=1)
    with frozen_at(late), pytest.raises(DomainError) as refusal:
        consultations.decline(world.consultation, world.body_b, actor=secretary_b)
    assert refusal.value.message.startswith(LATE)
    assert world.consultee(world.body_b).status is ConsulteeStatus.INVITED


def test_a_member_may_still_act_a_minute_before_the_deadline(world):
    with frozen_at(world.deadline - timedelta(minutes=1)):
        draft = _draft_with_remark(world, world.secretary_a)
        consultations.submit_response(draft, actor=world.secretary_a)
    assert draft.is_submitted
    assert draft.received_late is False


def test_staff_register_a_late_response_marked_as_received_late(world):
    mark = _mark()
    with frozen_at(world.deadline + timedelta(days=2)):
        draft = consultations.draft_response(world.consultation, world.body_b, actor=world.staff)
        consultations.add_remark(
            draft, section=world.section(6), text="Sent svar", actor=world.staff
        )
        consultations.submit_response(draft, actor=world.staff)
    db.session.commit()
    db.session.expire_all()

    assert draft.is_submitted
    assert draft.received_late is True
    assert draft.channel is ResponseChannel.STAFF
    assert draft.submitted_by_id == world.staff.id
    assert world.consultee(world.body_b).status is ConsulteeStatus.RESPONDED
    (submit,) = _events_since(mark, "response:submit")
    assert submit.changes["received_late"] == _changed(None, True)


def test_staff_may_finish_a_members_draft_after_the_deadline(world):
    draft = _draft_with_remark(world)
    with frozen_at(world.deadline + timedelta(hours=3)):
        consultations.add_remark(draft, section=None, text="Tilføjet", actor=world.staff)
        consultations.submit_response(draft, actor=world.staff)
    assert draft.received_late is True
    assert draft.channel is ResponseChannel.MEMBER  # the body drafted it


def test_a_response_submitted_before_the_deadline_is_not_late(world):
    draft = _draft_with_remark(world, world.secretary_a)
    consultations.submit_response(draft, actor=world.secretary_a)
    db.session.commit()
    db.session.expire_all()
    assert draft.received_late is False


# --- declining -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary_a", "staff"])
def test_a_body_with_no_remarks_declines(world, who):
    actor = getattr(world, who)
    mark = _mark()

    response = consultations.decline(world.consultation, world.body_a, actor=actor)
    db.session.commit()
    db.session.expire_all()

    assert response.no_remarks is True
    assert response.is_submitted
    assert response.remarks == []
    assert world.consultee(world.body_a).status is ConsulteeStatus.DECLINED
    assert [e.action for e in _events_since(mark)] == ["response:create", "response:submit"]
    assert _events_since(mark, "response:submit")[0].changes["no_remarks"] == _changed(None, True)


def test_a_plain_member_cannot_decline(world):
    with pytest.raises(NotAllowed):
        consultations.decline(world.consultation, world.body_a, actor=world.member_a)
    assert _count(Response) == 0


def test_declining_is_refused_when_the_draft_has_remarks(world):
    draft = _draft_with_remark(world)
    with pytest.raises(DomainError) as refusal:
        consultations.decline(world.consultation, world.body_a, actor=world.secretary_a)
    assert refusal.value.message.startswith("Kladden indeholder bemærkninger.")
    assert not draft.is_submitted
    assert draft.no_remarks is False
    assert world.consultee(world.body_a).status is ConsulteeStatus.INVITED


def test_declining_twice_is_refused(world):
    consultations.decline(world.consultation, world.body_a, actor=world.secretary_a)
    with pytest.raises(DomainError) as refusal:
        consultations.decline(world.consultation, world.body_a, actor=world.secretary_a)
    assert refusal.value.message == LOCKED


# --- sections belong to the consulted version ----------------------------------------

FOREIGN_SECTION_ACTIONS = {
    "add_remark": lambda w, section: consultations.add_remark(
        consultations.draft_response(w.consultation, w.body_a, actor=w.member_a),
        section=section, text="Forkert version", actor=w.member_a,
    ),
    "update_draft_remark": lambda w, section: consultations.update_draft_remark(
        _draft_with_remark(w).remarks[0], section=section, text="Forkert", actor=w.member_a,
    ),
    "import_minutes": lambda w, section: consultations.import_minutes(
        w.consultation, w.body_a, meeting_date=date(2024, 4, 9), agenda_item=6,
        remarks=[consultations.ImportedRemark("Forkert version", section)], actor=w.staff,
    ),
    "move_remark": lambda w, section: consultations.move_remark(
        _submitted(w, w.body_b, (2, "Flyttes")).remarks[0], section, actor=w.staff
    ),
}


@pytest.mark.parametrize("action", list(FOREIGN_SECTION_ACTIONS))
def test_a_remarks_section_must_belong_to_the_consulted_version(world, action):
    foreign = _other_version_section(world)
    assert foreign.heading == world.section(2).heading  # same heading, other version

    with pytest.raises(DomainError) as refusal:
        FOREIGN_SECTION_ACTIONS[action](world, foreign)

    assert refusal.value.message == OTHER_VERSION
    db.session.flush()
    assert db.session.scalar(
        select(func.count()).select_from(Remark).where(Remark.section_id == foreign.id)
    ) == 0


# --- importing the decision from the minutes ------------------------------------------


def _reference_remarks(world: Round) -> list[consultations.ImportedRemark]:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is missing")
    refs = [SectionRef(s.position, s.heading) for s in world.sections]
    parsed = parse_minutes(REFERENCE.read_text(encoding="utf-8"), refs)
    by_position = {s.position: s for s in world.sections}
    return [
        consultations.ImportedRemark(r.text, by_position.get(r.section_position))
        for r in parsed.remarks
    ]


def test_importing_the_reference_minutes(world):
    remarks = _reference_remarks(world)
    mark = _mark()

    response = consultations.import_minutes(
        world.consultation, world.body_a, meeting_date=date(2024, 4, 9), agenda_item=6,
        remarks=remarks, actor=world.staff,
    )
    db.session.commit()
    db.session.expire_all()

    assert len(response.remarks) == 7
    assert [r.section.position if r.section else None for r in response.remarks] == [
        1, 2, 3, 4, 6, 2, 4,
    ]
    assert [r.original_text for r in response.remarks] == [r.text for r in remarks]
    assert response.remarks[0].original_text.startswith('Anvendelsen af ordet "Vi"')
    assert response.remarks[6].original_text.endswith("tydeligere under princip nr. tre.")
    assert response.source == SOURCE
    assert (response.meeting_date, response.agenda_item) == (date(2024, 4, 9), 6)
    assert response.channel is ResponseChannel.MINUTES
    assert response.status is ResponseStatus.SUBMITTED
    assert (response.no_remarks, response.received_late) == (False, False)
    assert response.submitted_by_id == world.staff.id
    assert world.consultee(world.body_a).status is ConsulteeStatus.RESPONDED
    actions = [e.action for e in _events_since(mark)]
    assert actions == (
        ["response:create", "response:update"] + ["remark:create"] * 7 + ["response:submit"]
    )
    update = _events_since(mark, "response:update")[0]
    assert update.changes["source"] == _changed("", SOURCE)
    assert update.changes["channel"] == _changed("staff", "minutes")


@pytest.mark.parametrize("decision", ["Taget til efterretning.", "Godkendt.",
                                      "## Beslutning\n\nTaget til efterretning.\n"])
def test_a_decision_without_remarks_registers_the_body_as_declined(world, decision):
    parsed = parse_minutes(decision, [SectionRef(s.position, s.heading) for s in world.sections])
    assert parsed.remarks == []
    assert parsed.no_remarks is True

    response = consultations.import_minutes(
        world.consultation, world.body_a, meeting_date=date(2024, 4, 9), agenda_item=6,
        remarks=[], actor=world.staff,
    )
    db.session.commit()
    db.session.expire_all()

    assert response.is_submitted
    assert response.no_remarks is True
    assert response.source == SOURCE
    assert world.consultee(world.body_a).status is ConsulteeStatus.DECLINED


@pytest.mark.parametrize("first", ["minutes", "member", "declined"])
def test_importing_for_a_body_that_has_answered_is_refused(world, first):
    if first == "minutes":
        _submitted(world, world.body_a, (2, "Første import"))
    elif first == "member":
        consultations.submit_response(_draft_with_remark(world), actor=world.secretary_a)
    else:
        consultations.decline(world.consultation, world.body_a, actor=world.secretary_a)
    db.session.commit()
    before = [r.original_text for r in db.session.scalars(select(Remark).order_by(Remark.id))]
    mark = _mark()

    with pytest.raises(DomainError) as refusal:
        consultations.import_minutes(
            world.consultation, world.body_a, meeting_date=date(2024, 4, 10), agenda_item=2,
            remarks=[consultations.ImportedRemark("Anden import", None)], actor=world.staff,
        )

    assert refusal.value.message.startswith("Socialudvalget har allerede et indsendt høringssvar.")
    db.session.commit()
    assert [r.original_text for r in db.session.scalars(select(Remark).order_by(Remark.id))] == (
        before
    )
    assert _events_since(mark) == []


def test_importing_for_a_body_with_a_draft_replaces_the_drafts_remarks(world):
    draft = consultations.draft_response(world.consultation, world.body_a, actor=world.member_a)
    old = [
        consultations.add_remark(draft, section=world.section(2), text=t, actor=world.member_a)
        for t in ("Gammel 1", "Gammel 2")
    ]
    db.session.commit()
    old_ids = [r.id for r in old]
    mark = _mark()

    response = consultations.import_minutes(
        world.consultation, world.body_a, meeting_date=date(2024, 4, 9), agenda_item=6,
        remarks=[
            consultations.ImportedRemark("Fra referatet", world.section(4)),
            consultations.ImportedRemark("Generelt", None),
        ],
        actor=world.staff,
    )
    db.session.commit()
    db.session.expire_all()

    assert response.id == draft.id
    assert [(r.original_text, r.section_id) for r in response.remarks] == [
        ("Fra referatet", world.section(4).id), ("Generelt", None),
    ]
    assert [r.original_text for r in db.session.scalars(select(Remark).order_by(Remark.id))] == [
        "Fra referatet", "Generelt",
    ]
    assert response.channel is ResponseChannel.MINUTES
    assert response.source == SOURCE
    assert response.is_submitted
    deletes = _events_since(mark, "remark:delete")
    assert sorted(e.object_id for e in deletes) == old_ids


@pytest.mark.parametrize("who", ["secretary_a", "member_a", "auditor"])
def test_only_staff_import_minutes(world, who):
    with pytest.raises(NotAllowed):
        consultations.import_minutes(
            world.consultation, world.body_a, meeting_date=date(2024, 4, 9), agenda_item=6,
            remarks=[consultations.ImportedRemark("X", None)], actor=getattr(world, who),
        )
    assert _count(Response) == 0


def test_a_meeting_without_an_agenda_item_is_cited_without_one(world):
    response = consultations.import_minutes(
        world.consultation, world.body_b, meeting_date=date(2024, 4, 3), agenda_item=None,
        remarks=[consultations.ImportedRemark("X", None)], actor=world.staff,
    )
    assert response.source == "Klima- og Miljøudvalget den 3. april 2024"


# --- processing remarks --------------------------------------------------------------


@pytest.fixture
def remark(world) -> Remark:
    """A submitted remark from body A on principle 1."""
    return _submitted(world, world.body_a, (2, "Princip 1 er for langt.")).remarks[0]


def test_move_remark_audits_the_sections(world, remark):
    mark = _mark()

    consultations.move_remark(remark, world.section(4), actor=world.staff)
    consultations.move_remark(remark, world.section(4), actor=world.staff)  # no change
    consultations.move_remark(remark, None, actor=world.staff)
    db.session.commit()
    db.session.expire_all()

    assert remark.section_id is None
    events = _events_since(mark)
    assert [(e.action, e.object_id, e.actor_id) for e in events] == [
        ("remark:move", remark.id, world.staff.id)
    ] * 2
    assert [e.changes for e in events] == [
        {"section_id": _changed(world.section(2).id, world.section(4).id)},
        {"section_id": _changed(world.section(4).id, None)},
    ]


def test_a_draft_remark_is_not_processed(world):
    draft = _draft_with_remark(world)
    remark = draft.remarks[0]
    mark = _mark()
    for action in (
        lambda: consultations.move_remark(remark, world.section(3), actor=world.staff),
        lambda: consultations.edit_memo_wording(remark, "Ny", actor=world.staff),
        lambda: consultations.save_reply(
            remark, text="Svar", disposition=Disposition.NOTED, based_on_version=None,
            actor=world.staff,
        ),
    ):
        with pytest.raises(DomainError, match="kladde"):
            action()
    assert remark.section_id == world.section(2).id
    assert remark.memo_text is None
    assert _count(Reply) == 0
    assert _events_since(mark) == []


def test_edit_memo_wording_keeps_the_original(world, remark):
    original = remark.original_text
    mark = _mark()

    consultations.edit_memo_wording(remark, "  Princip 1 bør forkortes.  ", actor=world.staff)
    db.session.commit()
    db.session.expire_all()
    assert (remark.original_text, remark.memo_text, remark.wording) == (
        original, "Princip 1 bør forkortes.", "Princip 1 bør forkortes.",
    )

    consultations.edit_memo_wording(remark, "Princip 1 bør forkortes.", actor=world.staff)
    consultations.edit_memo_wording(remark, original, actor=world.staff)  # back: None
    db.session.commit()
    db.session.expire_all()
    assert (remark.original_text, remark.memo_text, remark.wording) == (original, None, original)

    events = _events_since(mark)
    assert [(e.action, e.object_id, e.actor_id) for e in events] == [
        ("remark:edit_memo_wording", remark.id, world.staff.id)
    ] * 2
    assert [e.changes for e in events] == [
        {"memo_text": _changed(None, "Princip 1 bør forkortes.")},
        {"memo_text": _changed("Princip 1 bør forkortes.", None)},
    ]


def test_an_empty_memo_wording_is_refused(world, remark):
    with pytest.raises(DomainError, match="ikke være tom"):
        consultations.edit_memo_wording(remark, "  ", actor=world.staff)
    assert remark.memo_text is None


def _reply(world: Round, remark: Remark, text: str = "Indarbejdet.", *,
           actor: User | None = None, based_on: int | None = None,
           disposition: Disposition = Disposition.INCORPORATED) -> Reply:
    reply = consultations.save_reply(
        remark, text=text, disposition=disposition, based_on_version=based_on,
        actor=actor or world.staff,
    )
    db.session.commit()
    return reply


def test_save_reply_creates_then_updates_and_clears_approval(world, remark):
    mark = _mark()

    reply = _reply(world, remark, "  Princippet er forkortet.  ")
    assert (reply.text, reply.disposition, reply.author_id, reply.lock_version) == (
        "Princippet er forkortet.", Disposition.INCORPORATED, world.staff.id, 1,
    )
    (create,) = _events_since(mark)
    assert (create.action, create.object_id, create.actor_id) == (
        "reply:create", reply.id, world.staff.id,
    )
    assert create.changes == {
        "text": _changed(None, "Princippet er forkortet."),
        "disposition": _changed(None, "incorporated"),
    }

    consultations.approve_reply(reply, actor=world.colleague)
    db.session.commit()
    assert reply.is_approved
    version = reply.lock_version
    mark = _mark()

    updated = _reply(world, remark, "Delvist forkortet.", actor=world.colleague,
                     based_on=version, disposition=Disposition.PARTLY_INCORPORATED)
    db.session.expire_all()

    assert updated.id == reply.id
    assert (updated.text, updated.disposition) == (
        "Delvist forkortet.", Disposition.PARTLY_INCORPORATED,
    )
    assert updated.lock_version == version + 1
    assert updated.author_id == world.colleague.id
    assert (updated.approved_by_id, updated.approved_at, updated.is_approved) == (
        None, None, False,
    )
    (update,) = _events_since(mark)
    assert update.action == "reply:update"
    assert update.changes == {
        "text": _changed("Princippet er forkortet.", "Delvist forkortet."),
        "disposition": _changed("incorporated", "partly_incorporated"),
        "approved_by_id": _changed(world.colleague.id, None),
    }
    assert _count(Reply) == 1


def test_an_empty_reply_is_refused(world, remark):
    with pytest.raises(DomainError, match="Skriv administrationens bemærkning."):
        _reply(world, remark, "   ")
    assert _count(Reply) == 0


@pytest.mark.parametrize("stale", [None, 0, 1, 5])
def test_a_save_based_on_a_stale_lock_version_is_a_conflict(world, remark, stale):
    reply = _reply(world, remark, "Første")
    reply = _reply(world, remark, "Anden", based_on=1)  # lock_version 2 now
    assert reply.lock_version == 2
    mark = _mark()

    with pytest.raises(consultations.ReplyConflict) as conflict:
        _reply(world, remark, "Overskriver", actor=world.colleague, based_on=stale,
               disposition=Disposition.NOTED)

    assert conflict.value.current.id == reply.id
    assert conflict.value.current.text == "Anden"
    assert conflict.value.message.startswith("Svaret er blevet ændret af en anden")
    db.session.rollback()
    db.session.expire_all()
    stored = db.session.get(Reply, reply.id)
    assert (stored.text, stored.disposition, stored.lock_version, stored.author_id) == (
        "Anden", Disposition.INCORPORATED, 2, world.staff.id,
    )
    assert _events_since(mark) == []


def test_two_users_racing_for_the_same_reply(world, remark):
    _reply(world, remark, "Udkast")
    read_by_a = read_by_b = remark.reply.lock_version  # both open the page

    _reply(world, remark, "A's tekst", actor=world.staff, based_on=read_by_a)
    with pytest.raises(consultations.ReplyConflict) as conflict:
        _reply(world, remark, "B's tekst", actor=world.colleague, based_on=read_by_b)

    assert conflict.value.current.text == "A's tekst"
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Remark, remark.id).reply.text == "A's tekst"

    # B saw A's text and saves again on top of it: accepted.
    current = conflict.value.current.lock_version
    assert _reply(world, remark, "B's tekst", actor=world.colleague, based_on=current).text == (
        "B's tekst"
    )


@pytest.mark.commits  # A commits on a second connection, which must see the reply
def test_a_save_racing_past_the_check_is_still_a_conflict(world, remark):
    """A's save commits on another connection after B's save has passed the lock_version
    check but before B writes (the window inside one request). B's save must not
    overwrite A's and must be reported as a conflict (the page then shows A's text),
    not end in an unexpected error."""
    reply_id = _reply(world, remark, "Udkast").id
    session = db.session()

    def a_commits_meanwhile(*_args) -> None:
        with db.engine.begin() as other:
            other.execute(
                text("UPDATE replies SET text = :t, lock_version = lock_version + 1 "
                     "WHERE id = :id"),
                {"t": "A's tekst", "id": reply_id},
            )

    event.listen(session, "before_flush", a_commits_meanwhile, once=True)
    try:
        with pytest.raises(consultations.ReplyConflict) as conflict:
            consultations.save_reply(
                remark, text="B's tekst", disposition=Disposition.NOTED, based_on_version=1,
                actor=world.colleague,
            )
    finally:
        if event.contains(session, "before_flush", a_commits_meanwhile):
            event.remove(session, "before_flush", a_commits_meanwhile)

    db.session.rollback()
    db.session.refresh(conflict.value.current)
    assert conflict.value.current.text == "A's tekst"
    assert db.session.get(Reply, reply_id).text == "A's tekst"


def test_approval_by_a_second_member_of_staff(world, remark):
    reply = _reply(world, remark, actor=world.staff)
    mark = _mark()

    with pytest.raises(DomainError) as refusal:
        consultations.approve_reply(reply, actor=world.staff)
    assert refusal.value.message.startswith("Du kan ikke godkende dit eget svar.")
    assert not reply.is_approved
    assert _events_since(mark) == []

    consultations.approve_reply(reply, actor=world.colleague)
    db.session.commit()
    db.session.expire_all()
    assert reply.is_approved
    assert reply.approved_by_id == world.colleague.id
    assert reply.approved_at is not None
    (event,) = _events_since(mark)
    assert (event.action, event.object_id, event.actor_id) == (
        "reply:approve", reply.id, world.colleague.id,
    )
    assert event.changes == {"approved_by_id": _changed(None, world.colleague.id)}

    mark = _mark()
    for approver in (world.colleague, world.staff):
        with pytest.raises(DomainError, match="allerede godkendt"):
            consultations.approve_reply(reply, actor=approver)
    assert _events_since(mark) == []


def test_the_system_does_not_approve(world, remark):
    reply = _reply(world, remark)
    with pytest.raises(DomainError, match="navngiven bruger"):
        consultations.approve_reply(reply, actor=None)
    assert not reply.is_approved


# (world, a remark with a reply, a remark without one, actor)
PROCESSING = {
    "move_remark": lambda w, remark, other, actor: consultations.move_remark(
        remark, w.section(3), actor=actor
    ),
    "edit_memo_wording": lambda w, remark, other, actor: consultations.edit_memo_wording(
        remark, "Ny ordlyd", actor=actor
    ),
    "save_reply (new)": lambda w, remark, other, actor: consultations.save_reply(
        other, text="Svar", disposition=Disposition.NOTED, based_on_version=None, actor=actor
    ),
    "save_reply (update)": lambda w, remark, other, actor: consultations.save_reply(
        remark, text="Nyt svar", disposition=Disposition.NOTED,
        based_on_version=remark.reply.lock_version, actor=actor,
    ),
    "approve_reply": lambda w, remark, other, actor: consultations.approve_reply(
        remark.reply, actor=actor
    ),
}


@pytest.mark.parametrize("who", ["secretary_a", "member_a", "member_b", "auditor"])
@pytest.mark.parametrize("action", list(PROCESSING))
def test_members_and_auditors_cannot_process_remarks(world, who, action):
    response = _submitted(world, world.body_a, (2, "Første"), (3, "Anden"))
    remark, other = response.remarks
    _reply(world, remark, "Svar")
    mark = _mark()

    with pytest.raises(NotAllowed):
        PROCESSING[action](world, remark, other, getattr(world, who))

    db.session.rollback()
    db.session.expire_all()
    assert (remark.section_id, remark.memo_text) == (world.section(2).id, None)
    assert (remark.reply.text, remark.reply.is_approved) == ("Svar", False)
    assert other.reply is None
    assert _events_since(mark) == []


# --- queries -------------------------------------------------------------------------


def test_progress_counts_submitted_remarks_replies_and_approvals(world):
    assert queries.progress(world.consultation) == queries.Progress(0, 0, 0)
    a = _submitted(world, world.body_a, (1, "A1"), (2, "A2"), (None, "A3"))
    b = _submitted(world, world.body_b, (4, "B1"))
    draft = consultations.draft_response(world.consultation, world.body_c, actor=world.staff)
    for t in ("C1", "C2"):
        consultations.add_remark(draft, section=None, text=t, actor=world.staff)
    db.session.commit()
    assert queries.progress(world.consultation) == queries.Progress(4, 0, 0)

    _reply(world, a.remarks[0])
    _reply(world, a.remarks[1])
    _reply(world, b.remarks[0])
    consultations.approve_reply(a.remarks[1].reply, actor=world.colleague)
    db.session.commit()

    assert queries.progress(world.consultation) == queries.Progress(4, 3, 1)

    consultations.reopen_response(b, reason="Fejl i svaret", actor=world.staff)
    db.session.commit()
    assert queries.progress(world.consultation) == queries.Progress(3, 2, 1)


def test_progress_is_per_consultation(world, make_body):
    _submitted(world, world.body_a, (1, "A1"))
    other = consultations.create_consultation(
        world.version, title="Anden høring", opens_on=now_utc().date(),
        closes_at=now_utc() + timedelta(days=3), invitation_text="", public=False,
        bodies=[world.body_a], actor=None,
    )
    consultations.open_consultation(other, actor=None)
    assert queries.progress(other) == queries.Progress(0, 0, 0)
    assert queries.progress(world.consultation) == queries.Progress(1, 0, 0)


def test_consultee_rows_list_each_invited_body_with_its_response(world):
    submitted = _submitted(world, world.body_a, (1, "A1"), (2, "A2"), (None, "A3"))
    draft = consultations.draft_response(world.consultation, world.body_b, actor=world.member_b)
    consultations.add_remark(draft, section=None, text="B1", actor=world.member_b)
    db.session.commit()

    rows = queries.consultee_rows(world.consultation)

    assert [(r.consultee.body.name, r.response.id if r.response else None, r.remark_count)
            for r in rows] == [
        ("Klima- og Miljøudvalget", draft.id, 1),
        ("Kultur- og Fritidsudvalget", None, 0),
        ("Socialudvalget", submitted.id, 3),
    ]
    assert [r.consultee.status for r in rows] == [
        ConsulteeStatus.INVITED, ConsulteeStatus.INVITED, ConsulteeStatus.RESPONDED,
    ]
