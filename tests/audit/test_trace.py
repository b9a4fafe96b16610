"""The trace of a remark (submitted → moved → memo wording → reply → approval → memo
versions → linked text changes), the consultation's trace as CSV/JSON with a fixed number
of queries, the trace pages and downloads over HTTP, and ``flask trace export``.

The HTTP tests run against an app with the trace blueprint: the shared ``app`` if
``create_app`` registers it, else a second app on the same test database with the
blueprint registered before its first request (Flask refuses registering later).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from hoering import create_app
from hoering.accounts.models import Body, Role
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations.models import (
    ChangeLink,
    Consultation,
    Disposition,
    Remark,
    Response,
    ResponseChannel,
)
from hoering.core.clock import LOCAL_TZ, frozen_at
from hoering.core.db import db
from hoering.demo.loader import load_demo
from hoering.demo.remarks import REMARKS
from hoering.memos import operations as memos
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.policies.models import Policy, PolicyVersion
from hoering.trace.cli import register_commands
from hoering.trace.exports import FIELDS, to_csv, to_json, trace_rows
from hoering.trace.remarks import (
    CHANGE_LINKED,
    CHANGE_UNLINKED,
    DECISION,
    IN_MEMO,
    MEMO_WORDING,
    MOVED,
    REOPENED,
    REPLY_APPROVED,
    REPLY_CHANGED,
    REPLY_WRITTEN,
    SUBMITTED,
    TraceStep,
    remark_trace,
)
from hoering.trace.views import bp as trace_bp
from tests.conftest import IsolatedClient, empty_all_tables, login
from tests.consultations.factories import consultation_with_remarks
from tests.consultations.test_query_counts import count_queries

DEMO_JOURNAL_NUMBER = "85.13.00-P00-1-23"
SOU_SOURCE = "Socialudvalget den 9. april 2024 Punkt 6"
INCORPORATED = {"incorporated", "partly_incorporated"}


def _local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ)


# --- the demo --------------------------------------------------------------------------


def _demo() -> Consultation:
    load_demo()
    db.session.commit()
    policy = db.session.scalar(select(Policy).where(Policy.journal_number == DEMO_JOURNAL_NUMBER))
    return db.session.scalar(
        select(Consultation).join(PolicyVersion, PolicyVersion.id == Consultation.version_id)
        .where(PolicyVersion.policy_id == policy.id).order_by(Consultation.id)
    )


def _sou_remark_with_edited_wording(consultation: Consultation) -> Remark:
    """SOU's remark on principle 5: its memo wording differs, the reply says incorporated
    and a change in version 2 is linked to it."""
    remarks = list(db.session.scalars(
        select(Remark).join(Remark.response).join(Response.body)
        .where(Remark.consultation_id == consultation.id, Body.abbreviation == "SOU",
               Remark.memo_text.is_not(None), Remark.id.in_(select(ChangeLink.remark_id)))
    ))
    assert len(remarks) == 1, remarks
    return remarks[0]


def test_the_demo_remark_is_traced_from_the_minutes_to_the_revised_text(app):
    consultation = _demo()
    remark = _sou_remark_with_edited_wording(consultation)

    steps = remark_trace(remark)

    assert [s.kind for s in steps] == [
        SUBMITTED, MEMO_WORDING, REPLY_WRITTEN, REPLY_APPROVED, CHANGE_LINKED, IN_MEMO,
    ]
    assert [s.when for s in steps] == sorted(s.when for s in steps)
    submitted, wording, written, approved, linked, in_memo = steps

    assert submitted.title == "Indsendt"
    assert f"indlæst fra referat: {SOU_SOURCE}" in submitted.detail
    assert "Socialudvalget (SOU)" in submitted.detail
    assert f"»{remark.original_text}«" in submitted.detail
    assert submitted.when == remark.response.submitted_at
    assert submitted.when.astimezone(LOCAL_TZ).date() == date(2024, 4, 9)

    assert wording.title == "Ordlyd i notatet ændret"
    assert f"Før: »{remark.original_text}« (den oprindelige ordlyd)" in wording.detail
    assert f"Efter: »{remark.memo_text}«" in wording.detail

    assert written.title == "Svar skrevet"
    assert written.detail == f"Indarbejdet: »{remark.reply.text}«"
    assert approved.title == "Svar godkendt"
    assert approved.actor_label == remark.reply.approved_by.email
    approver = remark.reply.approved_by
    assert approved.detail == f"Godkendt af {approver.name} ({approver.email})."
    assert approved.when == remark.reply.approved_at

    assert linked.title.startswith("Ændring knyttet: Version 2: Princip 5")
    link = db.session.scalar(select(ChangeLink).where(ChangeLink.remark_id == remark.id))
    assert (linked.section_id, linked.version_id) == (link.section_id, link.section.version_id)
    assert in_memo.title == "Med i høringsnotat version 1"
    assert in_memo.detail == "Med administrationens godkendte svar."

    # every step rests on the audit event it names
    events = {e.id: e for e in db.session.scalars(select(AuditEvent))}
    expected = {
        SUBMITTED: ("response:submit", "response", remark.response_id),
        MEMO_WORDING: ("remark:edit_memo_wording", "remark", remark.id),
        REPLY_WRITTEN: ("reply:create", "reply", remark.reply.id),
        REPLY_APPROVED: ("reply:approve", "reply", remark.reply.id),
        CHANGE_LINKED: ("change_link:create", "change_link", None),
        IN_MEMO: ("memo:issue", "memo_issue", None),
    }
    for step in steps:
        event = events[step.event_id]
        action, object_type, object_id = expected[step.kind]
        assert (event.action, event.object_type) == (action, object_type), step
        assert (step.object_type, step.object_id) == (event.object_type, event.object_id)
        assert step.when == event.occurred_at
        if object_id is not None:
            assert event.object_id == object_id


def test_the_demo_trace_rows_cover_every_remark_and_round_trip(app):
    consultation = _demo()

    rows = trace_rows(consultation)

    assert len(rows) == 30
    assert all(list(row) == list(FIELDS) for row in rows)
    assert Counter(r["body"] for r in rows) == Counter(item["body"] for item in REMARKS)
    assert Counter(r["disposition"] for r in rows) == Counter(i["disposition"] for i in REMARKS)
    by_text = {r["original_wording"]: r for r in rows}
    for item in REMARKS:
        row = by_text[item["original"]]
        assert (row["body"], row["disposition"]) == (item["body"], item["disposition"])
        assert row["memo_wording"] == item["memo"]
        assert row["reply"] == item["reply"]
        if item["disposition"] in INCORPORATED:
            assert row["linked_changes"].startswith("Version 2: "), row
        else:
            assert row["linked_changes"] == "", row
    sou = next(r for r in rows if r["source"] == SOU_SOURCE and r["disposition"] == "incorporated"
               and r["memo_wording"] != r["original_wording"])
    assert sou["body_name"] == "Socialudvalget"
    assert sou["channel"] == "minutes"
    assert sou["section"].startswith("Princip 5")
    assert sou["linked_changes"].startswith("Version 2: Princip 5")
    assert sou["disposition_label"] == "Indarbejdet"
    assert sou["reply_author"] and sou["approved_by"]
    assert sou["approved_at"].startswith("2024-06-04T")
    assert sou["submitted_at"].startswith("2024-04-09T")
    assert sou["received_late"] is False
    general = [r for r in rows if r["section"] == "Generelle opmærksomhedspunkter"]
    assert len(general) == 9 and rows[-9:] == general  # general attention points last
    med = next(r for r in rows if r["body"] == "MED")
    assert med["channel"] == "staff" and med["source"] == "Registreret af sekretariatet"

    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert len(parsed) == 30
    assert parsed[0].keys() == set(FIELDS)
    for row, back in zip(rows, parsed, strict=True):
        assert back["remark_id"] == str(row["remark_id"])
        assert back["original_wording"] == row["original_wording"]
        assert back["linked_changes"] == row["linked_changes"]
        assert back["received_late"] == "false"
    assert to_csv(rows).splitlines()[0].startswith('"remark_id","body",')  # all quoted

    assert json.loads(to_json(rows)) == rows
    assert "Socialudvalget" in to_json(rows)  # not \u-escaped


def test_an_empty_consultation_exports_only_the_header(app, make_user, make_body):
    consultation, *_ = _small_consultation(make_user, make_body)
    assert trace_rows(consultation) == []
    assert to_csv([]).strip() == ",".join(f'"{f}"' for f in FIELDS)
    assert json.loads(to_json([])) == []


# --- a remark with a longer history ----------------------------------------------------


def _small_consultation(make_user, make_body):
    body = make_body("SOU", "Socialudvalget")
    staff = make_user(Role.STAFF, name="Sagsbehandler Sørensen", email="s@kommune.dk")
    colleague = make_user(Role.STAFF, name="Kollega Kjær", email="k@kommune.dk")
    policy = policies.create_policy(
        title="Politiske principper for digitalisering", journal_number="85.13.00-P00-1-23",
        description="", owner_body=body, actor=None,
    )
    headings = ["Rammesætning", "Princip 1: Ambitiøst", "Princip 2: Sammen"]
    with frozen_at(_local("2024-03-01 09:00")):
        version = policies.create_version(
            policy, [DraftSection(h, f"Tekst til {h}.") for h in headings], actor=None
        )
        consultation = consultations.create_consultation(
            version, title="Høring om digitaliseringsprincipper", opens_on=date(2024, 3, 1),
            closes_at=_local("2024-04-30 23:59").astimezone(UTC), invitation_text="",
            public=False, bodies=[body], actor=None,
        )
        consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return consultation, version, body, staff, colleague


def test_a_longer_history_is_told_in_order_with_section_names_and_memo_states(
    app, make_user, make_body
):
    consultation, version, body, staff, colleague = _small_consultation(make_user, make_body)
    framing, p1, p2 = version.sections
    with frozen_at(_local("2024-04-09 15:00")):
        response = consultations.import_minutes(
            consultation, body, meeting_date=date(2024, 4, 9), agenda_item=6,
            remarks=[consultations.ImportedRemark("Skriv tydeligere.", p1)], actor=staff,
        )
    remark = response.remarks[0]
    with frozen_at(_local("2024-04-10 10:00")):
        consultations.move_remark(remark, p2, actor=staff)
    with frozen_at(_local("2024-04-10 11:00")):
        consultations.move_remark(remark, None, actor=staff)
    with frozen_at(_local("2024-05-01 10:00")):  # the remark not yet answered: pending
        first_memo = memos.issue_memo(consultation, actor=staff, mark_pending=True)
    with frozen_at(_local("2024-05-02 10:00")):
        consultations.edit_memo_wording(remark, "Skriv meget tydeligere.", actor=staff)
        consultations.save_reply(remark, text="Det gør vi.", based_on_version=None,
                                 disposition=Disposition.NOTED, actor=staff)
    with frozen_at(_local("2024-05-03 10:00")):  # answered, not yet approved: pending
        memos.issue_memo(consultation, actor=staff, mark_pending=True)
    with frozen_at(_local("2024-05-04 10:00")):
        consultations.approve_reply(remark.reply, actor=colleague)
    with frozen_at(_local("2024-05-05 10:00")):
        consultations.edit_memo_wording(remark, "Skriv tydeligere.", actor=staff)  # undone
        consultations.save_reply(
            remark, text="Det er indarbejdet.", disposition=Disposition.INCORPORATED,
            based_on_version=remark.reply.lock_version, actor=staff,
        )
    with frozen_at(_local("2024-05-06 10:00")):
        consultations.approve_reply(remark.reply, actor=colleague)
    with frozen_at(_local("2024-05-07 10:00")):
        revised = policies.create_version(
            consultation.version.policy,
            [DraftSection(h, f"Ny tekst til {h}.") for h in ("Rammesætning", "Princip 1: Nyt")],
            actor=staff,
        )
        wrong = consultations.link_change(remark, revised.sections[0], actor=staff)
        consultations.unlink_change(wrong, actor=staff)
        consultations.link_change(remark, revised.sections[1], actor=staff)
    with frozen_at(_local("2024-05-08 10:00")):
        memos.issue_memo(consultation, actor=staff)
    db.session.commit()

    decision = TraceStep(
        when=_local("2024-05-07 18:00").astimezone(UTC), title="Vedtaget af Byrådet",
        detail="Byrådet den 7. maj 2024 Punkt 3", actor_label="s@kommune.dk",
        event_id=None, kind=DECISION,
    )
    steps = remark_trace(remark, decisions=[decision])

    assert [(s.kind, s.title) for s in steps] == [
        (SUBMITTED, "Indsendt"),
        (MOVED, "Flyttet til et andet afsnit"),
        (MOVED, "Flyttet til et andet afsnit"),
        (IN_MEMO, "Med i høringsnotat version 1"),
        (MEMO_WORDING, "Ordlyd i notatet ændret"),
        (REPLY_WRITTEN, "Svar skrevet"),
        (IN_MEMO, "Med i høringsnotat version 2"),
        (REPLY_APPROVED, "Svar godkendt"),
        (MEMO_WORDING, "Ordlyd i notatet ændret"),
        (REPLY_CHANGED, "Svar ændret"),
        (REPLY_APPROVED, "Svar godkendt"),
        (CHANGE_LINKED, "Ændring knyttet: Version 2: Rammesætning"),
        (CHANGE_UNLINKED, "Ændring fjernet: Version 2: Rammesætning"),
        (CHANGE_LINKED, "Ændring knyttet: Version 2: Princip 1: Nyt"),
        (DECISION, "Vedtaget af Byrådet"),
        (IN_MEMO, "Med i høringsnotat version 3"),
    ]
    assert all(s.event_id is not None for s in steps if s.kind != DECISION)
    assert len({s.event_id for s in steps if s.event_id}) == len(steps) - 1
    submitted, move_1, move_2, memo_1, wording_1, _w, memo_2, _a, wording_2, changed = steps[:10]
    assert "Afsnit: Princip 1: Ambitiøst." in submitted.detail  # where it was submitted
    assert "Registreret af Sagsbehandler Sørensen (s@kommune.dk)." in submitted.detail
    assert move_1.detail == "Fra »Princip 1: Ambitiøst« til »Princip 2: Sammen«."
    assert move_2.detail == "Fra »Princip 2: Sammen« til »Generelle opmærksomhedspunkter«."
    assert memo_1.detail == "Bemærkningen var endnu ikke besvaret."
    assert memo_1.object_id == first_memo.id and memo_1.actor_label == "s@kommune.dk"
    assert memo_2.detail == "Administrationens svar var endnu ikke godkendt."
    assert steps[-1].detail == "Med administrationens godkendte svar."
    assert wording_1.detail == ("Før: »Skriv tydeligere.« (den oprindelige ordlyd)\n"
                                "Efter: »Skriv meget tydeligere.«")
    assert wording_2.detail == ("Før: »Skriv meget tydeligere.«\n"
                                "Efter: »Skriv tydeligere.« (den oprindelige ordlyd)")
    assert changed.detail == "Indarbejdet: »Det er indarbejdet.«\nSvaret skal godkendes igen."
    assert [s.when for s in steps] == sorted(s.when for s in steps)


def test_a_reopened_response_shows_both_submissions(app, make_user, make_body):
    consultation, version, body, staff, _colleague = _small_consultation(make_user, make_body)
    with frozen_at(_local("2024-04-01 10:00")):
        response = consultations.draft_response(consultation, body, actor=staff)
        remark = consultations.add_remark(response, section=version.sections[1],
                                          text="Mere inddragelse.", actor=staff)
        consultations.submit_response(response, actor=staff)
    with frozen_at(_local("2024-04-02 10:00")):
        consultations.reopen_response(response, reason="Forkert organ", actor=staff)
    with frozen_at(_local("2024-04-03 10:00")):
        consultations.submit_response(response, actor=staff)
    db.session.commit()

    steps = remark_trace(remark)

    assert [s.kind for s in steps] == [SUBMITTED, REOPENED, SUBMITTED]
    assert steps[0].detail == "Høringssvaret blev indsendt og senere genåbnet."
    assert steps[1].detail == "Begrundelse: Forkert organ"
    assert "registreret af sekretariatet." in steps[2].detail
    assert steps[2].when == response.submitted_at


def test_remarks_loaded_without_events_still_have_their_facts(app):
    consultation = consultation_with_remarks(3, n_bodies=1)
    remark = db.session.scalar(select(Remark).order_by(Remark.id))

    steps = remark_trace(remark)

    assert [s.kind for s in steps] == [SUBMITTED]
    assert steps[0].event_id is None
    assert steps[0].object_type == "response"
    assert "indlæst fra referat: Udvalg nr. 0 den 9. april 2024 Punkt 6" in steps[0].detail
    assert len(trace_rows(consultation)) == 3


# --- query counts ----------------------------------------------------------------------


def _link_every_other(consultation: Consultation) -> None:
    """A revised version, and a change linked to every other remark (bulk rows)."""
    revised = policies.create_version(
        consultation.version.policy,
        [DraftSection(s.heading, "Ny tekst.") for s in consultation.version.sections],
        actor=None,
    )
    remark_ids = db.session.scalars(select(Remark.id).order_by(Remark.id)).all()
    db.session.add_all(
        ChangeLink(remark_id=remark_id, section_id=revised.sections[i % 6].id)
        for i, remark_id in enumerate(remark_ids) if i % 2 == 0
    )
    db.session.commit()


def _export_queries(n_remarks: int) -> tuple[int, list[dict]]:
    consultation = consultation_with_remarks(n_remarks, n_bodies=5)
    _link_every_other(consultation)
    db.session.expire_all()
    with count_queries() as statements:
        rows = trace_rows(consultation)
    return len(statements), rows


def test_trace_rows_issue_the_same_queries_for_10_and_1000_remarks(app):
    small, small_rows = _export_queries(10)
    empty_all_tables()
    large, large_rows = _export_queries(1000)

    assert len(small_rows) == 10 and len(large_rows) == 1000
    assert small == large <= 3, (small, large)
    assert sum(bool(r["linked_changes"]) for r in large_rows) == 500
    assert sum(r["approved_by"] is not None for r in large_rows) == 334


def test_the_trace_of_a_remark_issues_a_fixed_number_of_queries(app, make_user, make_body):
    consultation, version, body, staff, colleague = _small_consultation(make_user, make_body)
    with frozen_at(_local("2024-04-09 15:00")):
        response = consultations.import_minutes(
            consultation, body, meeting_date=date(2024, 4, 9), agenda_item=6,
            remarks=[consultations.ImportedRemark("Kort.", version.sections[1]),
                     consultations.ImportedRemark("Lang historik.", version.sections[1])],
            actor=staff,
        )
    short, long = response.remarks
    consultations.move_remark(short, None, actor=staff)
    sections = [*version.sections, None] * 3
    for section in sections:
        consultations.move_remark(long, section, actor=staff)
    db.session.commit()

    def queries(remark: Remark) -> int:
        db.session.expire_all()
        remark = db.session.get(Remark, remark.id)
        with count_queries() as statements:
            remark_trace(remark)
        return len(statements)

    assert queries(short) == queries(long)
    assert len(remark_trace(long)) == 1 + len(sections)


# --- over HTTP ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trace_app(app: Flask, database_url: str) -> Flask:
    """The shared app once it registers the trace blueprint itself; until then a second
    app on the same database, with the blueprint and the CLI commands registered."""
    if "trace" in app.blueprints:
        target = app
    else:
        target = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
        target.register_blueprint(trace_bp)
    if "trace" not in target.cli.commands:
        register_commands(target)
    return target


@pytest.fixture
def web(trace_app: Flask):
    """Everything in the test (data, requests) happens in ``trace_app``'s context."""
    with trace_app.app_context():
        trace_app.test_client_class = IsolatedClient
        yield trace_app


def _client_as(web: Flask, user):
    client = web.test_client()
    if user is not None:
        assert login(client, user).status_code == 302
    return client


def test_the_trace_page_tells_the_story_and_links_auditors_to_the_log(web, make_user):
    consultation = _demo()
    remark = _sou_remark_with_edited_wording(consultation)
    steps = remark_trace(remark)
    url = f"/hoeringer/bemaerkninger/{remark.id}/spor"

    auditor = _client_as(web, make_user(Role.AUDITOR))
    page = auditor.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Spor for bemærkningen fra Socialudvalget</h1>" in html
    assert '<ol class="sections">' in html
    positions = [html.index(f"<h3>{s.title}</h3>") for s in steps]
    assert positions == sorted(positions)
    assert (f'<time datetime="{steps[0].when.isoformat()}">9. april 2024 kl. 15:00 (CEST)'
            '</time>') in html
    approved = next(s for s in steps if s.kind == REPLY_APPROVED)
    assert f"</time> · {approved.actor_name}" in html  # the approver's name, not an address
    assert SOU_SOURCE in html
    assert "etisk ansvarlig" in html  # the memo wording
    for step in steps:
        assert f"Hændelse #{step.event_id} i revisionsloggen" in html
        assert (f"/revision/log?objekttype={step.object_type}&amp;objekt={step.object_id}"
                in html)
    assert f"/hoeringer/{consultation.id}/spor.csv" in html
    linked = next(s for s in steps if s.kind == CHANGE_LINKED)
    assert (f'href="/politikker/versioner/{linked.version_id}/sammenlign#afsnit-'
            f'{linked.section_id}"') in html
    in_memo = next(s for s in steps if s.kind == IN_MEMO)
    assert f'href="/notater/{in_memo.object_id}.pdf"' in html

    staff_html = _client_as(web, make_user(Role.STAFF)).get(url).get_data(as_text=True)
    assert "<h3>Svar godkendt</h3>" in staff_html
    assert "revisionsloggen" not in staff_html  # staff have no audit log


def test_the_trace_page_is_refused_to_members_and_anonymous_visitors(web, make_user):
    consultation = _demo()
    remark = _sou_remark_with_edited_wording(consultation)
    url = f"/hoeringer/bemaerkninger/{remark.id}/spor"
    sou = db.session.scalar(select(Body).where(Body.abbreviation == "SOU"))

    assert _client_as(web, make_user(Role.MEMBER, bodies=(sou,))).get(url).status_code == 403
    anonymous = _client_as(web, None).get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert _client_as(web, None).get(f"/hoeringer/{consultation.id}/spor.csv").status_code == 302


def test_the_trace_of_a_draft_or_missing_remark_is_not_found(web, make_user, make_body):
    consultation, version, body, staff, _colleague = _small_consultation(make_user, make_body)
    with frozen_at(_local("2024-04-01 10:00")):
        response = consultations.draft_response(consultation, body, actor=staff)
        draft = consultations.add_remark(response, section=None, text="Kladde.", actor=staff)
    db.session.commit()
    assert response.channel is ResponseChannel.STAFF

    client = _client_as(web, make_user(Role.AUDITOR))
    assert client.get(f"/hoeringer/bemaerkninger/{draft.id}/spor").status_code == 404
    assert client.get("/hoeringer/bemaerkninger/999999/spor").status_code == 404
    assert client.get("/hoeringer/999999/spor.csv").status_code == 404


def test_the_consultation_trace_downloads_as_csv_and_json(web, make_user):
    consultation = _demo()
    client = _client_as(web, make_user(Role.AUDITOR))
    base = f"/hoeringer/{consultation.id}/spor"

    as_csv = client.get(f"{base}.csv")
    assert as_csv.status_code == 200
    assert as_csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv.headers["Content-Disposition"] == (
        f"attachment; filename=hoering-{consultation.id}-spor.csv"
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.data.decode("utf-8"))))
    assert len(rows) == 30
    assert {r["body"] for r in rows} == {"BSU", "KMU", "KFU", "SOU", "EBU", "SÆU", "MED"}

    as_json = client.get(f"{base}.json")
    assert as_json.status_code == 200
    assert as_json.headers["Content-Type"] == "application/json"
    assert as_json.headers["Content-Disposition"].startswith("attachment;")
    assert json.loads(as_json.data.decode("utf-8")) == trace_rows(consultation)

    assert client.get(f"{base}.xml").status_code == 404
    staff = _client_as(web, make_user(Role.STAFF))
    assert staff.get(f"{base}.json").status_code == 200


# --- the command line ------------------------------------------------------------------


def test_the_cli_writes_both_formats(web, tmp_path):
    consultation = _demo()
    runner = web.test_cli_runner()

    csv_file, json_file = tmp_path / "spor.csv", tmp_path / "spor.json"
    result = runner.invoke(args=["trace", "export", str(consultation.id), "--format", "csv",
                                 "--output", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "30 bemærkninger" in result.output
    with csv_file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == list(csv.DictReader(io.StringIO(to_csv(trace_rows(consultation)))))

    result = runner.invoke(args=["trace", "export", str(consultation.id), "--format", "json",
                                 "--output", str(json_file)])
    assert result.exit_code == 0, result.output
    exported = json.loads(json_file.read_text(encoding="utf-8"))
    assert [r["remark_id"] for r in exported] == [int(r["remark_id"]) for r in rows]

    missing = runner.invoke(args=["trace", "export", "999999", "--format", "csv",
                                  "--output", str(tmp_path / "x.csv")])
    assert missing.exit_code != 0 and "Høring 999999 findes ikke." in missing.output
    wrong = runner.invoke(args=["trace", "export", str(consultation.id), "--format", "xml",
                                "--output", str(tmp_path / "x.xml")])
    assert wrong.exit_code != 0
