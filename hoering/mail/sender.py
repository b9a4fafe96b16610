"""Sending the outbox by SMTP, with retries.

One message per transaction: ``SELECT ... LIMIT 1 FOR UPDATE SKIP LOCKED`` claims the
oldest due message, it is sent, its new status is committed (which releases the lock),
and so on. A second sender running at the same time skips the locked row and takes the
next one, so no message is sent twice; a sent message is committed as sent before the
next one is claimed, so a crash re-sends at most the one message in flight (SMTP gives
no exactly-once across a crash between the server's "250" and our commit).

SQLite ignores FOR UPDATE (SQLAlchemy leaves it out); SQLite has one writer anyway.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app
from sqlalchemy import select

from hoering.accounts.tokens import fill_placeholders
from hoering.audit.record import record_change
from hoering.audit.tags import AuditTag
from hoering.core.db import db, now_utc
from hoering.outbox.models import MessageStatus, OutboxMessage

# Minutes to wait after the 1st, 2nd, ... failed attempt (the last repeats).
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720)
DEFAULT_MAX_ATTEMPTS = 8
SMTP_TIMEOUT = 10
ERROR_MAX = 1000


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0  # gave up on (status failed) in this run
    retried: int = 0  # an attempt failed; tried again later


def backoff(attempts: int) -> timedelta:
    """The wait after ``attempts`` failed attempts (1 or more)."""
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def build_email(message: OutboxMessage, sender: str, body_text: str | None = None) -> EmailMessage:
    """The e-mail of ``message``, with ``body_text`` (its links' tokens issued, see
    ``fill_placeholders``) or else its stored body."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now_utc())
    domain = sender.rpartition("@")[2] or "localhost"
    email["Message-ID"] = make_msgid(idstring=f"outbox{message.id}", domain=domain)
    email.set_content(message.body_text if body_text is None else body_text, charset="utf-8")
    return email


class _Connection:
    """One SMTP connection, opened on first use and reused for the rest of the batch;
    dropped after any error so the next message starts afresh."""

    def __init__(self, factory: Callable[..., smtplib.SMTP], config) -> None:
        self.factory = factory
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
        if self.smtp is None:
            smtp = self.factory(
                self.config.get("MAIL_SERVER", "127.0.0.1"),
                int(self.config.get("MAIL_PORT", 25)),
                timeout=SMTP_TIMEOUT,
            )
            try:
                if self.config.get("MAIL_USE_TLS"):
                    smtp.starttls(context=ssl.create_default_context())
                if self.config.get("MAIL_USERNAME"):
                    smtp.login(self.config["MAIL_USERNAME"], self.config.get("MAIL_PASSWORD", ""))
            except BaseException:
                _close(smtp)
                raise
            self.smtp = smtp
        try:
            self.smtp.send_message(email)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            _close(self.smtp)
            self.smtp = None


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _claim_next() -> OutboxMessage | None:
    """The oldest due pending message, locked until this transaction ends (PostgreSQL)."""
    return db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status == MessageStatus.PENDING,
            OutboxMessage.next_attempt_at <= now_utc(),
        )
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def send_pending(
    *, limit: int = 100, smtp_factory: Callable[..., smtplib.SMTP] | None = None
) -> SendReport:
    """Send up to ``limit`` due messages, committing after each one.

    Uses ``db.session`` and commits it: call it with no uncommitted work of your own.
    ``smtp_factory(host, port, timeout=...)`` defaults to ``smtplib.SMTP``.
    """
    config = current_app.config
    sender = config.get("MAIL_SENDER", "hoering@localhost")
    max_attempts = int(config.get("MAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
    connection = _Connection(smtp_factory or smtplib.SMTP, config)
    sent = failed = retried = 0
    try:
        for _ in range(limit):
            message = _claim_next()
            if message is None:
                break
            try:
                # a link's token is made now, in this transaction: the outbox never holds it
                body_text = fill_placeholders(message.body_text)
                connection.send(build_email(message, sender, body_text))
            except (smtplib.SMTPException, OSError, ValueError) as error:
                # ValueError: a message the email package cannot build (e.g. a bad
                # address); retried and finally failed rather than blocking the queue.
                message.attempts += 1
                message.last_error = f"{type(error).__name__}: {error}"[:ERROR_MAX]
                if message.attempts >= max_attempts:
                    message.status = MessageStatus.FAILED
                    db.session.flush()
                    # Giving up is rare and matters (someone was not told): audited,
                    # without the address or the error text (personal data).
                    record_change(
                        AuditTag.OUTBOX_MESSAGE_FAIL, message, actor=None,
                        changes={"status": {"before": MessageStatus.PENDING.value,
                                            "after": MessageStatus.FAILED.value},
                                 "attempts": {"before": message.attempts - 1,
                                              "after": message.attempts}},
                    )
                    failed += 1
                else:
                    message.next_attempt_at = now_utc() + backoff(message.attempts)
                    retried += 1
            else:
                message.status = MessageStatus.SENT
                message.sent_at = now_utc()
                sent += 1
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        connection.close()
    return SendReport(sent=sent, failed=failed, retried=retried)
