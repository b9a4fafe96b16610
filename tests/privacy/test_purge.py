"""Anonymising citizens' personal data after the retention period: exactly the due
consultations, everything personal and nothing else, audited without personal data,
idempotent, and a dry run that changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from hoering.accounts.models import Role
from hoering.audit.log import verify
from hoering.audit.models import AuditEvent
from hoering.cases.models import CaseDecision
from hoering.consultations import operations as consultations
from hoering.consultations.models import (
    ANONYMISED,
    Attachment,
    Consultation,
    PublicSubmitter,
    Response,
)
from hoering.core.db import db
from hoering.core.errors import DomainError, NotAllowed
from hoering.outbox.models import MessageStatus, OutboxMessage
from hoering.privacy.purge import (
    ANONYMISED_RECEIPT_TEXT,
    GIVEN_UP_UNSENT,
    purge_personal_data,
    retention_start,
)
from hoering.public.operations import response_by_receipt
from tests.privacy.factories import (
    MOMENT,
    PDF,
    RETENTION_DAYS,
    World,
    citizens_of,
    decide_finally,
    public_consultation_with_responses,
)


def purge(moment: datetime = MOMENT, **kwargs):
    result = purge_personal_data(moment, retention_days=RETENTION_DAYS, **kwargs)
    db.session.commit()
    db.session.expire_all()
    return result


def submitters(consultation: Consultation) -> list[PublicSubmitter]:
    return list(db.session.scalars(
        select(PublicSubmitter).join(PublicSubmitter.response)
        .where(Response.consultation_id == consultation.id).order_by(PublicSubmitter.id)
    ))


def receipts(consultation: Consultation) -> list[OutboxMessage]:
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "receipt",
                                    OutboxMessage.consultation_id == consultation.id)
        .order_by(OutboxMessage.id)
    ))


def state(consultation: Consultation) -> list[tuple]:
    """Everything the purge may change in a consultation."""
    rows = [(s.name, s.email, s.organisation, s.publish_name, s.purged_at)
            for s in submitters(consultation)]
    rows += [(a.filename, a.content, a.size, a.sha256) for a in db.session.scalars(
        select(Attachment).join(Attachment.response)
        .where(Response.consultation_id == consultation.id).order_by(Attachment.id))]
    rows += [(m.to_address, m.body_text, m.status, m.last_error)
             for m in receipts(consultation)]
    return rows


def audit_rows() -> str:
    """The whole audit table as text, every column of every row, as stored and with the
    changes decoded (SQLite stores non-ASCII characters in JSON escaped)."""
    stored = [str(tuple(row)) for row in db.session.execute(
        text("SELECT * FROM audit_events ORDER BY id"))]
    decoded = [json.dumps(e.changes, ensure_ascii=False)
               for e in db.session.scalars(select(AuditEvent))]
    return "\n".join(stored + decoded)


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def purge_events() -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "privacy:purge").order_by(AuditEvent.id)
    ))


def test_only_consultations_past_their_retention_period_are_purged(world: World):
    kept = {c.id: state(c) for c in [*world.kept, world.not_public]}

    result = purge()

    assert [c.consultation_id for c in result.consultations] == [c.id for c in world.due]
    for consultation in world.due:
        assert all(s.purged_at == MOMENT for s in submitters(consultation))
        assert all(s.submission_digest is None for s in submitters(consultation))
    for consultation in [*world.kept, world.not_public]:
        assert state(consultation) == kept[consultation.id], consultation.title
    assert (result.responses, result.attachments, result.messages) == (4, 4, 4)


def test_the_sender_is_anonymised_and_the_association_kept(world: World):
    purge()

    for consultation in world.due:
        citizen, association = submitters(consultation)
        for submitter in (citizen, association):
            assert (submitter.name, submitter.email, submitter.publish_name) == (
                ANONYMISED, "", False)
            assert submitter.public_name == ""
        assert citizen.organisation == ""
        assert association.organisation == "Idrætsforeningen Fremad"
        assert association.response.sender_name == "Idrætsforeningen Fremad"


def test_remarks_keep_their_text(world: World):
    before = {r.id: [m.original_text for m in r.remarks]
              for c in world.due for r in world.responses[c.id]}

    purge()

    for response_id, texts in before.items():
        response = db.session.get(Response, response_id)
        assert [m.original_text for m in response.remarks] == texts
        assert texts == ["Indledningen bør nævne foreningslivet.",
                         "Generel bemærkning om kulturpolitikken."]


def test_attachments_lose_their_content_and_name_but_keep_their_facts(world: World):
    purge()

    attachments = list(db.session.scalars(
        select(Attachment).join(Attachment.response)
        .where(Response.consultation_id == world.adopted.id).order_by(Attachment.id)))
    assert len(attachments) == 2
    for attachment in attachments:
        assert attachment.content is None
        assert attachment.filename == f"bilag-{attachment.id}.pdf"
        assert (attachment.size, attachment.media_type) == (len(PDF), "application/pdf")
        assert len(attachment.sha256) == 64


def test_receipts_are_anonymised_and_an_unsent_one_is_never_sent(world: World):
    sent, pending = receipts(world.adopted)
    sent.status, sent.sent_at = MessageStatus.SENT, MOMENT - timedelta(days=400)
    pending.last_error = f"SMTPRecipientsRefused: {citizens_of(world.adopted)[1].email}"
    db.session.commit()

    purge()

    sent, pending = receipts(world.adopted)
    for message in (sent, pending):
        assert (message.to_address, message.body_text) == ("", ANONYMISED_RECEIPT_TEXT)
    assert (sent.status, sent.last_error) == (MessageStatus.SENT, "")
    assert (pending.status, pending.last_error) == (MessageStatus.FAILED, GIVEN_UP_UNSENT)


def test_one_audit_event_per_consultation_without_personal_data(world: World):
    purge()

    events = purge_events()
    assert [(e.object_type, e.object_id) for e in events] == [
        ("consultation", c.id) for c in world.due]
    assert events[0].changes == {
        "responses": {"before": None, "after": 2},
        "attachments": {"before": None, "after": 2},
        "receipt_messages": {"before": None, "after": 2},
        "retention_days": {"before": None, "after": RETENTION_DAYS},
        "retention_start": {"before": None, "after": "2025-03-05T09:00:00+00:00"},
    }
    assert events[0].actor_label == "system"
    everything = audit_rows().casefold()
    for consultation in world.due:
        for citizen in citizens_of(consultation):
            assert citizen.name.casefold() not in everything
            assert citizen.email.casefold() not in everything
            assert citizen.filename.casefold() not in everything
    numbers = [s.receipt_number for c in world.due for s in submitters(c)]
    assert not any(n in str(e.changes) for e in events for n in numbers)
    assert verify().ok


def test_a_second_run_purges_nothing_and_records_nothing(world: World):
    purge()
    events = event_count()
    purged = {c.id: state(c) for c in world.due}

    again = purge(MOMENT + timedelta(days=1))

    assert again.consultations == ()
    assert event_count() == events
    assert {c.id: state(c) for c in world.due} == purged
    assert verify().ok


def test_a_dry_run_counts_but_changes_nothing(world: World):
    before = {c.id: state(c) for c in world.due}
    events = event_count()

    dry = purge(dry_run=True)

    assert dry.dry_run
    assert [(c.consultation_id, c.responses, c.attachments, c.messages)
            for c in dry.consultations] == [(c.id, 2, 2, 2) for c in world.due]
    assert {c.id: state(c) for c in world.due} == before
    assert event_count() == events


def test_a_dry_run_reports_what_the_real_run_does(world: World):
    dry = purge(dry_run=True)
    real = purge()

    assert [(c.consultation_id, c.responses, c.attachments, c.messages)
            for c in dry.consultations] == [
        (c.consultation_id, c.responses, c.attachments, c.messages)
        for c in real.consultations]


@pytest.mark.parametrize(("meeting", "recorded", "start"), [
    # the end of the meeting day, Danish time (CET, then CEST)
    (date(2025, 3, 4), datetime(2025, 3, 4, 15, 0, tzinfo=UTC),
     datetime(2025, 3, 4, 23, 0, tzinfo=UTC)),
    (date(2025, 8, 26), datetime(2025, 8, 26, 15, 0, tzinfo=UTC),
     datetime(2025, 8, 26, 22, 0, tzinfo=UTC)),
    # recorded after the meeting day: from the recording
    (date(2025, 3, 4), datetime(2025, 6, 1, 9, 0, tzinfo=UTC),
     datetime(2025, 6, 1, 9, 0, tzinfo=UTC)),
])
def test_the_retention_period_starts_at_the_later_of_meeting_day_and_recording(
    app, meeting, recorded, start
):
    consultation, _ = public_consultation_with_responses("Kulturpolitik")
    decide_finally(consultation, "adopt", meeting_date=meeting, recorded_at=recorded)
    (decision,) = db.session.scalars(select(CaseDecision).where(
        CaseDecision.policy_id == consultation.version.policy_id, CaseDecision.action == "adopt"))
    assert retention_start(decision) == start

    limit = start + timedelta(days=RETENTION_DAYS)
    assert purge(limit - timedelta(seconds=1)).consultations == ()
    assert [c.consultation_id for c in purge(limit).consultations] == [consultation.id]


def test_a_consultation_made_non_public_after_citizens_responded_is_purged_too(app):
    consultation, _ = public_consultation_with_responses("Kulturpolitik")
    consultations.update_consultation(
        consultation, title=consultation.title, opens_on=consultation.opens_on,
        closes_at=consultation.closes_at, invitation_text="", public=False, actor=None)
    decide_finally(consultation, "adopt", meeting_date=date(2025, 3, 4),
                   recorded_at=datetime(2025, 3, 5, 9, 0, tzinfo=UTC))

    assert [c.consultation_id for c in purge().consultations] == [consultation.id]


def test_a_purged_response_can_no_longer_be_found_by_its_receipt(world: World):
    citizen = citizens_of(world.adopted)[0]
    number = submitters(world.adopted)[0].receipt_number
    assert response_by_receipt(number, citizen.email) is not None

    purge()

    assert response_by_receipt(number, citizen.email) is None
    assert response_by_receipt(number, "") is None


def test_the_retention_period_cannot_be_negative(app):
    with pytest.raises(DomainError):
        purge_personal_data(MOMENT, retention_days=-1)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
def test_only_staff_may_purge(world: World, make_user, role):
    with pytest.raises(NotAllowed):
        purge_personal_data(MOMENT, retention_days=RETENTION_DAYS, actor=make_user(role))


def test_staff_purge_is_attributed_to_them(world: World, make_user):
    staff = make_user(Role.STAFF)

    purge(actor=staff)

    assert {e.actor_label for e in purge_events()} == {staff.email}
