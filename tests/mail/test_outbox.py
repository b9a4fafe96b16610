"""The outbox: invitations and reminders become rows, a sender delivers them by SMTP to a
real server on loopback (aiosmtpd), retries through an outage, gives up after the last
attempt, and two senders at once never send a message twice (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from hoering.accounts.models import Body, Role
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations.models import Consultation
from hoering.consultations.notifications import enqueue_invitations
from hoering.consultations.operations import enqueue_reminders
from hoering.core.clock import frozen_at
from hoering.core.db import db, now_utc
from hoering.mail import cli as mail_cli
from hoering.mail.sender import SendReport, send_pending
from hoering.outbox.models import MessageStatus, OutboxMessage
from hoering.outbox.queue import enqueue
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from tests.smtp import SmtpServer, free_port

# 2 April 2024, 12:00 in Copenhagen (CEST); the deadline 30 April 2024 23:59 Danish time.
START = datetime(2024, 4, 2, 10, 0, tzinfo=UTC)
DEADLINE = datetime(2024, 4, 30, 21, 59, tzinfo=UTC)


# --- building consultations ------------------------------------------------------------


def make_consultation(bodies: list[Body], *, closes_at: datetime = DEADLINE,
                      title: str = "Kultur-, idræts- og fritidspolitik",
                      opened: bool = True) -> Consultation:
    policy = policies.create_policy(
        title=title, journal_number="85.13.00-P00-1-23", description="",
        owner_body=bodies[0], actor=None,
    )
    version = policies.create_version(
        policy, [DraftSection("Rammesætning", "Tekst."), DraftSection("Princip 1", "Tekst.")],
        actor=None,
    )
    consultation = consultations.create_consultation(
        version, title=title, opens_on=now_utc().date(), closes_at=closes_at,
        invitation_text="Udvalget bedes give sine bemærkninger til udkastet.",
        public=False, bodies=bodies, actor=None,
    )
    if opened:
        consultations.open_consultation(consultation, actor=None)
        # opening enqueues the invitations; the tests below start from an empty outbox
        db.session.execute(delete(OutboxMessage))
    db.session.commit()
    return consultation


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _enqueue_test_messages(n: int) -> None:
    for i in range(n):
        enqueue(kind="test", dedupe_key=f"test:{i}", to_address=f"modtager{i}@kommune.dk",
                subject=f"Besked nr. {i} – æøå", body_text=f"Indhold {i}: æøå ÆØÅ.\n")
    db.session.commit()


# --- invitations -----------------------------------------------------------------------


def test_invitations_go_to_the_members_of_invited_bodies_once(app, make_user, make_body,
                                                              smtp_server):
    with frozen_at(START):
        invited, also_invited, other = make_body(), make_body(), make_body()
        a1 = make_user(Role.MEMBER, bodies=(invited,))
        a2 = make_user(Role.MEMBER, bodies=(invited, also_invited))
        b1 = make_user(Role.MEMBER, bodies=(also_invited,))
        make_user(Role.MEMBER, bodies=(other,))  # not invited
        gone = make_user(Role.MEMBER, bodies=(invited,))
        gone.active = False
        db.session.commit()
        consultation = make_consultation([invited, also_invited], opened=False)
        consultations.open_consultation(consultation, actor=None)  # enqueues the invitations
        db.session.commit()
        events_before = db.session.scalar(select(func.count(AuditEvent.id)))

        assert enqueue_invitations(consultation) == 0  # called again: nothing new
        db.session.commit()
    opened = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "consultation:open")).one()
    assert opened.changes["invitations"] == {"before": None, "after": 4}
    # enqueuing audits nothing by itself
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events_before
    pending = rows()
    assert {(m.to_address, m.kind) for m in pending} == {
        (a1.email, "invitation"), (a2.email, "invitation"), (b1.email, "invitation")
    } and len(pending) == 4
    assert all(m.status is MessageStatus.PENDING and m.consultation_id == consultation.id
               for m in pending)

    report = send_pending()

    assert report == SendReport(sent=4, failed=0, retried=0)
    assert all(m.status is MessageStatus.SENT and m.sent_at is not None for m in rows())
    received = smtp_server.messages
    assert sorted(m["To"] for m in received) == sorted([a1.email, a2.email, a2.email, b1.email])
    links = {f"https://hoering.kommune.dk/hoeringer/{consultation.id}/organer/{body.id}"
             for body in (invited, also_invited)}
    seen_links = set()
    for message in received:
        assert message["Subject"] == "Invitation til høring: Kultur-, idræts- og fritidspolitik"
        assert message["From"] == "hoering@kommune.dk"
        text = message.get_content()
        assert "30. april 2024 kl. 23:59" in text
        assert "Udvalget bedes give sine bemærkninger til udkastet." in text
        seen_links |= {link for link in links if link in text}
    assert seen_links == links
    # a2 sits in both bodies: one invitation per body, each with its own link
    a2_texts = [m.get_content() for m in received if m["To"] == a2.email]
    assert {link for link in links if any(link in t for t in a2_texts)} == links

    assert send_pending() == SendReport()  # nothing is sent twice
    assert len(smtp_server.messages) == 4


def test_a_long_title_still_fits_the_subject(app, make_user, make_body, smtp_server):
    body = make_body()
    make_user(Role.MEMBER, bodies=(body,))
    consultation = make_consultation([body], closes_at=now_utc() + timedelta(days=20),
                                     title="Æ" * 300)
    assert enqueue_invitations(consultation) == 1
    db.session.commit()
    assert len(rows()[0].subject) == 300
    assert send_pending().sent == 1


# --- outage and retries -----------------------------------------------------------------


def test_smtp_down_then_up_loses_nothing_and_sends_each_once(app, mail_config):
    server = SmtpServer()  # not started: nothing listens on its port
    mail_config(MAIL_PORT=server.port)
    _enqueue_test_messages(3)
    moment = now_utc()
    with frozen_at(moment):
        report = send_pending()
    assert report == SendReport(sent=0, failed=0, retried=3)
    for message in rows():
        assert message.status is MessageStatus.PENDING
        assert message.attempts == 1
        assert message.last_error
        assert message.next_attempt_at > moment
        assert message.sent_at is None

    with frozen_at(moment):  # not yet due again: nothing is tried
        assert send_pending() == SendReport()
    assert {m.attempts for m in rows()} == {1}

    server.start()
    try:
        with frozen_at(moment + timedelta(hours=2)):
            assert send_pending() == SendReport(sent=3)
            assert send_pending() == SendReport()
    finally:
        server.stop()
    assert sorted(m["To"] for m in server.messages) == [
        f"modtager{i}@kommune.dk" for i in range(3)
    ]
    assert {m["Subject"] for m in server.messages} == {f"Besked nr. {i} – æøå" for i in range(3)}
    assert server.messages[0].get_content().replace("\r\n", "\n") == "Indhold 0: æøå ÆØÅ.\n"
    assert all(m.status is MessageStatus.SENT and m.attempts == 1 for m in rows())


def test_the_message_fails_after_the_last_attempt(app, mail_config):
    mail_config(MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=3)
    _enqueue_test_messages(1)
    moment = now_utc()
    reports = []
    for day in range(4):
        with frozen_at(moment + timedelta(days=day)):
            reports.append(send_pending())
    assert reports == [SendReport(retried=1), SendReport(retried=1), SendReport(failed=1),
                       SendReport()]
    (message,) = rows()
    assert message.status is MessageStatus.FAILED
    assert message.attempts == 3
    assert "Connection" in message.last_error or "Errno" in message.last_error
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "outbox_message:fail")
    ).one()
    assert event.object_id == message.id and message.to_address not in str(event.changes)


# --- reminders -------------------------------------------------------------------------


def test_reminders_go_to_bodies_still_invited_within_the_window_once_a_day(
    app, make_user, make_body, smtp_server
):
    with frozen_at(START):
        waiting, responded, declined, far = make_body(), make_body(), make_body(), make_body()
        w1 = make_user(Role.MEMBER, bodies=(waiting,))
        w2 = make_user(Role.MEMBER, bodies=(waiting,))
        make_user(Role.MEMBER, bodies=(responded,))
        make_user(Role.MEMBER, bodies=(declined,))
        make_user(Role.MEMBER, bodies=(far,))
        soon = make_consultation([waiting, responded, declined], closes_at=DEADLINE)
        later = make_consultation([far], closes_at=DEADLINE + timedelta(days=30),
                                  title="Skolestruktur")
        unopened = make_consultation([waiting], closes_at=DEADLINE, title="Budget",
                                     opened=False)
        consultations.import_minutes(  # a consultee's status follows from its response
            soon, responded, meeting_date=START.date(), agenda_item=2,
            remarks=[consultations.ImportedRemark("Bemærkning.", None)], actor=None)
        consultations.decline(soon, declined, actor=None)
        db.session.execute(delete(OutboxMessage))  # their receipts: not this test's subject
        db.session.commit()

    # 10 days before the deadline: outside a 3-day window
    assert enqueue_reminders(DEADLINE - timedelta(days=10), days_before=3) == 0

    # two and a half days before: the waiting body's two members
    day1 = DEADLINE - timedelta(days=2, hours=12)  # 28 April, 11:59 Danish time
    assert enqueue_reminders(day1, days_before=3) == 2
    db.session.commit()
    assert enqueue_reminders(day1 + timedelta(hours=1), days_before=3) == 0  # same day
    db.session.commit()
    reminders = rows()
    assert {m.to_address for m in reminders} == {w1.email, w2.email}
    assert {m.consultation_id for m in reminders} == {soon.id}
    assert {m.kind for m in reminders} == {"reminder"}
    consultee = next(c for c in soon.consultees if c.body_id == waiting.id)
    assert consultee.reminders_sent == 1  # registered once (and audited)
    assert db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "consultee:remind")
    ) == 1

    # the next day: one more each
    assert enqueue_reminders(day1 + timedelta(days=1), days_before=3) == 2
    db.session.commit()
    assert consultee.reminders_sent == 2

    # after the deadline: none
    assert enqueue_reminders(DEADLINE + timedelta(minutes=1), days_before=3) == 0
    assert enqueue_reminders(DEADLINE, days_before=3) == 0
    db.session.commit()
    assert unopened.opened_at is None and later.id

    assert send_pending() == SendReport(sent=4)
    received = smtp_server.messages
    assert sorted(m["To"] for m in received) == sorted([w1.email, w2.email] * 2)
    for message in received:
        assert message["Subject"].startswith("Påmindelse: høringsfrist 30. april 2024 kl. 23:59")
        assert (f"https://hoering.kommune.dk/hoeringer/{soon.id}/organer/{waiting.id}"
                in message.get_content())


# --- two senders at once (PostgreSQL) ---------------------------------------------------


@pytest.mark.commits  # each sender thread claims messages on a connection of its own
def test_two_senders_at_once_never_send_a_message_twice(app, mail_config):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite has one writer at a time anyway")
    server = SmtpServer(delay=0.01)  # slow enough that the senders overlap
    server.start()
    mail_config(MAIL_PORT=server.port)
    _enqueue_test_messages(40)
    barrier = threading.Barrier(2)
    reports: dict[str, SendReport] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                reports[name] = send_pending()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("A", "B")]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        server.stop()
    assert errors == []
    assert sum(r.sent for r in reports.values()) == 40
    assert all(r.sent > 0 for r in reports.values()), reports  # both really worked
    assert len(server.messages) == 40
    assert len({m["To"] for m in server.messages}) == 40
    assert len({m["Subject"] for m in server.messages}) == 40
    assert all(m.status is MessageStatus.SENT for m in rows())


# --- the CLI ---------------------------------------------------------------------------


@pytest.fixture
def cli_runner(app):
    if "send-mail" not in app.cli.commands:
        mail_cli.register_commands(app)
    return app.test_cli_runner()


def test_cli_send_mail(app, smtp_server, cli_runner):
    _enqueue_test_messages(3)
    result = cli_runner.invoke(args=["send-mail", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "Sendt: 2" in result.output
    result = cli_runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "Sendt: 1, prøves igen senere: 0, opgivet: 0" in result.output
    assert len(smtp_server.messages) == 3


def test_cli_send_reminders(app, make_user, make_body, smtp_server, cli_runner):
    body = make_body()
    member = make_user(Role.MEMBER, bodies=(body,))
    make_consultation([body], closes_at=now_utc() + timedelta(days=2))
    result = cli_runner.invoke(args=["send-reminders", "--days-before", "3"])
    assert result.exit_code == 0, result.output
    assert "Påmindelser lagt i kø: 1" in result.output
    assert "Sendt: 1" in result.output
    assert [m["To"] for m in smtp_server.messages] == [member.email]
    result = cli_runner.invoke(args=["send-reminders"])  # same day again: nothing new
    assert result.exit_code == 0, result.output
    assert "Påmindelser lagt i kø: 0" in result.output
    assert len(smtp_server.messages) == 1


def test_the_staff_button_sends_a_reminder_by_e_mail(app, client, make_user, make_body,
                                                      smtp_server):
    from tests.conftest import login

    body = make_body()
    member = make_user(Role.MEMBER, bodies=(body,))
    consultation = make_consultation([body], closes_at=now_utc() + timedelta(days=10))
    consultee = consultation.consultees[0]
    login(client, make_user(Role.STAFF))
    page = client.post(f"/hoeringer/parter/{consultee.id}/paamindelse", follow_redirects=True)
    assert "er sendt til 1 medlemmer" in page.get_data(as_text=True)
    assert send_pending().sent == 1
    [message] = smtp_server.messages
    assert message["To"] == member.email
    assert message["Subject"].startswith("Påmindelse: høringsfrist")


def test_a_body_is_rendered_without_the_pages_context_in_the_language_in_force(app):
    """``render_body`` renders from the Jinja environment: no context processor (the
    logged-in user) and no render signal of a page runs; the texts are translated."""
    from flask import before_render_template
    from flask_babel import force_locale

    from hoering.outbox.queue import render_body

    signalled = []
    context = {"name": "Ida", "number": "H-2026-000001", "received": "1. december",
               "remarks": 1, "attachments": 0, "publish_name": False,
               "consultation": type("C", (), {"title": "Kulturpolitik"})()}
    with before_render_template.connected_to(lambda *a, **k: signalled.append(a)), \
            app.test_request_context("/offentlige-hoeringer"):
        danish = render_body("mail/receipt.txt", **context)
        with force_locale("en"):
            english = render_body("mail/receipt.txt", **context)
    assert not signalled
    assert danish.startswith("Kære Ida\n") and danish.endswith("Sekretariatet\n")
    assert "H-2026-000001" in danish and "Kulturpolitik" in danish
    assert english.startswith("Dear Ida") and "H-2026-000001" in english
