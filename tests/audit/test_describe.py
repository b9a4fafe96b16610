"""Audit events in words (hoering.audit.describe): who did what to which object, the
changes with Danish labels and values in words, never an internal name; objects named in
bulk."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from hoering.accounts import operations as accounts
from hoering.accounts.models import Role
from hoering.audit import describe as words
from hoering.audit.describe import (
    FIELD_LABELS,
    HIDDEN_FIELDS,
    OBJECT_KINDS,
    REFERENCES,
    VERBS,
    describe,
    describe_one,
)
from hoering.audit.models import AuditEvent
from hoering.audit.record import MASK, record_event
from hoering.audit.tags import AuditTag
from hoering.consultations import operations as consultations
from hoering.consultations.models import Disposition, Remark
from hoering.core.clock import frozen_at
from hoering.core.db import db
from hoering.policies import operations as policies
from tests.audit.test_tags import _AnyTag
from tests.consultations.factories import body_of, consultation_with_remarks
from tests.consultations.test_query_counts import count_queries

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _event(event_id: int) -> AuditEvent:
    db.session.expire_all()
    return db.session.get_one(AuditEvent, event_id)


def _last(action: AuditTag) -> AuditEvent:
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action.value)
                              .order_by(AuditEvent.id.desc())).first()


@pytest.fixture
def louise(make_user):
    return make_user(Role.STAFF, name="Louise Kjær Andersen", email="louise@kommune.dk")


def _remarks(n: int) -> list[Remark]:
    consultation = consultation_with_remarks(n, n_bodies=1)
    return list(db.session.scalars(select(Remark).where(
        Remark.consultation_id == consultation.id).order_by(Remark.id)))


@pytest.fixture
def remark(app):
    return _remarks(3)[0]


@pytest.fixture
def unanswered(app):
    """The factory answers two remarks of three: the third has no reply."""
    remark = _remarks(3)[2]
    assert remark.reply is None
    return remark


# --- the tables --------------------------------------------------------------------------


def test_every_tag_has_a_verb_whose_fields_have_labels(app):
    assert set(VERBS) == set(AuditTag)
    for tag, verb in VERBS.items():
        text = str(verb.text)
        fields = set(PLACEHOLDER.findall(text)) - {"actor", "object"}
        assert fields <= set(FIELD_LABELS), (tag, fields)
        if fields:
            assert verb.fallback is not None, tag  # said without the fields, too
        for other in (verb.fallback, verb.no_object):
            if other is not None:
                assert set(PLACEHOLDER.findall(str(other))) <= {"actor", "object"}, tag


def test_every_reference_names_a_known_kind_and_every_kind_has_a_namer(app):
    assert set(REFERENCES.values()) <= set(OBJECT_KINDS)
    assert set(OBJECT_KINDS) <= set(words._NAMERS)  # registered by hoering.main.audit_words
    assert not set(HIDDEN_FIELDS) & set(FIELD_LABELS)


# --- sentences ----------------------------------------------------------------------------


def test_a_move_says_who_moved_which_remark_where(app, louise, remark):
    sections = remark.response.consultation.version.sections
    target = sections[3]
    before = remark.section
    consultations.move_remark(remark, target, actor=louise)
    db.session.commit()

    said = describe_one(_last(AuditTag.REMARK_MOVE))

    abbreviation = body_of(remark.response.consultation).abbreviation
    assert said.actor == "Louise Kjær Andersen"
    assert said.sentence == (f"Louise Kjær Andersen flyttede bemærkning {remark.id} fra "
                             f"{abbreviation} til »{target.heading}«.")
    assert said.what == "Bemærkning flyttet til andet afsnit"
    [change] = said.changes
    before_words = f"»{before.heading}«" if before else None
    assert (change.label, change.before, change.after) == ("afsnit", before_words,
                                                           f"»{target.heading}«")


def test_the_sentences_are_in_the_language_of_the_page(app, louise, remark):
    target = remark.response.consultation.version.sections[3]
    consultations.move_remark(remark, target, actor=louise)
    db.session.commit()
    event = _last(AuditTag.REMARK_MOVE)
    abbreviation = body_of(remark.response.consultation).abbreviation
    with force_locale("en"):
        said = describe_one(event)
    assert said.sentence == (f"Louise Kjær Andersen moved remark {remark.id} from "
                             f"{abbreviation} to “{target.heading}”.")
    assert said.what == "Remark moved to another section"
    with force_locale("en"):
        untranslated = [tag for tag, verb in VERBS.items()
                        for text in (verb.text, verb.fallback, verb.no_object)
                        if text is not None and str(text) == text._args[0]]
    assert untranslated == []


def test_a_reply_and_its_approval_read_with_the_disposition_label(app, louise, unanswered,
                                                                   make_user):
    remark = unanswered
    consultations.save_reply(remark, text="Det er dækket.",
                             disposition=Disposition.ALREADY_COVERED, based_on_version=None,
                             actor=louise)
    approver = make_user(Role.STAFF, name="Mikkel Friis")
    consultations.approve_reply(remark.reply, actor=approver)
    db.session.commit()

    written = describe_one(_last(AuditTag.REPLY_CREATE))
    approved = describe_one(_last(AuditTag.REPLY_APPROVE))

    abbreviation = body_of(remark.response.consultation).abbreviation
    assert written.sentence == (f"Louise Kjær Andersen skrev svaret på bemærkning {remark.id} "
                                f"fra {abbreviation}.")
    assert ("behandling", "Allerede dækket") in {(c.label, c.after) for c in written.changes}
    assert approved.sentence.startswith(f"Mikkel Friis godkendte svaret på bemærkning "
                                        f"{remark.id} fra ")
    assert ("godkendt af", "Mikkel Friis") in {(c.label, c.after) for c in approved.changes}


def test_a_login_a_citizen_and_someone_through_a_personal_link(app, louise, remark):
    login = record_event(AuditTag.AUTH_LOGIN, actor=louise, object_type="user",
                         object_id=louise.id)
    citizen = record_event(AuditTag.PUBLIC_RESPONSE_SUBMIT, actor=None, object_type="response",
                           object_id=remark.response_id, record_ip=False, changes={
                               "consultation_id": {"before": None,
                                                   "after": remark.consultation_id}})
    contact = record_event(AuditTag.RESPONSE_SUBMIT, actor=None, object_type="response",
                           object_id=remark.response_id, changes={
                               "acting_as": {"before": None, "after": "ekstern kontakt for 3F"},
                               "access_token": {"before": None, "after": 7}})
    failed = record_event(AuditTag.AUTH_LOGIN_FAILED, actor=None, object_type="user",
                          object_id=None)
    db.session.commit()

    said = describe([_event(i) for i in (login, citizen, contact, failed)])

    title = remark.response.consultation.title
    assert [s.sentence for s in said] == [
        "Louise Kjær Andersen loggede ind.",
        f"En borger sendte et høringssvar til »{title}«.",
        f"Ekstern kontakt for 3F indsendte høringssvaret fra "
        f"{body_of(remark.response.consultation).abbreviation}.",
        "Nogen forsøgte at logge ind med en ukendt e-mailadresse.",
    ]
    assert said[2].changes == ()  # who acted is the actor, the token no change to show


def test_values_in_words_times_in_danish_time_and_masked_data_as_changed(app, make_user):
    admin = make_user(Role.ADMIN, name="Henrik Østergaard")
    user = make_user(Role.MEMBER, name="Anders Bjerregaard")
    accounts.update_user(user, name="Anders Bjerre", email=user.email, role=Role.STAFF,
                         active=True, actor=admin)
    summer = record_event(AuditTag.CONSULTATION_DEADLINE, actor=admin,
                          object_type="consultation", object_id=None, changes={
                              "closes_at": {"before": "2024-04-30T21:59:00+00:00",
                                            "after": "2024-05-07T21:59:00+00:00"}})
    db.session.commit()

    updated = describe_one(_last(AuditTag.USER_UPDATE))
    moved = describe_one(_event(summer))

    by_label = {c.label: c for c in updated.changes}
    assert by_label["navn"].opaque and by_label["navn"].after is None  # personal: "ændret"
    assert (by_label["rolle"].before, by_label["rolle"].after) == ("Medlem", "Sekretariat")
    assert updated.sentence == "Henrik Østergaard ændrede brugeren Anders Bjerre."
    [deadline] = moved.changes
    assert (deadline.before, deadline.after) == ("30. april 2024 kl. 23:59 (CEST)",
                                                 "7. maj 2024 kl. 23:59 (CEST)")
    assert moved.sentence == ("Henrik Østergaard flyttede fristen for høring til "
                              "7. maj 2024 kl. 23:59 (CEST).")
    assert MASK not in repr(updated)


def test_an_unknown_field_is_other_information_never_its_name(app, louise, remark):
    event_id = record_event(AuditTag.REMARK_UPDATE, actor=louise, object_type="remark",
                            object_id=remark.id, changes={
                                "frobnicate_level": {"before": 1, "after": 2},
                                "original_text": {"before": "Før.", "after": "Efter."}})
    db.session.commit()

    said = describe_one(_event(event_id))

    assert [(c.label, c.before, c.after, c.opaque) for c in said.changes] == [
        ("oprindelig ordlyd", "»Før.«", "»Efter.«", False),
        ("andre oplysninger", None, None, True),
    ]
    assert "frobnicate" not in repr([said.sentence, said.changes])
    assert said.summary == "oprindelig ordlyd: »Før.« → »Efter.«; andre oplysninger ændret"


def test_a_deleted_object_is_named_by_its_own_event(app, louise):
    consultation = consultation_with_remarks(1, n_bodies=1)
    version = policies.create_version(consultation.version.policy, [], actor=None)
    section = policies.add_section(version, heading="Princip 9: Slettes", text="", actor=louise)
    policies.delete_section(section, actor=louise)
    db.session.commit()

    said = describe_one(_last(AuditTag.SECTION_DELETE))

    assert said.sentence == "Louise Kjær Andersen slettede afsnittet »Princip 9: Slettes«."


def test_an_object_that_no_longer_exists_and_a_string_that_is_no_tag(app, louise, monkeypatch):
    from hoering.audit import record

    gone = record_event(AuditTag.REMARK_DELETE, actor=louise, object_type="remark",
                        object_id=99_999)
    monkeypatch.setattr(record, "AuditTag", _AnyTag)
    typo = record_event("remark:frobnicate", actor=louise, object_type="remark",
                        object_id=None)
    monkeypatch.undo()
    db.session.commit()

    deleted, unknown = describe([_event(gone), _event(typo)])

    assert deleted.sentence == ("Louise Kjær Andersen slettede bemærkning nr. 99999 "
                                "(findes ikke længere).")
    assert unknown.sentence == "Louise Kjær Andersen: ukendt handling."
    assert "frobnicate" not in unknown.sentence
    assert unknown.what == "Ukendt handling"


def test_the_objects_of_a_page_are_named_in_a_fixed_number_of_queries(app, louise):
    remarks = _remarks(60)
    sections = remarks[0].response.consultation.version.sections
    with frozen_at(datetime(2024, 4, 9, 12, tzinfo=UTC)):
        for i, remark in enumerate(remarks):
            record_event(AuditTag.REMARK_MOVE, actor=louise, object_type="remark",
                         object_id=remark.id, changes={"section_id": {
                             "before": sections[i % 6].id, "after": sections[(i + 1) % 6].id}})
    db.session.commit()

    def queries(n: int) -> int:
        events = list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == AuditTag.REMARK_MOVE.value).order_by(AuditEvent.id).limit(n)))
        for event in events:
            _ = event.actor  # loaded with the events, as the pages do
        with count_queries() as statements:
            said = describe(events)
        assert len(said) == n and all("findes ikke" not in s.sentence for s in said)
        return len(statements)

    assert queries(5) == queries(60) <= 3  # remarks, sections
