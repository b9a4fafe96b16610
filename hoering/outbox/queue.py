"""Putting e-mails in the outbox. Nothing here sends: ``hoering.mail.sender`` does.

Every function adds rows to the current transaction (flushed, never committed) so that a
message exists exactly when the action that caused it is committed. Enqueuing writes no
audit event per message (too noisy); callers audit their own action. The outbox is
generic: whoever decides to invite, remind or send a receipt builds the message
(``hoering.consultations.notifications``, ``hoering.public.operations``), its body from a
template in ``templates/mail/``.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError

from hoering.core.db import Row, db, now_utc
from hoering.outbox.models import MessageStatus, OutboxMessage

_SUBJECT_TYPE = OutboxMessage.__table__.c.subject.type
assert isinstance(_SUBJECT_TYPE, String) and _SUBJECT_TYPE.length is not None  # String(300)
SUBJECT_MAX = _SUBJECT_TYPE.length


def enqueue(
    *,
    kind: str,
    dedupe_key: str,
    to_address: str,
    subject: str,
    body_text: str,
    consultation_id: int | None = None,
) -> OutboxMessage | None:
    """Add a pending message, or return None if one with ``dedupe_key`` already exists
    (also when a concurrent transaction inserted it first)."""
    exists = db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    )
    if exists is not None:
        return None
    message = OutboxMessage(
        kind=kind, dedupe_key=dedupe_key, to_address=to_address,
        subject=_fit_subject(subject), body_text=body_text, consultation_id=consultation_id,
        status=MessageStatus.PENDING, attempts=0, last_error="",
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:  # a concurrent enqueue of the same key won
        return None
    return message


def _fit_subject(subject: str) -> str:
    """Cut to the column's length (a consultation title may be as long)."""
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1] + "…"


def message_row(*, kind: str, dedupe_key: str, to_address: str, subject: str,
                body_text: str, consultation_id: int | None = None) -> Row:
    """The row of a pending message whose ``dedupe_key`` is new by construction (e.g. a
    receipt's number), inserted with no check (``hoering.core.db.insert_together``,
    beside the rows it belongs to): a duplicate key raises."""
    moment = now_utc()
    return OutboxMessage.__table__, {
        "kind": kind, "dedupe_key": dedupe_key, "to_address": to_address,
        "subject": _fit_subject(subject), "body_text": body_text,
        "consultation_id": consultation_id, "status": MessageStatus.PENDING,
        "attempts": 0, "next_attempt_at": moment, "last_error": "", "created_at": moment,
    }


def render_body(template: str, **context) -> str:
    """A message's plain-text body from ``templates/mail/``, ending in one newline.

    Rendered straight from the app's Jinja environment, not with ``render_template``: a
    page's context processors and render signals are not the e-mail's (Flask-Login's
    ``current_user`` would be loaded, which rewrites an anonymous visitor's session cookie
    on every public submission; the signal that refills a page's form must wait for the
    page). The texts are translated all the same: Flask-Babel's ``gettext`` is in the
    environment, in the language in force (``in_municipality_language``, or the page's)."""
    body = current_app.jinja_env.get_template(template).render(context)
    return body.rstrip("\n") + "\n"
